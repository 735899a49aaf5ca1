/**
 * Defaults: what a stack file the checks accepted leaves out, filled in (documented in
 * core/client-config.ts).
 */
import type {
  AntivirusSettings,
  ClientConfig,
  ClientSettings,
  EndpointSettings,
  EnforcementOverrideSettings,
  PolicyOverrides,
  UpdateRingSettings,
  WaiverSettings,
} from "../client-config";
import { DEFAULT_ANTIMALWARE_SETTINGS } from "../antivirus-engine";

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
/** Optional over each member of a union (Omit alone would merge the members). */
type EachOptional<T, K extends keyof T> = T extends unknown ? Optional<T, K> : never;

type WrittenRing = Pick<UpdateRingSettings, "name" | "order" | "patchTuesdayOffsetDays"> &
  Partial<Pick<UpdateRingSettings, "startTime" | "duration" | "timeZone" | "reboot">> & {
    classifications?: Partial<UpdateRingSettings["classifications"]>;
    exclusions?: Partial<UpdateRingSettings["exclusions"]>;
  };

/** The `config:` of a stack file the schema accepted: what was written, before defaults. */
export interface WrittenConfig {
  "steward:client": Omit<ClientSettings, "scope" | "managementModel" | "responsibilities" | "reporting" | "location"> & {
    scope: Optional<ClientSettings["scope"], "resourceGroups">;
    managementModel?: ClientSettings["managementModel"];
    responsibilities?: Partial<ClientSettings["responsibilities"]>;
    reporting: Optional<ClientSettings["reporting"], "schedule">;
    location?: string;
  };
  "steward:antivirus"?: Partial<Pick<AntivirusSettings, "engine" | "appliesTo" | "realtimeProtection">> & {
    scheduledScan?: Partial<AntivirusSettings["scheduledScan"]>;
    exclusions?: Partial<AntivirusSettings["exclusions"]>;
  };
  "steward:updateRings"?: WrittenRing[];
  "steward:endpoints": Array<EachOptional<EndpointSettings, "subscriptionId">>;
  "steward:monitoring"?: Partial<ClientConfig["monitoring"]>;
  "steward:waivers"?: WaiverSettings[];
  "steward:policy"?: Partial<Omit<PolicyOverrides, "enforcement">> & {
    /** A bare `mandatory`, or the override with its justification. */
    enforcement?: Record<string, "mandatory" | EnforcementOverrideSettings>;
  };
}

/** Windows Autopatch's pattern: a pilot the day after Patch Tuesday, everyone else a week later. */
export const DEFAULT_RINGS: readonly WrittenRing[] = [
  { name: "pilot", order: 1, patchTuesdayOffsetDays: 1 },
  { name: "broad", order: 2, patchTuesdayOffsetDays: 7 },
];

/** The configuration of a stack file the checks accepted, every default applied. */
export function withDefaults(file: string, config: WrittenConfig): ClientConfig {
  const client = config["steward:client"];
  const antivirus = config["steward:antivirus"] ?? {};
  const scan = antivirus.scheduledScan ?? {};
  const exclusions = antivirus.exclusions ?? {};
  const managementModel = client.managementModel ?? "msp-managed";
  // Model-wide only: an internally managed client answers for everything itself.
  const owner = managementModel === "internally-managed" ? "client" : "msp";
  const firstSubscription = client.scope.subscriptions[0] as string; // the schema requires one
  return {
    file,
    client: {
      id: client.id,
      displayName: client.displayName,
      scope: { subscriptions: [...client.scope.subscriptions], resourceGroups: [...(client.scope.resourceGroups ?? [])] },
      managementModel,
      responsibilities: {
        antivirus: client.responsibilities?.antivirus ?? owner,
        patching: client.responsibilities?.patching ?? owner,
        monitoring: client.responsibilities?.monitoring ?? owner,
        reporting: client.responsibilities?.reporting ?? owner,
      },
      contacts: { msp: client.contacts.msp.map((c) => ({ ...c })), client: client.contacts.client.map((c) => ({ ...c })) },
      reporting: { schedule: client.reporting.schedule ?? "monthly", recipients: [...client.reporting.recipients] },
      location: client.location ?? "westeurope",
      resourceGroup: client.resourceGroup,
    },
    antivirus: {
      engine: antivirus.engine ?? "defender-for-endpoint",
      appliesTo: antivirus.appliesTo ?? "all",
      realtimeProtection: antivirus.realtimeProtection ?? DEFAULT_ANTIMALWARE_SETTINGS.realtimeProtection,
      scheduledScan: { ...DEFAULT_ANTIMALWARE_SETTINGS.scheduledScan, ...scan },
      exclusions: { paths: [...(exclusions.paths ?? [])], extensions: [...(exclusions.extensions ?? [])], processes: [...(exclusions.processes ?? [])] },
    },
    updateRings: (config["steward:updateRings"] ?? DEFAULT_RINGS).map(ringWithDefaults),
    endpoints: config["steward:endpoints"].map((endpoint) => ({ ...endpoint, subscriptionId: endpoint.subscriptionId ?? firstSubscription })),
    monitoring: { workspaceRetentionDays: config["steward:monitoring"]?.workspaceRetentionDays ?? 90 },
    waivers: (config["steward:waivers"] ?? []).map((waiver) => ({ ...waiver })),
    policy: {
      ...config["steward:policy"],
      enforcement: Object.fromEntries(
        Object.entries(config["steward:policy"]?.enforcement ?? {}).map(([id, override]) => [id, typeof override === "string" ? { level: override } : { ...override }]),
      ),
      minimumHandlerVersions: { ...config["steward:policy"]?.minimumHandlerVersions },
    },
  };
}

function ringWithDefaults(ring: WrittenRing): UpdateRingSettings {
  return {
    name: ring.name,
    order: ring.order,
    patchTuesdayOffsetDays: ring.patchTuesdayOffsetDays,
    startTime: ring.startTime ?? "02:00",
    duration: ring.duration ?? "03:00",
    timeZone: ring.timeZone ?? "UTC",
    classifications: {
      windows: [...(ring.classifications?.windows ?? ["Critical", "Security", "UpdateRollup", "Definition"])],
      linux: [...(ring.classifications?.linux ?? ["Critical", "Security"])],
    },
    reboot: ring.reboot ?? "IfRequired",
    exclusions: { kbNumbers: [...(ring.exclusions?.kbNumbers ?? [])], packages: [...(ring.exclusions?.packages ?? [])] },
  };
}
