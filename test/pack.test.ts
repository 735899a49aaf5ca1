// steward's CrossGuard policy pack (policies/pack) without the Pulumi engine: the SDK's own RPC
// handlers (@pulumi/policy server.js) are given the requests the engine sends — every resource's
// inputs (Analyze), then the stack's outputs (AnalyzeStack) — built from the real engine's
// recordings and from planned baselines, and the pack's verdicts are held to `steward gate` and
// the preflight on the same resources, through the real wasm bundle.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PolicyPackArgs, PolicyResource } from "@pulumi/policy";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { judgeBaseline } from "../components/preflight";
import { loadClientConfig, parseClientConfig, type ClientConfig } from "../core/config";
import type { Finding, PolicyEngine } from "../core/engine";
import { exceptionText } from "../core/exceptions";
import { runGate } from "../core/gate";
import { resourceStates } from "../core/sources/pulumi";
import { PULUMI_UNKNOWN } from "../core/values";
import { resolveClient } from "../policies/pack/client";
import { CLIENT_POLICY, StewardPack } from "../policies/pack/pack";
import { toResource } from "../policies/pack/resources";
import { SECRET_PLACEHOLDER, UNKNOWN_SENTINELS, installAnalyzerInfoCache, installSecretRedaction } from "../policies/pack/sdk";
import { baselineStates, stackExport, type State } from "./support/previews";
import { engine, fixtures, root } from "./support";

const NOW = new Date(process.env.STEWARD_NOW ?? "2026-11-30T12:00:00Z");
const load = createRequire(__filename);

interface Rpc<Request, Response> {
  (call: { request: Request }, callback: (error: unknown, response?: Response) => void): Promise<void>;
}
const server = load("@pulumi/policy/server") as {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: PolicyPackArgs["policies"]): Rpc<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: PolicyPackArgs["policies"]): Rpc<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>;
};

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/** A violation as the engine receives it. */
interface Diagnostic {
  policy: string;
  level: (typeof LEVELS)[number];
  urn: string;
  message: string;
}

/** One resource as the engine knows it: inputs (what Analyze is given) and outputs (AnalyzeStack). */
interface EngineResource {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** A provider reference (`urn::id`) as the engine describes a resource's provider. */
function providerOf(reference: string | undefined): analyzer.AnalyzerProviderResource | undefined {
  if (!reference) return undefined;
  const urn = reference.slice(0, reference.lastIndexOf("::"));
  return new analyzer.AnalyzerProviderResource().setUrn(urn).setType(urn.split("::")[2] ?? "").setName(nameOf(urn)).setProperties(Struct.fromJavaScript({}));
}

function options(resource: EngineResource): analyzer.AnalyzerResourceOptions {
  const options = new analyzer.AnalyzerResourceOptions().setProtect(false).setIgnorechangesList([]).setAliasesList([]).setAdditionalsecretoutputsList([]);
  return resource.parent ? options.setParent(resource.parent) : options;
}

function analyzeRequest(resource: EngineResource): analyzer.AnalyzeRequest {
  const request = new analyzer.AnalyzeRequest()
    .setType(resource.type)
    .setUrn(resource.urn)
    .setName(nameOf(resource.urn))
    .setProperties(Struct.fromJavaScript(resource.inputs as never))
    .setOptions(options(resource));
  const provider = providerOf(resource.provider);
  return provider ? request.setProvider(provider) : request;
}

function stackRequest(resources: EngineResource[]): analyzer.AnalyzeStackRequest {
  return new analyzer.AnalyzeStackRequest().setResourcesList(
    resources.map((resource) => {
      const entry = new analyzer.AnalyzerResource()
        .setType(resource.type)
        .setUrn(resource.urn)
        .setName(nameOf(resource.urn))
        .setProperties(Struct.fromJavaScript(resource.outputs as never))
        .setOptions(options(resource))
        .setDependenciesList(resource.dependencies ?? []);
      if (resource.parent) entry.setParent(resource.parent);
      const provider = providerOf(resource.provider);
      if (provider) entry.setProvider(provider);
      for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        entry.getPropertydependenciesMap().set(property, new analyzer.AnalyzerPropertyDependencies().setUrnsList(urns));
      }
      return entry;
    }),
  );
}

