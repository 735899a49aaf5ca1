// Properties of `steward gate` (fast-check), on real-format Pulumi documents built from the example
// clients: a preview that introduces a mandatory violation never passes, whatever noise surrounds
// it; a broken document is always a report or an input error naming the file, never a crash; and
// the CLI only ever exits 0, 1 or 2 on such input. A failing run prints its seed and the shrunk
// counterexample; replay it with `fc.assert(..., { seed, path })`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadClientConfig, type ClientConfig } from "../core/config";
import { InputError } from "../core/errors";
import type { Finding } from "../core/engine";
import { gateDocument, runGate, type FailOn } from "../core/gate";
import { beforeFindings } from "../core/partition";
import type { GateFinding, GateReport } from "../core/gate-report";
import { parsePulumiText, resourceStates } from "../core/sources/pulumi";
import { PULUMI_SECRET_PLACEHOLDER, PULUMI_SECRET_SIG, PULUMI_SECRET_SIG_VALUE, PULUMI_UNKNOWN } from "../core/values";
import { baselineStates, digest, type State } from "./support/previews";
import { engine, root } from "./support";

// A fixed seed keeps every CI run reproducible; STEWARD_FUZZ_SEED=<n> explores other inputs
// (a failure prints the seed and path to replay).
fc.configureGlobal({ seed: Number(process.env.STEWARD_FUZZ_SEED ?? 20261127) });

const NOW = new Date("2026-11-27T12:00:00Z");
const CLIENTS = ["harbor-dental", "northwind-logistics"] as const;
type Client = (typeof CLIENTS)[number];

const configs = new Map<Client, ClientConfig>();
function configOf(client: Client): ClientConfig {
  let config = configs.get(client);
  if (!config) {
    config = loadClientConfig(join(root, "stacks", `Pulumi.${client}.yaml`));
    configs.set(client, config);
  }
  return config;
}
const deployed = (client: Client): State[] => baselineStates(configOf(client), client, true);

