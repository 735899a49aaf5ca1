import { evaluationTime } from "../clock";
import { join } from "node:path";
import { judgeBaseline } from "../../components/preflight";
import type { ClientConfig } from "../../core/client-config";
import { ConfigError, formatProblem, loadClientConfig } from "../../core/config-loader";
import { PolicyEngine, isBlocking, type Finding } from "../../core/engine";
import { ExitCode } from "../../core/errors";
import type { NotFullyEnforced } from "../../core/exceptions";
import { packageRoot } from "../../core/policy-sources";
import { exceptionText } from "../formats/common";
import { ExitWith } from "../main";
import { json, table, type OutputFormat } from "../output";
import { stackFiles } from "../stacks";

export interface CheckOptions {
  stack?: string;
  stacksDir?: string;
  format: OutputFormat;
}

interface ClientReport {
  stack: string;
  file: string;
  client: string | null;
  status: "pass" | "blocking" | "invalid";
  endpoints: number;
  rings: Record<string, string[]>;
  findings: Finding[];
  summary: { blocking: number; advisory: number; waived: number; bySeverity: Record<string, number> };
  waivers: Array<{ policy: string; resource: string; expires: string; approver: string }>;
  /** Policies the client's justified overrides lower, and critical policies waived on every resource. */
  notFullyEnforced: NotFullyEnforced[];
  problems: string[];
}

function report(stack: string, file: string, config: ClientConfig, engine: PolicyEngine, now: Date): ClientReport {
  const { plan, evaluation, notFullyEnforced } = judgeBaseline(config, { project: "steward", stack }, now, engine);
  const bySeverity: Record<string, number> = {};
  for (const finding of evaluation.findings.filter((f) => f.waiver === null)) bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  return {
    stack,
    file,
    client: config.client.id,
    status: evaluation.findings.some(isBlocking) ? "blocking" : "pass",
    endpoints: config.endpoints.length,
    rings: plan.rings,
    findings: evaluation.findings,
    summary: { ...evaluation.summary, bySeverity },
    waivers: config.waivers.map(({ policy, resource, expires, approver }) => ({ policy, resource, expires, approver })),
    notFullyEnforced,
    problems: [],
  };
}

function invalid(stack: string, file: string, error: ConfigError): ClientReport {
  return {
    stack,
    file,
    client: null,
    status: "invalid",
    endpoints: 0,
    rings: {},
    findings: [],
    summary: { blocking: 0, advisory: 0, waived: 0, bySeverity: {} },
    waivers: [],
    notFullyEnforced: [],
    problems: error.problems.map(formatProblem),
  };
}

function render(reports: ClientReport[]): string {
  const severities = ["critical", "high", "medium", "low"];
  let out = table(
    ["CLIENT", "STATUS", "ENDPOINTS", "RINGS", ...severities.map((s) => s.toUpperCase()), "ADVISORY", "WAIVED", "NOT FULLY ENFORCED"],
    reports.map((r) => [
      r.client ?? r.stack,
      r.status,
      String(r.endpoints),
      Object.entries(r.rings)
        .map(([ring, endpoints]) => `${ring}(${endpoints.length})`)
        .join(" "),
      ...severities.map((severity) => String(r.summary.bySeverity[severity] ?? 0)),
      String(r.summary.advisory),
      String(r.summary.waived),
      r.notFullyEnforced.length === 0 ? "-" : [...new Set(r.notFullyEnforced.map((entry) => entry.policy))].join(" "),
    ]),
  );
  for (const r of reports) {
    if (r.problems.length > 0) out += `\n${r.file}: invalid configuration\n${r.problems.map((line) => `  ${line}`).join("\n")}\n`;
    if (r.notFullyEnforced.length > 0) {
      out += `\n${r.client}: not fully enforced\n${r.notFullyEnforced.map((entry) => `  ${exceptionText(entry)}`).join("\n")}\n`;
    }
    const shown = r.findings.filter((finding) => finding.waiver === null);
    if (shown.length > 0) {
      out += `\n${r.client}: findings\n`;
      out += shown.map((f) => `  ${f.enforcement === "mandatory" ? "BLOCK" : "warn "} [${f.policy}] ${f.message}`).join("\n") + "\n";
    }
    if (r.waivers.length > 0) {
      out += `\n${r.client}: waivers\n`;
      out += r.waivers.map((w) => `  ${w.policy} on ${w.resource}, approved by ${w.approver}, expires ${w.expires}`).join("\n") + "\n";
    }
  }
  return out;
}

/** `steward check`: every client's planned baseline, judged offline from its stack file. */
export function check(options: CheckOptions): void {
  const dir = options.stacksDir ?? join(packageRoot(), "stacks");
  const files = stackFiles(dir, options.stack);
  const engine = PolicyEngine.loadSync();
  const now = evaluationTime();
  const reports = files.map(({ stack, file }) => {
    try {
      return report(stack, file, loadClientConfig(file), engine, now);
    } catch (error) {
      if (error instanceof ConfigError) return invalid(stack, file, error);
      throw error;
    }
  });
  process.stdout.write(options.format === "json" ? json({ version: 1, clients: reports }) : render(reports));
  if (reports.some((r) => r.status === "invalid")) throw new ExitWith(ExitCode.BAD_INPUT);
  if (reports.some((r) => r.status === "blocking")) throw new ExitWith(ExitCode.BLOCKING_FINDINGS);
}
