// The planners: each component's plan as data, pure, tested without an engine.
export { ANTIVIRUS_ROLES, planAntivirus, type AntivirusPlanArgs } from "./antivirus";
export {
  BASELINE_PARTS,
  assertAntivirusSettingsDeployed,
  assertRingsDeployed,
  formerNames,
  needsDefenderForServers,
  planBaseline,
  ringsInOrder,
  type BaselinePlan,
} from "./baseline";
export { ENDPOINT_ROLES, antimalwareSettings, machineId, planEndpoint, type EndpointPlanArgs } from "./endpoint";
export {
  COMPONENT_TYPES,
  alertContacts,
  childName,
  clientTags,
  idOf,
  isIdOf,
  plannedOfType,
  type ComponentType,
  type IdOf,
  type Plan,
  type PlannedComponent,
  type PlannedResource,
  type PlannedValue,
} from "./model";
export { MONITORING_ROLES, planMonitoring, type MonitoringPlanArgs } from "./monitoring";
export { RING_ROLES, planRing, recurEvery, type RingPlanArgs } from "./ring";
