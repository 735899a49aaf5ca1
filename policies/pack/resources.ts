/**
 * A stack as CrossGuard hands it to a stack policy, read into steward's `Resource[]`: the same
 * shape `steward gate` reads from `pulumi preview --json`, so normalize() joins it the same way.
 *
 * A stack policy sees each resource's outputs only (StackValidationArgs: "the outputs of the
 * resource"): for a resource the preview leaves unchanged, what azure-native reported, which has
 * no path parameters (no `vmName`, `machineName`, `resourceGroupName`, `resourceUri`...) and so
 * nothing to join an extension, assignment or rule association to its machine by; no `id` either.
 * The engine shows a resource policy every resource's inputs first (Analyze, before each step), so
 * the pack records them (StackInputs) and each resource is read as the gate reads a preview's
 * step: planned inputs over last-known outputs.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { JsonValue, Resource } from "../../core/document";
import { InputError } from "../../core/errors";
import { MAX_PROPERTY_DEPTH, NestingTooDeepError, PULUMI_UNKNOWN, toDocumentValue, UNKNOWN } from "../../core/values";
import { UNKNOWN_SENTINELS, proxyTarget } from "./sdk";


/** Every resource's inputs as the engine last showed them to the pack, by URN. */
export class StackInputs {
  private readonly byUrn = new Map<string, Record<string, unknown>>();
  /** Changes with every recording. */
  generation = 0;

  /** Records a resource's inputs (a resource policy's `props`). */
  record(urn: string, props: unknown): void {
    const inputs = proxyTarget(props);
    this.byUrn.set(urn, typeof inputs === "object" && inputs !== null && !Array.isArray(inputs) ? (inputs as Record<string, unknown>) : {});
    this.generation += 1;
  }

  get(urn: string): Record<string, unknown> | undefined {
    return this.byUrn.get(urn);
  }

  get size(): number {
    return this.byUrn.size;
  }
}

/** A property value with the SDK's unknown sentinels (one per type) read as the engine's one. */
function withEngineUnknowns(value: unknown, depth: number): unknown {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? PULUMI_UNKNOWN : value;
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_PROPERTY_DEPTH) throw new NestingTooDeepError("value nested too deep");
  if (Array.isArray(value)) return value.map((item) => withEngineUnknowns(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const converted = withEngineUnknowns((value as Record<string, unknown>)[key], depth + 1);
    if (key === "__proto__") Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
    else out[key] = converted;
  }
  return out;
}

const urnsOf = (resources: readonly PolicyResource[] | undefined): string[] => (resources ?? []).map((resource) => resource.urn);

/** One resource in document form: recorded inputs over its outputs. */
export function toResource(resource: PolicyResource, inputs: Record<string, unknown> | undefined): Resource {
  const outputs = proxyTarget(resource.props);
  const outputBag = typeof outputs === "object" && outputs !== null && !Array.isArray(outputs) ? (outputs as Record<string, unknown>) : {};
  let properties: Record<string, JsonValue>;
  try {
    properties = toDocumentValue(withEngineUnknowns({ ...outputBag, ...(inputs ?? {}) }, 1), MAX_PROPERTY_DEPTH) as Record<string, JsonValue>;
  } catch (error) {
    if (error instanceof NestingTooDeepError) throw new InputError(`${resource.urn}: property values nest more than ${MAX_PROPERTY_DEPTH} levels deep`);
    throw error;
  }
  const id = outputBag.id;
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.urn.slice(resource.urn.lastIndexOf("::") + 2),
    id: typeof id === "string" && id !== "" ? (UNKNOWN_SENTINELS.has(id) ? UNKNOWN : id) : null,
    parent: resource.parent?.urn ?? null,
    provider: resource.provider?.urn ?? null,
    properties,
    dependencies: urnsOf(resource.dependencies),
    propertyDependencies: Object.fromEntries(Object.entries(resource.propertyDependencies ?? {}).map(([property, resources]) => [property, urnsOf(resources)])),
  };
}

/** The stack's resources in document form. */
export function stackResources(resources: readonly PolicyResource[], inputs: StackInputs): Resource[] {
  return resources.map((resource) => toResource(resource, inputs.get(resource.urn)));
}
