import { evaluationTime } from "../clock";
import { join } from "node:path";
import { judgeBaseline } from "../../components/preflight";
import type { ClientConfig } from "../../core/client-config";
import { ConfigError, formatProblem, loadClientConfig } from "../../core/config";
import { compareInventory, outsideEveryScope, parseInventory, type CoverageFinding, type CoverageSummary } from "../../core/coverage";
import { PolicyEngine } from "../../core/engine";
import { ExitCode, InputError } from "../../core/errors";
import type { NotFullyEnforced } from "../../core/exceptions";
import { packageRoot } from "../../core/policy-sources";
import { inputName, readInput } from "../input";
import { exceptionText } from "../formats/common";
import { ExitWith } from "../main";
import { json, table, type OutputFormat } from "../output";
import { stackFiles } from "../stacks";

export interface CoverageOptions {
  inventory: string;
  stack?: string;
  stacksDir?: string;
  format: OutputFormat;
}

/**
 * `pass`: nothing blocking; `blocking`: an unmanaged, outside-scope or foreign-tagged machine (exit 1);
 * `not-covered`: the inventory has no machine in one of the client's scope subscriptions, so it
 * could not be checked (exit 2); `invalid`: the stack file has problems (exit 2).
 */
type ClientStatus = "pass" | "blocking" | "not-covered" | "invalid";

interface ClientReport {
  client: string | null;
  stack: string;
  file: string;
  status: ClientStatus;
  summary: CoverageSummary;
  findings: CoverageFinding[];
  uncoveredSubscriptions: string[];
  /** Policies the client's justified overrides lower, and critical policies waived on every
   *  resource (as its planned baseline is judged: the count of findings is the plan's). */
  notFullyEnforced: NotFullyEnforced[];
  problems: string[];
}

const EMPTY_SUMMARY: CoverageSummary = {
  declared: 0,
  inScope: 0,
  managed: 0,
  unmanaged: 0,
  outsideScope: 0,
  missing: 0,
  foreignTag: 0,
  patchOrchestration: 0,
  blocking: 0,
  advisory: 0,
};

function render(reports: ClientReport[], machines: number, outside: number): string {
  let out = table(
    ["CLIENT", "STATUS", "IN SCOPE", "MANAGED", "UNMANAGED", "OUTSIDE SCOPE", "FOREIGN TAG", "MISSING", "PATCH SETTINGS"],
    reports.map((r) => [
      r.client ?? r.stack,
      r.status,
      ...[r.summary.inScope, r.summary.managed, r.summary.unmanaged, r.summary.outsideScope, r.summary.foreignTag, r.summary.missing, r.summary.patchOrchestration].map(String),
    ]),
  );
  for (const r of reports) {
    if (r.problems.length > 0) out += `\n${r.file}: invalid configuration\n${r.problems.map((line) => `  ${line}`).join("\n")}\n`;
    if (r.notFullyEnforced.length > 0) {
      out += `\n${r.client}: not fully enforced\n${r.notFullyEnforced.map((entry) => `  ${exceptionText(entry)}`).join("\n")}\n`;
    }
    if (r.uncoveredSubscriptions.length > 0) {
      out += `\n${r.client}: not covered: ${uncovered(r.uncoveredSubscriptions)}; its endpoints there were not looked for\n`;
    }
    if (r.findings.length > 0) {
      out += `\n${r.client}: findings\n`;
      out += r.findings.map((f) => `  ${f.blocking ? "BLOCK" : "warn "} [${f.kind}] ${f.message}`).join("\n") + "\n";
    }
  }
  return `${out}\n${plural(machines, "machine")} in the inventory, ${outside} outside every client's scope (not judged).\n`;
}

/** "the inventory has no machine in its scope subscription X" / "in 2 of its scope subscriptions: X, Y". */
function uncovered(subscriptions: string[]): string {
  const which = subscriptions.length === 1 ? "its scope subscription" : `${subscriptions.length} of its scope subscriptions:`;
  return `the inventory has no machine in ${which} ${subscriptions.join(", ")}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** `steward coverage`: every declared endpoint against a Resource Graph export of what exists. */
export function coverage(options: CoverageOptions): void {
  const dir = options.stacksDir ?? join(packageRoot(), "stacks");
  const files = stackFiles(dir, options.stack);
  const machines = parseInventory(readInput(options.inventory), inputName(options.inventory));
  const engine = PolicyEngine.loadSync();
  const now = evaluationTime();

  const configs: ClientConfig[] = [];
  const reports: ClientReport[] = files.map(({ stack, file }) => {
    let config: ClientConfig;
    try {
      config = loadClientConfig(file);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const problems = error.problems.map(formatProblem);
      return { client: null, stack, file, status: "invalid", summary: { ...EMPTY_SUMMARY }, findings: [], uncoveredSubscriptions: [], notFullyEnforced: [], problems };
    }
    configs.push(config);
    // The client's overrides as the policies applied them: only a justified one disables a policy.
    const { evaluation, notFullyEnforced } = judgeBaseline(config, { project: "steward", stack }, now, engine);
    const result = compareInventory(config, machines, evaluation.exceptions.enforcement);
    const status: ClientStatus = result.uncoveredSubscriptions.length > 0 ? "not-covered" : result.summary.blocking > 0 ? "blocking" : "pass";
    return {
      client: result.client,
      stack,
      file,
      status,
      summary: result.summary,
      findings: result.findings,
      uncoveredSubscriptions: result.uncoveredSubscriptions,
      notFullyEnforced,
      problems: [],
    };
  });
  const outside = outsideEveryScope(configs, machines).length;

  process.stdout.write(
    options.format === "json" ? json({ version: 1, inventory: { file: inputName(options.inventory), machines: machines.length }, clients: reports, outsideEveryScope: outside }) : render(reports, machines.length, outside),
  );

  // Anything that could not be checked outranks the findings: exit 2, with the reason on stderr.
  const unchecked = reports.flatMap((r) => {
    if (r.status === "invalid") return [`${r.stack}: invalid stack file ${r.file}`];
    if (r.status === "not-covered") {
      return [`${r.client}: ${uncovered(r.uncoveredSubscriptions)}`];
    }
    return [];
  });
  if (unchecked.length > 0) {
    throw new InputError(
      [
        `coverage could not be checked for ${plural(unchecked.length, "client")}:`,
        ...unchecked.map((line) => `  ${line}`),
        ...(reports.some((r) => r.status === "not-covered")
          ? ["  Run the Resource Graph query against every subscription in the clients' scopes (az graph query --subscriptions ...); a scope subscription with no machines at all cannot be told apart from one the export missed."]
          : []),
      ].join("\n"),
    );
  }
  if (reports.some((r) => r.status === "blocking")) throw new ExitWith(ExitCode.BLOCKING_FINDINGS);
}
