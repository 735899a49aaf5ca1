import { PolicyEngine, type Evaluation } from "../../core/engine";
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

function render(evaluation: Evaluation): string {
  const { findings, summary } = evaluation;
  const rows = findings.map((finding) => [
    finding.waiver ? "waived" : finding.enforcement,
    finding.severity,
    finding.policy,
    finding.message,
  ]);
  const totals = `${summary.blocking} blocking, ${summary.advisory} advisory, ${summary.waived} waived\n`;
  return (rows.length > 0 ? table(["STATUS", "SEVERITY", "POLICY", "MESSAGE"], rows) + "\n" : "No findings.\n") + totals;
}

export function evaluate(file: string, options: { format: OutputFormat }): void {
  const document = readDocument(file);
  // The whole contract, resources included (the engine checks only what the policies read).
  assertValidDocument(document, inputName(file));
  const engine = PolicyEngine.loadSync();
  const evaluation = engine.evaluate(document, inputName(file));
  process.stdout.write(options.format === "json" ? json({ version: 1, ...evaluation }) : render(evaluation));
  if (evaluation.summary.blocking > 0) throw new ExitWith(ExitCode.BLOCKING_FINDINGS);
}
