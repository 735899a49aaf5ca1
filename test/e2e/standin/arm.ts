/**
 * What the stand-in knows of Azure Resource Manager for each azure-native (3.28.0) type the
 * baseline plans (and virtual machines, for tests that add one outside a baseline): the ARM id a resource gets, which inputs are part of that id (changing one
 * replaces the resource), and the outputs azure-native reports — its output names, read from the
 * SDK's classes (`readonly` outputs of node_modules/@pulumi/azure-native/<module>/<type>.d.ts and
 * types/output.d.ts): the ARM response flattened, path parameters left out, the fields Azure
 * fills in added. Pure, so tests check it without an engine.
 */
import { createHash } from "node:crypto";

/** The placeholder Pulumi sends for a value a preview cannot know yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Bag = Record<string, Value>;

/** What a resource's outputs are derived from besides its inputs. */
export interface ArmContext {
  /** The subscription resource-group and subscription scoped resources are created in
   *  (azure-native's `subscriptionId`, here ARM_SUBSCRIPTION_ID). */
  subscription: string;
  /** When the resource was created (kept across updates) and when it was last changed. */
  createdAt: string;
  modifiedAt: string;
  /** Another resource's outputs by its id, as Azure would resolve a reference. */
  lookup(id: string): Bag | undefined;
}

export interface ArmType {
  /** The azure-native type token. */
  token: string;
  /** The REST API version azure-native 3.28.0 uses (its `azureApiVersion` output). */
  apiVersion: string;
  /** The ARM resource type of the id and, for most types, the `type` output. */
  armType: string;
  /** The input that names the resource; azure-native names it after the Pulumi resource (plus a
   *  random suffix) when it is not given. */
  nameInput: string;
  /** Inputs that are part of the resource's URL: a change replaces the resource. */
  pathInputs: string[];
  /** Every input of the type (its `XxxArgs` interface). */
  inputs: string[];
  /** Inputs that are required (not optional in `XxxArgs`). */
  required: string[];
  /** The ARM id of a resource with these inputs. */
  id(inputs: Bag, context: ArmContext): string;
  /** The path inputs an ARM id encodes, for reading a resource back. */
  pathFromId(id: string): Bag;
  /** The outputs: body inputs as Azure returns them, plus what Azure fills in. */
  outputs(inputs: Bag, id: string, context: ArmContext): Bag;
}

/** A GUID derived from text, so a resource's server-made identifiers are the same on every run. */
export function guidOf(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const etagOf = (id: string, modifiedAt: string) => `"${guidOf(`${id}@${modifiedAt}`)}"`;

function systemData(context: ArmContext): Bag {
  return {
    createdAt: context.createdAt,
    createdBy: "steward-standin@example.test",
    createdByType: "User",
    lastModifiedAt: context.modifiedAt,
    lastModifiedBy: "steward-standin@example.test",
    lastModifiedByType: "User",
  };
}

const text = (value: Value | undefined): string => (typeof value === "string" ? value : String(value ?? ""));

/** The inputs that are not path parameters and that Azure keeps in the resource's body. */
function body(inputs: Bag, type: Pick<ArmType, "pathInputs" | "nameInput">): Bag {
  const kept: Bag = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (!type.pathInputs.includes(key) && key !== type.nameInput && value !== null) kept[key] = value;
  }
  return kept;
}

/** `/segment/value` pairs of an ARM id, by lower-case segment name (ARM ids ignore case). */
function idSegments(id: string): Map<string, string> {
  const parts = id.split("/").filter((part) => part.length > 0);
  const segments = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) segments.set((parts[i] as string).toLowerCase(), parts[i + 1] as string);
  return segments;
}

/** The part of an id before `/providers/<namespace>/<type>/<name>` of a child or extension resource. */
function scopeOf(id: string, marker: string): string {
  const at = id.toLowerCase().lastIndexOf(marker.toLowerCase());
  return at < 0 ? "" : id.slice(0, at);
}

const group = (context: ArmContext, resourceGroup: Value | undefined) => `/subscriptions/${context.subscription}/resourceGroups/${text(resourceGroup)}`;

