package policies.rules.patch_orchestration_test

import data.policies.rules.patch_orchestration

_customer_managed := {
	"patchMode": "AutomaticByPlatform",
	"assessmentMode": "AutomaticByPlatform",
	"bypassPlatformSafetyChecksOnUserSchedule": true,
	"rebootSetting": "IfRequired",
}

_vm(settings) := {
	"urn": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01",
	"type": "azure-native:compute:VirtualMachine",
	"name": "web-01",
	"kind": "azure-vm",
	"patchSettings": settings,
}

_arc(settings) := {
	"urn": "urn:pulumi:acme::steward::azure-native:hybridcompute:Machine::files-01",
	"type": "azure-native:hybridcompute:Machine",
	"name": "files-01",
	"kind": "arc-machine",
	"patchSettings": settings,
}

_messages(findings) := {finding.message | some finding in findings}

test_success_customer_managed_schedules if {
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(_customer_managed)]}
	messages == set()
}

# osProfile.linuxConfiguration.patchSettings of VirtualMachine_Create_LinuxVmWithAutomaticByPlatformSettings.json.
test_success_rest_example_linux if {
	settings := {
		"patchMode": "AutomaticByPlatform", "assessmentMode": "AutomaticByPlatform",
		"bypassPlatformSafetyChecksOnUserSchedule": true, "rebootSetting": "Never",
	}
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(settings)]}
	messages == set()
}

test_success_string_true_and_any_case if {
	settings := object.union(_customer_managed, {"patchMode": "automaticByPlatform", "bypassPlatformSafetyChecksOnUserSchedule": "True"})
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(settings)]}
	messages == set()
}

test_success_arc_needs_only_assessment if {
	settings := {
		"patchMode": null, "assessmentMode": "AutomaticByPlatform",
		"bypassPlatformSafetyChecksOnUserSchedule": null, "rebootSetting": null,
	}
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_arc(settings)]}
	messages == set()
}

test_success_settings_not_visible if {
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(null), _arc(null)]}
	messages == set()
}

# osProfile.windowsConfiguration.patchSettings of VirtualMachine_Create_WindowsVmWithAutomaticByPlatformSettings.json.
test_fail_rest_example_windows if {
	settings := {
		"patchMode": "AutomaticByPlatform", "assessmentMode": "AutomaticByPlatform",
		"bypassPlatformSafetyChecksOnUserSchedule": false, "rebootSetting": "Never",
	}
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(settings)]}
	messages == {`Azure VM "web-01" bypassPlatformSafetyChecksOnUserSchedule is false; it must be true so its update ring patches it`}
}

test_fail_os_orchestrated_vm if {
	settings := {
		"patchMode": "AutomaticByOS", "assessmentMode": "ImageDefault",
		"bypassPlatformSafetyChecksOnUserSchedule": null, "rebootSetting": null,
	}
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(settings)]}
	messages == {
		`Azure VM "web-01" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it`,
		`Azure VM "web-01" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it`,
		`Azure VM "web-01" assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily`,
	}
}

test_fail_arc_without_periodic_assessment if {
	settings := {
		"patchMode": null, "assessmentMode": "ImageDefault",
		"bypassPlatformSafetyChecksOnUserSchedule": null, "rebootSetting": null,
	}
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_arc(settings)]}
	messages == {
		`Arc machine "files-01" assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily`,
	}
}

test_fail_unknown_until_apply if {
	unknown := {"$unknown": true}
	settings := object.union(_customer_managed, {"patchMode": unknown, "bypassPlatformSafetyChecksOnUserSchedule": unknown})
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [_vm(settings)]}
	messages == {
		`Azure VM "web-01" patchMode is unknown until apply; it must be "AutomaticByPlatform" so its update ring patches it`,
		`Azure VM "web-01" bypassPlatformSafetyChecksOnUserSchedule is unknown until apply; it must be true so its update ring patches it`,
	}
}

test_fail_missing_patch_settings_field if {
	endpoint := object.remove(_vm(null), ["patchSettings"])
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": [endpoint]}
	messages == {
		`Azure VM "web-01" patchMode is not set; it must be "AutomaticByPlatform" so its update ring patches it`,
		`Azure VM "web-01" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it`,
		`Azure VM "web-01" assessmentMode is not set; it must be "AutomaticByPlatform" so missing updates are assessed daily`,
	}
}

test_fail_endpoint_without_kind_held_to_vm_rules if {
	endpoint := object.remove(_vm({"assessmentMode": "AutomaticByPlatform", "patchMode": "Manual"}), ["kind", "name"])
	findings := patch_orchestration.deny with input as {"endpoints": [endpoint]}
	_messages(findings) == {
		concat("", [
			`Endpoint "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01" patchMode is "Manual"; `,
			`it must be "AutomaticByPlatform" so its update ring patches it`,
		]),
		concat("", [
			`Endpoint "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01" `,
			`bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it`,
		]),
	}
	patch_orchestration.policy.severity == "high"
	{[f.policy, f.type] | some f in findings} == {["patch-orchestration", "azure-native:compute:VirtualMachine"]}
}

_image_defaults := {
	"patchMode": "AutomaticByOS", "assessmentMode": "ImageDefault",
	"bypassPlatformSafetyChecksOnUserSchedule": null, "rebootSetting": null,
}

_scale_set(settings, automatic) := {
	"urn": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachineScaleSet::web-ss",
	"type": "azure-native:compute:VirtualMachineScaleSet",
	"name": "web-ss",
	"kind": "vm-scale-set",
	"patchSettings": settings,
	"osImageUpgrade": {"automatic": automatic, "upgradeMode": "Automatic"},
}

test_success_scale_sets_not_judged_here if {
	endpoints := [_scale_set(_image_defaults, true), _scale_set(_image_defaults, false)]
	messages := _messages(patch_orchestration.deny) with input as {"endpoints": endpoints}
	messages == set()
}
