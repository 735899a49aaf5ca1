/**
 * A client's configuration: what `stacks/Pulumi.<client>.yaml` declares under the `steward:`
 * namespace, after defaults. The JSON Schema `core/schema/client-config.schema.json` describes the
 * stack file as written (editors complete and check it); `loadClientConfig` turns a file into this.
 */

export type Party = "msp" | "client" | "shared";
export type ManagementModel = "msp-managed" | "co-managed" | "internally-managed";
export type Weekday = "sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday";

export interface Contact {
  name: string;
  email: string;
  phone?: string;
}

export interface ClientSettings {
  /** Stable client id: lower-case letters, digits and dashes; used in tags and resource names. */
  id: string;
  displayName: string;
  /** Where the client's machines live; decides which inventory machines are its own. */
  scope: { subscriptions: string[]; resourceGroups: string[] };
  /** Default `msp-managed`. */
  managementModel: ManagementModel;
  /** Who answers for each service. Defaults: everything `msp` (for `msp-managed`). */
  responsibilities: { antivirus: Party; patching: Party; monitoring: Party; reporting: Party };
  contacts: { msp: Contact[]; client: Contact[] };
  reporting: { schedule: "weekly" | "monthly" | "quarterly"; recipients: string[] };
  /** Azure region for the baseline's own resources (workspace, rule, maintenance configurations). */
  location: string;
  /** Resource group that holds the baseline's own resources. */
  resourceGroup: string;
}

export interface AntivirusSettings {
  /** `antimalware` (Microsoft Antimalware extension; Windows only) or `defender-for-endpoint`
   *  (MDE.Windows / MDE.Linux via Defender for Servers). Default `defender-for-endpoint`. */
  engine: "antimalware" | "defender-for-endpoint";
  /** Default true. */
  realtimeProtection: boolean;
  /** Default: quick scan, Saturday 02:00 (Microsoft Antimalware's own defaults, enabled). */
  scheduledScan: { enabled: boolean; day: Weekday | "daily"; time: string; type: "quick" | "full" };
  /** Default: none. */
  exclusions: { paths: string[]; extensions: string[]; processes: string[] };
  /** Signatures older than this many hours count as out of date in reports. Default 24. */
  signatureMaxAgeHours: number;
}

export interface UpdateRingSettings {
  name: string;
  /** 1 = first (pilot). */
  order: number;
  /** Days after Patch Tuesday (second Tuesday): 0-27. */
  patchTuesdayOffsetDays: number;
  /** Local start time, HH:mm. Default 02:00. */
  startTime: string;
  /** Window length, HH:mm, 01:30-03:55. Default 03:00. */
  duration: string;
  /** Windows time zone name. Default `UTC`. */
  timeZone: string;
  /** Default Critical + Security (+ UpdateRollup, Definition on Windows). */
  classifications: { windows: string[]; linux: string[] };
  /** Default IfRequired. */
  reboot: "IfRequired" | "Always" | "Never";
  exclusions: { kbNumbers: string[]; packages: string[] };
}

export interface EndpointSettings {
  name: string;
  kind: "azure-vm" | "arc-machine";
  os: "windows" | "linux";
  resourceGroup: string;
  /** Default: the client's first subscription. */
  subscriptionId: string;
  ring: string;
  role?: string;
}

export interface WaiverSettings {
  policy: string;
  resource: string;
  reason: string;
  approver: string;
  created?: string;
  expires: string;
}

export interface PolicyOverrides {
  enforcement: Record<string, "mandatory" | "advisory" | "disabled">;
  minimumHandlerVersions: Record<string, string>;
  maxDaysAfterPatchTuesday?: number;
  maxWaiverDays?: number;
}

export interface ClientConfig {
  /** The stack file it came from. */
  file: string;
  client: ClientSettings;
  antivirus: AntivirusSettings;
  updateRings: UpdateRingSettings[];
  endpoints: EndpointSettings[];
  monitoring: { workspaceRetentionDays: number };
  waivers: WaiverSettings[];
  policy: PolicyOverrides;
}
