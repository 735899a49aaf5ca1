/** The client configuration: its model, loading a stack file, what is wrong with one, and where its entries are. */
export type {
  AntivirusSettings,
  ClientConfig,
  ClientSettings,
  Contact,
  EndpointSettings,
  EnforcementOverrideSettings,
  MachineEndpointSettings,
  ManagementModel,
  PolicyOverrides,
  ScaleSetEndpointSettings,
  UpdateRingSettings,
  WaiverSettings,
  Weekday,
} from "./client-config";
export { loadClientConfig, loadLocatedConfig, parseClientConfig, parseLocatedConfig, type LocatedConfig } from "./load";
export type { ConfigLocations, SourceLocation } from "./locations";
export { ConfigError, formatProblem, type ConfigProblem } from "./problems";
export { locateFinding } from "./locate";
