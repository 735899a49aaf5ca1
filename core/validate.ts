import type { ErrorObject, ValidateFunction } from "ajv";
import type { StewardInput } from "./document";
import { InputError } from "./errors";
import { STEWARD_INPUT, loadValidator } from "./validators";

let loaded: ValidateFunction<StewardInput> | undefined;

/** Generated from core/schema/steward-input.schema.json at build time (core/validators.ts). */
function validator(): ValidateFunction<StewardInput> {
  loaded ??= loadValidator<StewardInput>(STEWARD_INPUT);
  return loaded;
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
