/**
 * Translates resources of the classic @pulumi/azure provider (Terraform-bridged, `azure:` type
 * tokens) into the @pulumi/azure-native 3.x shapes core/normalize.ts understands, so a machine built
 * with the classic provider is judged like any other instead of passing unseen.
 *
 * What was read, and where the facts in the comments below come from:
 * - "schema": github.com/pulumi/pulumi-azure at a1c2bdf5b7a08c2f0065a9c2f5810d4bc1553c7b
 *   (v6.39.0-6-ga1c2bdf5b7, 2026-07-24). provider/cmd/pulumi-resource-azure/schema.json is not in the
 *   snapshot (the store keeps no file of 4 MiB or more), so the schema was read through the SDK
 *   generated from it at that commit: sdk/nodejs/<module>/<resource>.ts (`__pulumiType`, the State
 *   interfaces, the property descriptions with their "Defaults to" facts) and sdk/nodejs/types/input.ts
 *   (nested blocks).
 * - "upstream": hashicorp/terraform-provider-azurerm internal/services/{compute,maintenance}/*.go,
 *   what Create sends when an argument is absent (where the schema description names no default):
 *   windows_virtual_machine_resource.go @0459a7de, linux_virtual_machine_resource.go @0102f942,
 *   virtual_machine_extension_resource.go @084c2405, windows_virtual_machine_scale_set (Create),
 *   the legacy virtual_machine / virtual_machine_scale_set expanders, maintenance_configuration.
 * - "Azure": the API descriptions in @pulumi/azure-native 3.28.0 types/input.d.ts.
 *
 * A translated resource keeps the classic URN, id, parent, provider and dependencies, so findings and
 * waivers point at the user's own resource; `propertyDependencies` are renamed to the translated
 * properties, so the normalizer's joins through them still work when an id is unknown in a preview.
 * Sentinels stay sentinels: a value read from an unknown or secret input is that sentinel, never a
 * default. Absent values become what the provider sends or Azure does (the comment says which).
 */
import { TYPES } from "../azure";
import { parseResourceId } from "../azure-id";
import type { JsonValue, Resource, Sentinel } from "../document";
import { getPath, isRecord, isSentinel, SECRET } from "../values";

/** Classic type tokens (schema `__pulumiType`) this module translates. */
export const CLASSIC = {
  windowsVm: "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
  linuxVm: "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
  legacyVm: "azure:compute/virtualMachine:VirtualMachine",
  windowsVmss: "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet",
  linuxVmss: "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
  orchestratedVmss: "azure:compute/orchestratedVirtualMachineScaleSet:OrchestratedVirtualMachineScaleSet",
  legacyVmss: "azure:compute/scaleSet:ScaleSet",
  vmExtension: "azure:compute/extension:Extension",
  vmssExtension: "azure:compute/virtualMachineScaleSetExtension:VirtualMachineScaleSetExtension",
  arcMachine: "azure:arcmachine/arcMachine:ArcMachine",
  arcExtension: "azure:arcmachine/extension:Extension",
  maintenanceConfiguration: "azure:maintenance/configuration:Configuration",
  assignmentVm: "azure:maintenance/assignmentVirtualMachine:AssignmentVirtualMachine",
  assignmentVmss: "azure:maintenance/assignmentVirtualMachineScaleSet:AssignmentVirtualMachineScaleSet",
  assignmentDynamicScope: "azure:maintenance/assignmentDynamicScope:AssignmentDynamicScope",
  dataCollectionRuleAssociation: "azure:monitoring/dataCollectionRuleAssociation:DataCollectionRuleAssociation",
  actionGroup: "azure:monitoring/actionGroup:ActionGroup",
  securityContact: "azure:securitycenter/contact:Contact",
} as const;

// ---------------------------------------------------------------------------------------------
// The rule language the tables below are written in.

/** A document value: JSON with sentinels anywhere in it. */
type Value = null | boolean | number | string | Sentinel | Value[] | { [key: string]: Value };
type Props = Record<string, Value>;
type Os = "Windows" | "Linux";

/** One translated field: the azure-native path it sets, the classic paths it reads, how. */
interface Rule {
  /** Dotted azure-native path (under the resource's properties, or under a block or list item). */
  to: string;
  /** Dotted classic paths read; their first segments are the classic properties it depends on. */
  from: readonly string[];
  /** The value from the classic values (undefined = absent or null); undefined leaves `to` unset. */
  make: (values: readonly (Value | undefined)[]) => Value | undefined;
  /** Sees sentinels too (by default a sentinel among the values is the result, as it is). */
  raw?: boolean;
  /** Applies only to machines of that OS (see Translation.os). */
  os?: Os;
}
type Table = readonly Rule[];

/** The classic value as it is; `absent` when it is absent or null. */
function copy(to: string, from: string, absent?: Value): Rule {
  return { to, from: [from], make: ([value]) => value ?? absent };
}

/** A value the classic type implies: the provider sends it whatever the arguments. */
function fixed(to: string, value: Value): Rule {
  return { to, from: [], make: () => value };
}

function derive(to: string, from: readonly string[], make: Rule["make"]): Rule {
  return { to, from, make };
}

/** A secret whatever it holds: its content never enters the document. */
function secret(to: string, from: string): Rule {
  return { to, from: [from], raw: true, make: ([value]) => (value === undefined ? undefined : isSentinel(value) ? value : SECRET) };
}

/** The name or resource group of an ARM id of the given (lower-case) type; unset when not one. */
function armPart(to: string, from: string, part: "name" | "resourceGroup", armType: string): Rule {
  return derive(to, [from], ([id]) => {
    const ref = typeof id === "string" ? parseResourceId(id) : null;
    return ref && ref.resourceType === armType ? ref[part] : undefined;
  });
}

