// The pure planners, called directly: each component's exact resources and inputs, how
// planBaseline composes them and names every child from its component, and what each refuses.
import { describe, expect, it } from "vitest";
import { ConfigError, loadClientConfig, parseClientConfig, type ClientConfig, type EndpointSettings } from "../../core/config";
import { InputError } from "../../core/errors";
import { antimalwareSettings, formerNames, planAntivirus, planBaseline, planEndpoint, planMonitoring, planRing, recurEvery } from "../../components/plan";
import { root } from "../support";
import { SUB, acme } from "./mocks";

const TAGS = { client: "acme", "managed-by": "steward", "responsible-antivirus": "msp", "responsible-patching": "msp" };
const SUB2 = "0b7d3e51-9a2c-4f86-b1d4-7e3a5c9f2d08";
const WEB_01_ID = `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachines/web-01`;
const FILES_01_ID = `/subscriptions/${SUB}/resourceGroups/rg-acme-onprem/providers/Microsoft.HybridCompute/machines/files-01`;

const endpoint = (index: 0 | 1): EndpointSettings => acme().endpoints[index] as EndpointSettings;

describe("planMonitoring", () => {
  it("plans the workspace, the data collection rule writing to it and the threat alerts action group, named from the component; Azure names from the client", () => {
    expect(planMonitoring("acme-monitoring", { client: acme().client, workspaceRetentionDays: 120 })).toEqual({
      components: [{ name: "acme-monitoring", type: "steward:index:MonitoringBaseline", parent: null }],
      resources: [
        {
          name: "acme-monitoring-workspace",
          type: "azure-native:operationalinsights:Workspace",
          parent: "acme-monitoring",
          args: { workspaceName: "acme-endpoints", resourceGroupName: "rg-acme-steward", location: "westeurope", sku: { name: "PerGB2018" }, retentionInDays: 120, tags: TAGS },
        },
        {
          name: "acme-monitoring-rule",
          type: "azure-native:monitor:DataCollectionRule",
          parent: "acme-monitoring",
          args: {
            dataCollectionRuleName: "acme-endpoints",
            resourceGroupName: "rg-acme-steward",
            location: "westeurope",
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
            destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: { $idOf: "acme-monitoring-workspace" } }] },
            dataFlows: [{ streams: ["Microsoft-Event", "Microsoft-Syslog"], destinations: ["workspace"] }],
            tags: TAGS,
          },
        },
        {
          name: "acme-monitoring-threat-alerts",
          type: "azure-native:monitor:ActionGroup",
          parent: "acme-monitoring",
          args: {
            actionGroupName: "acme-threat-alerts",
            groupShortName: "acme",
            resourceGroupName: "rg-acme-steward",
            location: "Global",
            enabled: true,
            emailReceivers: [{ name: "MSP SOC", emailAddress: "soc@msp.example", useCommonAlertSchema: true }],
            tags: TAGS,
          },
        },
      ],
    });
  });

  it.each([
    ["msp", ["soc@msp.example"]],
    ["client", ["ada@acme.example"]],
    ["shared", ["soc@msp.example", "ada@acme.example"]],
  ] as const)("sends threat alerts to whoever answers for antivirus: %s", (party, emails) => {
    const client = { ...acme().client, responsibilities: { ...acme().client.responsibilities, antivirus: party } };
    const alerts = planMonitoring("m", { client, workspaceRetentionDays: 90 }).resources[2];
    expect((alerts?.args.emailReceivers as Array<{ emailAddress: string }>).map((receiver) => receiver.emailAddress)).toEqual(emails);
  });
});

