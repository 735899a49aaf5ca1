import type { DeclaredBaseline, JsonValue, Resource, StewardInput, Waiver } from "../../core/document";
import { normalize } from "../../core/normalize";
import type { SettingsOverrides } from "../../core/settings";
import { PULUMI_UNKNOWN, toDocumentValue } from "../../core/values";
import { isIdOf, type Plan, type PlannedValue } from "../plan";

export interface StackIdentity {
  project: string;
  stack: string;
}

/** The URN Pulumi gives a resource: the parent's type chain, then its own type and name. */
export function urnOf(identity: StackIdentity, typeChain: string[], name: string): string {
  return `urn:pulumi:${identity.stack}::${identity.project}::${typeChain.join("$")}::${name}`;
}

/** A planned value as a preview would show it: ids of resources not yet created are unknown. */
function asPreviewed(value: PlannedValue): unknown {
  if (isIdOf(value)) return PULUMI_UNKNOWN;
  if (Array.isArray(value)) return value.map(asPreviewed);
  if (value && typeof value === "object") {
    const previewed: Record<string, unknown> = {};
    for (const key of Object.keys(value)) previewed[key] = asPreviewed(value[key] as PlannedValue);
    return previewed;
  }
  return value;
}

export function referencedNames(value: PlannedValue, found: string[] = []): string[] {
  if (isIdOf(value)) found.push(value.$idOf);
  else if (Array.isArray(value)) value.forEach((item) => referencedNames(item, found));
  else if (value && typeof value === "object") Object.values(value).forEach((item) => referencedNames(item, found));
  return found;
}

/**
 * The plan as the resources a first `pulumi preview` would show: URNs from the component tree,
 * unknown ids, and `propertyDependencies` that tie each unknown to the resource it comes from —
 * the same shape every other evaluation point produces. A component the plan places under no
 * other is taken to be registered at the stack's root (as the program registers ClientBaseline).
 */
export function planResources(plan: Plan, identity: StackIdentity): Resource[] {
  const chains = new Map<string, { chain: string[]; urn: string }>();
  for (const component of plan.components) {
    const parentChain = component.parent ? (chains.get(component.parent)?.chain ?? []) : [];
    const chain = [...parentChain, component.type];
    chains.set(component.name, { chain, urn: urnOf(identity, chain, component.name) });
  }
  const urns = new Map<string, string>();
  for (const resource of plan.resources) {
    const parent = chains.get(resource.parent);
    urns.set(resource.name, urnOf(identity, [...(parent?.chain ?? []), resource.type], resource.name));
  }
  return plan.resources.map((resource) => {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(resource.args)) {
      propertyDependencies[key] = referencedNames(value).map((name) => urns.get(name) ?? name);
    }
    return {
      urn: urns.get(resource.name) as string,
      type: resource.type,
      name: resource.name,
      id: null,
      parent: chains.get(resource.parent)?.urn ?? null,
      provider: null,
      properties: toDocumentValue(asPreviewed(resource.args)) as Record<string, JsonValue>,
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
    };
  });
}

/** What a plan is judged against besides its resources. */
export interface PlanContext {
  identity: StackIdentity;
  evaluatedAt: Date;
  /** The client's id. */
  client: string;
  /** What the client declares of the part planned (its endpoints, rings, responsibilities and
   *  contacts), or null for a part judged as the resources it deploys alone. */
  baseline: DeclaredBaseline | null;
  waivers: Waiver[];
  settings: SettingsOverrides;
}

/** The normalized document of a plan. */
export function planDocument(plan: Plan, context: PlanContext): StewardInput {
  return normalize({
    source: "baseline-plan",
    stack: { ...context.identity, client: context.client },
    evaluatedAt: context.evaluatedAt,
    resources: planResources(plan, context.identity),
    baseline: context.baseline,
    waivers: context.waivers,
    settings: context.settings,
  });
}
