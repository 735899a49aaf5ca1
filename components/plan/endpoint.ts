import { ANTIMALWARE_SETTINGS, DEFAULT_ANTIMALWARE_SETTINGS, antivirusProduct, notDeployedReason, settingsReach } from "../../core/antivirus-engine";
import type { AntivirusSettings, ClientSettings, EndpointSettings } from "../../core/config";
import { ENDPOINT_ARM, ENDPOINT_LABELS, EXTENSIONS, EXTENSION_TYPE_OF_KIND, HANDLER_VERSIONS, TYPES, endpointArmId, type ExtensionHandler } from "../../core/azure";
import { InputError } from "../../core/errors";
import { sameJson } from "../../core/values";
import { COMPONENT_TYPES, childName, clientTags, type IdOf, type Plan, type PlannedResource, type PlannedValue } from "./model";

export interface EndpointPlanArgs {
  /** The client (`steward:client` as loadClientConfig returns it): its id names the rule
   *  association and ring assignment in Azure and is in the extensions' tags; its location is
   *  theirs. */
  client: ClientSettings;
  /** The machine (an existing one: referenced, never created). A VM's or Arc machine's `ring` names
   *  its ring, in its tags and its ring assignment's Azure name. */
  endpoint: EndpointSettings;
  /** The client's antivirus settings: which product the endpoint gets, and Microsoft Antimalware's
   *  settings when it gets that. */
  antivirus: AntivirusSettings;
  /** The maintenance configuration of the ring that patches it: a planned one or an ARM id. None
   *  for a scale set, which in-guest rings do not patch. */
  maintenanceConfigurationId?: IdOf | string;
  /** The data collection rule its agent reports through: a planned one or an ARM id. */
  dataCollectionRuleId: IdOf | string;
}

/** The role of each child of a ManagedEndpoint: `<component>-<role>`. */
export const ENDPOINT_ROLES = {
  antivirus: "antivirus",
  monitoringAgent: "monitoring-agent",
  ruleAssociation: "rule-association",
  ringAssignment: "ring-assignment",
} as const;

/** Microsoft Antimalware's day numbering: 0 = daily, 1 = Sunday ... 7 = Saturday. */
const ANTIMALWARE_DAYS = { daily: 0, sunday: 1, monday: 2, tuesday: 3, wednesday: 4, thursday: 5, friday: 6, saturday: 7 } as const;

/** The Microsoft Antimalware settings document (the shape Azure's built-in 2835b622 deploys). */
export function antimalwareSettings(antivirus: AntivirusSettings): Record<string, PlannedValue> {
  const [hours, minutes] = antivirus.scheduledScan.time.split(":").map(Number) as [number, number];
  return {
    AntimalwareEnabled: true,
    RealtimeProtectionEnabled: String(antivirus.realtimeProtection),
    ScheduledScanSettings: {
      isEnabled: String(antivirus.scheduledScan.enabled),
      day: String(ANTIMALWARE_DAYS[antivirus.scheduledScan.day]),
      time: String(hours * 60 + minutes),
      scanType: antivirus.scheduledScan.type === "full" ? "Full" : "Quick",
    },
    Exclusions: {
      Paths: antivirus.exclusions.paths.join(";"),
      Extensions: antivirus.exclusions.extensions.join(";"),
      Processes: antivirus.exclusions.processes.join(";"),
    },
  };
}

/** The ARM id of a machine the baseline attaches to (it references, never creates it). */
export function machineId(endpoint: EndpointSettings): string {
  return endpointArmId(endpoint.kind, endpoint.subscriptionId, endpoint.resourceGroup, endpoint.name);
}

/**
 * An extension's inputs: a VM's, an Arc machine's (which nests the handler under `properties`),
 * or a scale set's, which ARM gives neither a location nor tags (it goes into the scale set's
 * model, and the scale set's instances run it).
 */
function extensionArgs(
  endpoint: EndpointSettings,
  extensionName: string,
  handler: { publisher: string; type: string; typeHandlerVersion: string; settings: Record<string, PlannedValue> },
  location: string,
  extensionTags: Record<string, string>,
): Record<string, PlannedValue> {
  const body = { ...handler, autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true };
  switch (endpoint.kind) {
    case "azure-vm":
      return { vmName: endpoint.name, resourceGroupName: endpoint.resourceGroup, vmExtensionName: extensionName, location, ...body, tags: extensionTags };
    case "arc-machine":
      return { machineName: endpoint.name, resourceGroupName: endpoint.resourceGroup, extensionName, location, properties: body, tags: extensionTags };
    case "vm-scale-set":
      return { vmScaleSetName: endpoint.name, resourceGroupName: endpoint.resourceGroup, vmssExtensionName: extensionName, ...body };
  }
}

/** What an extension's inputs say of its handler: publisher, type and the version deployed. */
function handler({ publisher, type }: ExtensionHandler) {
  return { publisher, type, typeHandlerVersion: HANDLER_VERSIONS[type] as string };
}