describe("planAntivirus", () => {
  const client = { ...acme().client, scope: { subscriptions: [SUB, SUB2], resourceGroups: [] } };
  const contacts = {
    name: "acme-antivirus-threat-contacts",
    type: "azure-native:security:SecurityContact",
    parent: "acme-antivirus",
    args: {
      securityContactName: "default",
      emails: "soc@msp.example",
      isEnabled: true,
      notificationsByRole: { state: "On", roles: ["Owner"] },
      notificationsSources: [{ sourceType: "Alert", minimalSeverity: "Medium" }],
    },
  };

  it("plans Defender for Servers Plan 2 in every scope subscription by default, then the security contact", () => {
    expect(planAntivirus("acme-antivirus", { client })).toEqual({
      components: [{ name: "acme-antivirus", type: "steward:index:AntivirusPolicy", parent: null }],
      resources: [
        {
          name: "acme-antivirus-defender-servers-6f1c2a9e",
          type: "azure-native:security:Pricing",
          parent: "acme-antivirus",
          args: { pricingName: "VirtualMachines", pricingTier: "Standard", subPlan: "P2", scopeId: `subscriptions/${SUB}` },
        },
        {
          name: "acme-antivirus-defender-servers-0b7d3e51",
          type: "azure-native:security:Pricing",
          parent: "acme-antivirus",
          args: { pricingName: "VirtualMachines", pricingTier: "Standard", subPlan: "P2", scopeId: `subscriptions/${SUB2}` },
        },
        contacts,
      ],
    });
  });

  it("plans only the security contact without Defender for Servers", () => {
    expect(planAntivirus("acme-antivirus", { client, defenderForServers: false }).resources).toEqual([contacts]);
  });
});

describe("planRing", () => {
  it("plans one InGuestPatch maintenance configuration anchored to Patch Tuesday, named from the component; its Azure name from the client and ring", () => {
    const ring = acme().updateRings[1];
    if (!ring) throw new Error("acme has two rings");
    ring.exclusions = { kbNumbers: ["5034441"], packages: ["kernel*"] };
    expect(planRing("acme-ring-broad", { client: acme().client, ring })).toEqual({
      components: [{ name: "acme-ring-broad", type: "steward:index:UpdateRing", parent: null }],
      resources: [
        {
          name: "acme-ring-broad-schedule",
          type: "azure-native:maintenance:MaintenanceConfiguration",
          parent: "acme-ring-broad",
          args: {
            resourceName: "acme-broad",
            resourceGroupName: "rg-acme-steward",
            location: "westeurope",
            maintenanceScope: "InGuestPatch",
            visibility: "Custom",
            extensionProperties: { InGuestPatchMode: "User" },
            startDateTime: "2026-01-01 02:00",
            duration: "03:00",
            timeZone: "UTC",
            recurEvery: "Month Third Tuesday",
            installPatches: {
              rebootSetting: "IfRequired",
              windowsParameters: { classificationsToInclude: ["Critical", "Security"], kbNumbersToExclude: ["5034441"] },
              linuxParameters: { classificationsToInclude: ["Critical", "Security"], packageNameMasksToExclude: ["kernel*"] },
            },
            tags: { ...TAGS, ring: "broad", "ring-order": "2" },
          },
        },
      ],
    });
  });

  it.each([
    [0, "Month Second Tuesday"],
    [1, "Month Second Tuesday Offset1"],
    [7, "Month Third Tuesday"],
    [13, "Month Third Tuesday Offset6"],
    [20, "Month Fourth Tuesday Offset6"],
  ])("recurEvery: %i days after Patch Tuesday is %s", (days, expected) => expect(recurEvery(days)).toBe(expected));

  it("recurEvery refuses offsets Azure cannot express", () => expect(() => recurEvery(21)).toThrow(RangeError));
});

