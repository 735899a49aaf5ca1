import { evaluationTime } from "../clock";
import { join } from "node:path";
import type { ClientConfig } from "../../core/client-config";
import { loadClientConfig } from "../../core/config";
import { analyzeDrift, type DriftReport } from "../../core/drift";
import { PolicyEngine } from "../../core/engine";
import { ExitCode } from "../../core/errors";
import { packageRoot } from "../../core/policy-sources";
import { pulumiStates } from "../input";
import { NOT_FULLY_ENFORCED, exceptionText } from "../formats/common";
import { ExitWith } from "../main";
import { json, table, type OutputFormat } from "../output";
import { stackFile } from "../stacks";

export interface DriftOptions {
  stack?: string;
  stacksDir?: string;
  /** Where `pulumi` runs when drift runs the refresh preview itself (cli/pulumi.ts). */
  cwd?: string;
  format: OutputFormat;
}

function render(report: DriftReport): string {
  let out = "";
  const weakened = report.policies.notFullyEnforced;
  if (weakened.length > 0) out += `${NOT_FULLY_ENFORCED} (${weakened.length}):\n${weakened.map((entry) => `  ${exceptionText(entry)}`).join("\n")}\n\n`;
  if (report.drifted.length === 0) out += "No drift: the cloud matches Pulumi's state.\n";
  else {
    out += table(
      ["QUESTION", "DRIFT", "RESOURCE", "WHAT CHANGED"],
      report.drifted.map((d) => [
        d.question,
        d.kind,
        d.urn.slice(d.urn.lastIndexOf("::") + 2),
        d.kind === "deleted" ? "deleted outside Pulumi" : d.changes.map((c) => `${c.path}: ${JSON.stringify(c.expected)} -> ${JSON.stringify(c.actual)}`).join("; "),
      ]),
    );
    out += `\n${report.drifted.map((d) => `${d.urn.slice(d.urn.lastIndexOf("::") + 2)}: ${d.restore}`).join("\n")}\n`;
  }
  const caused = report.policies.findings.filter((f) => f.status === "new" && f.waiver === null);
  if (caused.length > 0) {
    out += `\nLeft unmanaged by the drift:\n${caused.map((f) => `  ${f.enforcement === "mandatory" ? "BLOCK" : "warn "} [${f.policy}] ${f.message}`).join("\n")}\n`;
  }
  return out;
}

/** `steward drift`: what changed outside Pulumi, and whether it left anything unmanaged. */
export function drift(file: string | undefined, options: DriftOptions): void {
  const states = pulumiStates(file, options.stack, ["refresh", "--preview-only"], { refresh: true, cwd: options.cwd });
  const config: ClientConfig | null =
    options.stack === undefined ? null : loadClientConfig(stackFile(options.stacksDir ?? join(packageRoot(), "stacks"), options.stack));
  const report = analyzeDrift(states, config, PolicyEngine.loadSync(), evaluationTime());
  process.stdout.write(options.format === "json" ? json(report) : render(report));
  if (report.policies.summary.blocking > 0) throw new ExitWith(ExitCode.BLOCKING_FINDINGS);
}
