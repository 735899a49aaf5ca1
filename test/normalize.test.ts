import { describe, expect, it } from "vitest";
import type { DeclaredBaseline, Resource } from "../core/document";
import { TYPES } from "../core/azure";
import { normalize } from "../core/normalize";
import { assertValidDocument } from "../core/validate";
import { SECRET, UNKNOWN, toDocumentValue } from "../core/values";
import { stackResource } from "./support";

const SUB = "00000000-0000-0000-0000-00000000a11c";
const UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";


const baseline: DeclaredBaseline = {
  clientId: "acme",
  subscriptionId: SUB,
  endpoints: [
    { name: "web-01", kind: "azure-vm", os: "windows", resourceGroup: "rg-acme", ring: "pilot" },
    { name: "files-01", kind: "arc-machine", os: "linux", resourceGroup: "rg-onprem", ring: "broad" },
  ],
  rings: [
    { name: "pilot", order: 1 },
    { name: "broad", order: 2 },
  ],
};

function run(resources: Resource[], declared: DeclaredBaseline | null = baseline) {
  const document = normalize({
    source: "preview",
    stack: { project: "steward", stack: "acme" },
    evaluatedAt: "2026-11-27T12:00:00Z",
    resources,
    baseline: declared,
  });
  assertValidDocument(document);
  return document;
}

const vm = stackResource(TYPES.vm, "web-01", {
  vmName: "web-01",
  resourceGroupName: "rg-acme",
  location: "westeurope",
  tags: { client: "acme", "managed-by": "steward", ring: "pilot" },
  storageProfile: { osDisk: { osType: "Windows" } },
  osProfile: {
    windowsConfiguration: {
      patchSettings: {
        patchMode: "AutomaticByPlatform",
        assessmentMode: "AutomaticByPlatform",
        automaticByPlatformSettings: { bypassPlatformSafetyChecksOnUserSchedule: true, rebootSetting: "IfRequired" },
      },
    },
  },
});
const pilot = stackResource(TYPES.maintenanceConfiguration, "acme-ring-pilot", {
  resourceName: "acme-pilot",
  resourceGroupName: "rg-acme",
  maintenanceScope: "InGuestPatch",
  installPatches: { rebootSetting: "IfRequired", windowsParameters: { classificationsToInclude: ["Critical", "Security"] } },
  duration: "03:00",
  recurEvery: "Month Second Tuesday Offset2",
  startDateTime: "2026-01-01 02:00",
  timeZone: "W. Europe Standard Time",
  tags: { client: "acme", "managed-by": "steward", ring: "pilot" },
});