function antivirusHandler(antivirus: AntivirusSettings, endpoint: EndpointSettings) {
  // Microsoft Antimalware exists only for Windows: Linux endpoints always get Defender for Endpoint.
  if (antivirusProduct(antivirus.engine, endpoint.os) === "antimalware") {
    return { ...handler(EXTENSIONS.antimalware), settings: antimalwareSettings(antivirus) };
  }
  return {
    ...handler(endpoint.os === "windows" ? EXTENSIONS.mdeWindows : EXTENSIONS.mdeLinux),
    settings: { azureResourceId: machineId(endpoint), forceReOnboarding: false, vNextEnabled: true },
  };
}

/**
 * What stops this endpoint's plan from deploying what it is given, each as `<argument>: <problem>`:
 * a VM or Arc machine without its ring, a scale set with one (in-guest rings do not patch scale
 * sets), and Microsoft Antimalware settings other than the defaults written for it when it gets
 * Defender for Endpoint, whose extension takes none. Never an extension while the intent is
 * silently dropped.
 */
function endpointProblems(args: EndpointPlanArgs): string[] {
  const { endpoint, antivirus } = args;
  const label = `${ENDPOINT_LABELS[endpoint.kind]} "${endpoint.name}"`;
  const problems: string[] = [];
  if (endpoint.kind === "vm-scale-set") {
    if (endpoint.ring !== undefined || args.maintenanceConfigurationId !== undefined) {
      problems.push(`ring: ${label} is a scale set, which in-guest update rings do not patch (Azure patches one by automatic OS image upgrades); remove its ring`);
    }
  } else {
    if (typeof endpoint.ring !== "string") problems.push(`endpoint.ring: ${label} has no ring; name the update ring that patches it`);
    if (args.maintenanceConfigurationId === undefined) problems.push(`ring: ${label} needs the ring that patches it (an UpdateRing, or a maintenance configuration's ARM id)`);
  }
  if (settingsReach(antivirus, [endpoint]).unreached.length > 0) {
    const reason = notDeployedReason(antivirus, [endpoint]);
    for (const key of ANTIMALWARE_SETTINGS) {
      if (!sameJson(antivirus[key], DEFAULT_ANTIMALWARE_SETTINGS[key])) problems.push(`antivirus.${key}: ${reason}`);
    }
  }
  return problems;
}

/**
 * A ManagedEndpoint named `name`: the antivirus extension (Microsoft Antimalware, or Defender for
 * Endpoint MDE.Windows / MDE.Linux), the Azure Monitor Agent, the data collection rule
 * association and, for a VM or Arc machine, the ring assignment. Refuses (InputError) an endpoint
 * it cannot deploy as given (see endpointProblems).
 */
export function planEndpoint(name: string, args: EndpointPlanArgs): Plan {
  const problems = endpointProblems(args);
  if (problems.length > 0) {
    throw new InputError([`endpoint "${args.endpoint.name}" of client ${args.client.id} cannot be deployed:`, ...problems.map((problem) => `  ${problem}`)].join("\n"));
  }
  const { client, endpoint } = args;
  const endpointTags = clientTags(client, { ...(endpoint.ring === undefined ? {} : { ring: endpoint.ring }), ...(endpoint.role ? { role: endpoint.role } : {}) });
  const extensionType = EXTENSION_TYPE_OF_KIND[endpoint.kind];
  const resources: PlannedResource[] = [
    {
      name: childName(name, ENDPOINT_ROLES.antivirus),
      type: extensionType,
      parent: name,
      args: extensionArgs(endpoint, "antivirus", antivirusHandler(args.antivirus, endpoint), client.location, endpointTags),
    },
    {
      name: childName(name, ENDPOINT_ROLES.monitoringAgent),
      type: extensionType,
      parent: name,
      args: extensionArgs(
        endpoint,
        "AzureMonitorAgent",
        { ...handler(endpoint.os === "windows" ? EXTENSIONS.monitorWindows : EXTENSIONS.monitorLinux), settings: {} },
        client.location,
        endpointTags,
      ),
    },
    {
      name: childName(name, ENDPOINT_ROLES.ruleAssociation),
      type: TYPES.dataCollectionRuleAssociation,
      parent: name,
      args: { associationName: `${client.id}-endpoints`, resourceUri: machineId(endpoint), dataCollectionRuleId: args.dataCollectionRuleId },
    },
  ];
  // A scale set is patched by its own automatic OS image upgrades, which a baseline that
  // references it can neither set nor see (patch-orchestration-unverified names it).
  if (endpoint.kind !== "vm-scale-set" && args.maintenanceConfigurationId !== undefined) {
    resources.push({
      name: childName(name, ENDPOINT_ROLES.ringAssignment),
      type: TYPES.assignment,
      parent: name,
      args: {
        configurationAssignmentName: `${client.id}-${endpoint.ring}`,
        resourceGroupName: endpoint.resourceGroup,
        providerName: ENDPOINT_ARM[endpoint.kind].providerName,
        resourceType: ENDPOINT_ARM[endpoint.kind].resourceType,
        resourceName: endpoint.name,
        location: client.location,
        maintenanceConfigurationId: args.maintenanceConfigurationId,
      },
    });
  }
  return { components: [{ name, type: COMPONENT_TYPES.endpoint, parent: null }], resources };
}
