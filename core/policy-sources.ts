import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { packageRoot } from "./paths";

export const policiesDir = (root = packageRoot()) => join(root, "policies");
export const bundleDir = (root = packageRoot()) => join(root, "build", "policy");

/** The Rego files a bundle is built from (tests excluded), as sorted paths relative to `dir`. */
export function policySources(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".rego") && !entry.name.endsWith("_test.rego")) found.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return found.sort();
}

/** sha256 over every source's path and content: what the bundle manifest records at build time. */
export function policySourceHash(dir: string): string {
  const hash = createHash("sha256");
  for (const file of policySources(dir)) {
    hash.update(file).update("\0").update(readFileSync(join(dir, file))).update("\0");
  }
  return hash.digest("hex");
}
