// The JSON Schema is the one source of the configuration's defaults: the loader applies exactly its
// `default`s, the JSDoc of core/config/client-config.ts and the schema's own descriptions restate them,
// and the defaults that depend on other settings are stated in words in both.
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { ConfigError, parseClientConfig } from "../core/config";
import schema from "../core/schema/client-config.schema.json";
import { DEFAULT_SETTINGS, resolveSettings } from "../core/settings";
import { isRecord } from "../core/values";
import { root } from "./support";

const FILE = "stacks/Pulumi.acme.yaml";

/** Only what the schema requires (and no `steward:antivirus`, `steward:updateRings`...). */
const MINIMAL = `config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [11111111-2222-4333-8444-555555555555, 22222222-2222-4333-8444-555555555555] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:endpoints:
    - { name: acme-web01, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: pilot }
`;

type SchemaNode = Record<string, unknown>;

/** A schema node's own keywords, or those of the definition its `$ref` names. */
function target(node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  const definition = (schema.$defs as Record<string, SchemaNode>)[ref.replace("#/$defs/", "")];
  if (!definition) throw new Error(`no definition ${ref}`);
  return definition;
}

/** A setting's path from `config` down: keys, and `[]` for every item of a list. */
interface Setting {
  path: string[];
  node: SchemaNode;
}

/** Every setting under `node` (itself included) whose schema node passes `keep`. */
function settings(node: SchemaNode, keep: (node: SchemaNode) => boolean, path: string[] = []): Setting[] {
  const found = keep(node) ? [{ path, node }] : [];
  const own = target(node);
  for (const [key, child] of Object.entries((own.properties ?? {}) as Record<string, SchemaNode>)) found.push(...settings(child, keep, [...path, key]));
  if (isRecord(own.items)) found.push(...settings(own.items, keep, [...path, "[]"]));
  return found;
}

const CONFIG_SCHEMA = schema.properties.config as unknown as SchemaNode;
const DEFAULTED = settings(CONFIG_SCHEMA, (node) => "default" in node);
/** A setting as ClientConfig names it: `steward:client` is `client`. */
const key = (path: readonly string[]) => path.map((segment) => segment.replace(/^steward:/, "")).join(".");

/** The defaults that depend on other settings, which the schema can only state in words. */
const DEPENDENT = ["client.responsibilities", "endpoints.[].subscriptionId"];
/** Thresholds the evaluation applies (core/settings.ts), for a configuration built in code too. */
const EVALUATION: Record<string, number> = {
  "policy.maxDaysAfterPatchTuesday": DEFAULT_SETTINGS.maxDaysAfterPatchTuesday,
  "policy.maxWaiverDays": DEFAULT_SETTINGS.maxWaiverDays,
};

/** The values at a ClientConfig path, one per item where the path goes through lists. */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  const [first, ...rest] = path;
  if (first === undefined) return [value];
  if (first === "[]") return Array.isArray(value) ? value.flatMap((item) => valuesAt(item, rest)) : [];
  return isRecord(value) ? valuesAt(value[first], rest) : [undefined];
}

/** A value as a YAML flow: `{ name: pilot, order: 1 }`, `[a, b]`. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (isRecord(value)) return `{ ${Object.entries(value).map(([name, item]) => `${name}: ${flow(item)}`).join(", ")} }`;
  return String(value);
}

/** How a default is stated after `Default:`: `none` for an empty list or map, else each item
 *  (or the value) as a flow, in backticks for JSDoc. */
function stated(value: unknown, quote: (text: string) => string): string {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0 || (isRecord(value) && Object.keys(value).length === 0)) return "none";
  return items.map((item) => quote(flow(item))).join(", ");
}

/** What follows `Default...:` in a text (its lines joined), or undefined when it states no default. */
function statedDefault(text: string): string | undefined {
  return /\bDefault\b[^:]*: (.*)/s.exec(text.replace(/\s+/g, " "))?.[1];
}

