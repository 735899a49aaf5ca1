import { existsSync, readFileSync, realpathSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { parse } from "yaml";
import { ExitCode, InputError, asError } from "../../core/errors";
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

/** The top folder of the git work tree holding `dir`, with symbolic links resolved. */
function workTreeTop(dir: string): string {
  return git(["rev-parse", "--show-toplevel"], dir).trim();
}

/** Listing needs no git: outside a work tree (or without git), null. */
function workTreeTopOrNull(dir: string): string | null {
  try {
    return workTreeTop(dir);
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

/** The stacks folder relative to the repository's top folder (`/`-separated, "" for the top
 *  itself). git's top folder has symbolic links resolved, so the stacks folder's are too. */
const stacksFolderIn = (top: string, dir: string) => posix(relative(top, realpathSync(dir)));

/** The stack files as matrix entries, their paths relative to `top` (null: to the current folder). */
function stackEntries(files: Array<{ stack: string; file: string }>, dir: string, top: string | null): StackEntry[] {
  const folder = top === null ? null : stacksFolderIn(top, dir);
  return files.map(({ stack, file }) => ({
    stack,
    client: declaredClient(file),
    file: folder === null ? posix(relative(process.cwd(), file)) : [folder, basename(file)].filter(Boolean).join("/"),
  }));
}

/** The client stacks: every one, or with `changedSince` those a change since that git ref touches
 *  (cli/stacks.ts `classifyChange` says which). */
export function stacksReport(options: Omit<StacksOptions, "format">): CommandResult<StacksReport> {
  const dir = resolve(options.stacksDir ?? defaultStacksDir());
  const all = stackFiles(dir);
  const ref = options.changedSince;
  if (ref === undefined) {
    const stacks = stackEntries(all, dir, workTreeTopOrNull(dir));
    return { report: { version: 1, changedSince: null, stacks, removed: [], reason: "every stack: no --changed-since", changes: [] }, exitCode: ExitCode.PASS };
  }

  let top: string;
  try {
    top = workTreeTop(dir);
  } catch (error) {
    throw new InputError(`--changed-since needs the stacks folder in a git work tree: ${asError(error).message}`);
  }
  const stacksFolder = stacksFolderIn(top, dir);
  const changes = changedPaths(top, ref).map((path) => classifyChange(path, stacksFolder));
  const every = changes.some((change) => change.selects === "every");
  const touched = new Set(changes.flatMap((change) => (change.selects === "stack" ? [change.stack] : [])));
  const removed = changes.flatMap((change) => (change.selects === "stack" && !existsSync(join(top, change.path)) ? [{ stack: change.stack, file: change.path }] : []));
  const stacks = stackEntries(all.filter(({ stack }) => every || touched.has(stack)), dir, top);
  return { report: { version: 1, changedSince: ref, stacks, removed, reason: reasonFor(ref, changes, removed.length), changes }, exitCode: ExitCode.PASS };
}

/** `steward stacks`: the client stacks, or those a change touches, as a CI matrix. */
export function stacks(options: StacksOptions): ExitCode {
  const { report, exitCode } = stacksReport(options);
  writeOutput(renderStacks(report, options.format));
  return exitCode;
}
