import Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { StewardInput } from "./document";
import { InputError } from "./errors";
import schema from "./schema/steward-input.schema.json";

let compiled: ValidateFunction<StewardInput> | undefined;

function validator(): ValidateFunction<StewardInput> {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile<StewardInput>(schema);
  return compiled;
}

const MAX_REPORTED = 10;

function describe(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(document)" : error.instancePath;
  const detail = error.keyword === "additionalProperties" ? ` "${String(error.params.additionalProperty)}"` : "";
  return `${where}: ${error.message ?? error.keyword}${detail}`;
}

/**
 * Checks a normalized document against its JSON Schema. A document that is not exactly the
 * contract is refused: a missing `endpoints` list must never read as "no endpoints".
 */
export function assertValidDocument(document: unknown, origin = "normalized document"): asserts document is StewardInput {
  const validate = validator();
  if (validate(document)) return;
  const errors = validate.errors ?? [];
  const lines = errors.slice(0, MAX_REPORTED).map(describe);
  if (errors.length > MAX_REPORTED) lines.push(`... and ${errors.length - MAX_REPORTED} more`);
  throw new InputError(`${origin} does not match the steward input schema (version 1):\n  ${lines.join("\n  ")}`);
}