function diagnostics(response: analyzer.AnalyzeResponse | undefined): Diagnostic[] {
  return (response?.getDiagnosticsList() ?? []).map((d) => ({
    policy: d.getPolicyname(),
    level: LEVELS[d.getEnforcementlevel()] as Diagnostic["level"],
    urn: d.getUrn(),
    message: d.getMessage(),
  }));
}

function call<Request>(rpc: Rpc<Request, analyzer.AnalyzeResponse>, request: Request): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    void rpc({ request }, (error, response) => (error ? reject(error) : resolve(diagnostics(response))));
  });
}

/** What the engine does with a pack during a preview: Analyze every resource, then AnalyzeStack once. */
async function throughSdk(pack: StewardPack, resources: EngineResource[], analyze = true): Promise<{ resource: Diagnostic[]; stack: Diagnostic[] }> {
  const { policies } = pack.args();
  const resource: Diagnostic[] = [];
  if (analyze) {
    const rpc = server.makeAnalyzeRpcFun("steward", "0.1.0", "advisory", policies);
    for (const entry of resources) resource.push(...(await call(rpc, analyzeRequest(entry))));
  }
  const stack = await call(server.makeAnalyzeStackRpcFun("steward", "0.1.0", "advisory", policies), stackRequest(resources));
  return { resource, stack };
}

/** The states of a `pulumi stack export` as the engine knows them. */
function fromStates(states: Array<State & { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>, deployed: boolean): EngineResource[] {
  return states.map((state) => ({
    urn: state.urn,
    type: state.type,
    inputs: state.inputs ?? {},
    // Before the first deployment the stand-in (and any provider without preview) reports the inputs as outputs.
    outputs: (deployed ? state.outputs : state.inputs) ?? {},
    ...(state.parent ? { parent: state.parent } : {}),
    ...(state.provider ? { provider: state.provider } : {}),
    dependencies: state.dependencies ?? [],
    propertyDependencies: state.propertyDependencies ?? {},
  }));
}

const harborExport = () => JSON.parse(readFileSync(fixtures("pulumi", "real", "harbor-dental.stack-export.json"), "utf8")) as ReturnType<typeof stackExport>;
const harbor = () => loadClientConfig(join(root, "stacks", "Pulumi.harbor-dental.yaml"));

/** The stack configuration the engine hands a pack (PULUMI_CONFIG) for a stack file. */
function engineConfiguration(file: string): NodeJS.ProcessEnv {
  const config = (parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
  const text = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
  return { PULUMI_CONFIG: JSON.stringify(text), PULUMI_NODEJS_STACK: "harbor-dental", PULUMI_NODEJS_PROJECT: "steward", PULUMI_NODEJS_DRY_RUN: "true" };
}

/** `steward gate` on the same export, as the pack's reference. */
function gateFindings(document: unknown, config: ClientConfig | null) {
  return runGate({ states: resourceStates(document, "export.json"), config, evaluatedAt: NOW, engine: engine(), failOn: "any" }).findings;
}

const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, " ");

/** What the pack reports for a finding at the policy's own level. */
function expected(finding: Pick<Finding, "policy" | "message" | "remediation" | "urn" | "enforcement">, onStack: boolean): Diagnostic {
  const title = engine().catalog[finding.policy]?.title;
  return {
    policy: finding.policy,
    level: finding.enforcement,
    urn: onStack ? finding.urn : "",
    message: [title, finding.message, ...(onStack ? [] : [`resource: ${finding.urn}`]), `fix: ${oneLine(finding.remediation)}`].join("\n"),
  };
}

const HARBOR_ARC = (name: string) => `/subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourcegroups/rg-harbor-arc/providers/microsoft.hybridcompute/machines/${name.toLowerCase()}`;
/** harbor-dental's Arc machines, which its stack references but does not manage. */
const HARBOR_MACHINES = ["hd-backup01", "HD-FS01", "HD-PMS01"];
const unverified = (name: string) => `Arc machine "${name}" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`;

const byText = (a: Diagnostic, b: Diagnostic) => (a.policy + a.urn + a.message).localeCompare(b.policy + b.urn + b.message);
const sorted = (diagnostics: Diagnostic[]) => [...diagnostics].sort(byText);

/** A VM added to the program outside any baseline, as azure-native registers it. */
const rogueVm = (stack: string): EngineResource => ({
  urn: `urn:pulumi:${stack}::steward::azure-native:compute:VirtualMachine::hd-rogue01`,
  type: "azure-native:compute:VirtualMachine",
  inputs: {
    vmName: "hd-rogue01",
    resourceGroupName: "rg-harbor-arc",
    location: "uksouth",
    hardwareProfile: { vmSize: "Standard_B2s" },
    osProfile: { computerName: "hd-rogue01", adminUsername: "harbor", adminPassword: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "correct horse battery staple" }, windowsConfiguration: { patchSettings: { patchMode: "AutomaticByOS" } } },
    storageProfile: { osDisk: { createOption: "FromImage", osType: "Windows" } },
  },
  outputs: { name: "hd-rogue01", location: "uksouth", vmId: PULUMI_UNKNOWN, provisioningState: PULUMI_UNKNOWN },
  provider: `urn:pulumi:${stack}::steward::pulumi:providers:azure-native::default_3_28_0::${PULUMI_UNKNOWN}`,
});

