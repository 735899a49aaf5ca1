/**
 * Extension facts read the way Azure and the extension handlers read them, so that no policy
 * compares raw spelling:
 * - publisher and type are case-insensitive in Azure (Azure Policy compares strings with
 *   InvariantCultureIgnoreCase, so built-in 2835b622's existence condition `type equals
 *   "IaaSAntimalware"` matches `iaasantimalware`): a known extension gets its canonical names
 *   (core/azure.ts `extensionHandler`);
 * - the Microsoft Antimalware settings keys are read case-insensitively by its handler: the
 *   normalizer gives them one spelling, and two keys that differ only in case become an explicit
 *   ambiguity (`{"$ambiguous": [keys as written]}`) that the policies report, never "the first";
 * - settings written as a JSON string (the classic @pulumi/azure provider's
 *   `azure:compute/extension:Extension` takes `settings` as one) are parsed; a string that is not a
 *   JSON object stays a string, which the policies report as settings that cannot be verified;
 * - every exclusion entry is resolved as Defender resolves it (core/defender-paths.ts).
 */
import type { ExclusionEntry, ExclusionKind, JsonValue, Sentinel } from "./document";
import { resolveExtension, resolvePath } from "./defender-paths";
import { isRecord, isSentinel, NestingTooDeepError, toDocumentValue } from "./values";

/** Two or more keys of one settings object that differ only in case, as written. */
export interface AmbiguousValue {
  $ambiguous: string[];
}

type Shape = { [key: string]: Shape | null };

/**
 * The Microsoft Antimalware settings keys, as Microsoft documents them ("Microsoft Antimalware
 * Extension for Windows", learn.microsoft.com/azure/virtual-machines/extensions/iaas-antimalware-windows):
 * every level a policy reads. Keys not listed keep their spelling.
 */
const ANTIMALWARE_SETTINGS: Shape = {
  AntimalwareEnabled: null,
  RealtimeProtectionEnabled: null,
  ScheduledScanSettings: { isEnabled: null, day: null, time: null, scanType: null },
  Exclusions: { Extensions: null, Paths: null, Processes: null },
};

const isObject = (value: unknown): value is Record<string, JsonValue> => isRecord<JsonValue>(value) && !isSentinel(value);

function put(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  // As JSON.parse does: "__proto__" is an ordinary key; assigned, it would set the prototype.
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** One spelling for every key the shape names; keys that differ only in case become ambiguous. */
function canonicalKeys(value: Record<string, JsonValue>, shape: Shape): Record<string, JsonValue> {
  const canonical = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(value)) {
    const lower = key.toLowerCase();
    const group = groups.get(lower);
    if (group) group.push(key);
    else groups.set(lower, [key]);
  }
  const out: Record<string, JsonValue> = {};
  for (const [lower, keys] of groups) {
    const name = canonical.get(lower);
    const only = keys.length === 1 ? (keys[0] as string) : null;
    if (only === null) {
      // Nobody can say which one the handler reads: neither value is carried.
      put(out, name ?? lower, { $ambiguous: keys });
      continue;
    }
    const child = name === undefined ? null : (shape[name] ?? null);
    const item = value[only] as JsonValue;
    put(out, name ?? only, child !== null && isObject(item) ? canonicalKeys(item, child) : item);
  }
  return out;
}

/** Settings written as JSON text, parsed; null when the text is not a JSON object. */
function parseSettingsText(text: string): JsonValue | Sentinel | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    // The parsed value gets the document's form (a preview's unknowns and secrets inside it),
    // bounded like every other property value.
    return toDocumentValue(parsed, 64);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof RangeError || error instanceof NestingTooDeepError) return null;
    throw error;
  }
}

/**
 * An extension's settings as its handler reads them: JSON text parsed (text that is not a JSON
 * object stays as written), and for Microsoft Antimalware one spelling per key.
 */
export function extensionSettings(settings: JsonValue | Sentinel, antimalware: boolean): JsonValue | Sentinel {
  let value = settings;
  if (typeof value === "string") value = parseSettingsText(value) ?? value;
  return antimalware && isObject(value) ? canonicalKeys(value, ANTIMALWARE_SETTINGS) : value;
}

const KINDS: readonly ExclusionKind[] = ["Paths", "Extensions", "Processes"];

/** Resolved entries by kind and text: fleets repeat the same few entries on every machine. */
const resolvedEntries = new Map<string, ExclusionEntry>();
const RESOLVED_ENTRIES_LIMIT = 50_000;

function textEntry(kind: ExclusionKind, written: string): ExclusionEntry {
  const key = `${kind}\u0000${written}`;
  const known = resolvedEntries.get(key);
  if (known) return known;
  let entry: ExclusionEntry;
  if (kind === "Extensions") {
    entry = { kind, written, resolved: resolveExtension(written) };
  } else {
    const { resolved, unresolved } = resolvePath(written, kind === "Paths");
    entry = unresolved.length > 0 ? { kind, written, resolved, unresolved } : { kind, written, resolved };
  }
  if (resolvedEntries.size >= RESOLVED_ENTRIES_LIMIT) resolvedEntries.clear();
  resolvedEntries.set(key, Object.freeze(entry));
  return entry;
}

/** An entry that is not text (unknown until apply, a number, an ambiguous key): it cannot be resolved. */
const unreadableEntry = (kind: ExclusionKind, written: JsonValue | Sentinel): ExclusionEntry => ({ kind, written, resolved: null });

/**
 * The entries of canonical Microsoft Antimalware settings' `Exclusions`, each resolved as Defender
 * reads it: lists are semicolon-separated text (as Microsoft documents) or arrays; blanks are no
 * entry; an entry written twice is listed once. [] when there are no readable exclusions (the
 * policies judge unreadable `settings` and `Exclusions` from the settings themselves).
 */
export function exclusionEntries(settings: JsonValue | Sentinel): ExclusionEntry[] {
  const exclusions = isObject(settings) ? settings.Exclusions : undefined;
  if (!isObject(exclusions) || Array.isArray((exclusions as Partial<AmbiguousValue>).$ambiguous)) return [];
  const entries: ExclusionEntry[] = [];
  const seen = new Set<string>();
  const addText = (kind: ExclusionKind, text: string) => {
    const written = text.trim();
    if (written === "" || seen.has(`${kind}\u0000${written}`)) return;
    seen.add(`${kind}\u0000${written}`);
    entries.push(textEntry(kind, written));
  };
  for (const kind of KINDS) {
    const list = exclusions[kind];
    if (list === undefined || list === null) continue;
    if (typeof list === "string") {
      for (const text of list.split(";")) addText(kind, text);
    } else if (Array.isArray(list)) {
      for (const item of list) {
        if (typeof item === "string") addText(kind, item);
        else entries.push(unreadableEntry(kind, item));
      }
    } else {
      entries.push(unreadableEntry(kind, list));
    }
  }
  return entries;
}
