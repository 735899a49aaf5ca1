import type { JsonValue, SecretValue, Sentinel, UnknownValue } from "./document";

/** What `pulumi preview` prints for a value it cannot know until apply. */
export const PULUMI_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** What `pulumi preview --json` prints in place of a secret. */
export const PULUMI_SECRET_PLACEHOLDER = "[secret]";
/** The signature key Pulumi puts on secret values in state (`pulumi stack export`). */
export const PULUMI_SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const PULUMI_SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export const UNKNOWN: UnknownValue = Object.freeze({ $unknown: true as const });
export const SECRET: SecretValue = Object.freeze({ $secret: true as const });

/** Property names whose content never enters the document, whatever their value. */
const ALWAYS_SECRET = new Set(["protectedSettings", "protectedSettingsFromKeyVault"]);

export function isUnknown(value: unknown): value is UnknownValue {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>).$unknown === true;
}

export function isSecret(value: unknown): value is SecretValue {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>).$secret === true;
}

export function isSentinel(value: unknown): value is Sentinel {
  return isUnknown(value) || isSecret(value);
}

/** How deep property values may nest when read from Pulumi (the value itself is level 1): far deeper
 *  than any Azure resource's properties, and refused while converting, before any recursive walk
 *  could overflow the stack. */
export const MAX_PROPERTY_DEPTH = 100;

/** Thrown by toDocumentValue for a value nested deeper than it was allowed to read. */
export class NestingTooDeepError extends Error {}

/**
 * Rewrites a property value as Pulumi prints it into the document's form: unknowns and secrets
 * become sentinels, `protectedSettings` is dropped to a secret sentinel whatever it holds.
 * Objects and arrays nested more than `maxDepth` levels deep (the value itself is level 1) throw
 * NestingTooDeepError, long before the recursion could overflow the stack.
 */
export function toDocumentValue(value: unknown, maxDepth = Number.POSITIVE_INFINITY): JsonValue | Sentinel {
  if (typeof value === "object" && value !== null && maxDepth < 1) throw new NestingTooDeepError("value nested too deep");
  if (value === PULUMI_UNKNOWN) return UNKNOWN;
  if (value === PULUMI_SECRET_PLACEHOLDER) return SECRET;
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => toDocumentValue(item, maxDepth - 1) as JsonValue);
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[PULUMI_SECRET_SIG] === PULUMI_SECRET_SIG_VALUE) return SECRET;
    if (isSentinel(record)) return isUnknown(record) ? UNKNOWN : SECRET;
    const out: Record<string, JsonValue> = {};
    // Object.keys, not Object.entries: no [key, value] pair per property (this runs for every
    // property of every resource of a preview, twice).
    for (const key of Object.keys(record)) {
      if (key === "__defaults") continue;
      const converted = (ALWAYS_SECRET.has(key) ? SECRET : toDocumentValue(record[key], maxDepth - 1)) as JsonValue;
      // As JSON.parse does: "__proto__" is an ordinary key; assigned, it would set the prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
      else out[key] = converted;
    }
    return out;
  }
  return null;
}

/** Reads a nested property; sentinels stop the walk and are returned as they are. */
export function getPath(value: unknown, path: readonly string[]): JsonValue | Sentinel | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (isSentinel(current)) return current;
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as JsonValue | Sentinel | undefined;
}

/** A property as the document carries it: absent becomes null. */
export function field(value: unknown, ...path: string[]): JsonValue | Sentinel {
  return getPath(value, path) ?? null;
}

/** A JSON object (not null, not an array): what `typeof value === "object"` alone does not say. */
export function isRecord<T = unknown>(value: unknown): value is Record<string, T> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Whether two JSON values are equal (object keys in any order), without serializing either: the
 * gate compares thousands of endpoints before and after a change, most of them equal.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameJson(item, b[index]));
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}
