import { DEFAULT_MANAGED_BY, EXTENSIONS, HANDLER_VERSIONS } from "./azure";
import type { EnforcementOverride, PolicySettings } from "./document";

/** Minimum handler versions of the antivirus extensions (core/azure.ts HANDLER_VERSIONS). */
export const DEFAULT_MINIMUM_HANDLER_VERSIONS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    [EXTENSIONS.antimalware, EXTENSIONS.mdeWindows, EXTENSIONS.mdeLinux].map(({ type }) => [type, HANDLER_VERSIONS[type] as string]),
  ),
);

export const DEFAULT_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  enforcement: {},
  minimumHandlerVersions: { ...DEFAULT_MINIMUM_HANDLER_VERSIONS },
  maxDaysAfterPatchTuesday: 14,
  maxWaiverDays: 90,
  managedBy: DEFAULT_MANAGED_BY,
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
