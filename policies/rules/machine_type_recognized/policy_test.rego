package policies.rules.machine_type_recognized_test

import data.policies.rules.machine_type_recognized

test_success_no_unrecognized_machines if {
	count(machine_type_recognized.deny) == 0 with input as {"unrecognizedMachines": []}
}

test_success_field_absent if {
	count(machine_type_recognized.deny) == 0 with input as {}
}

test_fail_devtest_lab_vm if {
	machine := {
		"urn": "urn:pulumi:acme::steward::azure-native:devtestlab:VirtualMachine::lab-01",
		"type": "azure-native:devtestlab:VirtualMachine",
	}
	findings := machine_type_recognized.deny with input as {"unrecognizedMachines": [machine]}
	{[f.urn, f.message] | some f in findings} == {[
		machine.urn,
		concat("", [
			`"lab-01" (azure-native:devtestlab:VirtualMachine) is a machine steward cannot judge: `,
			"nobody can show its antivirus, patching or monitoring",
		]),
	]}
	machine_type_recognized.policy.severity == "critical"
	machine_type_recognized.policy.enforcement == "mandatory"
}
