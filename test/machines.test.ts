/**
 * Issue 9, classes 1, 7 and 8: every machine is an endpoint whatever token made it, stack-wide
 * policies judge only stacks with something to protect, and joins never credit the wrong machine.
 * Documents go through the real normalizer and the real wasm.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TYPES } from "../core/azure";
import type { Resource } from "../core/document";
import { normalize } from "../core/normalize";
import { resourceStates } from "../core/sources/pulumi";
import { assertValidDocument } from "../core/validate";
import { UNKNOWN } from "../core/values";
import { engine, fixtures, readJson, root, stackResource } from "./support";

const SUB = "00000000-0000-0000-0000-00000000a11c";

function document(resources: Resource[]) {
  const normalized = normalize({ source: "preview", stack: { project: "steward", stack: "acme" }, evaluatedAt: "2026-11-27T12:00:00Z", resources });
  assertValidDocument(normalized);
  return normalized;
}

/** `policy name: message` of every finding, sorted. */
function findings(resources: Resource[], policies?: string[]): string[] {
  return engine()
    .evaluate(document(resources))
    .findings.filter((finding) => !policies || policies.includes(finding.policy))
    .map((finding) => `${finding.policy} ${finding.urn.includes("::") ? finding.urn.slice(finding.urn.lastIndexOf("::") + 2) : finding.urn}: ${finding.message}`)
    .sort();
}

const windowsVm = (type: string, name = "web-01", extra: Record<string, unknown> = {}) =>
  stackResource(type, name, { vmName: name, resourceGroupName: "rg-acme", storageProfile: { osDisk: { osType: "Windows" } }, ...extra });

