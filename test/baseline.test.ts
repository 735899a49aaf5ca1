// ClientBaseline under Pulumi's mocks: every resource recorded, exact types, counts and inputs;
// a non-compliant plan is refused before anything is registered.
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientConfig } from "../core/client-config";
import { ClientBaseline } from "../components/baseline";
import { BaselineRefusedError } from "../components/preflight";
import { antimalwareSettings, planBaseline, recurEvery } from "../components/plan";
import { ConfigError, loadClientConfig, parseClientConfig } from "../core/config";
import { InputError } from "../core/errors";
import { engine, root } from "./support";

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
let recorded: Recorded[] = [];

/** Mocks that record every resource and refuse any provider call. */
async function mockPulumi(stack: string): Promise<void> {
  recorded = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected provider call ${args.token}`);
      },
    },
    "steward",
    stack,
    true,
  );
}

beforeEach(() => mockPulumi("acme"));

/** Resolves when `count` resources were registered, or after five seconds (the count assertions then fail). */
async function registrations(count: number): Promise<Recorded[]> {
  for (let waited = 0; waited < 5000 && recorded.length < count; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return recorded;
}

const SUB = "6f1c2a9e-3b7d-4e5a-9c1f-2d8e7b6a5c41";
function acme(): ClientConfig {
  return {
    file: "stacks/Pulumi.acme.yaml",
    client: {
      id: "acme",
      displayName: "Acme Dental",
      scope: { subscriptions: [SUB], resourceGroups: [] },
      managementModel: "msp-managed",
      responsibilities: { antivirus: "msp", patching: "msp", monitoring: "msp", reporting: "msp" },
      contacts: { msp: [{ name: "MSP SOC", email: "soc@msp.example" }], client: [{ name: "Dr. Ada", email: "ada@acme.example" }] },
      reporting: { schedule: "monthly", recipients: ["ada@acme.example"] },
      location: "westeurope",
      resourceGroup: "rg-acme-steward",
    },
    antivirus: {
      engine: "antimalware",
      appliesTo: "all",
      realtimeProtection: true,
      scheduledScan: { enabled: true, day: "saturday", time: "02:00", type: "quick" },
      exclusions: { paths: [], extensions: [], processes: [] },
    },
    updateRings: [
      { name: "pilot", order: 1, patchTuesdayOffsetDays: 1, startTime: "02:00", duration: "03:00", timeZone: "UTC", classifications: { windows: ["Critical", "Security"], linux: ["Critical", "Security"] }, reboot: "IfRequired", exclusions: { kbNumbers: [], packages: [] } },
      { name: "broad", order: 2, patchTuesdayOffsetDays: 7, startTime: "02:00", duration: "03:00", timeZone: "UTC", classifications: { windows: ["Critical", "Security"], linux: ["Critical", "Security"] }, reboot: "IfRequired", exclusions: { kbNumbers: [], packages: [] } },
    ],
    endpoints: [
      { name: "web-01", kind: "azure-vm", os: "windows", resourceGroup: "rg-acme", subscriptionId: SUB, ring: "pilot" },
      { name: "files-01", kind: "arc-machine", os: "linux", resourceGroup: "rg-acme-onprem", subscriptionId: SUB, ring: "broad" },
    ],
    monitoring: { workspaceRetentionDays: 90 },
    waivers: [],
    policy: { enforcement: {}, minimumHandlerVersions: {} },
  };
}

describe("recurEvery", () => {
  it.each([
    [0, "Month Second Tuesday"],
    [1, "Month Second Tuesday Offset1"],
    [7, "Month Third Tuesday"],
    [13, "Month Third Tuesday Offset6"],
    [20, "Month Fourth Tuesday Offset6"],
  ])("%i days after Patch Tuesday is %s", (days, expected) => expect(recurEvery(days)).toBe(expected));

  it("refuses offsets Azure cannot express", () => expect(() => recurEvery(21)).toThrow(RangeError));
});

describe("ClientBaseline", () => {
  it("creates the planned components and resources for a compliant client, exactly", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const baseline = new ClientBaseline("acme", { config: acme(), engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") });
    const plan = planBaseline(acme());
    const all = await registrations(plan.components.length + plan.resources.length);
    const counts: Record<string, number> = {};
    for (const resource of all) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    expect(counts).toEqual({
      "steward:index:ClientBaseline": 1,
      "steward:index:MonitoringBaseline": 1,
      "steward:index:AntivirusPolicy": 1,
      "steward:index:UpdateRing": 2,
      "steward:index:ManagedEndpoint": 2,
      "azure-native:operationalinsights:Workspace": 1,
      "azure-native:monitor:DataCollectionRule": 1,
      "azure-native:monitor:ActionGroup": 1,
      "azure-native:security:Pricing": 1,
      "azure-native:security:SecurityContact": 1,
      "azure-native:maintenance:MaintenanceConfiguration": 2,
      "azure-native:compute:VirtualMachineExtension": 2,
      "azure-native:hybridcompute:MachineExtension": 2,
      "azure-native:monitor:DataCollectionRuleAssociation": 2,
      "azure-native:maintenance:ConfigurationAssignment": 2,
    });
    expect(all.find((r) => r.name === "acme-web-01-antivirus")?.inputs).toEqual({
      vmName: "web-01",
      resourceGroupName: "rg-acme",
      vmExtensionName: "antivirus",
      location: "westeurope",
      publisher: "Microsoft.Azure.Security",
      type: "IaaSAntimalware",
      typeHandlerVersion: "1.3",
      autoUpgradeMinorVersion: true,
      enableAutomaticUpgrade: true,
      settings: {
        AntimalwareEnabled: true,
        RealtimeProtectionEnabled: "true",
        ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" },
        Exclusions: { Paths: "", Extensions: "", Processes: "" },
      },
      tags: { client: "acme", "managed-by": "steward", "responsible-antivirus": "msp", "responsible-patching": "msp", ring: "pilot" },
    });
    expect(all.find((r) => r.name === "acme-files-01-ring-assignment")?.inputs).toEqual({
      configurationAssignmentName: "acme-broad",
      resourceGroupName: "rg-acme-onprem",
      providerName: "Microsoft.HybridCompute",
      resourceType: "machines",
      resourceName: "files-01",
      location: "westeurope",
      maintenanceConfigurationId: "acme-broad-schedule-id",
    });
    // Both machines are referenced, not owned: their patch orchestration is named as unverified,
    // in one warning for the whole baseline (findings by policy, then urn: rg-acme-onprem's first).
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /^steward: 2 advisory finding\(s\):\n {2}- \[patch-orchestration-unverified\] Arc machine "files-01".*\n.*\n.*\n {2}- \[patch-orchestration-unverified\] Azure VM "web-01"/,
    );
    warn.mockRestore();
    expect(await new Promise((resolve) => baseline.preflight.apply(resolve))).toEqual({ blocking: 0, advisory: 2, waived: 0 });
    expect(await new Promise((resolve) => baseline.rings.apply(resolve))).toEqual({ pilot: ["web-01"], broad: ["files-01"] });
  });

  it("warns, before anything else, which policies are not fully enforced for the client", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const config = loadClientConfig(`${root}/fixtures/stacks/Pulumi.exceptions-in-force.yaml`);
    const baseline = new ClientBaseline(config.client.id, { config, engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") });
    const approver = "approved by Dana Whitfield (Bluefin IT service manager)";
    expect(warn.mock.calls[0]?.[0]).toBe(
      [
        "steward: Not fully enforced for this client (2):",
        `  - patch-orchestration (high): disabled instead of mandatory until 2027-02-24 (89 days left); hides 0 findings; ${approver}: ${config.policy.enforcement["patch-orchestration"]?.reason}`,
        `  - antivirus-protection-on (critical): waived on every resource (*) until 2027-02-24 (89 days left); hides 2 findings; ${approver}: ${config.waivers[0]?.reason}`,
      ].join("\n"),
    );
    warn.mockRestore();
    expect(await new Promise((resolve) => baseline.preflight.apply(resolve))).toEqual({ blocking: 0, advisory: 2, waived: 2 });
    const plan = planBaseline(config);
    expect(await registrations(plan.components.length + plan.resources.length)).toHaveLength(plan.components.length + plan.resources.length);
  });

  it("refuses a non-compliant plan with every finding and registers nothing", async () => {
    const config = acme();
    // Microsoft Antimalware's settings, for the Windows VM (the Linux machine runs MDE.Linux).
    config.antivirus.appliesTo = "windows";
    config.antivirus.realtimeProtection = false;
    config.antivirus.exclusions.paths = ["C:\\Temp"];
    let refused: unknown;
    try {
      new ClientBaseline("acme", { config, engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") });
    } catch (error) {
      refused = error;
    }
    // A RunError: Pulumi shows its message alone, without a stack trace.
    expect(pulumi.RunError.isInstance(refused)).toBe(true);
    const cause = (refused as Error).cause;
    expect(cause).toBeInstanceOf(BaselineRefusedError);
    expect((refused as Error).message).toBe((cause as BaselineRefusedError).message);
    expect((cause as BaselineRefusedError).findings.map((finding) => `${finding.policy}: ${finding.message}`).sort()).toEqual([
      'antivirus-protection-on: Microsoft Antimalware extension "acme-web-01-antivirus" on "web-01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
      'antivirus-safe-exclusions: Microsoft Antimalware extension "acme-web-01-antivirus" on "web-01" excludes path "C:\\\\Temp": never exclude a temporary folder',
    ]);
    expect(await registrations(0)).toEqual([]);
  });
});

describe("antivirus settings are never silently dropped by the plan", () => {
  it("refuses settings for endpoints that get Defender for Endpoint, naming them, and registers nothing", async () => {
    const config = acme();
    config.antivirus.engine = "defender-for-endpoint";
    config.antivirus.realtimeProtection = false;
    const message = [
      "client acme: antivirus settings that would not be deployed:",
      "  steward:antivirus.realtimeProtection: is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, " +
        "so web-01 and files-01 would not get it; set it where Defender for Endpoint's settings live (security settings management in the Defender portal " +
        "or Intune, Group Policy, or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)",
    ].join("\n");
    expect(() => planBaseline(config)).toThrow(InputError);
    expect(() => planBaseline(config)).toThrow(message);
    expect(() => new ClientBaseline("acme", { config, engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") })).toThrow(message);
    expect(await registrations(0)).toEqual([]);
  });

  it("refuses Microsoft Antimalware settings meant for every endpoint when some are Linux (MDE.Linux)", () => {
    const config = acme();
    config.antivirus.exclusions.paths = ["D:\\SQLData"];
    expect(() => planBaseline(config)).toThrow(
      "  steward:antivirus.exclusions: is not deployed to the Linux endpoints files-01: Microsoft Antimalware is Windows only",
    );
    config.antivirus.appliesTo = "windows";
    const antivirus = planBaseline(config).resources.filter((resource) => resource.name.endsWith("-antivirus"));
    expect(antivirus.map((resource) => [resource.name, resource.args.type ?? (resource.args.properties as { type: string }).type])).toEqual([
      ["acme-web-01-antivirus", "IaaSAntimalware"],
      ["acme-files-01-antivirus", "MDE.Linux"],
    ]);
    expect((antivirus[0]?.args.settings as { Exclusions: { Paths: string } }).Exclusions.Paths).toBe("D:\\SQLData");
  });

  // Every engine, scope, mix of operating systems and setting: the plan either refuses, or every
  // endpoint the settings are for gets Microsoft Antimalware carrying them; the loader, given the
  // same stack file, refuses exactly when the plan does.
  const cases = (["antimalware", "defender-for-endpoint"] as const).flatMap((engineName) =>
    (["all", "windows"] as const).flatMap((appliesTo) =>
      [["windows"], ["linux"], ["windows", "linux"]].flatMap((systems) =>
        (["realtimeProtection: false", "scheduledScan: { day: daily }", "exclusions: { extensions: [.mdf] }"] as const).map(
          (setting) => [engineName, appliesTo, systems.join("+"), setting] as const,
        ),
      ),
    ),
  );
  it.each(cases)("%s, appliesTo %s, %s endpoints, %s", (engineName, appliesTo, systems, setting) => {
    const endpoints = systems.split("+").map((os, index) => `    - { name: m${index}-${os}, kind: azure-vm, os: ${os}, resourceGroup: rg-acme, ring: pilot }`);
    const text = `config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [${SUB}] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    engine: ${engineName}
    appliesTo: ${appliesTo}
    ${setting}
  steward:endpoints:
${endpoints.join("\n")}
`;
    let loaded: ClientConfig | undefined;
    try {
      loaded = parseClientConfig(text, "Pulumi.acme.yaml");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
    }
    // The same configuration, built in code without the loader's check.
    const config = acme();
    config.antivirus.engine = engineName;
    config.antivirus.appliesTo = appliesTo;
    config.endpoints = systems.split("+").map((os, index) => ({ name: `m${index}-${os}`, kind: "azure-vm", os: os as "windows" | "linux", resourceGroup: "rg-acme", subscriptionId: SUB, ring: "pilot" }));
    if (setting.startsWith("realtime")) config.antivirus.realtimeProtection = false;
    else if (setting.startsWith("scheduled")) config.antivirus.scheduledScan.day = "daily";
    else config.antivirus.exclusions.extensions = [".mdf"];

    let plan: ReturnType<typeof planBaseline> | undefined;
    try {
      plan = planBaseline(config);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
    }
    expect(plan === undefined).toBe(loaded === undefined);
    if (plan === undefined) return;
    const inScope = config.endpoints.filter((endpoint) => appliesTo === "all" || endpoint.os === "windows");
    expect(inScope.length).toBeGreaterThan(0);
    for (const endpoint of inScope) {
      const extension = plan.resources.find((resource) => resource.name === `acme-${endpoint.name}-antivirus`);
      expect(extension?.args.type).toBe("IaaSAntimalware");
      expect(extension?.args.settings).toEqual(antimalwareSettings(config.antivirus));
    }
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
    const baseline = new ClientBaseline(config.client.id, { config, engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") });
    const total = Object.values(expected).reduce((sum, count) => sum + count, 0);
    const counts: Record<string, number> = {};
    for (const resource of await registrations(total)) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    expect(counts).toEqual(expected);
    expect(await new Promise((resolve) => baseline.preflight.apply(resolve))).toEqual({ blocking: 0, advisory: config.endpoints.length, waived: 0 });
  });

  it("northwind-logistics: Microsoft Antimalware on Windows with its SQL Server exclusions, MDE on Linux", async () => {
    const config = loadClientConfig(`${root}/stacks/Pulumi.northwind-logistics.yaml`);
    const plan = planBaseline(config);
    const antivirus = plan.resources.filter((resource) => resource.name.endsWith("-antivirus"));
    const windows = antivirus.find((resource) => resource.args.type === "IaaSAntimalware");
    expect(windows?.args.settings).toEqual({
      AntimalwareEnabled: true,
      RealtimeProtectionEnabled: "true",
      ScheduledScanSettings: { isEnabled: "true", day: "1", time: "180", scanType: "Quick" },
      Exclusions: {
        Paths: "D:\\SQLData;E:\\SQLLogs",
        Extensions: ".mdf;.ndf;.ldf",
        Processes: "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe",
      },
    });
    expect(antivirus.map((resource) => resource.args.type).sort()).toEqual([
      ...Array(5).fill("IaaSAntimalware"),
      ...Array(3).fill("MDE.Linux"),
    ]);
  });

  it("contoso-legal (co-managed): threat alerts go to the MSP, who answers for antivirus", () => {
    const config = loadClientConfig(`${root}/stacks/Pulumi.contoso-legal.yaml`);
    const alerts = planBaseline(config).resources.find((resource) => resource.type === "azure-native:monitor:ActionGroup");
    expect(config.client.responsibilities).toEqual({ antivirus: "msp", patching: "client", monitoring: "shared", reporting: "msp" });
    expect(alerts?.args.emailReceivers).toEqual(
      config.client.contacts.msp.map((contact) => ({ name: contact.name, emailAddress: contact.email, useCommonAlertSchema: true })),
    );
  });
});

describe("declared scale sets", () => {
  const SCALE_SET_ID = `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss`;
  function withScaleSet(): ClientConfig {
    const config = acme();
    config.endpoints.push({ name: "web-ss", kind: "vm-scale-set", os: "linux", resourceGroup: "rg-acme", subscriptionId: SUB, role: "web tier" });
    return config;
  }

  it("plans its antivirus and monitoring agent as scale set extensions (no location, no tags: ARM gives them none), its rule association on its id, and no ring", () => {
    const plan = planBaseline(withScaleSet());
    expect(plan.components.filter((component) => component.name === "acme-web-ss")).toEqual([{ name: "acme-web-ss", type: "steward:index:ManagedEndpoint", parent: "acme" }]);
    expect(plan.resources.filter((resource) => resource.parent === "acme-web-ss")).toEqual([
      {
        name: "acme-web-ss-antivirus",
        type: "azure-native:compute:VirtualMachineScaleSetExtension",
        parent: "acme-web-ss",
        args: {
          vmScaleSetName: "web-ss",
          resourceGroupName: "rg-acme",
          vmssExtensionName: "antivirus",
          publisher: "Microsoft.Azure.AzureDefenderForServers",
          type: "MDE.Linux",
          typeHandlerVersion: "1.0",
          settings: { azureResourceId: SCALE_SET_ID, forceReOnboarding: false, vNextEnabled: true },
          autoUpgradeMinorVersion: true,
          enableAutomaticUpgrade: true,
        },
      },
      {
        name: "acme-web-ss-monitoring-agent",
        type: "azure-native:compute:VirtualMachineScaleSetExtension",
        parent: "acme-web-ss",
        args: {
          vmScaleSetName: "web-ss",
          resourceGroupName: "rg-acme",
          vmssExtensionName: "AzureMonitorAgent",
          publisher: "Microsoft.Azure.Monitor",
          type: "AzureMonitorLinuxAgent",
          typeHandlerVersion: "1.0",
          settings: {},
          autoUpgradeMinorVersion: true,
          enableAutomaticUpgrade: true,
        },
      },
      {
        name: "acme-web-ss-rule-association",
        type: "azure-native:monitor:DataCollectionRuleAssociation",
        parent: "acme-web-ss",
        args: { associationName: "acme-endpoints", resourceUri: SCALE_SET_ID, dataCollectionRuleId: { $idOf: "acme-endpoint-rule" } },
      },
    ]);
    expect(plan.rings).toEqual({ pilot: ["web-01"], broad: ["files-01"] });
  });

  it("ClientBaseline registers them with the SDK's scale set extension; the preflight passes and names the scale set's unverified image upgrades", async () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    const baseline = new ClientBaseline("acme", { config: withScaleSet(), engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") });
    const plan = planBaseline(withScaleSet());
    const all = await registrations(plan.components.length + plan.resources.length);
    expect(all).toHaveLength(plan.components.length + plan.resources.length);
    const names = (type: string) => all.filter((resource) => resource.type === type).map((resource) => resource.name).sort();
    expect(names("azure-native:compute:VirtualMachineScaleSetExtension")).toEqual(["acme-web-ss-antivirus", "acme-web-ss-monitoring-agent"]);
    expect(names("azure-native:maintenance:ConfigurationAssignment")).toEqual(["acme-files-01-ring-assignment", "acme-web-01-ring-assignment"]);
    expect(all.find((resource) => resource.name === "acme-web-ss-antivirus")?.inputs).toEqual(plan.resources.find((resource) => resource.name === "acme-web-ss-antivirus")?.args);
    expect(warn.mock.calls[0]?.[0]).toContain(
      `- [patch-orchestration-unverified] Scale set "web-ss" is not managed by this stack, so whether it upgrades its OS image automatically ` +
        "(upgradePolicy.automaticOSUpgradePolicy), the way Azure patches a scale set, is not verified here",
    );
    warn.mockRestore();
    expect(await new Promise((resolve) => baseline.preflight.apply(resolve))).toEqual({ blocking: 0, advisory: 3, waived: 0 });
  });

  it("fixtures/stacks/Pulumi.scale-sets.yaml passes its preflight: two VMs in rings, two scale sets in none", async () => {
    const config = loadClientConfig(`${root}/fixtures/stacks/Pulumi.scale-sets.yaml`);
    const baseline = new ClientBaseline(config.client.id, { config, engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") });
    const counts: Record<string, number> = {};
    const expected = {
      ...FIXED_PARTS,
      "steward:index:UpdateRing": 2,
      "steward:index:ManagedEndpoint": 4,
      "azure-native:security:Pricing": 1,
      "azure-native:maintenance:MaintenanceConfiguration": 2,
      "azure-native:compute:VirtualMachineExtension": 4,
      "azure-native:compute:VirtualMachineScaleSetExtension": 4,
      "azure-native:monitor:DataCollectionRuleAssociation": 4,
      "azure-native:maintenance:ConfigurationAssignment": 2,
    };
    for (const resource of await registrations(Object.values(expected).reduce((sum, count) => sum + count, 0))) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    expect(counts).toEqual(expected);
    expect(await new Promise((resolve) => baseline.preflight.apply(resolve))).toEqual({ blocking: 0, advisory: 4, waived: 0 });
    expect(await new Promise((resolve) => baseline.rings.apply(resolve))).toEqual({ pilot: ["tsp-sql01"], broad: ["tsp-sql02"] });
  });

  it("refuses a ring set in code on a scale set, and a VM or Arc machine without one of the client's rings, and registers nothing", async () => {
    const config = withScaleSet();
    Object.assign(config.endpoints[2] as object, { ring: "pilot" });
    Object.assign(config.endpoints[1] as object, { ring: "canary" });
    delete (config.endpoints[0] as { ring?: string }).ring;
    expect(() => new ClientBaseline("acme", { config, engine: engine(), evaluatedAt: new Date("2026-11-27T12:00:00Z") })).toThrow(
      new InputError(
        [
          "client acme: update rings that cannot be deployed:",
          '  steward:endpoints: Azure VM "web-01" has no ring',
          `  steward:endpoints: Arc machine "files-01" has ring "canary", which is not one of the client's update rings`,
          '  steward:endpoints: Scale set "web-ss" has ring "pilot": in-guest update rings do not patch scale sets (Azure patches one by automatic OS image upgrades); remove it',
        ].join("\n"),
      ),
    );
    expect(await registrations(0)).toEqual([]);
  });
});

describe("the Pulumi program (index.ts)", () => {
  it("deploys the client whose stack is selected, from its stack file", async () => {
    await mockPulumi("harbor-dental");
    const program = await import("../index.js");
    const all = await registrations(27);
    expect(all.filter((resource) => resource.type === "steward:index:ClientBaseline").map((resource) => resource.name)).toEqual(["harbor-dental"]);
    expect(all).toHaveLength(27);
    expect(await new Promise((resolve) => program.rings.apply(resolve))).toEqual({ pilot: ["HD-FS01", "hd-backup01"], broad: ["HD-PMS01"] });
  });
});
