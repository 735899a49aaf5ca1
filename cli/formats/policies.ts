import type { ReportFormat } from "../options";
import type { PoliciesReport } from "../reports";
import { json } from "./json";
import { textTable } from "./text-table";

/** `steward policies`' report in a format: the catalog as JSON, or a row per policy. */
export function renderPolicies(report: PoliciesReport, format: ReportFormat): string {
  if (format === "json") return json(report);
  return textTable(
    ["POLICY", "SEVERITY", "ENFORCEMENT", "TITLE"],
    report.policies.map((policy) => [policy.id, policy.severity, policy.enforcement, policy.title]),
  );
}
