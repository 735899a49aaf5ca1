import type { Endpoint, ExtensionFact, StewardInput } from "./document";
import type { Finding, PolicyEngine } from "./engine";
import { byPolicyUrnMessage, policyInput } from "./engine";
import { sameJson } from "./values";

/**
 * The gate judges the state before a change only to tell which findings the change introduces
 * and which it resolves. A change usually touches a few endpoints of thousands, so instead of
 * evaluating the whole before-state again, the gate evaluates the endpoints the change touched,
 * with everything they share, and keeps the after-state's findings for the rest.
 *
 * A policy input splits into one unit per endpoint — the endpoint and its extensions — and the
 * context: everything else (stack, settings, waivers, rings, notifications, the other managed
 * resources, extensions of no endpoint) plus the list of endpoints, so that a policy that
 * counts endpoints sees the same count. This holds because every policy judges either one
 * endpoint with what it shares, or the context alone: a finding about an endpoint's unit depends
 * only on that unit and the context, a finding about anything else only on the context (checked
 * for every policy sample and every gate test by test/partition.test.ts, which compares this
 * path with evaluating the whole before-state). When the contexts differ, or the endpoints are
 * not the same ones, the whole before-state is evaluated.
 */

export interface Unit {
  endpoint: Endpoint;
  extensions: ExtensionFact[];
  /** Every resource a finding about this unit can name. */
  urns: Set<string>;
}

export interface Partition {
  context: string;
  contextExtensions: ExtensionFact[];
  units: Map<string, Unit>;
}

/** Equal units get equal findings: the policies see nothing else of them. */
const sameUnit = (a: Unit | undefined, b: Unit | undefined) =>
  a !== undefined && b !== undefined && sameJson(a.endpoint, b.endpoint) && sameJson(a.extensions, b.extensions);

/** Splits a normalized document into its endpoints' units and their shared context. */
export function partition(document: StewardInput): Partition {
  const units = new Map<string, Unit>();
  for (const endpoint of document.endpoints) {
    // The endpoint and everything attached to it: a finding about any of them is about this unit.
    const attached = [...endpoint.antivirus, ...endpoint.monitoringAgents, ...endpoint.dataCollectionRuleAssociations, ...endpoint.ringAssignments];
    units.set(endpoint.urn, { endpoint, extensions: [], urns: new Set([endpoint.urn, ...attached.map((attachment) => attachment.urn)]) });
  }
  const contextExtensions: ExtensionFact[] = [];
  for (const extension of document.extensions) {
    const unit = extension.endpoint === null ? undefined : units.get(extension.endpoint);
    if (!unit) {
      contextExtensions.push(extension);
      continue;
    }
    unit.extensions.push(extension);
    unit.urns.add(extension.urn);
  }
  const context = JSON.stringify({
    ...policyInput(document),
    endpoints: [...units.keys()].sort(),
    extensions: contextExtensions,
  });
  return { context, contextExtensions, units };
}

/** The document with only the given endpoints' units, and all of its context. */
export function restrictTo(document: StewardInput, parts: Partition, keys: string[]): StewardInput {
  const units = keys.map((key) => {
    const unit = parts.units.get(key);
    if (!unit) throw new Error(`no endpoint ${key} in the document`);
    return unit;
  });
  return {
    ...document,
    resources: [],
    endpoints: units.map((unit) => unit.endpoint),
    extensions: [...parts.contextExtensions, ...units.flatMap((unit) => unit.extensions)],
  };
}

/**
 * The findings of the before-state, evaluating only the endpoints whose units differ from the
 * after-state's; `after` is the after-state's document and findings.
 */
export function beforeFindings(engine: PolicyEngine, before: StewardInput, after: { document: StewardInput; findings: Finding[] }): Finding[] {
  const old = partition(before);
  const current = partition(after.document);
  if (old.context !== current.context) return engine.evaluate(before).findings;
  const changed = [...old.units.keys()].filter((key) => !sameUnit(old.units.get(key), current.units.get(key)));
  const touched = new Set<string>();
  for (const key of changed) {
    for (const urn of old.units.get(key)?.urns ?? []) touched.add(urn);
    for (const urn of current.units.get(key)?.urns ?? []) touched.add(urn);
  }
  const restricted = restrictTo(before, old, changed);
  return [
    ...after.findings.filter((finding) => !touched.has(finding.urn)),
    ...engine.evaluate(restricted, "before-state (changed endpoints)").findings.filter((finding) => touched.has(finding.urn)),
  ].sort(byPolicyUrnMessage);
}