const antimalware = (type: string, vmName = "web-01", extra: Record<string, unknown> = {}, resourceExtra: Partial<Resource> = {}) =>
  stackResource(
    type,
    `${vmName}-antivirus`,
    {
      vmName,
      resourceGroupName: "rg-acme",
      publisher: "Microsoft.Azure.Security",
      type: "IaaSAntimalware",
      typeHandlerVersion: "1.3",
      autoUpgradeMinorVersion: true,
      settings: { AntimalwareEnabled: true, RealtimeProtectionEnabled: "true", ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" } },
      ...extra,
    },
    resourceExtra,
  );

/** Every type token the installed SDK declares for a resource (itself and its aliases). */
function sdkAliases(token: string): string[] {
  const [, module, name] = token.split(":") as [string, string, string];
  const file = join(root, "node_modules", "@pulumi", "azure-native", module, `${name[0]?.toLowerCase()}${name.slice(1)}.js`);
  return [...readFileSync(file, "utf8").matchAll(/type: "(azure-native:[^"]+)"/g)].map((match) => match[1] as string);
}

describe("every machine is an endpoint, whatever token made it", () => {
  it("an API-versioned VM without antivirus is blocked like an unversioned one", () => {
    expect(findings([windowsVm("azure-native:compute/v20240301:VirtualMachine")], ["antivirus-installed"])).toEqual([
      'antivirus-installed web-01: Azure VM "web-01" has no antivirus extension',
    ]);
  });

  it("an API-versioned extension protects the VM it names", () => {
    const resources = [windowsVm("azure-native:compute/v20240301:VirtualMachine"), antimalware("azure-native:compute/v20230701:VirtualMachineExtension")];
    expect(findings(resources, ["antivirus-installed", "antivirus-protection-on"])).toEqual([]);
    expect(document(resources).endpoints[0]?.antivirus.map((a) => a.type)).toEqual([TYPES.vmExtension]);
  });

  it("any alias the SDK declares for a VM or an Arc machine is an endpoint (property)", () => {
    const tokens = [...sdkAliases(TYPES.vm), ...sdkAliases(TYPES.arcMachine)];
    fc.assert(
      fc.property(fc.constantFrom(...tokens), (token) => {
        const endpoints = document([windowsVm(token)]).endpoints;
        expect(endpoints.map((endpoint) => [endpoint.urn, endpoint.type])).toEqual([[`urn:pulumi:acme::steward::${token}::web-01`, token.endsWith(":Machine") ? TYPES.arcMachine : TYPES.vm]]);
      }),
      { numRuns: 200 },
    );
  });

  it("a machine type steward does not understand is a blocking finding, not a skipped resource", () => {
    const lab = stackResource("azure-native:devtestlab:VirtualMachine", "lab-01", { labName: "lab", name: "lab-01", resourceGroupName: "rg-acme" });
    const hci = stackResource("azure-native:azurestackhci/v20240101:VirtualMachineInstance", "hci-01", { resourceUri: "x" });
    const runCommand = stackResource("azure-native:compute:VirtualMachineRunCommandByVirtualMachine", "patch-now", { vmName: "web-01" });
    const evaluation = engine().evaluate(document([lab, hci, runCommand]));
    const cannotJudge = (name: string, type: string) => `"${name}" (${type}) is a machine steward cannot judge: nobody can show its antivirus, patching or monitoring`;
    expect(evaluation.findings.filter((f) => f.policy === "machine-type-recognized").map((f) => [f.urn, f.enforcement, f.waiver, f.message])).toEqual([
      [hci.urn, "mandatory", null, cannotJudge("hci-01", "azure-native:azurestackhci:VirtualMachineInstance")],
      [lab.urn, "mandatory", null, cannotJudge("lab-01", "azure-native:devtestlab:VirtualMachine")],
    ]);
  });
});

describe("virtual machine scale sets are endpoints", () => {
  const scaleSet = (extensions: unknown[], upgradePolicy: Record<string, unknown> | null, name = "web-ss") =>
    stackResource(TYPES.scaleSet, name, {
      vmScaleSetName: name,
      resourceGroupName: "rg-acme",
      orchestrationMode: "Uniform",
      ...(upgradePolicy ? { upgradePolicy } : {}),
      virtualMachineProfile: {
        storageProfile: { osDisk: { osType: "Windows" } },
        osProfile: { windowsConfiguration: { patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" } } },
        extensionProfile: { extensions },
      },
    });
  const inlineAntimalware = {
    name: "antimalware",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    autoUpgradeMinorVersion: true,
    settings: { AntimalwareEnabled: true, RealtimeProtectionEnabled: "true", ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" } },
  };
  const automaticUpgrades = { mode: "Automatic", automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: true } };
  const endpointPolicies = ["antivirus-installed", "endpoint-in-one-ring", "endpoint-reports", "patch-orchestration"];

  it("a scale set with nothing is blocked on antivirus, patching (automatic OS image upgrades) and monitoring", () => {
    expect(findings([scaleSet([], null)], endpointPolicies)).toEqual([
      'antivirus-installed web-ss: Scale set "web-ss" has no antivirus extension',
      'endpoint-in-one-ring web-ss: Scale set "web-ss" does not upgrade its OS image automatically (enableAutomaticOSUpgrade is not set); Azure patches a scale set only that way, never by an in-guest update ring',
      'endpoint-reports web-ss: Scale set "web-ss" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor',
      'endpoint-reports web-ss: Scale set "web-ss" is not associated with a data collection rule, so its agent collects nothing',
          ]);
  });

  it("its model's extensions protect it, and automatic OS image upgrades patch it", () => {
    const monitor = { name: "ama", publisher: "Microsoft.Azure.Monitor", type: "AzureMonitorWindowsAgent", typeHandlerVersion: "1.0", autoUpgradeMinorVersion: true };
    const association = stackResource(TYPES.dataCollectionRuleAssociation, "web-ss-dcr", {
      resourceUri: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss`,
      dataCollectionRuleId: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Insights/dataCollectionRules/acme-dcr`,
    });
    const resources = [scaleSet([inlineAntimalware, monitor], automaticUpgrades), association];
    expect(findings(resources, endpointPolicies)).toEqual([]);
    const [endpoint] = document(resources).endpoints;
    expect(endpoint?.antivirus).toEqual([{ urn: `${resources[0]?.urn}/extensions/antimalware`, type: TYPES.scaleSetExtension, extensionType: "IaaSAntimalware" }]);
    expect(endpoint?.osImageUpgrade).toEqual({ automatic: true, upgradeMode: "Automatic" });
  });

  it("its model's extensions are judged: real-time protection off in a scale set's model is a finding", () => {
    const off = { ...inlineAntimalware, settings: { ...inlineAntimalware.settings, RealtimeProtectionEnabled: "false" } };
    expect(findings([scaleSet([off], automaticUpgrades)], ["antivirus-protection-on"])).toEqual([
      'antivirus-protection-on web-ss/extensions/antimalware: Microsoft Antimalware extension "web-ss/extensions/antimalware" on "web-ss" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
    ]);
  });

  it("a scale set extension resource (any API version) protects the scale set it names", () => {
    const extension = stackResource("azure-native:compute/v20240301:VirtualMachineScaleSetExtension", "web-ss-antivirus", {
      vmScaleSetName: "web-ss",
      resourceGroupName: "rg-acme",
      ...inlineAntimalware,
    });
    expect(findings([scaleSet([], automaticUpgrades), extension], ["antivirus-installed"])).toEqual([]);
  });

  it("ARM gives its extensions no tags: their facts say so (taggable false), and managed-tags asks only the scale set for its own", () => {
    const extension = stackResource(TYPES.scaleSetExtension, "web-ss-antivirus", { vmScaleSetName: "web-ss", resourceGroupName: "rg-acme", ...inlineAntimalware });
    const vmExtension = antimalware(TYPES.vmExtension);
    const resources = [scaleSet([inlineAntimalware], automaticUpgrades), extension, windowsVm(TYPES.vm), vmExtension];
    expect(document(resources).extensions.map(({ urn, taggable }) => ({ urn, taggable }))).toEqual([
      { urn: `${resources[0]?.urn}/extensions/antimalware`, taggable: false },
      { urn: extension.urn, taggable: false },
      { urn: vmExtension.urn, taggable: undefined },
    ]);
    expect(findings(resources, ["managed-tags"])).toEqual([
      'managed-tags web-01-antivirus: VirtualMachineExtension "web-01-antivirus" carries no tags; it needs "client", "managed-by"',
      'managed-tags web-01: Azure VM "web-01" carries no tags; it needs "client", "managed-by"',
      'managed-tags web-ss: Scale set "web-ss" carries no tags; it needs "client", "managed-by"',
    ]);
  });

  it("an instance of a scale set outside the stack makes that scale set an endpoint with nothing proven", () => {
    const instance = stackResource(TYPES.scaleSetVm, "web-ss-0", { vmScaleSetName: "web-ss", instanceId: "0", resourceGroupName: "rg-acme" });
    const endpoints = document([instance]).endpoints;
    expect(endpoints.map(({ kind, name, origins }) => ({ kind, name, origins }))).toEqual([{ kind: "vm-scale-set", name: "web-ss", origins: ["referenced"] }]);
    expect(findings([instance], ["antivirus-installed"])).toEqual(['antivirus-installed endpoint:vm-scale-set/rg-acme/web-ss: Scale set "web-ss" has no antivirus extension']);
  });

  it("one instance's extension or rule association does not protect the whole scale set", () => {
    const instanceExtension = stackResource(TYPES.scaleSetVmExtension, "web-ss-0-antivirus", {
      vmScaleSetName: "web-ss",
      instanceId: "0",
      resourceGroupName: "rg-acme",
      ...inlineAntimalware,
    });
    const instanceAssociation = stackResource(TYPES.dataCollectionRuleAssociation, "web-ss-0-dcr", {
      resourceUri: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss/virtualMachines/0`,
      dataCollectionRuleId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/dcr",
    });
    const normalized = document([scaleSet([], automaticUpgrades), instanceExtension, instanceAssociation]);
    expect(normalized.endpoints.map((e) => [e.name, e.antivirus.length, e.dataCollectionRuleAssociations.length])).toEqual([["web-ss", 0, 0]]);
    expect(normalized.extensions.map((e) => [e.urn, e.endpoint])).toEqual([[instanceExtension.urn, null]]);
  });
});

describe("joins never credit the wrong machine", () => {
  it("an extension whose resource group is unknown is not credited to a same-named machine in a known group", () => {
    const extension = antimalware(TYPES.vmExtension, "web-01", { resourceGroupName: UNKNOWN }, { propertyDependencies: { resourceGroupName: ["urn:pulumi:acme::steward::azure-native:resources:ResourceGroup::rg-new"] } });
    const normalized = document([windowsVm(TYPES.vm), extension]);
    expect(normalized.endpoints.map((e) => [e.name, e.resourceGroup, e.antivirus.length])).toEqual([["web-01", "rg-acme", 0]]);
    expect(normalized.extensions.map((e) => e.endpoint)).toEqual([null]);
    expect(findings([windowsVm(TYPES.vm), extension], ["antivirus-installed"])).toEqual(['antivirus-installed web-01: Azure VM "web-01" has no antivirus extension']);
  });

  it("an extension in a group created in the same change reaches the machine created in that group", () => {
    const group = ["urn:pulumi:acme::steward::azure-native:resources:ResourceGroup::rg-new"];
    const vm = windowsVm(TYPES.vm, "web-01", { resourceGroupName: UNKNOWN });
    vm.propertyDependencies = { resourceGroupName: group };
    const other = windowsVm(TYPES.vm, "web-01");
    const extension = antimalware(TYPES.vmExtension, "web-01", { resourceGroupName: UNKNOWN }, { propertyDependencies: { resourceGroupName: group } });
    const normalized = document([{ ...vm, urn: `${vm.urn}-new` }, other, extension]);
    expect(normalized.endpoints.map((e) => [e.urn, e.antivirus.length])).toEqual([
      [`${vm.urn}-new`, 1],
      [other.urn, 0],
    ]);
  });

  it("with no way to tell which machine, the extension credits none", () => {
    const vm = windowsVm(TYPES.vm, "web-01", { resourceGroupName: UNKNOWN });
    const extension = antimalware(TYPES.vmExtension, "web-01", { resourceGroupName: UNKNOWN });
    expect(document([vm, extension]).extensions.map((e) => e.endpoint)).toEqual([null]);
  });
});

describe("stack-wide policies judge only stacks with something to protect", () => {
  it("a preview of another project (AWS resources, no baseline) has no finding", () => {
    const states = resourceStates(readJson(fixtures("reference", "pulumi-recordings", "sample-preview-creates.json")), "sample-preview-creates.json");
    expect(states.after.map((resource) => resource.type)).toEqual([
      "pulumi:pulumi:Stack",
      "aws:s3/bucket:Bucket",
      "aws:s3:BucketEventSubscription",
      "aws:iam/role:Role",
      ...Array<string>(9).fill("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
      "aws:lambda/function:Function",
      "aws:lambda/permission:Permission",
      "aws:s3/bucketNotification:BucketNotification",
    ]);
    expect(findings(states.after)).toEqual([]);
  });

  it("one Azure VM without a baseline still needs a threat alert route", () => {
    expect(findings([windowsVm(TYPES.vm)], ["threat-alerts-routed"])).toEqual([
      "threat-alerts-routed stack:steward/acme: no enabled action group or security contact sends threat alerts to anyone",
    ]);
  });
});

describe("patch settings where each provider puts them", () => {
  it("reads an azure-native Arc machine's flattened patch settings, and ARM's nested ones", () => {
    const flattened = stackResource(TYPES.arcMachine, "files-01", {
      machineName: "files-01",
      resourceGroupName: "rg-onprem",
      osType: "linux",
      osProfile: { linuxConfiguration: { assessmentMode: "AutomaticByPlatform", patchMode: "AutomaticByPlatform" } },
    });
    const nested = stackResource(TYPES.arcMachine, "files-02", {
      machineName: "files-02",
      resourceGroupName: "rg-onprem",
      osType: "linux",
      osProfile: { linuxConfiguration: { patchSettings: { assessmentMode: "ImageDefault", patchMode: "Manual" } } },
    });
    expect(document([flattened, nested]).endpoints.map((e) => [e.name, e.patchSettings])).toEqual([
      ["files-01", { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform", bypassPlatformSafetyChecksOnUserSchedule: null, rebootSetting: null }],
      ["files-02", { patchMode: "Manual", assessmentMode: "ImageDefault", bypassPlatformSafetyChecksOnUserSchedule: null, rebootSetting: null }],
    ]);
    expect(findings([flattened], ["patch-orchestration"])).toEqual([]);
  });
});

describe("machines of the classic @pulumi/azure provider", () => {
  const classicVm = stackResource("azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "web-01", {
    name: "web-01",
    resourceGroupName: "rg-acme",
    patchMode: "AutomaticByPlatform",
    patchAssessmentMode: "AutomaticByPlatform",
    bypassPlatformSafetyChecksOnUserScheduleEnabled: true,
  });
  const classicExtension = stackResource("azure:compute/extension:Extension", "web-01-antivirus", {
    virtualMachineId: `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachines/web-01`,
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    autoUpgradeMinorVersion: true,
    settings: '{"AntimalwareEnabled":true,"RealtimeProtectionEnabled":"true"}',
  });

  it("a classic Windows VM without antivirus is blocked", () => {
    expect(findings([classicVm], ["antivirus-installed", "patch-orchestration"])).toEqual(['antivirus-installed web-01: Azure VM "web-01" has no antivirus extension']);
  });

  it("a classic extension protects the classic VM it names", () => {
    const normalized = document([classicVm, classicExtension]);
    expect(normalized.endpoints.map((e) => [e.urn, e.antivirus])).toEqual([
      [classicVm.urn, [{ urn: classicExtension.urn, type: TYPES.vmExtension, extensionType: "IaaSAntimalware" }]],
    ]);
    expect(findings([classicVm, classicExtension], ["antivirus-installed"])).toEqual([]);
  });

  it("a classic scale set with nothing is blocked on antivirus", () => {
    const scaleSet = stackResource("azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet", "web-ss", { name: "web-ss", resourceGroupName: "rg-acme" });
    expect(findings([scaleSet], ["antivirus-installed"])).toEqual(['antivirus-installed web-ss: Scale set "web-ss" has no antivirus extension']);
  });

  it("a classic machine type that is not translated is reported as a machine steward cannot judge", () => {
    const lab = stackResource("azure:devtest/linuxVirtualMachine:LinuxVirtualMachine", "lab-01", { name: "lab-01" });
    expect(findings([lab], ["machine-type-recognized"])).toEqual([
      'machine-type-recognized lab-01: "lab-01" (azure:devtest/linuxVirtualMachine:LinuxVirtualMachine) is a machine steward cannot judge: nobody can show its antivirus, patching or monitoring',
    ]);
  });
});
