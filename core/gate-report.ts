import type { Enforcement, Severity, Waiver } from "./document";
import type { SourceLocation } from "./config/locations";
import type { NotFullyEnforced } from "./exceptions";

/**
 * The gate's report: the JSON contract pipelines consume (`steward gate --format json`), and the
 * one model every other output format (table, SARIF, JUnit, GitHub) renders. Versioned: fields
 * are only ever added.
 */
export const GATE_REPORT_VERSION = 1 as const;

/** Which unwaived mandatory findings fail the gate (`--fail-on`): every one, or only those the
 *  change introduces. The CLI offers exactly this list. */
export const FAIL_ON_MODES = ["any", "new"] as const;
export type FailOn = (typeof FAIL_ON_MODES)[number];

/** Whether the change introduces a finding, leaves it as it was, or fixes it. */
export type FindingStatus = "new" | "existing" | "resolved";

export interface GateFinding {
  policy: string;
  title: string;
  severity: Severity;
  enforcement: Exclude<Enforcement, "disabled">;
  status: FindingStatus;
  /** Whether this finding fails the gate under its --fail-on mode (unwaived, mandatory, not
   *  resolved, and new when --fail-on new). */
  blocking: boolean;
  urn: string;
  type: string;
  message: string;
  remediation: string;
  waiver: Waiver | null;
  /** The stack-file entry behind the finding (core/config/locate.ts), when the gate was given the
   *  client's file and a rule places it: where SARIF, GitHub annotations and the table point. */
  location?: SourceLocation;
}

export interface GateReport {
  version: typeof GATE_REPORT_VERSION;
  summary: {
    /** Findings that fail the gate under its --fail-on mode (unwaived, mandatory, not resolved). */
    blocking: number;
    /** Unwaived advisory findings that are not resolved. */
    advisory: number;
    /** Findings a valid waiver covers. */
    waived: number;
    /** Resources evaluated (after the change). */
    resources: number;
  };
  findings: GateFinding[];
  /** The policies not fully enforced for this client (justified overrides that lower a policy,
   *  waivers on every resource of a critical policy), from the state after the change. Every
   *  format shows them (core/exceptions.ts). */
  notFullyEnforced: NotFullyEnforced[];
}
