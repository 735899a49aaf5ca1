export { BaselinePart, ClientBaseline, type ClientBaselineArgs } from "./baseline";
export { COMPONENT_TYPES, antimalwareSettings, assertAntivirusSettingsDeployed, machineId, planBaseline, recurEvery, type BaselinePlan, type PlannedResource } from "./plan";
export { BaselineRefusedError, baselineDocument, judgeBaseline, preflight } from "./preflight";
