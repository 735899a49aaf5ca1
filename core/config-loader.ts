/**
 * Loads a client's stack file (`stacks/Pulumi.<client>.yaml`) into a ClientConfig.
 *
 * Three passes, and every problem of a file is reported at once, each with its line and column:
 * YAML syntax (when it fails nothing else is checked: positions would be guesses), the JSON Schema
 * `core/schema/client-config.schema.json` (the same contract editors check), then what a schema
 * cannot say (duplicate names, ring references and staging, scope membership, waiver dates).
 * Only a file without problems gets its defaults applied.
 */
import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import { distance } from "fastest-levenshtein";
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from "yaml";
import type {
  AntivirusSettings,
  ClientConfig,
  ClientSettings,
  EndpointSettings,
  EnforcementOverrideSettings,
  PolicyOverrides,
  UpdateRingSettings,
  WaiverSettings,
} from "./client-config";
import { utf8Bytes } from "./encoding";
import { ANTIMALWARE_SETTINGS, DEFAULT_ANTIMALWARE_SETTINGS, notDeployedReason } from "./antivirus-engine";
import { InputError, asError } from "./errors";
import schema from "./schema/client-config.schema.json";
import { CLIENT_CONFIG, loadValidator } from "./validators";
import { isRecord } from "./values";

/** One thing wrong with a stack file. `line` and `column` are 1-based. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Key path, e.g. `config."steward:endpoints"[1].ring`; `(document)` for the file as a whole. */
  path: string;
  message: string;
}

/** `file:line:col: path: message`, the form editors and terminals turn into links. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.path}: ${problem.message}`;
}

/** A stack file with problems (exit 2). The message lists every problem, one per line. */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const count = `${problems.length} ${problems.length === 1 ? "problem" : "problems"}`;
    super([`${count} in ${file}:`, ...problems.map(formatProblem)].join("\n"));
  }
}

/** Reads and loads a stack file; see parseClientConfig. */
export function loadClientConfig(file: string): ClientConfig {
  let text: string;
  try {
    text = utf8Bytes(readFileSync(file), file).toString("utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read client configuration ${file}: ${asError(error).message}`, { cause: error });
  }
  return parseClientConfig(text, file);
}

/** Checks the text of a stack file and returns its configuration with defaults applied; throws
 *  ConfigError listing every problem. `file` is only used to name the file in problems. */
export function parseClientConfig(text: string, file: string): ClientConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const source = new YamlSource(document, lineCounter);
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
  return withDefaults(file, (data as StackFile).config);
}

// ---------------------------------------------------------------------------------------------
// Problems and where they are

/** A key path: mapping keys and sequence indexes. */
type Segment = string | number;

/** What of `path` a problem points at: the key itself (unknown keys), its value (wrong values),
 *  or the mapping that should hold it (missing keys): the key that opens that mapping, or the
 *  mapping itself when it is a list item. */
type Anchor = "key" | "value" | "parent";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `config."steward:endpoints"[1].ring`: keys that are not plain names are quoted. */
function formatPath(path: readonly Segment[]): string {
  if (path.length === 0) return "(document)";
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      const key = IDENTIFIER.test(segment) ? segment : JSON.stringify(segment);
      return index === 0 ? key : `.${key}`;
    })
    .join("");
}

class Problems {
  private readonly found: Array<{ offset: number; path: Segment[]; message: string }> = [];

  constructor(
    private readonly file: string,
    readonly source: YamlSource,
  ) {}

  add(path: Segment[], anchor: Anchor, message: string): void {
    this.addAt(this.source.offset(path, anchor), path, message);
  }

  addAt(offset: number, path: Segment[], message: string): void {
    this.found.push({ offset, path, message });
  }

  any(): boolean {
    return this.found.length > 0;
  }

  /** Every problem once, in file order (problems at the same place keep the order they were found). */
  error(): ConfigError {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const { offset, path, message } of [...this.found].sort((a, b) => a.offset - b.offset)) {
      const problem = { file: this.file, ...this.source.position(offset), path: formatPath(path), message };
      const line = formatProblem(problem);
      if (seen.has(line)) continue;
      seen.add(line);
      problems.push(problem);
    }
    return new ConfigError(this.file, problems);
  }
}

/** Maps key paths of the parsed data back to offsets in the YAML text. */
class YamlSource {
  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  line(path: Segment[], anchor: Anchor): number {
    return this.position(this.offset(path, anchor)).line;
  }

