# METADATA
# title: Every machine is of a type steward understands
# description: |
#   steward answers the managed-endpoint questions for Azure VMs, Azure Arc machines and virtual
#   machine scale sets, from @pulumi/azure-native (every API version) and the classic
#   @pulumi/azure provider. A resource whose type names a machine that steward does not understand
#   (a DevTest Labs VM, an Azure Stack HCI or VMware vSphere machine, a provider steward does not
#   read) runs an operating system nobody can show is protected, patched or reporting: it is
#   reported, never skipped.
# related_resources:
#   - ref: https://www.pulumi.com/registry/packages/azure-native/
#     description: The azure-native provider's resource types
# custom:
#   id: machine-type-recognized
#   severity: critical
#   enforcement: mandatory
#   remediation: |
#     Create the machine as an Azure VM, Arc machine or scale set (azure-native or the classic
#     azure provider) so steward can judge it, or manage it outside this stack and waive this
#     policy for the resource with a reason, an approver and an expiry.
package policies.rules.machine_type_recognized

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Machine of an unrecognized type
# description: Reports every resource whose type names a machine steward cannot judge.
deny contains lib.finding(policy, machine, message) if {
	some machine in object.get(input, "unrecognizedMachines", [])
	message := concat("", [
		lib.quote(lib.resource_name(machine.urn)), " (", machine.type,
		") is a machine steward cannot judge: nobody can show its antivirus, patching or monitoring",
	])
}
