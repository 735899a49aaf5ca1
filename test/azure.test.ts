import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINT_ARM, ENDPOINT_LABELS, EXTENSIONS, EXTENSION_TYPE_OF_KIND, TYPES, UNTAGGED_EXTENSION_TYPES, canonicalType, endpointArmId, extensionHandler, looksLikeMachine } from "../core/azure";
import { namePath, parseChildResourceId } from "../core/azure-id";
import { root } from "./support";

const sdk = join(root, "node_modules", "@pulumi", "azure-native");

/** The module file of an azure-native token: `azure-native:compute:VirtualMachine` → compute/virtualMachine.js. */
function moduleFile(token: string): string {
  const [, module, name] = token.split(":") as [string, string, string];
  return join(sdk, module, `${name[0]?.toLowerCase()}${name.slice(1)}.js`);
}

/** Every type token the SDK declares in a resource's module: the token itself and its aliases. */
function declaredTokens(token: string): string[] {
  return [...readFileSync(moduleFile(token), "utf8").matchAll(/type: "(azure-native:[^"]+)"/g)].map((match) => match[1] as string);
}

/** Every resource type the installed SDK publishes (its classes' `__pulumiType`). */
function sdkTypes(): string[] {
  const types: string[] = [];
  for (const entry of readdirSync(sdk, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === "types" || entry.name === "node_modules") continue;
    for (const file of readdirSync(join(sdk, entry.name))) {
      if (!file.endsWith(".js")) continue;
      const match = /__pulumiType = '([^']+)'/.exec(readFileSync(join(sdk, entry.name, file), "utf8"));
      if (match) types.push(match[1] as string);
    }
  }
  return types.sort();
}

describe("type tokens", () => {
  it.each(Object.values(TYPES))("every alias the SDK declares for %s means that type", (token) => {
    const aliases = declaredTokens(token);
    expect(aliases.length).toBeGreaterThan(0);
    expect(aliases.filter((alias) => canonicalType(alias) !== token)).toEqual([]);
  });

  it("reads API-versioned tokens of any version, preview or not, including 2.x's renamed modules", () => {
    expect(canonicalType("azure-native:compute/v20990101:VirtualMachine")).toBe(TYPES.vm);
    expect(canonicalType("azure-native:hybridcompute/v20250601preview:Machine")).toBe(TYPES.arcMachine);
    expect(canonicalType("azure-native:insights/v20220601:DataCollectionRuleAssociation")).toBe(TYPES.dataCollectionRuleAssociation);
    expect(canonicalType("azure-native:insights:ActionGroup")).toBe(TYPES.actionGroup);
    expect(canonicalType("azure-native_compute_v20230301:compute:VirtualMachine")).toBe(TYPES.vm);
  });

  it("leaves other tokens as they are, including ones named like Object.prototype's members", () => {
    for (const token of ["aws:ec2/instance:Instance", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "azure-nativex:compute:VirtualMachine", "constructor", "__proto__"]) {
      expect(canonicalType(token)).toBe(token);
    }
  });
});

describe("looksLikeMachine", () => {
  it("names exactly these types of the installed SDK machines steward would not otherwise judge", () => {
    expect(sdkTypes().filter(looksLikeMachine)).toEqual([
      "azure-native:azurestackhci:EdgeMachine",
      "azure-native:azurestackhci:VirtualMachine",
      "azure-native:azurestackhci:VirtualMachineInstance",
      "azure-native:compute:VirtualMachine",
      "azure-native:compute:VirtualMachineScaleSet",
      "azure-native:compute:VirtualMachineScaleSetVM",
      "azure-native:connectedvmwarevsphere:VirtualMachine",
      "azure-native:connectedvmwarevsphere:VirtualMachineInstance",
      "azure-native:devtestlab:VirtualMachine",
      "azure-native:hybridcompute:Machine",
      "azure-native:networkcloud:BareMetalMachine",
      "azure-native:networkcloud:VirtualMachine",
      "azure-native:scvmm:VirtualMachine",
      "azure-native:scvmm:VirtualMachineInstance",
      "azure-native:vmwarecloudsimple:VirtualMachine",
    ]);
  });

  it("names machines of the classic provider, not what only acts on one", () => {
    const machines = [
      "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
      "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
      "azure:compute/scaleSet:ScaleSet",
      "azure:devtest/linuxVirtualMachine:LinuxVirtualMachine",
      "azure:arcmachine/arcMachine:ArcMachine",
    ];
    const notMachines = [
      "azure:compute/extension:Extension",
      "azure:compute/virtualMachineRunCommand:VirtualMachineRunCommand",
      "azure-native:compute:VirtualMachineRunCommandByVirtualMachine",
      "azure:maintenance/assignmentVirtualMachine:AssignmentVirtualMachine",
      "azure:mssql/virtualMachine:VirtualMachine",
      "azure:compute/virtualMachineDataDiskAttachment:VirtualMachineDataDiskAttachment",
      "aws:ec2/instance:Instance",
    ];
    expect(machines.filter(looksLikeMachine)).toEqual(machines);
    expect(notMachines.filter(looksLikeMachine)).toEqual([]);
  });
});

