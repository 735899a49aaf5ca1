// Builds `pulumi preview --json` digests in the exact structure of the recordings in
// fixtures/reference/pulumi-recordings (steps with op, urn, provider, oldState/newState,
// detailedDiff), from a client's plan: what the real CLI prints for these programs.
import type { ClientConfig } from "../../core/config";
import { PULUMI_UNKNOWN } from "../../core/values";
import { isIdOf, planBaseline, type PlannedValue } from "../../components/plan";
import { referencedNames, urnOf } from "../../components/preflight";

export interface State {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}
export interface Step {
  op: string;
  urn: string;
  provider?: string;
  oldState?: State;
  newState?: State;
  detailedDiff: Record<string, { kind: string; inputDiff: boolean }> | null;
  diffReasons?: string[];
}
export interface Digest {
  config: Record<string, string>;
  steps: Step[];
  duration: number;
  changeSummary: Record<string, number>;
}

const provider = (stack: string) => `urn:pulumi:${stack}::steward::pulumi:providers:azure-native::default_3_28_0::${PULUMI_UNKNOWN}`;

/** The states a client's baseline has: before its first deployment (ids unknown) or once deployed. */
export function baselineStates(config: ClientConfig, stack: string, deployed: boolean): State[] {
  const identity = { project: "steward", stack };
  const plan = planBaseline(config.client.id, config);
  const chains = new Map<string, string[]>();
  const stackUrn = urnOf(identity, ["pulumi:pulumi:Stack"], `steward-${stack}`);
  const states: State[] = [{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" }];
  const urns = new Map<string, string>();
  for (const component of plan.components) {
    const chain = [...(component.parent ? (chains.get(component.parent) ?? []) : []), component.type];
    chains.set(component.name, chain);
    const urn = urnOf(identity, chain, component.name);
    urns.set(component.name, urn);
    states.push({ urn, custom: false, type: component.type, parent: component.parent ? urns.get(component.parent) : stackUrn });
  }
  const ids = new Map(plan.resources.map((resource) => [resource.name, `/subscriptions/${config.client.scope.subscriptions[0]}/resourceGroups/${config.client.resourceGroup}/providers/${resource.type}/${resource.name}`]));
  const value = (planned: PlannedValue): unknown => {
    if (isIdOf(planned)) return deployed ? ids.get(planned.$idOf) : PULUMI_UNKNOWN;
    if (Array.isArray(planned)) return planned.map(value);
    if (planned && typeof planned === "object") return Object.fromEntries(Object.entries(planned).map(([key, item]) => [key, value(item)]));
    return planned;
  };
  for (const resource of plan.resources) {
    const urn = urnOf(identity, [...(chains.get(resource.parent) ?? []), resource.type], resource.name);
    urns.set(resource.name, urn);
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, planned] of Object.entries(resource.args)) {
      propertyDependencies[key] = referencedNames(planned).map((name) => urns.get(name) as string);
    }
    states.push({
      urn,
      custom: true,
      ...(deployed ? { id: ids.get(resource.name) } : {}),
      type: resource.type,
      inputs: value(resource.args) as Record<string, unknown>,
      ...(deployed ? { outputs: value(resource.args) as Record<string, unknown> } : {}),
      parent: urns.get(resource.parent),
      provider: provider(stack),
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
    });
  }
  return states;
}

/** A state as a preview's new state prints it: the CLI leaves out `id` and `outputs` (see the recordings). */
function planned(state: State): State {
  const { id, outputs, ...rest } = state;
  return rest;
}

/** A digest from the states before and after: creates, updates, sames and deletes, as the CLI orders them. */
export function digest(before: State[], after: State[]): Digest {
  const old = new Map(before.map((state) => [state.urn, state]));
  const steps: Step[] = [];
  for (const state of after) {
    const previous = old.get(state.urn);
    const changed = previous !== undefined && JSON.stringify(previous.inputs) !== JSON.stringify(state.inputs);
    const op = previous === undefined ? "create" : changed ? "update" : "same";
    steps.push({
      op,
      urn: state.urn,
      ...(state.provider ? { provider: state.provider } : {}),
      ...(previous ? { oldState: previous } : {}),
      newState: planned(state),
      detailedDiff: changed ? { settings: { kind: "update", inputDiff: true } } : null,
      ...(changed ? { diffReasons: ["settings"] } : {}),
    });
  }
  const remaining = new Set(after.map((state) => state.urn));
  for (const state of [...before].reverse()) {
    if (!remaining.has(state.urn)) steps.push({ op: "delete", urn: state.urn, ...(state.provider ? { provider: state.provider } : {}), oldState: state, detailedDiff: null });
  }
  const changeSummary: Record<string, number> = {};
  for (const step of steps) changeSummary[step.op] = (changeSummary[step.op] ?? 0) + 1;
  return { config: { "azure-native:location": "westeurope" }, steps, duration: 4_213_000_000, changeSummary };
}

/**
 * `pulumi refresh --preview-only --json`: Pulumi's recorded state as oldState, what the cloud
 * has now as newState (outputs); drifted resources show as update, vanished ones as delete,
 * unchanged ones as refresh.
 */
export function refreshDigest(recorded: State[], actual: State[]): Digest {
  const now = new Map(actual.map((state) => [state.urn, state]));
  const steps: Step[] = recorded.map((state) => {
    const current = now.get(state.urn);
    if (!current) return { op: "delete", urn: state.urn, oldState: state, detailedDiff: null };
    const changed = JSON.stringify(current.outputs) !== JSON.stringify(state.outputs);
    return {
      op: changed ? "update" : "refresh",
      urn: state.urn,
      ...(state.provider ? { provider: state.provider } : {}),
      oldState: state,
      newState: current,
      detailedDiff: changed ? { properties: { kind: "update", inputDiff: false } } : null,
      ...(changed ? { diffReasons: ["properties"] } : {}),
    };
  });
  const changeSummary: Record<string, number> = {};
  for (const step of steps) changeSummary[step.op] = (changeSummary[step.op] ?? 0) + 1;
  return { config: {}, steps, duration: 2_100_000_000, changeSummary };
}

/** `pulumi stack export`: the deployed states, with Pulumi's manifest around them. */
export function stackExport(states: State[]) {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-27T11:58:03.117Z", magic: "e1a3f2b7c4d5968e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:Zm9vYmFyYmF6:v1:cXV4cXV1eA==:c2VjcmV0" } },
      resources: states,
    },
  };
}
