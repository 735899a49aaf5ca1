/** The client configuration: loading a stack file, and what is wrong with one. */
export { loadClientConfig, parseClientConfig } from "./load";
export { ConfigError, formatProblem, type ConfigProblem } from "./problems";
