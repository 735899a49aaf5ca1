import type { ClientSettings } from "../../core/config";
import { TYPES } from "../../core/azure";
import { COMPONENT_TYPES, alertContacts, childName, clientTags, idOf, type Plan } from "./model";

export interface MonitoringPlanArgs {
  /** The client (`steward:client` as loadClientConfig returns it): its id names the Azure
   *  resources (`<client>-endpoints`, `<client>-threat-alerts`) and is in their tags; its
   *  resource group and location hold them; whoever answers for antivirus gets the threat alerts. */
  client: ClientSettings;
  /** Days the Log Analytics workspace keeps what the endpoints send (`steward:monitoring`). */
  workspaceRetentionDays: number;
}

/** The role of each child of a MonitoringBaseline: `<component>-<role>`. */
export const MONITORING_ROLES = { workspace: "workspace", rule: "rule", threatAlerts: "threat-alerts" } as const;

/**
 * A MonitoringBaseline named `name`: the Log Analytics workspace, the data collection rule every
 * endpoint's agent reports through (antivirus, update and security events) and the action group
 * that sends threat alerts to whoever answers for antivirus.
 */
export function planMonitoring(name: string, args: MonitoringPlanArgs): Plan {
  const { client } = args;
  const workspace = childName(name, MONITORING_ROLES.workspace);
  return {
    components: [{ name, type: COMPONENT_TYPES.monitoring, parent: null }],
    resources: [
      {
        name: workspace,
        type: TYPES.workspace,
        parent: name,
        args: {
          workspaceName: `${client.id}-endpoints`,
          resourceGroupName: client.resourceGroup,
          location: client.location,
          sku: { name: "PerGB2018" },
          retentionInDays: args.workspaceRetentionDays,
          tags: clientTags(client),
        },
      },
      {
        name: childName(name, MONITORING_ROLES.rule),
        type: TYPES.dataCollectionRule,
        parent: name,
        args: {
          dataCollectionRuleName: `${client.id}-endpoints`,
          resourceGroupName: client.resourceGroup,
          location: client.location,
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
          tags: clientTags(client),
        },
      },
      {
        name: childName(name, MONITORING_ROLES.threatAlerts),
        type: TYPES.actionGroup,
        parent: name,
        args: {
          actionGroupName: `${client.id}-threat-alerts`,
          groupShortName: client.id.slice(0, 12),
          resourceGroupName: client.resourceGroup,
          location: "Global",
          enabled: true,
          emailReceivers: alertContacts(client).map((contact) => ({ name: contact.name, emailAddress: contact.email, useCommonAlertSchema: true })),
          tags: clientTags(client),
        },
      },
    ],
  };
}