describe("planEndpoint", () => {
  it("plans a Windows VM's Microsoft Antimalware, Azure Monitor Agent, rule association and ring assignment, referencing planned resources", () => {
    const plan = planEndpoint("acme-web-01", {
      client: acme().client,
      endpoint: endpoint(0),
      antivirus: acme().antivirus,
      maintenanceConfigurationId: { $idOf: "acme-ring-pilot-schedule" },
      dataCollectionRuleId: { $idOf: "acme-monitoring-rule" },
    });
    const extension = { vmName: "web-01", resourceGroupName: "rg-acme", location: "westeurope", autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true, tags: { ...TAGS, ring: "pilot" } };
    expect(plan).toEqual({
      components: [{ name: "acme-web-01", type: "steward:index:ManagedEndpoint", parent: null }],
      resources: [
        {
          name: "acme-web-01-antivirus",
          type: "azure-native:compute:VirtualMachineExtension",
          parent: "acme-web-01",
          args: {
            ...extension,
            vmExtensionName: "antivirus",
            publisher: "Microsoft.Azure.Security",
            type: "IaaSAntimalware",
            typeHandlerVersion: "1.3",
            settings: {
              AntimalwareEnabled: true,
              RealtimeProtectionEnabled: "true",
              ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" },
              Exclusions: { Paths: "", Extensions: "", Processes: "" },
            },
          },
        },
        {
          name: "acme-web-01-monitoring-agent",
          type: "azure-native:compute:VirtualMachineExtension",
          parent: "acme-web-01",
          args: { ...extension, vmExtensionName: "AzureMonitorAgent", publisher: "Microsoft.Azure.Monitor", type: "AzureMonitorWindowsAgent", typeHandlerVersion: "1.0", settings: {} },
        },
        {
          name: "acme-web-01-rule-association",
          type: "azure-native:monitor:DataCollectionRuleAssociation",
          parent: "acme-web-01",
          args: { associationName: "acme-endpoints", resourceUri: WEB_01_ID, dataCollectionRuleId: { $idOf: "acme-monitoring-rule" } },
        },
        {
          name: "acme-web-01-ring-assignment",
          type: "azure-native:maintenance:ConfigurationAssignment",
          parent: "acme-web-01",
          args: {
            configurationAssignmentName: "acme-pilot",
            resourceGroupName: "rg-acme",
            providerName: "Microsoft.Compute",
            resourceType: "virtualMachines",
            resourceName: "web-01",
            location: "westeurope",
            maintenanceConfigurationId: { $idOf: "acme-ring-pilot-schedule" },
          },
        },
      ],
    });
  });

  it("plans a Linux Arc machine's MDE.Linux (handler under properties) and agent, with ARM ids given for its ring and rule", () => {
    const ring = `/subscriptions/${SUB}/resourceGroups/rg-shared/providers/Microsoft.Maintenance/maintenanceConfigurations/shared-broad`;
    const rule = `/subscriptions/${SUB}/resourceGroups/rg-shared/providers/Microsoft.Insights/dataCollectionRules/shared`;
    const plan = planEndpoint("files", { client: acme().client, endpoint: endpoint(1), antivirus: acme().antivirus, maintenanceConfigurationId: ring, dataCollectionRuleId: rule });
    const extension = { machineName: "files-01", resourceGroupName: "rg-acme-onprem", location: "westeurope", tags: { ...TAGS, ring: "broad" } };
    expect(plan.resources.map((resource) => [resource.name, resource.type, resource.args])).toEqual([
      [
        "files-antivirus",
        "azure-native:hybridcompute:MachineExtension",
        {
          ...extension,
          extensionName: "antivirus",
          properties: {
            publisher: "Microsoft.Azure.AzureDefenderForServers",
            type: "MDE.Linux",
            typeHandlerVersion: "1.0",
            settings: { azureResourceId: FILES_01_ID, forceReOnboarding: false, vNextEnabled: true },
            autoUpgradeMinorVersion: true,
            enableAutomaticUpgrade: true,
          },
        },
      ],
      [
        "files-monitoring-agent",
        "azure-native:hybridcompute:MachineExtension",
        {
          ...extension,
          extensionName: "AzureMonitorAgent",
          properties: { publisher: "Microsoft.Azure.Monitor", type: "AzureMonitorLinuxAgent", typeHandlerVersion: "1.0", settings: {}, autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true },
        },
      ],
      ["files-rule-association", "azure-native:monitor:DataCollectionRuleAssociation", { associationName: "acme-endpoints", resourceUri: FILES_01_ID, dataCollectionRuleId: rule }],
      [
        "files-ring-assignment",
        "azure-native:maintenance:ConfigurationAssignment",
        {
          configurationAssignmentName: "acme-broad",
          resourceGroupName: "rg-acme-onprem",
          providerName: "Microsoft.HybridCompute",
          resourceType: "machines",
          resourceName: "files-01",
          location: "westeurope",
          maintenanceConfigurationId: ring,
        },
      ],
    ]);
  });

  it("refuses a VM without its ring, a scale set with one, and Microsoft Antimalware settings for an endpoint that gets Defender for Endpoint, naming each argument", () => {
    const antivirus = { ...acme().antivirus, engine: "defender-for-endpoint" as const, realtimeProtection: false };
    const { ring, ...ringless } = endpoint(0) as { ring: string } & EndpointSettings;
    expect(ring).toBe("pilot");
    expect(() => planEndpoint("acme-web-01", { client: acme().client, endpoint: ringless as EndpointSettings, antivirus, dataCollectionRuleId: "rule-id" })).toThrow(
      new InputError(
        [
          'endpoint "web-01" of client acme cannot be deployed:',
          '  endpoint.ring: Azure VM "web-01" has no ring; name the update ring that patches it',
          '  ring: Azure VM "web-01" needs the ring that patches it (an UpdateRing, or a maintenance configuration\'s ARM id)',
          "  antivirus.realtimeProtection: is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, so web-01 would not get it; " +
            "set it where Defender for Endpoint's settings live (security settings management in the Defender portal or Intune, Group Policy, or mdatp managed configuration on Linux) " +
            "and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)",
        ].join("\n"),
      ),
    );
    const scaleSet: EndpointSettings = { name: "web-ss", kind: "vm-scale-set", os: "linux", resourceGroup: "rg-acme", subscriptionId: SUB };
    expect(() => planEndpoint("acme-web-ss", { client: acme().client, endpoint: scaleSet, antivirus: acme().antivirus, maintenanceConfigurationId: "ring-id", dataCollectionRuleId: "rule-id" })).toThrow(
      new InputError(
        [
          'endpoint "web-ss" of client acme cannot be deployed:',
          '  ring: Scale set "web-ss" is a scale set, which in-guest update rings do not patch (Azure patches one by automatic OS image upgrades); remove its ring',
        ].join("\n"),
      ),
    );
  });

  it("takes Microsoft Antimalware settings meant for the Windows endpoints on a Linux one, which they are not for", () => {
    const antivirus = { ...acme().antivirus, appliesTo: "windows" as const, exclusions: { paths: ["D:\\SQLData"], extensions: [], processes: [] } };
    const plan = planEndpoint("acme-files-01", { client: acme().client, endpoint: endpoint(1), antivirus, maintenanceConfigurationId: "ring-id", dataCollectionRuleId: "rule-id" });
    expect((plan.resources[0]?.args.properties as { type: string }).type).toBe("MDE.Linux");
  });
});

