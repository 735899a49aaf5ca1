export { AntivirusPolicy, type AntivirusPolicyArgs } from "./antivirus";
export { ClientBaseline, type ClientBaselineArgs } from "./baseline";
export { ManagedEndpoint, type ManagedEndpointArgs } from "./endpoint";
export type { JudgingArgs } from "./judging";
export { MonitoringBaseline, type MonitoringBaselineArgs } from "./monitoring";
export * from "./plan";
export { BaselineRefusedError, Judgement, judgeBaseline } from "./preflight";
export { UpdateRing, type UpdateRingArgs } from "./ring";
