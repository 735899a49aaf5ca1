package policies.rules.endpoint_in_one_ring_test

import data.policies.rules.endpoint_in_one_ring

_pilot := "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:maintenance:MaintenanceConfiguration::acme-ring-pilot"

_broad := "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:maintenance:MaintenanceConfiguration::acme-ring-broad"

# The lower-case configuration id the normalizer leaves when the stack lacks the configuration.
_outside := concat("/", [
	"/subscriptions/5b4b650e-28b9-4790-b3ab-ddbd88d727c4/resourcegroups/examplerg/providers",
	"microsoft.maintenance/maintenanceconfigurations/configuration1",
])

_ring(urn, name, scope) := {
	"urn": urn,
	"type": "azure-native:maintenance:MaintenanceConfiguration",
	"name": name,
	"maintenanceScope": scope,
}

_rings := [_ring(_pilot, "pilot", "InGuestPatch"), _ring(_broad, "broad", "InGuestPatch")]

_assignment(name, scope, ring) := {
	"urn": sprintf("urn:pulumi:acme::steward::azure-native:maintenance:ConfigurationAssignment::%s", [name]),
	"type": "azure-native:maintenance:ConfigurationAssignment",
	"scope": scope,
	"ring": ring,
}

_vm(assignments) := {
	"urn": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01",
	"type": "azure-native:compute:VirtualMachine",
	"name": "web-01",
	"kind": "azure-vm",
	"ringAssignments": assignments,
}

_arc(assignments) := {
	"urn": "/subscriptions/00000000-0000-0000-0000-00000000a11c/resourcegroups/rg/providers/microsoft.hybridcompute/machines/files-01",
	"type": "azure-native:hybridcompute:Machine",
	"name": "files-01",
	"kind": "arc-machine",
	"ringAssignments": assignments,
}

_input(endpoints, rings) := {"endpoints": endpoints, "rings": rings}

_messages(findings) := {finding.message | some finding in findings}

test_success_one_ring if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([_assignment("web-01-ring", "machine", _pilot)])], _rings)
	messages == set()
}

test_success_same_ring_at_machine_and_dynamic_scope if {
	assignments := [
		_assignment("web-01-ring", "machine", _pilot),
		_assignment("pilot-rg", "resource-group", _pilot),
		_assignment("pilot-subscription", "subscription", _pilot),
	]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm(assignments)], _rings)
	messages == set()
}

test_success_scope_in_any_case if {
	rings := [_ring(_pilot, "pilot", "inGuestPatch")]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_arc([_assignment("files-01-ring", "machine", _pilot)])], rings)
	messages == set()
}

test_fail_no_ring if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([])], _rings)
	messages == {`Azure VM "web-01" is in no update ring`}
}

test_fail_missing_ring_assignments if {
	endpoint := object.remove(_vm([]), ["ringAssignments"])
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([endpoint], _rings)
	messages == {`Azure VM "web-01" is in no update ring`}
}

test_fail_two_rings if {
	assignments := [_assignment("web-01-ring", "machine", _pilot), _assignment("broad-subscription", "subscription", _broad)]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm(assignments)], _rings)
	messages == {`Azure VM "web-01" is in 2 update rings ("broad", "pilot")`}
}

test_fail_unresolved_assignment if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_arc([_assignment("files-01-ring", "machine", null)])], _rings)
	messages == {
		`Arc machine "files-01" has update-ring assignment "files-01-ring" whose maintenance configuration cannot be resolved (not set)`,
	}
}

test_fail_unresolved_assignment_beside_a_ring if {
	assignments := [_assignment("web-01-ring", "machine", _pilot), _assignment("rg-ring", "resource-group", null)]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm(assignments)], _rings)
	messages == {
		`Azure VM "web-01" is in 2 update rings ("pilot", an unresolved configuration)`,
		`Azure VM "web-01" has update-ring assignment "rg-ring" whose maintenance configuration cannot be resolved (not set)`,
	}
}

test_fail_missing_ring_field if {
	assignment := object.remove(_assignment("web-01-ring", "machine", _pilot), ["ring"])
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([assignment])], _rings)
	messages == {
		`Azure VM "web-01" has update-ring assignment "web-01-ring" whose maintenance configuration cannot be resolved (not set)`,
	}
}

test_fail_unknown_assignment_target if {
	assignment := _assignment("web-01-ring", "machine", {"$unknown": true})
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([assignment])], _rings)
	messages == {
		`Azure VM "web-01" has update-ring assignment "web-01-ring" whose maintenance configuration cannot be resolved (unknown until apply)`,
	}
}

test_fail_configuration_outside_stack if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([_assignment("web-01-ring", "machine", _outside)])], _rings)
	messages == {concat("", [
		`Azure VM "web-01" is assigned to maintenance configuration "`, _outside,
		`" which this stack does not contain, so its schedule cannot be checked`,
	])}
}

test_fail_not_in_guest_patch if {
	rings := [_ring(_pilot, "pilot", "Host")]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_arc([_assignment("files-01-ring", "machine", _pilot)])], rings)
	messages == {
		`Arc machine "files-01" is assigned to ring "pilot" whose maintenance scope is "Host", not "InGuestPatch"`,
	}
}

