/**
 * What a schema cannot say about a stack file: unique endpoint and ring names, ring references and
 * staging, scope membership, real dates, overrides that would hide invalid exceptions, antivirus
 * settings that would not be deployed, and steward settings under a misspelt namespace.
 */
import { distance } from "fastest-levenshtein";
import type { AntivirusSettings, EndpointSettings } from "./client-config";
import { ANTIMALWARE_SETTINGS, notDeployedReason } from "../antivirus-engine";
import schema from "../schema/client-config.schema.json";
import { isRecord } from "../values";
import { ANTIVIRUS, CLIENT, ENDPOINTS, ENFORCEMENT, RINGS, WAIVERS } from "./paths";
import { SCHEMA_DEFAULTS } from "./schema-defaults";
import type { Problems } from "./problems";
import { closest } from "./schema-errors";
import type { Segment } from "./yaml-source";

type Entry = Record<string, unknown>;

/** The mappings in a list, with their indexes (anything else in it is a schema problem). */
function entries(list: unknown): Array<[number, Entry]> {
  return Array.isArray(list) ? list.flatMap((item, index): Array<[number, Entry]> => (isRecord(item) ? [[index, item]] : [])) : [];
}

/** Whether the schema accepted the value at a key path and every value around it. */
export type Accepted = (path: readonly Segment[]) => boolean;

/** `entry[key]` (the entry sits at `base`) when it is text the schema accepted. */
function textAt(entry: Entry, base: Segment[], key: string, accepted: Accepted): string | undefined {
  const value = entry[key];
  return typeof value === "string" && accepted([...base, key]) ? value : undefined;
}

/** `entry[key]` when it is a whole number the schema accepted. */
function wholeAt(entry: Entry, base: Segment[], key: string, accepted: Accepted): number | undefined {
  const value = entry[key];
  return typeof value === "number" && Number.isInteger(value) && accepted([...base, key]) ? value : undefined;
}

/** Every item whose key an earlier item already had, with that earlier item. */
function repeats<T>(items: readonly T[], keyOf: (item: T) => string | number | undefined): Array<{ item: T; first: T }> {
  const firsts = new Map<string | number, T>();
  const found: Array<{ item: T; first: T }> = [];
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const first = firsts.get(key);
    if (first === undefined) firsts.set(key, item);
    else found.push({ item, first });
  }
  return found;
}

/**
 * Cross-field checks. They only look at values the schema accepted, so one mistake is reported
 * once: a ring offset of 40 is out of range, not also "earlier than the next ring".
 */
export function checkMeaning(config: Entry, problems: Problems, accepted: Accepted): void {
  checkNamespaces(config, problems);
  checkEndpointNames(config, problems, accepted);
  checkRings(config, problems, accepted);
  checkEndpointPlaces(config, problems, accepted);
  checkWaiverDates(config, problems, accepted);
  checkOverrides(config, problems, accepted);
  checkAntivirusSettings(config, problems, accepted);
}

/**
 * Every antivirus setting written is deployed, or refused here: realtimeProtection, scheduledScan
 * and exclusions reach only endpoints that get Microsoft Antimalware (core/antivirus-engine.ts),
 * and signatureMaxAgeHours nothing at all.
 */
function checkAntivirusSettings(config: Entry, problems: Problems, accepted: Accepted): void {
  const antivirus = config["steward:antivirus"];
  if (!isRecord(antivirus)) return;
  if (antivirus.signatureMaxAgeHours !== undefined) {
    problems.add(
      [...ANTIVIRUS, "signatureMaxAgeHours"],
      "key",
      "is not used: no document steward reads shows a machine's signature age, so no policy could judge it (Defender for Cloud and the Defender portal report it); remove it",
    );
  }
  const written = ANTIMALWARE_SETTINGS.filter((key) => antivirus[key] !== undefined && accepted([...ANTIVIRUS, key]));
  const engine = antivirus.engine ?? SCHEMA_DEFAULTS.antivirus.engine;
  const appliesTo = antivirus.appliesTo ?? SCHEMA_DEFAULTS.antivirus.appliesTo;
  if (written.length === 0 || !accepted([...ANTIVIRUS, "engine"]) || !accepted([...ANTIVIRUS, "appliesTo"]) || !accepted(ENDPOINTS)) return;
  // Judged only when every endpoint's name and OS are readable: a rejected one is reported already,
  // and which endpoints the settings reach depends on all of them.
  const endpoints = entries(config["steward:endpoints"]).flatMap(([index, endpoint]): Array<Pick<EndpointSettings, "name" | "os">> => {
    const name = textAt(endpoint, [...ENDPOINTS, index], "name", accepted);
    const os = textAt(endpoint, [...ENDPOINTS, index], "os", accepted);
    return name !== undefined && (os === "windows" || os === "linux") ? [{ name, os }] : [];
  });
  if (!Array.isArray(config["steward:endpoints"]) || endpoints.length !== config["steward:endpoints"].length) return;
  const reason = notDeployedReason({ engine: engine as AntivirusSettings["engine"], appliesTo: appliesTo as AntivirusSettings["appliesTo"] }, endpoints);
  if (reason === undefined) return;
  for (const key of written) problems.add([...ANTIVIRUS, key], "key", reason);
}

