import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { loadLocatedConfig, type LocatedConfig } from "../core/config";
import { InputError } from "../core/errors";
import type { GateReport } from "../core/gate-report";
import { defaultStacksDir } from "../core/paths";

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** The stack files a command works on: one by name, or every client (`Pulumi.<client>.yaml`) in
 *  the stacks folder (`--stacks-dir`, else the checkout's), sorted by stack name. */
export function stackFiles(dir: string = defaultStacksDir(), stack?: string): Array<{ stack: string; file: string }> {
  if (!existsSync(dir)) throw new InputError(`stacks folder ${dir} does not exist`);
  const all = readdirSync(dir)
    .map((name) => ({ name, match: STACK_FILE.exec(name) }))
    .filter((entry) => entry.match)
    .map((entry) => ({ stack: (entry.match as RegExpExecArray)[1] as string, file: join(dir, entry.name) }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
  if (stack === undefined) {
    if (all.length === 0) throw new InputError(`no Pulumi.<client>.yaml stack files in ${dir}`);
    return all;
  }
  const chosen = all.find((entry) => entry.stack === stack);
  if (!chosen) throw new InputError(`no stack "${stack}" in ${dir} (have: ${all.map((entry) => entry.stack).join(", ") || "none"})`);
  return [chosen];
}

/** The stack file of one client, by stack name (see stackFiles for the folder and the errors). */
export function stackFile(dir: string | undefined, stack: string): string {
  const [chosen] = stackFiles(dir, stack);
  if (!chosen) throw new InputError(`no stack "${stack}" in ${dir}`);
  return chosen.file;
}

/** One client's stack file (see stackFile), loaded with where each of its entries is written. */
export function loadStack(dir: string | undefined, stack: string): LocatedConfig {
  return loadLocatedConfig(stackFile(dir, stack));
}

/**
 * The report with its findings' stack-file locations relative to the working directory when they
 * lie below it: code scanning and workflow annotations resolve a location against the repository
 * the pipeline runs in, and people read the shorter path.
 */
export function locationsFromHere(report: GateReport): GateReport {
  const fromHere = (file: string) => {
    const path = relative(process.cwd(), file);
    return path.startsWith("..") || isAbsolute(path) ? file : path;
  };
  return {
    ...report,
    findings: report.findings.map((finding) => (finding.location ? { ...finding, location: { ...finding.location, file: fromHere(finding.location.file) } } : finding)),
  };
}
