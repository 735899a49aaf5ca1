import type { StewardInput } from "../../core/document";
import { PolicyEngine } from "../../core/engine";
import { ExitCode, InputError, asError } from "../../core/errors";
import { notFullyEnforced } from "../../core/exceptions";
import { assertValidDocument } from "../../core/validate";
import type { CommandResult } from "../exit";
import { renderEvaluate } from "../formats/evaluate";
import { inputName, readInput } from "../input";
import type { EvaluateOptions } from "../options";
import { writeOutput } from "../output";
import type { EvaluateReport } from "../reports";

function readDocument(file: string): unknown {
  const name = inputName(file);
  const text = readInput(file);
  if (text.trim() === "") throw new InputError(`${name} is empty; expected a normalized document (JSON)`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name} is not valid JSON: ${asError(error).message}`);
  }
}

/** A normalized document (a file, or - for standard input) evaluated with every policy. */
export function evaluateReport(file: string): CommandResult<EvaluateReport> {
  const document = readDocument(file);
  // The whole contract, resources included (the engine checks only what the policies read).
  assertValidDocument(document, inputName(file));
  const engine = PolicyEngine.loadSync();
  const evaluation = engine.evaluate(document, inputName(file));
  const weakened = notFullyEnforced(document as StewardInput, evaluation, engine.catalog);
  return {
    report: { version: 1, ...evaluation, notFullyEnforced: weakened },
    exitCode: evaluation.summary.blocking > 0 ? ExitCode.BLOCKING_FINDINGS : ExitCode.PASS,
  };
}

/** `steward evaluate`: a normalized document evaluated with every policy. */
export function evaluate(file: string, options: EvaluateOptions): ExitCode {
  const { report, exitCode } = evaluateReport(file);
  writeOutput(renderEvaluate(report, options.format));
  return exitCode;
}