describe("planBaseline", () => {
  it("composes the client's components under the baseline, each child named from its component, references by planned name", () => {
    const plan = planBaseline("acme", acme());
    expect(plan.components).toEqual([
      { name: "acme", type: "steward:index:ClientBaseline", parent: null },
      { name: "acme-monitoring", type: "steward:index:MonitoringBaseline", parent: "acme" },
      { name: "acme-antivirus", type: "steward:index:AntivirusPolicy", parent: "acme" },
      { name: "acme-ring-pilot", type: "steward:index:UpdateRing", parent: "acme" },
      { name: "acme-ring-broad", type: "steward:index:UpdateRing", parent: "acme" },
      { name: "acme-web-01", type: "steward:index:ManagedEndpoint", parent: "acme" },
      { name: "acme-files-01", type: "steward:index:ManagedEndpoint", parent: "acme" },
    ]);
    expect(plan.resources.map((resource) => `${resource.parent} ${resource.name}`)).toEqual([
      "acme-monitoring acme-monitoring-workspace",
      "acme-monitoring acme-monitoring-rule",
      "acme-monitoring acme-monitoring-threat-alerts",
      "acme-antivirus acme-antivirus-defender-servers-6f1c2a9e",
      "acme-antivirus acme-antivirus-threat-contacts",
      "acme-ring-pilot acme-ring-pilot-schedule",
      "acme-ring-broad acme-ring-broad-schedule",
      "acme-web-01 acme-web-01-antivirus",
      "acme-web-01 acme-web-01-monitoring-agent",
      "acme-web-01 acme-web-01-rule-association",
      "acme-web-01 acme-web-01-ring-assignment",
      "acme-files-01 acme-files-01-antivirus",
      "acme-files-01 acme-files-01-monitoring-agent",
      "acme-files-01 acme-files-01-rule-association",
      "acme-files-01 acme-files-01-ring-assignment",
    ]);
    const config = acme();
    const client = config.client;
    expect(plan.resources).toEqual([
      ...planMonitoring("acme-monitoring", { client, workspaceRetentionDays: 90 }).resources,
      ...planAntivirus("acme-antivirus", { client, defenderForServers: true }).resources,
      ...planRing("acme-ring-pilot", { client, ring: config.updateRings[0] as ClientConfig["updateRings"][number] }).resources,
      ...planRing("acme-ring-broad", { client, ring: config.updateRings[1] as ClientConfig["updateRings"][number] }).resources,
      ...planEndpoint("acme-web-01", { client, endpoint: endpoint(0), antivirus: config.antivirus, maintenanceConfigurationId: { $idOf: "acme-ring-pilot-schedule" }, dataCollectionRuleId: { $idOf: "acme-monitoring-rule" } }).resources,
      ...planEndpoint("acme-files-01", { client, endpoint: endpoint(1), antivirus: config.antivirus, maintenanceConfigurationId: { $idOf: "acme-ring-broad-schedule" }, dataCollectionRuleId: { $idOf: "acme-monitoring-rule" } }).resources,
    ]);
    expect(plan.rings).toEqual({ pilot: ["web-01"], broad: ["files-01"] });
  });

  it("plans no Defender for Servers when no endpoint gets Defender for Endpoint, and rings in ring order", () => {
    const config = acme();
    config.endpoints = [endpoint(0)];
    config.updateRings.reverse();
    const plan = planBaseline("acme", config);
    expect(plan.resources.filter((resource) => resource.type === "azure-native:security:Pricing")).toEqual([]);
    expect(plan.components.filter((component) => component.type === "steward:index:UpdateRing").map((component) => component.name)).toEqual(["acme-ring-pilot", "acme-ring-broad"]);
    expect(plan.rings).toEqual({ pilot: ["web-01"], broad: [] });
  });

  it("names components and children from the baseline's name, and Azure resources from the client", () => {
    const plan = planBaseline("acme-prod", acme());
    expect(plan.components.map((component) => component.name)).toEqual(["acme-prod", "acme-prod-monitoring", "acme-prod-antivirus", "acme-prod-ring-pilot", "acme-prod-ring-broad", "acme-prod-web-01", "acme-prod-files-01"]);
    expect(plan.resources.find((resource) => resource.name === "acme-prod-monitoring-workspace")?.args.workspaceName).toBe("acme-endpoints");
    expect(plan.resources.find((resource) => resource.name === "acme-prod-ring-pilot-schedule")?.args.resourceName).toBe("acme-pilot");
    expect(plan.resources.find((resource) => resource.name === "acme-prod-web-01-ring-assignment")?.args.maintenanceConfigurationId).toEqual({ $idOf: "acme-prod-ring-pilot-schedule" });
  });
});