const virtualMachineExtension: ArmType = {
  token: "azure-native:compute:VirtualMachineExtension",
  apiVersion: "2024-11-01",
  armType: "Microsoft.Compute/virtualMachines/extensions",
  nameInput: "vmExtensionName",
  pathInputs: ["resourceGroupName", "vmName", "vmExtensionName"],
  inputs: [
    "autoUpgradeMinorVersion", "enableAutomaticUpgrade", "forceUpdateTag", "instanceView", "location", "protectedSettings",
    "protectedSettingsFromKeyVault", "provisionAfterExtensions", "publisher", "resourceGroupName", "settings", "suppressFailures",
    "tags", "type", "typeHandlerVersion", "vmExtensionName", "vmName",
  ],
  required: ["resourceGroupName", "vmName"],
  id: (inputs, context) =>
    `${group(context, inputs.resourceGroupName)}/providers/Microsoft.Compute/virtualMachines/${text(inputs.vmName)}/extensions/${text(inputs.vmExtensionName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", vmName: segments.get("virtualmachines") ?? "", vmExtensionName: segments.get("extensions") ?? "" };
  },
  // The extension's handler type is its `type` output: azure-native flattens `properties.type`
  // over the ARM resource type.
  outputs: (inputs, id, context) => ({
    ...body(inputs, virtualMachineExtension),
    name: text(inputs.vmExtensionName),
    provisioningState: "Succeeded",
    systemData: systemData(context),
    azureApiVersion: virtualMachineExtension.apiVersion,
  }),
};

const machineExtension: ArmType = {
  token: "azure-native:hybridcompute:MachineExtension",
  apiVersion: "2024-07-10",
  armType: "Microsoft.HybridCompute/machines/extensions",
  nameInput: "extensionName",
  pathInputs: ["resourceGroupName", "machineName", "extensionName"],
  inputs: ["extensionName", "location", "machineName", "properties", "resourceGroupName", "tags"],
  required: ["machineName", "resourceGroupName"],
  id: (inputs, context) =>
    `${group(context, inputs.resourceGroupName)}/providers/Microsoft.HybridCompute/machines/${text(inputs.machineName)}/extensions/${text(inputs.extensionName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", machineName: segments.get("machines") ?? "", extensionName: segments.get("extensions") ?? "" };
  },
  // Arc keeps the handler under `properties` (MachineExtensionPropertiesResponse), where Azure
  // adds the provisioning state; the resource's own `type` is the ARM type.
  outputs: (inputs, id, context) => {
    const properties = inputs.properties && typeof inputs.properties === "object" && !Array.isArray(inputs.properties) ? inputs.properties : {};
    return {
      ...body(inputs, machineExtension),
      properties: { ...properties, provisioningState: "Succeeded" },
      name: text(inputs.extensionName),
      type: machineExtension.armType,
      systemData: systemData(context),
      azureApiVersion: machineExtension.apiVersion,
    };
  },
};

const maintenanceConfiguration: ArmType = {
  token: "azure-native:maintenance:MaintenanceConfiguration",
  apiVersion: "2023-10-01-preview",
  armType: "Microsoft.Maintenance/maintenanceConfigurations",
  nameInput: "resourceName",
  pathInputs: ["resourceGroupName", "resourceName"],
  inputs: [
    "duration", "expirationDateTime", "extensionProperties", "installPatches", "location", "maintenanceScope", "namespace", "recurEvery",
    "resourceGroupName", "resourceName", "startDateTime", "tags", "timeZone", "visibility",
  ],
  required: ["resourceGroupName"],
  // The Maintenance resource provider spells the group segment in lower case
  // (MaintenanceConfigurations_GetForResource examples in fixtures/reference/azure-rest-examples).
  id: (inputs, context) =>
    `/subscriptions/${context.subscription}/resourcegroups/${text(inputs.resourceGroupName)}/providers/Microsoft.Maintenance/maintenanceConfigurations/${text(inputs.resourceName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", resourceName: segments.get("maintenanceconfigurations") ?? "" };
  },
  outputs: (inputs, id, context) => ({
    namespace: "Microsoft.Maintenance",
    expirationDateTime: "9999-12-31 00:00",
    ...body(inputs, maintenanceConfiguration),
    name: text(inputs.resourceName),
    type: maintenanceConfiguration.armType,
    systemData: systemData(context),
    azureApiVersion: maintenanceConfiguration.apiVersion,
  }),
};

const configurationAssignment: ArmType = {
  token: "azure-native:maintenance:ConfigurationAssignment",
  apiVersion: "2023-10-01-preview",
  armType: "Microsoft.Maintenance/configurationAssignments",
  nameInput: "configurationAssignmentName",
  pathInputs: ["resourceGroupName", "providerName", "resourceType", "resourceName", "configurationAssignmentName"],
  inputs: ["configurationAssignmentName", "filter", "location", "maintenanceConfigurationId", "providerName", "resourceGroupName", "resourceId", "resourceName", "resourceType"],
  required: ["providerName", "resourceGroupName", "resourceName", "resourceType"],
  id: (inputs, context) =>
    `${machineIdOf(inputs, context)}/providers/Microsoft.Maintenance/configurationAssignments/${text(inputs.configurationAssignmentName)}`,
  pathFromId: (id) => {
    const machine = scopeOf(id, "/providers/Microsoft.Maintenance/configurationAssignments/");
    const parts = machine.split("/");
    return {
      resourceGroupName: idSegments(machine).get("resourcegroups") ?? "",
      providerName: parts[parts.length - 3] ?? "",
      resourceType: parts[parts.length - 2] ?? "",
      resourceName: parts[parts.length - 1] ?? "",
      configurationAssignmentName: idSegments(id).get("configurationassignments") ?? "",
    };
  },
  // Azure reports the machine the assignment is for as `resourceId`.
  outputs: (inputs, id, context) => ({
    ...body(inputs, configurationAssignment),
    resourceId: machineIdOf(inputs, context),
    name: text(inputs.configurationAssignmentName),
    type: configurationAssignment.armType,
    systemData: systemData(context),
    azureApiVersion: configurationAssignment.apiVersion,
  }),
};

function machineIdOf(inputs: Bag, context: ArmContext): string {
  return `${group(context, inputs.resourceGroupName)}/providers/${text(inputs.providerName)}/${text(inputs.resourceType)}/${text(inputs.resourceName)}`;
}

const dataCollectionRule: ArmType = {
  token: "azure-native:monitor:DataCollectionRule",
  apiVersion: "2022-06-01",
  armType: "Microsoft.Insights/dataCollectionRules",
  nameInput: "dataCollectionRuleName",
  pathInputs: ["resourceGroupName", "dataCollectionRuleName"],
  inputs: [
    "dataCollectionEndpointId", "dataCollectionRuleName", "dataFlows", "dataSources", "description", "destinations", "identity", "kind",
    "location", "resourceGroupName", "streamDeclarations", "tags",
  ],
  required: ["resourceGroupName"],
  id: (inputs, context) => `${group(context, inputs.resourceGroupName)}/providers/Microsoft.Insights/dataCollectionRules/${text(inputs.dataCollectionRuleName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", dataCollectionRuleName: segments.get("datacollectionrules") ?? "" };
  },
  // Azure adds each Log Analytics destination's workspace GUID (LogAnalyticsDestinationResponse
  // `workspaceId`), the rule's immutable id, an etag and the provisioning state.
  outputs: (inputs, id, context) => {
    const outputs: Bag = {
      ...body(inputs, dataCollectionRule),
      name: text(inputs.dataCollectionRuleName),
      type: dataCollectionRule.armType,
      immutableId: `dcr-${guidOf(id).replace(/-/g, "")}`,
      etag: etagOf(id, context.modifiedAt),
      provisioningState: "Succeeded",
      systemData: systemData(context),
      azureApiVersion: dataCollectionRule.apiVersion,
    };
    const destinations = outputs.destinations;
    if (destinations && typeof destinations === "object" && !Array.isArray(destinations) && Array.isArray(destinations.logAnalytics)) {
      outputs.destinations = {
        ...destinations,
        logAnalytics: destinations.logAnalytics.map((destination) => {
          if (!destination || typeof destination !== "object" || Array.isArray(destination)) return destination;
          const workspace = context.lookup(text(destination.workspaceResourceId));
          return { ...destination, workspaceId: workspace?.customerId ?? guidOf(text(destination.workspaceResourceId)) };
        }),
      };
    }
    return outputs;
  },
};

const dataCollectionRuleAssociation: ArmType = {
  token: "azure-native:monitor:DataCollectionRuleAssociation",
  apiVersion: "2022-06-01",
  armType: "Microsoft.Insights/dataCollectionRuleAssociations",
  nameInput: "associationName",
  pathInputs: ["resourceUri", "associationName"],
  inputs: ["associationName", "dataCollectionEndpointId", "dataCollectionRuleId", "description", "resourceUri"],
  required: ["resourceUri"],
  id: (inputs) => `${text(inputs.resourceUri)}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${text(inputs.associationName)}`,
  pathFromId: (id) => ({
    resourceUri: scopeOf(id, "/providers/Microsoft.Insights/dataCollectionRuleAssociations/"),
    associationName: idSegments(id).get("datacollectionruleassociations") ?? "",
  }),
  // The machine (`resourceUri`) is only in the id, never in the outputs.
  outputs: (inputs, id, context) => ({
    ...body(inputs, dataCollectionRuleAssociation),
    name: text(inputs.associationName),
    type: dataCollectionRuleAssociation.armType,
    etag: etagOf(id, context.modifiedAt),
    provisioningState: "Succeeded",
    systemData: systemData(context),
    azureApiVersion: dataCollectionRuleAssociation.apiVersion,
  }),
};

const workspace: ArmType = {
  token: "azure-native:operationalinsights:Workspace",
  apiVersion: "2023-09-01",
  armType: "Microsoft.OperationalInsights/workspaces",
  nameInput: "workspaceName",
  pathInputs: ["resourceGroupName", "workspaceName"],
  inputs: [
    "defaultDataCollectionRuleResourceId", "features", "forceCmkForQuery", "identity", "location", "publicNetworkAccessForIngestion",
    "publicNetworkAccessForQuery", "resourceGroupName", "retentionInDays", "sku", "tags", "workspaceCapping", "workspaceName",
  ],
  required: ["resourceGroupName"],
  id: (inputs, context) => `${group(context, inputs.resourceGroupName)}/providers/Microsoft.OperationalInsights/workspaces/${text(inputs.workspaceName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", workspaceName: segments.get("workspaces") ?? "" };
  },
  // Azure's defaults for what the inputs leave out, and the workspace's GUID (`customerId`).
  outputs: (inputs, id, context) => {
    const given = body(inputs, workspace);
    const sku = given.sku && typeof given.sku === "object" && !Array.isArray(given.sku) ? given.sku : { name: "PerGB2018" };
    return {
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      retentionInDays: 30,
      features: { enableLogAccessUsingOnlyResourcePermissions: true, unifiedSentinelBillingOnly: false },
      workspaceCapping: { dailyQuotaGb: -1, dataIngestionStatus: "RespectQuota", quotaNextResetTime: context.createdAt },
      ...given,
      sku: { ...sku, lastSkuUpdate: context.createdAt },
      name: text(inputs.workspaceName),
      type: workspace.armType,
      customerId: guidOf(id),
      createdDate: context.createdAt,
      modifiedDate: context.modifiedAt,
      etag: etagOf(id, context.modifiedAt),
      privateLinkScopedResources: [],
      provisioningState: "Succeeded",
      systemData: systemData(context),
      azureApiVersion: workspace.apiVersion,
    };
  },
};

const RECEIVER_LISTS = [
  "armRoleReceivers", "automationRunbookReceivers", "azureAppPushReceivers", "azureFunctionReceivers", "emailReceivers", "eventHubReceivers",
  "incidentReceivers", "itsmReceivers", "logicAppReceivers", "smsReceivers", "voiceReceivers", "webhookReceivers",
];

const actionGroup: ArmType = {
  token: "azure-native:monitor:ActionGroup",
  apiVersion: "2024-10-01-preview",
  armType: "Microsoft.Insights/ActionGroups",
  nameInput: "actionGroupName",
  pathInputs: ["resourceGroupName", "actionGroupName"],
  inputs: ["actionGroupName", "enabled", "groupShortName", "identity", "location", "resourceGroupName", "tags", ...RECEIVER_LISTS],
  required: ["enabled", "groupShortName", "resourceGroupName"],
  // Azure spells the namespace of action group ids in lower case.
  id: (inputs, context) => `${group(context, inputs.resourceGroupName)}/providers/microsoft.insights/actionGroups/${text(inputs.actionGroupName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", actionGroupName: segments.get("actiongroups") ?? "" };
  },
  // Every receiver list comes back, empty when not given; each e-mail receiver with its status.
  outputs: (inputs, id, context) => {
    const outputs: Bag = { ...Object.fromEntries(RECEIVER_LISTS.map((list) => [list, []])), ...body(inputs, actionGroup) };
    if (Array.isArray(outputs.emailReceivers)) {
      outputs.emailReceivers = outputs.emailReceivers.map((receiver) =>
        receiver && typeof receiver === "object" && !Array.isArray(receiver) ? { ...receiver, status: "Enabled" } : receiver,
      );
    }
    return { ...outputs, name: text(inputs.actionGroupName), type: actionGroup.armType, systemData: systemData(context), azureApiVersion: actionGroup.apiVersion };
  },
};

const securityContact: ArmType = {
  token: "azure-native:security:SecurityContact",
  apiVersion: "2023-12-01-preview",
  armType: "Microsoft.Security/securityContacts",
  nameInput: "securityContactName",
  pathInputs: ["securityContactName"],
  inputs: ["emails", "isEnabled", "notificationsByRole", "notificationsSources", "phone", "securityContactName"],
  required: [],
  id: (inputs, context) => `/subscriptions/${context.subscription}/providers/Microsoft.Security/securityContacts/${text(inputs.securityContactName)}`,
  pathFromId: (id) => ({ securityContactName: idSegments(id).get("securitycontacts") ?? "" }),
  outputs: (inputs, id, context) => ({
    ...body(inputs, securityContact),
    name: text(inputs.securityContactName),
    type: securityContact.armType,
    systemData: systemData(context),
    azureApiVersion: securityContact.apiVersion,
  }),
};

const pricing: ArmType = {
  token: "azure-native:security:Pricing",
  apiVersion: "2024-01-01",
  armType: "Microsoft.Security/pricings",
  nameInput: "pricingName",
  pathInputs: ["scopeId", "pricingName"],
  inputs: ["enforce", "extensions", "pricingName", "pricingTier", "scopeId", "subPlan"],
  required: ["pricingTier", "scopeId"],
  id: (inputs) => `/${text(inputs.scopeId).replace(/^\/+/, "")}/providers/Microsoft.Security/pricings/${text(inputs.pricingName)}`,
  pathFromId: (id) => ({
    scopeId: scopeOf(id, "/providers/Microsoft.Security/pricings/").replace(/^\/+/, ""),
    pricingName: idSegments(id).get("pricings") ?? "",
  }),
  // Defender plan state Azure reports for a plan set on the subscription itself.
  outputs: (inputs, id, context) => ({
    ...body(inputs, pricing),
    name: text(inputs.pricingName),
    type: pricing.armType,
    deprecated: false,
    enablementTime: context.modifiedAt,
    freeTrialRemainingTime: "PT0S",
    inherited: "False",
    inheritedFrom: "",
    replacedBy: [],
    resourcesCoverageStatus: "FullyCovered",
    systemData: systemData(context),
    azureApiVersion: pricing.apiVersion,
  }),
};

/**
 * A virtual machine, which no baseline plans (steward attaches to machines that exist): served so
 * the end-to-end tests can add one to the program outside any baseline, as someone might. Azure
 * returns the machine's body (never `osProfile.adminPassword`, which the tests therefore leave out)
 * and its unique id.
 */
const virtualMachine: ArmType = {
  token: "azure-native:compute:VirtualMachine",
  apiVersion: "2024-11-01",
  armType: "Microsoft.Compute/virtualMachines",
  nameInput: "vmName",
  pathInputs: ["resourceGroupName", "vmName"],
  inputs: [
    "additionalCapabilities", "applicationProfile", "availabilitySet", "billingProfile", "capacityReservation", "diagnosticsProfile",
    "evictionPolicy", "extendedLocation", "extensionsTimeBudget", "hardwareProfile", "host", "hostGroup", "identity", "licenseType",
    "location", "networkProfile", "osProfile", "placement", "plan", "platformFaultDomain", "priority", "proximityPlacementGroup",
    "resourceGroupName", "scheduledEventsPolicy", "scheduledEventsProfile", "securityProfile", "storageProfile", "tags", "userData",
    "virtualMachineScaleSet", "vmName", "zones",
  ],
  required: ["resourceGroupName"],
  id: (inputs, context) => `${group(context, inputs.resourceGroupName)}/providers/Microsoft.Compute/virtualMachines/${text(inputs.vmName)}`,
  pathFromId: (id) => {
    const segments = idSegments(id);
    return { resourceGroupName: segments.get("resourcegroups") ?? "", vmName: segments.get("virtualmachines") ?? "" };
  },
  outputs: (inputs, id, context) => ({
    ...body(inputs, virtualMachine),
    name: text(inputs.vmName),
    type: virtualMachine.armType,
    vmId: guidOf(id),
    timeCreated: context.createdAt,
    provisioningState: "Succeeded",
    systemData: systemData(context),
    azureApiVersion: virtualMachine.apiVersion,
  }),
};

/** Every type the stand-in serves, by azure-native type token. */
export const ARM_TYPES: ReadonlyMap<string, ArmType> = new Map(
  [
    virtualMachineExtension,
    machineExtension,
    maintenanceConfiguration,
    configurationAssignment,
    dataCollectionRule,
    dataCollectionRuleAssociation,
    workspace,
    actionGroup,
    securityContact,
    pricing,
    virtualMachine,
  ].map((type) => [type.token, type]),
);

/** The type token of a URN (`urn:pulumi:stack::project::parent$...$token::name`). */
export function tokenOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

export const nameOfUrn = (urn: string): string => urn.split("::").slice(3).join("::");

/** Whether a value contains Pulumi's unknown placeholder anywhere. */
export function containsUnknown(value: Value | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Whether the outputs already carry an input value: objects match when every key the input sets
 * matches (Azure adds fields of its own, such as an e-mail receiver's `status`), arrays element by
 * element, anything else by equality. An unknown input never matches.
 */
export function carries(output: Value | undefined, input: Value | undefined): boolean {
  if (input === UNKNOWN) return false;
  if (Array.isArray(input)) {
    return Array.isArray(output) && output.length === input.length && input.every((item, index) => carries(output[index], item));
  }
  if (input && typeof input === "object") {
    if (!output || typeof output !== "object" || Array.isArray(output)) return false;
    return Object.entries(input).every(([key, value]) => value === null || carries(output[key], value));
  }
  return output === input;
}

/** Azure region names compare without case and spaces ("UK South" is "uksouth"). */
const region = (value: Value | undefined) => text(value).replace(/\s+/g, "").toLowerCase();

/** A property's change, as Pulumi's detailed diff names it. */
export type DiffKind = "add" | "add-replace" | "update" | "update-replace";

export interface ArmDiff {
  /** Inputs whose values the outputs do not carry. */
  changes: string[];
  /** Of those, the ones that replace the resource: path inputs and `location`. */
  replaces: string[];
  /** Every differing property by its path (`settings.RealtimeProtectionEnabled`,
   *  `emailReceivers[0].emailAddress`, `tags["managed-by"]`), as azure-native reports it. */
  detailed: Record<string, DiffKind>;
}

/** A property path segment: `.name` for identifiers, `["name"]` for anything else. */
function pathOf(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The paths under `path` where the input sets what the outputs do not carry. */
function differences(output: Value | undefined, input: Value | undefined, path: string, replace: boolean, found: Record<string, DiffKind>): void {
  if (carries(output, input)) return;
  const objects = (value: Value | undefined): value is Record<string, Value> => !!value && typeof value === "object" && !Array.isArray(value);
  if (objects(input) && objects(output)) {
    for (const [key, value] of Object.entries(input)) {
      if (value !== null) differences(output[key], value, pathOf(path, key), replace, found);
    }
    return;
  }
  if (Array.isArray(input) && Array.isArray(output) && input.length === output.length) {
    input.forEach((value, index) => differences(output[index], value, pathOf(path, index), replace, found));
    return;
  }
  const added = output === undefined || output === null;
  found[path] = added ? (replace ? "add-replace" : "add") : replace ? "update-replace" : "update";
}

/** What changing a resource with these outputs and id to these inputs takes. */
export function diff(type: ArmType, id: string, olds: Bag, news: Bag): ArmDiff {
  const path = type.pathFromId(id);
  const changes: string[] = [];
  const replaces: string[] = [];
  const detailed: Record<string, DiffKind> = {};
  for (const key of type.inputs) {
    if (!(key in news) || news[key] === null) continue;
    const pathValue = type.pathInputs.includes(key);
    const replace = pathValue || key === "location";
    if (replace) {
      const same =
        news[key] !== UNKNOWN &&
        (key === "location" ? region(olds[key]) === region(news[key]) : text(path[key]).toLowerCase() === text(news[key]).toLowerCase());
      if (same) continue;
      detailed[pathOf("", key)] = "update-replace";
    } else {
      if (carries(olds[key], news[key])) continue;
      differences(olds[key], news[key], pathOf("", key), false, detailed);
    }
    changes.push(key);
    if (replace) replaces.push(key);
  }
  return { changes, replaces, detailed };
}

/** The inputs a read-back resource has: its path parameters from the id and the outputs that are inputs. */
export function inputsOf(type: ArmType, id: string, outputs: Bag): Bag {
  const inputs: Bag = { ...type.pathFromId(id) };
  for (const key of type.inputs) {
    if (key in outputs && !type.pathInputs.includes(key)) inputs[key] = outputs[key] as Value;
  }
  if (type.token === machineExtension.token && outputs.properties && typeof outputs.properties === "object" && !Array.isArray(outputs.properties)) {
    const { provisioningState, instanceView, ...properties } = outputs.properties;
    inputs.properties = properties;
  }
  return inputs;
}
