import { existsSync, readFileSync, realpathSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { parse } from "yaml";
import { ExitCode, InputError } from "../../core/errors";
import { defaultStacksDir } from "../../core/paths";
import { isRecord } from "../../core/values";
import type { CommandResult } from "../exit";
import { renderStacks } from "../formats/stacks";
import { git, nulSeparated } from "../git";
import type { StacksOptions } from "../options";
import { writeOutput } from "../output";
import { classifyChange, stackFiles, type ChangedPath, type StackEntry, type StacksReport } from "../stacks";

const posix = (path: string) => path.split(sep).join("/");

/** The id a stack file declares, read without judging the file: listing the stacks must not
 *  depend on each file being valid (the gate of that stack reports what is wrong with it). */
function declaredClient(file: string): string | null {
  try {
    const document: unknown = parse(readFileSync(file, "utf8"));
    const client = isRecord(document) && isRecord(document.config) ? document.config["steward:client"] : undefined;
    return isRecord(client) && typeof client.id === "string" ? client.id : null;
  } catch {
    return null;
  }
}

/** The top folder of the git work tree holding `dir`, or null outside one. */
function workTreeTop(dir: string): string | null {
  try {
    return git(["rev-parse", "--show-toplevel"], dir).trim();
  } catch {
    return null;
  }
}

/**
 * The paths that differ between REF's merge base with HEAD and the working tree, and the
 * untracked files: what the tree a pipeline deploys changes since REF. The merge base (REF...HEAD,
 * as a pull request's diff) leaves out what landed on REF meanwhile; the working tree and the
 * untracked files make a local run count uncommitted work (in CI the tree is clean).
 */
function changedPaths(top: string, ref: string): string[] {
  // A ref starting with "-" would be read as an option.
  if (ref.startsWith("-")) throw new InputError(`--changed-since ${ref}: not a git ref`);
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top);
  } catch {
    throw new InputError(`--changed-since ${ref}: no such commit in ${top} (in CI, fetch it first: actions/checkout with fetch-depth: 0, or git fetch)`);
  }
  let base: string;
  try {
    base = git(["merge-base", ref, "HEAD"], top).trim();
  } catch {
    throw new InputError(`--changed-since ${ref}: it shares no history with HEAD in ${top} (a shallow clone? fetch the whole history: fetch-depth: 0)`);
  }
  const changed = nulSeparated(git(["diff", "--name-only", "--no-renames", "--no-relative", "-z", base, "--"], top));
  const untracked = nulSeparated(git(["ls-files", "--others", "--exclude-standard", "-z"], top));
  return [...new Set([...changed, ...untracked])].sort();
}

function reasonFor(ref: string, changes: ChangedPath[], removed: number): string {
  const every = changes.filter((change) => change.selects === "every");
  const [first] = every;
  if (first) {
    const more = every.length > 1 ? ` (and ${every.length - 1} more such ${every.length === 2 ? "path" : "paths"})` : "";
    return `every stack: ${first.path} can change every client's deployment or verdict${more}`;
  }
  const stackFilesChanged = changes.filter((change) => change.selects === "stack").length;
  if (stackFilesChanged > 0) {
    const files = `${stackFilesChanged} stack ${stackFilesChanged === 1 ? "file" : "files"}`;
    return `${files} changed since ${ref}${removed > 0 ? ` (${removed} deleted)` : ""}`;
  }
  if (changes.length === 0) return `nothing changed since ${ref}`;
  const what = changes.length === 1 ? `the change since ${ref} touches` : `the ${changes.length} changes since ${ref} touch`;
  return `no stack: ${what} only documentation, tests and tooling`;
}

/** The client stacks: every one, or with `changedSince` those a change since that git ref touches
 *  (cli/stacks.ts `classifyChange` says which). */
export function stacksReport(options: Omit<StacksOptions, "format">): CommandResult<StacksReport> {
  const dir = resolve(options.stacksDir ?? defaultStacksDir());
  const all = stackFiles(dir);
  const top = workTreeTop(dir);
  // git prints the top folder with symbolic links resolved; the stacks folder may be reached through one.
  const stacksFolder = top === null ? null : posix(relative(top, realpathSync(dir)));
  const entry = (stack: string, file: string): StackEntry => ({
    stack,
    client: declaredClient(file),
    file: stacksFolder === null ? posix(relative(process.cwd(), file)) : [stacksFolder, basename(file)].filter(Boolean).join("/"),
  });
  const ref = options.changedSince;
  if (ref === undefined) {
    const stacks = all.map(({ stack, file }) => entry(stack, file));
    return { report: { version: 1, changedSince: null, stacks, removed: [], reason: "every stack: no --changed-since", changes: [] }, exitCode: ExitCode.PASS };
  }
  if (top === null || stacksFolder === null) throw new InputError(`--changed-since: the stacks folder ${dir} is not in a git work tree`);

  const changes = changedPaths(top, ref).map((path) => classifyChange(path, stacksFolder));
  const every = changes.some((change) => change.selects === "every");
  const touched = new Set(changes.flatMap((change) => (change.selects === "stack" ? [change.stack] : [])));
  const removed = changes.flatMap((change) => (change.selects === "stack" && !existsSync(join(top, change.path)) ? [{ stack: change.stack, file: change.path }] : []));
  const stacks = all.filter(({ stack }) => every || touched.has(stack)).map(({ stack, file }) => entry(stack, file));
  return { report: { version: 1, changedSince: ref, stacks, removed, reason: reasonFor(ref, changes, removed.length), changes }, exitCode: ExitCode.PASS };
}

/** `steward stacks`: the client stacks, or those a change touches, as a CI matrix. */
export function stacks(options: StacksOptions): ExitCode {
  const { report, exitCode } = stacksReport(options);
  writeOutput(renderStacks(report, options.format));
  return exitCode;
}
