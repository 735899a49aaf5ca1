import { PolicyEngine } from "../../core/engine";
import { ExitCode } from "../../core/errors";
import type { CommandResult } from "../exit";
import { renderPolicies } from "../formats/policies";
import type { PoliciesOptions } from "../options";
import { writeOutput } from "../output";
import type { PoliciesReport } from "../reports";

/** The policy library, by id. */
export function policiesReport(): CommandResult<PoliciesReport> {
  const catalog = Object.values(PolicyEngine.loadSync().catalog).sort((a, b) => a.id.localeCompare(b.id));
  return { report: { version: 1, policies: catalog }, exitCode: ExitCode.PASS };
}

/** `steward policies`: list the policy library. */
export function policies(options: PoliciesOptions): ExitCode {
  const { report, exitCode } = policiesReport();
  writeOutput(renderPolicies(report, options.format));
  return exitCode;
}