function gateText(text: string, name: string, config: ClientConfig | null, failOn: FailOn): GateReport {
  return runGate({ states: resourceStates(parsePulumiText(text, name), name), config, evaluatedAt: NOW, engine: engine(), failOn });
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const EXTENSION_TYPES = new Set(["azure-native:compute:VirtualMachineExtension", "azure-native:hybridcompute:MachineExtension"]);
/** The handler fields of an extension's inputs: Arc extensions nest them under `properties`. */
function handler(state: State): Record<string, unknown> {
  const inputs = state.inputs as Record<string, unknown>;
  return state.type === "azure-native:hybridcompute:MachineExtension" ? (inputs.properties as Record<string, unknown>) : inputs;
}

// ---------------------------------------------------------------------------------------------
// 1. A violation the change introduces always blocks.
// ---------------------------------------------------------------------------------------------

/** The baseline's resources per endpoint are named `<client>-<endpoint>-<suffix>`. */
const SUFFIXES = {
  antivirus: "-antivirus",
  monitoring: "-monitoring-agent",
  ring: "-ring-assignment",
  rule: "-rule-association",
} as const;

const PROTECTION_SETTINGS: Array<{ path: [string] | [string, string]; values: unknown[] }> = [
  { path: ["AntimalwareEnabled"], values: [false, "false"] },
  { path: ["RealtimeProtectionEnabled"], values: ["false", false] },
  { path: ["ScheduledScanSettings", "isEnabled"], values: ["false", false] },
  { path: ["ScheduledScanSettings", "day"], values: ["8", 8] },
];
/** Entries Microsoft's exclusion guidance says never to exclude, as a client might write them. */
const RISKY_EXCLUSIONS: Array<["Paths" | "Extensions" | "Processes", string]> = [
  ["Paths", "C:\\Temp"],
  ["Paths", "%windir%\\Temp"],
  ["Paths", "C:\\"],
  ["Paths", "c:/users/jdoe/Downloads"],
  ["Paths", "D:\\Windows\\System32\\spool\\*"],
  ["Extensions", ".exe"],
  ["Extensions", "*.ps1"],
  ["Processes", "powershell.exe"],
  ["Processes", "C:\\Windows\\System32\\cmd.exe"],
];

/** A change that certainly introduces a mandatory finding, and the finding it introduces. */
interface MutationKind {
  policy: string;
  /** The resources it can apply to, in the deployed baseline. */
  targets: (state: State) => boolean;
  /** Deletes the target (the finding is then on the endpoint) or changes its inputs (the finding is on it). */
  apply: "delete" | ((target: State, variant: number) => void);
}

const isAntivirus = (state: State) => EXTENSION_TYPES.has(state.type) && state.urn.endsWith(SUFFIXES.antivirus);
const isAntimalware = (state: State) => isAntivirus(state) && handler(state).type === "IaaSAntimalware";

const MUTATIONS: Record<string, MutationKind> = {
  "delete-antivirus": { policy: "antivirus-installed", targets: isAntivirus, apply: "delete" },
  "delete-monitoring-agent": {
    policy: "endpoint-reports",
    targets: (state) => EXTENSION_TYPES.has(state.type) && state.urn.endsWith(SUFFIXES.monitoring),
    apply: "delete",
  },
  "delete-rule-association": { policy: "endpoint-reports", targets: (state) => state.urn.endsWith(SUFFIXES.rule), apply: "delete" },
  "delete-ring-assignment": { policy: "endpoint-in-one-ring", targets: (state) => state.urn.endsWith(SUFFIXES.ring), apply: "delete" },
  "auto-upgrade-off": {
    policy: "antivirus-up-to-date",
    targets: isAntivirus,
    apply: (target) => {
      handler(target).autoUpgradeMinorVersion = false;
    },
  },
  "protection-off": {
    policy: "antivirus-protection-on",
    targets: isAntimalware,
    apply: (target, variant) => {
      const { path, values } = PROTECTION_SETTINGS[variant % PROTECTION_SETTINGS.length] as (typeof PROTECTION_SETTINGS)[number];
      let settings = handler(target).settings as Record<string, unknown>;
      for (const key of path.slice(0, -1)) settings = settings[key] as Record<string, unknown>;
      settings[path[path.length - 1] as string] = values[Math.floor(variant / PROTECTION_SETTINGS.length) % values.length];
    },
  },
  "risky-exclusion": {
    policy: "antivirus-safe-exclusions",
    targets: isAntimalware,
    apply: (target, variant) => {
      const [kind, entry] = RISKY_EXCLUSIONS[variant % RISKY_EXCLUSIONS.length] as (typeof RISKY_EXCLUSIONS)[number];
      const settings = handler(target).settings as Record<string, unknown>;
      const exclusions = (settings.Exclusions ??= {}) as Record<string, unknown>;
      const current = exclusions[kind];
      exclusions[kind] = typeof current === "string" && current !== "" ? `${current};${entry}` : entry;
    },
  },
};

interface Mutation {
  kind: string;
  /** Which of the kind's targets (modulo their number). */
  pick: number;
  variant: number;
}

/** A finding the mutated preview must report as new and blocking. */
interface Expected {
  policy: string;
  /** The extension it is on (changes), or the endpoint named in its message (deletions). */
  urn?: string;
  endpoint?: string;
}

/** Applies the mutations to a copy of the baseline; returns the states after and the findings they must cause. */
function mutate(client: Client, base: State[], mutations: Mutation[]): { after: State[]; expected: Expected[] } {
  let after = structuredClone(base);
  const expected: Expected[] = [];
  for (const { kind, pick, variant } of mutations) {
    const mutation = MUTATIONS[kind] as MutationKind;
    const candidates = base.filter(mutation.targets).map((state) => state.urn);
    const urn = candidates[pick % candidates.length] as string;
    const target = after.find((state) => state.urn === urn);
    if (mutation.apply === "delete") {
      after = after.filter((state) => state.urn !== urn);
      const suffix = Object.values(SUFFIXES).find((candidate) => urn.endsWith(candidate)) as string;
      expected.push({ policy: mutation.policy, endpoint: nameOf(urn).slice(`${client}-`.length, -suffix.length) });
    } else {
      if (target) mutation.apply(target, variant);
      expected.push({ policy: mutation.policy, urn });
    }
  }
  // A change to a resource that another mutation deletes is moot (the deletion's finding stays).
  const present = new Set(after.map((state) => state.urn));
  return { after, expected: expected.filter((finding) => finding.urn === undefined || present.has(finding.urn)) };
}

/** Mutations of the kinds that have a target in the client's baseline (harbor-dental has no antimalware). */
const mutationsFor = (client: Client, length: { minLength: number; maxLength: number }) => {
  const base = deployed(client);
  const kinds = Object.keys(MUTATIONS).filter((kind) => base.some((MUTATIONS[kind] as MutationKind).targets));
  return fc.array(fc.record({ kind: fc.constantFrom(...kinds), pick: fc.nat(), variant: fc.nat() }), length);
};

/** Resources of types steward does not judge, with arbitrary (JSON) inputs. */
const UNRELATED_TYPES = [
  "azure-native:storage:StorageAccount",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:keyvault:Vault",
  "azure-native:resources:ResourceGroup",
  "azure-native:web:WebApp",
  "azure-native:compute:Disk",
  "random:index:RandomPassword",
];
const noiseValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(PULUMI_UNKNOWN));
const noiseArbitrary = fc.record({
  extras: fc.array(
    fc.record({
      type: fc.constantFrom(...UNRELATED_TYPES),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/),
      /** create: only after the change; delete: only before; same: both. */
      step: fc.constantFrom("create", "delete", "same"),
      inputs: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), noiseValue, { maxKeys: 4 }),
      unknownId: fc.boolean(),
    }),
    { maxLength: 5 },
  ),
  /** Unknown values on properties steward does not read (a fresh key, or a location). */
  unknowns: fc.array(
    fc.record({ pick: fc.nat(), key: fc.oneof(fc.constant("location"), fc.string({ minLength: 1, maxLength: 6 }).map((key) => `noise-${key}`)) }),
    { maxLength: 6 },
  ),
  /** Sort keys for the steps (missing keys sort first, in their order): any order of the steps. */
  order: fc.array(fc.nat({ max: 1000 }), { maxLength: 80 }),
  pretty: fc.boolean(),
});
type Noise = typeof noiseArbitrary extends fc.Arbitrary<infer T> ? T : never;

