export * from "./document";
export * from "./errors";
export { PolicyEngine, summarize, type AppliedExceptions, type Evaluation, type EvaluationSummary, type Finding, type PolicyDescriptor } from "./engine";
export { notFullyEnforced, exceptionText, type NotFullyEnforced } from "./exceptions";
export { TYPES } from "./azure";
export { normalize, type NormalizeRequest } from "./normalize";
export { DEFAULT_SETTINGS, resolveSettings, type SettingsOverrides } from "./settings";
export { assertValidDocument } from "./validate";
export { toDocumentValue, isUnknown, isSecret, UNKNOWN, SECRET } from "./values";
export {
  ConfigError,
  loadClientConfig,
  loadLocatedConfig,
  locateFinding,
  parseClientConfig,
  parseLocatedConfig,
  type ClientConfig,
  type ConfigLocations,
  type ConfigProblem,
  type LocatedConfig,
  type SourceLocation,
} from "./config";