describe("normalize: joins", () => {
  it("attaches a VM extension, ring assignment and rule association to the VM the stack owns", () => {
    const antimalware = stackResource(TYPES.vmExtension, "web-01-antivirus", {
      vmName: "web-01",
      resourceGroupName: "rg-acme",
      publisher: "Microsoft.Azure.Security",
      type: "IaaSAntimalware",
      typeHandlerVersion: "1.3",
      autoUpgradeMinorVersion: true,
      settings: { AntimalwareEnabled: true },
      protectedSettings: { storageKey: "s3cr3t" },
    });
    const assignment = stackResource(TYPES.assignment, "web-01-ring", {
      resourceGroupName: "rg-acme",
      providerName: "Microsoft.Compute",
      resourceType: "virtualMachines",
      resourceName: "web-01",
      maintenanceConfigurationId: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Maintenance/maintenanceConfigurations/acme-pilot`,
    });
    const association = stackResource(TYPES.dataCollectionRuleAssociation, "web-01-dcr", {
      resourceUri: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachines/web-01`,
      dataCollectionRuleId: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Insights/dataCollectionRules/acme-dcr`,
    });
    const document = run([vm, antimalware, pilot, assignment, association]);
    const endpoint = document.endpoints.find((e) => e.name === "web-01");
    expect(endpoint).toEqual({
      urn: vm.urn,
      type: TYPES.vm,
      name: "web-01",
      kind: "azure-vm",
      os: "windows",
      id: `/subscriptions/${SUB}/resourcegroups/rg-acme/providers/microsoft.compute/virtualmachines/web-01`,
      resourceGroup: "rg-acme",
      subscriptionId: SUB,
      origins: ["stack", "declared", "referenced"],
      declaredRing: "pilot",
      tags: { client: "acme", "managed-by": "steward", ring: "pilot" },
      patchSettings: {
        patchMode: "AutomaticByPlatform",
        assessmentMode: "AutomaticByPlatform",
        bypassPlatformSafetyChecksOnUserSchedule: true,
        rebootSetting: "IfRequired",
      },
      osImageUpgrade: null,
      antivirus: [{ urn: antimalware.urn, type: TYPES.vmExtension, extensionType: "IaaSAntimalware" }],
      monitoringAgents: [],
      dataCollectionRuleAssociations: [
        {
          urn: association.urn,
          type: TYPES.dataCollectionRuleAssociation,
          rule: `/subscriptions/${SUB}/resourcegroups/rg-acme/providers/microsoft.insights/datacollectionrules/acme-dcr`,
        },
      ],
      ringAssignments: [{ urn: assignment.urn, type: TYPES.assignment, scope: "machine", ring: pilot.urn }],
    });
    expect(document.extensions).toEqual([
      {
        urn: antimalware.urn,
        type: TYPES.vmExtension,
        endpoint: vm.urn,
        role: "antivirus",
        product: "antimalware",
        publisher: "Microsoft.Azure.Security",
        extensionType: "IaaSAntimalware",
        typeHandlerVersion: "1.3",
        autoUpgradeMinorVersion: true,
        enableAutomaticUpgrade: null,
        suppressFailures: null,
        settings: { AntimalwareEnabled: true },
        exclusions: [],
        tags: null,
      },
    ]);
    expect(document.rings.map(({ name, order, osFamilies, endpoints }) => ({ name, order, osFamilies, endpoints }))).toEqual([
      { name: "pilot", order: 1, osFamilies: ["windows"], endpoints: [vm.urn] },
    ]);
    expect(JSON.stringify(document)).not.toContain("s3cr3t");
  });

  it("joins through propertyDependencies when names and ids are unknown (first deployment)", () => {
    const newVm = stackResource(TYPES.vm, "web-02", { vmName: "web-02", resourceGroupName: UNKNOWN_TEXT, storageProfile: { osDisk: { osType: "Linux" } } });
    const mde = stackResource(
      TYPES.vmExtension,
      "web-02-antivirus",
      { vmName: UNKNOWN_TEXT, resourceGroupName: UNKNOWN_TEXT, publisher: "Microsoft.Azure.AzureDefenderForServers", type: "MDE.Linux" },
      { propertyDependencies: { vmName: [newVm.urn] } },
    );
    const assignment = stackResource(
      TYPES.assignment,
      "web-02-ring",
      { providerName: "Microsoft.Compute", resourceType: "virtualMachines", resourceName: UNKNOWN_TEXT, maintenanceConfigurationId: UNKNOWN_TEXT },
      { propertyDependencies: { resourceName: [newVm.urn], maintenanceConfigurationId: [pilot.urn] } },
    );
    const dcr = stackResource(TYPES.dataCollectionRule, "acme-dcr", { tags: { client: "acme" } });
    const association = stackResource(
      TYPES.dataCollectionRuleAssociation,
      "web-02-dcr",
      { resourceUri: UNKNOWN_TEXT, dataCollectionRuleId: UNKNOWN_TEXT },
      { propertyDependencies: { resourceUri: [newVm.urn], dataCollectionRuleId: [dcr.urn] } },
    );
    const document = run([newVm, mde, pilot, assignment, dcr, association], null);
    // Its resource group, id and subscription are not known before the deployment.
    expect(document.endpoints).toEqual([
      {
        urn: newVm.urn,
        type: TYPES.vm,
        name: "web-02",
        kind: "azure-vm",
        os: "linux",
        id: null,
        resourceGroup: null,
        subscriptionId: null,
        origins: ["stack"],
        declaredRing: null,
        tags: null,
        patchSettings: { patchMode: null, assessmentMode: null, bypassPlatformSafetyChecksOnUserSchedule: null, rebootSetting: null },
        osImageUpgrade: null,
        antivirus: [{ urn: mde.urn, type: TYPES.vmExtension, extensionType: "MDE.Linux" }],
        monitoringAgents: [],
        dataCollectionRuleAssociations: [{ urn: association.urn, type: TYPES.dataCollectionRuleAssociation, rule: dcr.urn }],
        ringAssignments: [{ urn: assignment.urn, type: TYPES.assignment, scope: "machine", ring: pilot.urn }],
      },
    ]);
    // The extension carries its tags in `extensions`; the other managed resources are listed here.
    expect(document.managedResources.map((entry) => entry.urn)).toEqual([pilot.urn, dcr.urn]);
    expect(document.extensions.map((entry) => entry.urn)).toEqual([mde.urn]);
  });

  it("creates the machines a baseline only points at, merged with the declaration", () => {
    const arcMde = stackResource(TYPES.arcExtension, "files-01-antivirus", {
      machineName: "files-01",
      resourceGroupName: "rg-onprem",
      properties: { publisher: "Microsoft.Azure.AzureDefenderForServers", type: "MDE.Linux", typeHandlerVersion: "1.0", autoUpgradeMinorVersion: true },
    });
    const document = run([arcMde]);
    const webId = `/subscriptions/${SUB}/resourcegroups/rg-acme/providers/microsoft.compute/virtualmachines/web-01`;
    const filesId = `/subscriptions/${SUB}/resourcegroups/rg-onprem/providers/microsoft.hybridcompute/machines/files-01`;
    const attached = { monitoringAgents: [], dataCollectionRuleAssociations: [], ringAssignments: [] };
    expect(document.endpoints).toEqual([
      // web-01 is declared but not in this stack: still an endpoint, with nothing attached.
      {
        urn: webId,
        type: TYPES.vm,
        name: "web-01",
        kind: "azure-vm",
        os: "windows",
        id: webId,
        resourceGroup: "rg-acme",
        subscriptionId: SUB,
        origins: ["declared"],
        declaredRing: "pilot",
        tags: null,
        patchSettings: null,
        osImageUpgrade: null,
        antivirus: [],
        ...attached,
      },
      {
        urn: filesId,
        type: TYPES.arcMachine,
        name: "files-01",
        kind: "arc-machine",
        os: "linux",
        id: filesId,
        resourceGroup: "rg-onprem",
        subscriptionId: SUB,
        origins: ["declared", "referenced"],
        declaredRing: "broad",
        tags: null,
        patchSettings: null,
        osImageUpgrade: null,
        antivirus: [{ urn: arcMde.urn, type: TYPES.arcExtension, extensionType: "MDE.Linux" }],
        ...attached,
      },
    ]);
    // Arc extensions nest the handler under `properties`; the fact lifts it.
    expect(document.extensions).toEqual([
      {
        urn: arcMde.urn,
        type: TYPES.arcExtension,
        endpoint: filesId,
        role: "antivirus",
        product: "mde",
        publisher: "Microsoft.Azure.AzureDefenderForServers",
        extensionType: "MDE.Linux",
        typeHandlerVersion: "1.0",
        autoUpgradeMinorVersion: true,
        enableAutomaticUpgrade: null,
        suppressFailures: null,
        settings: null,
        exclusions: [],
        tags: null,
      },
    ]);
  });

  it("puts endpoints in a dynamic-scope ring when its filter matches them, and only then", () => {
    const linuxVm = stackResource(TYPES.vm, "db-01", {
      vmName: "db-01",
      resourceGroupName: "rg-acme",
      location: "westeurope",
      storageProfile: { osDisk: { osType: "Linux" } },
      tags: { patch: "broad" },
    });
    const broad = stackResource(TYPES.maintenanceConfiguration, "acme-ring-broad", { resourceName: "acme-broad", resourceGroupName: "rg-acme", maintenanceScope: "InGuestPatch" });
    const dynamic = stackResource(TYPES.assignmentForSubscription, "acme-broad-linux", {
      maintenanceConfigurationId: `/subscriptions/${SUB}/resourcegroups/rg-acme/providers/microsoft.maintenance/maintenanceconfigurations/acme-broad`,
      filter: {
        resourceTypes: ["Microsoft.Compute/virtualMachines", "Microsoft.HybridCompute/machines"],
        resourceGroups: ["RG-ACME"],
        osTypes: ["Linux"],
        tagSettings: { tags: { patch: ["broad", "late"] }, filterOperator: "Any" },
      },
    });
    const document = run([vm, linuxVm, broad, dynamic]);
    const rings = Object.fromEntries(document.endpoints.map((e) => [e.name, e.ringAssignments]));
    expect(rings).toEqual({
      "web-01": [], // Windows: osTypes excludes it
      "db-01": [{ urn: dynamic.urn, type: TYPES.assignmentForSubscription, scope: "subscription", ring: broad.urn }],
      "files-01": [], // declared only: its tags are not visible, so a tag filter cannot match it
    });
  });

  it("keeps a ring the stack does not contain as its lower-case id, and an unresolvable one as null", () => {
    const external = stackResource(TYPES.assignment, "web-01-external", {
      providerName: "Microsoft.Compute",
      resourceType: "virtualMachines",
      resourceName: "web-01",
      resourceGroupName: "rg-acme",
      maintenanceConfigurationId: "/subscriptions/X/resourceGroups/shared/providers/Microsoft.Maintenance/maintenanceConfigurations/Corp",
    });
    const unresolved = stackResource(TYPES.assignment, "web-01-unresolved", {
      providerName: "Microsoft.Compute",
      resourceType: "virtualMachines",
      resourceName: "web-01",
      resourceGroupName: "rg-acme",
      maintenanceConfigurationId: UNKNOWN_TEXT,
    });
    const host = stackResource(TYPES.assignment, "host-ring", { providerName: "Microsoft.Compute", resourceType: "hostGroups", resourceName: "hosts", resourceGroupName: "rg-acme" });
    const document = run([vm, external, unresolved, host]);
    expect(document.endpoints.find((e) => e.name === "web-01")?.ringAssignments.map((a) => a.ring)).toEqual([
      "/subscriptions/x/resourcegroups/shared/providers/microsoft.maintenance/maintenanceconfigurations/corp",
      null,
    ]);
    expect(document.endpoints.map((e) => e.name)).toEqual(["web-01", "files-01"]);
  });
});

describe("normalize: threat alert routes", () => {
  it("lists action group and security contact recipients in lower case with their switch", () => {
    const group = stackResource(TYPES.actionGroup, "acme-threat-alerts", {
      enabled: true,
      emailReceivers: [{ name: "SOC", emailAddress: "SOC@msp.example" }, { name: "blank", emailAddress: " " }],
    });
    const contact = stackResource(TYPES.securityContact, "acme-threat-contacts", { emails: "soc@msp.example; Owner@Acme.example", alertNotifications: { state: "On" } });
    const pending = stackResource(TYPES.actionGroup, "acme-pending", { enabled: true, emailReceivers: UNKNOWN_TEXT });
    expect(run([group, contact, pending]).notifications).toEqual([
      { urn: group.urn, type: TYPES.actionGroup, recipients: ["soc@msp.example"], enabled: true },
      { urn: contact.urn, type: TYPES.securityContact, recipients: ["soc@msp.example", "owner@acme.example"], enabled: true },
      { urn: pending.urn, type: TYPES.actionGroup, recipients: UNKNOWN, enabled: true },
    ]);
  });
});

describe("normalize: type tokens", () => {
  it("reads @pulumi/azure-native 2.x tokens (insights) as their 3.x names (monitor)", () => {
    const association = stackResource("azure-native:insights:DataCollectionRuleAssociation", "web-01-dcr", {
      resourceUri: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachines/web-01`,
      dataCollectionRuleId: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Insights/dataCollectionRules/acme-dcr`,
    });
    const document = run([vm, association]);
    expect(document.resources.map((resource) => resource.type)).toEqual([TYPES.vm, "azure-native:monitor:DataCollectionRuleAssociation"]);
    expect(document.endpoints[0]?.dataCollectionRuleAssociations.map((entry) => entry.type)).toEqual(["azure-native:monitor:DataCollectionRuleAssociation"]);
  });
});

describe("document values", () => {
  it("gives unknowns and secrets one representation and never carries secret content", () => {
    expect(
      toDocumentValue({
        id: UNKNOWN_TEXT,
        password: "[secret]",
        stored: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAAbase64" },
        protectedSettings: { workspaceKey: "plain-text-key" },
        __defaults: ["x"],
        nested: [UNKNOWN_TEXT, 1, true],
      }),
    ).toEqual({ id: UNKNOWN, password: SECRET, stored: SECRET, protectedSettings: SECRET, nested: [UNKNOWN, 1, true] });
  });
});
