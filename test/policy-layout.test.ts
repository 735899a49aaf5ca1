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
