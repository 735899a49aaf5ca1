// One folder per policy: its folder, Rego package, test package, `custom.id` in METADATA and
// samples' suite all name the same policy, so a copied folder never keeps another policy's id.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { engine, fixtures, root } from "./support";

const rules = join(root, "policies", "rules");
const folders = readdirSync(rules, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const packageOf = (text: string) => /^package (\S+)$/m.exec(text)?.[1];

describe("policy folders", () => {
  it("every folder is a policy of the catalog, and every policy has a folder", () => {
    expect(folders.map((folder) => folder.replaceAll("_", "-"))).toEqual(Object.keys(engine().catalog).sort());
  });

  it.each(folders)("%s: package, test package, custom.id and sample suite agree", (folder) => {
    const policy = readFileSync(join(rules, folder, "policy.rego"), "utf8");
    const tests = readFileSync(join(rules, folder, "policy_test.rego"), "utf8");
    const suite = parse(readFileSync(fixtures("policies", folder, "suite.yaml"), "utf8")) as { policy: string };
    const id = folder.replaceAll("_", "-");
    expect({
      package: packageOf(policy),
      testPackage: packageOf(tests),
      customId: /^# {3}id: (\S+)$/m.exec(policy)?.[1],
      suite: suite.policy,
    }).toEqual({ package: `policies.rules.${folder}`, testPackage: `policies.rules.${folder}_test`, customId: id, suite: id });
  });
});

/** Every `.rego` file under policies/, relative to the repository. */
function regoFiles(dir = join(root, "policies")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? regoFiles(join(dir, entry.name)) : entry.name.endsWith(".rego") ? [join(dir, entry.name)] : [],
  );
}

/**
 * Comment blocks after the package clause that a blank line separates from what follows: a
 * comment that belongs to no rule (METADATA must sit directly on its rule, so a "why" comment
 * above it drifts off; it goes into the rule's body or its description instead).
 */
function orphanedComments(text: string): number[] {
  const lines = text.split("\n");
  const orphans: number[] = [];
  let afterPackage = false;
  let blockStart: number | undefined;
  lines.forEach((line, index) => {
    if (/^\s*#/.test(line)) {
      blockStart ??= index + 1;
      return;
    }
    if (blockStart !== undefined && afterPackage && line.trim() === "") orphans.push(blockStart);
    blockStart = undefined;
    if (line.startsWith("package ")) afterPackage = true;
  });
  if (blockStart !== undefined) orphans.push(blockStart);
  return orphans;
}

describe("Rego comments", () => {
  it("orphanedComments finds a block a blank line cuts off, and only that", () => {
    expect(orphanedComments("# header\npackage p\n\n# why\n\n# METADATA\n# title: t\nr := 1\n\n# at the end\n")).toEqual([4, 10]);
  });

  it("every comment after the package clause belongs to the rule below it", () => {
    const found = regoFiles().flatMap((file) => orphanedComments(readFileSync(file, "utf8")).map((line) => `${file.slice(root.length + 1)}:${line}`));
    expect(found).toEqual([]);
  });
});
