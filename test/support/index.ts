import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonValue, Resource, StewardInput } from "../../core/document";
import { PolicyEngine } from "../../core/engine";
import { InputError } from "../../core/errors";
import { packageRoot } from "../../core/paths";
import { toDocumentValue } from "../../core/values";

export const root = packageRoot();
export const fixtures = (...parts: string[]) => join(root, "fixtures", ...parts);

/** The environment of a steward run in which making `stack`'s compliance report fails as a bug
 *  would (test/support/failing-report.ts, preloaded from its build). */
export const failingReport = (stack: string): NodeJS.ProcessEnv => ({
  NODE_OPTIONS: `--require ${JSON.stringify(join(root, "dist", "test", "support", "failing-report.js"))}`,
  STEWARD_TEST_FAILING_STACK: stack,
});

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

/** The compliant client with every machine visible to the stack, so it has no finding at all
 *  (its referenced Arc machine otherwise carries the advisory patch-orchestration-unverified). */
export function findinglessDocument(): StewardInput {
  return readJson<StewardInput>(fixtures("policies", "patch_orchestration_unverified", "allowed", "every-machine-visible.json"));
}

/** The finding-free client with its Windows VM's antivirus removed: one blocking finding. */
export function withoutVmAntivirus(): StewardInput {
  const document = findinglessDocument();
  const vm = document.endpoints[0];
  if (!vm) throw new Error("fixture has no endpoints");
  vm.antivirus = [];
  return document;
}

/** The findings as `policy urn: message` lines, sorted: exact, readable assertions. */
export function findingLines(document: StewardInput): string[] {
  return engine()
    .evaluate(document)
    .findings.map((finding) => `${finding.policy} ${finding.urn}: ${finding.message}`)
    .sort();
}

/**
 * The finding-free client scaled to `count` endpoints (alternating its Windows VM and Linux Arc
 * machine, each with its own extensions, rule association and ring assignment).
 */
export function scaledDocument(count: number): StewardInput {
  const base = findinglessDocument();
  const document = findinglessDocument();
  document.endpoints = [];
  document.extensions = [];
  for (const ring of document.rings) ring.endpoints = [];
  for (let i = 0; i < count; i++) {
    const source = base.endpoints[i % base.endpoints.length];
    if (!source) throw new Error("the compliant document has no endpoints");
    const suffix = `-${i}`;
    const endpoint: typeof source = structuredClone(source);
    endpoint.urn += suffix;
    endpoint.name += suffix;
    for (const attached of [...endpoint.antivirus, ...endpoint.monitoringAgents, ...endpoint.dataCollectionRuleAssociations, ...endpoint.ringAssignments]) {
      attached.urn += suffix;
    }
    document.endpoints.push(endpoint);
    for (const extension of base.extensions.filter((candidate) => candidate.endpoint === source.urn)) {
      document.extensions.push({ ...structuredClone(extension), urn: extension.urn + suffix, endpoint: endpoint.urn });
    }
    const ring = document.rings.find((candidate) => candidate.urn === endpoint.ringAssignments[0]?.ring);
    ring?.endpoints.push(endpoint.urn);
  }
  return document;
}

/** A resource as an adapter hands it to the normalizer: properties as Pulumi prints them. */
export function stackResource(type: string, name: string, properties: Record<string, unknown>, extra: Partial<Resource> = {}): Resource {
  return {
    urn: `urn:pulumi:acme::steward::${type}::${name}`,
    type,
    name,
    id: null,
    parent: null,
    provider: null,
    properties: toDocumentValue(properties) as Record<string, JsonValue>,
    dependencies: [],
    propertyDependencies: {},
    ...extra,
  };
}

/** The message of the InputError `run` throws (exit 2); anything else fails the test. */
export function inputError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error("expected an InputError");
}
