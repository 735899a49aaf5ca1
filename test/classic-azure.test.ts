import { describe, expect, it } from "vitest";
import type { JsonValue, Resource } from "../core/document";
import { TYPES, looksLikeMachine } from "../core/azure";
import { normalize } from "../core/normalize";
import { CLASSIC, CLASSIC_TYPES, fromClassicAzure } from "../core/providers/azure-classic";
import { SECRET, UNKNOWN, toDocumentValue } from "../core/values";

const SUB = "00000000-0000-0000-0000-00000000a11c";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-acme/providers`;
const VM_ID = `${RG}/Microsoft.Compute/virtualMachines/web-01`;
const VMSS_ID = `${RG}/Microsoft.Compute/virtualMachineScaleSets/web-ss`;
const ARC_ID = `${RG}/Microsoft.HybridCompute/machines/files-01`;
const CONFIG_ID = `${RG}/Microsoft.Maintenance/maintenanceConfigurations/acme-pilot`;
const UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const TAGS = { client: "acme", "managed-by": "steward", ring: "pilot" };
const ANTIMALWARE_SETTINGS = '{"AntimalwareEnabled":true,"RealtimeProtectionEnabled":"true"}';

const urnOf = (type: string, name: string) => `urn:pulumi:acme::steward::${type}::${name}`;
const PROVIDER = "urn:pulumi:acme::steward::pulumi:providers:azure::default::0b0c";

/** A classic resource as the document reads it (properties through toDocumentValue, as Pulumi prints them). */
function classic(type: string, name: string, properties: Record<string, unknown>, extra: Partial<Resource> = {}): Resource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    id: null,
    parent: "urn:pulumi:acme::steward::pulumi:pulumi:Stack::steward-acme",
    provider: PROVIDER,
    properties: toDocumentValue(properties) as Record<string, JsonValue>,
    dependencies: [],
    propertyDependencies: {},
    ...extra,
  };
}

/** The one resource a classic resource translates to. */
function only(resource: Resource): Resource {
  const translated = fromClassicAzure(resource);
  expect(translated).toHaveLength(1);
  return (translated as Resource[])[0] as Resource;
}

/** What every translation keeps of the classic resource. */
function kept(resource: Resource) {
  const { type: _type, properties: _properties, propertyDependencies: _dependencies, ...rest } = resource;
  return rest;
}

const antimalwareBlock = {
  name: "IaaSAntimalware",
  publisher: "Microsoft.Azure.Security",
  type: "IaaSAntimalware",
  typeHandlerVersion: "1.3",
  settings: ANTIMALWARE_SETTINGS,
  protectedSettings: '{"storageKey":"s3cr3t"}',
};

describe("fromClassicAzure: virtual machines", () => {
  it("translates a Windows VM patched AutomaticByPlatform", () => {
    const resource = classic(
      CLASSIC.windowsVm,
      "web-01",
      {
        name: "web-01",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        size: "Standard_D2s_v5",
        adminUsername: "azureadmin",
        adminPassword: "[secret]",
        tags: TAGS,
        patchMode: "AutomaticByPlatform",
        patchAssessmentMode: "AutomaticByPlatform",
        bypassPlatformSafetyChecksOnUserScheduleEnabled: true,
        rebootSetting: "IfRequired",
        osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS" },
      },
      { id: VM_ID, dependencies: ["urn:rg"], propertyDependencies: { resourceGroupName: ["urn:rg"], patchMode: ["urn:cfg"] } },
    );
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachine",
      properties: {
        vmName: "web-01",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        tags: TAGS,
        storageProfile: { osDisk: { osType: "Windows" } },
        osProfile: {
          allowExtensionOperations: true,
          windowsConfiguration: {
            provisionVMAgent: true,
            enableAutomaticUpdates: true,
            patchSettings: {
              patchMode: "AutomaticByPlatform",
              assessmentMode: "AutomaticByPlatform",
              enableHotpatching: false,
              automaticByPlatformSettings: { bypassPlatformSafetyChecksOnUserSchedule: true, rebootSetting: "IfRequired" },
            },
          },
        },
      },
      propertyDependencies: { resourceGroupName: ["urn:rg"], osProfile: ["urn:cfg"] },
    });
  });

  it("gives a Linux VM without patch arguments the classic defaults", () => {
    const resource = classic(CLASSIC.linuxVm, "app-01", { name: "app-01", resourceGroupName: "rg-acme", location: "westeurope", size: "Standard_B2s" });
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachine",
      properties: {
        vmName: "app-01",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        storageProfile: { osDisk: { osType: "Linux" } },
        osProfile: {
          allowExtensionOperations: true,
          linuxConfiguration: {
            provisionVMAgent: true,
            patchSettings: {
              patchMode: "ImageDefault",
              assessmentMode: "ImageDefault",
              automaticByPlatformSettings: { bypassPlatformSafetyChecksOnUserSchedule: false },
            },
          },
        },
      },
      propertyDependencies: {},
    });
  });

  it("sends no OS profile for a VM on an attached OS disk (unknown disk: unknown profile)", () => {
    const attached = { name: "web-02", resourceGroupName: "rg-acme", patchMode: "AutomaticByPlatform" };
    const known = only(classic(CLASSIC.windowsVm, "web-02", { ...attached, osManagedDiskId: `${RG}/Microsoft.Compute/disks/web-02-os` }));
    expect(known.properties).toEqual({ vmName: "web-02", resourceGroupName: "rg-acme", storageProfile: { osDisk: { osType: "Windows" } } });
    const unknown = only(
      classic(CLASSIC.windowsVm, "web-02", { ...attached, osManagedDiskId: UNKNOWN_TEXT }, { propertyDependencies: { osManagedDiskId: ["urn:disk"] } }),
    );
    expect(unknown.properties).toEqual({
      vmName: "web-02",
      resourceGroupName: "rg-acme",
      storageProfile: { osDisk: { osType: "Windows" } },
      osProfile: UNKNOWN,
    });
    expect(unknown.propertyDependencies).toEqual({ osProfile: ["urn:disk"] });
  });

  it("reads a legacy VM's OS from its configuration block, or from the OS disk", () => {
    const windows = classic(CLASSIC.legacyVm, "legacy-01", {
      name: "legacy-01",
      resourceGroupName: "rg-acme",
      location: "westeurope",
      vmSize: "Standard_DS1_v2",
      osProfile: { computerName: "legacy-01", adminUsername: "azureadmin" },
      osProfileWindowsConfig: { provisionVmAgent: true, enableAutomaticUpgrades: true },
      storageOsDisk: { name: "legacy-01-os", createOption: "FromImage" },
    });
    expect(only(windows)).toEqual({
      ...kept(windows),
      type: "azure-native:compute:VirtualMachine",
      properties: {
        vmName: "legacy-01",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        storageProfile: { osDisk: { osType: "Windows" } },
        osProfile: {
          windowsConfiguration: {
            enableAutomaticUpdates: true,
            provisionVMAgent: true,
            patchSettings: {
              patchMode: "AutomaticByOS",
              assessmentMode: "ImageDefault",
              automaticByPlatformSettings: { bypassPlatformSafetyChecksOnUserSchedule: false },
            },
          },
        },
      },
      propertyDependencies: {},
    });

    // The classic default enableAutomaticUpgrades=false means Manual patching.
    const manual = only(classic(CLASSIC.legacyVm, "legacy-02", { name: "legacy-02", osProfile: { computerName: "legacy-02" }, osProfileWindowsConfig: {} }));
    expect(manual.properties.osProfile).toEqual({
      windowsConfiguration: {
        enableAutomaticUpdates: false,
        provisionVMAgent: false,
        patchSettings: { patchMode: "Manual", assessmentMode: "ImageDefault", automaticByPlatformSettings: { bypassPlatformSafetyChecksOnUserSchedule: false } },
      },
    });

    // An attached OS disk: no osProfile block, so the provider sends no OS profile.
    const attached = only(
      classic(CLASSIC.legacyVm, "legacy-03", { name: "legacy-03", storageOsDisk: { name: "os", createOption: "Attach", osType: "Linux" } }),
    );
    expect(attached.properties).toEqual({ vmName: "legacy-03", storageProfile: { osDisk: { osType: "Linux" } } });
  });
});

describe("fromClassicAzure: scale sets", () => {
  const translatedAntimalware = {
    name: "IaaSAntimalware",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    settings: ANTIMALWARE_SETTINGS,
    protectedSettings: SECRET,
    suppressFailures: false,
  };

  it("translates a Windows scale set with an inline IaaSAntimalware extension", () => {
    const resource = classic(
      CLASSIC.windowsVmss,
      "web-ss",
      {
        name: "web-ss",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        sku: "Standard_D2s_v5",
        instances: 2,
        tags: TAGS,
        upgradeMode: "Rolling",
        rollingUpgradePolicy: {
          maxBatchInstancePercent: 20,
          maxUnhealthyInstancePercent: 20,
          maxUnhealthyUpgradedInstancePercent: 5,
          pauseTimeBetweenBatches: "PT0S",
          maximumSurgeInstancesEnabled: true,
        },
        extensions: [antimalwareBlock],
      },
      { propertyDependencies: { extensions: ["urn:storage"] } },
    );
    // Raw classic shape: protectedSettings is a secret whatever it holds, even before toDocumentValue.
    resource.properties.extensions = [antimalwareBlock];
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineScaleSet",
      properties: {
        vmScaleSetName: "web-ss",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        tags: TAGS,
        orchestrationMode: "Uniform",
        upgradePolicy: {
          mode: "Rolling",
          automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: false },
          rollingUpgradePolicy: {
            maxBatchInstancePercent: 20,
            maxUnhealthyInstancePercent: 20,
            maxUnhealthyUpgradedInstancePercent: 5,
            pauseTimeBetweenBatches: "PT0S",
            maxSurge: true,
          },
        },
        virtualMachineProfile: {
          storageProfile: { osDisk: { osType: "Windows" } },
          osProfile: {
            allowExtensionOperations: true,
            windowsConfiguration: {
              provisionVMAgent: true,
              enableAutomaticUpdates: true,
              patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" },
            },
          },
          extensionProfile: {
            extensions: [{ ...translatedAntimalware, autoUpgradeMinorVersion: true, enableAutomaticUpgrade: false }],
            extensionsTimeBudget: "PT1H30M",
          },
        },
      },
      propertyDependencies: { virtualMachineProfile: ["urn:storage"] },
    });
  });

  it("turns automatic updates (and so AutomaticByOS) off on a Windows scale set with automatic OS upgrades", () => {
    const translated = only(
      classic(CLASSIC.windowsVmss, "web-ss", {
        name: "web-ss",
        upgradeMode: "Automatic",
        automaticOsUpgradePolicy: { enableAutomaticOsUpgrade: true, disableAutomaticRollback: false },
      }),
    );
    expect(translated.properties.upgradePolicy).toEqual({
      mode: "Automatic",
      automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: true, disableAutomaticRollback: false },
    });
    expect(translated.properties.virtualMachineProfile).toMatchObject({
      osProfile: { windowsConfiguration: { enableAutomaticUpdates: false, patchSettings: { patchMode: "Manual" } } },
    });
  });

  it("translates a Linux scale set with an inline extension", () => {
    const resource = classic(CLASSIC.linuxVmss, "app-ss", {
      name: "app-ss",
      resourceGroupName: "rg-acme",
      location: "westeurope",
      extensions: [{ ...antimalwareBlock, autoUpgradeMinorVersion: false, automaticUpgradeEnabled: true }],
    });
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineScaleSet",
      properties: {
        vmScaleSetName: "app-ss",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        orchestrationMode: "Uniform",
        upgradePolicy: { mode: "Manual", automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: false } },
        virtualMachineProfile: {
          storageProfile: { osDisk: { osType: "Linux" } },
          osProfile: {
            allowExtensionOperations: true,
            linuxConfiguration: { provisionVMAgent: true, patchSettings: { patchMode: "ImageDefault", assessmentMode: "ImageDefault" } },
          },
          extensionProfile: {
            extensions: [{ ...translatedAntimalware, autoUpgradeMinorVersion: false, enableAutomaticUpgrade: true }],
            extensionsTimeBudget: "PT1H30M",
          },
        },
      },
      propertyDependencies: {},
    });
  });

  it("translates an orchestrated (Flexible) scale set, its OS read from its OS profile", () => {
    const resource = classic(CLASSIC.orchestratedVmss, "flex-ss", {
      name: "flex-ss",
      resourceGroupName: "rg-acme",
      location: "westeurope",
      skuName: "Standard_D2s_v5",
      platformFaultDomainCount: 1,
      osProfile: {
        windowsConfiguration: {
          adminUsername: "azureadmin",
          adminPassword: "[secret]",
          patchMode: "AutomaticByPlatform",
          patchAssessmentMode: "AutomaticByPlatform",
        },
      },
      extensions: [
        {
          name: "IaaSAntimalware",
          publisher: "Microsoft.Azure.Security",
          type: "IaaSAntimalware",
          typeHandlerVersion: "1.3",
          settings: ANTIMALWARE_SETTINGS,
          protectedSettings: "[secret]",
          failureSuppressionEnabled: true,
        },
      ],
    });
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineScaleSet",
      properties: {
        vmScaleSetName: "flex-ss",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        orchestrationMode: "Flexible",
        upgradePolicy: { mode: "Manual", automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: false } },
        virtualMachineProfile: {
          storageProfile: { osDisk: { osType: "Windows" } },
          osProfile: {
            allowExtensionOperations: true,
            windowsConfiguration: {
              provisionVMAgent: true,
              enableAutomaticUpdates: true,
              patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform", enableHotpatching: false },
            },
          },
          extensionProfile: {
            extensions: [{ ...translatedAntimalware, autoUpgradeMinorVersion: true, suppressFailures: true }],
            extensionsTimeBudget: "PT1H30M",
          },
        },
      },
      propertyDependencies: {},
    });
  });

  it("translates a legacy scale set", () => {
    const resource = classic(CLASSIC.legacyVmss, "old-ss", {
      name: "old-ss",
      resourceGroupName: "rg-acme",
      location: "westeurope",
      upgradePolicyMode: "Manual",
      sku: { name: "Standard_D2s_v5", capacity: 2 },
      osProfile: { computerNamePrefix: "old", adminUsername: "azureadmin" },
      osProfileWindowsConfig: { provisionVmAgent: true, enableAutomaticUpgrades: true },
      storageProfileOsDisk: { createOption: "FromImage", managedDiskType: "Premium_LRS" },
      extensions: [antimalwareBlock],
    });
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineScaleSet",
      properties: {
        vmScaleSetName: "old-ss",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        orchestrationMode: "Uniform",
        upgradePolicy: { mode: "Manual", automaticOSUpgradePolicy: { enableAutomaticOSUpgrade: false } },
        virtualMachineProfile: {
          storageProfile: { osDisk: { osType: "Windows" } },
          osProfile: {
            windowsConfiguration: {
              enableAutomaticUpdates: true,
              provisionVMAgent: true,
              patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" },
            },
          },
          extensionProfile: { extensions: [{ ...translatedAntimalware, autoUpgradeMinorVersion: false }] },
        },
      },
      propertyDependencies: {},
    });
  });
});

describe("fromClassicAzure: extensions", () => {
  const extension = {
    name: "IaaSAntimalware",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    settings: ANTIMALWARE_SETTINGS,
    protectedSettings: "[secret]",
  };

  it("splits a known virtualMachineId into vmName and resourceGroupName, settings kept as the JSON string", () => {
    const resource = classic(
      CLASSIC.vmExtension,
      "web-01-antivirus",
      { ...extension, virtualMachineId: VM_ID, autoUpgradeMinorVersion: true, tags: TAGS },
      { id: `${VM_ID}/extensions/IaaSAntimalware`, dependencies: [urnOf(CLASSIC.windowsVm, "web-01")] },
    );
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineExtension",
      properties: {
        vmExtensionName: "IaaSAntimalware",
        vmName: "web-01",
        resourceGroupName: "rg-acme",
        publisher: "Microsoft.Azure.Security",
        type: "IaaSAntimalware",
        typeHandlerVersion: "1.3",
        autoUpgradeMinorVersion: true,
        enableAutomaticUpgrade: false,
        suppressFailures: false,
        settings: ANTIMALWARE_SETTINGS,
        protectedSettings: SECRET,
        tags: TAGS,
      },
      propertyDependencies: {},
    });
  });

  it("leaves vmName unknown when the id is, and joins through the renamed propertyDependencies", () => {
    const vmUrn = urnOf(CLASSIC.windowsVm, "web-01");
    const resource = classic(
      CLASSIC.vmExtension,
      "web-01-antivirus",
      { ...extension, virtualMachineId: UNKNOWN_TEXT },
      { dependencies: [vmUrn], propertyDependencies: { virtualMachineId: [vmUrn], settings: ["urn:cfg"] } },
    );
    const translated = only(resource);
    expect(translated).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineExtension",
      properties: {
        vmExtensionName: "IaaSAntimalware",
        vmName: UNKNOWN,
        resourceGroupName: UNKNOWN,
        publisher: "Microsoft.Azure.Security",
        type: "IaaSAntimalware",
        typeHandlerVersion: "1.3",
        autoUpgradeMinorVersion: false,
        enableAutomaticUpgrade: false,
        suppressFailures: false,
        settings: ANTIMALWARE_SETTINGS,
        protectedSettings: SECRET,
      },
      propertyDependencies: { vmName: [vmUrn], resourceGroupName: [vmUrn], settings: ["urn:cfg"] },
    });

    // The normalizer attaches it to the translated VM through the dependency.
    const vm = only(classic(CLASSIC.windowsVm, "web-01", { name: "web-01", resourceGroupName: "rg-acme", patchMode: "AutomaticByPlatform" }));
    const document = normalize({
      source: "preview",
      stack: { project: "steward", stack: "acme" },
      evaluatedAt: "2026-11-27T12:00:00Z",
      resources: [vm, translated],
    });
    expect(document.endpoints).toHaveLength(1);
    expect(document.endpoints[0]).toMatchObject({
      urn: vmUrn,
      os: "windows",
      patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "ImageDefault", bypassPlatformSafetyChecksOnUserSchedule: false },
      antivirus: [{ urn: resource.urn, extensionType: "IaaSAntimalware" }],
    });
  });

  it("translates a scale-set extension to the flattened azure-native resource", () => {
    const resource = classic(CLASSIC.vmssExtension, "web-ss-antivirus", { ...extension, virtualMachineScaleSetId: VMSS_ID });
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:compute:VirtualMachineScaleSetExtension",
      properties: {
        vmssExtensionName: "IaaSAntimalware",
        name: "IaaSAntimalware",
        vmScaleSetName: "web-ss",
        resourceGroupName: "rg-acme",
        publisher: "Microsoft.Azure.Security",
        type: "IaaSAntimalware",
        typeHandlerVersion: "1.3",
        autoUpgradeMinorVersion: true,
        enableAutomaticUpgrade: false,
        suppressFailures: false,
        settings: ANTIMALWARE_SETTINGS,
        protectedSettings: SECRET,
      },
      propertyDependencies: {},
    });
  });
});

describe("fromClassicAzure: sentinels", () => {
  it("keeps unknown and secret values as sentinels, never a default", () => {
    const vm = only(
      classic(CLASSIC.windowsVm, "web-01", { name: "web-01", resourceGroupName: UNKNOWN_TEXT, tags: "[secret]", patchMode: UNKNOWN_TEXT }),
    );
    expect(vm.properties).toMatchObject({
      resourceGroupName: UNKNOWN,
      tags: SECRET,
      osProfile: { windowsConfiguration: { patchSettings: { patchMode: UNKNOWN, assessmentMode: "ImageDefault" } } },
    });

    const scaleSet = only(classic(CLASSIC.windowsVmss, "web-ss", { name: "web-ss", extensions: UNKNOWN_TEXT, enableAutomaticUpdates: UNKNOWN_TEXT }));
    expect(scaleSet.properties.virtualMachineProfile).toMatchObject({
      osProfile: { windowsConfiguration: { enableAutomaticUpdates: UNKNOWN, patchSettings: { patchMode: UNKNOWN } } },
      extensionProfile: { extensions: UNKNOWN },
    });
    const items = only(classic(CLASSIC.linuxVmss, "app-ss", { name: "app-ss", extensions: [UNKNOWN_TEXT, { ...antimalwareBlock, settings: "[secret]" }] }));
    expect(items.properties.virtualMachineProfile).toMatchObject({
      extensionProfile: { extensions: [UNKNOWN, { name: "IaaSAntimalware", settings: SECRET, protectedSettings: SECRET }] },
    });

    // An orchestrated scale set whose OS profile is unknown: its OS and patch settings are unknown.
    const flexible = only(classic(CLASSIC.orchestratedVmss, "flex-ss", { name: "flex-ss", osProfile: UNKNOWN_TEXT }));
    expect(flexible.properties.virtualMachineProfile).toMatchObject({ storageProfile: { osDisk: { osType: UNKNOWN } }, osProfile: UNKNOWN });

    const extension = only(classic(CLASSIC.vmExtension, "ext", { virtualMachineId: "[secret]", settings: UNKNOWN_TEXT, autoUpgradeMinorVersion: UNKNOWN_TEXT }));
    expect(extension.properties).toMatchObject({ vmName: SECRET, resourceGroupName: SECRET, settings: UNKNOWN, autoUpgradeMinorVersion: UNKNOWN });
  });
});

describe("fromClassicAzure: Arc", () => {
  it("translates an Arc machine and its extension (handler fields under properties)", () => {
    const machine = classic(CLASSIC.arcMachine, "files-01", { name: "files-01", resourceGroupName: "rg-acme", location: "westeurope", kind: "SCVMM", tags: TAGS }, { id: ARC_ID });
    expect(only(machine)).toEqual({
      ...kept(machine),
      type: "azure-native:hybridcompute:Machine",
      properties: { machineName: "files-01", resourceGroupName: "rg-acme", location: "westeurope", kind: "SCVMM", tags: TAGS },
      propertyDependencies: {},
    });

    const extension = classic(
      CLASSIC.arcExtension,
      "files-01-ama",
      {
        name: "AzureMonitorLinuxAgent",
        arcMachineId: ARC_ID,
        location: "westeurope",
        publisher: "Microsoft.Azure.Monitor",
        type: "AzureMonitorLinuxAgent",
        typeHandlerVersion: "1.33",
        settings: "{}",
      },
      { propertyDependencies: { arcMachineId: [machine.urn], publisher: [] } },
    );
    expect(only(extension)).toEqual({
      ...kept(extension),
      type: "azure-native:hybridcompute:MachineExtension",
      properties: {
        extensionName: "AzureMonitorLinuxAgent",
        machineName: "files-01",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        properties: {
          publisher: "Microsoft.Azure.Monitor",
          type: "AzureMonitorLinuxAgent",
          typeHandlerVersion: "1.33",
          enableAutomaticUpgrade: true,
          settings: "{}",
        },
      },
      propertyDependencies: { machineName: [machine.urn], resourceGroupName: [machine.urn], properties: [] },
    });
  });
});

describe("fromClassicAzure: maintenance, monitoring, notifications", () => {
  it("translates a maintenance configuration with its window flattened", () => {
    const resource = classic(CLASSIC.maintenanceConfiguration, "acme-ring-pilot", {
      name: "acme-pilot",
      resourceGroupName: "rg-acme",
      location: "westeurope",
      scope: "InGuestPatch",
      inGuestUserPatchMode: "User",
      window: { startDateTime: "2026-01-01 02:00", duration: "03:00", timeZone: "W. Europe Standard Time", recurEvery: "Month Second Tuesday Offset2" },
      installPatches: {
        reboot: "IfRequired",
        windows: [{ classificationsToIncludes: ["Critical", "Security"], kbNumbersToExcludes: ["KB123456"] }],
        linuxes: [{ classificationsToIncludes: ["Critical", "Security"] }],
      },
      tags: TAGS,
    });
    expect(only(resource)).toEqual({
      ...kept(resource),
      type: "azure-native:maintenance:MaintenanceConfiguration",
      properties: {
        resourceName: "acme-pilot",
        resourceGroupName: "rg-acme",
        location: "westeurope",
        tags: TAGS,
        maintenanceScope: "InGuestPatch",
        visibility: "Custom",
        extensionProperties: { InGuestPatchMode: "User" },
        startDateTime: "2026-01-01 02:00",
        duration: "03:00",
        timeZone: "W. Europe Standard Time",
        recurEvery: "Month Second Tuesday Offset2",
        installPatches: {
          rebootSetting: "IfRequired",
          windowsParameters: { classificationsToInclude: ["Critical", "Security"], kbNumbersToExclude: ["KB123456"] },
          linuxParameters: { classificationsToInclude: ["Critical", "Security"] },
        },
      },
      propertyDependencies: {},
    });
  });

  it("translates VM, scale-set and dynamic-scope assignments", () => {
    const vmAssignment = classic(
      CLASSIC.assignmentVm,
      "web-01-ring",
      { location: "westeurope", maintenanceConfigurationId: CONFIG_ID, virtualMachineId: UNKNOWN_TEXT },
      { propertyDependencies: { virtualMachineId: ["urn:vm"], maintenanceConfigurationId: ["urn:cfg"] } },
    );
    expect(only(vmAssignment)).toEqual({
      ...kept(vmAssignment),
      type: "azure-native:maintenance:ConfigurationAssignment",
      properties: {
        location: "westeurope",
        maintenanceConfigurationId: CONFIG_ID,
        providerName: "Microsoft.Compute",
        resourceType: "virtualMachines",
        resourceName: UNKNOWN,
        resourceGroupName: UNKNOWN,
        resourceId: UNKNOWN,
      },
      propertyDependencies: { resourceName: ["urn:vm"], resourceGroupName: ["urn:vm"], resourceId: ["urn:vm"], maintenanceConfigurationId: ["urn:cfg"] },
    });

    const scaleSetAssignment = only(classic(CLASSIC.assignmentVmss, "web-ss-ring", { maintenanceConfigurationId: CONFIG_ID, virtualMachineScaleSetId: VMSS_ID }));
    expect(scaleSetAssignment.properties).toEqual({
      maintenanceConfigurationId: CONFIG_ID,
      providerName: "Microsoft.Compute",
      resourceType: "virtualMachineScaleSets",
      resourceName: "web-ss",
      resourceGroupName: "rg-acme",
      resourceId: VMSS_ID,
    });

    const dynamic = classic(CLASSIC.assignmentDynamicScope, "acme-broad", {
      name: "acme-broad",
      maintenanceConfigurationId: CONFIG_ID,
      filter: {
        resourceTypes: ["Microsoft.Compute/virtualMachines"],
        osTypes: ["Windows"],
        tagFilter: "All",
        tags: [{ tag: "ring", values: ["broad"] }, { tag: "client", values: ["acme"] }],
      },
    });
    expect(only(dynamic)).toEqual({
      ...kept(dynamic),
      type: "azure-native:maintenance:ConfigurationAssignmentsForSubscription",
      properties: {
        configurationAssignmentName: "acme-broad",
        maintenanceConfigurationId: CONFIG_ID,
        filter: {
          resourceTypes: ["Microsoft.Compute/virtualMachines"],
          osTypes: ["Windows"],
          tagSettings: { filterOperator: "All", tags: { ring: ["broad"], client: ["acme"] } },
        },
      },
      propertyDependencies: {},
    });
  });

  it("translates a rule association, an action group and a security contact", () => {
    const association = only(
      classic(CLASSIC.dataCollectionRuleAssociation, "web-01-dcr", { name: "web-01-dcr", targetResourceId: VM_ID, dataCollectionRuleId: `${RG}/Microsoft.Insights/dataCollectionRules/acme` }),
    );
    expect(association.type).toBe("azure-native:monitor:DataCollectionRuleAssociation");
    expect(association.properties).toEqual({
      associationName: "web-01-dcr",
      resourceUri: VM_ID,
      dataCollectionRuleId: `${RG}/Microsoft.Insights/dataCollectionRules/acme`,
    });

    const group = only(
      classic(CLASSIC.actionGroup, "acme-alerts", {
        name: "acme-alerts",
        resourceGroupName: "rg-acme",
        shortName: "acme",
        emailReceivers: [{ name: "soc", emailAddress: "SOC@msp.example", useCommonAlertSchema: true }],
        tags: TAGS,
      }),
    );
    expect(group.type).toBe("azure-native:monitor:ActionGroup");
    expect(group.properties).toEqual({
      actionGroupName: "acme-alerts",
      resourceGroupName: "rg-acme",
      location: "global",
      groupShortName: "acme",
      enabled: true,
      emailReceivers: [{ name: "soc", emailAddress: "SOC@msp.example", useCommonAlertSchema: true }],
      tags: TAGS,
    });

    const contact = only(classic(CLASSIC.securityContact, "contact", { name: "default1", email: "soc@msp.example", alertNotifications: true, alertsToAdmins: false }));
    expect(contact.type).toBe("azure-native:security:SecurityContact");
    expect(contact.properties).toEqual({ securityContactName: "default1", emails: "soc@msp.example", isEnabled: true, notificationsByRole: { state: "Off" } });
  });
});

describe("fromClassicAzure: scope", () => {
  it("returns null for a type it does not translate", () => {
    expect(fromClassicAzure(classic(TYPES.vm, "web-01", { vmName: "web-01" }))).toBeNull();
    expect(fromClassicAzure(classic("azure:compute/availabilitySet:AvailabilitySet", "as", { name: "as" }))).toBeNull();
    expect(fromClassicAzure(classic("constructor", "odd", {}))).toBeNull();
  });

  it("translates every classic machine it knows, and leaves the others to be reported as machines steward cannot judge", () => {
    const machines = CLASSIC_TYPES.filter(looksLikeMachine);
    expect(machines).toEqual([CLASSIC.windowsVm, CLASSIC.linuxVm, CLASSIC.legacyVm, CLASSIC.windowsVmss, CLASSIC.linuxVmss, CLASSIC.orchestratedVmss, CLASSIC.legacyVmss, CLASSIC.arcMachine]);
    for (const untranslated of [
      "azure:devtest/linuxVirtualMachine:LinuxVirtualMachine",
      "azure:devtest/windowsVirtualMachine:WindowsVirtualMachine",
      "azure:systemcenter/virtualMachineManagerVirtualMachineInstance:VirtualMachineManagerVirtualMachineInstance",
    ]) {
      expect([untranslated, looksLikeMachine(untranslated)]).toEqual([untranslated, true]);
    }
  });
});
