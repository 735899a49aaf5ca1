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
