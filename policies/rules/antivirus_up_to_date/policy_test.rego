package policies.rules.antivirus_up_to_date_test

import data.policies.rules.antivirus_up_to_date

# Shallow override: object.union would merge nested objects (tags, settings) instead of replacing them.
_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

_extension(patch) := _with(
	{
		"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineExtension::web-01-antivirus",
		"type": "azure-native:compute:VirtualMachineExtension",
		"endpoint": "urn:vm:web-01",
		"role": "antivirus",
		"product": "antimalware",
		"extensionType": "IaaSAntimalware",
		"typeHandlerVersion": "1.3",
		"autoUpgradeMinorVersion": true,
	},
	patch,
)

_input(extension) := {
	"settings": {"minimumHandlerVersions": {"IaaSAntimalware": "1.3", "MDE.Windows": "1.0"}},
	"endpoints": [{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"}],
	"extensions": [extension],
}

_label := `IaaSAntimalware extension "web-01-antivirus" on "web-01"`

_auto := "it must be true so the extension takes new minor versions automatically"

test_success_current_version if {
	count(antivirus_up_to_date.deny) == 0 with input as _input(_extension({}))
}

test_success_newer_version_string_true if {
	extension := _extension({"typeHandlerVersion": "1.10.2", "autoUpgradeMinorVersion": "true"})
	count(antivirus_up_to_date.deny) == 0 with input as _input(extension)
}

test_success_no_minimum_configured if {
	extension := _extension({"extensionType": "MDE.Linux", "product": "mde", "typeHandlerVersion": "0.1"})
	count(antivirus_up_to_date.deny) == 0 with input as _input(extension)
}

test_success_monitoring_extension_not_judged if {
	extension := _extension({"role": "monitoring", "autoUpgradeMinorVersion": false})
	count(antivirus_up_to_date.deny) == 0 with input as _input(extension)
}

test_fail_auto_upgrade_off if {
	findings := antivirus_up_to_date.deny with input as _input(_extension({"autoUpgradeMinorVersion": false}))
	{f.message | some f in findings} == {sprintf("%s has autoUpgradeMinorVersion false; %s", [_label, _auto])}
	{f.policy | some f in findings} == {"antivirus-up-to-date"}
	antivirus_up_to_date.policy.severity == "high"
}

test_fail_auto_upgrade_missing if {
	extension := object.remove(_extension({}), ["autoUpgradeMinorVersion"])
	findings := antivirus_up_to_date.deny with input as _input(extension)
	{f.message | some f in findings} == {sprintf("%s has autoUpgradeMinorVersion not set; %s", [_label, _auto])}
}

test_fail_auto_upgrade_unknown if {
	findings := antivirus_up_to_date.deny with input as _input(_extension({"autoUpgradeMinorVersion": {"$unknown": true}}))
	{f.message | some f in findings} == {sprintf("%s has autoUpgradeMinorVersion unknown until apply; %s", [_label, _auto])}
}

test_fail_old_version if {
	findings := antivirus_up_to_date.deny with input as _input(_extension({"typeHandlerVersion": "1.2"}))
	{f.message | some f in findings} == {sprintf(`%s has typeHandlerVersion "1.2"; it must be at least "1.3"`, [_label])}
}

test_fail_version_not_a_version if {
	findings := antivirus_up_to_date.deny with input as _input(_extension({"typeHandlerVersion": "latest"}))
	{f.message | some f in findings} == {sprintf(`%s has typeHandlerVersion "latest"; it must be at least "1.3"`, [_label])}
}

test_fail_version_unknown if {
	findings := antivirus_up_to_date.deny with input as _input(_extension({"typeHandlerVersion": {"$unknown": true}}))
	{f.message | some f in findings} == {sprintf(`%s has typeHandlerVersion unknown until apply; it must be at least "1.3"`, [_label])}
}

test_fail_version_missing_mde_unresolved_endpoint if {
	extension := object.remove(
		_extension({"extensionType": "MDE.Windows", "product": "mde", "endpoint": null, "autoUpgradeMinorVersion": "false"}),
		["typeHandlerVersion"],
	)
	findings := antivirus_up_to_date.deny with input as _input(extension)
	{f.message | some f in findings} == {
		`MDE.Windows extension "web-01-antivirus" has typeHandlerVersion not set; it must be at least "1.0"`,
		sprintf(`MDE.Windows extension "web-01-antivirus" has autoUpgradeMinorVersion "false"; %s`, [_auto]),
	}
}

test_fail_extension_type_unknown if {
	extension := _extension({"extensionType": {"$unknown": true}, "autoUpgradeMinorVersion": null})
	findings := antivirus_up_to_date.deny with input as _input(extension)
	{f.message | some f in findings} == {
		sprintf(`Antivirus extension "web-01-antivirus" on "web-01" has autoUpgradeMinorVersion not set; %s`, [_auto]),
	}
}

# Versions are compared once per distinct [type, version] pair: the same version can be too old
# for one type and current for another, and extensions that share an old version are each reported.
test_fail_shared_version_judged_per_type if {
	web := _extension({"typeHandlerVersion": "1.0"})
	app := _extension({"typeHandlerVersion": "1.0", "urn": "urn:pulumi:acme::steward::t::app-01-antivirus", "endpoint": "urn:vm:app-01"})
	mde := _extension({"typeHandlerVersion": "1.0", "extensionType": "MDE.Windows", "urn": "urn:pulumi:acme::steward::t::db-01-mde"})
	endpoints := [
		{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"},
		{"urn": "urn:vm:app-01", "type": "azure-native:compute:VirtualMachine", "name": "app-01"},
	]
	findings := antivirus_up_to_date.deny with input as object.union(_input(web), {"endpoints": endpoints, "extensions": [web, app, mde]})
	{[f.urn, f.message] | some f in findings} == {
		[web.urn, sprintf(`%s has typeHandlerVersion "1.0"; it must be at least "1.3"`, [_label])],
		[app.urn, `IaaSAntimalware extension "app-01-antivirus" on "app-01" has typeHandlerVersion "1.0"; it must be at least "1.3"`],
	}
}

# A client may spell a type in any case (Azure does); where two keys name one type, both minimums apply.
test_fail_minimum_by_type_in_any_case if {
	extension := _extension({"typeHandlerVersion": "1.4"})
	settings := {"minimumHandlerVersions": {"iaasantimalware": "1.5", "IaaSAntimalware": "1.3", "IAASANTIMALWARE": "2.0"}}
	findings := antivirus_up_to_date.deny with input as _with(_input(extension), {"settings": settings})
	{f.message | some f in findings} == {
		sprintf(`%s has typeHandlerVersion "1.4"; it must be at least "1.5"`, [_label]),
		sprintf(`%s has typeHandlerVersion "1.4"; it must be at least "2.0"`, [_label]),
	}
}
