/**
 * Defaults: what a stack file the checks accepted leaves out, filled in. Every value comes from
 * the schema (schema-defaults.ts); what is decided here is only what depends on other settings,
 * which the schema's descriptions state in words: responsibilities from the management model,
 * an endpoint's subscription from the client's first scope subscription, and a bare `mandatory`
 * override as `{ level: mandatory }`. The evaluation thresholds (maxDaysAfterPatchTuesday,
 * maxWaiverDays) stay unset: the evaluation applies their defaults (core/settings.ts), as it does
 * for a configuration built in code.
 *
 * Not ajv's useDefaults: the checks must see what was written, not what was filled in (an
 * antivirus setting written for Defender for Endpoint is refused, the same setting by default is
 * not), and a default is only applied to a file without problems.
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
} from "./client-config";
import { SCHEMA_DEFAULTS } from "./schema-defaults";

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

/** The configuration of a stack file the checks accepted, every default applied. */
export function withDefaults(file: string, config: WrittenConfig): ClientConfig {
  const client = config["steward:client"];
  const antivirus = config["steward:antivirus"] ?? {};
  const scan = antivirus.scheduledScan ?? {};
  const exclusions = antivirus.exclusions ?? {};
  const managementModel = client.managementModel ?? SCHEMA_DEFAULTS.client.managementModel;
  // Model-wide only: an internally managed client answers for everything itself.
  const owner = managementModel === "internally-managed" ? "client" : "msp";
  const firstSubscription = client.scope.subscriptions[0] as string; // the schema requires one
  return {
    file,
    client: {
      id: client.id,
      displayName: client.displayName,
      scope: {
        subscriptions: [...client.scope.subscriptions],
        resourceGroups: [...(client.scope.resourceGroups ?? SCHEMA_DEFAULTS.client.scope.resourceGroups)],
      },
      managementModel,
      responsibilities: {
        antivirus: client.responsibilities?.antivirus ?? owner,
        patching: client.responsibilities?.patching ?? owner,
        monitoring: client.responsibilities?.monitoring ?? owner,
        reporting: client.responsibilities?.reporting ?? owner,
      },
      contacts: { msp: client.contacts.msp.map((c) => ({ ...c })), client: client.contacts.client.map((c) => ({ ...c })) },
      reporting: { schedule: client.reporting.schedule ?? SCHEMA_DEFAULTS.client.reporting.schedule, recipients: [...client.reporting.recipients] },
      location: client.location ?? SCHEMA_DEFAULTS.client.location,
      resourceGroup: client.resourceGroup,
    },
    antivirus: {
      engine: antivirus.engine ?? SCHEMA_DEFAULTS.antivirus.engine,
      appliesTo: antivirus.appliesTo ?? SCHEMA_DEFAULTS.antivirus.appliesTo,
      realtimeProtection: antivirus.realtimeProtection ?? SCHEMA_DEFAULTS.antivirus.realtimeProtection,
      scheduledScan: { ...SCHEMA_DEFAULTS.antivirus.scheduledScan, ...scan },
      exclusions: {
        paths: [...(exclusions.paths ?? SCHEMA_DEFAULTS.antivirus.exclusions.paths)],
        extensions: [...(exclusions.extensions ?? SCHEMA_DEFAULTS.antivirus.exclusions.extensions)],
        processes: [...(exclusions.processes ?? SCHEMA_DEFAULTS.antivirus.exclusions.processes)],
      },
    },
    updateRings: (config["steward:updateRings"] ?? SCHEMA_DEFAULTS.updateRings).map(ringWithDefaults),
    endpoints: config["steward:endpoints"].map((endpoint) => ({ ...endpoint, subscriptionId: endpoint.subscriptionId ?? firstSubscription })),
    monitoring: { workspaceRetentionDays: config["steward:monitoring"]?.workspaceRetentionDays ?? SCHEMA_DEFAULTS.monitoring.workspaceRetentionDays },
    waivers: (config["steward:waivers"] ?? SCHEMA_DEFAULTS.waivers).map((waiver) => ({ ...waiver })),
    policy: {
      ...config["steward:policy"],
      enforcement: Object.fromEntries(
        Object.entries(config["steward:policy"]?.enforcement ?? SCHEMA_DEFAULTS.policy.enforcement).map(([id, override]) => [
          id,
          typeof override === "string" ? { level: override } : { ...override },
        ]),
      ),
      minimumHandlerVersions: { ...(config["steward:policy"]?.minimumHandlerVersions ?? SCHEMA_DEFAULTS.policy.minimumHandlerVersions) },
    },
  };
}

function ringWithDefaults(ring: WrittenRing): UpdateRingSettings {
  const defaults = SCHEMA_DEFAULTS.updateRing;
  return {
    name: ring.name,
    order: ring.order,
    patchTuesdayOffsetDays: ring.patchTuesdayOffsetDays,
    startTime: ring.startTime ?? defaults.startTime,
    duration: ring.duration ?? defaults.duration,
    timeZone: ring.timeZone ?? defaults.timeZone,
    classifications: {
      windows: [...(ring.classifications?.windows ?? defaults.classifications.windows)],
      linux: [...(ring.classifications?.linux ?? defaults.classifications.linux)],
    },
    reboot: ring.reboot ?? defaults.reboot,
    exclusions: {
      kbNumbers: [...(ring.exclusions?.kbNumbers ?? defaults.exclusions.kbNumbers)],
      packages: [...(ring.exclusions?.packages ?? defaults.exclusions.packages)],
    },
  };
}
