package policies.rules.antivirus_installed_test

import data.policies.rules.antivirus_installed

_endpoint(name, kind, os, antivirus) := {
	"urn": sprintf("urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::%s", [name]),
	"type": "azure-native:compute:VirtualMachine",
	"name": name,
	"kind": kind,
	"os": os,
	"antivirus": antivirus,
}

_antimalware := {"urn": "urn:av", "type": "azure-native:compute:VirtualMachineExtension", "extensionType": "IaaSAntimalware"}

_mde_linux := {"urn": "urn:mde", "type": "azure-native:compute:VirtualMachineExtension", "extensionType": "MDE.Linux"}

test_success_windows_antimalware if {
	count(antivirus_installed.deny) == 0 with input as {"endpoints": [_endpoint("web1", "azure-vm", "windows", [_antimalware])]}
}

test_success_linux_mde if {
	count(antivirus_installed.deny) == 0 with input as {"endpoints": [_endpoint("db1", "arc-machine", "linux", [_mde_linux])]}
}

test_fail_no_antivirus if {
	findings := antivirus_installed.deny with input as {"endpoints": [_endpoint("web1", "azure-vm", "windows", [])]}
	{f.message | some f in findings} == {`Azure VM "web1" has no antivirus extension`}
	{f.policy | some f in findings} == {"antivirus-installed"}
	antivirus_installed.policy.severity == "critical"
}

test_fail_linux_with_antimalware if {
	findings := antivirus_installed.deny with input as {"endpoints": [_endpoint("db1", "arc-machine", "linux", [_antimalware])]}
	{f.message | some f in findings} == {`Arc machine "db1" (linux) has only IaaSAntimalware, which does not protect linux; use MDE.Linux`}
}

test_fail_missing_antivirus_field if {
	endpoint := object.remove(_endpoint("web1", "azure-vm", "windows", []), ["antivirus"])
	findings := antivirus_installed.deny with input as {"endpoints": [endpoint]}
	count(findings) == 1
}

_extension(patch) := object.union(
	{
		"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineExtension::web1-antivirus",
		"type": "azure-native:compute:VirtualMachineExtension",
		"endpoint": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web1",
		"role": "antivirus",
		"product": "antimalware",
		"extensionType": "IaaSAntimalware",
		"suppressFailures": null,
	},
	patch,
)

_suppressed := ": the deployment succeeds even when the extension fails to install, leaving the endpoint without antivirus"

# suppressFailures lets a deployment succeed without antivirus: reported for every antivirus
# product, and when it is unknown until apply; false, "false" and unset (Azure's default) pass, and
# a monitoring agent is not this policy's.
test_fail_failures_suppressed if {
	mde := _extension({
		"urn": "urn:pulumi:acme::steward::t::files-01-antivirus", "endpoint": null,
		"product": "mde", "extensionType": "MDE.Linux", "suppressFailures": {"$unknown": true},
	})
	untyped := _extension({"urn": "urn:pulumi:acme::steward::t::app-01-antivirus", "extensionType": null, "suppressFailures": "yes"})
	findings := antivirus_installed.deny with input as {
		"endpoints": [_endpoint("web1", "azure-vm", "windows", [_antimalware])],
		"extensions": [
			_extension({"suppressFailures": true}), mde, untyped,
			_extension({"urn": "urn:false", "suppressFailures": false}),
			_extension({"urn": "urn:string-false", "suppressFailures": "False"}),
			object.remove(_extension({"urn": "urn:unset"}), ["suppressFailures"]),
			_extension({"urn": "urn:monitoring", "role": "monitoring", "suppressFailures": true}),
		],
	}
	{f.message | some f in findings} == {
		concat("", [`IaaSAntimalware extension "web1-antivirus" on "web1" has suppressFailures true`, _suppressed]),
		concat("", [`MDE.Linux extension "files-01-antivirus" has suppressFailures unknown until apply`, _suppressed]),
		concat("", [`Antivirus extension "app-01-antivirus" on "web1" has suppressFailures "yes"`, _suppressed]),
	}
	{f.urn | some f in findings} == {_extension({}).urn, mde.urn, untyped.urn}
}
