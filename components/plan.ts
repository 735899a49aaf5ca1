// The planners (components/plan/), re-exported. This module sits beside its folder instead of
// inside it as index.ts: a dist/ built before the folder existed holds plan.js, which Node loads
// for "./plan" ahead of plan/index.js, so the old code would shadow the new.
export { ANTIVIRUS_ROLES, planAntivirus, type AntivirusPlanArgs } from "./plan/antivirus";
export {
  BASELINE_PARTS,
  assertAntivirusSettingsDeployed,
  assertRingsDeployed,
  formerNames,
  needsDefenderForServers,
  planBaseline,
  ringsInOrder,
  type BaselinePlan,
} from "./plan/baseline";
export { ENDPOINT_ROLES, antimalwareSettings, machineId, planEndpoint, type EndpointPlanArgs } from "./plan/endpoint";
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
} from "./plan/model";
export { MONITORING_ROLES, planMonitoring, type MonitoringPlanArgs } from "./plan/monitoring";
export { RING_ROLES, planRing, recurEvery, type RingPlanArgs } from "./plan/ring";
