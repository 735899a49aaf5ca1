import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BuildOutputError, ExitCode } from "../core/errors";
import { comparable, digestOf, fleetOverview, type ClientComplianceReport } from "../core/compliance";
import { CLIENT_CONFIG, FLEET_OVERVIEW, STEWARD_INPUT, VALIDATORS, loadValidator, schemaHash, validatorsDir, type ValidatorSpec } from "../core/validators";
import { fixtures, readJson, root } from "./support";

const scratch = mkdtempSync(join(tmpdir(), "steward-validators-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What loading throws, checked to be a BuildOutputError that ends with exit 3. */
function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(BuildOutputError);
    expect((error as BuildOutputError).exitCode).toBe(ExitCode.INTERNAL);
    return (error as Error).message;
  }
  throw new Error("expected the validator to be refused");
}

/** The refusal of a stale validator: generated from another schema or options than `spec`'s. */
const stale = (file: string, spec: ValidatorSpec, built: string) =>
  `The precompiled schema validator ${file} is stale: it was generated from another version of core/schema/${spec.name}.schema.json ` +
  `or with other options (validator ${built}, schema ${schemaHash(spec).slice(0, 12)}).\n  Rebuild it with \`npm run build\`.`;

/** A folder holding a copy of the built validators. */
function copyOfBuilt(name: string): string {
  const dir = join(scratch, name);
  cpSync(validatorsDir(), dir, { recursive: true });
  return dir;
}

describe("loading a precompiled validator", () => {
  it("refuses a missing validator, naming the file and how to rebuild", () => {
    const dir = join(scratch, "nowhere");
    expect(refusal(() => loadValidator(STEWARD_INPUT, dir))).toBe(
      `The precompiled schema validator ${join(dir, "steward-input.js")} is missing (it is generated from core/schema/steward-input.schema.json).\n` +
        "  Rebuild it with `npm run build`.",
    );
  });

  it("refuses a validator generated from another version of the schema", () => {
    const edited = { ...STEWARD_INPUT, schema: { ...STEWARD_INPUT.schema, description: "edited after the build" } };
    expect(refusal(() => loadValidator(edited))).toBe(stale(join(validatorsDir(), "steward-input.js"), edited, schemaHash(STEWARD_INPUT).slice(0, 12)));
  });

  it("refuses a validator generated with other options", () => {
    const quieter = { ...CLIENT_CONFIG, options: { ...CLIENT_CONFIG.options, verbose: false } };
    expect(refusal(() => loadValidator(quieter))).toBe(stale(join(validatorsDir(), "client-config.js"), quieter, schemaHash(CLIENT_CONFIG).slice(0, 12)));
  });

  it("refuses a module that records no schema hash, even one that would accept everything", () => {
    const dir = copyOfBuilt("unhashed");
    writeFileSync(join(dir, "steward-input.js"), '"use strict";module.exports = () => true;\n');
    expect(refusal(() => loadValidator(STEWARD_INPUT, dir))).toBe(stale(join(dir, "steward-input.js"), STEWARD_INPUT, "none"));
  });

  it("refuses a module that does not load", () => {
    const dir = copyOfBuilt("broken");
    writeFileSync(join(dir, "client-config.js"), "module.exports = (;\n");
    expect(refusal(() => loadValidator(CLIENT_CONFIG, dir))).toBe(
      `The precompiled schema validator ${join(dir, "client-config.js")} could not be loaded: Unexpected token ';'.\n  Rebuild it with \`npm run build\`.`,
    );
  });

  it("loads what the build generated: the hash it records is the schema's", () => {
    for (const spec of VALIDATORS) {
      const text = readFileSync(join(validatorsDir(), `${spec.name}.js`), "utf8");
      expect(text).toContain(`module.exports.schemaHash = "${schemaHash(spec)}";`);
      expect(loadValidator(spec)).toBeTypeOf("function");
    }
  });

  it("generated code needs only ajv's runtime helpers (ajv is a runtime dependency)", () => {
    const required = Object.fromEntries(
      readdirSync(validatorsDir()).map((file) => [file, [...readFileSync(join(validatorsDir(), file), "utf8").matchAll(/require\("([^)]*)"\)/g)].map((match) => match[1])]),
    );
    expect(required).toEqual({
      "client-config.js": ["ajv/dist/runtime/ucs2length", "ajv/dist/runtime/equal"],
      "compliance-report.js": [],
      "fleet-overview.js": [],
      "steward-input.js": ["ajv/dist/runtime/ucs2length"],
    });
    // The runtime dependency is the ajv the validators were generated with.
    const manifest = readJson<{ dependencies: Record<string, string> }>(join(root, "package.json"));
    expect(manifest.dependencies.ajv).toBe(readJson<{ version: string }>(join(root, "node_modules", "ajv", "package.json")).version);
  });
});