let catalogEngine: PolicyEngine;
beforeAll(() => {
  installSecretRedaction();
  catalogEngine = engine();
});

describe("the pack's policies", () => {
  it("are client-baseline, then one stack policy per steward policy with its METADATA", () => {
    const { policies } = new StewardPack({ engine: catalogEngine, env: {} }).args();
    const catalog = catalogEngine.catalog;
    expect(policies.map((policy) => policy.name)).toEqual([CLIENT_POLICY, ...Object.keys(catalog).sort()]);
    expect(policies[0]).toEqual({
      name: CLIENT_POLICY,
      description: "The client whose declared baseline, waivers and overrides the stack is judged against",
      enforcementLevel: "advisory",
      configSchema: {
        properties: {
          stackFile: { type: "string", description: "the client's stack file (absolute, or relative to the steward checkout)" },
          client: { type: "string", description: "the client id: its Pulumi.<client>.yaml in stacksDir" },
          stacksDir: { type: "string", description: "folder of the stack files (default: the checkout's stacks/)" },
        },
      },
      validateResource: expect.any(Function),
    });
    for (const policy of policies.slice(1)) {
      const descriptor = catalog[policy.name];
      expect(policy).toEqual({
        name: descriptor?.id,
        description: descriptor?.title,
        enforcementLevel: descriptor?.enforcement,
        severity: descriptor?.severity,
        remediationSteps: oneLine(descriptor?.remediation ?? ""),
        url: descriptor?.references[0],
        tags: ["steward"],
        validateStack: expect.any(Function),
      });
    }
    expect(policies.filter((policy) => policy.enforcementLevel === "mandatory").map((policy) => policy.name)).toEqual(
      Object.values(catalog).filter((descriptor) => descriptor.enforcement === "mandatory").map((descriptor) => descriptor.id).sort(),
    );
  });

  it("answer GetAnalyzerInfo with one message, built and serialized once: the SDK's own bytes", () => {
    type Message = { serializeBinary(): Uint8Array };
    const protoutil = createRequire(__filename)("@pulumi/policy/protoutil") as { makeAnalyzerInfo: (...args: unknown[]) => Message };
    const args = ["steward", "0.1.0", "advisory", new StewardPack({ engine: catalogEngine, env: {} }).args(), { "client-baseline": {} }];
    const sdkBytes = Buffer.from(protoutil.makeAnalyzerInfo(...args).serializeBinary());
    expect(sdkBytes.length).toBeGreaterThan(5000);
    installAnalyzerInfoCache();
    const first = protoutil.makeAnalyzerInfo(...args);
    expect(protoutil.makeAnalyzerInfo(...args)).toBe(first);
    expect(Buffer.from(first.serializeBinary())).toEqual(sdkBytes);
    // Other arguments (another pack in the process) are built for themselves.
    const other = protoutil.makeAnalyzerInfo("other-pack", ...args.slice(1));
    expect(other).not.toBe(first);
    expect(Buffer.from(other.serializeBinary()).subarray(2, 12).toString()).toBe("other-pack");
  });

  it("is found by the engine where PulumiPolicy.yaml says: package.json's main is the compiled pack, its version steward's", () => {
    const pack = join(root, "policies", "pack");
    expect(parse(readFileSync(join(pack, "PulumiPolicy.yaml"), "utf8"))).toEqual({
      runtime: "nodejs",
      description: "steward's Rego policies (the same wasm bundle as steward gate) on the stack the engine judges.",
    });
    const manifest = JSON.parse(readFileSync(join(pack, "package.json"), "utf8")) as { main: string; version: string };
    expect(manifest.version).toBe((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version);
    expect(join(pack, manifest.main)).toBe(join(root, "dist", "policies", "pack", "index.js"));
    expect(existsSync(join(pack, manifest.main))).toBe(true);
  });
});

describe("a deployed stack: the real engine's harbor-dental export", () => {
  const exported = harborExport();
  const resources = () => fromStates(exported.deployment.resources as State[], true);

  it("gets steward gate's findings, each on its policy at its level with its fix", async () => {
    const pack = new StewardPack({ engine: catalogEngine, env: engineConfiguration(join(root, "stacks", "Pulumi.harbor-dental.yaml")) });
    const { resource, stack } = await throughSdk(pack, resources());
    const findings = gateFindings(exported, harbor());
    expect(findings.map((finding) => [finding.policy, finding.enforcement, finding.urn, finding.message])).toEqual(
      HARBOR_MACHINES.map((name) => ["patch-orchestration-unverified", "advisory", HARBOR_ARC(name), unverified(name)]),
    );
    expect(resource).toEqual([]);
    expect(sorted(stack)).toEqual(findings.map((finding) => expected(finding, false)).sort(byText));
    expect(stack[0]?.message).toBe(
      [
        "Patch orchestration the stack cannot verify",
        'Arc machine "hd-backup01" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here',
        "resource: /subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourcegroups/rg-harbor-arc/providers/microsoft.hybridcompute/machines/hd-backup01",
        "fix: Check the machine's patch settings, or the scale set's upgrade policy, from outside the stack (steward coverage on an Azure Resource Graph export, which includes them), or bring the machine into a stack that manages it (pulumi import) so patch-orchestration (for a scale set, endpoint-in-one-ring) can judge it.",
      ].join("\n"),
    );
  });

  it("with a VM outside the baseline: the gate's blocking findings, mandatory, on the VM; its password never read", async () => {
    const vm = rogueVm("harbor-dental");
    const pack = new StewardPack({ engine: catalogEngine, env: engineConfiguration(join(root, "stacks", "Pulumi.harbor-dental.yaml")) });
    const { stack } = await throughSdk(pack, [...resources(), vm]);
    const document = stackExport([...(exported.deployment.resources as State[]), { urn: vm.urn, custom: true, type: vm.type, id: "x", inputs: vm.inputs, outputs: vm.outputs }]);
    const findings = gateFindings(document, harbor());
    const onVm = findings.filter((finding) => finding.urn === vm.urn);
    expect(onVm.map((finding) => [finding.policy, finding.enforcement, finding.message])).toEqual([
      ["antivirus-installed", "mandatory", 'Azure VM "hd-rogue01" has no antivirus extension'],
      ["endpoint-in-one-ring", "mandatory", 'Azure VM "hd-rogue01" is in no update ring'],
      ["endpoint-reports", "mandatory", 'Azure VM "hd-rogue01" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor'],
      ["endpoint-reports", "mandatory", 'Azure VM "hd-rogue01" is not associated with a data collection rule, so its agent collects nothing'],
      ["managed-tags", "mandatory", 'Azure VM "hd-rogue01" carries no tags; it needs "client", "managed-by"'],
      ["patch-orchestration", "mandatory", 'Azure VM "hd-rogue01" assessmentMode is not set; it must be "AutomaticByPlatform" so missing updates are assessed daily'],
      ["patch-orchestration", "mandatory", 'Azure VM "hd-rogue01" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it'],
      ["patch-orchestration", "mandatory", 'Azure VM "hd-rogue01" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it'],
    ]);
    expect(findings.filter((finding) => finding.urn !== vm.urn).map((finding) => [finding.policy, finding.urn, finding.message])).toEqual(
      HARBOR_MACHINES.map((name) => ["patch-orchestration-unverified", HARBOR_ARC(name), unverified(name)]),
    );
    expect(sorted(stack)).toEqual(findings.map((finding) => expected(finding, finding.urn === vm.urn)).sort(byText));
    expect(stack.filter((d) => d.level === "mandatory").map((d) => d.urn)).toEqual(Array(8).fill(vm.urn));
    expect(JSON.stringify(stack)).not.toContain("correct horse");
    expect(JSON.stringify(pack.judge([]))).not.toContain("correct horse");
  });

  it("refuses to judge outputs alone: without client-baseline's inputs no extension reaches its machine", async () => {
    const pack = new StewardPack({ engine: catalogEngine, env: engineConfiguration(join(root, "stacks", "Pulumi.harbor-dental.yaml")) });
    await expect(throughSdk(pack, resources(), false)).rejects.toThrow(
      "steward: the client-baseline policy did not run, so the stack's inputs are unknown (a stack policy sees only outputs, which lack the names " +
        "that tie extensions and ring assignments to their machines); do not disable client-baseline",
    );
  });

  it("evaluates the stack once for all fourteen stack policies", async () => {
    let evaluations = 0;
    const counting = Object.create(catalogEngine) as PolicyEngine;
    counting.evaluate = (...args) => {
      evaluations += 1;
      return catalogEngine.evaluate(...args);
    };
    await throughSdk(new StewardPack({ engine: counting, env: engineConfiguration(join(root, "stacks", "Pulumi.harbor-dental.yaml")) }), resources());
    expect(evaluations).toBe(1);
  });
});

describe("a first deployment: a client's planned baseline", () => {
  it("exceptions-in-force: waived findings advisory with the waiver, the disabled policy named advisory", async () => {
    const file = fixtures("stacks", "Pulumi.exceptions-in-force.yaml");
    const config = loadClientConfig(file);
    const pack = new StewardPack({ engine: catalogEngine, env: {}, client: { stackFile: file } });
    const { resource, stack } = await throughSdk(pack, fromStates(baselineStates(config, "exceptions-in-force", false), false));
    const preflight = judgeBaseline(config, { project: "steward", stack: "exceptions-in-force" }, NOW, catalogEngine);
    const waived = preflight.evaluation.findings.filter((finding) => finding.waiver !== null);
    const antivirus = (pos: string) =>
      `urn:pulumi:exceptions-in-force::steward::steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:compute:VirtualMachineExtension::wingtip-toys-${pos}-antivirus`;
    const protectionOff = (pos: string) =>
      `Microsoft Antimalware extension "wingtip-toys-${pos}-antivirus" on "${pos}" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)`;
    // Waived by the client's waiver on every resource.
    expect(waived.map((finding) => [finding.policy, finding.urn, finding.message, finding.waiver?.resource])).toEqual([
      ["antivirus-protection-on", antivirus("WT-POS01"), protectionOff("WT-POS01"), "*"],
      ["antivirus-protection-on", antivirus("WT-POS02"), protectionOff("WT-POS02"), "*"],
    ]);
    const open = preflight.evaluation.findings.filter((finding) => finding.waiver === null);
    const pos = (name: string) => `/subscriptions/9a4c2e71-5b3d-4f86-a1c0-7e2d9b5f3a18/resourcegroups/rg-wingtip-stores/providers/microsoft.compute/virtualmachines/${name.toLowerCase()}`;
    expect(open.map((finding) => [finding.policy, finding.enforcement, finding.urn, finding.message])).toEqual(
      ["WT-POS01", "WT-POS02"].map((name) => [
        "patch-orchestration-unverified",
        "advisory",
        pos(name),
        `Azure VM "${name}" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`,
      ]),
    );
    expect(preflight.notFullyEnforced.map((entry) => [entry.policy, entry.level, entry.findings])).toEqual([
      ["patch-orchestration", "disabled", 0],
      ["antivirus-protection-on", "waived", 2],
    ]);
    const title = (policy: string) => catalogEngine.catalog[policy]?.title;
    expect(resource).toEqual([]);
    expect(sorted(stack)).toEqual(
      [
        ...open.map((finding) => expected(finding, false)),
        ...waived.map((finding) => ({
          policy: finding.policy,
          level: "advisory" as const,
          urn: finding.urn,
          message: [
            title(finding.policy),
            finding.message,
            `fix: ${oneLine(finding.remediation)}`,
            `waived until 2027-02-24, approved by Dana Whitfield (Bluefin IT service manager): ${finding.waiver?.reason}`,
          ].join("\n"),
        })),
        ...preflight.notFullyEnforced.map((entry) => ({
          policy: entry.policy,
          level: "advisory" as const,
          urn: "",
          message: `${title(entry.policy)}\nnot fully enforced for client wingtip-toys: ${exceptionText(entry)}`,
        })),
      ].sort(byText),
    );
  });

  it("a policy the client raises to mandatory blocks although its METADATA says advisory", async () => {
    const text = readFileSync(join(root, "stacks", "Pulumi.harbor-dental.yaml"), "utf8").replace(
      "  steward:endpoints:",
      "  steward:policy:\n    enforcement:\n      patch-orchestration-unverified: mandatory\n  steward:endpoints:",
    );
    const file = join(mkdtempSync(join(tmpdir(), "steward-pack-")), "Pulumi.harbor-dental.yaml");
    writeFileSync(file, text);
    const pack = new StewardPack({ engine: catalogEngine, env: {}, client: { stackFile: file } });
    const { stack } = await throughSdk(pack, fromStates(baselineStates(parseClientConfig(text, file), "harbor-dental", false), false));
    expect(catalogEngine.catalog["patch-orchestration-unverified"]?.enforcement).toBe("advisory");
    const remediation = catalogEngine.catalog["patch-orchestration-unverified"]?.remediation ?? "";
    expect(sorted(stack)).toEqual(
      sorted(
        HARBOR_MACHINES.map((name) =>
          expected({ policy: "patch-orchestration-unverified", enforcement: "mandatory", urn: HARBOR_ARC(name), message: unverified(name), remediation }, false),
        ),
      ),
    );
  });
});

/** PolicyResource objects (as the SDK builds them for a stack policy) for direct calls. */
function policyResources(resources: EngineResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const resource of resources) {
    byUrn.set(resource.urn, { urn: resource.urn, type: resource.type, name: nameOf(resource.urn), props: resource.outputs, dependencies: [], propertyDependencies: {} } as unknown as PolicyResource);
  }
  for (const resource of resources) {
    const entry = byUrn.get(resource.urn) as PolicyResource & { parent?: PolicyResource };
    if (resource.parent) entry.parent = byUrn.get(resource.parent);
    entry.dependencies = (resource.dependencies ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
    entry.propertyDependencies = Object.fromEntries(Object.entries(resource.propertyDependencies ?? {}).map(([key, urns]) => [key, urns.flatMap((urn) => byUrn.get(urn) ?? [])]));
  }
  return [...byUrn.values()];
}

describe("values the engine sends", () => {
  it("unknowns of every type are steward's unknown; secrets never leave the SDK: steward's secret", async () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cret-value" };
    const deserialize = load("@pulumi/policy/deserialize") as { deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown> };
    const props = deserialize.deserializeProperties(Struct.fromJavaScript({ settings: { key: secret, list: [secret, "plain"] } } as never), false);
    expect(props).toEqual({ settings: { key: SECRET_PLACEHOLDER, list: [SECRET_PLACEHOLDER, "plain"] } });
    // Once per Struct: the SDK deserializes every resource again for each stack policy.
    const struct = Struct.fromJavaScript({ name: "x" });
    expect(deserialize.deserializeProperties(struct, false)).toBe(deserialize.deserializeProperties(struct, false));
    expect(deserialize.deserializeProperties(Struct.fromJavaScript({ name: "x" }), false)).not.toBe(deserialize.deserializeProperties(struct, false));

    const unknowns = Object.fromEntries([...UNKNOWN_SENTINELS].map((sentinel, index) => [`p${index}`, sentinel]));
    const resource = toResource({ urn: "urn:pulumi:s::p::t::n", type: "t", props: { ...unknowns, secret: SECRET_PLACEHOLDER, protectedSettings: { key: "x" } } } as unknown as PolicyResource, undefined);
    expect(resource.properties).toEqual({
      ...Object.fromEntries(Object.keys(unknowns).map((key) => [key, { $unknown: true }])),
      secret: { $secret: true },
      protectedSettings: { $secret: true },
    });
  });

  it("inputs win over outputs, as the gate reads a preview; relations are read by URN", () => {
    const [parent, child] = policyResources([
      { urn: "urn:pulumi:s::p::c::parent", type: "c", inputs: {}, outputs: {} },
      { urn: "urn:pulumi:s::p::c$t::child", type: "t", inputs: {}, outputs: { name: "out", id: "/subscriptions/x" }, parent: "urn:pulumi:s::p::c::parent", dependencies: ["urn:pulumi:s::p::c::parent"], propertyDependencies: { a: ["urn:pulumi:s::p::c::parent"] } },
    ]);
    expect((child as PolicyResource & { parent?: PolicyResource }).parent).toBe(parent);
    expect(toResource(child as PolicyResource, { name: "in", vmName: "vm1" })).toEqual({
      urn: "urn:pulumi:s::p::c$t::child",
      type: "t",
      name: "child",
      id: "/subscriptions/x",
      parent: "urn:pulumi:s::p::c::parent",
      provider: null,
      properties: { name: "in", id: "/subscriptions/x", vmName: "vm1" },
      dependencies: ["urn:pulumi:s::p::c::parent"],
      propertyDependencies: { a: ["urn:pulumi:s::p::c::parent"] },
    });
  });
});

