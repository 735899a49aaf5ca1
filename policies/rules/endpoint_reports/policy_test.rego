package policies.rules.endpoint_reports_test

import data.policies.rules.endpoint_reports

# Shallow override: object.union would merge nested objects (tags, settings) instead of replacing them.
_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

_endpoint(patch) := _with(
	{
		"urn": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01",
		"type": "azure-native:compute:VirtualMachine",
		"name": "web-01",
		"kind": "azure-vm",
		"os": "windows",
		"monitoringAgents": [{
			"urn": "urn:ama", "type": "azure-native:compute:VirtualMachineExtension",
			"extensionType": "AzureMonitorWindowsAgent",
		}],
		"dataCollectionRuleAssociations": [{"urn": "urn:dcra", "type": "azure-native:monitor:DataCollectionRuleAssociation", "rule": "urn:dcr"}],
	},
	patch,
)

_linux_agent := [{"urn": "urn:ama", "type": "azure-native:hybridcompute:MachineExtension", "extensionType": "AzureMonitorLinuxAgent"}]

_association(rule) := [{"urn": "urn:dcra", "type": "azure-native:monitor:DataCollectionRuleAssociation", "rule": rule}]

_no_rule := `Azure VM "web-01" is not associated with a data collection rule, so its agent collects nothing`

test_success_windows_vm if {
	count(endpoint_reports.deny) == 0 with input as {"endpoints": [_endpoint({})]}
}

test_success_linux_arc_machine_unknown_rule if {
	endpoint := _endpoint({
		"kind": "arc-machine", "os": "linux", "monitoringAgents": _linux_agent,
		"dataCollectionRuleAssociations": _association({"$unknown": true}),
	})
	count(endpoint_reports.deny) == 0 with input as {"endpoints": [endpoint]}
}

test_success_unknown_os_either_agent if {
	endpoint := _endpoint({"os": "unknown", "monitoringAgents": _linux_agent})
	count(endpoint_reports.deny) == 0 with input as {"endpoints": [endpoint]}
}

test_fail_no_agent if {
	findings := endpoint_reports.deny with input as {"endpoints": [_endpoint({"monitoringAgents": []})]}
	{f.message | some f in findings} == {
		`Azure VM "web-01" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor`,
	}
	{f.policy | some f in findings} == {"endpoint-reports"}
	endpoint_reports.policy.severity == "high"
	{f.urn | some f in findings} == {_endpoint({}).urn}
}

test_fail_agent_for_other_os if {
	findings := endpoint_reports.deny with input as {"endpoints": [_endpoint({"monitoringAgents": _linux_agent})]}
	{f.message | some f in findings} == {
		`Azure VM "web-01" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor`,
	}
}

test_fail_no_association if {
	findings := endpoint_reports.deny with input as {"endpoints": [_endpoint({"dataCollectionRuleAssociations": []})]}
	{f.message | some f in findings} == {_no_rule}
}

test_fail_association_names_no_rule if {
	endpoint := _endpoint({"dataCollectionRuleAssociations": array.concat(_association(null), _association(""))})
	findings := endpoint_reports.deny with input as {"endpoints": [endpoint]}
	{f.message | some f in findings} == {_no_rule}
}

test_fail_fields_missing if {
	endpoint := object.remove(_endpoint({"kind": "arc-machine"}), ["os", "monitoringAgents", "dataCollectionRuleAssociations"])
	findings := endpoint_reports.deny with input as {"endpoints": [endpoint]}
	{f.message | some f in findings} == {
		concat("", [
			`Arc machine "web-01" has no Azure Monitor Agent (AzureMonitorLinuxAgent or AzureMonitorWindowsAgent), `,
			"so it does not report to Azure Monitor",
		]),
		`Arc machine "web-01" is not associated with a data collection rule, so its agent collects nothing`,
	}
}

test_fail_association_rule_missing_unnamed_endpoint if {
	endpoint := object.remove(
		_endpoint({"kind": "other", "dataCollectionRuleAssociations": [{"urn": "urn:dcra", "type": "t"}]}),
		["name"],
	)
	findings := endpoint_reports.deny with input as {"endpoints": [endpoint]}
	{f.message | some f in findings} == {concat("", [
		`Endpoint "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01" `,
		"is not associated with a data collection rule, so its agent collects nothing",
	])}
}