/** Endpoint names are Azure resource names: unique, ignoring case. */
function checkEndpointNames(config: Entry, problems: Problems, accepted: Accepted): void {
  const names = entries(config["steward:endpoints"]).map(([index, endpoint]) => ({
    index,
    name: textAt(endpoint, [...ENDPOINTS, index], "name", accepted),
  }));
  for (const { item, first } of repeats(names, (endpoint) => endpoint.name?.toLowerCase())) {
    const line = problems.source.line([...ENDPOINTS, first.index, "name"], "value");
    problems.add([...ENDPOINTS, item.index, "name"], "value", `duplicate endpoint name "${String(item.name)}" (first used at line ${line}; names ignore case)`);
  }
}

/** Rings: unique names and orders, and a higher order never patches earlier than a lower one. */
function checkRings(config: Entry, problems: Problems, accepted: Accepted): void {
  const rings = entries(config["steward:updateRings"]).map(([index, ring]) => {
    const base = [...RINGS, index];
    return {
      index,
      name: textAt(ring, base, "name", accepted),
      order: wholeAt(ring, base, "order", accepted),
      offset: wholeAt(ring, base, "patchTuesdayOffsetDays", accepted),
    };
  });
  for (const { item, first } of repeats(rings, (ring) => ring.name)) {
    const line = problems.source.line([...RINGS, first.index, "name"], "value");
    problems.add([...RINGS, item.index, "name"], "value", `duplicate ring name "${String(item.name)}" (first used at line ${line})`);
  }
  for (const { item, first } of repeats(rings, (ring) => ring.order)) {
    const line = problems.source.line([...RINGS, first.index, "order"], "value");
    const owner = first.name === undefined ? "" : ` by ring "${first.name}"`;
    problems.add([...RINGS, item.index, "order"], "value", `duplicate ring order ${String(item.order)} (first used${owner} at line ${line})`);
  }

  type StagedRing = (typeof rings)[number] & { order: number; offset: number };
  const staged = rings.filter((ring): ring is StagedRing => ring.order !== undefined && ring.offset !== undefined);
  for (const ring of staged) {
    // Name the earlier ring that patches latest: moving past it fixes the staging.
    const latestEarlier = staged.filter((other) => other.order < ring.order && other.offset > ring.offset).sort((a, b) => b.offset - a.offset)[0];
    if (latestEarlier === undefined) continue;
    const earlierName = latestEarlier.name === undefined ? "a ring" : `ring "${latestEarlier.name}"`;
    problems.add(
      [...RINGS, ring.index, "patchTuesdayOffsetDays"],
      "value",
      `${days(ring.offset)} after Patch Tuesday is before ${earlierName} (order ${latestEarlier.order}, ${days(latestEarlier.offset)}): a ring with a higher order must not patch earlier`,
    );
  }
}

/** Every endpoint is in a ring that exists (the default rings when none are written) and inside
 *  the client's scope. */
function checkEndpointPlaces(config: Entry, problems: Problems, accepted: Accepted): void {
  const writtenRings = config["steward:updateRings"];
  const ringNames =
    writtenRings === undefined
      ? SCHEMA_DEFAULTS.updateRings.map((ring) => ring.name)
      : entries(writtenRings).flatMap(([, ring]) => (typeof ring.name === "string" ? [ring.name] : []));
  const ringsReadable = writtenRings === undefined || accepted(RINGS);
  const client = isRecord(config["steward:client"]) ? config["steward:client"] : {};
  const scope = isRecord(client.scope) ? client.scope : {};
  const subscriptions = scopeList(scope.subscriptions, [...CLIENT, "scope", "subscriptions"], accepted);
  const resourceGroups = scopeList(scope.resourceGroups, [...CLIENT, "scope", "resourceGroups"], accepted);
  const inList = (list: string[], value: string) => list.some((item) => item.toLowerCase() === value.toLowerCase());

  for (const [index, endpoint] of entries(config["steward:endpoints"])) {
    const base = [...ENDPOINTS, index];
    const ring = textAt(endpoint, base, "ring", accepted);
    if (ring !== undefined && ringsReadable && !ringNames.includes(ring)) {
      problems.add([...base, "ring"], "value", `"${ring}" is not an update ring${hintAmong(ring, ringNames)}`);
    }
    // Azure ids and resource group names ignore case.
    const subscription = textAt(endpoint, base, "subscriptionId", accepted);
    if (subscription !== undefined && subscriptions && !inList(subscriptions, subscription)) {
      problems.add([...base, "subscriptionId"], "value", `"${subscription}" is not in the client's scope.subscriptions`);
    }
    const group = textAt(endpoint, base, "resourceGroup", accepted);
    if (group !== undefined && resourceGroups && resourceGroups.length > 0 && !inList(resourceGroups, group)) {
      problems.add([...base, "resourceGroup"], "value", `"${group}" is not in the client's scope.resourceGroups${hintAmong(group, resourceGroups)}`);
    }
  }
}

