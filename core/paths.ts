import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository (or installed package) root: the nearest folder above this file with a
 *  package.json named "steward". Works from core/ (tests) and dist/core/ (built). */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "steward") return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the steward package root above ${from}`);
  }
}

/** The stack files (`Pulumi.<client>.yaml`) a command reads when not given `--stacks-dir`. */
export const defaultStacksDir = (root = packageRoot()) => join(root, "stacks");
