import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PolicyEngine, type PolicyDescriptor } from "../../core/engine";
import { ExitCode } from "../../core/errors";
import { runGate } from "../../core/gate";
import type { GateReport } from "../../core/gate-report";
import { packageRoot } from "../../core/paths";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { renderGate } from "../formats/gate";
import { wantsColor } from "../formats/gate-table";
import { pulumiStates } from "../input";
import type { GateOptions } from "../options";
import { writeOutput } from "../output";
import { loadStack, locationsFromHere } from "../stacks";

/**
 * A change judged before it is applied: a Pulumi preview, event log or stack export (the file,
 * or Pulumi run for `--stack`), with the client's stack file when `--stack` names one. Also the
 * policy catalog the judgement used, which SARIF lists as its rules.
 */
export function gateReport(file: string | undefined, options: Omit<GateOptions, "format" | "output">): CommandResult<GateReport> & { rules: PolicyDescriptor[] } {
  const states = pulumiStates(file, options.stack, ["preview", "--show-sames"], { cwd: options.cwd });
  const located = options.stack === undefined ? null : loadStack(options.stacksDir, options.stack);
  const engine = PolicyEngine.loadSync();
  const report = runGate({ states, config: located?.config ?? null, ...(located ? { locations: located.locations } : {}), evaluatedAt: evaluationTime(), engine, failOn: options.failOn });
  return { report: locationsFromHere(report), exitCode: report.summary.blocking > 0 ? ExitCode.BLOCKING_FINDINGS : ExitCode.PASS, rules: Object.values(engine.catalog) };
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** `steward gate`: judge a Pulumi preview (or event log, or stack export) before it is applied. */
export function gate(file: string | undefined, options: GateOptions): ExitCode {
  const { report, exitCode, rules } = gateReport(file, options);
  const { output, stepSummary } = renderGate(report, options.format, {
    rules,
    toolVersion: packageVersion(),
    ...(file === undefined || file === "-" ? {} : { artifact: file }),
    color: options.output === undefined && wantsColor(process.stdout, process.env),
  });
  // GitHub Actions shows this Markdown on the run's summary page.
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary !== undefined && summaryFile) appendFileSync(summaryFile, stepSummary);
  writeOutput(output, options.output);
  return exitCode;
}