function noisyPreview(client: Client, before: State[], after: State[], noise: Noise): string {
  before = structuredClone(before);
  after = structuredClone(after);
  const stackUrn = before[0]?.urn as string;
  const withInputs = after.filter((state) => state.inputs !== undefined);
  for (const { pick, key } of noise.unknowns) {
    const target = withInputs[pick % withInputs.length] as State;
    target.inputs = { ...target.inputs, [key]: PULUMI_UNKNOWN };
  }
  noise.extras.forEach(({ type, name, step, inputs, unknownId }, index) => {
    const state: State = {
      urn: `urn:pulumi:${client}::steward::${type}::noise-${index}-${name}`,
      custom: true,
      type,
      id: unknownId ? PULUMI_UNKNOWN : `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-noise/providers/${type}/${name}`,
      inputs,
      parent: stackUrn,
      dependencies: [],
      propertyDependencies: {},
    };
    if (step !== "create") before.push(state);
    if (step !== "delete") after.push(state);
  });
  const preview = digest(before, after);
  preview.steps = preview.steps
    .map((step, index) => ({ step, key: noise.order[index] ?? 0 }))
    .sort((a, b) => a.key - b.key)
    .map(({ step }) => step);
  return JSON.stringify(preview, null, noise.pretty ? 2 : undefined);
}

