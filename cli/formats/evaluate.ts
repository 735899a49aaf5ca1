import type { ReportFormat } from "../options";
import type { EvaluateReport } from "../reports";
import { groupRepeatedAdvisories, groupText } from "./finding-list";
import { json } from "./json";
import { notFullyEnforcedPreamble } from "./text-sections";
import { textTable } from "./text-table";

/** `steward evaluate`'s report in a format. */
export function renderEvaluate(report: EvaluateReport, format: ReportFormat): string {
  return format === "json" ? json(report) : evaluateText(report);
}

/** The policies not fully enforced, a row per finding (repeated advisory ones as one row), the totals. */
function evaluateText({ findings, summary, notFullyEnforced }: EvaluateReport): string {
  const rows = groupRepeatedAdvisories(findings, (finding) => finding.waiver === null && finding.enforcement === "advisory").map((entry) => {
    if ("group" in entry) {
      const [first] = entry.group;
      return [first.enforcement, first.severity, first.policy, groupText(entry.resources)];
    }
    const { finding } = entry;
    return [finding.waiver ? "waived" : finding.enforcement, finding.severity, finding.policy, finding.message];
  });
  const totals = `${summary.blocking} blocking, ${summary.advisory} advisory, ${summary.waived} waived\n`;
  return notFullyEnforcedPreamble(notFullyEnforced) + (rows.length > 0 ? textTable(["STATUS", "SEVERITY", "POLICY", "MESSAGE"], rows) + "\n" : "No findings.\n") + totals;
}
