// The same samples give the same findings through `opa eval` (OPA's Go interpreter) and through
// the wasm engine: one policy library, two runtimes, no drift between them.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StewardInput } from "../core/document";
import { policiesDir } from "../core/policy-sources";
import { engine, fixtures, readJson, root } from "./support";

const opa = execFileSync(process.execPath, [join(root, "scripts", "tools.mjs"), "path", "opa"], { encoding: "utf8" }).trim();

const samples = readdirSync(fixtures("policies"), { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
  .map((entry) => join(entry.parentPath, entry.name))
  .sort();

type Comparable = { policy: string; urn: string; message: string; enforcement: string; waived: boolean };
const comparable = (findings: Array<{ policy: string; urn: string; message: string; enforcement: string; waiver: unknown }>): Comparable[] =>
  findings
    .map(({ policy, urn, message, enforcement, waiver }) => ({ policy, urn, message, enforcement, waived: waiver !== null }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("opa eval and the wasm engine agree", () => {
  it.each(samples.map((path) => [path.slice(fixtures("policies").length + 1), path]))("%s", (_name, path) => {
    const interpreted = JSON.parse(
      execFileSync(opa, ["eval", "--format", "json", "--data", policiesDir(), "--ignore", "pack", "--input", path, "data.policies.main.report"], { encoding: "utf8" }),
    ).result[0].expressions[0].value;
    const wasm = engine().evaluate(readJson<StewardInput>(path));
    expect(comparable(wasm.findings)).toEqual(comparable(interpreted.findings));
  });
});