describe("a change that introduces a mandatory violation never passes", () => {
  /** The machines each client's stack references but does not manage: its only findings, advisory. */
  const UNMANAGED: Record<Client, string[]> = {
    "harbor-dental": ["hd-backup01", "HD-FS01", "HD-PMS01"].map((name) => `Arc machine "${name}"`),
    "northwind-logistics": ["nwl-api01", "nwl-api02", "nwl-jump01", "nwl-web01", "nwl-web02", "nwl-etl01", "nwl-sql01", "nwl-sql02"].map((name) => `Azure VM "${name}"`),
  };

  it.each(CLIENTS)("the deployed %s baseline itself passes, so every violation below is new", (client) => {
    const text = JSON.stringify(digest(deployed(client), deployed(client)));
    const report = gateText(text, "baseline.json", configOf(client), "any");
    expect(report.summary).toEqual({ blocking: 0, advisory: UNMANAGED[client].length, waived: 0, resources: deployed(client).length });
    expect(report.findings.map((finding) => `${finding.status} ${finding.policy} ${finding.enforcement}: ${finding.message}`)).toEqual(
      UNMANAGED[client].map(
        (machine) => `existing patch-orchestration-unverified advisory: ${machine} is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`,
      ),
    );
  });

  it.each(CLIENTS)("%s: any set of violations, in any noise, blocks under --fail-on any and new", (client) => {
    const base = deployed(client);
    fc.assert(
      fc.property(mutationsFor(client, { minLength: 1, maxLength: 6 }), noiseArbitrary, (mutations, noise) => {
        const { after, expected } = mutate(client, base, mutations);
        const text = noisyPreview(client, base, after, noise);
        for (const failOn of ["any", "new"] as const) {
          const report = gateText(text, "preview.json", configOf(client), failOn);
          const blocking = report.findings.filter((finding) => finding.blocking);
          const explains = (want: Expected, finding: GateFinding) =>
            finding.policy === want.policy && (want.urn === undefined || finding.urn === want.urn) && (want.endpoint === undefined || finding.message.includes(`"${want.endpoint}"`));
          for (const want of expected) {
            expect(
              blocking.some((finding) => explains(want, finding)),
              `${failOn}: no blocking ${want.policy} on ${want.urn ?? want.endpoint}`,
            ).toBe(true);
          }
          // And nothing else blocks: every blocking finding is new and one of the violations, not noise.
          for (const finding of blocking) {
            expect(finding.status, `${failOn}: ${finding.policy} ${finding.urn}: ${finding.message}`).toBe("new");
            expect(
              expected.some((want) => explains(want, finding)),
              `${failOn}: blocking ${finding.policy} on ${finding.urn} (${finding.message}) is none of the violations`,
            ).toBe(true);
          }
          expect(report.summary.blocking).toBe(blocking.length);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("the before-state is judged from the endpoints the change touched (core/partition.ts)", () => {
  it.each(CLIENTS)("%s: violations on either side, in any noise: exactly the whole before-state's findings", (client) => {
    const base = deployed(client);
    const line = (finding: Finding) => `${finding.policy} ${finding.urn} ${finding.enforcement} ${finding.message}`;
    fc.assert(
      fc.property(mutationsFor(client, { minLength: 0, maxLength: 4 }), mutationsFor(client, { minLength: 0, maxLength: 4 }), noiseArbitrary, (old, current, noise) => {
        const text = noisyPreview(client, mutate(client, base, old).after, mutate(client, base, current).after, noise);
        const states = resourceStates(parsePulumiText(text, "preview.json"), "preview.json");
        const request = { states, config: configOf(client), evaluatedAt: NOW };
        const before = gateDocument(request, states.before);
        const after = gateDocument(request, states.after);
        const shortcut = beforeFindings(engine(), before, { document: after, findings: engine().evaluate(after).findings });
        expect(shortcut.map(line).sort()).toEqual(engine().evaluate(before).findings.map(line).sort());
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Broken documents: a report or an input error naming the file, never a crash.
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Valid documents of each kind steward reads, as text, with the client they belong to. */
function seeds(): Array<{ text: string; client: Client; eventLog?: true }> {
  const harbor = deployed("harbor-dental");
  const changed = structuredClone(harbor).filter((state) => !state.urn.endsWith("::harbor-dental-hd-backup01-antivirus"));
  const preview = digest(harbor, changed);
  const events: Array<Record<string, unknown>> = preview.steps.map((step, sequence) => ({
    sequence,
    timestamp: 1_764_244_800 + sequence,
    resourcePreEvent: { metadata: { op: step.op, urn: step.urn, type: (step.newState ?? step.oldState)?.type, old: step.oldState ?? null, new: step.newState ?? null } },
  }));
  // A finished preview's log ends with its summary (and a cancelEvent that closes the stream).
  const end = events.length;
  events.push(
    { sequence: end, timestamp: 1_764_244_800 + end, summaryEvent: { maybeCorrupt: false, durationSeconds: 4, resourceChanges: preview.changeSummary, PolicyPacks: {}, isPreview: true, result: "succeeded" } },
    { sequence: end + 1, timestamp: 1_764_244_801 + end, cancelEvent: {} },
  );
  const exported = {
    version: 3,
    deployment: {
      manifest: { time: NOW.toISOString(), magic: "", version: "v3.248.0" },
      resources: harbor,
    },
  };
  return [
    { text: JSON.stringify(preview, null, 2), client: "harbor-dental" },
    { text: JSON.stringify(digest([], baselineStates(configOf("northwind-logistics"), "northwind-logistics", false))), client: "northwind-logistics" },
    { text: events.map((event) => JSON.stringify(event)).join("\n"), client: "harbor-dental", eventLog: true },
    { text: JSON.stringify(exported, null, 2), client: "harbor-dental" },
  ];
}

/** Every place in a JSON tree; `structural` leaves out resource properties (inputs and outputs). */
function pathsOf(value: Json, structural: boolean, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, structural, [...at, index], out));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (structural && (key === "inputs" || key === "outputs")) out.push([...at, key]);
      else pathsOf(item, structural, [...at, key], out);
    }
  }
  return out;
}

const valueAt = (document: Json, path: Path): Json => path.reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, document);

/** Replaces (or, with `undefined`, removes) the value at a path; the root replaced whole. */
function setAt(document: Json, path: Path, value: Json | undefined): Json | undefined {
  if (path.length === 0) return value;
  let parent: Json = document;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key] as Json;
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(last as number, 1);
    else parent[last as number] = value;
  } else if (parent !== null && typeof parent === "object") {
    if (value === undefined) Reflect.deleteProperty(parent, last);
    else parent[last] = value;
  }
  return document;
}

/** Keys and strings that trip code treating input as trusted: prototype members, Pulumi's markers, ops. */
const TRICKY_STRINGS = [
  "",
  " ",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  PULUMI_UNKNOWN,
  PULUMI_SECRET_PLACEHOLDER,
  "delete",
  "create",
  "same",
  "urn:pulumi:harbor-dental::steward::azure-native:compute:VirtualMachine::x",
  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x",
];
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...TRICKY_STRINGS),
  fc.array(fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(...TRICKY_STRINGS)), { maxLength: 3 }) as fc.Arbitrary<Json>,
  fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...TRICKY_STRINGS, "$unknown", "$secret", "urn", "type", "op")), fc.jsonValue({ maxDepth: 1 }), {
    maxKeys: 3,
  }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>({ $unknown: true }, { $secret: true }, { [PULUMI_SECRET_SIG]: PULUMI_SECRET_SIG_VALUE }),
);

const treeEdit = fc.oneof(
  fc.record({ edit: fc.constant("drop" as const), pick: fc.nat(), structural: fc.boolean() }),
  fc.record({ edit: fc.constant("replace" as const), pick: fc.nat(), structural: fc.boolean(), value: wrongValue }),
  // A string of the right type with a tricky value (an op, a type, a URN, an id).
  fc.record({ edit: fc.constant("restring" as const), pick: fc.nat(), structural: fc.boolean(), value: fc.constantFrom(...TRICKY_STRINGS) }),
  // Arrays nested `depth` deep, spliced into the text (building them as values would overflow this test's own recursion).
  fc.record({ edit: fc.constant("deep" as const), pick: fc.nat(), structural: fc.boolean(), depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1000, max: 20_000 })) }),
);
const deepMarker = (depth: number) => `@@deep-${depth}@@`;
const textEdit = fc.oneof(
  fc.record({ edit: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    edit: fc.constant("insert" as const),
    at: fc.nat(),
    garbage: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom("\n", "}", "]", ",", '"', "\u0000", "\uFEFF", "\n{}\n", "NaN", "{\"sequence\":1}\n")),
  }),
);
const brokenDocument = fc.record({
  seed: fc.nat(),
  trees: fc.array(treeEdit, { maxLength: 4 }),
  texts: fc.array(textEdit, { maxLength: 2 }),
  pretty: fc.boolean(),
  withConfig: fc.boolean(),
});
type Broken = typeof brokenDocument extends fc.Arbitrary<infer T> ? T : never;

