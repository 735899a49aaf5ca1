/**
 * The JSON Schema pass and its wording: every ajv error of a stack file in words (what was
 * expected, what was found, the closest valid name for a typo), placed at the key or value it is
 * about. patternErrorMessage and errorMessage are the editors' extension keywords for a message in
 * words, so editors and the loader say the same.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { distance } from "fastest-levenshtein";
import { CLIENT_CONFIG, loadValidator } from "../validators";
import { isRecord } from "../values";
import type { Problems } from "./problems";
import type { Anchor, Segment } from "./yaml-source";

let loaded: ValidateFunction | undefined;

/** Generated from the schema at build time (core/validators.ts): `verbose`, so errors carry the
 *  failing value and the schema around the keyword, for the wording. */
function validator(): ValidateFunction {
  loaded ??= loadValidator(CLIENT_CONFIG);
  return loaded;
}

/** The parts of a schema object the wording looks at. */
interface SchemaNode {
  type?: string;
  properties?: Record<string, unknown>;
  minimum?: number;
  maximum?: number;
  patternErrorMessage?: string;
  errorMessage?: string;
}

/** Reports every schema violation; returns the paths (as JSON pointers) whose values it rejected. */
export function checkSchema(data: unknown, problems: Problems): Set<string> {
  const rejected = new Set<string>();
  const validate = validator();
  if (validate(data)) return rejected;
  for (const error of validate.errors ?? []) {
    // `if` only says its `then` or `else` failed: that failure is reported (and rejects what it
    // is about) on its own.
    if (error.keyword === "if") continue;
    const path = segmentsOf(error.instancePath, data);
    const { anchor, message, at } = explain(error);
    problems.add(at === undefined ? path : [...path, at], anchor, message);
    // A missing or unknown key says nothing about the mapping's other values.
    if (error.keyword !== "required" && error.keyword !== "additionalProperties") rejected.add(error.instancePath);
  }
  return rejected;
}

/** Whether the schema rejected the value at `path` or a value around it. */
export function isRejected(rejected: Set<string>, path: readonly Segment[]): boolean {
  let pointer = "";
  if (rejected.has(pointer)) return true;
  for (const segment of path) {
    pointer += `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (rejected.has(pointer)) return true;
  }
  return false;
}

/** A JSON pointer as a key path; indexes into lists become numbers. */
function segmentsOf(pointer: string, data: unknown): Segment[] {
  if (pointer === "") return [];
  const path: Segment[] = [];
  let value = data;
  for (const escaped of pointer.slice(1).split("/")) {
    const key = escaped.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(value)) {
      path.push(Number(key));
      value = value[Number(key)];
    } else {
      path.push(key);
      value = isRecord(value) ? value[key] : undefined;
    }
  }
  return path;
}

/** An ajv error in words: what was expected, and what was found. `at` extends the error's path
 *  (the unknown or missing key, the repeated item). */
function explain(error: ErrorObject): { anchor: Anchor; message: string; at?: Segment } {
  const around = (error.parentSchema ?? {}) as SchemaNode;
  const found = ` (found ${shown(error.data)})`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      return { anchor: "key", at: key, message: unknownKey(key, Object.keys(around.properties ?? {})) };
    }
    case "required":
      return { anchor: "parent", at: String(params.missingProperty), message: "is required" };
    case "type":
      return { anchor: "value", message: `expected ${TYPE_WORDS[String(params.type)] ?? String(params.type)}${found}` };
    case "enum": {
      const allowed = params.allowedValues as unknown[];
      const choices = allowed.filter((value): value is string => typeof value === "string");
      const suggestion = typeof error.data === "string" ? closest(error.data, choices) : undefined;
      const hint = suggestion === undefined ? found : ` (found ${shown(error.data)}; did you mean "${suggestion}"?)`;
      return { anchor: "value", message: `expected one of ${allowed.map((value) => JSON.stringify(value)).join(", ")}${hint}` };
    }
    case "pattern":
      return { anchor: "value", message: `${around.patternErrorMessage ?? `expected text matching ${String(params.pattern)}`}${found}` };
    case "const":
      return { anchor: "value", message: `${around.errorMessage ?? `expected ${JSON.stringify(params.allowedValue)}`}${found}` };
    case "not":
      // A key written where it is not allowed (a scale set's ring): the key is the mistake.
      return { anchor: "key", message: around.errorMessage ?? "is not allowed here" };
    case "minimum":
    case "maximum":
      return { anchor: "value", message: `expected ${numberRange(around)}${found}` };
    case "minItems":
      return { anchor: "value", message: `expected at least ${Number(params.limit) === 1 ? "one item" : `${String(params.limit)} items`}${found}` };
    case "minLength":
      return { anchor: "value", message: "must not be empty" };
    case "uniqueItems": {
      const later = Math.max(Number(params.i), Number(params.j));
      const item: unknown = Array.isArray(error.data) ? error.data[later] : undefined;
      return { anchor: "value", at: later, message: `${shown(item)} is listed more than once` };
    }
    default:
      return { anchor: "value", message: error.message ?? error.keyword };
  }
}

const TYPE_WORDS: Partial<Record<string, string>> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  object: "a mapping (key: value)",
  array: "a list",
};

function numberRange(schemaNode: SchemaNode): string {
  const kind = schemaNode.type === "integer" ? "a whole number" : "a number";
  const { minimum, maximum } = schemaNode;
  if (minimum !== undefined && maximum !== undefined) return `${kind} from ${minimum} to ${maximum}`;
  return minimum !== undefined ? `${kind} of at least ${minimum}` : `${kind} of at most ${String(maximum)}`;
}

/** A value as the message quotes it. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  return String(value);
}

/** Unknown keys name the closest valid key, or the valid keys when there are few. */
function unknownKey(key: string, known: string[]): string {
  const suggestion = closest(key, known);
  if (suggestion !== undefined) return `is not a known setting; did you mean ${suggestion}?`;
  if (known.length > 0 && known.length <= 10) return `is not a known setting (known: ${known.join(", ")})`;
  return "is not a known setting";
}

/**
 * The candidate a typo most likely meant: the smallest edit distance, ignoring case and the
 * `namespace:` prefix (so `endpoints` and `Steward:endpoints` find `steward:endpoints`), when it is
 * small against the length of what was typed (about one edit in three characters).
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const bare = (name: string) => name.slice(name.indexOf(":") + 1).toLowerCase();
  const word = bare(typed);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.ceil(word.length / 3));
  for (const candidate of candidates) {
    const edits = distance(word, bare(candidate));
    if (edits < bestDistance || (edits === bestDistance && best === undefined)) {
      best = candidate;
      bestDistance = edits;
    }
  }
  return best;
}
