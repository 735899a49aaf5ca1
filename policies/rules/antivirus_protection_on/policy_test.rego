package policies.rules.antivirus_protection_on_test

import data.policies.rules.antivirus_protection_on

# Shallow override: object.union would merge nested objects (tags, settings) instead of replacing them.
_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

_settings := {
	"AntimalwareEnabled": true,
	"RealtimeProtectionEnabled": "true",
	"ScheduledScanSettings": {"isEnabled": "true", "day": "7", "time": "120", "scanType": "Quick"},
}

_extension(settings) := {
	"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineExtension::web-01-antivirus",
	"type": "azure-native:compute:VirtualMachineExtension",
	"endpoint": "urn:vm:web-01",
	"role": "antivirus",
	"product": "antimalware",
	"extensionType": "IaaSAntimalware",
	"settings": settings,
}

_input(extension) := {
	"endpoints": [{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"}],
	"extensions": [extension],
}

_label := `Microsoft Antimalware extension "web-01-antivirus" on "web-01"`

_weekly := "the scheduled scan must run at least weekly: 0 (daily) or 1-7 (Sunday to Saturday)"

_needs := "it needs AntimalwareEnabled, RealtimeProtectionEnabled and a weekly scheduled scan"

_unknown := {"$unknown": true}

test_success_string_settings if {
	count(antivirus_protection_on.deny) == 0 with input as _input(_extension(_settings))
}

test_success_boolean_settings_daily_numeric_day if {
	settings := {
		"AntimalwareEnabled": "True",
		"RealtimeProtectionEnabled": true,
		"ScheduledScanSettings": {"isEnabled": true, "day": 0},
	}
	count(antivirus_protection_on.deny) == 0 with input as _input(_extension(settings))
}

test_success_mde_not_judged if {
	mde := _with(_extension(null), {"product": "mde", "extensionType": "MDE.Windows"})
	count(antivirus_protection_on.deny) == 0 with input as _input(mde)
}

test_fail_realtime_off if {
	settings := _with(_settings, {"RealtimeProtectionEnabled": "false"})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {concat("", [
		`Microsoft Antimalware extension "web-01-antivirus" on "web-01" has RealtimeProtectionEnabled "false"; `,
		"real-time protection must be on (true)",
	])}
}

test_fail_every_check if {
	settings := {
		"AntimalwareEnabled": false,
		"RealtimeProtectionEnabled": "no",
		"ScheduledScanSettings": {"isEnabled": "false", "day": "8"},
	}
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {
		sprintf("%s has AntimalwareEnabled false; the antimalware engine must be on (true)", [_label]),
		sprintf(`%s has RealtimeProtectionEnabled "no"; real-time protection must be on (true)`, [_label]),
		sprintf(`%s has ScheduledScanSettings.isEnabled "false"; the scheduled scan must be on (true)`, [_label]),
		sprintf(`%s has ScheduledScanSettings.day "8"; %s`, [_label, _weekly]),
	}
	{f.policy | some f in findings} == {"antivirus-protection-on"}
	antivirus_protection_on.policy.severity == "critical"
	{f.urn | some f in findings} == {_extension(null).urn}
}

test_fail_numeric_day_never if {
	settings := _with(_settings, {"ScheduledScanSettings": {"isEnabled": true, "day": 8}})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {sprintf("%s has ScheduledScanSettings.day 8; %s", [_label, _weekly])}
}

test_fail_day_not_a_number if {
	settings := _with(_settings, {"ScheduledScanSettings": {"isEnabled": "true", "day": "Sunday"}})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {sprintf(`%s has ScheduledScanSettings.day "Sunday"; %s`, [_label, _weekly])}
}

test_fail_scheduled_scan_missing if {
	settings := object.remove(_settings, ["ScheduledScanSettings"])
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {
		sprintf("%s has ScheduledScanSettings.isEnabled not set; the scheduled scan must be on (true)", [_label]),
		sprintf("%s has ScheduledScanSettings.day not set; %s", [_label, _weekly]),
	}
}

test_fail_scheduled_scan_unknown if {
	settings := _with(_settings, {"ScheduledScanSettings": _unknown})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {
		sprintf("%s has ScheduledScanSettings.isEnabled unknown until apply; the scheduled scan must be on (true)", [_label]),
		sprintf("%s has ScheduledScanSettings.day unknown until apply; %s", [_label, _weekly]),
	}
}

test_fail_realtime_unknown if {
	settings := _with(_settings, {"RealtimeProtectionEnabled": _unknown})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {sprintf(
		"%s has RealtimeProtectionEnabled unknown until apply; real-time protection must be on (true)",
		[_label],
	)}
}

test_fail_settings_missing if {
	extension := object.remove(_extension(null), ["settings"])
	findings := antivirus_protection_on.deny with input as _input(extension)
	{f.message | some f in findings} == {sprintf("%s has no settings; %s", [_label, _needs])}
}

test_fail_settings_unknown if {
	findings := antivirus_protection_on.deny with input as _input(_extension(_unknown))
	{f.message | some f in findings} == {sprintf("%s has settings unknown until apply; %s", [_label, _needs])}
}

# Settings text the normalizer could not parse as a JSON object is never quoted: it is reported
# as settings that cannot be verified.
test_fail_settings_text_not_an_object if {
	findings := antivirus_protection_on.deny with input as _input(_extension("AntimalwareEnabled=true"))
	{f.message | some f in findings} == {concat("", [
		_label, " has settings text that is not a JSON object, so they cannot be verified; ", _needs,
	])}
}

test_fail_settings_not_an_object if {
	findings := antivirus_protection_on.deny with input as _input(_extension(["AntimalwareEnabled"]))
	{f.message | some f in findings} == {sprintf(`%s has settings ["AntimalwareEnabled"]; %s`, [_label, _needs])}
}

# Keys that differ only in case: the normalizer keeps neither value; the finding names every key,
# and the check of that setting is not reported a second time as failing.
test_fail_ambiguous_keys if {
	settings := _with(_settings, {
		"RealtimeProtectionEnabled": {"$ambiguous": ["RealtimeProtectionEnabled", "realtimeProtectionEnabled"]},
		"ScheduledScanSettings": {"isEnabled": {"$ambiguous": ["isEnabled", "IsEnabled"]}, "day": "7", "time": "120"},
		"monitoring": {"$ambiguous": ["Monitoring", "monitoring"]},
		"Exclusions": {"$ambiguous": ["Exclusions", "EXCLUSIONS"]},
	})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {
		concat("", [
			_label, ` has ambiguous settings: keys "RealtimeProtectionEnabled" and "realtimeProtectionEnabled" `,
			"differ only in case, so which one the extension reads is undefined; keep only one",
		]),
		concat("", [
			_label, ` has ambiguous settings: keys "ScheduledScanSettings.isEnabled" and "ScheduledScanSettings.IsEnabled" `,
			"differ only in case, so which one the extension reads is undefined; keep only one",
		]),
		concat("", [
			_label, ` has ambiguous settings: keys "Monitoring" and "monitoring" `,
			"differ only in case, so which one the extension reads is undefined; keep only one",
		]),
	}
}

# An ambiguous parent: its children cannot be read, and only the parent is reported.
test_fail_ambiguous_scheduled_scan if {
	settings := _with(_settings, {"ScheduledScanSettings": {"$ambiguous": ["ScheduledScanSettings", "scheduledScanSettings"]}})
	findings := antivirus_protection_on.deny with input as _input(_extension(settings))
	{f.message | some f in findings} == {concat("", [
		_label, ` has ambiguous settings: keys "ScheduledScanSettings" and "scheduledScanSettings" `,
		"differ only in case, so which one the extension reads is undefined; keep only one",
	])}
}

test_fail_endpoint_unresolved_named_by_extension if {
	extension := _with(_extension(object.remove(_settings, ["AntimalwareEnabled"])), {"endpoint": null})
	findings := antivirus_protection_on.deny with input as _input(extension)
	{f.message | some f in findings} == {
		`Microsoft Antimalware extension "web-01-antivirus" has AntimalwareEnabled not set; the antimalware engine must be on (true)`,
	}
}

test_fail_settings_secret if {
	findings := antivirus_protection_on.deny with input as _input(_extension({"$secret": true}))
	{f.message | some f in findings} == {sprintf("%s has settings a secret; %s", [_label, _needs])}
}

# Settings are checked once per distinct settings object: extensions that share one still get
# every finding of their own, and one with other settings only its own.
test_fail_shared_settings_reported_per_extension if {
	off := _with(_settings, {"RealtimeProtectionEnabled": false})
	web := _extension(off)
	app := _with(_extension(off), {"urn": "urn:pulumi:acme::steward::t::app-01-antivirus", "endpoint": "urn:vm:app-01"})
	db := _with(_extension(_settings), {"urn": "urn:pulumi:acme::steward::t::db-01-antivirus", "endpoint": "urn:vm:db-01"})
	endpoints := [
		{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"},
		{"urn": "urn:vm:app-01", "type": "azure-native:compute:VirtualMachine", "name": "app-01"},
		{"urn": "urn:vm:db-01", "type": "azure-native:compute:VirtualMachine", "name": "db-01"},
	]
	findings := antivirus_protection_on.deny with input as {"endpoints": endpoints, "extensions": [web, app, db]}
	{[f.urn, f.message] | some f in findings} == {
		[web.urn, sprintf("%s has RealtimeProtectionEnabled false; real-time protection must be on (true)", [_label])],
		[app.urn, concat("", [
			`Microsoft Antimalware extension "app-01-antivirus" on "app-01" has RealtimeProtectionEnabled false; `,
			"real-time protection must be on (true)",
		])],
	}
}