const SEEDS = seeds();

/** A seed document broken by the edits: its text, and the client it was built for (when kept). */
function breakDocument({ seed, trees, texts, pretty, withConfig }: Broken): { text: string; config: ClientConfig | null } {
  const { text: original, client, eventLog } = SEEDS[seed % SEEDS.length] as (typeof SEEDS)[number];
  let document: Json | undefined = eventLog ? original.split("\n").map((line) => JSON.parse(line) as Json) : (JSON.parse(original) as Json);
  for (const edit of trees) {
    if (document === undefined) break;
    const tree: Json = document;
    const paths = pathsOf(tree, edit.structural).filter((path) => edit.edit !== "restring" || typeof valueAt(tree, path) === "string");
    if (paths.length === 0) continue;
    const path = paths[edit.pick % paths.length] as Path;
    const value = edit.edit === "drop" ? undefined : edit.edit === "deep" ? deepMarker(edit.depth) : structuredClone(edit.value);
    document = setAt(tree, path, value);
  }
  let text =
    document === undefined
      ? ""
      : eventLog && Array.isArray(document)
        ? document.map((event) => JSON.stringify(event)).join("\n")
        : JSON.stringify(document, null, pretty ? 2 : undefined);
  for (const edit of trees) {
    if (edit.edit === "deep") text = text.replace(JSON.stringify(deepMarker(edit.depth)), "[".repeat(edit.depth) + "]".repeat(edit.depth));
  }
  for (const edit of texts) {
    const at = text.length === 0 ? 0 : edit.at % (text.length + 1);
    text = edit.edit === "truncate" ? text.slice(0, at) : text.slice(0, at) + edit.garbage + text.slice(at);
  }
  return { text, config: withConfig ? configOf(client) : null };
}

