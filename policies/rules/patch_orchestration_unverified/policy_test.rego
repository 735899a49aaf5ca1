package policies.rules.patch_orchestration_unverified_test

import data.policies.rules.patch_orchestration_unverified

_endpoint(name, kind, patch_settings) := {
	"urn": sprintf("endpoint:%s", [name]),
	"type": "azure-native:compute:VirtualMachine",
	"name": name,
	"kind": kind,
	"patchSettings": patch_settings,
}

test_success_machine_in_stack if {
	doc := {"endpoints": [_endpoint("web-01", "azure-vm", {"patchMode": "Manual"})]}
	count(patch_orchestration_unverified.deny) == 0 with input as doc
}

test_fail_referenced_machines if {
	doc := {"endpoints": [_endpoint("web-01", "azure-vm", null), _endpoint("files-01", "arc-machine", null)]}
	findings := patch_orchestration_unverified.deny with input as doc
	{f.message | some f in findings} == {
		`Azure VM "web-01" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`,
		`Arc machine "files-01" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`,
	}
	{f.enforcement | some f in findings} == {"advisory"}
}

_scale_set(os_image_upgrade) := object.union(_endpoint("web-ss", "vm-scale-set", null), {
	"type": "azure-native:compute:VirtualMachineScaleSet",
	"osImageUpgrade": os_image_upgrade,
})

test_fail_referenced_scale_set if {
	findings := patch_orchestration_unverified.deny with input as {"endpoints": [_scale_set(null)]}
	{f.message | some f in findings} == {concat("", [
		`Scale set "web-ss" is not managed by this stack, so whether it upgrades its OS image automatically `,
		"(upgradePolicy.automaticOSUpgradePolicy), the way Azure patches a scale set, is not verified here",
	])}
}

# A scale set is patched by its image upgrades, not by patch settings: visible upgrades are enough.
test_success_scale_set_in_stack if {
	doc := {"endpoints": [_scale_set({"automatic": false, "upgradeMode": "Manual"})]}
	count(patch_orchestration_unverified.deny) == 0 with input as doc
}
