// How the text formats list findings: one line each, `BLOCK` or `warn`, and advisory findings that
// repeat on many resources for one cause as one entry, so a blocking finding is never lost among
// them. Only text for people is grouped: JSON, SARIF, JUnit and GitHub annotations keep every
// finding.
import type { SourceLocation } from "../../core/config";
import type { Enforcement } from "../../core/document";
import { locationText } from "./common";

/**
 * How many resources an advisory finding must repeat on, for one policy with one remediation,
 * before the text formats show it once for all of them. Two read fine on their own; from three
 * on they are the noise of one cause (a stack that does not own its machines reports
 * `patch-orchestration-unverified` for every one).
 */
const GROUPED_FROM = 3;
/** How many of a group's resources its entry names; the rest are counted (but a last one is
 *  named, not counted: its name is no longer than "+1 more"). */
const NAMED = 3;

/** What grouping reads of a finding (core/engine.ts `Finding`, core/gate-report.ts `GateFinding`). */
export interface GroupableFinding {
  policy: string;
  urn: string;
  remediation: string;
}

/** A finding shown on its own, or a group of advisory findings of one cause with the resources they are on. */
export type FindingEntry<F> = { finding: F } | { group: [F, ...F[]]; resources: string[] };

/**
 * The findings in their order, with the advisory ones (`isAdvisory`) of one policy and
 * remediation that are on GROUPED_FROM or more resources as one group, where the first of them
 * was. Everything else, blocking findings always, stays a finding of its own.
 */
export function groupRepeatedAdvisories<F extends GroupableFinding>(findings: readonly F[], isAdvisory: (finding: F) => boolean): FindingEntry<F>[] {
  const cause = (finding: F) => `${finding.policy}\u0000${finding.remediation}`;
  const byCause = new Map<string, [F, ...F[]]>();
  for (const finding of findings.filter(isAdvisory)) {
    const group = byCause.get(cause(finding));
    if (group) group.push(finding);
    else byCause.set(cause(finding), [finding]);
  }
  const groups = new Map<string, { group: [F, ...F[]]; resources: string[] }>();
  for (const [key, group] of byCause) {
    const resources = [...new Set(group.map((finding) => resourceName(finding.urn)))];
    if (resources.length >= GROUPED_FROM) groups.set(key, { group, resources });
  }
  const entries: FindingEntry<F>[] = [];
  for (const finding of findings) {
    const group = isAdvisory(finding) ? groups.get(cause(finding)) : undefined;
    if (group === undefined) entries.push({ finding });
    else if (group.group[0] === finding) entries.push(group);
  }
  return entries;
}

/** `12 resources: nwl-api01, nwl-api02, nwl-etl01, … (+9 more)`: what a group's entry says instead of a message. */
export function groupText(resources: readonly string[]): string {
  const named = resources.length <= NAMED + 1 ? resources : resources.slice(0, NAMED);
  const more = resources.length - named.length;
  return `${resources.length} resources: ${named.join(", ")}${more > 0 ? `, … (+${more} more)` : ""}`;
}

/** The name a resource goes by: a Pulumi URN's last part, an Azure resource id's last segment. */
export function resourceName(urn: string): string {
  return urn.startsWith("urn:pulumi:") ? urn.slice(urn.lastIndexOf("::") + 2) : urn.slice(urn.lastIndexOf("/") + 1);
}

/** `  BLOCK [policy] message` or `  warn  [policy] message`: one finding, as every text format lists it. */
export function findingLine(blocking: boolean, label: string, text: string): string {
  return `  ${blocking ? "BLOCK" : "warn "} [${label}] ${text}`;
}

/**
 * Findings of one client as check and drift list them: a line each, mandatory ones BLOCK, repeated
 * advisory ones grouped; a finding the stack file places gets a second line saying where.
 */
export function findingLines(
  findings: ReadonlyArray<GroupableFinding & { enforcement: Exclude<Enforcement, "disabled">; message: string; location?: SourceLocation }>,
): string[] {
  return groupRepeatedAdvisories(findings, (finding) => finding.enforcement === "advisory").flatMap((entry) => {
    if (!("finding" in entry)) return [findingLine(false, entry.group[0].policy, groupText(entry.resources))];
    const { finding } = entry;
    const line = findingLine(finding.enforcement === "mandatory", finding.policy, finding.message);
    return finding.location ? [line, `        stack file: ${locationText(finding.location)}`] : [line];
  });
}
