import { ANTIMALWARE_SETTINGS, DEFAULT_ANTIMALWARE_SETTINGS, antivirusProduct, notDeployedReason } from "../core/antivirus-engine";
import type { AntivirusSettings, ClientConfig, EndpointSettings, UpdateRingSettings } from "../core/client-config";
import { DEFAULT_MANAGED_BY, ENDPOINT_ARM, ENDPOINT_LABELS, EXTENSIONS, EXTENSION_TYPE_OF_KIND, HANDLER_VERSIONS, TYPES, endpointArmId, type ExtensionHandler } from "../core/azure";
import { InputError } from "../core/errors";
import { sameJson } from "../core/values";

/**
 * The baseline as data: every component and resource `ClientBaseline` will register, with its
 * exact inputs. Pure, so the preflight can judge it before anything is created and tests can
 * read it without a Pulumi engine.
 */

export const COMPONENT_TYPES = {
  baseline: "steward:index:ClientBaseline",
  endpoint: "steward:index:ManagedEndpoint",
  ring: "steward:index:UpdateRing",
  antivirus: "steward:index:AntivirusPolicy",
  monitoring: "steward:index:MonitoringBaseline",
} as const;
export type ComponentType = (typeof COMPONENT_TYPES)[keyof typeof COMPONENT_TYPES];

/** An input that is another planned resource's id, known only after that resource is created. */
export interface IdOf {
  $idOf: string;
}
export type PlannedValue = string | number | boolean | null | IdOf | PlannedValue[] | { [key: string]: PlannedValue };

export interface PlannedComponent {
  /** Unique within the plan; also the Pulumi resource name. */
  name: string;
  type: ComponentType;
  /** `name` of the parent component; null for the ClientBaseline itself. */
  parent: string | null;
}

export interface PlannedResource {
  name: string;
  type: string;
  parent: string;
  args: Record<string, PlannedValue>;
}

export interface BaselinePlan {
  components: PlannedComponent[];
  resources: PlannedResource[];
  /** Ring name → endpoint names, in ring order. */
  rings: Record<string, string[]>;
}

const idOf = (name: string): IdOf => ({ $idOf: name });

export const isIdOf = (value: unknown): value is IdOf =>
  typeof value === "object" && value !== null && typeof (value as IdOf).$idOf === "string";

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

const WEEKS_AFTER_PATCH_TUESDAY = ["Second", "Third", "Fourth"] as const;

/**
 * Azure Update Manager's recurrence for "N days after Patch Tuesday": the Nth Tuesday is a whole
 * number of weeks after the second, and Azure's offset covers the remaining 0-6 days.
 */
export function recurEvery(patchTuesdayOffsetDays: number): string {
  const week = WEEKS_AFTER_PATCH_TUESDAY[Math.floor(patchTuesdayOffsetDays / 7)];
  if (!week || !Number.isInteger(patchTuesdayOffsetDays) || patchTuesdayOffsetDays < 0) {
    throw new RangeError(`patchTuesdayOffsetDays ${patchTuesdayOffsetDays} is outside 0-20, which Azure's recurEvery can express`);
  }
  const offset = patchTuesdayOffsetDays % 7;
  return `Month ${week} Tuesday${offset === 0 ? "" : ` Offset${offset}`}`;
}

/** The ARM id of a machine the baseline attaches to (it references, never creates it). */
export function machineId(endpoint: EndpointSettings): string {
  return endpointArmId(endpoint.kind, endpoint.subscriptionId, endpoint.resourceGroup, endpoint.name);
}

function tags(config: ClientConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client: config.client.id,
    "managed-by": DEFAULT_MANAGED_BY,
    "responsible-antivirus": config.client.responsibilities.antivirus,
    "responsible-patching": config.client.responsibilities.patching,
    ...extra,
  };
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

function antivirusHandler(config: ClientConfig, endpoint: EndpointSettings) {
  // Microsoft Antimalware exists only for Windows: Linux endpoints always get Defender for Endpoint.
  if (antivirusProduct(config.antivirus.engine, endpoint.os) === "antimalware") {
    return { ...handler(EXTENSIONS.antimalware), settings: antimalwareSettings(config.antivirus) };
  }
  return {
    ...handler(endpoint.os === "windows" ? EXTENSIONS.mdeWindows : EXTENSIONS.mdeLinux),
    settings: { azureResourceId: machineId(endpoint), forceReOnboarding: false, vNextEnabled: true },
  };
}

/** What an extension's inputs say of its handler: publisher, type and the version deployed. */
function handler({ publisher, type }: ExtensionHandler) {
  return { publisher, type, typeHandlerVersion: HANDLER_VERSIONS[type] as string };
}