  /** Where `path` is written; when it is not (a missing key), where its nearest ancestor is. */
  offset(path: Segment[], anchor: Anchor): number {
    if (anchor === "parent") return this.offset(path.slice(0, -1), "key");
    let node: unknown = this.document.contents;
    let keyStart: number | undefined;
    let nearest = startOf(node) ?? 0;
    for (const segment of path) {
      const parent = isAlias(node) ? node.resolve(this.document) : node;
      const step = childOf(parent, segment);
      if (!step) return nearest;
      ({ node, keyStart } = step);
      nearest = keyStart ?? startOf(node) ?? nearest;
    }
    // An empty value (`key:` with nothing after it) has no text of its own: point at its key.
    const valueStart = isScalar(node) && node.range && node.range[0] === node.range[1] ? undefined : startOf(node);
    return (anchor === "key" ? (keyStart ?? valueStart) : (valueStart ?? keyStart)) ?? nearest;
  }

  /** The key path of the innermost value written around `offset` (for YAML errors). */
  pathAt(offset: number): Segment[] {
    const path: Segment[] = [];
    let node: unknown = this.document.contents;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && contains(item.key, offset, isNode(item.value) ? item.value : item.key));
        if (!pair || !isScalar(pair.key)) break;
        path.push(String(pair.key.value));
        node = pair.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => isNode(item) && contains(item, offset, item));
        if (index < 0) break;
        path.push(index);
        node = node.items[index];
      } else break;
    }
    return path;
  }
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/** Whether `offset` lies between the start of `first` and the end of `last` (a key and its value). */
function contains(first: unknown, offset: number, last: unknown): boolean {
  const start = startOf(first);
  const end = isNode(last) && last.range ? last.range[2] : undefined;
  return start !== undefined && end !== undefined && start <= offset && offset <= end;
}

/** One step down a key path: a mapping's value by key (with where the key is), or a list item. */
function childOf(node: unknown, segment: Segment): { node: unknown; keyStart: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return pair ? { node: pair.value, keyStart: startOf(pair.key) } : undefined;
  }
  if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
    return { node: node.items[segment], keyStart: undefined };
  }
  return undefined;
}

/** yaml's wording where it assumes the reader knows its API. */
const YAML_MESSAGES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: "this key is already set earlier in the same mapping",
  MULTIPLE_DOCS: "a stack file holds one YAML document (remove the `---` separator)",
};

