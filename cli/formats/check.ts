import type { ReportFormat } from "../options";
import type { CheckReport } from "../reports";
import { findingLines } from "./finding-list";
import { json } from "./json";
import { notFullyEnforcedLines, problemLines, problemsHeading, section } from "./text-sections";
import { textTable } from "./text-table";

const SEVERITIES = ["critical", "high", "medium", "low"];

/** `steward check`'s report in a format. */
export function renderCheck(report: CheckReport, format: ReportFormat): string {
  return format === "json" ? json(report) : checkText(report);
}

/** A row per client, then per client its problems, the policies not fully enforced, its unwaived findings and its waivers. */
function checkText({ clients }: CheckReport): string {
  let out = textTable(
    ["CLIENT", "STATUS", "ENDPOINTS", "RINGS", ...SEVERITIES.map((s) => s.toUpperCase()), "ADVISORY", "WAIVED", "NOT FULLY ENFORCED"],
    clients.map((r) => [
      r.client ?? r.stack,
      r.status,
      String(r.endpoints),
      Object.entries(r.rings)
        .map(([ring, endpoints]) => `${ring}(${endpoints.length})`)
        .join(" "),
      ...SEVERITIES.map((severity) => String(r.summary.bySeverity[severity] ?? 0)),
      String(r.summary.advisory),
      String(r.summary.waived),
      r.notFullyEnforced.length === 0 ? "-" : [...new Set(r.notFullyEnforced.map((entry) => entry.policy))].join(" "),
    ]),
  );
  for (const r of clients) {
    if (r.problems.length > 0) out += section(problemsHeading(r), problemLines(r.problems));
    if (r.notFullyEnforced.length > 0) out += section(`${r.client}: not fully enforced`, notFullyEnforcedLines(r.notFullyEnforced));
    const shown = r.findings.filter((finding) => finding.waiver === null);
    if (shown.length > 0) out += section(`${r.client}: findings`, findingLines(shown));
    if (r.waivers.length > 0) {
      out += section(
        `${r.client}: waivers`,
        r.waivers.map((w) => `  ${w.policy} on ${w.resource}, approved by ${w.approver}, expires ${w.expires}`),
      );
    }
  }
  return out;
}