function maintenanceConfiguration(config: ClientConfig, ring: UpdateRingSettings): Record<string, PlannedValue> {
  return {
    resourceName: `${config.client.id}-${ring.name}`,
    resourceGroupName: config.client.resourceGroup,
    location: config.client.location,
    maintenanceScope: "InGuestPatch",
    visibility: "Custom",
    extensionProperties: { InGuestPatchMode: "User" },
    startDateTime: `2026-01-01 ${ring.startTime}`,
    duration: ring.duration,
    timeZone: ring.timeZone,
    recurEvery: recurEvery(ring.patchTuesdayOffsetDays),
    installPatches: {
      rebootSetting: ring.reboot,
      windowsParameters: { classificationsToInclude: ring.classifications.windows, kbNumbersToExclude: ring.exclusions.kbNumbers },
      linuxParameters: { classificationsToInclude: ring.classifications.linux, packageNameMasksToExclude: ring.exclusions.packages },
    },
    tags: tags(config, { ring: ring.name, "ring-order": String(ring.order) }),
  };
}

/**
 * The loader refuses antivirus settings written for an endpoint that would get Defender for
 * Endpoint, whose extension takes none; a configuration built in code has not been through the
 * loader, so the plan refuses the same (for settings other than the defaults, which are what the
 * extension of an MDE endpoint can be said to carry: nothing the client asked for is lost).
 * Never an MDE extension while the client's intent is silently dropped.
 */
export function assertAntivirusSettingsDeployed(config: ClientConfig): void {
  const changed = ANTIMALWARE_SETTINGS.filter((key) => !sameJson(config.antivirus[key], DEFAULT_ANTIMALWARE_SETTINGS[key]));
  if (changed.length === 0) return;
  const reason = notDeployedReason(config.antivirus, config.endpoints);
  if (reason === undefined) return;
  throw new InputError(
    [`client ${config.client.id}: antivirus settings that would not be deployed:`, ...changed.map((key) => `  steward:antivirus.${key}: ${reason}`)].join("\n"),
  );
}

/**
 * Every VM and Arc machine is in one of the client's update rings, and no scale set is in any:
 * rings are in-guest (InGuestPatch) maintenance configurations, which do not patch scale sets.
 * The loader refuses both; a configuration built in code has not been through it, and a ring
 * setting the plan cannot deploy is never silently dropped.
 */
