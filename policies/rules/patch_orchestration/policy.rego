# METADATA
# title: Patch orchestration follows the update ring
# description: |
#   Every endpoint whose patch settings the stack can see lets its update ring do the patching and
#   is assessed for missing updates. Azure VMs use Customer Managed Schedules: patchMode
#   AutomaticByPlatform with bypassPlatformSafetyChecksOnUserSchedule true, the prerequisite for a
#   maintenance configuration to patch an Azure VM (without it, Azure either refuses the schedule
#   or autopatches the VM on its own schedule). Every endpoint
#   (VM or Arc machine) uses assessmentMode AutomaticByPlatform, so missing updates are assessed
#   every 24 hours. Scale sets are not judged here: Azure patches them by automatic OS image
#   upgrades, which endpoint-in-one-ring requires. Endpoints whose patchSettings is null (machines the stack only references,
#   such as Arc machines it does not own) are not judged here: the stack cannot see their settings.
# related_resources:
#   - ref: https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions/Azure%20Update%20Manager
#     description: |
#       Azure built-ins 9905ca54-1471-49c6-8291-7582c04cd4d4 (AzUpdateMgmtCenter_CustomerManagedSchedules_DINE.json),
#       Set prerequisite for Scheduling recurring updates on Azure virtual machines, and
#       bd876905-5b84-4f73-ab2d-2e7a7c4568d9 (AzUpdateMgmtCenter_AutoAssessmentMode_Audit.json),
#       Machines should be configured to periodically check for missing system updates
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/prerequsite-for-schedule-patching
#     description: Configure schedule patching on Azure VMs (Customer Managed Schedules)
# custom:
#   id: patch-orchestration
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     In the VM's osProfile (windowsConfiguration or linuxConfiguration) patchSettings, set
#     patchMode and assessmentMode to AutomaticByPlatform and
#     automaticByPlatformSettings.bypassPlatformSafetyChecksOnUserSchedule to true; on Arc
#     machines set osProfile patchSettings assessmentMode to AutomaticByPlatform.
package policies.rules.patch_orchestration

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: VM not on Customer Managed Schedules
# description: Reports every visible Azure VM whose patchMode is not AutomaticByPlatform.
deny contains lib.finding(policy, endpoint, msg) if {
	some endpoint in input.endpoints
	_azure_vm(endpoint)
	value := object.get(_settings(endpoint), "patchMode", null)
	not _automatic_by_platform(value)
	msg := sprintf(
		"%s patchMode is %s; it must be \"AutomaticByPlatform\" so its update ring patches it",
		[lib.endpoint_label(endpoint), lib.describe(value)],
	)
}

# METADATA
# title: VM patched on Azure's schedule
# description: Reports every visible Azure VM whose bypassPlatformSafetyChecksOnUserSchedule is not true.
deny contains lib.finding(policy, endpoint, msg) if {
	some endpoint in input.endpoints
	_azure_vm(endpoint)
	value := object.get(_settings(endpoint), "bypassPlatformSafetyChecksOnUserSchedule", null)
	not lib.enabled(value)
	msg := sprintf(
		"%s bypassPlatformSafetyChecksOnUserSchedule is %s; it must be true so its update ring patches it",
		[lib.endpoint_label(endpoint), lib.describe(value)],
	)
}

# METADATA
# title: Missing updates not assessed
# description: Reports every visible endpoint whose assessmentMode is not AutomaticByPlatform.
deny contains lib.finding(policy, endpoint, msg) if {
	some endpoint in input.endpoints
	value := object.get(_settings(endpoint), "assessmentMode", null)
	not _automatic_by_platform(value)
	msg := sprintf(
		"%s assessmentMode is %s; it must be \"AutomaticByPlatform\" so missing updates are assessed daily",
		[lib.endpoint_label(endpoint), lib.describe(value)],
	)
}

# Null means the stack cannot see the machine's settings; a missing field is judged as empty.
_settings(endpoint) := settings if {
	not endpoint.kind == "vm-scale-set"
	settings := object.get(endpoint, "patchSettings", {})
	settings != null
}

# Arc machines have no patch mode; anything not known to be one is held to the VM rules.
_azure_vm(endpoint) if object.get(endpoint, "kind", null) != "arc-machine"

_automatic_by_platform(value) if lower(value) == "automaticbyplatform"
