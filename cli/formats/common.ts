import type { SourceLocation } from "../../core/config";
import type { Waiver } from "../../core/document";
import type { GateFinding, GateReport } from "../../core/gate-report";

/**
 * What a finding means, the same in every format: a mandatory or advisory policy violation the
 * change leaves in place, one a valid waiver covers, or one the change fixes.
 *
 * "mandatory" is not the same as blocking: under `--fail-on new` an existing mandatory finding
 * does not fail the gate. Only `report.summary.blocking` says whether the gate failed.
 */
export type Outcome = "mandatory" | "advisory" | "waived" | "resolved";

export function outcome(finding: GateFinding): Outcome {
  if (finding.status === "resolved") return "resolved";
  if (finding.waiver !== null) return "waived";
  // A mandatory finding the gate does not fail on (existing, under --fail-on new) reads as a warning.
  return finding.blocking ? "mandatory" : "advisory";
}

/** Findings the change fixes (not part of the report's summary, which counts what remains). */
export function resolvedCount(report: GateReport): number {
  return report.findings.filter((finding) => finding.status === "resolved").length;
}

/** `stacks/Pulumi.acme.yaml:41:7`: how compilers and editors name a place in a file. */
export function locationText(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

export function waiverText(waiver: Waiver): string {
  return `waived by ${waiver.approver} until ${waiver.expires}: ${waiver.reason}`;
}

/**
 * Policy METADATA text is hard-wrapped at about 100 columns; outside a terminal it reads better
 * as paragraphs. Joins the lines of each paragraph, keeps blank lines between paragraphs.
 */
export function unwrap(text: string): string {
  return text
    .trim()
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim().replace(/[ \t]*\n[ \t]*/g, " "))
    .join("\n\n");
}

// How a policy not fully enforced reads is the same in every report: core/exceptions.ts.
export { NOT_FULLY_ENFORCED, daysLeftText, exceptionEffect, exceptionLevel, exceptionText } from "../../core/exceptions";
