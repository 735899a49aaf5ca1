# METADATA
# title: Patch orchestration the stack cannot verify
# description: |
#   Patch orchestration (patchMode, the bypass flag, assessmentMode) is a setting of the machine
#   resource itself, and so is a scale set's automatic OS image upgrade (its upgradePolicy), the
#   way Azure patches a scale set. A baseline that attaches to existing machines does not own them,
#   so it can neither set nor see those settings: rather than count such machines as compliant,
#   this policy names each one. patch-orchestration judges every VM and Arc machine the stack does
#   own, endpoint-in-one-ring every scale set it owns.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/prerequsite-for-schedule-patching
#     description: Prerequisites for scheduled patching (patch orchestration on the machine)
# custom:
#   id: patch-orchestration-unverified
#   severity: low
#   enforcement: advisory
#   remediation: |
#     Check the machine's patch settings, or the scale set's upgrade policy, from outside the stack
#     (steward coverage on an Azure Resource Graph export, which includes them), or bring the
#     machine into a stack that manages it (pulumi import) so patch-orchestration (for a scale set,
#     endpoint-in-one-ring) can judge it.
package policies.rules.patch_orchestration_unverified

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Machine outside the stack
# description: |
#   Reports every VM and Arc machine whose patch settings the stack cannot see, and every scale
#   set whose upgrade policy it cannot see.
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	object.get(endpoint, _visible_setting[endpoint.kind], null) == null
	message := concat("", [lib.kind_label[endpoint.kind], " ", lib.quote(endpoint.name), _not_verified[endpoint.kind]])
}

# What says how each kind of endpoint is patched, when the stack can see it.
_visible_setting := {"azure-vm": "patchSettings", "arc-machine": "patchSettings", "vm-scale-set": "osImageUpgrade"}

# One finding per machine the stack references, often most of a fleet: concat, because under
# wasm sprintf is a call out to JavaScript with its arguments serialized.
_not_verified := {
	"azure-vm": _patch_not_verified,
	"arc-machine": _patch_not_verified,
	"vm-scale-set": concat("", [
		" is not managed by this stack, so whether it upgrades its OS image automatically ",
		"(upgradePolicy.automaticOSUpgradePolicy), the way Azure patches a scale set, is not verified here",
	]),
}

_patch_not_verified := " is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here"