export function assertRingsDeployed(config: ClientConfig): void {
  const rings = new Set(config.updateRings.map((ring) => ring.name));
  const problems = config.endpoints.flatMap((endpoint) => {
    const ring: unknown = endpoint.ring;
    const label = `${ENDPOINT_LABELS[endpoint.kind]} "${endpoint.name}"`;
    if (endpoint.kind === "vm-scale-set") {
      return ring === undefined
        ? []
        : [`${label} has ring ${JSON.stringify(ring)}: in-guest update rings do not patch scale sets (Azure patches one by automatic OS image upgrades); remove it`];
    }
    if (typeof ring === "string" && rings.has(ring)) return [];
    return [`${label} ${ring === undefined ? "has no ring" : `has ring ${JSON.stringify(ring)}, which is not one of the client's update rings`}`];
  });
  if (problems.length === 0) return;
  throw new InputError([`client ${config.client.id}: update rings that cannot be deployed:`, ...problems.map((problem) => `  steward:endpoints: ${problem}`)].join("\n"));
}

/** Plans every component and resource of a client's baseline, in registration order; refuses
 *  antivirus settings that would not be deployed (assertAntivirusSettingsDeployed) and rings that
 *  cannot be (assertRingsDeployed). */
export function planBaseline(config: ClientConfig): BaselinePlan {
  assertAntivirusSettingsDeployed(config);
  assertRingsDeployed(config);
  const id = config.client.id;
  const { location, resourceGroup } = config.client;
  const components: PlannedComponent[] = [{ name: id, type: COMPONENT_TYPES.baseline, parent: null }];
  const resources: PlannedResource[] = [];
  const add = (resource: PlannedResource) => resources.push(resource);

  const monitoring = `${id}-monitoring`;
  components.push({ name: monitoring, type: COMPONENT_TYPES.monitoring, parent: id });
  const workspace = `${id}-workspace`;
  add({
    name: workspace,
    type: TYPES.workspace,
    parent: monitoring,
    args: {
      workspaceName: `${id}-endpoints`,
      resourceGroupName: resourceGroup,
      location,
      sku: { name: "PerGB2018" },
      retentionInDays: config.monitoring.workspaceRetentionDays,
      tags: tags(config),
    },
  });
  const rule = `${id}-endpoint-rule`;
  add({
    name: rule,
    type: TYPES.dataCollectionRule,
    parent: monitoring,
    args: {
      dataCollectionRuleName: `${id}-endpoints`,
      resourceGroupName: resourceGroup,
      location,
      description: "Antivirus, update and health events from every managed endpoint",
      dataSources: {
        windowsEventLogs: [
          {
            name: "antivirus-and-updates",
            streams: ["Microsoft-Event"],
            xPathQueries: [
              "Microsoft-Windows-Windows Defender/Operational!*[System[(Level=1 or Level=2 or Level=3)]]",
              "Microsoft-Antimalware-Scan-Interface!*[System[(Level=1 or Level=2 or Level=3)]]",
              "System!*[System[Provider[@Name='Microsoft-Windows-WindowsUpdateClient']]]",
            ],
          },
        ],
        syslog: [{ name: "security", streams: ["Microsoft-Syslog"], facilityNames: ["auth", "authpriv", "daemon"], logLevels: ["Warning", "Error", "Critical", "Alert", "Emergency"] }],
      },
      destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: idOf(workspace) }] },
      dataFlows: [{ streams: ["Microsoft-Event", "Microsoft-Syslog"], destinations: ["workspace"] }],
      tags: tags(config),
    },
  });
  const responsible = config.client.responsibilities.antivirus;
  const alertContacts = [
    ...(responsible === "client" ? [] : config.client.contacts.msp),
    ...(responsible === "msp" ? [] : config.client.contacts.client),
  ];
  add({
    name: `${id}-threat-alerts`,
    type: TYPES.actionGroup,
    parent: monitoring,
    args: {
      actionGroupName: `${id}-threat-alerts`,
      groupShortName: id.slice(0, 12),
      resourceGroupName: resourceGroup,
      location: "Global",
      enabled: true,
      emailReceivers: alertContacts.map((contact) => ({ name: contact.name, emailAddress: contact.email, useCommonAlertSchema: true })),
      tags: tags(config),
    },
  });

  const antivirus = `${id}-antivirus`;
  components.push({ name: antivirus, type: COMPONENT_TYPES.antivirus, parent: id });
  const needsDefender = config.endpoints.some((endpoint) => antivirusProduct(config.antivirus.engine, endpoint.os) === "mde");
  for (const subscription of needsDefender ? config.client.scope.subscriptions : []) {
    add({
      name: `${id}-defender-servers-${subscription.slice(0, 8)}`,
      type: TYPES.pricing,
      parent: antivirus,
      args: { pricingName: "VirtualMachines", pricingTier: "Standard", subPlan: "P2", scopeId: `subscriptions/${subscription}` },
    });
  }
  add({
    name: `${id}-threat-contacts`,
    type: TYPES.securityContact,
    parent: antivirus,
    args: {
      securityContactName: "default",
      emails: alertContacts.map((contact) => contact.email).join(";"),
      isEnabled: true,
      notificationsByRole: { state: "On", roles: ["Owner"] },
      notificationsSources: [{ sourceType: "Alert", minimalSeverity: "Medium" }],
    },
  });

  const rings: Record<string, string[]> = {};
  for (const ring of [...config.updateRings].sort((a, b) => a.order - b.order)) {
    const component = `${id}-ring-${ring.name}`;
    components.push({ name: component, type: COMPONENT_TYPES.ring, parent: id });
    add({ name: `${id}-${ring.name}-schedule`, type: TYPES.maintenanceConfiguration, parent: component, args: maintenanceConfiguration(config, ring) });
    rings[ring.name] = config.endpoints.filter((endpoint) => endpoint.ring === ring.name).map((endpoint) => endpoint.name);
  }

  for (const endpoint of config.endpoints) {
    const component = `${id}-${endpoint.name}`;
    components.push({ name: component, type: COMPONENT_TYPES.endpoint, parent: id });
    const endpointTags = tags(config, { ...(endpoint.ring === undefined ? {} : { ring: endpoint.ring }), ...(endpoint.role ? { role: endpoint.role } : {}) });
    const extensionType = EXTENSION_TYPE_OF_KIND[endpoint.kind];
    add({
      name: `${component}-antivirus`,
      type: extensionType,
      parent: component,
      args: extensionArgs(endpoint, "antivirus", antivirusHandler(config, endpoint), location, endpointTags),
    });
    add({
      name: `${component}-monitoring-agent`,
      type: extensionType,
      parent: component,
      args: extensionArgs(
        endpoint,
        "AzureMonitorAgent",
        { ...handler(endpoint.os === "windows" ? EXTENSIONS.monitorWindows : EXTENSIONS.monitorLinux), settings: {} },
        location,
        endpointTags,
      ),
    });
    add({
      name: `${component}-rule-association`,
      type: TYPES.dataCollectionRuleAssociation,
      parent: component,
      args: { associationName: `${id}-endpoints`, resourceUri: machineId(endpoint), dataCollectionRuleId: idOf(rule) },
    });
    // A scale set is patched by its own automatic OS image upgrades, which a baseline that
    // references it can neither set nor see (patch-orchestration-unverified names it).
    if (endpoint.kind === "vm-scale-set") continue;
    add({
      name: `${component}-ring-assignment`,
      type: TYPES.assignment,
      parent: component,
      args: {
        configurationAssignmentName: `${id}-${endpoint.ring}`,
        resourceGroupName: endpoint.resourceGroup,
        providerName: ENDPOINT_ARM[endpoint.kind].providerName,
        resourceType: ENDPOINT_ARM[endpoint.kind].resourceType,
        resourceName: endpoint.name,
        location,
        maintenanceConfigurationId: idOf(`${id}-${endpoint.ring}-schedule`),
      },
    });
  }
  return { components, resources, rings };
}
