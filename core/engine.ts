import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as OpaWasm from "@open-policy-agent/opa-wasm";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { Enforcement, Severity, StewardInput, Waiver } from "./document";
import { EvaluationError, InputError, PolicyBundleError, asError } from "./errors";
import { bundleDir, policiesDir, policySourceHash } from "./policy-sources";
import { assertValidDocument } from "./validate";

// Always the CommonJS build: the SDK's ES module entry does not export loadPolicySync, which
// synchronous component constructors need.
const { loadPolicy, loadPolicySync } = createRequire(__filename)("@open-policy-agent/opa-wasm") as typeof OpaWasm;

const REPORT_ENTRYPOINT = "policies/main/report";
const CATALOG_ENTRYPOINT = "policies/main/catalog";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const WASM_PAGE_BYTES = 65_536;
const WASM_MAX_PAGES = 65_536;
/**
 * Wasm memory reserved per byte of serialized input, a little over what an evaluation was measured
 * to need, so that an evaluation never grows memory: OPA's wasm allocator grows it in small steps,
 * each costing more as the heap grows, which makes a large document's first evaluation slow (see
 * BENCHMARKS.md, "Before the bench"). Memory grown from outside does not help: the allocator only
 * uses what it grew itself.
 */
const MEMORY_PER_INPUT_BYTE = 16;
const MINIMUM_PAGES = 80;
const MEMORY_HEADROOM = 1.5;

/** A policy as its METADATA describes it. */
export interface PolicyDescriptor {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** The default enforcement; a client may override it. */
  enforcement: Exclude<Enforcement, "disabled">;
  remediation: string;
  references: string[];
}

export interface Finding {
  policy: string;
  title: string;
  severity: Severity;
  /** Effective enforcement for this client (overrides applied; disabled policies report nothing). */
  enforcement: Exclude<Enforcement, "disabled">;
  urn: string;
  type: string;
  message: string;
  remediation: string;
  references: string[];
  /** The valid waiver that covers this finding, or null. */
  waiver: Waiver | null;
}

/**
 * A finding as the report entrypoint returns it: only what varies per finding. The policy's title,
 * severity, remediation and references are in the catalog; copying them into every finding inside
 * wasm made each finding several times larger to hash, store and serialize.
 */
export interface PolicyFinding {
  policy: string;
  enforcement: Exclude<Enforcement, "disabled">;
  urn: string;
  type: string;
  message: string;
  waiver: Waiver | null;
}

/** A finding that fails a gate and refuses a plan: mandatory, and no valid waiver covers it. */
export const isBlocking = (finding: Pick<Finding, "enforcement" | "waiver">): boolean => finding.enforcement === "mandatory" && finding.waiver === null;

export interface EvaluationSummary {
  /** Mandatory findings no valid waiver covers: these fail a gate. */
  blocking: number;
  /** Advisory findings no valid waiver covers. */
  advisory: number;
  /** Findings covered by a valid waiver. */
  waived: number;
}

/**
 * What the client's overrides and waivers do, as the policies applied them (policies/main
 * `exceptions`): the one judgement of which are valid, for every report to show.
 */
export interface AppliedExceptions {
  /** Every policy's effective enforcement, by id: a lowering override only when it is justified. */
  enforcement: Record<string, Enforcement>;
  /** Indexes in the document's `waivers` of the valid waivers, in order. */
  validWaivers: number[];
  /** Per disabled policy: the findings it would report (what disabling it hides). */
  disabledFindings: Record<string, number>;
}

export interface Evaluation {
  findings: Finding[];
  summary: EvaluationSummary;
  exceptions: AppliedExceptions;
}

export interface BundleLocation {
  /** Folder holding policy.wasm and manifest.json (default: build/policy). */
  bundleDir?: string;
  /** Rego sources the bundle must have been built from (default: policies/). */
  policiesDir?: string;
}

interface BundleManifest {
  sourceHash: string;
  entrypoints: string[];
}

