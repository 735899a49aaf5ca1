export { BaselinePart, ClientBaseline, type ClientBaselineArgs } from "./baseline";
export { COMPONENT_TYPES, antimalwareSettings, machineId, planBaseline, recurEvery, type BaselinePlan, type PlannedResource } from "./plan";
export { BaselineRefusedError, baselineDocument, judgeBaseline, preflight } from "./preflight";
