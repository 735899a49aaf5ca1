import type { DriftReport } from "../../core/drift";
import type { ReportFormat } from "../options";
import type { FleetDriftReport } from "../reports";
import { findingLines, resourceName } from "./finding-list";
import { json } from "./json";
import { notFullyEnforcedPreamble, problemLines, section } from "./text-sections";
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

/** Fleet drift's report (every client) in a format. */
export function renderFleetDrift(report: FleetDriftReport, format: ReportFormat): string {
  return format === "json" ? json(report) : fleetDriftText(report);
}

/** A row per client, then per client that drifted its drift as `steward drift --stack` shows it, and per client not judged why. */
function fleetDriftText({ clients }: FleetDriftReport): string {
  let out = textTable(
    ["CLIENT", "STATUS", "DRIFTED", "BLOCKING", "ADVISORY", "REFRESH PREVIEW"],
    clients.map((r) => [
      r.client ?? r.stack,
      r.status,
      String(r.report?.drifted.length ?? 0),
      String(r.report?.policies.summary.blocking ?? 0),
      String(r.report?.policies.summary.advisory ?? 0),
      r.preview,
    ]),
  );
  for (const r of clients) {
    if (r.problems.length > 0) out += section(`${r.stack}: ${r.status === "invalid" ? "not judged" : "could not be checked"}`, problemLines(r.problems));
    if (r.report && r.status !== "pass") out += section(`${r.client}: drift`, driftText(r.report).trimEnd().split("\n").map((line) => (line === "" ? "" : `  ${line}`)));
  }
  return out;
}
