# METADATA
# title: Every endpoint in exactly one update ring
# description: |
#   Every endpoint (Azure VM or Azure Arc machine) is assigned to exactly one update ring: a
#   maintenance configuration of scope InGuestPatch that this stack contains, so that its patch
#   schedule is known and checked. The normalizer resolves every configuration assignment that
#   reaches the machine (machine scope, and resource-group or subscription dynamic scopes whose
#   filter matches it) into endpoint.ringAssignments. An endpoint in no ring is never patched on a
#   schedule; one in two rings is patched by whichever window opens first, which defeats staging;
#   an assignment whose configuration is unresolved, outside the stack or of another maintenance
#   scope leaves the schedule unknown. A scale set is the exception: in-guest schedules do not
#   patch scale sets (the Guest scope supports VMs and Arc machines only); Azure patches one by
#   automatic OS image upgrades (upgradePolicy.automaticOSUpgradePolicy), which an OSImage
#   maintenance configuration may schedule. A scale set must upgrade its image automatically and
#   may be in at most one OSImage configuration. A scale set the stack only references (its
#   osImageUpgrade is null) is not judged on its upgrades, which the stack can neither set nor
#   see, just as patch-orchestration does not judge a referenced VM's patch settings:
#   patch-orchestration-unverified names it, and steward coverage checks it in Azure's inventory.
# related_resources:
#   - ref: https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions/Azure%20Update%20Manager
#     description: |
#       Azure built-in ba0df93e-e4ac-479a-aac2-134bbae39a1a (AzUpdateMgmtCenter_ScheduledPatching_DINE.json),
#       Schedule recurring updates using Azure Update Manager
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/scheduled-patching
#     description: Scheduling recurring updates in Azure Update Manager
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/dynamic-scope-overview
#     description: Dynamic scoping of maintenance configuration assignments
#   - ref: https://learn.microsoft.com/en-us/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-automatic-upgrade
#     description: Automatic OS image upgrades for scale sets
#   - ref: https://learn.microsoft.com/en-us/azure/virtual-machines/maintenance-configurations
#     description: Maintenance configuration scopes (Guest for VMs and Arc machines, OS image for scale sets)
# custom:
#   id: endpoint-in-one-ring
#   severity: critical
#   enforcement: mandatory
#   remediation: |
#     Give the endpoint exactly one ring in the client's baseline (endpoints[].ring), and remove
#     extra configuration assignments or dynamic scopes that also match it. Rings must be
#     maintenance configurations of this stack with maintenanceScope InGuestPatch. A scale set
#     turns on upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade instead, optionally
#     scheduled by one OSImage maintenance configuration.
package policies.rules.endpoint_in_one_ring

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Endpoint not in exactly one ring
# description: |
#   Reports every endpoint assigned to no update ring or to more than one (a scale set needs no
#   ring, but may not be in two).
deny contains lib.finding(policy, endpoint, _count_message(endpoint)) if {
	some endpoint in input.endpoints
	not _in_one_ring(endpoint)
	not _scale_set_in_no_ring(endpoint)
}

# METADATA
# title: Scale set not patched
# description: |
#   Reports every scale set whose upgrade policy the stack can see that does not upgrade its OS
#   image automatically (a missing osImageUpgrade is judged as not upgrading).
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	_scale_set(endpoint)
	upgrade := object.get(endpoint, "osImageUpgrade", {})
	upgrade != null
	value := object.get(upgrade, "automatic", null)
	not lib.enabled(value)
	message := concat("", [
		lib.endpoint_label(endpoint), " does not upgrade its OS image automatically (enableAutomaticOSUpgrade is ",
		lib.describe(value), "); Azure patches a scale set only that way, never by an in-guest update ring",
	])
}

# METADATA
# title: Ring whose schedule cannot be checked
# description: |
#   Reports every assignment of an endpoint whose target is not a maintenance configuration of
#   this stack of the endpoint's scope (InGuestPatch; OSImage for a scale set): unresolved,
#   outside the stack, or of another maintenance scope.
deny contains lib.finding(policy, endpoint, _target_message(endpoint, assignment, target)) if {
	some endpoint in input.endpoints
	some assignment in _assignments(endpoint)
	target := object.get(assignment, "ring", null)
	not _patch_ring(target, endpoint)
}

# Built once as a complete object (not a partial rule, which the Go interpreter evaluates per
# looked-up key): one lookup per assignment keeps the policy linear in endpoints.
# regal ignore:prefer-set-or-object-rule
_rings := {ring.urn: ring | some ring in input.rings}

# Missing data reads as "no assignment", so the endpoint is reported rather than skipped.
_assignments(endpoint) := object.get(endpoint, "ringAssignments", [])

# Distinct targets: the same ring reached at machine and dynamic scope is still one ring.
_targets(endpoint) := {object.get(assignment, "ring", null) | some assignment in _assignments(endpoint)}

_in_one_ring(endpoint) if count(_targets(endpoint)) == 1

_scale_set(endpoint) if endpoint.kind == "vm-scale-set"

_scale_set_in_no_ring(endpoint) if {
	_scale_set(endpoint)
	count(_targets(endpoint)) == 0
}

# The maintenance scope that patches each kind of endpoint: an OSImage configuration schedules a
# scale set's automatic OS image upgrades.
_scope(endpoint) := "OSImage" if _scale_set(endpoint)

_scope(endpoint) := "InGuestPatch" if not _scale_set(endpoint)

# Each ring's scope in lower case, once: compared per assignment.
# regal ignore:prefer-set-or-object-rule
_ring_scopes := {urn: lower(ring.maintenanceScope) | some urn, ring in _rings}

_patch_ring(target, endpoint) if _ring_scopes[target] == _scope_key[object.get(endpoint, "kind", null) == "vm-scale-set"]

_scope_key := {true: "osimage", false: "inguestpatch"}

_count_message(endpoint) := sprintf("%s is in no update ring", [lib.endpoint_label(endpoint)]) if count(_targets(endpoint)) == 0

_count_message(endpoint) := msg if {
	targets := _targets(endpoint)
	count(targets) > 1
	names := concat(", ", sort([_target_name(target) | some target in targets]))
	msg := sprintf("%s is in %d update rings (%s)", [lib.endpoint_label(endpoint), count(targets), names])
}

_target_message(endpoint, assignment, target) := msg if {
	not is_string(target)
	msg := sprintf(
		"%s has update-ring assignment %s whose maintenance configuration cannot be resolved (%s)",
		[lib.endpoint_label(endpoint), lib.quote(lib.resource_name(object.get(assignment, "urn", ""))), lib.describe(target)],
	)
}

_target_message(endpoint, _, target) := msg if {
	is_string(target)
	not _rings[target]
	msg := sprintf(
		"%s is assigned to maintenance configuration %s which this stack does not contain, so its schedule cannot be checked",
		[lib.endpoint_label(endpoint), lib.quote(target)],
	)
}

_target_message(endpoint, _, target) := msg if {
	ring := _rings[target]
	msg := sprintf(
		"%s is assigned to ring %s whose maintenance scope is %s, not %s",
		[
			lib.endpoint_label(endpoint), lib.quote(_ring_name(target)),
			lib.describe(object.get(ring, "maintenanceScope", null)), lib.quote(_scope(endpoint)),
		],
	)
}

_target_name(target) := lib.quote(_ring_name(target)) if is_string(target)

_target_name(target) := "an unresolved configuration" if not is_string(target)

_ring_name(target) := object.get(object.get(_rings, target, {}), "name", target)
