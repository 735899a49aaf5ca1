package policies.rules.managed_tags_test

import data.policies.rules.managed_tags

# Shallow override: object.union would merge nested objects (tags, settings) instead of replacing them.
_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

_pilot := "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:maintenance:MaintenanceConfiguration::acme-ring-pilot"

_broad := "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:maintenance:MaintenanceConfiguration::acme-ring-broad"

_endpoint(patch) := _with(
	{
		"urn": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01",
		"type": "azure-native:compute:VirtualMachine",
		"name": "web-01",
		"kind": "azure-vm",
		"origins": ["stack", "declared"],
		"declaredRing": "pilot",
		"tags": {"client": "acme", "managed-by": "steward", "ring": "pilot"},
		"ringAssignments": [{"urn": "urn:assignment", "type": "t", "scope": "machine", "ring": _pilot}],
	},
	patch,
)

_resource(tags) := {
	"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineExtension::web-01-antivirus",
	"type": "azure-native:compute:VirtualMachineExtension",
	"tags": tags,
}

_input(client, endpoints, resources) := {
	"stack": {"project": "steward", "stack": "acme", "client": client},
	"settings": {"managedBy": "steward"},
	"rings": [{"urn": _pilot, "name": "pilot"}, {"urn": _broad, "name": "broad"}],
	"endpoints": endpoints,
	"managedResources": resources,
}

_good_tags := {"client": "acme", "managed-by": "steward"}

_vm := `Azure VM "web-01"`

_extension := `VirtualMachineExtension "web-01-antivirus"`

test_success_compliant if {
	count(managed_tags.deny) == 0 with input as _input("acme", [_endpoint({})], [_resource(_good_tags)])
}

test_success_hidden_tags_skipped if {
	referenced := _endpoint({"kind": "arc-machine", "origins": ["declared", "referenced"], "tags": null})
	count(managed_tags.deny) == 0 with input as _input("acme", [referenced], [])
}

test_success_declared_ring_when_unassigned if {
	endpoint := _endpoint({"ringAssignments": [{"urn": "urn:a", "type": "t", "scope": "machine", "ring": null}]})
	count(managed_tags.deny) == 0 with input as _input("acme", [endpoint], [])
}

test_success_no_ring_expected if {
	endpoint := _endpoint({"ringAssignments": [], "declaredRing": null, "tags": {"client": "acme", "managed-by": "steward"}})
	count(managed_tags.deny) == 0 with input as _input("acme", [endpoint], [])
}

test_success_no_client_any_value if {
	endpoint := _endpoint({"tags": {"client": "someone", "managed-by": "steward", "ring": "pilot"}})
	count(managed_tags.deny) == 0 with input as _input(null, [endpoint], [])
}

test_fail_wrong_endpoint_tags if {
	endpoint := _endpoint({"tags": {"client": "globex", "managed-by": "terraform", "ring": "broad"}})
	findings := managed_tags.deny with input as _input("acme", [endpoint], [])
	{f.message | some f in findings} == {
		sprintf(`Tag "client" of %s is "globex", expected "acme"`, [_vm]),
		sprintf(`Tag "managed-by" of %s is "terraform", expected "steward"`, [_vm]),
		sprintf(`Tag "ring" of %s is "broad", expected "pilot"`, [_vm]),
	}
	{f.policy | some f in findings} == {"managed-tags"}
	managed_tags.policy.severity == "medium"
	{f.urn | some f in findings} == {endpoint.urn}
}

test_fail_missing_endpoint_tags if {
	findings := managed_tags.deny with input as _input("acme", [_endpoint({"tags": {"owner": "ops"}})], [])
	{f.message | some f in findings} == {
		sprintf(`Tag "client" of %s is not set, expected "acme"`, [_vm]),
		sprintf(`Tag "managed-by" of %s is not set, expected "steward"`, [_vm]),
		sprintf(`Tag "ring" of %s is not set, expected "pilot"`, [_vm]),
	}
}

test_fail_tags_field_missing if {
	endpoint := object.remove(_endpoint({"ringAssignments": [], "declaredRing": null}), ["tags"])
	findings := managed_tags.deny with input as _input("acme", [endpoint], [])
	{f.message | some f in findings} == {
		sprintf(`Tag "client" of %s is not set, expected "acme"`, [_vm]),
		sprintf(`Tag "managed-by" of %s is not set, expected "steward"`, [_vm]),
	}
}

test_fail_stack_machine_without_tags if {
	findings := managed_tags.deny with input as _input("acme", [_endpoint({"tags": null})], [])
	{f.message | some f in findings} == {sprintf(`%s carries no tags; it needs "client", "managed-by", "ring"`, [_vm])}
}

