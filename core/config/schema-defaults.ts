/**
 * The defaults the JSON Schema states (its `default` keywords), read from it: the schema is the one
 * place a default value is written. Editors show them from the schema, the loader applies them
 * (defaults.ts), the checks assume them, and the planner compares the antivirus settings with them
 * (core/antivirus-engine.ts).
 *
 * The property accesses below fail to compile when the schema loses a default. The enum types are
 * asserted: test/config-defaults.test.ts loads a file that writes every default explicitly, which
 * the schema accepts, to the same configuration as a file that writes none.
 */
import type { AntivirusSettings, ClientConfig, ClientSettings, PolicyOverrides, UpdateRingSettings, WaiverSettings } from "./client-config";
import schema from "../schema/client-config.schema.json";

/** The defaults the loader applies, in the shape of the configuration they fill in. */
interface SchemaDefaults {
  client: {
    scope: Pick<ClientSettings["scope"], "resourceGroups">;
    managementModel: ClientSettings["managementModel"];
    reporting: Pick<ClientSettings["reporting"], "schedule">;
    location: string;
  };
  antivirus: AntivirusSettings;
  /** The rings when the file writes none; each also gets `updateRing`. */
  updateRings: Array<Pick<UpdateRingSettings, "name" | "order" | "patchTuesdayOffsetDays">>;
  /** What every ring gets that it does not write. */
  updateRing: Omit<UpdateRingSettings, "name" | "order" | "patchTuesdayOffsetDays">;
  monitoring: ClientConfig["monitoring"];
  waivers: WaiverSettings[];
  policy: Pick<PolicyOverrides, "enforcement" | "minimumHandlerVersions">;
}

const CONFIG = schema.properties.config.properties;
const CLIENT = CONFIG["steward:client"].properties;
const ANTIVIRUS = CONFIG["steward:antivirus"].properties;
const SCAN = ANTIVIRUS.scheduledScan.properties;
const EXCLUSIONS = ANTIVIRUS.exclusions.properties;
const RINGS = CONFIG["steward:updateRings"];
const RING = RINGS.items.properties;
const POLICY = CONFIG["steward:policy"].properties;

/** Frozen all the way down, on a copy: no caller can change a default, or the schema, for the next. */
function frozenCopy<T>(value: T): T {
  const freeze = (item: unknown): void => {
    if (typeof item !== "object" || item === null) return;
    Object.values(item).forEach(freeze);
    Object.freeze(item);
  };
  const copy = structuredClone(value);
  freeze(copy);
  return copy;
}

export const SCHEMA_DEFAULTS: SchemaDefaults = frozenCopy({
  client: {
    scope: { resourceGroups: CLIENT.scope.properties.resourceGroups.default },
    managementModel: CLIENT.managementModel.default as ClientSettings["managementModel"],
    reporting: { schedule: CLIENT.reporting.properties.schedule.default as ClientSettings["reporting"]["schedule"] },
    location: CLIENT.location.default,
  },
  antivirus: {
    engine: ANTIVIRUS.engine.default as AntivirusSettings["engine"],
    appliesTo: ANTIVIRUS.appliesTo.default as AntivirusSettings["appliesTo"],
    realtimeProtection: ANTIVIRUS.realtimeProtection.default,
    scheduledScan: {
      enabled: SCAN.enabled.default,
      day: SCAN.day.default as AntivirusSettings["scheduledScan"]["day"],
      time: SCAN.time.default,
      type: SCAN.type.default as AntivirusSettings["scheduledScan"]["type"],
    },
    exclusions: { paths: EXCLUSIONS.paths.default, extensions: EXCLUSIONS.extensions.default, processes: EXCLUSIONS.processes.default },
  },
  updateRings: RINGS.default,
  updateRing: {
    startTime: RING.startTime.default,
    duration: RING.duration.default,
    timeZone: RING.timeZone.default,
    classifications: { windows: RING.classifications.properties.windows.default, linux: RING.classifications.properties.linux.default },
    reboot: RING.reboot.default as UpdateRingSettings["reboot"],
    exclusions: { kbNumbers: RING.exclusions.properties.kbNumbers.default, packages: RING.exclusions.properties.packages.default },
  },
  monitoring: { workspaceRetentionDays: CONFIG["steward:monitoring"].properties.workspaceRetentionDays.default },
  waivers: CONFIG["steward:waivers"].default,
  policy: { enforcement: POLICY.enforcement.default, minimumHandlerVersions: POLICY.minimumHandlerVersions.default },
});
