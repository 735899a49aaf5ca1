import type { FailOn } from "../core/gate-report";

// Each list feeds both commander's `.choices()` (cli/main.ts) and the option's type, so the two
// cannot drift apart. This module is read at startup: it holds data only, no command code.

/** The formats of check, coverage, drift, evaluate and policies: text for people, or the report as JSON. */
export const REPORT_FORMATS = ["table", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The gate's formats: besides text and JSON, one per CI system (cli/formats/). */
export const GATE_FORMATS = ["table", "json", "sarif", "junit", "github"] as const;
export type GateFormat = (typeof GATE_FORMATS)[number];

/** Which stack files a command reads: one client's (`--stack`), or every client's. */
interface StackOptions {
  stack?: string;
  /** The folder holding the stack files; default core/paths.ts `defaultStacksDir()`. */
  stacksDir?: string;
}

/** A command that runs over every client (cli/fleet.ts). */
interface FleetOptions {
  /** How many clients are judged at once, each on a worker thread (`--jobs`); default: the
   *  available cores. 1 judges them one after another in the command's own thread. */
  jobs?: number;
}

export interface CheckOptions extends StackOptions, FleetOptions {
  format: ReportFormat;
}

export interface CoverageOptions extends StackOptions, FleetOptions {
  /** The Resource Graph export: a file, or - for standard input. */
  inventory: string;
  format: ReportFormat;
}

export interface GateOptions extends StackOptions {
  /** Where `pulumi` runs when the gate runs the preview itself (cli/pulumi.ts). */
  cwd?: string;
  failOn: FailOn;
  format: GateFormat;
  /** A file to write the report to instead of standard output. */
  output?: string;
}

export interface DriftOptions extends StackOptions, FleetOptions {
  /** Where `pulumi` runs when drift runs the refresh preview itself (cli/pulumi.ts). */
  cwd?: string;
  /** A folder of refresh previews, `<stack>.json` each, read instead of running `pulumi`. */
  previewsDir?: string;
  format: ReportFormat;
}

export interface EvaluateOptions {
  format: ReportFormat;
}

export interface PoliciesOptions {
  format: ReportFormat;
}

export interface StacksOptions {
  /** The folder holding the stack files; default core/paths.ts `defaultStacksDir()`. */
  stacksDir?: string;
  /** A git ref: only the stacks a change since it touches (cli/stacks.ts `classifyChange`). */
  changedSince?: string;
  format: ReportFormat;
}

/** The compliance report's formats: one renderer each (cli/formats/report.ts); `--out` writes them all. */
export const COMPLIANCE_FORMATS = ["markdown", "json", "html"] as const;
export type ComplianceFormat = (typeof COMPLIANCE_FORMATS)[number];

export interface ReportOptions extends StackOptions, FleetOptions {
  /** One client's Pulumi state (`pulumi stack export`, or `pulumi preview --json --show-sames`); with --stack. */
  deployed?: string;
  /** A folder of `<stack>.json` Pulumi states, one per client (a client without one is judged from its plan). */
  deployedDir?: string;
  /** One client's refresh preview (`pulumi refresh --preview-only --json`); with --stack. */
  refresh?: string;
  /** A folder of `<stack>.json` refresh previews, one per client. */
  refreshDir?: string;
  /** The Resource Graph inventory of every client's machines. */
  inventory?: string;
  /** Azure Update Manager's patch assessment of every client's machines (a Resource Graph export of patchassessmentresources). */
  patchAssessment?: string;
  /** A previous report (one client's JSON report, or a fleet overview's JSON) for the trend. */
  previous?: string;
  /** Only the reports due on the day (--date), for the period that just ended. */
  due?: boolean;
  /** The run's day, YYYY-MM-DD (default: today, UTC, from STEWARD_NOW when set). */
  date?: string;
  /** Archive folder: `<client>/<period>.<ext>` per report and format, the fleet overview, manifest.json. */
  out?: string;
  format: ComplianceFormat;
}
