import type { StewardInput } from "../../core/document";
import { PolicyEngine, type Evaluation } from "../../core/engine";
import { NOT_FULLY_ENFORCED, exceptionText, notFullyEnforced, type NotFullyEnforced } from "../../core/exceptions";
import { ExitCode, InputError, asError } from "../../core/errors";
import { inputName, readInput } from "../input";
import { assertValidDocument } from "../../core/validate";
import { ExitWith } from "../main";
import { json, table, type OutputFormat } from "../output";

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

function render(evaluation: Evaluation, weakened: NotFullyEnforced[]): string {
  const { findings, summary } = evaluation;
  const exceptions = weakened.length > 0 ? `${NOT_FULLY_ENFORCED} (${weakened.length}):\n${weakened.map((entry) => `  ${exceptionText(entry)}`).join("\n")}\n\n` : "";
  const rows = findings.map((finding) => [
    finding.waiver ? "waived" : finding.enforcement,
    finding.severity,
    finding.policy,
    finding.message,
  ]);
  const totals = `${summary.blocking} blocking, ${summary.advisory} advisory, ${summary.waived} waived\n`;
  return exceptions + (rows.length > 0 ? table(["STATUS", "SEVERITY", "POLICY", "MESSAGE"], rows) + "\n" : "No findings.\n") + totals;
}

export function evaluate(file: string, options: { format: OutputFormat }): void {
  const document = readDocument(file);
  // The whole contract, resources included (the engine checks only what the policies read).
  assertValidDocument(document, inputName(file));
  const engine = PolicyEngine.loadSync();
  const evaluation = engine.evaluate(document, inputName(file));
  const weakened = notFullyEnforced(document as StewardInput, evaluation, engine.catalog);
  process.stdout.write(options.format === "json" ? json({ version: 1, ...evaluation, notFullyEnforced: weakened }) : render(evaluation, weakened));
  if (evaluation.summary.blocking > 0) throw new ExitWith(ExitCode.BLOCKING_FINDINGS);
}
