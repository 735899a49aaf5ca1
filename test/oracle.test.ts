// Oracle tests: real Azure documents (REST API examples, Azure's own built-in policy definitions,
// copied into fixtures/reference with provenance) decide what our policies must say.
import { describe, expect, it } from "vitest";
import type { Resource } from "../core/document";
import { EXTENSIONS, TYPES, extensionHandler } from "../core/azure";
import { normalize } from "../core/normalize";
import { DEFAULT_MINIMUM_HANDLER_VERSIONS } from "../core/settings";
import { engine, fixtures, readJson, stackResource } from "./support";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reference documents are read by path
type Json = any;
const example = (name: string): Json => readJson(fixtures("reference", "azure-rest-examples", `${name}.json`));
const builtin = (name: string): Json => readJson(fixtures("reference", "azure-policy-builtins", `${name}.json`));


/** A VM resource as @pulumi/azure-native takes it: the ARM `properties` flattened to the top. */
function vmFromExample(name: string): Resource {
  const body = example(name).parameters;
  return stackResource(TYPES.vm, body.vmName, { vmName: body.vmName, resourceGroupName: body.resourceGroupName, location: body.parameters.location, ...body.parameters.properties });
}

function findingsOf(policy: string, resources: Resource[]) {
  const document = normalize({ source: "preview", stack: { project: "steward", stack: "oracle" }, evaluatedAt: "2026-11-27T12:00:00Z", resources });
  return engine()
    .evaluate(document)
    .findings.filter((finding) => finding.policy === policy)
    .map((finding) => finding.message);
}

describe("REST API examples", () => {
  it("the Windows AutomaticByPlatform VM example (bypass false) fails patch orchestration", () => {
    expect(findingsOf("patch-orchestration", [vmFromExample("VirtualMachine_Create_WindowsVmWithAutomaticByPlatformSettings")])).toEqual([
      'Azure VM "myVM" bypassPlatformSafetyChecksOnUserSchedule is false; it must be true so its update ring patches it',
    ]);
  });

  it("the Linux AutomaticByPlatform VM example (bypass true) passes patch orchestration", () => {
    expect(findingsOf("patch-orchestration", [vmFromExample("VirtualMachine_Create_LinuxVmWithAutomaticByPlatformSettings")])).toEqual([]);
  });

  it.each([
    ["MaintenanceConfigurations_GetForResource_GuestOSPatchWindows", "windows", 'windowsClassifications is ["Security"]'],
    ["MaintenanceConfigurations_GetForResource_GuestOSPatchLinux", "linux", 'linuxClassifications is ["Critical"]'],
  ])("%s: a 5-hour window that misses a security classification fails", (name, os, classifications) => {
    const body = example(name).responses["200"].body;
    const configuration = stackResource(TYPES.maintenanceConfiguration, body.name, { resourceName: body.name, resourceGroupName: "examplerg", ...body.properties });
    const machine = stackResource(TYPES.vm, "vm1", { vmName: "vm1", resourceGroupName: "examplerg", storageProfile: { osDisk: { osType: os } } });
    const assignment = stackResource(TYPES.assignment, "vm1-ring", {
      providerName: "Microsoft.Compute",
      resourceType: "virtualMachines",
      resourceName: "vm1",
      resourceGroupName: "examplerg",
      maintenanceConfigurationId: body.id,
    });
    expect(findingsOf("ring-installs-security-fixes", [configuration, machine, assignment])).toEqual([
      'ring "configuration1" duration is "05:00"; it must be between "01:30" and "03:55" (HH:mm)',
      `ring "configuration1" must install Critical and Security updates on its ${os} endpoints, but ${classifications}`,
    ]);
  });

  it("the configuration assignment example targets a scale set: an endpoint in that configuration", () => {
    const body = example("ConfigurationAssignments_CreateOrUpdate").parameters;
    const assignment = stackResource(TYPES.assignment, body.configurationAssignmentName, {
      resourceGroupName: body.resourceGroupName,
      providerName: body.providerName,
      resourceType: body.resourceType,
      resourceName: body.resourceName,
      ...body.configurationAssignment.properties,
    });
    const document = normalize({ source: "preview", stack: { project: "steward", stack: "oracle" }, evaluatedAt: "2026-11-27T12:00:00Z", resources: [assignment] });
    expect(body.resourceType).toBe("virtualMachineScaleSets");
    expect(document.endpoints.map(({ urn, kind, origins, ringAssignments }) => ({ urn, kind, origins, ringAssignments }))).toEqual([
      {
        urn: `endpoint:vm-scale-set/${body.resourceGroupName}/${body.resourceName}`.toLowerCase(),
        kind: "vm-scale-set",
        origins: ["referenced"],
        ringAssignments: [{ urn: assignment.urn, type: TYPES.assignment, scope: "machine", ring: body.configurationAssignment.properties.maintenanceConfigurationId.toLowerCase() }],
      },
    ]);
  });
});

describe("Azure built-in policy definitions", () => {
  it("2835b622 (deploy IaaSAntimalware): same publisher/type and handler version 1.3 as our minimum", () => {
    const rule = builtin("VMAntimalwareExtension_DINE").properties.policyRule;
    const conditions = rule.then.details.existenceCondition.allOf;
    const type = conditions.find((c: Json) => c.field.endsWith("/type")).equals;
    const publisher = conditions.find((c: Json) => c.field.endsWith("/publisher")).equals;
    expect(extensionHandler(publisher, type)).toBe(EXTENSIONS.antimalware);
    const deployed = rule.then.details.deployment.properties.template.resources[0].properties;
    expect(deployed.typeHandlerVersion).toBe(DEFAULT_MINIMUM_HANDLER_VERSIONS.IaaSAntimalware);
    expect(deployed.autoUpgradeMinorVersion).toBe(true);
    expect(deployed.settings.AntimalwareEnabled).toBe(true);
  });

  it("c43e4a30 (antimalware auto-update): autoUpgradeMinorVersion must equal true, as antivirus-up-to-date requires", () => {
    const conditions = builtin("VirtualMachines_AntiMalwareAutoUpdate_AINE").properties.policyRule.then.details.existenceCondition.allOf;
    expect(conditions).toContainEqual({ field: "Microsoft.Compute/virtualMachines/extensions/autoUpgradeMinorVersion", equals: "true" });
  });

  it("9905ca54 (scheduled patching prerequisite): patchMode AutomaticByPlatform with the bypass flag true", () => {
    const text = JSON.stringify(builtin("AzUpdateMgmtCenter_CustomerManagedSchedules_DINE"));
    expect(text).toContain('"automaticByPlatformPatchMode":"AutomaticByPlatform"');
    expect(text).toContain('"bypassPlatformSafetyChecksOnUserSchedule":true');
  });

  it("bd876905 (periodic assessment): machines whose assessmentMode is not AutomaticByPlatform are non-compliant", () => {
    const text = JSON.stringify(builtin("AzUpdateMgmtCenter_AutoAssessmentMode_Audit"));
    expect(text.match(/"notEquals":"AutomaticByPlatform"/g)).toHaveLength(2);
    expect(text).toContain("Microsoft.HybridCompute/machines/osProfile.windowsConfiguration.patchSettings.assessmentMode");
  });
});
