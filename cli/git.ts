import { spawnSync } from "node:child_process";
import { InputError } from "../core/errors";

/** Runs git in `cwd` and returns what it prints; a failure is the user's to fix (exit 2), with
 *  git's own message. */
export function git(args: string[], cwd: string): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 << 20 });
  if (run.error) throw new InputError(`cannot run git in ${cwd}: ${run.error.message}`);
  if (run.status !== 0) throw new InputError(`git ${args.join(" ")} failed in ${cwd}: ${run.stderr.trim() || `exit ${run.status}`}`);
  return run.stdout;
}

/** git's `-z` output: the NUL-terminated paths it lists. */
export function nulSeparated(output: string): string[] {
  return output.split("\0").filter((path) => path !== "");
}