/** A nested classic block translated by its own table (paths relative to the block). */
function block(to: string, from: string, table: Table): Rule {
  return derive(to, [from], ([value]) => (isRecord<Value>(value) ? applyTable(table, value) : undefined));
}

/** A classic list of at most one block (kept a list by the bridge) translated into one object. */
function first(to: string, from: string, table: Table): Rule {
  return derive(to, [from], ([value]) => {
    const item = Array.isArray(value) ? value[0] : value;
    if (isSentinel(item)) return item;
    return isRecord<Value>(item) ? applyTable(table, item) : undefined;
  });
}

/** A classic list of blocks, each translated by the table; sentinel items stay sentinels. */
function each(to: string, from: string, table: Table): Rule {
  return derive(to, [from], ([value]) =>
    Array.isArray(value) ? value.map((item) => (isRecord<Value>(item) && !isSentinel(item) ? applyTable(table, item) : item)) : undefined,
  );
}

function onlyFor(os: Os, rules: Table): Table {
  return rules.map((rule) => ({ ...rule, os }));
}

function evaluate(rule: Rule, props: Props): Value | undefined {
  const values = rule.from.map((path) => getPath(props, path.split(".")) ?? undefined);
  if (!rule.raw) {
    const sentinel = values.find(isSentinel);
    if (sentinel) return sentinel;
  }
  return rule.make(values.map((value) => (value === null ? undefined : value)));
}

function applyTable(table: Table, props: Props, os?: Os): Props {
  const out: Props = {};
  for (const rule of table) {
    if (rule.os && rule.os !== os) continue;
    const value = evaluate(rule, props);
    if (value !== undefined) setPath(out, rule.to, value);
  }
  return out;
}

/** Sets a dotted path, creating objects on the way; a sentinel on the way already covers it. */
function setPath(out: Props, path: string, value: Value): void {
  const keys = path.split(".");
  let node: Props = out;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (isSentinel(next)) return;
    if (!isRecord<Value>(next)) node[key] = {};
    node = node[key] as Props;
  }
  setKey(node, keys[keys.length - 1] as string, value);
}

/** As JSON.parse does: "__proto__" (a tag name, say) is an ordinary key. */
function setKey(node: Props, key: string, value: Value): void {
  if (key === "__proto__") Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  else node[key] = value;
}

const top = (path: string) => path.split(".")[0] as string;

// ---------------------------------------------------------------------------------------------
// Value helpers the tables use.

/** The OS a legacy or orchestrated machine declares: a Windows or Linux configuration block, else
 *  the OS disk's osType. An unknown block (when nothing known decides) makes the OS unknown. */
function declaredOs([windows, linux, osType]: readonly (Value | undefined)[]): Value | undefined {
  if (isRecord<Value>(windows) && !isSentinel(windows)) return "Windows";
  if (isRecord<Value>(linux) && !isSentinel(linux)) return "Linux";
  if (typeof osType === "string" && /^windows$/i.test(osType)) return "Windows";
  if (typeof osType === "string" && /^linux$/i.test(osType)) return "Linux";
  return [windows, linux, osType].find(isSentinel);
}

/**
 * Windows patch mode where the classic type has no patchMode argument (it sends no patchSettings).
 * Azure: "Manual ... the property WindowsConfiguration.enableAutomaticUpdates must be false;
 * AutomaticByOS ... must be true" (PatchSettingsArgs.patchMode), so the mode follows automatic
 * updates; and "if [enableAutomaticOSUpgrade] is set to true for Windows based scale sets,
 * enableAutomaticUpdates is automatically set to false" (AutomaticOSUpgradePolicyArgs).
 */
function automaticUpdates(enabled: Value | undefined, absent: boolean, osUpgrade?: Value): boolean {
  return osUpgrade === true ? false : typeof enabled === "boolean" ? enabled : absent;
}
const patchModeFor = (automatic: boolean) => (automatic ? "AutomaticByOS" : "Manual");