test_fail_unknown_scope if {
	rings := [_ring(_pilot, "pilot", {"$unknown": true})]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([_assignment("web-01-ring", "machine", _pilot)])], rings)
	messages == {
		`Azure VM "web-01" is assigned to ring "pilot" whose maintenance scope is unknown until apply, not "InGuestPatch"`,
	}
}

test_fail_missing_scope if {
	rings := [object.remove(_ring(_pilot, "pilot", "InGuestPatch"), ["maintenanceScope"])]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_vm([_assignment("web-01-ring", "machine", _pilot)])], rings)
	messages == {
		`Azure VM "web-01" is assigned to ring "pilot" whose maintenance scope is not set, not "InGuestPatch"`,
	}
}

test_fail_each_endpoint_judged_alone if {
	endpoints := [_vm([_assignment("web-01-ring", "machine", _pilot)]), _arc([])]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input(endpoints, _rings)
	messages == {`Arc machine "files-01" is in no update ring`}
}

test_fail_endpoint_without_kind_or_name if {
	endpoint := object.remove(_vm([]), ["kind", "name"])
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([endpoint], _rings)
	messages == {`Endpoint "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01" is in no update ring`}
}

test_fail_finding_carries_descriptor_and_subject if {
	endpoint_in_one_ring.policy.severity == "critical"
	findings := endpoint_in_one_ring.deny with input as _input([_vm([])], _rings)
	{[f.policy, f.enforcement, f.urn, f.type] | some f in findings} == {[
		"endpoint-in-one-ring", "mandatory",
		"urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01", "azure-native:compute:VirtualMachine",
	]}
}

_scale_set(assignments, automatic) := {
	"urn": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachineScaleSet::web-ss",
	"type": "azure-native:compute:VirtualMachineScaleSet",
	"name": "web-ss",
	"kind": "vm-scale-set",
	"osImageUpgrade": {"automatic": automatic, "upgradeMode": "Automatic"},
	"ringAssignments": assignments,
}

_os_image := "urn:pulumi:acme::steward::azure-native:maintenance:MaintenanceConfiguration::acme-os-image"

test_success_scale_set_with_automatic_os_image_upgrade if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_scale_set([], true)], _rings)
	messages == set()
}

test_success_scale_set_image_upgrades_scheduled_by_os_image_configuration if {
	rings := array.concat(_rings, [_ring(_os_image, "os-image", "OSImage")])
	assignments := [_assignment("web-ss-os-image", "machine", _os_image)]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_scale_set(assignments, "true")], rings)
	messages == set()
}

_not_upgraded(value) := concat("", [
	`Scale set "web-ss" does not upgrade its OS image automatically (enableAutomaticOSUpgrade is `, value,
	"); Azure patches a scale set only that way, never by an in-guest update ring",
])

test_fail_scale_set_in_an_in_guest_ring if {
	assignments := [_assignment("web-ss-ring", "machine", _pilot)]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_scale_set(assignments, false)], _rings)
	messages == {
		_not_upgraded("false"),
		`Scale set "web-ss" is assigned to ring "pilot" whose maintenance scope is "InGuestPatch", not "OSImage"`,
	}
}

test_fail_scale_set_without_image_upgrade if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_scale_set([], false)], _rings)
	messages == {_not_upgraded("false")}
}

test_fail_scale_set_image_upgrade_unknown if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_scale_set([], {"$unknown": true})], _rings)
	messages == {_not_upgraded("unknown until apply")}
}

# A document without the field is judged as not upgrading: only null says "not visible".
test_fail_scale_set_upgrade_policy_missing if {
	endpoint := object.remove(_scale_set([], true), ["osImageUpgrade"])
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([endpoint], _rings)
	messages == {_not_upgraded("not set")}
}

test_fail_scale_set_upgrade_policy_without_automatic if {
	endpoint := object.union(object.remove(_scale_set([], true), ["osImageUpgrade"]), {"osImageUpgrade": {"upgradeMode": "Manual"}})
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([endpoint], _rings)
	messages == {_not_upgraded("not set")}
}

# A scale set the stack only references: its upgrade policy is not visible (patch-orchestration-
# unverified names it), as a referenced VM's patch settings are not.
_referenced_scale_set(assignments) := object.union(_scale_set(assignments, true), {
	"urn": "endpoint:vm-scale-set/rg-acme/web-ss",
	"origins": ["declared", "referenced"],
	"osImageUpgrade": null,
})

test_success_referenced_scale_set_upgrades_not_visible if {
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_referenced_scale_set([])], _rings)
	messages == set()
}

test_fail_referenced_scale_set_in_an_in_guest_ring if {
	assignments := [_assignment("web-ss-ring", "machine", _pilot)]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_referenced_scale_set(assignments)], _rings)
	messages == {`Scale set "web-ss" is assigned to ring "pilot" whose maintenance scope is "InGuestPatch", not "OSImage"`}
}

test_fail_scale_set_in_two_os_image_configurations if {
	other := "urn:pulumi:acme::steward::azure-native:maintenance:MaintenanceConfiguration::acme-os-image-2"
	rings := array.concat(_rings, [_ring(_os_image, "os-image", "OSImage"), _ring(other, "os-image-2", "OSImage")])
	assignments := [_assignment("a", "machine", _os_image), _assignment("b", "machine", other)]
	messages := _messages(endpoint_in_one_ring.deny) with input as _input([_scale_set(assignments, true)], rings)
	messages == {`Scale set "web-ss" is in 2 update rings ("os-image", "os-image-2")`}
}
