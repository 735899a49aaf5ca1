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