describe("formerNames", () => {
  it("gives the monitoring, antivirus and ring children their names from before they were named from their component", () => {
    expect(Object.fromEntries(formerNames("acme", acme()))).toEqual({
      "acme-monitoring-workspace": "acme-workspace",
      "acme-monitoring-rule": "acme-endpoint-rule",
      "acme-monitoring-threat-alerts": "acme-threat-alerts",
      "acme-antivirus-defender-servers-6f1c2a9e": "acme-defender-servers-6f1c2a9e",
      "acme-antivirus-threat-contacts": "acme-threat-contacts",
      "acme-ring-pilot-schedule": "acme-pilot-schedule",
      "acme-ring-broad-schedule": "acme-broad-schedule",
    });
  });

  it("renames every component and child of a baseline not named after its client, whose names came from the client id", () => {
    const renamed = formerNames("acme-prod", acme());
    expect(renamed.size).toBe(6 + 7 + 8);
    expect(renamed.get("acme-prod-monitoring")).toBe("acme-monitoring");
    expect(renamed.get("acme-prod-ring-pilot")).toBe("acme-ring-pilot");
    expect(renamed.get("acme-prod-ring-pilot-schedule")).toBe("acme-pilot-schedule");
    expect(renamed.get("acme-prod-web-01")).toBe("acme-web-01");
    expect(renamed.get("acme-prod-web-01-ring-assignment")).toBe("acme-web-01-ring-assignment");
  });
});

