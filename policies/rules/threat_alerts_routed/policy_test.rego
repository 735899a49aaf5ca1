package policies.rules.threat_alerts_routed_test

import data.policies.rules.threat_alerts_routed

_group(recipients, enabled) := {
	"urn": "urn:pulumi:acme::steward::azure-native:monitor:ActionGroup::acme-threat-alerts",
	"type": "azure-native:monitor:ActionGroup",
	"recipients": recipients,
	"enabled": enabled,
}

_input(antivirus, notifications) := {
	"stack": {"project": "steward", "stack": "acme"},
	"baseline": {
		"responsibilities": {"antivirus": antivirus},
		"contacts": {"msp": ["SOC@msp.example"], "client": ["owner@acme.example"]},
	},
	"notifications": notifications,
}

test_success_msp_alerted if {
	findings := threat_alerts_routed.deny with input as _input("msp", [_group(["soc@msp.example"], true)])
	{f.message | some f in findings} == set()
}

test_success_shared_both_sides if {
	findings := threat_alerts_routed.deny with input as _input("shared", [_group(["soc@msp.example", "owner@acme.example"], "On")])
	{f.message | some f in findings} == set()
}

test_success_without_baseline_any_recipient if {
	doc := {"stack": {"project": "steward", "stack": "acme"}, "baseline": null, "notifications": [_group(["a@b.example"], true)]}
	findings := threat_alerts_routed.deny with input as doc
	{f.message | some f in findings} == set()
}

test_fail_no_route if {
	findings := threat_alerts_routed.deny with input as _input("msp", [])
	{f.message | some f in findings} == {"no enabled action group or security contact sends threat alerts to anyone"}
}

test_fail_disabled_route if {
	findings := threat_alerts_routed.deny with input as _input("msp", [_group(["soc@msp.example"], false)])
	{f.message | some f in findings} == {
		"no enabled action group or security contact sends threat alerts to anyone",
	}
}

test_fail_client_responsible_but_only_msp_alerted if {
	findings := threat_alerts_routed.deny with input as _input("client", [_group(["soc@msp.example"], true)])
	{f.message | some f in findings} == {
		"threat alerts reach soc@msp.example but no client contact, though the client answers for antivirus (client)",
	}
}

test_fail_shared_missing_msp if {
	findings := threat_alerts_routed.deny with input as _input("shared", [_group(["owner@acme.example"], true)])
	{[f.urn, f.message] | some f in findings} == {[
		"stack:steward/acme",
		"threat alerts reach owner@acme.example but no MSP contact, though the MSP answers for antivirus (shared)",
	]}
}

test_fail_recipients_unknown if {
	findings := threat_alerts_routed.deny with input as _input("msp", [_group({"$unknown": true}, true)])
	{f.message | some f in findings} == {
		"no enabled action group or security contact sends threat alerts to anyone",
		`the recipients of "acme-threat-alerts" are unknown until apply, so threat alert routing cannot be checked`,
	}
}

test_success_nothing_to_protect if {
	doc := {"stack": {"project": "website", "stack": "prod"}, "baseline": null, "endpoints": [], "notifications": []}
	findings := threat_alerts_routed.deny with input as doc
	{f.message | some f in findings} == set()
}

test_fail_endpoint_without_baseline_no_route if {
	doc := {"stack": {"project": "steward", "stack": "acme"}, "baseline": null, "endpoints": [{"urn": "urn:vm"}], "notifications": []}
	findings := threat_alerts_routed.deny with input as doc
	{f.message | some f in findings} == {"no enabled action group or security contact sends threat alerts to anyone"}
}

test_fail_unrecognized_machine_without_baseline_no_route if {
	doc := {
		"stack": {"project": "steward", "stack": "acme"},
		"baseline": null,
		"endpoints": [],
		"unrecognizedMachines": [{"urn": "urn:lab-vm", "type": "azure-native:devtestlab:VirtualMachine"}],
		"notifications": [],
	}
	findings := threat_alerts_routed.deny with input as doc
	{f.message | some f in findings} == {"no enabled action group or security contact sends threat alerts to anyone"}
}
