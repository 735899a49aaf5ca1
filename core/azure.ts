/**
 * What steward knows about Azure, in one place: the resource type tokens it reads, how a token of
 * any API version or SDK generation maps to the one it judges, which ARM resource types are
 * endpoints, and which extensions answer which managed-endpoint question. The normalizer, the
 * planner, coverage and drift all read these tables; none keeps a copy.
 */
import type { EndpointKind, ExtensionProduct, ExtensionRole, JsonValue, Sentinel } from "./document";
import { field } from "./values";

/** The @pulumi/azure-native (3.x) type tokens steward understands, unversioned. */
export const TYPES = {
  vm: "azure-native:compute:VirtualMachine",
  arcMachine: "azure-native:hybridcompute:Machine",
  scaleSet: "azure-native:compute:VirtualMachineScaleSet",
  scaleSetVm: "azure-native:compute:VirtualMachineScaleSetVM",
  vmExtension: "azure-native:compute:VirtualMachineExtension",
  arcExtension: "azure-native:hybridcompute:MachineExtension",
  scaleSetExtension: "azure-native:compute:VirtualMachineScaleSetExtension",
  scaleSetVmExtension: "azure-native:compute:VirtualMachineScaleSetVMExtension",
  maintenanceConfiguration: "azure-native:maintenance:MaintenanceConfiguration",
  assignment: "azure-native:maintenance:ConfigurationAssignment",
  assignmentForSubscription: "azure-native:maintenance:ConfigurationAssignmentsForSubscription",
  assignmentForResourceGroup: "azure-native:maintenance:ConfigurationAssignmentsForResourceGroup",
  dataCollectionRule: "azure-native:monitor:DataCollectionRule",
  dataCollectionRuleAssociation: "azure-native:monitor:DataCollectionRuleAssociation",
  workspace: "azure-native:operationalinsights:Workspace",
  actionGroup: "azure-native:monitor:ActionGroup",
  securityContact: "azure-native:security:SecurityContact",
  pricing: "azure-native:security:Pricing",
} as const;

/** The endpoint types of the normalized document, by kind. */
export const ENDPOINT_TYPES: Readonly<Record<EndpointKind, string>> = {
  "azure-vm": TYPES.vm,
  "arc-machine": TYPES.arcMachine,
  "vm-scale-set": TYPES.scaleSet,
};

/** Each endpoint kind's ARM resource type: lower case as ids and Resource Graph compare it, and
 *  the provider namespace and type as a configuration assignment names them. */
export const ENDPOINT_ARM: Readonly<Record<EndpointKind, { type: string; providerName: string; resourceType: string }>> = {
  "azure-vm": { type: "microsoft.compute/virtualmachines", providerName: "Microsoft.Compute", resourceType: "virtualMachines" },
  "arc-machine": { type: "microsoft.hybridcompute/machines", providerName: "Microsoft.HybridCompute", resourceType: "machines" },
  "vm-scale-set": { type: "microsoft.compute/virtualmachinescalesets", providerName: "Microsoft.Compute", resourceType: "virtualMachineScaleSets" },
};

/** Endpoint kind by lower-case ARM resource type (a Map: the key comes from the input). */
export const ENDPOINT_KIND_OF_ARM_TYPE: ReadonlyMap<string, EndpointKind> = new Map(
  Object.entries(ENDPOINT_ARM).map(([kind, arm]) => [arm.type, kind as EndpointKind]),
);