describe("antivirus settings are never silently dropped by the plan", () => {
  it("refuses settings for endpoints that get Defender for Endpoint, naming them", () => {
    const config = acme();
    config.antivirus.engine = "defender-for-endpoint";
    config.antivirus.realtimeProtection = false;
    const message = [
      "client acme: antivirus settings that would not be deployed:",
      "  steward:antivirus.realtimeProtection: is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, " +
        "so web-01 and files-01 would not get it; set it where Defender for Endpoint's settings live (security settings management in the Defender portal " +
        "or Intune, Group Policy, or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)",
    ].join("\n");
    expect(() => planBaseline("acme", config)).toThrow(new InputError(message));
  });

  it("refuses Microsoft Antimalware settings meant for every endpoint when some are Linux (MDE.Linux)", () => {
    const config = acme();
    config.antivirus.exclusions.paths = ["D:\\SQLData"];
    expect(() => planBaseline("acme", config)).toThrow(
      "  steward:antivirus.exclusions: is not deployed to the Linux endpoints files-01: Microsoft Antimalware is Windows only",
    );
    config.antivirus.appliesTo = "windows";
    const antivirus = planBaseline("acme", config).resources.filter((resource) => resource.name.endsWith("-antivirus"));
    expect(antivirus.map((resource) => [resource.name, resource.args.type ?? (resource.args.properties as { type: string }).type])).toEqual([
      ["acme-web-01-antivirus", "IaaSAntimalware"],
      ["acme-files-01-antivirus", "MDE.Linux"],
    ]);
    expect((antivirus[0]?.args.settings as { Exclusions: { Paths: string } }).Exclusions.Paths).toBe("D:\\SQLData");
  });

  // Every engine, scope, mix of operating systems and setting: the plan either refuses, or every
  // endpoint the settings are for gets Microsoft Antimalware carrying them; the loader, given the
  // same stack file, refuses exactly when the plan does.
  const cases = (["antimalware", "defender-for-endpoint"] as const).flatMap((engineName) =>
    (["all", "windows"] as const).flatMap((appliesTo) =>
      [["windows"], ["linux"], ["windows", "linux"]].flatMap((systems) =>
        (["realtimeProtection: false", "scheduledScan: { day: daily }", "exclusions: { extensions: [.mdf] }"] as const).map(
          (setting) => [engineName, appliesTo, systems.join("+"), setting] as const,
        ),
      ),
    ),
  );
  it.each(cases)("%s, appliesTo %s, %s endpoints, %s", (engineName, appliesTo, systems, setting) => {
    const endpoints = systems.split("+").map((os, index) => `    - { name: m${index}-${os}, kind: azure-vm, os: ${os}, resourceGroup: rg-acme, ring: pilot }`);
    const text = `config:
  steward:client:
    id: acme
    displayName: Acme Ltd
    scope: { subscriptions: [${SUB}] }
    contacts: { msp: [{ name: NOC, email: noc@msp.example }], client: [{ name: Ann, email: ann@acme.example }] }
    reporting: { recipients: [it@acme.example] }
    resourceGroup: rg-acme-steward
  steward:antivirus:
    engine: ${engineName}
    appliesTo: ${appliesTo}
    ${setting}
  steward:endpoints:
${endpoints.join("\n")}
`;
    let loaded: ClientConfig | undefined;
    try {
      loaded = parseClientConfig(text, "Pulumi.acme.yaml");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
    }
    // The same configuration, built in code without the loader's check.
    const config = acme();
    config.antivirus.engine = engineName;
    config.antivirus.appliesTo = appliesTo;
    config.endpoints = systems.split("+").map((os, index) => ({ name: `m${index}-${os}`, kind: "azure-vm", os: os as "windows" | "linux", resourceGroup: "rg-acme", subscriptionId: SUB, ring: "pilot" }));
    if (setting.startsWith("realtime")) config.antivirus.realtimeProtection = false;
    else if (setting.startsWith("scheduled")) config.antivirus.scheduledScan.day = "daily";
    else config.antivirus.exclusions.extensions = [".mdf"];

    let plan: ReturnType<typeof planBaseline> | undefined;
    try {
      plan = planBaseline("acme", config);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
    }
    expect(plan === undefined).toBe(loaded === undefined);
    if (plan === undefined) return;
    const inScope = config.endpoints.filter((endpoint) => appliesTo === "all" || endpoint.os === "windows");
    expect(inScope.length).toBeGreaterThan(0);
    for (const endpoint of inScope) {
      const extension = plan.resources.find((resource) => resource.name === `acme-${endpoint.name}-antivirus`);
      expect(extension?.args.type).toBe("IaaSAntimalware");
      expect(extension?.args.settings).toEqual(antimalwareSettings(config.antivirus));
    }
  });
});

