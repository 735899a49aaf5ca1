import type { EnforcementOverride, PolicySettings } from "./document";

/** Minimum handler versions: the versions Azure's own built-ins deploy (IaaSAntimalware 1.3). */
export const DEFAULT_MINIMUM_HANDLER_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  IaaSAntimalware: "1.3",
  "MDE.Windows": "1.0",
  "MDE.Linux": "1.0",
});

export const DEFAULT_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  enforcement: {},
  minimumHandlerVersions: { ...DEFAULT_MINIMUM_HANDLER_VERSIONS },
  maxDaysAfterPatchTuesday: 14,
  maxWaiverDays: 90,
  managedBy: "steward",
});

export interface SettingsOverrides {
  enforcement?: Record<string, EnforcementOverride>;
  minimumHandlerVersions?: Record<string, string>;
  maxDaysAfterPatchTuesday?: number;
  maxWaiverDays?: number;
  managedBy?: string;
}

/** Applies a client's overrides to the defaults; maps merge key by key. */
export function resolveSettings(overrides: SettingsOverrides = {}): PolicySettings {
  return {
    enforcement: { ...DEFAULT_SETTINGS.enforcement, ...overrides.enforcement },
    minimumHandlerVersions: { ...DEFAULT_SETTINGS.minimumHandlerVersions, ...overrides.minimumHandlerVersions },
    maxDaysAfterPatchTuesday: overrides.maxDaysAfterPatchTuesday ?? DEFAULT_SETTINGS.maxDaysAfterPatchTuesday,
    maxWaiverDays: overrides.maxWaiverDays ?? DEFAULT_SETTINGS.maxWaiverDays,
    managedBy: overrides.managedBy ?? DEFAULT_SETTINGS.managedBy,
  };
}
