// ClientBaseline and the program under Pulumi's mocks: every registration with its exact type,
// name, parent, inputs and aliases; the whole client judged once, before anything is registered.
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClientBaseline } from "../../components/baseline";
import { planBaseline } from "../../components/plan";
import { BaselineRefusedError } from "../../components/preflight";
import { loadClientConfig, type ClientConfig } from "../../core/config";
import { InputError } from "../../core/errors";
import { engine, root } from "../support";
import { SUB, acme, countsByType, mockPulumi, partOutputs, registeredValue, settled, valueOf, type Registration } from "./mocks";

const evaluatedAt = new Date("2026-11-27T12:00:00Z");
let registrations: Registration[] = [];
beforeEach(async () => {
  registrations = await mockPulumi("acme");
});
afterEach(settled);

/** A ClientBaseline of `config`, once every resource of it is registered. */
async function deployed(config: ClientConfig): Promise<ClientBaseline> {
  const baseline = new ClientBaseline(config.client.id, { config, engine: engine(), evaluatedAt });
  await valueOf(partOutputs(baseline));
  return baseline;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe("ClientBaseline", () => {
  it("registers its parts and their children, each under its parent, with aliases to the names they had before", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const baseline = await deployed(acme());
    expect(registrations.map(({ type, name, parent, aliases }) => ({ type, name, parent, aliases })).sort(byName)).toEqual(
      [
        { type: "steward:index:ClientBaseline", name: "acme", parent: null, aliases: [] },
        { type: "steward:index:MonitoringBaseline", name: "acme-monitoring", parent: "acme", aliases: [] },
        { type: "azure-native:operationalinsights:Workspace", name: "acme-monitoring-workspace", parent: "acme-monitoring", aliases: ["acme-workspace"] },
        { type: "azure-native:monitor:DataCollectionRule", name: "acme-monitoring-rule", parent: "acme-monitoring", aliases: ["acme-endpoint-rule"] },
        { type: "azure-native:monitor:ActionGroup", name: "acme-monitoring-threat-alerts", parent: "acme-monitoring", aliases: ["acme-threat-alerts"] },
        { type: "steward:index:AntivirusPolicy", name: "acme-antivirus", parent: "acme", aliases: [] },
        { type: "azure-native:security:Pricing", name: "acme-antivirus-defender-servers-6f1c2a9e", parent: "acme-antivirus", aliases: ["acme-defender-servers-6f1c2a9e"] },
        { type: "azure-native:security:SecurityContact", name: "acme-antivirus-threat-contacts", parent: "acme-antivirus", aliases: ["acme-threat-contacts"] },
        { type: "steward:index:UpdateRing", name: "acme-ring-pilot", parent: "acme", aliases: [] },
        { type: "azure-native:maintenance:MaintenanceConfiguration", name: "acme-ring-pilot-schedule", parent: "acme-ring-pilot", aliases: ["acme-pilot-schedule"] },
        { type: "steward:index:UpdateRing", name: "acme-ring-broad", parent: "acme", aliases: [] },
        { type: "azure-native:maintenance:MaintenanceConfiguration", name: "acme-ring-broad-schedule", parent: "acme-ring-broad", aliases: ["acme-broad-schedule"] },
        ...[
          ["web-01", "compute:VirtualMachineExtension"],
          ["files-01", "hybridcompute:MachineExtension"],
        ].flatMap(([endpoint, extension]) => [
          { type: "steward:index:ManagedEndpoint", name: `acme-${endpoint}`, parent: "acme", aliases: [] },
          { type: `azure-native:${extension}`, name: `acme-${endpoint}-antivirus`, parent: `acme-${endpoint}`, aliases: [] },
          { type: `azure-native:${extension}`, name: `acme-${endpoint}-monitoring-agent`, parent: `acme-${endpoint}`, aliases: [] },
          { type: "azure-native:monitor:DataCollectionRuleAssociation", name: `acme-${endpoint}-rule-association`, parent: `acme-${endpoint}`, aliases: [] },
          { type: "azure-native:maintenance:ConfigurationAssignment", name: `acme-${endpoint}-ring-assignment`, parent: `acme-${endpoint}`, aliases: [] },
        ]),
      ].sort(byName),
    );
    // Both machines are referenced, not owned: their patch orchestration is named as unverified,
    // in one warning for the whole baseline (findings by policy, then urn: rg-acme-onprem's first).
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /^steward: 2 advisory finding\(s\):\n {2}- \[patch-orchestration-unverified\] Arc machine "files-01".*\n.*\n.*\n {2}- \[patch-orchestration-unverified\] Azure VM "web-01"/,
    );
    warn.mockRestore();
    expect(await valueOf(baseline.preflight)).toEqual({ blocking: 0, advisory: 2, waived: 0 });
    expect(await valueOf(baseline.rings)).toEqual({ pilot: ["web-01"], broad: ["files-01"] });
    expect(await valueOf(baseline.responsibilities)).toEqual({ antivirus: "msp", patching: "msp", monitoring: "msp", reporting: "msp" });
  });

  it("answers the six questions for the baseline as deployed, and gives each ring's windows for a month", async () => {
    const baseline = await deployed(acme());
    const summary = await valueOf(baseline.compliance);
    const counts = (yes: number, notVerifiable: number) => ({ yes, waived: 0, no: 0, notVerifiable });
    expect([summary.basis, summary.status]).toEqual(["deployed", "not-verifiable"]);
    // files-01 is Linux: Defender for Endpoint, whose real-time protection Pulumi cannot see; no
    // input says whether patches were installed; undeclared machines were not looked for.
    expect(summary.questions.map((question) => [question.id, question.responsible, question.verdict, question.counts, question.limits.map((limit) => limit.whoKnows)])).toEqual([
      ["installed", "msp", "not-verifiable", counts(2, 0), ["Azure Resource Graph (give --inventory)"]],
      ["working", "msp", "not-verifiable", counts(1, 1), []],
      ["up-to-date", "msp", "yes", counts(2, 0), []],
      ["catching-threats", "msp", "yes", counts(2, 0), []],
      ["latest-release", "msp", "yes", counts(2, 0), []],
      ["patched", "msp", "not-verifiable", counts(0, 2), []],
    ]);
    // Patch Tuesday 2026-12-08; pilot + 1 day, broad + 7, both 02:00-05:00 UTC.
    expect(summary.rings.map((ring) => [ring.name, ring.endpoints, ring.windows.map((window) => [window.startUtc, window.endUtc]), ring.problem])).toEqual([
      ["pilot", ["web-01"], [["2026-12-09T02:00:00Z", "2026-12-09T05:00:00Z"]], null],
      ["broad", ["files-01"], [["2026-12-15T02:00:00Z", "2026-12-15T05:00:00Z"]], null],
    ]);
  });

  it("the compliance summary waits for every resource of the baseline: a preview shows it unknown", async () => {
    // A preview: the mocks give no ids, as the engine gives none for resources not yet created.
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: undefined, state: args.inputs }),
        call: (args) => {
          throw new Error(`unexpected provider call ${args.token}`);
        },
      },
      "steward",
      "acme",
      true,
    );
    const baseline = new ClientBaseline("acme", { config: acme(), engine: engine(), evaluatedAt });
    // An apply runs only on a known value: the summary is never shown before the ids exist.
    let shown: unknown = "never";
    baseline.compliance.apply((summary) => (shown = summary));
    await valueOf(baseline.preflight);
    await settled();
    expect(shown).toBe("never");
  });

  it("registers every planned resource with its planned inputs, each reference the id of the resource it names", async () => {
    await deployed(acme());
    const plan = planBaseline("acme", acme());
    const custom = registrations.filter((registration) => !registration.type.startsWith("steward:"));
    expect(custom.map(({ name, inputs }) => ({ name, inputs })).sort(byName)).toEqual(
      plan.resources.map((resource) => ({ name: resource.name, inputs: registeredValue(resource.args) })).sort(byName),
    );
    expect(custom.find((registration) => registration.name === "acme-files-01-ring-assignment")?.inputs).toEqual({
      configurationAssignmentName: "acme-broad",
      resourceGroupName: "rg-acme-onprem",
      providerName: "Microsoft.HybridCompute",
      resourceType: "machines",
      resourceName: "files-01",
      location: "westeurope",
      maintenanceConfigurationId: "acme-ring-broad-schedule-id",
    });
  });

  it("judges the whole client once: its parts stand on that judgement", async () => {
    const evaluate = vi.spyOn(engine(), "evaluate");
    await deployed(loadClientConfig(`${root}/stacks/Pulumi.northwind-logistics.yaml`));
    expect(evaluate).toHaveBeenCalledTimes(1);
    evaluate.mockRestore();
  });

  it("aliases every component and child of a baseline not named after its client to its name from the client id", async () => {
    const baseline = new ClientBaseline("acme-prod", { config: acme(), engine: engine(), evaluatedAt });
    await valueOf(partOutputs(baseline));
    const aliased = Object.fromEntries(registrations.map((registration) => [registration.name, registration.aliases]));
    expect(aliased["acme-prod"]).toEqual([]);
    expect(aliased["acme-prod-monitoring"]).toEqual(["acme-monitoring"]);
    expect(aliased["acme-prod-monitoring-rule"]).toEqual(["acme-endpoint-rule"]);
    expect(aliased["acme-prod-web-01"]).toEqual(["acme-web-01"]);
    expect(aliased["acme-prod-web-01-antivirus"]).toEqual(["acme-web-01-antivirus"]);
    expect(registrations.filter((registration) => registration.aliases.length === 1)).toHaveLength(registrations.length - 1);
  });

  it("warns, before anything else, which policies are not fully enforced for the client", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const config = loadClientConfig(`${root}/fixtures/stacks/Pulumi.exceptions-in-force.yaml`);
    const baseline = await deployed(config);
    const approver = "approved by Dana Whitfield (Bluefin IT service manager)";
    expect(warn.mock.calls[0]?.[0]).toBe(
      [
        "steward: Not fully enforced for this client (2):",
        `  - patch-orchestration (high): disabled instead of mandatory until 2027-02-24 (89 days left); hides 0 findings; ${approver}: ${config.policy.enforcement["patch-orchestration"]?.reason}`,
        `  - antivirus-protection-on (critical): waived on every resource (*) until 2027-02-24 (89 days left); hides 2 findings; ${approver}: ${config.waivers[0]?.reason}`,
      ].join("\n"),
    );
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
    expect(await valueOf(baseline.preflight)).toEqual({ blocking: 0, advisory: 2, waived: 2 });
    const plan = planBaseline(config.client.id, config);
    expect(registrations).toHaveLength(plan.components.length + plan.resources.length);
  });

  it("refuses a non-compliant plan with every finding and registers nothing", () => {
    const config = acme();
    // Microsoft Antimalware's settings, for the Windows VM (the Linux machine runs MDE.Linux).
    config.antivirus.appliesTo = "windows";
    config.antivirus.realtimeProtection = false;
    config.antivirus.exclusions.paths = ["C:\\Temp"];
    let refused: unknown;
    try {
      new ClientBaseline("acme", { config, engine: engine(), evaluatedAt });
    } catch (error) {
      refused = error;
    }
    // A RunError: Pulumi shows its message alone, without a stack trace.
    expect(pulumi.RunError.isInstance(refused)).toBe(true);
    const cause = (refused as Error).cause;
    expect(cause).toBeInstanceOf(BaselineRefusedError);
    expect((refused as Error).message).toBe((cause as BaselineRefusedError).message);
    expect((refused as Error).message).toMatch(/^steward preflight refused client "acme": 2 blocking finding\(s\); nothing was created\.\n/);
    expect((cause as BaselineRefusedError).findings.map((finding) => `${finding.policy}: ${finding.message}`)).toEqual([
      'antivirus-protection-on: Microsoft Antimalware extension "acme-web-01-antivirus" on "web-01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
      'antivirus-safe-exclusions: Microsoft Antimalware extension "acme-web-01-antivirus" on "web-01" excludes path "C:\\\\Temp": never exclude a temporary folder',
    ]);
    // The constructor threw before super(): not even the ClientBaseline was registered.
    expect(registrations).toEqual([]);
  });

  it("refuses antivirus settings its plan would drop, and rings it cannot deploy, and registers nothing", () => {
    const defender = acme();
    defender.antivirus.engine = "defender-for-endpoint";
    defender.antivirus.realtimeProtection = false;
    expect(() => new ClientBaseline("acme", { config: defender, engine: engine(), evaluatedAt })).toThrow(
      new InputError(
        [
          "client acme: antivirus settings that would not be deployed:",
          "  steward:antivirus.realtimeProtection: is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, " +
            "so web-01 and files-01 would not get it; set it where Defender for Endpoint's settings live (security settings management in the Defender portal " +
            "or Intune, Group Policy, or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)",
        ].join("\n"),
      ),
    );
    const ringless = acme();
    delete (ringless.endpoints[0] as { ring?: string }).ring;
    expect(() => new ClientBaseline("acme", { config: ringless, engine: engine(), evaluatedAt })).toThrow(
      new InputError(['client acme: update rings that cannot be deployed:', '  steward:endpoints: Azure VM "web-01" has no ring'].join("\n")),
    );
    expect(registrations).toEqual([]);
  });
});

