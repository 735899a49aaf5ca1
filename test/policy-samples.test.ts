// Every policy's allowed and disallowed samples (fixtures/policies/<folder>/suite.yaml), run
// through the real wasm bundle: the exact findings of the policy under test, nothing more.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { StewardInput } from "../core/document";
import { assertValidDocument } from "../core/validate";
import { compliantDocument, engine, fixtures, readJson } from "./support";

interface Suite {
  policy: string;
  samples: Array<{ name: string; file: string; findings: Array<{ urn: string; message: string }> }>;
}

const folders = readdirSync(fixtures("policies"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const suites = folders.map((folder) => ({
  folder,
  suite: parse(readFileSync(fixtures("policies", folder, "suite.yaml"), "utf8")) as Suite,
}));

describe("policy samples", () => {
  it("the compliant base document passes every mandatory policy; its referenced Arc machine is named as unverified", () => {
    expect(engine().evaluate(compliantDocument()).findings.map((finding) => `${finding.enforcement} ${finding.policy} ${finding.urn}`)).toEqual([
      "advisory patch-orchestration-unverified /subscriptions/00000000-0000-0000-0000-00000000a11c/resourcegroups/rg-acme-onprem/providers/microsoft.hybridcompute/machines/files-01",
    ]);
  });

  it("every policy in the catalog has a suite with allowed and disallowed samples", () => {
    const covered = new Map(suites.map(({ suite }) => [suite.policy, suite]));
    for (const id of Object.keys(engine().catalog)) {
      const suite = covered.get(id);
      expect(suite, `no fixtures/policies/*/suite.yaml for policy ${id}`).toBeDefined();
      const files = suite?.samples.map((sample) => sample.file) ?? [];
      expect(files.some((file) => file.startsWith("allowed/")), `${id} has no allowed sample`).toBe(true);
      expect(files.some((file) => file.startsWith("disallowed/")), `${id} has no disallowed sample`).toBe(true);
    }
    expect([...covered.keys()].sort()).toEqual(Object.keys(engine().catalog).sort());
  });

  for (const { folder, suite } of suites) {
    describe(`${suite.policy} (${folder})`, () => {
      it.each(suite.samples.map((sample) => [sample.name, sample] as const))("%s", (_name, sample) => {
        const path = fixtures("policies", folder, sample.file);
        expect(existsSync(path), path).toBe(true);
        const document = readJson<StewardInput>(path);
        assertValidDocument(document, path);
        const findings = engine().evaluate(document).findings;
        const ofPolicy = findings
          .filter((finding) => finding.policy === suite.policy)
          .map((finding) => ({ urn: finding.urn, message: finding.message }));
        const sortKey = (f: { urn: string; message: string }) => `${f.urn}\u0000${f.message}`;
        expect(ofPolicy.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
          [...sample.findings].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
        );
        // Allowed samples pass every mandatory policy; only advisory notes may remain.
        if (sample.file.startsWith("allowed/")) expect(findings.filter((finding) => finding.enforcement === "mandatory")).toEqual([]);
      });
    });
  }
});
