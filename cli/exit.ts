import type { ExitCode } from "../core/errors";

/**
 * How a command ends, as data: its report and the exit code the report earns. Commands return
 * it instead of exiting or throwing, so a test reads the report without capturing standard
 * output; cli/main.ts ends the run with the code.
 */
export interface CommandResult<Report> {
  report: Report;
  exitCode: ExitCode;
}

/** Ends a run with a code and no error message (blocking findings): thrown and caught only in
 *  cli/main.ts, since commander discards what an action returns. */
export class ExitWith extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}