describe("update rings are never silently dropped by the plan", () => {
  it("refuses a ring set in code on a scale set, and a VM or Arc machine without one of the client's rings", () => {
    const config = acme();
    config.endpoints.push({ name: "web-ss", kind: "vm-scale-set", os: "linux", resourceGroup: "rg-acme", subscriptionId: SUB });
    Object.assign(config.endpoints[2] as object, { ring: "pilot" });
    Object.assign(config.endpoints[1] as object, { ring: "canary" });
    delete (config.endpoints[0] as { ring?: string }).ring;
    expect(() => planBaseline("acme", config)).toThrow(
      new InputError(
        [
          "client acme: update rings that cannot be deployed:",
          '  steward:endpoints: Azure VM "web-01" has no ring',
          `  steward:endpoints: Arc machine "files-01" has ring "canary", which is not one of the client's update rings`,
          '  steward:endpoints: Scale set "web-ss" has ring "pilot": in-guest update rings do not patch scale sets (Azure patches one by automatic OS image upgrades); remove it',
        ].join("\n"),
      ),
    );
  });
});

describe("declared scale sets", () => {
  it("plans its antivirus and monitoring agent as scale set extensions (no location, no tags: ARM gives them none), its rule association on its id, and no ring", () => {
    const config = acme();
    config.endpoints.push({ name: "web-ss", kind: "vm-scale-set", os: "linux", resourceGroup: "rg-acme", subscriptionId: SUB, role: "web tier" });
    const plan = planBaseline("acme", config);
    const scaleSetId = `/subscriptions/${SUB}/resourceGroups/rg-acme/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss`;
    expect(plan.components.filter((component) => component.name === "acme-web-ss")).toEqual([{ name: "acme-web-ss", type: "steward:index:ManagedEndpoint", parent: "acme" }]);
    expect(plan.resources.filter((resource) => resource.parent === "acme-web-ss")).toEqual([
      {
        name: "acme-web-ss-antivirus",
        type: "azure-native:compute:VirtualMachineScaleSetExtension",
        parent: "acme-web-ss",
        args: {
          vmScaleSetName: "web-ss",
          resourceGroupName: "rg-acme",
          vmssExtensionName: "antivirus",
          publisher: "Microsoft.Azure.AzureDefenderForServers",
          type: "MDE.Linux",
          typeHandlerVersion: "1.0",
          settings: { azureResourceId: scaleSetId, forceReOnboarding: false, vNextEnabled: true },
          autoUpgradeMinorVersion: true,
          enableAutomaticUpgrade: true,
        },
      },
      {
        name: "acme-web-ss-monitoring-agent",
        type: "azure-native:compute:VirtualMachineScaleSetExtension",
        parent: "acme-web-ss",
        args: {
          vmScaleSetName: "web-ss",
          resourceGroupName: "rg-acme",
          vmssExtensionName: "AzureMonitorAgent",
          publisher: "Microsoft.Azure.Monitor",
          type: "AzureMonitorLinuxAgent",
          typeHandlerVersion: "1.0",
          settings: {},
          autoUpgradeMinorVersion: true,
          enableAutomaticUpgrade: true,
        },
      },
      {
        name: "acme-web-ss-rule-association",
        type: "azure-native:monitor:DataCollectionRuleAssociation",
        parent: "acme-web-ss",
        args: { associationName: "acme-endpoints", resourceUri: scaleSetId, dataCollectionRuleId: { $idOf: "acme-monitoring-rule" } },
      },
    ]);
    expect(plan.rings).toEqual({ pilot: ["web-01"], broad: ["files-01"] });
  });
});

