/**
 * Loads a client's stack file (`stacks/Pulumi.<client>.yaml`) into a ClientConfig.
 *
 * Three passes, and every problem of a file is reported at once, each with its line and column:
 * YAML syntax (when it fails nothing else is checked: positions would be guesses), the JSON Schema
 * `core/schema/client-config.schema.json` (the same contract editors check), then what a schema
 * cannot say (duplicate names, ring references and staging, scope membership, waiver dates).
 * Only a file without problems gets its defaults applied, and the locations of its entries read.
 */
import { readFileSync } from "node:fs";
import type { ClientConfig } from "./client-config";
import { utf8Bytes } from "../encoding";
import { InputError, asError } from "../errors";
import { isRecord } from "../values";
import { checkMeaning } from "./checks";
import { withDefaults, type WrittenConfig } from "./defaults";
import { configLocations, type ConfigLocations } from "./locations";
import { Problems } from "./problems";
import { checkSchema, isRejected } from "./schema-errors";
import { YAML_MESSAGES, YamlSource } from "./yaml-source";

/** A stack file's configuration, and where its entries are written. */
export interface LocatedConfig {
  config: ClientConfig;
  locations: ConfigLocations;
}

/** Reads and loads a stack file; see parseClientConfig. */
export function loadClientConfig(file: string): ClientConfig {
  return loadLocatedConfig(file).config;
}

/** Checks the text of a stack file and returns its configuration with defaults applied; throws
 *  ConfigError listing every problem. `file` is only used to name the file in problems. */
export function parseClientConfig(text: string, file: string): ClientConfig {
  return parseLocatedConfig(text, file).config;
}

/** Reads and loads a stack file, with the locations of its entries; see parseClientConfig. */
export function loadLocatedConfig(file: string): LocatedConfig {
  let text: string;
  try {
    text = utf8Bytes(readFileSync(file), file).toString("utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read client configuration ${file}: ${asError(error).message}`, { cause: error });
  }
  return parseLocatedConfig(text, file);
}

/** parseClientConfig, with the locations of the file's entries. */
export function parseLocatedConfig(text: string, file: string): LocatedConfig {
  const source = YamlSource.parse(text);
  const { document } = source;
  const problems = new Problems(file, source);

  for (const error of document.errors) {
    const offset = error.pos[0];
    problems.addAt(offset, source.pathAt(offset), `invalid YAML: ${YAML_MESSAGES[error.code] ?? error.message}`);
  }
  if (problems.any()) throw problems.error();

  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    // Only an alias bomb gets here (more aliases than yaml's safety limit).
    problems.addAt(0, [], `invalid YAML: ${asError(error).message}`);
    throw problems.error();
  }

  const rejected = checkSchema(data, problems);
  if (isRecord(data) && isRecord(data.config)) checkMeaning(data.config, problems, (path) => !isRejected(rejected, path));
  if (problems.any()) throw problems.error();
  const written = (data as { config: WrittenConfig }).config;
  return { config: withDefaults(file, written), locations: configLocations(file, source, written) };
}
