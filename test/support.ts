import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StewardInput } from "../core/document";
import { PolicyEngine } from "../core/engine";
import { packageRoot } from "../core/policy-sources";

export const root = packageRoot();
export const fixtures = (...parts: string[]) => join(root, "fixtures", ...parts);

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** The real wasm bundle (build/policy), loaded once per test file. */
let shared: PolicyEngine | undefined;
export function engine(): PolicyEngine {
  shared ??= PolicyEngine.loadSync();
  return shared;
}

/** A fresh copy of the compliant sample client: one Windows VM in the stack, one Linux Arc machine referenced. */
export function compliantDocument(): StewardInput {
  return readJson<StewardInput>(fixtures("policies", "compliant-base.json"));
}

/** The findings as `policy urn: message` lines, sorted: exact, readable assertions. */
export function findingLines(document: StewardInput): string[] {
  return engine()
    .evaluate(document)
    .findings.map((finding) => `${finding.policy} ${finding.urn}: ${finding.message}`)
    .sort();
}
