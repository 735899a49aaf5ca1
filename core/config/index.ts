/** The client configuration: loading a stack file, what is wrong with one, and where its entries are. */
export { loadClientConfig, loadLocatedConfig, parseClientConfig, parseLocatedConfig, type LocatedConfig } from "./load";
export type { ConfigLocations, SourceLocation } from "./locations";
export { ConfigError, formatProblem, type ConfigProblem } from "./problems";
export { locateFinding } from "./locate";
