import type { ClientConfig } from "../core/client-config";
import { declaredBaseline } from "../core/declared";
import type { JsonValue, Resource, StewardInput } from "../core/document";
import { PolicyEngine, isBlocking, type Evaluation, type Finding } from "../core/engine";
import { StewardError, ExitCode } from "../core/errors";
import { notFullyEnforced, type NotFullyEnforced } from "../core/exceptions";
import { normalize } from "../core/normalize";
import { PULUMI_UNKNOWN, toDocumentValue } from "../core/values";
import { isIdOf, planBaseline, type BaselinePlan, type PlannedValue } from "./plan";

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
 * the same shape every other evaluation point produces.
 */
export function planResources(plan: BaselinePlan, identity: StackIdentity): Resource[] {
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

/** The normalized document of a client's planned baseline. */
export function baselineDocument(config: ClientConfig, plan: BaselinePlan, identity: StackIdentity, evaluatedAt: Date): StewardInput {
  return normalize({
    source: "baseline-plan",
    stack: { ...identity, client: config.client.id },
    evaluatedAt,
    resources: planResources(plan, identity),
    baseline: declaredBaseline(config),
    waivers: config.waivers,
    settings: config.policy,
  });
}

/** A baseline with blocking findings: nothing may be created. */
export class BaselineRefusedError extends StewardError {
  constructor(
    readonly client: string,
    readonly findings: Finding[],
  ) {
    super(formatRefusal(client, findings), ExitCode.BLOCKING_FINDINGS);
  }
}

export function formatFinding(finding: Finding): string {
  const remediation = finding.remediation.trim().replace(/\s*\n\s*/g, " ");
  return `[${finding.policy}] ${finding.message}\n      resource: ${finding.urn}\n      fix: ${remediation}`;
}

function formatRefusal(client: string, findings: Finding[]): string {
  return (
    `steward preflight refused client "${client}": ${findings.length} blocking finding(s); nothing was created.\n` +
    findings.map((finding) => `  - ${formatFinding(finding)}`).join("\n")
  );
}

export interface PreflightResult {
  plan: BaselinePlan;
  document: StewardInput;
  evaluation: Evaluation;
  /** The policies not fully enforced for the client (core/exceptions.ts). */
  notFullyEnforced: NotFullyEnforced[];
}

let sharedEngine: PolicyEngine | undefined;

/** Plans a client's baseline and judges it with every policy. */
export function judgeBaseline(config: ClientConfig, identity: StackIdentity, evaluatedAt: Date, engine?: PolicyEngine): PreflightResult {
  const plan = planBaseline(config);
  const document = baselineDocument(config, plan, identity, evaluatedAt);
  const judge = engine ?? (sharedEngine ??= PolicyEngine.loadSync());
  const evaluation = judge.evaluate(document);
  return { plan, document, evaluation, notFullyEnforced: notFullyEnforced(document, evaluation, judge.catalog) };
}

/** `judgeBaseline`, refusing (BaselineRefusedError, listing every blocking finding) a plan that fails. */
export function preflight(config: ClientConfig, identity: StackIdentity, evaluatedAt: Date, engine?: PolicyEngine): PreflightResult {
  const result = judgeBaseline(config, identity, evaluatedAt, engine);
  const blocking = result.evaluation.findings.filter(isBlocking);
  if (blocking.length > 0) throw new BaselineRefusedError(config.client.id, blocking);
  return result;
}