// ---------------------------------------------------------------------------------------------
// The precompiled validators judge exactly like ajv compiling the schema at run time.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const clone = <T>(value: T): T => structuredClone(value);

/** The document with the value at `path` replaced (`undefined`: removed). */
function replaced(document: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = clone(document);
  let parent = copy as Record<string | number, Json>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else Reflect.deleteProperty(parent, last);
  } else parent[last] = value;
  return copy;
}

/** Documents that break a schema in as many ways as possible, one change at a time: every value
 *  removed and replaced by values of every type, every mapping given an unknown key, every list
 *  emptied and given a repeated item, every text emptied and changed. */
function* variants(document: Json): Generator<Json> {
  const walk = function* (value: Json, path: (string | number)[]): Generator<Json> {
    if (path.length > 0) {
      yield replaced(document, path, undefined);
      // The emoji is two UTF-16 units and one character: lengths are counted by ajv's ucs2length.
      for (const other of [null, true, 0, -1, 1.5, 100000, "", "not-what-was-expected", [], {}, "\u{1F600}"] as Json[]) yield replaced(document, path, other);
    }
    if (typeof value === "string") yield replaced(document, path, `${value} `);
    if (Array.isArray(value)) {
      if (value.length > 0) yield replaced(document, path, [...value, clone(value[0] as Json)]);
      // Every item of short lists, the first two of long ones.
      for (const [index, item] of value.slice(0, value.length > 4 ? 2 : value.length).entries()) yield* walk(item, [...path, index]);
    } else if (value !== null && typeof value === "object") {
      yield replaced(document, path, { ...value, unexpectedKey: "x" });
      for (const [key, item] of Object.entries(value)) yield* walk(item, [...path, key]);
    }
  };
  yield document;
  yield* walk(document, []);
}

function expectSameJudgement(spec: ValidatorSpec, documents: Iterable<Json>): number {
  const precompiled = loadValidator(spec);
  const runtime = new Ajv2020(spec.options).compile(spec.schema);
  let count = 0;
  let refused = 0;
  for (const document of documents) {
    const valid = precompiled(document);
    expect(valid).toBe(runtime(document));
    expect(precompiled.errors).toEqual(runtime.errors);
    count += 1;
    if (!valid) refused += 1;
  }
  expect(refused).toBeGreaterThan(count / 2);
  return count;
}

describe("precompiled and run-time compiled validators agree", () => {
  it("steward input: the same verdict and errors on the compliant sample and its variants", () => {
    const count = expectSameJudgement(STEWARD_INPUT, variants(readJson<Json>(fixtures("policies", "compliant-base.json"))));
    expect(count).toBeGreaterThan(2000);
  });

  it("client configuration: the same verdict and verbose errors on every stack file and its variants", () => {
    const files = [
      ...readdirSync(join(root, "stacks")).map((name) => join(root, "stacks", name)),
      ...readdirSync(fixtures("stacks")).map((name) => fixtures("stacks", name)),
    ];
    const documents = files.flatMap((file) => [...variants(parse(readFileSync(file, "utf8")) as Json)]);
    expect(expectSameJudgement(CLIENT_CONFIG, documents)).toBeGreaterThan(2000);
  });

  it("fleet overview: the same verdict and errors on the example reports' overview, with a trend and a problem, and its variants", () => {
    // Its verdicts, counts and trend are $refs into the compliance report's schema: resolved the same at build and at run time.
    const reports = readdirSync(fixtures("reports"))
      .filter((name) => name.endsWith(".json"))
      .map((name) => readJson<ClientComplianceReport>(fixtures("reports", name)));
    const previous = new Map(reports.map((report) => [report.client.id, { ...comparable(report), status: "yes" as const }]));
    const overview = fleetOverview(reports.map(digestOf), [{ stack: "ducks", problem: "invalid stack file" }], { generatedAt: "2026-11-30T12:00:00Z", date: "2026-11-30", previous });
    expect(expectSameJudgement(FLEET_OVERVIEW, variants(overview as unknown as Json))).toBeGreaterThan(1000);
  });
});
