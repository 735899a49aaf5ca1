import type { GateFinding, GateReport } from "../../core/gate-report";
import { NOT_FULLY_ENFORCED, daysLeftText, exceptionEffect, exceptionLevel, exceptionText, outcome, resolvedCount, waiverText } from "./common";

/** A workflow command's message, escaped as `@actions/core`'s `escapeData` does. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value, escaped as `@actions/core`'s `escapeProperty` does. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND = { mandatory: "error", advisory: "warning", waived: "notice" } as const;

/** Control characters but tab and line breaks (ESC, and so ANSI sequences, BEL, backspace, C1): dropped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const stripControls = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "");

function annotation(finding: GateFinding): string | null {
  const kind = outcome(finding);
  if (kind === "resolved") return null;
  const message = finding.waiver ? `${finding.message} (${waiverText(finding.waiver)})` : finding.message;
  // With a location, GitHub shows the annotation on that line of the stack file in the diff.
  const where = finding.location
    ? `file=${escapeProperty(stripControls(finding.location.file))},line=${finding.location.line},col=${finding.location.column},`
    : "";
  return `::${COMMAND[kind]} ${where}title=${escapeProperty(stripControls(finding.policy))}::${escapeData(stripControls(message))}`;
}

/**
 * A table cell: nothing in it may end the cell or the row, nor become a link, emphasis or HTML.
 * Backslash escapes (valid for any ASCII punctuation in GitHub Flavored Markdown) for the
 * characters that matter inside a cell, `|` included; line breaks as `<br>`; control characters
 * dropped.
 */
export function markdownCell(text: string): string {
  return stripControls(text)
    .replace(/[\\`*_[\]<>|~&]/g, "\\$&")
    .replace(/\r\n|\r|\n/g, "<br>")
    .trim();
}

const row = (cells: (string | number)[]) => `| ${cells.map((cell) => markdownCell(String(cell))).join(" | ")} |`;

function statusCell(finding: GateFinding): string {
  const kind = outcome(finding);
  return kind === "waived" ? `${finding.status}, waived` : finding.status;
}

function severityCell(finding: GateFinding): string {
  return finding.enforcement === "advisory" ? `${finding.severity} (advisory)` : finding.severity;
}

/**
 * The gate report for GitHub Actions: `annotations` is one workflow command per finding the
 * change leaves in place (mandatory → `::error`, advisory → `::warning`, waived → `::notice`), to
 * print to standard output; `summary` is Markdown for `$GITHUB_STEP_SUMMARY`. GitHub shows at
 * most 10 annotations of each kind per step; the summary lists every finding. The policies not
 * fully enforced for the client come first: a `::notice` each, and a line and a table under the
 * summary's verdict.
 */
export function toGitHub(report: GateReport): { annotations: string; summary: string } {
  const notices = report.notFullyEnforced.map(
    (entry) => `::notice title=${escapeProperty(stripControls(`${NOT_FULLY_ENFORCED}: ${entry.policy}`))}::${escapeData(stripControls(exceptionText(entry)))}`,
  );
  const lines = [...notices, ...report.findings.map(annotation).filter((line): line is string => line !== null)];
  const { blocking, advisory, waived, resources } = report.summary;
  const failed = blocking > 0;
  const summary = [
    failed ? "## ❌ steward gate failed" : "## ✅ steward gate passed",
    "",
    "| blocking | advisory | waived | resolved | resources |",
    "| ---: | ---: | ---: | ---: | ---: |",
    row([blocking, advisory, waived, resolvedCount(report), resources]),
    "",
  ];
  const weakened = report.notFullyEnforced;
  if (weakened.length > 0) {
    summary.push(
      `**${NOT_FULLY_ENFORCED}: ${weakened.map((entry) => markdownCell(entry.policy)).join(", ")}**`,
      "",
      "| policy | severity | enforcement | until | findings | approved by | reason |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...weakened.map((entry) =>
        row([entry.policy, entry.severity, exceptionLevel(entry), `${entry.expires} (${daysLeftText(entry)})`, exceptionEffect(entry), entry.approver, entry.reason]),
      ),
      "",
    );
  }
  if (report.findings.length === 0) {
    summary.push("No findings.", "");
  } else {
    summary.push(
      "### Findings",
      "",
      "| status | severity | policy | resource | message |",
      "| --- | --- | --- | --- | --- |",
      ...report.findings.map((finding) => row([statusCell(finding), severityCell(finding), finding.policy, finding.urn, finding.message])),
      "",
    );
  }
  return { annotations: lines.length > 0 ? `${lines.join("\n")}\n` : "", summary: summary.join("\n") };
}