describe("the loader's defaults are the schema's", () => {
  it("finds the defaulted settings of the schema", () => {
    expect(DEFAULTED.map(({ path }) => key(path))).toEqual([
      "client.scope.resourceGroups",
      "client.managementModel",
      "client.reporting.schedule",
      "client.location",
      "antivirus.engine",
      "antivirus.appliesTo",
      "antivirus.realtimeProtection",
      "antivirus.scheduledScan.enabled",
      "antivirus.scheduledScan.day",
      "antivirus.scheduledScan.time",
      "antivirus.scheduledScan.type",
      "antivirus.exclusions.paths",
      "antivirus.exclusions.extensions",
      "antivirus.exclusions.processes",
      "updateRings",
      "updateRings.[].startTime",
      "updateRings.[].duration",
      "updateRings.[].timeZone",
      "updateRings.[].classifications.windows",
      "updateRings.[].classifications.linux",
      "updateRings.[].reboot",
      "updateRings.[].exclusions.kbNumbers",
      "updateRings.[].exclusions.packages",
      "monitoring.workspaceRetentionDays",
      "waivers",
      "policy.enforcement",
      "policy.minimumHandlerVersions",
      "policy.maxDaysAfterPatchTuesday",
      "policy.maxWaiverDays",
    ]);
  });

  it("a file that writes none of them loads to exactly the schema's default of each", () => {
    const config = parseClientConfig(MINIMAL, FILE);
    for (const { path, node } of DEFAULTED) {
      const values = valuesAt(config, key(path).split("."));
      // The thresholds are left to the evaluation, which applies the same values.
      const expected = Object.hasOwn(EVALUATION, key(path)) ? undefined : node.default;
      expect(values.length, key(path)).toBeGreaterThan(0);
      for (const value of values) {
        // The default rings get the defaults of a ring's other settings, checked on their own.
        if (Array.isArray(expected) && expected.every(isRecord)) expect(value, key(path)).toMatchObject(expected);
        else expect(value, key(path)).toEqual(expected);
      }
    }
  });

  it("the thresholds the evaluation applies are the schema's defaults", () => {
    const defaults = Object.fromEntries(DEFAULTED.filter(({ path }) => Object.hasOwn(EVALUATION, key(path))).map(({ path, node }) => [key(path), node.default]));
    expect(defaults).toEqual(EVALUATION);
    expect(resolveSettings(parseClientConfig(MINIMAL, FILE).policy)).toMatchObject({ maxDaysAfterPatchTuesday: 14, maxWaiverDays: 90 });
  });

  it("a file that writes every default is accepted and configures the same", () => {
    // Microsoft Antimalware's settings are written for an endpoint that gets it; Defender for
    // Endpoint (the default engine) takes none, and a written one is refused.
    const minimal = MINIMAL.replace("  steward:endpoints:", "  steward:antivirus: { engine: antimalware }\n  steward:endpoints:");
    const data = parseDocument(minimal).toJS() as { config: SchemaNode };
    const written = { config: withEveryDefault(data.config, CONFIG_SCHEMA) };
    for (const { path } of DEFAULTED) {
      const values = valuesAt(written.config, path);
      expect(values.length > 0 && !values.includes(undefined), key(path)).toBe(true);
    }

    // A refused file fails here with its problems (ConfigError's message lists them).
    const explicit = parseClientConfig(stringify(written), FILE);
    const implicit = parseClientConfig(minimal, FILE);
    expect({ ...explicit, policy: resolveSettings(explicit.policy) }).toEqual({ ...implicit, policy: resolveSettings(implicit.policy) });
  });
});

/** `value` with every default of `node` written in: a missing setting that has a default gets it,
 *  and a missing mapping whose settings have defaults is written to hold them. */
function withEveryDefault(value: unknown, node: SchemaNode): unknown {
  const own = target(node);
  if (Array.isArray(value)) return isRecord(own.items) ? value.map((item) => withEveryDefault(item, own.items as SchemaNode)) : value;
  if (!isRecord(value)) return value;
  const filled: Record<string, unknown> = { ...value };
  for (const [name, child] of Object.entries((own.properties ?? {}) as Record<string, SchemaNode>)) {
    let written = filled[name];
    if (written === undefined && "default" in child) written = structuredClone(child.default);
    else if (written === undefined && settings(child, (candidate) => "default" in candidate).length > 0) written = {};
    if (written !== undefined) filled[name] = withEveryDefault(written, child);
  }
  return filled;
}