describe("extensions and endpoint kinds", () => {
  it("recognizes a handler whatever the case of its publisher and type, as Azure does", () => {
    expect(extensionHandler("microsoft.azure.security", "iaasantimalware")).toBe(EXTENSIONS.antimalware);
    expect(extensionHandler("MICROSOFT.AZURE.AZUREDEFENDERFORSERVERS", "mde.linux")).toBe(EXTENSIONS.mdeLinux);
    expect(extensionHandler("Microsoft.Azure.Security", "IaaSDiagnostics")).toBeUndefined();
  });

  it("gives every endpoint kind an ARM type", () => {
    expect(ENDPOINT_ARM).toEqual({
      "azure-vm": { type: "microsoft.compute/virtualmachines", providerName: "Microsoft.Compute", resourceType: "virtualMachines" },
      "arc-machine": { type: "microsoft.hybridcompute/machines", providerName: "Microsoft.HybridCompute", resourceType: "machines" },
      "vm-scale-set": { type: "microsoft.compute/virtualmachinescalesets", providerName: "Microsoft.Compute", resourceType: "virtualMachineScaleSets" },
    });
  });

  it("names every endpoint kind's id, extension type and label from one table; scale set extensions carry no tags", () => {
    expect(endpointArmId("vm-scale-set", "sub-1", "rg-web", "web-ss")).toBe("/subscriptions/sub-1/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss");
    expect(EXTENSION_TYPE_OF_KIND).toEqual({ "azure-vm": TYPES.vmExtension, "arc-machine": TYPES.arcExtension, "vm-scale-set": TYPES.scaleSetExtension });
    expect(ENDPOINT_LABELS).toEqual({ "azure-vm": "Azure VM", "arc-machine": "Arc machine", "vm-scale-set": "Scale set" });
    expect([...UNTAGGED_EXTENSION_TYPES]).toEqual([TYPES.scaleSetExtension, TYPES.scaleSetVmExtension]);
  });

  it("reads an id of one child of a resource (a Uniform scale set's instance), and nothing deeper or shallower", () => {
    const scaleSet = "/subscriptions/sub-1/resourceGroups/RG-Web/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss";
    expect(parseChildResourceId(`${scaleSet}/virtualMachines/3`)).toEqual({
      parent: { subscriptionId: "sub-1", resourceGroup: "RG-Web", resourceType: "microsoft.compute/virtualmachinescalesets", name: "web-ss", nested: false },
      parentId: scaleSet,
      type: "microsoft.compute/virtualmachinescalesets/virtualmachines",
      name: "3",
    });
    expect(parseChildResourceId(scaleSet)).toBeNull();
    expect(parseChildResourceId(`${scaleSet}/virtualMachines/3/extensions/ama`)).toBeNull();
    expect(parseChildResourceId("web-ss/virtualMachines/3")).toBeNull();
  });

  it("names a resource by its name and what of it the id names below it, as written", () => {
    const vm = "/subscriptions/sub-1/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/nwl-web01";
    expect(namePath(vm)).toBe("nwl-web01");
    expect(namePath(`${vm}/`)).toBe("nwl-web01");
    expect(namePath(`${vm}/patchAssessmentResults/latest/softwarePatches/6b5b`)).toBe("nwl-web01/patchAssessmentResults/latest/softwarePatches/6b5b");
    expect(namePath("urn:pulumi:stack::steward::azure-native:compute:VirtualMachine::nwl-web01")).toBeNull();
  });
});