const FIXED_PARTS = {
  "steward:index:ClientBaseline": 1,
  "steward:index:MonitoringBaseline": 1,
  "steward:index:AntivirusPolicy": 1,
  "azure-native:operationalinsights:Workspace": 1,
  "azure-native:monitor:DataCollectionRule": 1,
  "azure-native:monitor:ActionGroup": 1,
  "azure-native:security:SecurityContact": 1,
};

describe("example clients (stacks/)", () => {
  it.each([
    [
      "harbor-dental",
      {
        ...FIXED_PARTS,
        "steward:index:UpdateRing": 2,
        "steward:index:ManagedEndpoint": 3,
        "azure-native:security:Pricing": 1,
        "azure-native:maintenance:MaintenanceConfiguration": 2,
        "azure-native:hybridcompute:MachineExtension": 6,
        "azure-native:monitor:DataCollectionRuleAssociation": 3,
        "azure-native:maintenance:ConfigurationAssignment": 3,
      },
    ],
    [
      "northwind-logistics",
      {
        ...FIXED_PARTS,
        "steward:index:UpdateRing": 3,
        "steward:index:ManagedEndpoint": 8,
        "azure-native:security:Pricing": 1,
        "azure-native:maintenance:MaintenanceConfiguration": 3,
        "azure-native:compute:VirtualMachineExtension": 16,
        "azure-native:monitor:DataCollectionRuleAssociation": 8,
        "azure-native:maintenance:ConfigurationAssignment": 8,
      },
    ],
    [
      "contoso-legal",
      {
        ...FIXED_PARTS,
        "steward:index:UpdateRing": 2,
        "steward:index:ManagedEndpoint": 5,
        "azure-native:security:Pricing": 2,
        "azure-native:maintenance:MaintenanceConfiguration": 2,
        "azure-native:compute:VirtualMachineExtension": 6,
        "azure-native:hybridcompute:MachineExtension": 4,
        "azure-native:monitor:DataCollectionRuleAssociation": 5,
        "azure-native:maintenance:ConfigurationAssignment": 5,
      },
    ],
  ])("%s: passes its preflight and registers exactly its resources", async (stack, expected) => {
    const config = loadClientConfig(`${root}/stacks/Pulumi.${stack}.yaml`);
    const baseline = await deployed(config);
    expect(countsByType(registrations)).toEqual(expected);
    expect(await valueOf(baseline.preflight)).toEqual({ blocking: 0, advisory: config.endpoints.length, waived: 0 });
  });
});

