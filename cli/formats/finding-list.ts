// How the text formats list findings: one line each, `BLOCK` or `warn`.
import type { Enforcement } from "../../core/document";

/** The name a resource goes by: a Pulumi URN's last part, an Azure resource id's last segment. */
export function resourceName(urn: string): string {
  return urn.startsWith("urn:pulumi:") ? urn.slice(urn.lastIndexOf("::") + 2) : urn.slice(urn.lastIndexOf("/") + 1);
}

/** `  BLOCK [policy] message` or `  warn  [policy] message`: one finding, as every text format lists it. */
export function findingLine(blocking: boolean, label: string, text: string): string {
  return `  ${blocking ? "BLOCK" : "warn "} [${label}] ${text}`;
}

/** Findings of one client as check and drift list them: a line each, mandatory ones BLOCK. */
export function findingLines(findings: ReadonlyArray<{ policy: string; enforcement: Exclude<Enforcement, "disabled">; message: string }>): string[] {
  return findings.map((finding) => findingLine(finding.enforcement === "mandatory", finding.policy, finding.message));
}
