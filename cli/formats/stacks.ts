import type { ReportFormat } from "../options";
import type { StacksReport } from "../stacks";
import { json } from "./json";
import { textTable } from "./text-table";

/** `steward stacks`' report in a format: the report as JSON (a CI matrix), or a row per stack,
 *  the deleted stack files, and why. */
export function renderStacks(report: StacksReport, format: ReportFormat): string {
  if (format === "json") return json(report);
  const table =
    report.stacks.length === 0
      ? "No stack.\n"
      : textTable(
          ["STACK", "CLIENT", "FILE"],
          report.stacks.map((entry) => [entry.stack, entry.client ?? "-", entry.file]),
        );
  const removed = report.removed.map((entry) => `removed: ${entry.file} (stack ${entry.stack}): its resources stay until \`pulumi destroy --stack ${entry.stack}\`; review it\n`);
  return `${table}${removed.join("")}why: ${report.reason}\n`;
}