/** Reads the bundle and refuses it when it is missing or was built from other Rego sources. */
function readBundle(location: BundleLocation): Buffer {
  const dir = location.bundleDir ?? bundleDir();
  const sources = location.policiesDir ?? policiesDir();
  const wasmPath = join(dir, "policy.wasm");
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(wasmPath) || !existsSync(manifestPath)) {
    throw new PolicyBundleError(`The policy bundle is missing (${wasmPath}).`);
  }
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BundleManifest;
  } catch (error) {
    throw new PolicyBundleError(`The policy bundle manifest ${manifestPath} is unreadable: ${asError(error).message}.`, {
      cause: error,
    });
  }
  if (!existsSync(sources)) throw new PolicyBundleError(`The policy sources ${sources} are missing; cannot verify the bundle.`);
  const current = policySourceHash(sources);
  if (manifest.sourceHash !== current) {
    throw new PolicyBundleError(
      `The policy bundle ${wasmPath} is stale: it was built from other Rego sources than those in ${sources} ` +
        `(bundle ${String(manifest.sourceHash).slice(0, 12)}, sources ${current.slice(0, 12)}).`,
    );
  }
  for (const entrypoint of [REPORT_ENTRYPOINT, CATALOG_ENTRYPOINT]) {
    if (!manifest.entrypoints?.includes(entrypoint)) {
      throw new PolicyBundleError(`The policy bundle ${wasmPath} has no entrypoint ${entrypoint}.`);
    }
  }
  return readFileSync(wasmPath);
}

/**
 * The one policy engine: the Rego library compiled to wasm, evaluated once per document.
 * Load it with `PolicyEngine.loadSync()` (component constructors are synchronous; the CLI too: in
 * a fresh process the synchronous compile is the faster, see BENCHMARKS.md, second round) or `load()`.
 */
export class PolicyEngine {
  /** Every policy, by id. */
  readonly catalog: Readonly<Record<string, PolicyDescriptor>>;
  private policy: LoadedPolicy;
  private capacityPages: number;

  private constructor(
    private readonly module: WebAssembly.Module,
    policy: LoadedPolicy,
  ) {
    this.policy = policy;
    this.capacityPages = MINIMUM_PAGES;
    this.catalog = Object.freeze(this.run(CATALOG_ENTRYPOINT, {}) as Record<string, PolicyDescriptor>);
    if (Object.keys(this.catalog).length === 0) throw new PolicyBundleError("The policy bundle contains no policies.");
  }

  static loadSync(location: BundleLocation = {}): PolicyEngine {
    const wasm = readBundle(location);
    try {
      const module = new WebAssembly.Module(wasm);
      return new PolicyEngine(module, loadPolicySync(module, { initial: MINIMUM_PAGES }));
    } catch (error) {
      throw wrapLoadError(error);
    }
  }

  static async load(location: BundleLocation = {}): Promise<PolicyEngine> {
    const wasm = readBundle(location);
    try {
      const module = await WebAssembly.compile(wasm);
      return new PolicyEngine(module, await loadPolicy(module, { initial: MINIMUM_PAGES }));
    } catch (error) {
      throw wrapLoadError(error);
    }
  }

  /** Evaluates every policy on one normalized document; `origin` names it in input errors. */
  evaluate(input: StewardInput, origin = "normalized document"): Evaluation {
    this.checkInput(input, origin);
    // The SDK takes an ArrayBuffer as already-serialized JSON, so the document is encoded once,
    // into a buffer of exactly its size (no copy to hand over).
    const encoded = new TextEncoder().encode(policyInputText(input)).buffer;
    this.reserveMemory(encoded.byteLength);
    const report = this.run(REPORT_ENTRYPOINT, encoded) as {
      findings?: unknown;
      exceptions?: Partial<AppliedExceptions>;
    };
    if (!report || !Array.isArray(report.findings)) {
      throw new EvaluationError(`Entrypoint ${REPORT_ENTRYPOINT} returned no findings list; the bundle does not match this engine.`);
    }
    const exceptions = report.exceptions;
    if (!exceptions || typeof exceptions.enforcement !== "object" || !Array.isArray(exceptions.validWaivers) || typeof exceptions.disabledFindings !== "object") {
      throw new EvaluationError(`Entrypoint ${REPORT_ENTRYPOINT} returned no exceptions; the bundle does not match this engine.`);
    }
    const findings = (report.findings as PolicyFinding[]).map((finding) => completeFinding(finding, this.catalog)).sort(byPolicyUrnMessage);
    return { findings, summary: summarize(findings), exceptions: exceptions as AppliedExceptions };
  }

  /**
   * The document against its schema, all but its `resources`: no policy reads them (they are not
   * sent to wasm), and whoever builds them checks them — every Pulumi state is checked as it is
   * read (core/sources/pulumi.ts), and `steward evaluate` validates a whole document it is given.
   * Settings that name a policy the library does not have are an input error, not a silent no-op.
   */
  private checkInput(input: StewardInput, origin: string): void {
    assertValidDocument({ ...input, resources: [] }, origin);
    for (const policy of Object.keys(input.settings.enforcement)) {
      if (!(policy in this.catalog)) {
        const known = Object.keys(this.catalog).sort().join(", ");
        throw new InputError(`Enforcement override names unknown policy "${policy}" (known: ${known}).`);
      }
    }
    if (!RFC3339.test(input.evaluatedAt) || Number.isNaN(Date.parse(input.evaluatedAt))) {
      throw new InputError(`evaluatedAt "${input.evaluatedAt}" is not an RFC 3339 time (e.g. 2026-11-27T12:00:00Z).`);
    }
  }