describe("example clients (stacks/)", () => {
  it("northwind-logistics: Microsoft Antimalware on Windows with its SQL Server exclusions, MDE on Linux", () => {
    const config = loadClientConfig(`${root}/stacks/Pulumi.northwind-logistics.yaml`);
    const antivirus = planBaseline(config.client.id, config).resources.filter((resource) => resource.name.endsWith("-antivirus"));
    const windows = antivirus.find((resource) => resource.args.type === "IaaSAntimalware");
    expect(windows?.args.settings).toEqual({
      AntimalwareEnabled: true,
      RealtimeProtectionEnabled: "true",
      ScheduledScanSettings: { isEnabled: "true", day: "1", time: "180", scanType: "Quick" },
      Exclusions: {
        Paths: "D:\\SQLData;E:\\SQLLogs",
        Extensions: ".mdf;.ndf;.ldf",
        Processes: "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe",
      },
    });
    expect(antivirus.map((resource) => resource.args.type).sort()).toEqual([...Array(5).fill("IaaSAntimalware"), ...Array(3).fill("MDE.Linux")]);
  });

  it("contoso-legal (co-managed): threat alerts go to the MSP, who answers for antivirus", () => {
    const config = loadClientConfig(`${root}/stacks/Pulumi.contoso-legal.yaml`);
    const alerts = planBaseline(config.client.id, config).resources.find((resource) => resource.type === "azure-native:monitor:ActionGroup");
    expect(config.client.responsibilities).toEqual({ antivirus: "msp", patching: "client", monitoring: "shared", reporting: "msp" });
    expect(alerts?.args.emailReceivers).toEqual(config.client.contacts.msp.map((contact) => ({ name: contact.name, emailAddress: contact.email, useCommonAlertSchema: true })));
  });
});
