import type { DriftReport } from "../../core/drift";
import type { ReportFormat } from "../options";
import { findingLines, resourceName } from "./finding-list";
import { json } from "./json";
import { notFullyEnforcedPreamble, section } from "./text-sections";
import { textTable } from "./text-table";

/** `steward drift`'s report in a format. */
export function renderDrift(report: DriftReport, format: ReportFormat): string {
  return format === "json" ? json(report) : driftText(report);
}

/** The policies not fully enforced, what drifted and what `pulumi up` would put back, then the findings the drift caused. */
function driftText(report: DriftReport): string {
  let out = notFullyEnforcedPreamble(report.policies.notFullyEnforced);
  if (report.drifted.length === 0) out += "No drift: the cloud matches Pulumi's state.\n";
  else {
    out += textTable(
      ["QUESTION", "DRIFT", "RESOURCE", "WHAT CHANGED"],
      report.drifted.map((d) => [
        d.question,
        d.kind,
        resourceName(d.urn),
        d.kind === "deleted" ? "deleted outside Pulumi" : d.changes.map((c) => `${c.path}: ${JSON.stringify(c.expected)} -> ${JSON.stringify(c.actual)}`).join("; "),
      ]),
    );
    out += `\n${report.drifted.map((d) => `${resourceName(d.urn)}: ${d.restore}`).join("\n")}\n`;
  }
  const caused = report.policies.findings.filter((f) => f.status === "new" && f.waiver === null);
  if (caused.length > 0) out += section("Left unmanaged by the drift:", findingLines(caused));
  return out;
}