test_fail_endpoint_tags_unknown if {
	endpoint := _endpoint({"kind": "arc-machine", "tags": {"$unknown": true}})
	findings := managed_tags.deny with input as _input("acme", [endpoint], [])
	{f.message | some f in findings} == {`Arc machine "web-01" has tags unknown until apply, so they cannot be checked`}
}

test_fail_ring_tag_unknown_declared_ring if {
	endpoint := _endpoint({
		"ringAssignments": [{"urn": "urn:a", "type": "t", "scope": "machine", "ring": "/subscriptions/x/maintenanceconfigurations/other"}],
		"declaredRing": "broad",
		"tags": {"client": "acme", "managed-by": "steward", "ring": {"$unknown": true}},
	})
	findings := managed_tags.deny with input as _input("acme", [endpoint], [])
	{f.message | some f in findings} == {sprintf(`Tag "ring" of %s is unknown until apply, expected "broad"`, [_vm])}
}

test_fail_two_rings_either_name if {
	assignments := [
		{"urn": "urn:a", "type": "t", "scope": "machine", "ring": _pilot},
		{"urn": "urn:b", "type": "t", "scope": "resource-group", "ring": _broad},
	]
	endpoint := _endpoint({"ringAssignments": assignments, "tags": {"client": "acme", "managed-by": "steward", "ring": "canary"}})
	findings := managed_tags.deny with input as _input("acme", [endpoint], [])
	{f.message | some f in findings} == {sprintf(`Tag "ring" of %s is "canary", expected "broad" or "pilot"`, [_vm])}
}

test_fail_no_client_empty_value if {
	endpoint := _endpoint({"tags": {"client": " ", "managed-by": "steward", "ring": "pilot"}})
	findings := managed_tags.deny with input as _input(null, [endpoint], [])
	{f.message | some f in findings} == {sprintf(`Tag "client" of %s is " ", expected a non-empty value`, [_vm])}
}

test_fail_resource_tags if {
	findings := managed_tags.deny with input as _input("acme", [], [_resource({"client": "acme", "managed-by": "Steward"})])
	{f.message | some f in findings} == {sprintf(`Tag "managed-by" of %s is "Steward", expected "steward"`, [_extension])}
	{f.urn | some f in findings} == {_resource({}).urn}
}

test_fail_resource_without_tags if {
	findings := managed_tags.deny with input as _input("acme", [], [_resource(null)])
	{f.message | some f in findings} == {sprintf(`%s carries no tags; it needs "client", "managed-by"`, [_extension])}
}

test_fail_resource_tags_unknown if {
	findings := managed_tags.deny with input as _input("acme", [], [_resource({"$unknown": true})])
	{f.message | some f in findings} == {sprintf("%s has tags unknown until apply, so they cannot be checked", [_extension])}
}

test_fail_resource_tags_missing_field_no_client if {
	resource := object.remove(_resource(null), ["tags"])
	findings := managed_tags.deny with input as _input(null, [], [resource])
	{f.message | some f in findings} == {sprintf(`%s carries no tags; it needs "client", "managed-by"`, [_extension])}
}

# Extensions carry their tags in input.extensions (not in managedResources): those steward
# manages (antivirus, monitoring) are judged, any other extension is not.
test_fail_extension_tags if {
	antivirus := object.union(_resource({"client": "acme"}), {"role": "antivirus"})
	other := object.union(_resource({}), {"urn": "urn:other-extension", "role": "other"})
	findings := managed_tags.deny with input as object.union(_input("acme", [], []), {"extensions": [antivirus, other]})
	{f.message | some f in findings} == {sprintf(`Tag "managed-by" of %s is not set, expected "steward"`, [_extension])}
	{f.urn | some f in findings} == {antivirus.urn}
}

test_fail_extension_listed_twice_reported_once if {
	antivirus := object.union(_resource({"client": "acme"}), {"role": "antivirus"})
	input_twice := object.union(_input("acme", [], [_resource({"client": "acme"})]), {"extensions": [antivirus]})
	count(managed_tags.deny) == 1 with input as input_twice
}

# ARM gives a scale set's extensions no tags: steward cannot set them, so they are not judged. Any
# value of taggable but false is judged.
test_success_scale_set_extension_without_tags if {
	extension := {
		"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineScaleSetExtension::web-ss-antivirus",
		"type": "azure-native:compute:VirtualMachineScaleSetExtension",
		"role": "antivirus",
		"tags": null,
		"taggable": false,
	}
	count(managed_tags.deny) == 0 with input as object.union(_input("acme", [], []), {"extensions": [extension]})
}

test_fail_extension_taggable_not_false if {
	antivirus := object.union(_resource(null), {"role": "antivirus", "taggable": "no"})
	findings := managed_tags.deny with input as object.union(_input("acme", [], []), {"extensions": [antivirus]})
	{f.message | some f in findings} == {sprintf(`%s carries no tags; it needs "client", "managed-by"`, [_extension])}
}
