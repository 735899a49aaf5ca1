import { ANTIMALWARE_SETTINGS, DEFAULT_ANTIMALWARE_SETTINGS, antivirusProduct, notDeployedReason } from "../../core/antivirus-engine";
import type { ClientConfig } from "../../core/config";
import { ENDPOINT_LABELS, TYPES } from "../../core/azure";
import { InputError } from "../../core/errors";
import { sameJson } from "../../core/values";
import { ANTIVIRUS_ROLES, planAntivirus } from "./antivirus";
import { ENDPOINT_ROLES, planEndpoint } from "./endpoint";
import { COMPONENT_TYPES, childName, idOf, plannedOfType, type Plan } from "./model";
import { MONITORING_ROLES, planMonitoring } from "./monitoring";
import { RING_ROLES, planRing } from "./ring";

export interface BaselinePlan extends Plan {
  /** Ring name → endpoint names, in ring order. */
  rings: Record<string, string[]>;
}

/** The names of a ClientBaseline's components, from its own name. */
export const BASELINE_PARTS = {
  monitoring: (baseline: string) => `${baseline}-monitoring`,
  antivirus: (baseline: string) => `${baseline}-antivirus`,
  ring: (baseline: string, ring: string) => `${baseline}-ring-${ring}`,
  endpoint: (baseline: string, endpoint: string) => `${baseline}-${endpoint}`,
} as const;

/**
 * The loader refuses antivirus settings written for an endpoint that would get Defender for
 * Endpoint, whose extension takes none; a configuration built in code has not been through the
 * loader, so the plan refuses the same (for settings other than the defaults, which are what the
 * extension of an MDE endpoint can be said to carry: nothing the client asked for is lost).
 * Never an MDE extension while the client's intent is silently dropped.
 */
export function assertAntivirusSettingsDeployed(config: ClientConfig): void {
  const changed = ANTIMALWARE_SETTINGS.filter((key) => !sameJson(config.antivirus[key], DEFAULT_ANTIMALWARE_SETTINGS[key]));
  if (changed.length === 0) return;
  const reason = notDeployedReason(config.antivirus, config.endpoints);
  if (reason === undefined) return;
  throw new InputError(
    [`client ${config.client.id}: antivirus settings that would not be deployed:`, ...changed.map((key) => `  steward:antivirus.${key}: ${reason}`)].join("\n"),
  );
}

/**
 * Every VM and Arc machine is in one of the client's update rings, and no scale set is in any:
 * rings are in-guest (InGuestPatch) maintenance configurations, which do not patch scale sets.
 * The loader refuses both; a configuration built in code has not been through it, and a ring
 * setting the plan cannot deploy is never silently dropped.
 */
