import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { loadLocatedConfig, type LocatedConfig, type SourceLocation } from "../core/config";
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
  return { ...report, findings: report.findings.map(locatedFromHere) };
}

/** A finding with its location's path relative to the working directory when it lies below it (see locationsFromHere). */
export function locatedFromHere<F extends { location?: SourceLocation }>(finding: F): F {
  if (!finding.location) return finding;
  return { ...finding, location: { ...finding.location, file: fromHere(finding.location.file) } };
}

/** A path as steward shows it: relative to the working directory when below it, so that a run in
 *  a checkout names `stacks/Pulumi.<client>.yaml`, not where the checkout happens to be. */
export function fromHere(path: string): string {
  const below = relative(process.cwd(), path);
  return below.startsWith("..") || isAbsolute(below) ? path : below;
}

// ---------------------------------------------------------------------------------------------
// Which stacks a change touches (`steward stacks --changed-since REF`)

/** A client stack as a CI matrix runs it. `file` is relative to the repository's top folder (to
 *  the current folder outside a git work tree), with `/` separators. */
export interface StackEntry {
  stack: string;
  /** The client id the stack file declares (`config."steward:client".id`), not validated here
   *  (`steward check` and `steward gate` do); null when the file declares none. */
  client: string | null;
  file: string;
}

/** One changed path, relative to the repository's top folder, and the stacks it selects. */
export type ChangedPath = { path: string; selects: "every" | "none" } | { path: string; selects: "stack"; stack: string };

/** `steward stacks`' report (`--format json`, version 1: fields are only ever added). A GitHub
 *  Actions matrix is `fromJSON(...).stacks`. */
export interface StacksReport {
  version: 1;
  /** The git ref of `--changed-since`; null when every stack is listed. */
  changedSince: string | null;
  /** The stacks to run, by stack name. */
  stacks: StackEntry[];
  /** Stack files the change deletes: no longer deployable, but their resources stay in Azure until
   *  someone runs `pulumi destroy`, so a pipeline flags them for review. */
  removed: Array<{ stack: string; file: string }>;
  /** Why these stacks, in a sentence. */
  reason: string;
  /** Every changed path and what it selects (empty without `--changed-since`). */
  changes: ChangedPath[];
}

/**
 * The paths whose change alters no client's deployment and no verdict on it, relative to the
 * repository's top folder. Anything else that is not a stack file selects every stack — the
 * policies, components, core, cli, index.ts, package.json and its lock, Pulumi.yaml, tsconfig, the
 * build scripts, the CI templates — and so does any path this list does not name: the rule fails
 * closed, so a new kind of file is deployed everywhere until it is named here.
 */
export const NO_STACK_PATHS: ReadonlyArray<{ globs: readonly string[]; what: string }> = [
  { globs: ["**/*.md", "docs/**"], what: "documentation" },
  { globs: ["test/**", "fixtures/**"], what: "steward's tests and their documents" },
  // `opa build` leaves them out of the policy bundle (scripts/build-policies.mjs).
  { globs: ["policies/**/*_test.rego"], what: "policy tests" },
  { globs: ["bench/**"], what: "benchmarks" },
  // The Pulumi CLI and language host built for the offline runs; pipelines install Pulumi's own.
  { globs: ["tools/**", "scripts/demo.mjs", "scripts/pulumi-local.mjs"], what: "the offline Pulumi tooling" },
  {
    globs: [".ci/**", ".regal/**", "eslint.config.mjs", "vitest.config.mts", "vitest.e2e.config.mts", ".gitignore"],
    what: "steward's own test run and linters",
  },
];

/** A glob as a regular expression: `**` is any number of folders (none included), or anything
 *  below when it ends the glob; `*` is any characters within one name. */
export function globPattern(glob: string): RegExp {
  const segments = glob.split("/");
  const source = segments
    .map((segment, index) => {
      const last = index === segments.length - 1;
      if (segment === "**") return last ? ".*" : "(?:[^/]+/)*";
      const name = segment
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*");
      return last ? name : `${name}/`;
    })
    .join("");
  return new RegExp(`^${source}$`);
}

const NO_STACK_PATTERNS = NO_STACK_PATHS.flatMap((entry) => entry.globs.map(globPattern));

/** What a changed path selects: its stack when it is a stack file directly in `stacksFolder` (the
 *  stacks folder relative to the repository's top, "" for the top itself), nothing when
 *  NO_STACK_PATHS names it, else every stack. */
export function classifyChange(path: string, stacksFolder: string): ChangedPath {
  const slash = path.lastIndexOf("/");
  const folder = slash === -1 ? "" : path.slice(0, slash);
  const stack = folder === stacksFolder ? STACK_FILE.exec(path.slice(slash + 1))?.[1] : undefined;
  if (stack !== undefined) return { path, selects: "stack", stack };
  return { path, selects: NO_STACK_PATTERNS.some((pattern) => pattern.test(path)) ? "none" : "every" };
}

/** The rule, for `steward stacks --help`: what each kind of path selects. */
export function changeRuleHelp(): string {
  return [
    "",
    "Which stacks --changed-since REF selects: git lists the paths that differ between the merge base of",
    "REF and HEAD and the working tree, and the untracked files (a local run counts uncommitted work; in",
    "CI the tree is clean). Each path, relative to the repository's top folder, selects:",
    '  that stack: <stacks folder>/Pulumi.<stack>.yaml (deleted: listed as "removed", to review a `pulumi destroy`)',
    ...NO_STACK_PATHS.map(({ globs, what }) => `  none, ${what}: ${globs.join(", ")}`),
    "  every stack: any other path: policies, components, core, cli, index.ts, package.json,",
    "    package-lock.json, Pulumi.yaml, tsconfig, the build scripts, the CI templates, and any path not named above",
    "A git error (not a repository, an unknown REF, no common history in a shallow clone) exits 2.",
    "",
  ].join("\n");
}