// ---------------------------------------------------------------------------------------------
// The schema

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
function checkSchema(data: unknown, problems: Problems): Set<string> {
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
function isRejected(rejected: Set<string>, path: Segment[]): boolean {
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
function closest(typed: string, candidates: readonly string[]): string | undefined {
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

// ---------------------------------------------------------------------------------------------
// What the schema cannot say

const CLIENT = ["config", "steward:client"];
const RINGS = ["config", "steward:updateRings"];
const ENDPOINTS = ["config", "steward:endpoints"];
const WAIVERS = ["config", "steward:waivers"];
const ENFORCEMENT = ["config", "steward:policy", "enforcement"];
const ANTIVIRUS = ["config", "steward:antivirus"];

type Entry = Record<string, unknown>;

/** The mappings in a list, with their indexes (anything else in it is a schema problem). */
function entries(list: unknown): Array<[number, Entry]> {
  return Array.isArray(list) ? list.flatMap((item, index): Array<[number, Entry]> => (isRecord(item) ? [[index, item]] : [])) : [];
}

type Accepted = (path: Segment[]) => boolean;

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
function checkMeaning(config: Entry, problems: Problems, accepted: Accepted): void {
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
  const engine = antivirus.engine ?? "defender-for-endpoint";
  const appliesTo = antivirus.appliesTo ?? "all";
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
      ? DEFAULT_RINGS.map((ring) => ring.name)
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
const WAIVERS_VALID = "waivers-valid";

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
function scopeList(value: unknown, path: Segment[], accepted: (path: Segment[]) => boolean): string[] | undefined {
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

// ---------------------------------------------------------------------------------------------
// Defaults (documented in core/client-config.ts)

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
/** Optional over each member of a union (Omit alone would merge the members). */
type EachOptional<T, K extends keyof T> = T extends unknown ? Optional<T, K> : never;

type WrittenRing = Pick<UpdateRingSettings, "name" | "order" | "patchTuesdayOffsetDays"> &
  Partial<Pick<UpdateRingSettings, "startTime" | "duration" | "timeZone" | "reboot">> & {
    classifications?: Partial<UpdateRingSettings["classifications"]>;
    exclusions?: Partial<UpdateRingSettings["exclusions"]>;
  };

/** The `config:` of a stack file the schema accepted: what was written, before defaults. */
interface WrittenConfig {
  "steward:client": Omit<ClientSettings, "scope" | "managementModel" | "responsibilities" | "reporting" | "location"> & {
    scope: Optional<ClientSettings["scope"], "resourceGroups">;
    managementModel?: ClientSettings["managementModel"];
    responsibilities?: Partial<ClientSettings["responsibilities"]>;
    reporting: Optional<ClientSettings["reporting"], "schedule">;
    location?: string;
  };
  "steward:antivirus"?: Partial<Pick<AntivirusSettings, "engine" | "appliesTo" | "realtimeProtection">> & {
    scheduledScan?: Partial<AntivirusSettings["scheduledScan"]>;
    exclusions?: Partial<AntivirusSettings["exclusions"]>;
  };
  "steward:updateRings"?: WrittenRing[];
  "steward:endpoints": Array<EachOptional<EndpointSettings, "subscriptionId">>;
  "steward:monitoring"?: Partial<ClientConfig["monitoring"]>;
  "steward:waivers"?: WaiverSettings[];
  "steward:policy"?: Partial<Omit<PolicyOverrides, "enforcement">> & {
    /** A bare `mandatory`, or the override with its justification. */
    enforcement?: Record<string, "mandatory" | EnforcementOverrideSettings>;
  };
}

interface StackFile {
  config: WrittenConfig;
}

/** Windows Autopatch's pattern: a pilot the day after Patch Tuesday, everyone else a week later. */
const DEFAULT_RINGS: readonly WrittenRing[] = [
  { name: "pilot", order: 1, patchTuesdayOffsetDays: 1 },
  { name: "broad", order: 2, patchTuesdayOffsetDays: 7 },
];

function withDefaults(file: string, config: WrittenConfig): ClientConfig {
  const client = config["steward:client"];
  const antivirus = config["steward:antivirus"] ?? {};
  const scan = antivirus.scheduledScan ?? {};
  const exclusions = antivirus.exclusions ?? {};
  const managementModel = client.managementModel ?? "msp-managed";
  // Model-wide only: an internally managed client answers for everything itself.
  const owner = managementModel === "internally-managed" ? "client" : "msp";
  const firstSubscription = client.scope.subscriptions[0] as string; // the schema requires one
  return {
    file,
    client: {
      id: client.id,
      displayName: client.displayName,
      scope: { subscriptions: [...client.scope.subscriptions], resourceGroups: [...(client.scope.resourceGroups ?? [])] },
      managementModel,
      responsibilities: {
        antivirus: client.responsibilities?.antivirus ?? owner,
        patching: client.responsibilities?.patching ?? owner,
        monitoring: client.responsibilities?.monitoring ?? owner,
        reporting: client.responsibilities?.reporting ?? owner,
      },
      contacts: { msp: client.contacts.msp.map((c) => ({ ...c })), client: client.contacts.client.map((c) => ({ ...c })) },
      reporting: { schedule: client.reporting.schedule ?? "monthly", recipients: [...client.reporting.recipients] },
      location: client.location ?? "westeurope",
      resourceGroup: client.resourceGroup,
    },
    antivirus: {
      engine: antivirus.engine ?? "defender-for-endpoint",
      appliesTo: antivirus.appliesTo ?? "all",
      realtimeProtection: antivirus.realtimeProtection ?? DEFAULT_ANTIMALWARE_SETTINGS.realtimeProtection,
      scheduledScan: { ...DEFAULT_ANTIMALWARE_SETTINGS.scheduledScan, ...scan },
      exclusions: { paths: [...(exclusions.paths ?? [])], extensions: [...(exclusions.extensions ?? [])], processes: [...(exclusions.processes ?? [])] },
    },
    updateRings: (config["steward:updateRings"] ?? DEFAULT_RINGS).map(ringWithDefaults),
    endpoints: config["steward:endpoints"].map((endpoint) => ({ ...endpoint, subscriptionId: endpoint.subscriptionId ?? firstSubscription })),
    monitoring: { workspaceRetentionDays: config["steward:monitoring"]?.workspaceRetentionDays ?? 90 },
    waivers: (config["steward:waivers"] ?? []).map((waiver) => ({ ...waiver })),
    policy: {
      ...config["steward:policy"],
      enforcement: Object.fromEntries(
        Object.entries(config["steward:policy"]?.enforcement ?? {}).map(([id, override]) => [id, typeof override === "string" ? { level: override } : { ...override }]),
      ),
      minimumHandlerVersions: { ...config["steward:policy"]?.minimumHandlerVersions },
    },
  };
}

function ringWithDefaults(ring: WrittenRing): UpdateRingSettings {
  return {
    name: ring.name,
    order: ring.order,
    patchTuesdayOffsetDays: ring.patchTuesdayOffsetDays,
    startTime: ring.startTime ?? "02:00",
    duration: ring.duration ?? "03:00",
    timeZone: ring.timeZone ?? "UTC",
    classifications: {
      windows: [...(ring.classifications?.windows ?? ["Critical", "Security", "UpdateRollup", "Definition"])],
      linux: [...(ring.classifications?.linux ?? ["Critical", "Security"])],
    },
    reboot: ring.reboot ?? "IfRequired",
    exclusions: { kbNumbers: [...(ring.exclusions?.kbNumbers ?? [])], packages: [...(ring.exclusions?.packages ?? [])] },
  };
}