export function assertRingsDeployed(config: ClientConfig): void {
  const rings = new Set(config.updateRings.map((ring) => ring.name));
  const problems = config.endpoints.flatMap((endpoint) => {
    const ring: unknown = endpoint.ring;
    const label = `${ENDPOINT_LABELS[endpoint.kind]} "${endpoint.name}"`;
    if (endpoint.kind === "vm-scale-set") {
      return ring === undefined
        ? []
        : [`${label} has ring ${JSON.stringify(ring)}: in-guest update rings do not patch scale sets (Azure patches one by automatic OS image upgrades); remove it`];
    }
    if (typeof ring === "string" && rings.has(ring)) return [];
    return [`${label} ${ring === undefined ? "has no ring" : `has ring ${JSON.stringify(ring)}, which is not one of the client's update rings`}`];
  });
  if (problems.length === 0) return;
  throw new InputError([`client ${config.client.id}: update rings that cannot be deployed:`, ...problems.map((problem) => `  steward:endpoints: ${problem}`)].join("\n"));
}

/** Defender for Servers is needed where an endpoint gets Defender for Endpoint (MDE). */
export const needsDefenderForServers = (config: ClientConfig): boolean =>
  config.endpoints.some((endpoint) => antivirusProduct(config.antivirus.engine, endpoint.os) === "mde");

/** The client's rings in the order they patch (ring order, then as written). */
export const ringsInOrder = (config: ClientConfig) => [...config.updateRings].sort((a, b) => a.order - b.order);

/**
 * Plans the ClientBaseline named `name` and every component and resource it composes, in
 * registration order: its MonitoringBaseline, AntivirusPolicy, one UpdateRing per ring and one
 * ManagedEndpoint per endpoint, each named `<name>-<part>` (BASELINE_PARTS). Refuses antivirus
 * settings that would not be deployed (assertAntivirusSettingsDeployed) and rings that cannot be
 * (assertRingsDeployed), naming every problem of the client at once.
 */
export function planBaseline(name: string, config: ClientConfig): BaselinePlan {
  assertAntivirusSettingsDeployed(config);
  assertRingsDeployed(config);
  const { client } = config;
  const plan: BaselinePlan = { components: [{ name, type: COMPONENT_TYPES.baseline, parent: null }], resources: [], rings: {} };
  const compose = (part: Plan): Plan => {
    plan.components.push(...part.components.map((component) => (component.parent === null ? { ...component, parent: name } : component)));
    plan.resources.push(...part.resources);
    return part;
  };

  const monitoring = compose(planMonitoring(BASELINE_PARTS.monitoring(name), { client, workspaceRetentionDays: config.monitoring.workspaceRetentionDays }));
  compose(planAntivirus(BASELINE_PARTS.antivirus(name), { client, defenderForServers: needsDefenderForServers(config) }));
  const schedules = new Map<string, string>();
  for (const ring of ringsInOrder(config)) {
    const part = compose(planRing(BASELINE_PARTS.ring(name, ring.name), { client, ring }));
    schedules.set(ring.name, plannedOfType(part, TYPES.maintenanceConfiguration).name);
    plan.rings[ring.name] = config.endpoints.filter((endpoint) => endpoint.ring === ring.name).map((endpoint) => endpoint.name);
  }
  const rule = idOf(plannedOfType(monitoring, TYPES.dataCollectionRule).name);
  for (const endpoint of config.endpoints) {
    const schedule = endpoint.ring === undefined ? undefined : schedules.get(endpoint.ring);
    compose(
      planEndpoint(BASELINE_PARTS.endpoint(name, endpoint.name), {
        client,
        endpoint,
        antivirus: config.antivirus,
        ...(schedule === undefined ? {} : { maintenanceConfigurationId: idOf(schedule) }),
        dataCollectionRuleId: rule,
      }),
    );
  }
  return plan;
}

/**
 * The Pulumi names steward's program gave the baseline's components and resources before each
 * child was named from its component (up to commit aabf562: from the client id, whatever the
 * ClientBaseline's name), by today's name, for those that changed. A stack deployed then holds
 * its state under these names; ClientBaseline gives each renamed resource an alias to its former
 * name, so Pulumi carries the state over instead of creating the resource anew and deleting the
 * old one, which, with the same Azure name, would delete the live resource.
 */
export function formerNames(name: string, config: ClientConfig): Map<string, string> {
  const id = config.client.id;
  const renamed = new Map<string, string>();
  const add = (current: string, former: string) => {
    if (current !== former) renamed.set(current, former);
  };
  const monitoring = BASELINE_PARTS.monitoring(name);
  add(monitoring, `${id}-monitoring`);
  add(childName(monitoring, MONITORING_ROLES.workspace), `${id}-workspace`);
  add(childName(monitoring, MONITORING_ROLES.rule), `${id}-endpoint-rule`);
  add(childName(monitoring, MONITORING_ROLES.threatAlerts), `${id}-threat-alerts`);
  const antivirus = BASELINE_PARTS.antivirus(name);
  add(antivirus, `${id}-antivirus`);
  for (const subscription of config.client.scope.subscriptions) {
    const role = ANTIVIRUS_ROLES.defenderForServers(subscription);
    add(childName(antivirus, role), `${id}-${role}`);
  }
  add(childName(antivirus, ANTIVIRUS_ROLES.threatContacts), `${id}-${ANTIVIRUS_ROLES.threatContacts}`);
  for (const ring of config.updateRings) {
    const component = BASELINE_PARTS.ring(name, ring.name);
    add(component, `${id}-ring-${ring.name}`);
    add(childName(component, RING_ROLES.schedule), `${id}-${ring.name}-schedule`);
  }
  for (const endpoint of config.endpoints) {
    const component = BASELINE_PARTS.endpoint(name, endpoint.name);
    add(component, `${id}-${endpoint.name}`);
    for (const role of Object.values(ENDPOINT_ROLES)) add(childName(component, role), `${id}-${endpoint.name}-${role}`);
  }
  return renamed;
}