/** Classic dynamic-scope `tags` blocks ({tag, values}) as azure-native's tag map. */
function tagMap([list]: readonly (Value | undefined)[]): Value | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: Props = {};
  for (const item of list) {
    if (isSentinel(item)) return item;
    if (!isRecord<Value>(item)) continue;
    if (isSentinel(item.tag)) return item.tag;
    if (typeof item.tag === "string") setKey(out, item.tag, item.values ?? []);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Virtual machines → azure-native:compute:VirtualMachine

const VM_IDENTITY: Table = [
  copy("vmName", "name"),
  copy("resourceGroupName", "resourceGroupName"),
  copy("location", "location"),
  copy("tags", "tags"),
];

const WIN = "osProfile.windowsConfiguration";
const LIN = "osProfile.linuxConfiguration";

/** azure:compute/windowsVirtualMachine. Upstream Create always sends patchSettings
 *  {patchMode, enableHotpatching, assessmentMode}; automaticByPlatformSettings only for bypass/reboot. */
const WINDOWS_VM: Table = [
  ...VM_IDENTITY,
  // upstream expandVirtualMachineOSDisk(os_disk, OperatingSystemTypesWindows)
  fixed("storageProfile.osDisk.osType", "Windows"),
  // schema: "Defaults to `true`"
  copy("osProfile.allowExtensionOperations", "allowExtensionOperations", true),
  copy(`${WIN}.provisionVMAgent`, "provisionVmAgent", true),
  // schema: automaticUpdatesEnabled "Defaults to `true`"; enableAutomaticUpdates is its deprecated alias
  derive(`${WIN}.enableAutomaticUpdates`, ["automaticUpdatesEnabled", "enableAutomaticUpdates"], ([current, deprecated]) => current ?? deprecated ?? true),
  // schema: patchMode "Defaults to `AutomaticByOS`"
  copy(`${WIN}.patchSettings.patchMode`, "patchMode", "AutomaticByOS"),
  // schema: patchAssessmentMode "Defaults to `ImageDefault`"
  copy(`${WIN}.patchSettings.assessmentMode`, "patchAssessmentMode", "ImageDefault"),
  // schema: hotpatchingEnabled "Defaults to `false`"
  copy(`${WIN}.patchSettings.enableHotpatching`, "hotpatchingEnabled", false),
  // schema: "Defaults to `false`" (upstream sends it only when true: Azure's default is false too)
  copy(`${WIN}.patchSettings.automaticByPlatformSettings.bypassPlatformSafetyChecksOnUserSchedule`, "bypassPlatformSafetyChecksOnUserScheduleEnabled", false),
  // schema: no default; upstream sends it only when set
  copy(`${WIN}.patchSettings.automaticByPlatformSettings.rebootSetting`, "rebootSetting"),
];

/** azure:compute/linuxVirtualMachine. Upstream Create sends patchSettings {patchMode, assessmentMode}. */
const LINUX_VM: Table = [
  ...VM_IDENTITY,
  fixed("storageProfile.osDisk.osType", "Linux"),
  copy("osProfile.allowExtensionOperations", "allowExtensionOperations", true),
  copy(`${LIN}.provisionVMAgent`, "provisionVmAgent", true),
  // schema: patchMode "Defaults to `ImageDefault`" (upstream: LinuxVMGuestPatchModeImageDefault when unset)
  copy(`${LIN}.patchSettings.patchMode`, "patchMode", "ImageDefault"),
  // schema: patchAssessmentMode "Defaults to `ImageDefault`"
  copy(`${LIN}.patchSettings.assessmentMode`, "patchAssessmentMode", "ImageDefault"),
  copy(`${LIN}.patchSettings.automaticByPlatformSettings.bypassPlatformSafetyChecksOnUserSchedule`, "bypassPlatformSafetyChecksOnUserScheduleEnabled", false),
  copy(`${LIN}.patchSettings.automaticByPlatformSettings.rebootSetting`, "rebootSetting"),
];

/**
 * azure:compute/virtualMachine (legacy). It has no patch arguments and sends no patchSettings, so
 * Azure's defaults apply: Windows patch mode following automatic updates (see automaticUpdates),
 * Linux ImageDefault, assessment ImageDefault, no platform bypass (the values the modern classic
 * resources document as their defaults, which they send explicitly).
 */
const LEGACY_VM: Table = [
  ...VM_IDENTITY,
  ...onlyFor("Windows", [
    // schema: osProfileWindowsConfig.enableAutomaticUpgrades "Defaults to `false`"
    copy(`${WIN}.enableAutomaticUpdates`, "osProfileWindowsConfig.enableAutomaticUpgrades", false),
    // schema: provisionVmAgent "Defaults to `false`. This is different from the Default value used for this field within Azure."
    copy(`${WIN}.provisionVMAgent`, "osProfileWindowsConfig.provisionVmAgent", false),
    derive(`${WIN}.patchSettings.patchMode`, ["osProfileWindowsConfig.enableAutomaticUpgrades"], ([enabled]) =>
      patchModeFor(automaticUpdates(enabled, false)),
    ),
    fixed(`${WIN}.patchSettings.assessmentMode`, "ImageDefault"),
    fixed(`${WIN}.patchSettings.automaticByPlatformSettings.bypassPlatformSafetyChecksOnUserSchedule`, false),
  ]),
  ...onlyFor("Linux", [
    fixed(`${LIN}.patchSettings.patchMode`, "ImageDefault"),
    fixed(`${LIN}.patchSettings.assessmentMode`, "ImageDefault"),
    fixed(`${LIN}.patchSettings.automaticByPlatformSettings.bypassPlatformSafetyChecksOnUserSchedule`, false),
  ]),
];

// ---------------------------------------------------------------------------------------------
// Scale sets → azure-native:compute:VirtualMachineScaleSet

const VMP = "virtualMachineProfile";
const VMSS_WIN = `${VMP}.osProfile.windowsConfiguration`;
const VMSS_LIN = `${VMP}.osProfile.linuxConfiguration`;

const VMSS_IDENTITY: Table = [
  copy("vmScaleSetName", "name"),
  copy("resourceGroupName", "resourceGroupName"),
  copy("location", "location"),
  copy("tags", "tags"),
];

/** rollingUpgradePolicy block of the Windows, Linux and orchestrated scale sets → RollingUpgradePolicyArgs. */
const ROLLING_UPGRADE: Table = [
  copy("enableCrossZoneUpgrade", "crossZoneUpgradesEnabled"),
  copy("maxBatchInstancePercent", "maxBatchInstancePercent"),
  copy("maxUnhealthyInstancePercent", "maxUnhealthyInstancePercent"),
  copy("maxUnhealthyUpgradedInstancePercent", "maxUnhealthyUpgradedInstancePercent"),
  copy("maxSurge", "maximumSurgeInstancesEnabled"),
  copy("pauseTimeBetweenBatches", "pauseTimeBetweenBatches"),
  copy("prioritizeUnhealthyInstances", "prioritizeUnhealthyInstancesEnabled"),
];

/** Inline `extensions` item of the Windows and Linux scale sets → VirtualMachineScaleSetExtensionArgs
 *  (azure-native flattens the extension properties; no `properties` level). */
const VMSS_INLINE_EXTENSION: Table = [
  copy("name", "name"),
  copy("publisher", "publisher"),
  copy("type", "type"),
  copy("typeHandlerVersion", "typeHandlerVersion"),
  // schema: autoUpgradeMinorVersion "Defaults to `true`"
  copy("autoUpgradeMinorVersion", "autoUpgradeMinorVersion", true),
  // schema: no default; upstream sends the unset bool as false
  copy("enableAutomaticUpgrade", "automaticUpgradeEnabled", false),
  // no such classic argument, so it is never sent; Azure: suppressFailures "The default is false"
  fixed("suppressFailures", false),
  copy("forceUpdateTag", "forceUpdateTag"),
  copy("provisionAfterExtensions", "provisionAfterExtensions"),
  // schema: "A JSON String": kept as the string (the normalizer parses it)
  copy("settings", "settings"),
  secret("protectedSettings", "protectedSettings"),
  secret("protectedSettingsFromKeyVault", "protectedSettingsFromKeyVault"),
];

const UNIFORM_UPGRADE_POLICY: Table = [
  // upstream hard-codes OrchestrationModeUniform for these resources
  fixed("orchestrationMode", "Uniform"),
  // schema: upgradeMode "Defaults to `Manual`"
  copy("upgradePolicy.mode", "upgradeMode", "Manual"),
  // Azure: enableAutomaticOSUpgrade "Default value is false" (upstream sends the block only when set)
  copy("upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade", "automaticOsUpgradePolicy.enableAutomaticOsUpgrade", false),
  copy("upgradePolicy.automaticOSUpgradePolicy.disableAutomaticRollback", "automaticOsUpgradePolicy.disableAutomaticRollback"),
  block("upgradePolicy.rollingUpgradePolicy", "rollingUpgradePolicy", ROLLING_UPGRADE),
];

const VMSS_EXTENSIONS: Table = [
  each(`${VMP}.extensionProfile.extensions`, "extensions", VMSS_INLINE_EXTENSION),
  // schema: extensionsTimeBudget "Defaults to `PT1H30M`"
  copy(`${VMP}.extensionProfile.extensionsTimeBudget`, "extensionsTimeBudget", "PT1H30M"),
];

/** azure:compute/windowsVirtualMachineScaleSet. It has no patch arguments; upstream Create sends
 *  windowsConfiguration {provisionVMAgent, enableAutomaticUpdates} and no patchSettings. */
const WINDOWS_VMSS: Table = [
  ...VMSS_IDENTITY,
  ...UNIFORM_UPGRADE_POLICY,
  fixed(`${VMP}.storageProfile.osDisk.osType`, "Windows"),
  // schema: extensionOperationsEnabled "Defaults to `true`"
  copy(`${VMP}.osProfile.allowExtensionOperations`, "extensionOperationsEnabled", true),
  // schema: provisionVmAgent "Defaults to `true`"
  copy(`${VMSS_WIN}.provisionVMAgent`, "provisionVmAgent", true),
  // schema: enableAutomaticUpdates "Defaults to `true`"
  derive(`${VMSS_WIN}.enableAutomaticUpdates`, ["enableAutomaticUpdates", "automaticOsUpgradePolicy.enableAutomaticOsUpgrade"], ([enabled, osUpgrade]) =>
    automaticUpdates(enabled, true, osUpgrade),
  ),
  derive(`${VMSS_WIN}.patchSettings.patchMode`, ["enableAutomaticUpdates", "automaticOsUpgradePolicy.enableAutomaticOsUpgrade"], ([enabled, osUpgrade]) =>
    patchModeFor(automaticUpdates(enabled, true, osUpgrade)),
  ),
  // Azure: assessmentMode ImageDefault when not sent
  fixed(`${VMSS_WIN}.patchSettings.assessmentMode`, "ImageDefault"),
  ...VMSS_EXTENSIONS,
];

/** azure:compute/linuxVirtualMachineScaleSet: no patch arguments, no patchSettings sent. */
const LINUX_VMSS: Table = [
  ...VMSS_IDENTITY,
  ...UNIFORM_UPGRADE_POLICY,
  fixed(`${VMP}.storageProfile.osDisk.osType`, "Linux"),
  copy(`${VMP}.osProfile.allowExtensionOperations`, "extensionOperationsEnabled", true),
  copy(`${VMSS_LIN}.provisionVMAgent`, "provisionVmAgent", true),
  // Azure: Linux patchMode and assessmentMode are ImageDefault when not sent
  fixed(`${VMSS_LIN}.patchSettings.patchMode`, "ImageDefault"),
  fixed(`${VMSS_LIN}.patchSettings.assessmentMode`, "ImageDefault"),
  ...VMSS_EXTENSIONS,
];

/** Inline `extensions` item of the orchestrated scale set (its own argument names). */
const ORCHESTRATED_EXTENSION: Table = [
  copy("name", "name"),
  copy("publisher", "publisher"),
  copy("type", "type"),
  copy("typeHandlerVersion", "typeHandlerVersion"),
  // schema: autoUpgradeMinorVersionEnabled "Defaults to `true`"
  copy("autoUpgradeMinorVersion", "autoUpgradeMinorVersionEnabled", true),
  // schema: failureSuppressionEnabled has no default; Azure: suppressFailures "The default is false"
  copy("suppressFailures", "failureSuppressionEnabled", false),
  copy("forceUpdateTag", "forceExtensionExecutionOnChange"),
  copy("provisionAfterExtensions", "extensionsToProvisionAfterVmCreations"),
  copy("settings", "settings"),
  secret("protectedSettings", "protectedSettings"),
  secret("protectedSettingsFromKeyVault", "protectedSettingsFromKeyVault"),
];

/** azure:compute/orchestratedVirtualMachineScaleSet (Flexible): patch arguments live in
 *  osProfile.windowsConfiguration / osProfile.linuxConfiguration, which also say the OS. */
const ORCHESTRATED_VMSS: Table = [
  ...VMSS_IDENTITY,
  fixed("orchestrationMode", "Flexible"),
  copy("upgradePolicy.mode", "upgradeMode", "Manual"),
  // no automatic OS upgrade argument, so never sent; Azure: "Default value is false"
  fixed("upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade", false),
  block("upgradePolicy.rollingUpgradePolicy", "rollingUpgradePolicy", ROLLING_UPGRADE),
  copy(`${VMP}.osProfile.allowExtensionOperations`, "extensionOperationsEnabled", true),
  ...onlyFor("Windows", [
    // schema (OrchestratedVirtualMachineScaleSetOsProfileWindowsConfiguration): each "Defaults to" below
    copy(`${VMSS_WIN}.provisionVMAgent`, "osProfile.windowsConfiguration.provisionVmAgent", true),
    copy(`${VMSS_WIN}.enableAutomaticUpdates`, "osProfile.windowsConfiguration.enableAutomaticUpdates", true),
    copy(`${VMSS_WIN}.patchSettings.patchMode`, "osProfile.windowsConfiguration.patchMode", "AutomaticByOS"),
    copy(`${VMSS_WIN}.patchSettings.assessmentMode`, "osProfile.windowsConfiguration.patchAssessmentMode", "ImageDefault"),
    copy(`${VMSS_WIN}.patchSettings.enableHotpatching`, "osProfile.windowsConfiguration.hotpatchingEnabled", false),
  ]),
  ...onlyFor("Linux", [
    copy(`${VMSS_LIN}.provisionVMAgent`, "osProfile.linuxConfiguration.provisionVmAgent", true),
    copy(`${VMSS_LIN}.patchSettings.patchMode`, "osProfile.linuxConfiguration.patchMode", "ImageDefault"),
    copy(`${VMSS_LIN}.patchSettings.assessmentMode`, "osProfile.linuxConfiguration.patchAssessmentMode", "ImageDefault"),
  ]),
  each(`${VMP}.extensionProfile.extensions`, "extensions", ORCHESTRATED_EXTENSION),
  copy(`${VMP}.extensionProfile.extensionsTimeBudget`, "extensionsTimeBudget", "PT1H30M"),
];

/** Inline `extensions` item of the legacy scale set. */
const LEGACY_VMSS_EXTENSION: Table = [
  copy("name", "name"),
  copy("publisher", "publisher"),
  copy("type", "type"),
  copy("typeHandlerVersion", "typeHandlerVersion"),
  // schema: no default; upstream (a Terraform set element) sends the unset bool as false
  copy("autoUpgradeMinorVersion", "autoUpgradeMinorVersion", false),
  // no such classic argument, so never sent; Azure: "The default is false"
  fixed("suppressFailures", false),
  copy("provisionAfterExtensions", "provisionAfterExtensions"),
  copy("settings", "settings"),
  secret("protectedSettings", "protectedSettings"),
];

/** azure:compute/scaleSet (legacy, Uniform): no patch arguments, no patchSettings sent. */
const LEGACY_VMSS: Table = [
  ...VMSS_IDENTITY,
  fixed("orchestrationMode", "Uniform"),
  // schema: upgradePolicyMode is required, no default
  copy("upgradePolicy.mode", "upgradePolicyMode"),
  // schema: automaticOsUpgrade "Defaults to `false`"
  copy("upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade", "automaticOsUpgrade", false),
  // same argument names as azure-native (schema: each "Defaults to" 20 / 20 / 20 / PT0S)
  block("upgradePolicy.rollingUpgradePolicy", "rollingUpgradePolicy", [
    copy("maxBatchInstancePercent", "maxBatchInstancePercent", 20),
    copy("maxUnhealthyInstancePercent", "maxUnhealthyInstancePercent", 20),
    copy("maxUnhealthyUpgradedInstancePercent", "maxUnhealthyUpgradedInstancePercent", 20),
    copy("pauseTimeBetweenBatches", "pauseTimeBetweenBatches", "PT0S"),
  ]),
  ...onlyFor("Windows", [
    // schema: enableAutomaticUpgrades has no default; upstream sends the unset bool as false
    derive(`${VMSS_WIN}.enableAutomaticUpdates`, ["osProfileWindowsConfig.enableAutomaticUpgrades", "automaticOsUpgrade"], ([enabled, osUpgrade]) =>
      automaticUpdates(enabled, false, osUpgrade),
    ),
    copy(`${VMSS_WIN}.provisionVMAgent`, "osProfileWindowsConfig.provisionVmAgent", false),
    derive(`${VMSS_WIN}.patchSettings.patchMode`, ["osProfileWindowsConfig.enableAutomaticUpgrades", "automaticOsUpgrade"], ([enabled, osUpgrade]) =>
      patchModeFor(automaticUpdates(enabled, false, osUpgrade)),
    ),
    fixed(`${VMSS_WIN}.patchSettings.assessmentMode`, "ImageDefault"),
  ]),
  ...onlyFor("Linux", [fixed(`${VMSS_LIN}.patchSettings.patchMode`, "ImageDefault"), fixed(`${VMSS_LIN}.patchSettings.assessmentMode`, "ImageDefault")]),
  each(`${VMP}.extensionProfile.extensions`, "extensions", LEGACY_VMSS_EXTENSION),
];

// ---------------------------------------------------------------------------------------------
// Extensions

const VM_ARM_TYPE = "microsoft.compute/virtualmachines";
const VMSS_ARM_TYPE = "microsoft.compute/virtualmachinescalesets";
const ARC_ARM_TYPE = "microsoft.hybridcompute/machines";

/** azure:compute/extension → VirtualMachineExtension. Upstream Create sends every bool below as
 *  d.Get(...).(bool), so an unset one is false. */
const VM_EXTENSION: Table = [
  copy("vmExtensionName", "name"),
  // virtualMachineId is the VM's ARM id: its name and resource group are the azure-native keys
  armPart("vmName", "virtualMachineId", "name", VM_ARM_TYPE),
  armPart("resourceGroupName", "virtualMachineId", "resourceGroup", VM_ARM_TYPE),
  copy("publisher", "publisher"),
  copy("type", "type"),
  copy("typeHandlerVersion", "typeHandlerVersion"),
  copy("autoUpgradeMinorVersion", "autoUpgradeMinorVersion", false),
  copy("enableAutomaticUpgrade", "automaticUpgradeEnabled", false),
  // schema: failureSuppressionEnabled "Defaults to `false`"
  copy("suppressFailures", "failureSuppressionEnabled", false),
  copy("provisionAfterExtensions", "provisionAfterExtensions"),
  copy("settings", "settings"),
  secret("protectedSettings", "protectedSettings"),
  secret("protectedSettingsFromKeyVault", "protectedSettingsFromKeyVault"),
  copy("tags", "tags"),
];

/** azure:compute/virtualMachineScaleSetExtension → VirtualMachineScaleSetExtension (flattened). */
const VMSS_EXTENSION: Table = [
  copy("vmssExtensionName", "name"),
  copy("name", "name"),
  armPart("vmScaleSetName", "virtualMachineScaleSetId", "name", VMSS_ARM_TYPE),
  armPart("resourceGroupName", "virtualMachineScaleSetId", "resourceGroup", VMSS_ARM_TYPE),
  copy("publisher", "publisher"),
  copy("type", "type"),
  copy("typeHandlerVersion", "typeHandlerVersion"),
  // schema: autoUpgradeMinorVersion "Defaults to `true`"
  copy("autoUpgradeMinorVersion", "autoUpgradeMinorVersion", true),
  copy("enableAutomaticUpgrade", "automaticUpgradeEnabled", false),
  // schema: failureSuppressionEnabled "Defaults to `false`"
  copy("suppressFailures", "failureSuppressionEnabled", false),
  copy("forceUpdateTag", "forceUpdateTag"),
  copy("provisionAfterExtensions", "provisionAfterExtensions"),
  copy("settings", "settings"),
  secret("protectedSettings", "protectedSettings"),
  secret("protectedSettingsFromKeyVault", "protectedSettingsFromKeyVault"),
];

// ---------------------------------------------------------------------------------------------
// Arc

/** azure:arcmachine/arcMachine → hybridcompute:Machine. The classic resource has no OS or patch
 *  arguments (name, resourceGroupName, location, kind, identity, tags), so none are translated. */
const ARC_MACHINE: Table = [
  copy("machineName", "name"),
  copy("resourceGroupName", "resourceGroupName"),
  copy("location", "location"),
  copy("kind", "kind"),
  copy("tags", "tags"),
];

/** azure:arcmachine/extension → hybridcompute:MachineExtension (handler fields under `properties`). */
const ARC_EXTENSION: Table = [
  copy("extensionName", "name"),
  armPart("machineName", "arcMachineId", "name", ARC_ARM_TYPE),
  armPart("resourceGroupName", "arcMachineId", "resourceGroup", ARC_ARM_TYPE),
  copy("location", "location"),
  copy("tags", "tags"),
  copy("properties.publisher", "publisher"),
  copy("properties.type", "type"),
  copy("properties.typeHandlerVersion", "typeHandlerVersion"),
  // schema: automaticUpgradeEnabled "Defaults to `true`" (the resource has no autoUpgradeMinorVersion)
  copy("properties.enableAutomaticUpgrade", "automaticUpgradeEnabled", true),
  copy("properties.forceUpdateTag", "forceUpdateTag"),
  copy("properties.settings", "settings"),
  secret("properties.protectedSettings", "protectedSettings"),
];

// ---------------------------------------------------------------------------------------------
// Maintenance

/** azure:maintenance/configuration → MaintenanceConfiguration (window fields flattened). */
const MAINTENANCE_CONFIGURATION: Table = [
  copy("resourceName", "name"),
  copy("resourceGroupName", "resourceGroupName"),
  copy("location", "location"),
  copy("tags", "tags"),
  copy("maintenanceScope", "scope"),
  // schema: visibility "Defaults to `Custom`"
  copy("visibility", "visibility", "Custom"),
  // `properties` is the ARM extensionProperties map; inGuestUserPatchMode is its InGuestPatchMode key
  derive("extensionProperties", ["properties", "inGuestUserPatchMode"], ([properties, mode]) =>
    properties === undefined && mode === undefined
      ? undefined
      : { ...(isRecord<Value>(properties) ? properties : {}), ...(mode === undefined ? {} : { InGuestPatchMode: mode }) },
  ),
  copy("startDateTime", "window.startDateTime"),
  copy("expirationDateTime", "window.expirationDateTime"),
  copy("duration", "window.duration"),
  copy("timeZone", "window.timeZone"),
  copy("recurEvery", "window.recurEvery"),
  copy("installPatches.rebootSetting", "installPatches.reboot"),
  // schema: installPatches.windows and .linuxes are lists (of one block), with plural field names
  first("installPatches.windowsParameters", "installPatches.windows", [
    copy("classificationsToInclude", "classificationsToIncludes"),
    copy("kbNumbersToExclude", "kbNumbersToExcludes"),
    copy("kbNumbersToInclude", "kbNumbersToIncludes"),
  ]),
  first("installPatches.linuxParameters", "installPatches.linuxes", [
    copy("classificationsToInclude", "classificationsToIncludes"),
    copy("packageNameMasksToExclude", "packageNamesMaskToExcludes"),
    copy("packageNameMasksToInclude", "packageNamesMaskToIncludes"),
  ]),
];

/** A machine-scoped assignment: the target's ARM id split into the azure-native keys. */
function machineAssignment(idProperty: string, resourceType: string, armType: string): Table {
  return [
    copy("location", "location"),
    copy("maintenanceConfigurationId", "maintenanceConfigurationId"),
    fixed("providerName", "Microsoft.Compute"),
    fixed("resourceType", resourceType),
    armPart("resourceName", idProperty, "name", armType),
    armPart("resourceGroupName", idProperty, "resourceGroup", armType),
    copy("resourceId", idProperty),
  ];
}

/** azure:maintenance/assignmentDynamicScope → ConfigurationAssignmentsForSubscription. */
const DYNAMIC_ASSIGNMENT: Table = [
  copy("configurationAssignmentName", "name"),
  copy("maintenanceConfigurationId", "maintenanceConfigurationId"),
  block("filter", "filter", [
    copy("locations", "locations"),
    copy("osTypes", "osTypes"),
    copy("resourceGroups", "resourceGroups"),
    copy("resourceTypes", "resourceTypes"),
    // schema: tagFilter "Defaults to `Any`"
    copy("tagSettings.filterOperator", "tagFilter", "Any"),
    derive("tagSettings.tags", ["tags"], tagMap),
  ]),
];

// ---------------------------------------------------------------------------------------------
// Monitoring and notifications

/** azure:monitoring/dataCollectionRuleAssociation → DataCollectionRuleAssociation. */
const DATA_COLLECTION_RULE_ASSOCIATION: Table = [
  // schema: name "Defaults to `configurationAccessEndpoint`"
  copy("associationName", "name", "configurationAccessEndpoint"),
  copy("resourceUri", "targetResourceId"),
  copy("dataCollectionRuleId", "dataCollectionRuleId"),
  copy("dataCollectionEndpointId", "dataCollectionEndpointId"),
  copy("description", "description"),
];

/** azure:monitoring/actionGroup → monitor:ActionGroup (e-mail receivers: what the normalizer reads). */
const ACTION_GROUP: Table = [
  copy("actionGroupName", "name"),
  copy("resourceGroupName", "resourceGroupName"),
  // schema: location "Defaults to `global`"
  copy("location", "location", "global"),
  copy("groupShortName", "shortName"),
  // schema: enabled "Defaults to `true`"
  copy("enabled", "enabled", true),
  each("emailReceivers", "emailReceivers", [
    copy("name", "name"),
    copy("emailAddress", "emailAddress"),
    copy("useCommonAlertSchema", "useCommonAlertSchema"),
  ]),
  copy("tags", "tags"),
];

const onOff = (value: Value | undefined) => (value === undefined ? undefined : value === true ? "On" : "Off");

/** azure:securitycenter/contact → security:SecurityContact. The classic resource speaks the old
 *  API's booleans: alertNotifications (alerts to this contact) is the contact switched on;
 *  alertsToAdmins (alerts to subscription admins) is notification by role. */
const SECURITY_CONTACT: Table = [
  copy("securityContactName", "name"),
  copy("emails", "email"),
  copy("phone", "phone"),
  copy("isEnabled", "alertNotifications"),
  derive("notificationsByRole.state", ["alertsToAdmins"], ([value]) => onOff(value)),
];

// ---------------------------------------------------------------------------------------------
// The translations, by classic type token.

interface Translation {
  target: string;
  table: Table;
  /** For machines: the OS the classic type implies or declares, and where it goes. */
  os?: { rule: Rule; osType: string; osProfile: string };
  /** A classic argument that decides whether the provider sends the top-level `drops` at all. */
  gate?: { from: string; sends: (value: Value | undefined) => boolean; drops: string };
}

const windows = fixed("", "Windows");
const linux = fixed("", "Linux");

/** windows/linuxVirtualMachine: with osManagedDiskId (an existing OS disk, attached) upstream sends
 *  no osProfile at all ("API fails if OsProfile is anything but nil with CreateOption = Attach"). */
const ATTACHED_OS_DISK: Translation["gate"] = { from: "osManagedDiskId", sends: (id) => id === undefined || id === "", drops: "osProfile" };

const TRANSLATIONS: Readonly<Record<string, Translation>> = {
  [CLASSIC.windowsVm]: {
    target: TYPES.vm,
    table: WINDOWS_VM,
    os: { rule: windows, osType: "storageProfile.osDisk.osType", osProfile: "osProfile" },
    gate: ATTACHED_OS_DISK,
  },
  [CLASSIC.linuxVm]: {
    target: TYPES.vm,
    table: LINUX_VM,
    os: { rule: linux, osType: "storageProfile.osDisk.osType", osProfile: "osProfile" },
    gate: ATTACHED_OS_DISK,
  },
  [CLASSIC.legacyVm]: {
    target: TYPES.vm,
    table: LEGACY_VM,
    os: {
      rule: { to: "", from: ["osProfileWindowsConfig", "osProfileLinuxConfig", "storageOsDisk.osType"], raw: true, make: declaredOs },
      osType: "storageProfile.osDisk.osType",
      osProfile: "osProfile",
    },
    // upstream (legacy): `if _, ok := d.GetOk("os_profile"); ok { properties.OsProfile = ... }`
    gate: { from: "osProfile", sends: (profile) => profile !== undefined, drops: "osProfile" },
  },
  [CLASSIC.windowsVmss]: {
    target: TYPES.scaleSet,
    table: WINDOWS_VMSS,
    os: { rule: windows, osType: `${VMP}.storageProfile.osDisk.osType`, osProfile: `${VMP}.osProfile` },
  },
  [CLASSIC.linuxVmss]: {
    target: TYPES.scaleSet,
    table: LINUX_VMSS,
    os: { rule: linux, osType: `${VMP}.storageProfile.osDisk.osType`, osProfile: `${VMP}.osProfile` },
  },
  [CLASSIC.orchestratedVmss]: {
    target: TYPES.scaleSet,
    table: ORCHESTRATED_VMSS,
    os: {
      rule: { to: "", from: ["osProfile.windowsConfiguration", "osProfile.linuxConfiguration"], raw: true, make: declaredOs },
      osType: `${VMP}.storageProfile.osDisk.osType`,
      osProfile: `${VMP}.osProfile`,
    },
  },
  [CLASSIC.legacyVmss]: {
    target: TYPES.scaleSet,
    table: LEGACY_VMSS,
    os: {
      rule: { to: "", from: ["osProfileWindowsConfig", "osProfileLinuxConfig", "storageProfileOsDisk.osType"], raw: true, make: declaredOs },
      osType: `${VMP}.storageProfile.osDisk.osType`,
      osProfile: `${VMP}.osProfile`,
    },
  },
  [CLASSIC.vmExtension]: { target: TYPES.vmExtension, table: VM_EXTENSION },
  [CLASSIC.vmssExtension]: { target: TYPES.scaleSetExtension, table: VMSS_EXTENSION },
  [CLASSIC.arcMachine]: { target: TYPES.arcMachine, table: ARC_MACHINE },
  [CLASSIC.arcExtension]: { target: TYPES.arcExtension, table: ARC_EXTENSION },
  [CLASSIC.maintenanceConfiguration]: { target: TYPES.maintenanceConfiguration, table: MAINTENANCE_CONFIGURATION },
  [CLASSIC.assignmentVm]: { target: TYPES.assignment, table: machineAssignment("virtualMachineId", "virtualMachines", VM_ARM_TYPE) },
  [CLASSIC.assignmentVmss]: {
    target: TYPES.assignment,
    table: machineAssignment("virtualMachineScaleSetId", "virtualMachineScaleSets", VMSS_ARM_TYPE),
  },
  [CLASSIC.assignmentDynamicScope]: { target: TYPES.assignmentForSubscription, table: DYNAMIC_ASSIGNMENT },
  [CLASSIC.dataCollectionRuleAssociation]: { target: TYPES.dataCollectionRuleAssociation, table: DATA_COLLECTION_RULE_ASSOCIATION },
  [CLASSIC.actionGroup]: { target: TYPES.actionGroup, table: ACTION_GROUP },
  [CLASSIC.securityContact]: { target: TYPES.securityContact, table: SECURITY_CONTACT },
};

/** Every classic type token this module translates. */
export const CLASSIC_TYPES: readonly string[] = Object.keys(TRANSLATIONS);

/** Classic top-level property → the azure-native top-level properties it feeds, per translation. */
const DEPENDENCY_NAMES = new Map<Translation, Map<string, string[]>>();

function dependencyNames(translation: Translation): Map<string, string[]> {
  let names = DEPENDENCY_NAMES.get(translation);
  if (names) return names;
  names = new Map();
  const add = (from: string, to: string) => {
    const list = names?.get(top(from)) ?? [];
    if (!list.includes(top(to))) list.push(top(to));
    names?.set(top(from), list);
  };
  for (const rule of translation.table) for (const from of rule.from) add(from, rule.to);
  if (translation.os) {
    for (const from of translation.os.rule.from) {
      add(from, translation.os.osType);
      add(from, translation.os.osProfile);
    }
  }
  if (translation.gate) add(translation.gate.from, translation.gate.drops);
  DEPENDENCY_NAMES.set(translation, names);
  return names;
}

function translateProperties(translation: Translation, props: Props): Props {
  const { os: osSpec, gate } = translation;
  const os = osSpec ? evaluate(osSpec.rule, props) : undefined;
  const out = applyTable(translation.table, props, os === "Windows" || os === "Linux" ? os : undefined);
  if (osSpec && isSentinel(os)) {
    // The OS decides which configuration the patch settings live in: unknown OS, unknown settings.
    setPath(out, osSpec.osType, os);
    setPath(out, osSpec.osProfile, os);
  } else if (osSpec && typeof os === "string") {
    setPath(out, osSpec.osType, os);
  }
  if (gate) {
    const value = getPath(props, gate.from.split(".")) ?? undefined;
    if (isSentinel(value)) setPath(out, gate.drops, value);
    else if (!gate.sends(value)) {
      const { [gate.drops]: _dropped, ...sent } = out;
      return sent;
    }
  }
  return out;
}

function translateDependencies(translation: Translation, dependencies: Record<string, string[]>): Record<string, string[]> {
  const names = dependencyNames(translation);
  const out: Record<string, string[]> = {};
  for (const [classic, urns] of Object.entries(dependencies)) {
    for (const native of names.get(classic) ?? []) {
      const list = (out[native] ??= []);
      for (const urn of urns) if (!list.includes(urn)) list.push(urn);
    }
  }
  return out;
}

/**
 * The azure-native resource(s) a classic @pulumi/azure resource stands for, or null when the type
 * is not one this module translates. The result keeps the classic URN (findings and waivers name
 * the user's resource), id, parent, provider and dependencies.
 */
export function fromClassicAzure(resource: Resource): Resource[] | null {
  const translation = Object.hasOwn(TRANSLATIONS, resource.type) ? TRANSLATIONS[resource.type] : undefined;
  if (!translation) return null;
  return [
    {
      urn: resource.urn,
      type: translation.target,
      name: resource.name,
      id: resource.id,
      parent: resource.parent,
      provider: resource.provider,
      // Sentinels are JSON objects ({"$unknown": true}) the document types apart.
      properties: translateProperties(translation, resource.properties) as Record<string, JsonValue>,
      dependencies: [...resource.dependencies],
      propertyDependencies: translateDependencies(translation, resource.propertyDependencies),
    },
  ];
}