  /** Re-instantiates the compiled module with enough initial memory for a larger document. */
  private reserveMemory(inputBytes: number): void {
    const needed = Math.ceil((inputBytes * MEMORY_PER_INPUT_BYTE) / WASM_PAGE_BYTES);
    if (needed <= this.capacityPages) return;
    // Headroom, so that the next document of about this size (a gate's before-state after its
    // after-state) reuses this instance: each new one holds its own memory until it is collected.
    // Pages never written cost address space, not memory.
    const wanted = Math.min(WASM_MAX_PAGES, Math.ceil(needed * MEMORY_HEADROOM));
    try {
      this.policy = loadPolicySync(this.module, { initial: wanted });
    } catch (error) {
      throw new EvaluationError(`Cannot reserve ${wanted * 64} KiB of wasm memory for a ${inputBytes}-byte document: ${asError(error).message}`, {
        cause: error,
      });
    }
    this.capacityPages = wanted;
  }

  private run(entrypoint: string, input: unknown): unknown {
    let resultSet: unknown;
    try {
      resultSet = this.policy.evaluate(input, entrypoint);
    } catch (error) {
      throw new EvaluationError(`Policy evaluation failed at ${entrypoint}: ${asError(error).message}`, { cause: error });
    }
    if (!Array.isArray(resultSet) || resultSet.length !== 1 || typeof resultSet[0] !== "object" || resultSet[0] === null) {
      throw new EvaluationError(`Entrypoint ${entrypoint} returned no result (undefined); an input field it needs is missing.`);
    }
    return (resultSet[0] as { result: unknown }).result;
  }
}

function wrapLoadError(error: unknown): PolicyBundleError {
  return new PolicyBundleError(`The policy bundle could not be loaded: ${asError(error).message}.`, { cause: error });
}

/** What the policies are given: the normalized document less what no policy reads. */
export type PolicyInput = Omit<StewardInput, "resources" | "rings"> & { rings: Array<Omit<StewardInput["rings"][number], "endpoints">> };

/**
 * What the policies are given: the normalized document without `resources`, and rings without
 * their member lists. Every policy reads the joined facts (endpoints, extensions, rings,
 * notifications, managedResources), never the raw resources, which are most of a document's size
 * and so most of the cost of serializing it and of parsing it inside wasm; a ring's members are
 * the endpoints' ring assignments, which the policies read there (test/engine.test.ts fails when
 * a policy starts reading either). The whole document is still what is validated and what
 * `steward evaluate` reads.
 */
export function policyInput(input: StewardInput): PolicyInput {
  const { resources, rings, ...rest } = input;
  return { ...rest, rings: rings.map(({ endpoints, ...ring }) => ring) };
}

export const policyInputText = (input: StewardInput): string => JSON.stringify(policyInput(input));

/** A finding of the report entrypoint with its policy's descriptor from the catalog. */
export function completeFinding(finding: PolicyFinding, catalog: Readonly<Record<string, PolicyDescriptor>>): Finding {
  const descriptor = Object.hasOwn(catalog, finding.policy) ? catalog[finding.policy] : undefined;
  if (!descriptor) {
    throw new EvaluationError(
      `Entrypoint ${REPORT_ENTRYPOINT} returned a finding of policy "${finding.policy}", which the catalog does not list; the bundle does not match this engine.`,
    );
  }
  const { policy, enforcement, urn, type, message, waiver } = finding;
  const { title, severity, remediation, references } = descriptor;
  return { policy, title, severity, enforcement, urn, type, message, remediation, references: [...references], waiver };
}

/**
 * The order of findings in every report: by policy id, then urn, then message (UTF-16 code
 * units, as JavaScript compares strings). wasm returns them in an order that follows its own
 * hashing, which changes whenever a finding's content or a policy's rules do.
 */
export function byPolicyUrnMessage(a: Finding, b: Finding): number {
  for (const key of ["policy", "urn", "message"] as const) {
    if (a[key] < b[key]) return -1;
    if (a[key] > b[key]) return 1;
  }
  return 0;
}

export function summarize(findings: readonly Finding[]): EvaluationSummary {
  const summary: EvaluationSummary = { blocking: 0, advisory: 0, waived: 0 };
  for (const finding of findings) {
    if (finding.waiver) summary.waived += 1;
    else if (isBlocking(finding)) summary.blocking += 1;
    else summary.advisory += 1;
  }
  return summary;
}