describe("declared scale sets", () => {
  function withScaleSet(): ClientConfig {
    const config = acme();
    config.endpoints.push({ name: "web-ss", kind: "vm-scale-set", os: "linux", resourceGroup: "rg-acme", subscriptionId: SUB, role: "web tier" });
    return config;
  }

  it("registers them with the SDK's scale set extension; the preflight passes and names the scale set's unverified image upgrades", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const baseline = await deployed(withScaleSet());
    const names = (type: string) => registrations.filter((registration) => registration.type === type).map((registration) => registration.name).sort();
    expect(names("azure-native:compute:VirtualMachineScaleSetExtension")).toEqual(["acme-web-ss-antivirus", "acme-web-ss-monitoring-agent"]);
    expect(names("azure-native:maintenance:ConfigurationAssignment")).toEqual(["acme-files-01-ring-assignment", "acme-web-01-ring-assignment"]);
    expect(baseline.endpoints[2]?.ringAssignmentId).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toContain(
      `- [patch-orchestration-unverified] Scale set "web-ss" is not managed by this stack, so whether it upgrades its OS image automatically ` +
        "(upgradePolicy.automaticOSUpgradePolicy), the way Azure patches a scale set, is not verified here",
    );
    warn.mockRestore();
    expect(await valueOf(baseline.preflight)).toEqual({ blocking: 0, advisory: 3, waived: 0 });
  });

  it("fixtures/stacks/Pulumi.scale-sets.yaml passes its preflight: two VMs in rings, two scale sets in none", async () => {
    const config = loadClientConfig(`${root}/fixtures/stacks/Pulumi.scale-sets.yaml`);
    const baseline = await deployed(config);
    expect(countsByType(registrations)).toEqual({
      ...FIXED_PARTS,
      "steward:index:UpdateRing": 2,
      "steward:index:ManagedEndpoint": 4,
      "azure-native:security:Pricing": 1,
      "azure-native:maintenance:MaintenanceConfiguration": 2,
      "azure-native:compute:VirtualMachineExtension": 4,
      "azure-native:compute:VirtualMachineScaleSetExtension": 4,
      "azure-native:monitor:DataCollectionRuleAssociation": 4,
      "azure-native:maintenance:ConfigurationAssignment": 2,
    });
    expect(await valueOf(baseline.preflight)).toEqual({ blocking: 0, advisory: 4, waived: 0 });
    expect(await valueOf(baseline.rings)).toEqual({ pilot: ["tsp-sql01"], broad: ["tsp-sql02"] });
  });
});

describe("the Pulumi program (index.ts)", () => {
  it("deploys the client whose stack is selected, from its stack file", async () => {
    registrations = await mockPulumi("harbor-dental");
    const program = await import("../../index.js");
    expect(await valueOf(program.rings)).toEqual({ pilot: ["HD-FS01", "hd-backup01"], broad: ["HD-PMS01"] });
    expect(await valueOf(program.preflight)).toEqual({ blocking: 0, advisory: 3, waived: 0 });
    // The program keeps its ClientBaseline to itself: wait for every registration it started.
    await settled();
    expect(registrations.filter((registration) => registration.type === "steward:index:ClientBaseline").map((registration) => registration.name)).toEqual(["harbor-dental"]);
    expect(registrations).toHaveLength(27);
  });
});
