import type { EnforcementOverride, Party, Waiver } from "../document";

/**
 * A client's configuration: what `stacks/Pulumi.<client>.yaml` declares under the `steward:`
 * namespace, after defaults. The JSON Schema `core/schema/client-config.schema.json` describes the
 * stack file as written (editors complete and check it); `loadClientConfig`
 * (./load.ts) turns a file into this. Every default below is applied by the loader,
 * and only the ones stated: a setting with neither a default nor `?` must be written. Each
 * `Default:` restates the schema's (test/config-defaults.test.ts keeps them the same); the ones
 * in words depend on other settings, and the schema's descriptions say the same.
 */

export type { Party } from "../document";
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
  scope: {
    /** The first one is every endpoint's default subscription. */
    subscriptions: string[];
    /** When given, every endpoint must be in one of them. Default: none (the whole subscriptions). */
    resourceGroups: string[];
  };
  /** Default: `msp-managed`. */
  managementModel: ManagementModel;
  /** Who answers for each service. Default, per service not written: `client` when the model is
   *  `internally-managed`, else `msp` (also for `co-managed`: who shares what is the client's
   *  choice, never a default). */
  responsibilities: { antivirus: Party; patching: Party; monitoring: Party; reporting: Party };
  contacts: { msp: Contact[]; client: Contact[] };
  reporting: {
    /** Default: `monthly`. */
    schedule: "weekly" | "monthly" | "quarterly";
    recipients: string[];
  };
  /** Azure region for the baseline's own resources (workspace, rule, maintenance configurations).
   *  Default: `westeurope`. */
  location: string;
  /** Resource group that holds the baseline's own resources. */
  resourceGroup: string;
}

/**
 * Antivirus. `realtimeProtection`, `scheduledScan` and `exclusions` are Microsoft Antimalware's
 * settings: only its extension (IaaSAntimalware, Windows only) takes them. Defender for
 * Endpoint's extensions take none (its settings live in Defender for Endpoint security settings
 * management, Intune, Group Policy or, on Linux, mdatp managed configuration), so the loader
 * refuses any of the three written for an endpoint that would get Defender for Endpoint
 * (core/antivirus-engine.ts), and the planner refuses non-default ones.
 */
export interface AntivirusSettings {
  /** `antimalware` (Microsoft Antimalware extension; Windows only, Linux endpoints still get
   *  MDE.Linux) or `defender-for-endpoint` (MDE.Windows / MDE.Linux via Defender for Servers).
   *  Default: `defender-for-endpoint`. */
  engine: "antimalware" | "defender-for-endpoint";
  /** Which endpoints the three settings below are for: `all` or `windows` (a client with Linux
   *  endpoints, which run Defender for Endpoint, says the settings are for its Windows endpoints
   *  only). Default: `all`. */
  appliesTo: "all" | "windows";
  /** Default: `true`. */
  realtimeProtection: boolean;
  /** Microsoft Antimalware's own schedule, switched on, for each field not written. */
  scheduledScan: {
    /** Default: `true`. */
    enabled: boolean;
    /** Default: `saturday`. */
    day: Weekday | "daily";
    /** Default: `02:00`. */
    time: string;
    /** Default: `quick`. */
    type: "quick" | "full";
  };
  exclusions: {
    /** Default: none. */
    paths: string[];
    /** Default: none. */
    extensions: string[];
    /** Default: none. */
    processes: string[];
  };
}

/**
 * A patch ring (an Azure Update Manager maintenance configuration). When `steward:updateRings` is
 * not written, the rings are Windows Autopatch's pattern (ClientConfig.updateRings), each with the
 * defaults below.
 */
