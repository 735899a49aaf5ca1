import { evaluationTime } from "../clock";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClientConfig } from "../../core/client-config";
import { loadClientConfig } from "../../core/config";
import { PolicyEngine } from "../../core/engine";
import { ExitCode, InputError, asError } from "../../core/errors";
import { runGate, type FailOn } from "../../core/gate";
import { packageRoot } from "../../core/policy-sources";
import type { GateReport } from "../../core/report";
import { pulumiStates } from "../input";
import { ExitWith } from "../main";
import { toGitHub, toJUnit, toSarif, toTable, wantsColor } from "../formats";
import { json } from "../output";
import { stackFile } from "../stacks";

export type GateFormat = "table" | "json" | "sarif" | "junit" | "github";

export interface GateOptions {
  stack?: string;
  stacksDir?: string;
  /** Where `pulumi` runs when the gate runs the preview itself (cli/pulumi.ts). */
  cwd?: string;
  failOn: FailOn;
  format: GateFormat;
  output?: string;
}

function render(report: GateReport, format: GateFormat, context: { file: string; engine: PolicyEngine; toFile: boolean }): string {
  switch (format) {
    case "json":
      return json(report);
    case "sarif":
      return json(
        toSarif(report, {
          toolVersion: packageVersion(),
          rules: Object.values(context.engine.catalog),
          ...(context.file === "-" ? {} : { artifact: context.file }),
        }),
      );
    case "junit":
      return toJUnit(report);
    case "github": {
      const { annotations, summary } = toGitHub(report);
      // GitHub Actions shows this Markdown on the run's summary page.
      const summaryFile = process.env.GITHUB_STEP_SUMMARY;
      if (summaryFile) appendFileSync(summaryFile, summary);
      return annotations;
    }
    case "table":
      return toTable(report, { color: !context.toFile && wantsColor(process.stdout, process.env) });
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** `steward gate`: judge a Pulumi preview (or event log, or stack export) before it is applied. */
export function gate(file: string | undefined, options: GateOptions): void {
  const states = pulumiStates(file, options.stack, ["preview", "--show-sames"], { cwd: options.cwd });
  let config: ClientConfig | null = null;
  if (options.stack !== undefined) {
    config = loadClientConfig(stackFile(options.stacksDir ?? join(packageRoot(), "stacks"), options.stack));
  }
  const engine = PolicyEngine.loadSync();
  const report = runGate({ states, config, evaluatedAt: evaluationTime(), engine, failOn: options.failOn });
  const rendered = render(report, options.format, { file: file ?? "Pulumi.yaml", engine, toFile: options.output !== undefined });
  if (options.output) {
    try {
      writeFileSync(options.output, rendered);
    } catch (error) {
      throw new InputError(`cannot write ${options.output}: ${asError(error).message}`);
    }
  } else {
    process.stdout.write(rendered);
  }
  if (report.summary.blocking > 0) throw new ExitWith(ExitCode.BLOCKING_FINDINGS);
}