describe("the defaults that depend on other settings", () => {
  const responsibilities = (model: string) =>
    parseClientConfig(MINIMAL.replace("    resourceGroup: rg-acme-steward", `    resourceGroup: rg-acme-steward\n    managementModel: ${model}\n    responsibilities: { patching: shared }`), FILE).client
      .responsibilities;

  it("responsibilities: per service not written, client when internally-managed, else msp", () => {
    expect(responsibilities("msp-managed")).toEqual({ antivirus: "msp", patching: "shared", monitoring: "msp", reporting: "msp" });
    expect(responsibilities("co-managed")).toEqual({ antivirus: "msp", patching: "shared", monitoring: "msp", reporting: "msp" });
    expect(responsibilities("internally-managed")).toEqual({ antivirus: "client", patching: "shared", monitoring: "client", reporting: "client" });
  });

  it("an endpoint's subscription: the first scope subscription, unless it writes one", () => {
    const config = parseClientConfig(
      `${MINIMAL}    - { name: acme-web02, kind: azure-vm, os: windows, resourceGroup: rg-acme, ring: broad, subscriptionId: 22222222-2222-4333-8444-555555555555 }\n`,
      FILE,
    );
    expect(config.endpoints.map((endpoint) => [endpoint.name, endpoint.subscriptionId])).toEqual([
      ["acme-web01", "11111111-2222-4333-8444-555555555555"],
      ["acme-web02", "22222222-2222-4333-8444-555555555555"],
    ]);
  });

  it("the default rings only when no ring is written, for the checks too", () => {
    expect(parseClientConfig(MINIMAL, FILE).updateRings.map((ring) => ring.name)).toEqual(["pilot", "broad"]);
    const ownRing = `${MINIMAL}  steward:updateRings:\n    - { name: first, order: 1, patchTuesdayOffsetDays: 2 }\n`;
    try {
      parseClientConfig(ownRing, FILE);
      throw new Error("expected the configuration to be refused");
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      expect(error.problems.map((problem) => `${problem.line}:${problem.column}: ${problem.message}`)).toEqual([`10:86: "pilot" is not an update ring (first)`]);
    }
  });

  it("the schema states each of them in words", () => {
    const described = settings(CONFIG_SCHEMA, (node) => typeof node.description === "string" && statedDefault(node.description) !== undefined);
    expect(described.filter(({ node }) => !("default" in node)).map(({ path }) => key(path))).toEqual(DEPENDENT);
  });
});

/** The JSDoc of every member reachable from ClientConfig, by its path (`[]` for list items). */
function jsdocs(): Map<string, string> {
  const file = join(root, "core", "config", "client-config.ts");
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const declaration = source?.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === "ClientConfig");
  if (!declaration) throw new Error("no ClientConfig in core/config/client-config.ts");
  const docs = new Map<string, string>();
  const isObject = (type: ts.Type) => (type.flags & ts.TypeFlags.Object) !== 0;
  const visit = (type: ts.Type, path: string[]): void => {
    for (const property of checker.getPropertiesOfType(type)) {
      const at = [...path, property.name];
      docs.set(at.join("."), ts.displayPartsToString(property.getDocumentationComment(checker)));
      const propertyType = checker.getNonNullableType(checker.getTypeOfSymbol(property));
      if (checker.isArrayType(propertyType)) {
        const [item] = checker.getTypeArguments(propertyType as ts.TypeReference);
        if (item) visit(item, [...at, "[]"]);
      } else if (isObject(propertyType) || (propertyType.isUnion() && propertyType.types.every(isObject))) {
        visit(propertyType, at);
      }
    }
  };
  visit(checker.getTypeAtLocation(declaration.name), []);
  return docs;
}

describe("the JSDoc of core/config/client-config.ts states the schema's defaults", () => {
  const docs = jsdocs();
  const backticked = (text: string) => `\`${text}\``;

  it("every default of the schema, in its member's JSDoc and in its description when it has one", () => {
    for (const { path, node } of DEFAULTED) {
      const doc = docs.get(key(path)) ?? "";
      expect(statedDefault(doc)?.startsWith(stated(node.default, backticked)), `${key(path)}: ${doc}`).toBe(true);
      if (typeof node.description !== "string" || statedDefault(node.description) === undefined) continue;
      expect(statedDefault(node.description)?.startsWith(stated(node.default, (text) => text)), `${key(path)}: ${node.description}`).toBe(true);
    }
  });

  it("no other member states a default, but those that depend on other settings", () => {
    const stating = [...docs].filter(([, doc]) => statedDefault(doc) !== undefined).map(([path]) => path);
    expect(stating.filter((path) => !DEFAULTED.some((setting) => key(setting.path) === path))).toEqual(DEPENDENT);
  });
});
