# METADATA
# title: Patch orchestration the stack cannot verify
# description: |
#   Patch orchestration (patchMode, the bypass flag, assessmentMode) is a setting of the machine
#   resource itself. A baseline that attaches to existing machines does not own them, so it can
#   neither set nor see those settings: rather than count such machines as compliant, this policy
#   names each one. The patch-orchestration policy judges every machine the stack does own.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/prerequsite-for-schedule-patching
#     description: Prerequisites for scheduled patching (patch orchestration on the machine)
# custom:
#   id: patch-orchestration-unverified
#   severity: low
#   enforcement: advisory
#   remediation: |
#     Check the machine's patch settings from outside the stack (steward coverage on an Azure
#     Resource Graph export, which includes them), or bring the machine into a stack that manages
#     it (pulumi import) so patch-orchestration can judge it.
package policies.rules.patch_orchestration_unverified

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Machine outside the stack
# description: Reports every endpoint whose patch settings the stack cannot see.
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	object.get(endpoint, "patchSettings", null) == null
	message := concat("", [lib.kind_label[endpoint.kind], " ", lib.quote(endpoint.name), _not_verified])
}

# One finding per machine the stack references, often most of a fleet: concat, because under
# wasm sprintf is a call out to JavaScript with its arguments serialized.
_not_verified := " is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here"