describe("which client", () => {
  const file = join(root, "stacks", "Pulumi.harbor-dental.yaml");
  const withoutFile = (config: ClientConfig | null) => {
    if (!config) return null;
    const { file: _file, ...rest } = config;
    return rest;
  };

  it("by default the stack's own configuration, which the engine hands the pack: the stack file's", () => {
    const resolved = resolveClient({}, engineConfiguration(file));
    expect(resolved.origin).toBe("the configuration of stack harbor-dental");
    expect(withoutFile(resolved.config)).toEqual(withoutFile(loadClientConfig(file)));
  });

  it("a stack file or a client named by the pack configuration, relative to the checkout", () => {
    expect(resolveClient({ stackFile: "stacks/Pulumi.harbor-dental.yaml" }, {}).origin).toBe(file);
    expect(resolveClient({ client: "exceptions-in-force", stacksDir: "fixtures/stacks" }, {}).config?.client.id).toBe("wingtip-toys");
    expect(() => resolveClient({ client: "harbor-dental", stackFile: file }, {})).toThrow("client-baseline: give stackFile or client in the policy pack configuration, not both");
    expect(() => resolveClient({ client: "nobody" }, {})).toThrow(`no stack "nobody" in ${join(root, "stacks")}`);
  });

  it("a bad setting fails the run with what is wrong; no client at all is said on the stack", async () => {
    const env = engineConfiguration(file);
    const config = JSON.parse(env.PULUMI_CONFIG as string) as Record<string, string>;
    config["steward:endpoints"] = JSON.stringify([{ name: "HD-FS01", kind: "arc-machine", os: "windows", resourceGroup: "rg", ring: "nightly" }]);
    expect(() => resolveClient({}, { ...env, PULUMI_CONFIG: JSON.stringify(config) })).toThrow(
      '1 problem in the configuration of stack harbor-dental:\nthe configuration of stack harbor-dental:41:17: config."steward:endpoints"[0].ring: "nightly" is not an update ring (pilot, broad)',
    );

    const stackUrn = "urn:pulumi:harbor-dental::steward::pulumi:pulumi:Stack::steward-harbor-dental";
    const pack = new StewardPack({ engine: catalogEngine, env: {} });
    const { resource } = await throughSdk(pack, [{ urn: stackUrn, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {} }]);
    expect(resource).toEqual([
      {
        policy: CLIENT_POLICY,
        level: "advisory",
        // A resource policy's violation is the resource's: the engine adds the URN.
        urn: "",
        message:
          "The client whose declared baseline, waivers and overrides the stack is judged against\nNo client: the stack is judged without a declared baseline, " +
          "waivers or overrides. Its configuration has no steward:client, and the policy pack configuration names no client (client-baseline: stackFile or client).",
      },
    ]);
  });
});