export interface UpdateRingSettings {
  name: string;
  /** 1 = first (pilot). Unique; a higher order never patches earlier than a lower one. */
  order: number;
  /** Days after Patch Tuesday (second Tuesday): 0-20, the range Azure's recurEvery can express. */
  patchTuesdayOffsetDays: number;
  /** Local start time, HH:mm. Default: `02:00`. */
  startTime: string;
  /** Window length, HH:mm, 01:30-03:55. Default: `03:00`. */
  duration: string;
  /** Windows time zone name. Default: `UTC`. */
  timeZone: string;
  classifications: {
    /** Default: `Critical`, `Security`, `UpdateRollup`, `Definition`. */
    windows: string[];
    /** Default: `Critical`, `Security`. */
    linux: string[];
  };
  /** Default: `IfRequired`. */
  reboot: "IfRequired" | "Always" | "Never";
  /** What this ring never installs. */
  exclusions: {
    /** KB numbers. Default: none. */
    kbNumbers: string[];
    /** Linux package names. Default: none. */
    packages: string[];
  };
}

/** What every declared endpoint says: an existing machine (referenced, never created). */
interface EndpointBase {
  /** Unique within the client, ignoring case (as Azure resource names are). */
  name: string;
  os: "windows" | "linux";
  resourceGroup: string;
  /** Default: the client's first scope subscription. */
  subscriptionId: string;
  role?: string;
}

/** An Azure VM or Arc machine, patched by one of the client's update rings. */
export interface MachineEndpointSettings extends EndpointBase {
  kind: "azure-vm" | "arc-machine";
  /** The name of one of the client's update rings. */
  ring: string;
}

/**
 * A virtual machine scale set. It has no update ring: rings are in-guest (InGuestPatch)
 * maintenance configurations, and Azure's Guest scope patches VMs and Arc machines only; Azure
 * patches a scale set by automatic OS image upgrades, a setting of the scale set itself. The
 * loader refuses a `ring` written for one, and the planner one set in code.
 */
export interface ScaleSetEndpointSettings extends EndpointBase {
  kind: "vm-scale-set";
  ring?: undefined;
}

export type EndpointSettings = MachineEndpointSettings | ScaleSetEndpointSettings;

/** A waiver as the stack file writes it: exactly the document's Waiver (resource is a URN, a
 *  lower-case ARM id, or `*`; dates YYYY-MM-DD, `expires` the last day covered, UTC). */
export type WaiverSettings = Waiver;

/**
 * An enforcement override as the stack file writes it, after the loader: the document's
 * EnforcementOverride. The file may write a bare `mandatory` (raising needs no justification),
 * which the loader turns into `{ level: mandatory }`; `advisory` and `disabled` must be a mapping
 * with `reason`, `approver`, `created` and `expires`, like a waiver. Whether it is applied (not
 * expired, within maxWaiverDays) is judged at evaluation time (policies/lib/waivers).
 */
export type EnforcementOverrideSettings = EnforcementOverride;

/** The client's overrides of the policy settings (core/settings.ts). */
export interface PolicyOverrides {
  /** Per policy id. Default: none. */
  enforcement: Record<string, EnforcementOverrideSettings>;
  /** Per extension type, in place of steward's own minimum for that type. Default: none. */
  minimumHandlerVersions: Record<string, string>;
  /** Applied when the client is evaluated (core/settings.ts), so unset after loading. Default: `14`. */
  maxDaysAfterPatchTuesday?: number;
  /** Applied when the client is evaluated (core/settings.ts), so unset after loading. Default: `90`. */
  maxWaiverDays?: number;
}

export interface ClientConfig {
  /** The stack file it came from. */
  file: string;
  client: ClientSettings;
  antivirus: AntivirusSettings;
  /** Default, when the file writes no ring: `{ name: pilot, order: 1, patchTuesdayOffsetDays: 1 }`,
   *  `{ name: broad, order: 2, patchTuesdayOffsetDays: 7 }` (Windows Autopatch's pattern), each
   *  with the defaults of UpdateRingSettings. */
  updateRings: UpdateRingSettings[];
  endpoints: EndpointSettings[];
  monitoring: {
    /** Default: `90`. */
    workspaceRetentionDays: number;
  };
  /** Default: none. */
  waivers: WaiverSettings[];
  policy: PolicyOverrides;
}