/** The ARM id of an endpoint, cased as Azure writes the provider namespace and type. */
export function endpointArmId(kind: EndpointKind, subscriptionId: string, resourceGroup: string, name: string): string {
  const { providerName, resourceType } = ENDPOINT_ARM[kind];
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${providerName}/${resourceType}/${name}`;
}

/** How messages name each endpoint kind (the Rego library's `kind_label` says the same). */
export const ENDPOINT_LABELS: Readonly<Record<EndpointKind, string>> = {
  "azure-vm": "Azure VM",
  "arc-machine": "Arc machine",
  "vm-scale-set": "Scale set",
};

/**
 * One instance of a Uniform scale set: Resource Graph lists these in its `computeresources`
 * table, not in `resources`, with ids `.../virtualMachineScaleSets/<scale set>/virtualMachines/<n>`.
 * (An instance of a Flexible scale set is an ordinary `microsoft.compute/virtualmachines`
 * resource whose `properties.virtualMachineScaleSet.id` names its scale set.)
 */
export const SCALE_SET_INSTANCE_ARM_TYPE = "microsoft.compute/virtualmachinescalesets/virtualmachines";
export const SCALE_SET_INSTANCE_LABEL = "Scale set instance";

/**
 * @pulumi/azure-native publishes every resource under API-versioned modules too
 * (`azure-native:compute/v20240301:VirtualMachine`), 2.x published some under modules 3.x
 * renamed, and 3.x generates a local package for any other API version (`pulumi package add
 * azure-native compute 2023-03-01`), named after the module and version
 * (`azure-native_compute_v20230301`). The SDK declares the versioned tokens as aliases of the
 * unversioned one; test/azure.test.ts holds every alias the installed SDK declares for the types
 * above to this.
 */
const VERSIONED_TOKEN = /^azure-native(?:_[A-Za-z0-9]+_v\d{8}[A-Za-z]*)?:([A-Za-z0-9]+)(?:\/v\d{8}[A-Za-z]*)?:([A-Za-z0-9]+)$/;
const RENAMED_MODULES: Readonly<Record<string, string>> = {
  "azure-native:insights:DataCollectionRule": TYPES.dataCollectionRule,
  "azure-native:insights:DataCollectionRuleAssociation": TYPES.dataCollectionRuleAssociation,
  "azure-native:insights:ActionGroup": TYPES.actionGroup,
};

const canonical = new Map<string, string>();

/** The unversioned azure-native token a type token means (any other token as it is). */
export function canonicalType(token: string): string {
  let known = canonical.get(token);
  if (known === undefined) {
    const unversioned = token.replace(VERSIONED_TOKEN, "azure-native:$1:$2");
    // Own keys only: a token such as "constructor" must not read Object.prototype.
    known = Object.hasOwn(RENAMED_MODULES, unversioned) ? (RENAMED_MODULES[unversioned] as string) : unversioned;
    canonical.set(token, known);
  }
  return known;
}

/** A type whose name ends in a machine noun (`VirtualMachine`, `ArcMachine`, `VirtualMachineInstance`,
 *  `BareMetalMachine`, `ScaleSet`, `VirtualMachineScaleSetVM`, `...VMSS`), in any provider. */
const MACHINE_NOUN = /(machine|machineinstance|scaleset|scalesetvm|vmss)$/;
/** Types named after a machine that act on one rather than run an OS: run commands, maintenance and
 *  guest configuration assignments, SQL Server IaaS registrations of an existing VM. */
const ACTS_ON_A_MACHINE = /runcommand|assignment|sql/;

/**
 * Whether a type token that steward does not understand names something that runs an operating
 * system (a VM, a machine, a scale set of another provider or resource provider): such a resource
 * is a machine nobody can show is managed, so it is reported, never skipped. test/azure.test.ts
 * lists what this says of every type the installed azure-native SDK declares.
 */
export function looksLikeMachine(token: string): boolean {
  const lowered = token.toLowerCase();
  return MACHINE_NOUN.test(lowered.slice(lowered.lastIndexOf(":") + 1)) && !ACTS_ON_A_MACHINE.test(lowered);
}

/**
 * The extension resource types: the kind of machine each names and the property that names it
 * (none for one scale set instance's extension, which protects no whole endpoint), and whether
 * the handler fields are nested under `properties` (Arc) or flat (the others, as azure-native
 * flattens them).
 */
export const EXTENSION_RESOURCES: ReadonlyMap<string, { kind: EndpointKind | null; nameProperty: string; nested: boolean }> = new Map([
  [TYPES.vmExtension, { kind: "azure-vm", nameProperty: "vmName", nested: false }],
  [TYPES.arcExtension, { kind: "arc-machine", nameProperty: "machineName", nested: true }],
  [TYPES.scaleSetExtension, { kind: "vm-scale-set", nameProperty: "vmScaleSetName", nested: false }],
  [TYPES.scaleSetVmExtension, { kind: null, nameProperty: "vmScaleSetName", nested: false }],
]);

/** The extension resource type steward deploys on each kind of endpoint. */
export const EXTENSION_TYPE_OF_KIND: Readonly<Record<EndpointKind, string>> = Object.fromEntries(
  [...EXTENSION_RESOURCES].flatMap(([type, { kind }]) => (kind === null ? [] : [[kind, type]])),
) as Record<EndpointKind, string>;

/**
 * Extension resource types that carry no tags: ARM's scale set extensions (of the model, and of
 * one instance) have only a name and properties, so there is no tag to set or check.
 */
export const UNTAGGED_EXTENSION_TYPES: ReadonlySet<string> = new Set([TYPES.scaleSetExtension, TYPES.scaleSetVmExtension]);

/** The object that holds an extension resource's handler fields (publisher, type, settings...),
 *  a sentinel when that object is unknown or secret. */
export function handlerFields(resource: { type: string; properties: Record<string, JsonValue> }): JsonValue | Sentinel {
  return EXTENSION_RESOURCES.get(canonicalType(resource.type))?.nested ? field(resource.properties, "properties") : resource.properties;
}

/** Publisher and handler type of an extension steward deploys or recognizes. */
export interface ExtensionHandler {
  publisher: string;
  type: string;
  role: ExtensionRole;
  product: Exclude<ExtensionProduct, null>;
  os: "windows" | "linux" | "any";
}

/** The extensions that answer a managed-endpoint question, with their canonical spelling. */
export const EXTENSIONS = {
  antimalware: { publisher: "Microsoft.Azure.Security", type: "IaaSAntimalware", role: "antivirus", product: "antimalware", os: "windows" },
  mdeWindows: { publisher: "Microsoft.Azure.AzureDefenderForServers", type: "MDE.Windows", role: "antivirus", product: "mde", os: "windows" },
  mdeLinux: { publisher: "Microsoft.Azure.AzureDefenderForServers", type: "MDE.Linux", role: "antivirus", product: "mde", os: "linux" },
  monitorWindows: { publisher: "Microsoft.Azure.Monitor", type: "AzureMonitorWindowsAgent", role: "monitoring", product: "azure-monitor-agent", os: "windows" },
  monitorLinux: { publisher: "Microsoft.Azure.Monitor", type: "AzureMonitorLinuxAgent", role: "monitoring", product: "azure-monitor-agent", os: "linux" },
} as const satisfies Record<string, ExtensionHandler>;

/** Azure matches publisher and type without regard to case: by lower-case `publisher/type`. */
const HANDLERS_BY_KEY: ReadonlyMap<string, ExtensionHandler> = new Map(
  Object.values(EXTENSIONS).map((handler) => [`${handler.publisher}/${handler.type}`.toLowerCase(), handler]),
);

/** The recognized extension a publisher and type name, whatever their case. */
export function extensionHandler(publisher: string, type: string): ExtensionHandler | undefined {
  return HANDLERS_BY_KEY.get(`${publisher}/${type}`.toLowerCase());
}

/** The oldest handler versions steward accepts: the versions Azure's own built-ins deploy
 *  (IaaSAntimalware 1.3), and what the planner deploys. */
export const HANDLER_VERSIONS: Readonly<Record<string, string>> = {
  [EXTENSIONS.antimalware.type]: "1.3",
  [EXTENSIONS.mdeWindows.type]: "1.0",
  [EXTENSIONS.mdeLinux.type]: "1.0",
  [EXTENSIONS.monitorWindows.type]: "1.0",
  [EXTENSIONS.monitorLinux.type]: "1.0",
};

/** The `managed-by` tag value of every resource steward manages, unless a client sets another. */
export const DEFAULT_MANAGED_BY = "steward";
