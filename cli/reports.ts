// The reports of check, coverage, evaluate and policies: pure data, each exactly what the command
// writes as JSON (`--format json`, versioned: fields are only ever added) and what its text
// format (cli/formats/) renders. The gate's report is core/gate-report.ts, one client's drift
// core/drift.ts (the fleet's is here).
import type { SourceLocation } from "../core/config";
import type { CoverageFinding, CoverageSummary } from "../core/coverage";
import type { DriftReport } from "../core/drift";
import type { Evaluation, Finding, PolicyDescriptor } from "../core/engine";
import type { NotFullyEnforced } from "../core/exceptions";

/** How many clients a fleet run covered, and how many ended in each status (every status, zeros included). */
export type FleetSummary<Status extends string> = { clients: number } & Record<Status, number>;

/**
 * `pass`: nothing blocking; `blocking`: a mandatory finding no valid waiver covers (exit 1);
 * `invalid`: the stack file has problems (exit 2); `error`: judging it failed (exit 3), the
 * message in `problems`. In the order summaries list them.
 */
export const CHECK_STATUSES = ["pass", "blocking", "invalid", "error"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckReport {
  version: 1;
  clients: ClientCheck[];
  summary: FleetSummary<CheckStatus>;
}

/** One client's planned baseline, judged. */
export interface ClientCheck {
  stack: string;
  file: string;
  client: string | null;
  status: CheckStatus;
  endpoints: number;
  rings: Record<string, string[]>;
  /** Each with the stack-file entry behind it when a rule places it (core/config/locate.ts). */
  findings: Array<Finding & { location?: SourceLocation }>;
  summary: { blocking: number; advisory: number; waived: number; bySeverity: Record<string, number> };
  waivers: Array<{ policy: string; resource: string; expires: string; approver: string }>;
  /** Policies the client's justified overrides lower, and critical policies waived on every resource. */
  notFullyEnforced: NotFullyEnforced[];
  problems: string[];
}

export interface CoverageReport {
  version: 1;
  inventory: { file: string; machines: number };
  clients: ClientCoverage[];
  /** Inventory machines in no client's scope (not judged). */
  outsideEveryScope: number;
  summary: FleetSummary<CoverageStatus>;
}

/**
 * `pass`: nothing blocking; `blocking`: an unmanaged, outside-scope or foreign-tagged machine (exit 1);
 * `not-covered`: the inventory has no machine in one of the client's scope subscriptions, so it
 * could not be checked (exit 2); `invalid`: the stack file has problems (exit 2); `error`:
 * comparing it failed (exit 3), the message in `problems`.
 */
export const COVERAGE_STATUSES = ["pass", "blocking", "not-covered", "invalid", "error"] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

export interface ClientCoverage {
  client: string | null;
  stack: string;
  file: string;
  status: CoverageStatus;
  summary: CoverageSummary;
  findings: CoverageFinding[];
  uncoveredSubscriptions: string[];
  /** Policies the client's justified overrides lower, and critical policies waived on every
   *  resource (as its planned baseline is judged: the count of findings is the plan's). */
  notFullyEnforced: NotFullyEnforced[];
  problems: string[];
}

/** `steward drift` over every client: each one's refresh preview judged against its stack file. */
export interface FleetDriftReport {
  version: 1;
  clients: ClientDrift[];
  summary: FleetSummary<DriftStatus>;
}

/**
 * `pass`: no drift; `drifted`: something changed outside Pulumi, but nothing it left is blocking;
 * `blocking`: the drift left a mandatory finding (exit 1); `invalid`: the stack file has problems,
 * or the refresh preview could not be read or run (exit 2); `error`: judging it failed (exit 3).
 * The reason for the last two is in `problems`.
 */
export const DRIFT_STATUSES = ["pass", "drifted", "blocking", "invalid", "error"] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

export interface ClientDrift {
  stack: string;
  file: string;
  client: string | null;
  /** The refresh preview judged: a file, or the `pulumi refresh` run that printed it. */
  preview: string;
  status: DriftStatus;
  /** `steward drift --stack`'s report for this client; null when it has none (`invalid`, `error`). */
  report: DriftReport | null;
  problems: string[];
}

/** One normalized document, evaluated: the engine's evaluation and the policies it does not fully enforce. */
export type EvaluateReport = { version: 1 } & Evaluation & { notFullyEnforced: NotFullyEnforced[] };

export interface PoliciesReport {
  version: 1;
  /** The policy library, by id. */
  policies: PolicyDescriptor[];
}
