import type { ReportFormat } from "../options";
import type { CoverageReport } from "../reports";
import { findingLine } from "./finding-list";
import { json } from "./json";
import { notFullyEnforcedLines, problemLines, problemsHeading, section } from "./text-sections";
import { textTable } from "./text-table";

/** `steward coverage`'s report in a format. */
export function renderCoverage(report: CoverageReport, format: ReportFormat): string {
  return format === "json" ? json(report) : coverageText(report);
}

/** "the inventory has no machine in its scope subscription X" / "in 2 of its scope subscriptions: X, Y". */
function uncoveredText(subscriptions: readonly string[]): string {
  const which = subscriptions.length === 1 ? "its scope subscription" : `${subscriptions.length} of its scope subscriptions:`;
  return `the inventory has no machine in ${which} ${subscriptions.join(", ")}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Why some clients could not be checked (an invalid stack file, scope subscriptions the
 *  inventory does not cover, a failure), for standard error; null when every client was checked. */
export function uncheckedMessage(report: CoverageReport): string | null {
  const unchecked = report.clients.flatMap((r) => {
    if (r.status === "invalid") return [`${r.stack}: invalid stack file ${r.file}`];
    if (r.status === "error") return [`${r.stack}: could not be compared: ${r.problems[0]?.split("\n")[0]}`];
    if (r.status === "not-covered") return [`${r.client}: ${uncoveredText(r.uncoveredSubscriptions)}`];
    return [];
  });
  if (unchecked.length === 0) return null;
  return [
    `coverage could not be checked for ${plural(unchecked.length, "client")}:`,
    ...unchecked.map((line) => `  ${line}`),
    ...(report.clients.some((r) => r.status === "not-covered")
      ? ["  Run the Resource Graph query against every subscription in the clients' scopes (az graph query --subscriptions ...); a scope subscription with no machines at all cannot be told apart from one the export missed."]
      : []),
  ].join("\n");
}

/**
 * A row per client, then per client its problems, the policies not fully enforced, the
 * subscriptions the inventory does not cover and every finding (coverage findings are one per
 * machine and cause, so none are grouped); how many machines were read last.
 */
function coverageText(report: CoverageReport): string {
  let out = textTable(
    ["CLIENT", "STATUS", "IN SCOPE", "MANAGED", "UNMANAGED", "OUTSIDE SCOPE", "FOREIGN TAG", "MISSING", "PATCH SETTINGS"],
    report.clients.map((r) => [
      r.client ?? r.stack,
      r.status,
      ...[r.summary.inScope, r.summary.managed, r.summary.unmanaged, r.summary.outsideScope, r.summary.foreignTag, r.summary.missing, r.summary.patchOrchestration].map(String),
    ]),
  );
  for (const r of report.clients) {
    if (r.problems.length > 0) out += section(problemsHeading(r), problemLines(r.problems));
    if (r.notFullyEnforced.length > 0) out += section(`${r.client}: not fully enforced`, notFullyEnforcedLines(r.notFullyEnforced));
    if (r.uncoveredSubscriptions.length > 0) {
      out += `\n${r.client}: not covered: ${uncoveredText(r.uncoveredSubscriptions)}; its endpoints there were not looked for\n`;
    }
    if (r.findings.length > 0) out += section(`${r.client}: findings`, r.findings.map((f) => findingLine(f.blocking, f.kind, f.message)));
  }
  return `${out}\n${plural(report.inventory.machines, "machine")} in the inventory, ${report.outsideEveryScope} outside every client's scope (not judged).\n`;
}