/** What the gate makes of a document: a report, or the input error it was refused with. */
function judge(text: string, name: string, config: ClientConfig | null): GateReport | InputError {
  try {
    return gateText(text, name, config, "any");
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

describe("a broken document is a report or an input error naming the file", () => {
  it("never crashes, never fails without saying which file", () => {
    fc.assert(
      fc.property(brokenDocument, (broken) => {
        const { text, config } = breakDocument(broken);
        const outcome = judge(text, "fuzz.json", config);
        if (outcome instanceof InputError) {
          expect(outcome.message.trim()).not.toBe("");
          expect(outcome.message).toContain("fuzz.json");
        } else {
          expect(outcome.version).toBe(1);
          expect(outcome.summary.blocking).toBe(outcome.findings.filter((finding) => finding.blocking).length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  // Counterexamples the property found, kept as examples.
  const URN = "urn:pulumi:harbor-dental::steward::azure-native:compute:VirtualMachineExtension::av";
  const created = (state: Record<string, unknown>) => JSON.stringify({ steps: [{ op: "create", urn: URN, newState: { urn: URN, ...state } }], changeSummary: { create: 1 } });
  it.each([
    // Was a schema error about the normalized document, naming no file.
    ["a parent that is not a string", created({ type: "t", parent: 0 }), 'fuzz.json: steps[0].newState: "parent" must be a string'],
    ["a dependency that is not a URN", created({ type: "t", dependencies: [{ $unknown: true }] }), 'fuzz.json: steps[0].newState: "dependencies" must be a list of URNs (strings)'],
    // Was a TypeError in the normalizer ("number 5 is not iterable"): exit 3.
    [
      "a propertyDependencies entry that is not a list",
      created({ type: "azure-native:compute:VirtualMachineExtension", inputs: { vmName: PULUMI_UNKNOWN }, propertyDependencies: { vmName: 5 } }),
      'fuzz.json: steps[0].newState: "propertyDependencies.vmName" must be a list of URNs (strings)',
    ],
    // Was a RangeError (stack overflow) in the property conversion: exit 3.
    ["property values nested 20000 deep", created({ type: "t", inputs: { a: "@@" } }).replace('"@@"', "[".repeat(20_000) + "]".repeat(20_000)), "fuzz.json: steps[0].newState: property values nest more than 100 levels deep"],
  ])("%s is an input error naming the file and step", (_case, text, message) => {
    const outcome = judge(text, "fuzz.json", configOf("harbor-dental"));
    expect(outcome).toBeInstanceOf(InputError);
    expect((outcome as InputError).message).toBe(message);
  });

  it.each(["constructor", "toString", "__proto__"])("a resource of type %s is judged like any other unknown type", (type) => {
    // Was "renamed" to a member of Object.prototype by the normalizer, then refused by the schema
    // ("/resources/0/type: must be string") without naming the file.
    const outcome = judge(created({ type, inputs: {} }), "fuzz.json", null);
    expect(outcome).not.toBeInstanceOf(InputError);
    expect(outcome).toMatchObject({ findings: [], summary: { blocking: 0, advisory: 0, waived: 0, resources: 1 } });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. The CLI on valid and broken documents: exit 0, 1 or 2 only, each meaning what it says.
// ---------------------------------------------------------------------------------------------

const scratch = mkdtempSync(join(tmpdir(), "steward-gate-properties-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cliInput = fc.oneof(
  fc
    .record({ mutations: mutationsFor("harbor-dental", { minLength: 0, maxLength: 2 }), noise: noiseArbitrary })
    .map(({ mutations, noise }) => {
      const base = deployed("harbor-dental");
      const { after, expected } = mutate("harbor-dental", base, mutations);
      return { text: noisyPreview("harbor-dental", base, after, noise), blocks: expected.length > 0 };
    }),
  brokenDocument.map((broken) => ({ text: breakDocument({ ...broken, withConfig: true }).text, blocks: undefined })),
);

describe("steward gate (the built CLI) on valid and broken documents", () => {
  it("exits 0 only without blocking findings, 1 only with them, 2 with a message, never 3", () => {
    let run = 0;
    fc.assert(
      fc.property(cliInput, fc.constantFrom<FailOn>("any", "new"), ({ text, blocks }, failOn) => {
        const file = join(scratch, `cli-${run++}.json`);
        writeFileSync(file, text);
        const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", file, "--stack", "harbor-dental", "--format", "json", "--fail-on", failOn], {
          encoding: "utf8",
          env: { ...process.env, NO_COLOR: "1" },
        });
        expect([0, 1, 2], `exit ${result.status}; stderr: ${result.stderr}`).toContain(result.status);
        if (result.status === 2) {
          expect(result.stderr).toMatch(/^steward: \S/);
          expect(result.stderr).toContain(file);
          expect(result.stdout).toBe("");
          return;
        }
        const report = JSON.parse(result.stdout) as GateReport;
        expect(report.version).toBe(1);
        expect(report.summary.blocking).toBe(report.findings.filter((finding) => finding.blocking).length);
        expect(result.status).toBe(report.summary.blocking > 0 ? 1 : 0);
        if (blocks !== undefined) expect(result.status).toBe(blocks ? 1 : 0);
      }),
      { numRuns: 10 },
    );
  }, 60_000);
});
