import { analyzeDrift, type DriftReport } from "../../core/drift";
import { PolicyEngine } from "../../core/engine";
import { ExitCode } from "../../core/errors";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { renderDrift } from "../formats/drift";
import { pulumiStates } from "../input";
import type { DriftOptions } from "../options";
import { writeOutput } from "../output";
import { loadStack, locationsFromHere } from "../stacks";

/** What changed outside Pulumi (a refresh preview: the file, or Pulumi run for `--stack`), and
 *  whether it left anything unmanaged (exit 1). */
export function driftReport(file: string | undefined, options: Omit<DriftOptions, "format">): CommandResult<DriftReport> {
  const states = pulumiStates(file, options.stack, ["refresh", "--preview-only"], { refresh: true, cwd: options.cwd });
  const located = options.stack === undefined ? null : loadStack(options.stacksDir, options.stack);
  const report = analyzeDrift(states, located?.config ?? null, PolicyEngine.loadSync(), evaluationTime(), located?.locations);
  return { report: { ...report, policies: locationsFromHere(report.policies) }, exitCode: report.policies.summary.blocking > 0 ? ExitCode.BLOCKING_FINDINGS : ExitCode.PASS };
}

/** `steward drift`: what changed outside Pulumi, and whether it left anything unmanaged. */
export function drift(file: string | undefined, options: DriftOptions): ExitCode {
  const { report, exitCode } = driftReport(file, options);
  writeOutput(renderDrift(report, options.format));
  return exitCode;
}
