import type { FindingStatus, GateFinding, GateReport } from "../../core/gate-report";
import { NOT_FULLY_ENFORCED, exceptionText, locationText, outcome, resolvedCount, unwrap, waiverText, type Outcome } from "./common";
import { groupRepeatedAdvisories, groupText, type FindingEntry } from "./finding-list";

export interface TableOptions {
  /** ANSI colours; decide with `wantsColor(process.stdout, process.env)`. */
  color: boolean;
}

/**
 * Colour only on a terminal (`stream.isTTY`), unless `NO_COLOR` is set to a non-empty value
 * (https://no-color.org: an empty `NO_COLOR` does not count) or the terminal is `dumb`.
 */
export function wantsColor(stream: Pick<NodeJS.WriteStream, "isTTY">, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== "") && env.TERM !== "dumb";
}

type Style = "bold" | "dim" | "red" | "yellow" | "cyan" | "green";
/** SGR codes to set and to reset each style; a reset leaves the other styles as they were. */
const SGR: Record<Style, [number, number]> = { bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39], cyan: [36, 39], green: [32, 39] };

const OUTCOME_STYLE: Record<Outcome, Style[]> = {
  mandatory: ["bold", "red"],
  advisory: ["yellow"],
  waived: ["cyan"],
  resolved: ["green"],
};

const STATUS_SECTIONS: { status: FindingStatus; heading: string }[] = [
  { status: "new", heading: "New findings" },
  { status: "existing", heading: "Existing findings" },
  { status: "resolved", heading: "Resolved by this change" },
];

/**
 * Terminal-safe text: control characters (ESC and so ANSI sequences, CR, backspace, C1) are
 * dropped, so report content can neither colour nor overwrite the output; tabs become a space.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const clean = (text: string) => text.replace(/\t/g, " ").replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, "");

const indent = (text: string, prefix: string) =>
  clean(text)
    .split("\n")
    .map((line) => (line === "" ? "" : prefix + line))
    .join("\n");

/**
 * The gate report for people: first the policies not fully enforced for the client, then the
 * findings grouped by status (new, existing, resolved), each with its outcome, severity, policy,
 * message, resource and what to do; the verdict last. Advisory findings of one policy and
 * remediation on many resources are one entry naming the resources (cli/formats/finding-list.ts).
 */
export function toTable(report: GateReport, options: TableOptions): string {
  const paint = (text: string, ...styles: Style[]) =>
    options.color ? styles.reduceRight((inner, style) => `\u001b[${SGR[style][0]}m${inner}\u001b[${SGR[style][1]}m`, text) : text;

  const firstLine = (finding: GateFinding, kind: Outcome) =>
    `  ${paint(`[${kind}]`.padEnd(11), ...OUTCOME_STYLE[kind])} ${finding.severity.padEnd(8)} ${paint(clean(finding.policy), "bold")}`;
  const fix = (finding: GateFinding) => `    ${paint("fix:", "dim")} ${indent(unwrap(finding.remediation), "    ").trimStart()}`;

  const entry = (listed: FindingEntry<GateFinding>) => {
    if ("group" in listed) {
      const [first] = listed.group;
      return [firstLine(first, "advisory"), indent(groupText(listed.resources), "    "), fix(first)].join("\n");
    }
    const { finding } = listed;
    const kind = outcome(finding);
    const lines = [firstLine(finding, kind), indent(finding.message, "    ")];
    lines.push(`    ${paint("resource:", "dim")} ${clean(finding.urn)}`);
    if (finding.location) lines.push(`    ${paint("stack file:", "dim")} ${clean(locationText(finding.location))}`);
    if (finding.waiver && kind === "waived") lines.push(indent(waiverText(finding.waiver), "    "));
    if (kind === "mandatory" || kind === "advisory") lines.push(fix(finding));
    return lines.join("\n");
  };

  const sections: string[] = [];
  if (report.notFullyEnforced.length > 0) {
    const lines = report.notFullyEnforced.map((entry) => indent(exceptionText(entry), "  "));
    sections.push(`${paint(`${NOT_FULLY_ENFORCED} (${report.notFullyEnforced.length})`, "bold", "yellow")}\n${lines.join("\n")}\n`);
  }
  for (const { status, heading } of STATUS_SECTIONS) {
    const findings = report.findings.filter((finding) => finding.status === status);
    const entries = groupRepeatedAdvisories(findings, (finding) => outcome(finding) === "advisory");
    if (findings.length > 0) sections.push(`${paint(`${heading} (${findings.length})`, "bold")}\n${entries.map(entry).join("\n\n")}\n`);
  }
  if (report.findings.length === 0) sections.push("No findings.\n");

  const { blocking, advisory, waived, resources } = report.summary;
  const verdict = blocking > 0 ? paint("Gate failed", "bold", "red") : paint("Gate passed", "bold", "green");
  const totals = `${blocking} blocking, ${advisory} advisory, ${waived} waived, ${resolvedCount(report)} resolved; ${resources} resources evaluated`;
  return `${sections.join("\n")}\n${verdict}: ${totals}\n`;
}