/** Waivers carry real dates and none ends before it starts. */
function checkWaiverDates(config: Entry, problems: Problems, accepted: Accepted): void {
  for (const [index, waiver] of entries(config["steward:waivers"])) checkDates(waiver, [...WAIVERS, index], "waiver", problems, accepted);
}

/** An exception's `created` and `expires` (at `base`) are real dates, and it ends no earlier than it starts. */
function checkDates(exception: Entry, base: Segment[], what: "waiver" | "override", problems: Problems, accepted: Accepted): void {
  const created = textAt(exception, base, "created", accepted);
  const expires = textAt(exception, base, "expires", accepted);
  for (const [key, date] of [["created", created], ["expires", expires]] as const) {
    if (date !== undefined && !isCalendarDate(date)) problems.add([...base, key], "value", `"${date}" is not a real date`);
  }
  if (created !== undefined && expires !== undefined && isCalendarDate(created) && isCalendarDate(expires) && expires < created) {
    problems.add([...base, "expires"], "value", `${expires} is before the ${what} was created (${created})`);
  }
}

/** The policy that reports invalid waivers and overrides: lowering it would hide them. */
export const WAIVERS_VALID = "waivers-valid";

/** Enforcement overrides carry real dates, none ends before it starts, and waivers-valid is never
 *  lowered. Whether one is applied (not expired, within maxWaiverDays) is the evaluation's to judge. */
function checkOverrides(config: Entry, problems: Problems, accepted: Accepted): void {
  const policy = isRecord(config["steward:policy"]) ? config["steward:policy"] : {};
  const overrides = isRecord(policy.enforcement) ? policy.enforcement : {};
  for (const [id, override] of Object.entries(overrides)) {
    if (!isRecord(override)) continue;
    const base = [...ENFORCEMENT, id];
    const level = textAt(override, base, "level", accepted);
    if (id === WAIVERS_VALID && level !== undefined && level !== "mandatory") {
      problems.add([...base, "level"], "value", `${WAIVERS_VALID} reports the waivers and overrides that are not applied: it cannot be made ${level}`);
    }
    checkDates(override, base, "override", problems, accepted);
  }
}

/** A scope list when it is written and the schema accepted all of it; undefined means "do not
 *  check" (a missing list is either no restriction or already reported as required). */
function scopeList(value: unknown, path: Segment[], accepted: Accepted): string[] | undefined {
  if (!Array.isArray(value) || !accepted(path) || !value.every((item, index) => typeof item === "string" && accepted([...path, index]))) return undefined;
  return value as string[];
}

/** "; did you mean x?" when one is close, else the names to choose from when there are few. */
function hintAmong(typed: string, names: readonly string[]): string {
  const suggestion = closest(typed, names);
  if (suggestion !== undefined) return `; did you mean ${suggestion}?`;
  return names.length > 0 && names.length <= 10 ? ` (${names.join(", ")})` : "";
}

/**
 * Pulumi namespaces are case-sensitive and other providers' keys are allowed, so `Steward:client`
 * or `stewart:client` would pass the schema as someone else's setting and silently drop ours.
 */
function checkNamespaces(config: Entry, problems: Problems): void {
  const known = Object.keys(schema.properties.config.properties);
  for (const key of Object.keys(config)) {
    const namespace = key.slice(0, Math.max(key.indexOf(":"), 0));
    if (namespace === "steward" || namespace === "" || distance(namespace.toLowerCase(), "steward") > 2) continue;
    const suggestion = closest(key, known);
    const hint = suggestion === undefined ? "; steward settings are in the steward: namespace" : `; did you mean ${suggestion}?`;
    problems.add(["config", key], "key", `is not a known setting${hint}`);
  }
}

function days(count: number): string {
  return `${count} ${count === 1 ? "day" : "days"}`;
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}
