# The benchmark's conftest policy: steward's antivirus-installed check, written directly over the
# raw `pulumi preview --json` document, as a team using conftest alone would write it. It is
# comparable to one of steward's twelve policies on the after-state only: no before/after
# labelling, no endpoint joins through propertyDependencies or parents, no Arc/VM handler
# normalization beyond the two shapes below, no declared baseline, waivers or enforcement.
package main

removing := {"delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"}

extension_types := {"azure-native:compute:VirtualMachineExtension", "azure-native:hybridcompute:MachineExtension"}

antivirus_handlers := {
	"microsoft.azure.security/iaasantimalware",
	"microsoft.azure.azuredefenderforservers/mde.windows",
	"microsoft.azure.azuredefenderforservers/mde.linux",
}

# Every VM or Arc extension in the state after the change, with the machine it is attached to.
extensions contains {"machine": machine, "handler": handler} if {
	some step in input.steps
	not removing[step.op]
	state := step.newState
	extension_types[state.type]
	machine := machine_of(state.inputs)
	handler := handler_of(state)
}

machine_of(inputs) := lower(concat("/", [inputs.resourceGroupName, inputs.vmName])) if inputs.vmName

machine_of(inputs) := lower(concat("/", [inputs.resourceGroupName, inputs.machineName])) if inputs.machineName

handler_of(state) := lower(concat("/", [state.inputs.publisher, state.inputs.type])) if {
	state.type == "azure-native:compute:VirtualMachineExtension"
}

handler_of(state) := lower(concat("/", [state.inputs.properties.publisher, state.inputs.properties.type])) if {
	state.type == "azure-native:hybridcompute:MachineExtension"
}

machines := {extension.machine | some extension in extensions}

protected := {extension.machine | some extension in extensions; antivirus_handlers[extension.handler]}

deny contains sprintf("machine %s has no antivirus extension", [machine]) if {
	some machine in machines
	not protected[machine]
}
