// Pieces the text formats of check, coverage, drift and evaluate share.
import { NOT_FULLY_ENFORCED, exceptionText, type NotFullyEnforced } from "../../core/exceptions";

/** A titled block of lines under a client's table row: a blank line, `<heading>`, the lines (already indented). */
export function section(heading: string, lines: readonly string[]): string {
  return `\n${heading}\n${lines.join("\n")}\n`;
}

/** What a client's problems are: its stack file's, or why it could not be judged. */
export function problemsHeading(client: { stack: string; file: string; status: string }): string {
  return client.status === "error" ? `${client.stack}: could not be checked` : `${client.file}: invalid configuration`;
}

/** A client's problems, indented under their heading (a failure's stack trace included). */
export function problemLines(problems: readonly string[]): string[] {
  return problems.map((problem) => `  ${problem.replace(/\n/g, "\n  ")}`);
}

/** The policies not fully enforced for a client, a line each, each indented two spaces. */
export function notFullyEnforcedLines(entries: readonly NotFullyEnforced[]): string[] {
  return entries.map((entry) => `  ${exceptionText(entry)}`);
}

/** What a one-client report (drift, evaluate) says first: `Not fully enforced for this client (n):` and the policies; nothing when there are none. */
export function notFullyEnforcedPreamble(entries: readonly NotFullyEnforced[]): string {
  return entries.length === 0 ? "" : `${NOT_FULLY_ENFORCED} (${entries.length}):\n${notFullyEnforcedLines(entries).join("\n")}\n\n`;
}
