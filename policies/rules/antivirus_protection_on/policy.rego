# METADATA
# title: Antivirus real-time protection and weekly scans on
# description: |
#   Every Microsoft Antimalware extension (Microsoft.Azure.Security / IaaSAntimalware) runs with the
#   engine on (AntimalwareEnabled), real-time protection on (RealtimeProtectionEnabled) and a
#   scheduled scan that is enabled (ScheduledScanSettings.isEnabled) and runs at least weekly
#   (ScheduledScanSettings.day 0 = daily or 1-7 = Sunday to Saturday; 8 = never). Settings may be
#   booleans or the strings "true"/"false", the day a number or a numeric string, as Microsoft's
#   own samples and built-in 2835b622's template write them. The handler reads keys in any case:
#   the normalizer gives them one spelling, and a setting written under two keys that differ only
#   in case (RealtimeProtectionEnabled and realtimeProtectionEnabled) is reported naming both,
#   since which one applies is undefined; settings text that is not a JSON object is reported as
#   settings that cannot be verified. This is stricter
#   than Azure built-in 2835b622-407b-4114-9198-6f7064cbe0dc: its template's
#   ScheduledScanSettingsIsEnabled parameter defaults to "false", and its existence condition accepts
#   any IaaSAntimalware extension whatever its settings. Defender for Endpoint (MDE.Windows,
#   MDE.Linux) has no such extension settings (its Defender policy controls real-time protection), so
#   this policy does not judge it.
# related_resources:
#   - ref: https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Compute/VMAntimalwareExtension_DINE.json
#     description: |
#       Azure built-in 2835b622-407b-4114-9198-6f7064cbe0dc,
#       Deploy default Microsoft IaaSAntimalware extension for Windows Server
#   - ref: https://learn.microsoft.com/en-us/azure/security/fundamentals/antimalware
#     description: Microsoft Antimalware for Azure Cloud Services and Virtual Machines (settings)
# custom:
#   id: antivirus-protection-on
#   severity: critical
#   enforcement: mandatory
#   remediation: |
#     In the client's baseline, give the Microsoft Antimalware extension AntimalwareEnabled and
#     RealtimeProtectionEnabled "true", and ScheduledScanSettings with isEnabled "true" and a day of
#     0 (daily) or 1-7 (one weekday).
package policies.rules.antivirus_protection_on

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Protection setting off
# description: Reports every required protection setting of an antimalware extension that is off, unknown or missing.
deny contains lib.finding(policy, extension, concat(" ", [_label(extension), problem])) if {
	some [extension, settings] in _antimalware
	some problem in _problems[settings]
}

# METADATA
# title: Settings missing
# description: Reports an antimalware extension whose settings are missing, unknown or not an object (one finding, not one per setting).
deny contains lib.finding(policy, extension, message) if {
	some [extension, settings] in _antimalware
	not lib.readable(settings)
	message := sprintf(
		"%s has %s; it needs AntimalwareEnabled, RealtimeProtectionEnabled and a weekly scheduled scan",
		[_label(extension), _settings_text(settings)],
	)
}

# Fleets give most extensions the same settings: each distinct settings object is checked once
# per evaluation (complete rules), and an extension only looks its settings up. A problem is the
# finding's message without the extension's label, which is added per extension.
#
# Every antimalware extension with its settings.
_antimalware := [[extension, object.get(extension, "settings", null)] |
	some extension in lib.antimalware_extensions
]

_distinct_settings contains settings if {
	some [_, settings] in _antimalware
	lib.readable(settings)
}

# The failed checks and ambiguous keys of each distinct settings object that has any.
# regal ignore:prefer-set-or-object-rule
_problems := {settings: problems |
	some settings in _distinct_settings
	problems := _failed_checks(settings) | _ambiguous_keys(settings)
	count(problems) > 0
}

# A value written under keys that differ only in case is reported as ambiguous, not as failing.
_failed_checks(settings) := {problem |
	some check in _checks
	value := _setting(settings, check.path)
	not lib.is_ambiguous(value)
	not _passes(check.test, value)
	problem := sprintf("has %s %s; %s", [concat(".", check.path), lib.describe(value), check.need])
}

# Every ambiguous key the handler reads here: the top level (Exclusions is antivirus_safe_exclusions')
# and the scheduled scan's.
_ambiguous_keys(settings) := {concat("", ["has ambiguous settings: keys ", lib.ambiguous_keys(prefix, value), "; keep only one"]) |
	some [prefix, value] in _read_values(settings)
	lib.is_ambiguous(value)
}

_read_values(settings) := array.concat(
	[["", value] | some key, value in settings; key != "Exclusions"],
	[["ScheduledScanSettings.", value] | some value in _scan_settings(settings)],
)

_scan_settings(settings) := lib.field(settings, "ScheduledScanSettings") if lib.readable(lib.field(settings, "ScheduledScanSettings"))

_scan_settings(settings) := {} if not lib.readable(lib.field(settings, "ScheduledScanSettings"))

_checks := [
	{"path": ["AntimalwareEnabled"], "test": "enabled", "need": "the antimalware engine must be on (true)"},
	{"path": ["RealtimeProtectionEnabled"], "test": "enabled", "need": "real-time protection must be on (true)"},
	{"path": ["ScheduledScanSettings", "isEnabled"], "test": "enabled", "need": "the scheduled scan must be on (true)"},
	{
		"path": ["ScheduledScanSettings", "day"], "test": "weekly",
		"need": "the scheduled scan must run at least weekly: 0 (daily) or 1-7 (Sunday to Saturday)",
	},
]

_passes("enabled", value) if lib.enabled(value)

_passes("weekly", value) if _scan_day(value) in numbers.range(0, 7)

_scan_day(value) := value if is_number(value)

# The extension takes the day as a number or a numeric string ("7").
_scan_day(value) := to_number(trim_space(value)) if {
	is_string(value)
	regex.match(`^\s*[0-9]+\s*$`, value)
}

_setting(settings, [key]) := lib.field(settings, key)

_setting(settings, [parent, key]) := lib.field(lib.field(settings, parent), key)

_settings_text(null) := "no settings"

# Settings text the normalizer could not parse as a JSON object (never quoted: it is not settings).
_settings_text(settings) := "settings text that is not a JSON object, so they cannot be verified" if is_string(settings)

_settings_text(settings) := sprintf("settings %s", [lib.describe(settings)]) if {
	settings != null
	not is_string(settings)
}

_label(extension) := lib.extension_label("Microsoft Antimalware", extension)
