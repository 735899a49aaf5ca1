/**
 * steward's program with machines added next to the client's baseline by hand, as someone might:
 * for end-to-end tests only (STEWARD_PULUMI_PROGRAM=test/e2e/programs/extra-machines.ts). It runs
 * the real program (dist/index.js: the client's ClientBaseline, judged by the preflight) and then,
 * per STEWARD_E2E_EXTRA, registers what the preflight cannot see:
 *
 * - `raw-vm`: a Windows VM and nothing else: no antivirus, monitoring, ring, tags or patch
 *   orchestration.
 * - `ringless-endpoint`: a Windows VM with everything steward gives a managed endpoint (Microsoft
 *   Antimalware, the Azure Monitor Agent, the client's data collection rule, tags, patch
 *   orchestration) except a ring assignment.
 *
 * Each VM goes into the client's first scope resource group, named after the client.
 */
import { join } from "node:path";
import * as compute from "@pulumi/azure-native/compute";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";

/** The real program, compiled by `npm run build` (this file is compiled to build/e2e-programs/). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require(join(__dirname, "..", "..", "dist", "index.js")) as Record<string, unknown>;

interface Client {
  id: string;
  location: string;
  resourceGroup: string;
  scope: { subscriptions: string[]; resourceGroups?: string[] };
}

const client = new pulumi.Config("steward").requireObject<Client>("client");
const group = client.scope.resourceGroups?.[0] ?? client.resourceGroup;
const subscription = client.scope.subscriptions[0] as string;
const location = new pulumi.Config("azure-native").get("location") ?? client.location;
const prefix = client.id.split("-")[0] ?? client.id;

/** A Windows VM; `managed` gives it the client's tags and Azure Update Manager's patch orchestration. */
function windowsVm(name: string, managed: boolean): compute.VirtualMachine {
  const patchSettings = managed
    ? { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform", automaticByPlatformSettings: { bypassPlatformSafetyChecksOnUserSchedule: true } }
    : { patchMode: "AutomaticByOS" };
  return new compute.VirtualMachine(name, {
    vmName: name,
    resourceGroupName: group,
    location,
    hardwareProfile: { vmSize: "Standard_D2s_v5" },
    osProfile: { computerName: name, windowsConfiguration: { patchSettings } },
    storageProfile: { osDisk: { createOption: "FromImage", osType: "Windows" } },
    ...(managed ? { tags: { client: client.id, "managed-by": "steward" } } : {}),
  });
}

const extra = process.env.STEWARD_E2E_EXTRA ?? "";
if (extra === "raw-vm") {
  windowsVm(`${prefix}-rogue01`, false);
} else if (extra === "ringless-endpoint") {
  const name = `${prefix}-app03`;
  const vm = windowsVm(name, true);
  const tags = { client: client.id, "managed-by": "steward" };
  const extension = { vmName: name, resourceGroupName: group, location, autoUpgradeMinorVersion: true, enableAutomaticUpgrade: true, tags };
  new compute.VirtualMachineExtension(`${name}-antivirus`, {
    ...extension,
    vmExtensionName: "antivirus",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    settings: { AntimalwareEnabled: true, RealtimeProtectionEnabled: "true", ScheduledScanSettings: { isEnabled: "true", day: "1", time: "180", scanType: "Quick" } },
  }, { dependsOn: vm });
  new compute.VirtualMachineExtension(`${name}-monitoring-agent`, {
    ...extension,
    vmExtensionName: "AzureMonitorAgent",
    publisher: "Microsoft.Azure.Monitor",
    type: "AzureMonitorWindowsAgent",
    typeHandlerVersion: "1.0",
    settings: {},
  }, { dependsOn: vm });
  new monitor.DataCollectionRuleAssociation(`${name}-rule-association`, {
    associationName: `${client.id}-endpoints`,
    resourceUri: vm.id,
    dataCollectionRuleId: `/subscriptions/${subscription}/resourceGroups/${client.resourceGroup}/providers/Microsoft.Insights/dataCollectionRules/${client.id}-endpoints`,
  });
} else if (extra !== "") {
  throw new pulumi.RunError(`STEWARD_E2E_EXTRA is ${JSON.stringify(extra)}; expected raw-vm or ringless-endpoint`);
}

export = program;
