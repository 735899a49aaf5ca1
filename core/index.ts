export * from "./document";
export * from "./errors";
export { PolicyEngine, summarize, type Evaluation, type EvaluationSummary, type Finding, type PolicyDescriptor } from "./engine";
export { normalize, TYPES, type NormalizeRequest } from "./normalize";
export { DEFAULT_SETTINGS, resolveSettings, type SettingsOverrides } from "./settings";
export { assertValidDocument } from "./validate";
export { toDocumentValue, isUnknown, isSecret, UNKNOWN, SECRET } from "./values";
export type { ClientConfig } from "./client-config";
export { ConfigError, loadClientConfig, parseClientConfig, type ConfigProblem } from "./config-loader";
