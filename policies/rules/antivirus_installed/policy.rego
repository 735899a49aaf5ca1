# METADATA
# title: Antivirus installed on every endpoint
# description: |
#   Every endpoint (Azure VM or Azure Arc machine) has an antivirus extension attached: Microsoft
#   Antimalware (Microsoft.Azure.Security / IaaSAntimalware, Windows only) or Defender for Endpoint
#   (Microsoft.Azure.AzureDefenderForServers / MDE.Windows or MDE.Linux). Linux endpoints can only
#   use MDE.Linux. Publisher and type are matched in any case, as Azure matches them (the
#   normalizer gives known extensions their canonical names). An antivirus extension must also not
#   suppress its failures: with suppressFailures true, Azure reports the deployment as succeeded even
#   when the extension fails to install ("failures stemming from the extension will be
#   suppressed"), so the endpoint can run with no antivirus while the stack says it has one. That is
#   this policy's question (is antivirus installed?), with its severity: critical and mandatory,
#   like a missing extension. A value unknown until apply is reported too; only false (or unset,
#   Azure's default) is compliant.
# related_resources:
#   - ref: https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Compute/VMAntimalwareExtension_DINE.json
#     description: |
#       Azure built-in 2835b622-407b-4114-9198-6f7064cbe0dc,
#       Deploy default Microsoft IaaSAntimalware extension for Windows Server
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/mde-linux-prerequisites
#     description: Defender for Endpoint on Linux
#   - ref: https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-extensions/create-or-update
#     description: Virtual Machine Extensions - Create Or Update (suppressFailures)
# custom:
#   id: antivirus-installed
#   severity: critical
#   enforcement: mandatory
#   remediation: |
#     Give the endpoint an antivirus engine in the client's baseline (antivirus.engine: antimalware
#     or defender-for-endpoint); Linux endpoints need defender-for-endpoint (MDE.Linux). Remove
#     suppressFailures from the antivirus extension (or set it to false), so a failed installation
#     fails the deployment.
package policies.rules.antivirus_installed

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Endpoint without antivirus
# description: Reports every endpoint with no antivirus extension suitable for its operating system.
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	not _protected(endpoint)
	message := _message(endpoint)
}

# METADATA
# title: Antivirus failures suppressed
# description: |
#   Reports every antivirus extension whose suppressFailures is not false or unset (true, unknown
#   until apply, anything else): a failed installation would not fail the deployment.
deny contains lib.finding(policy, extension, message) if {
	some extension in lib.antivirus_extensions
	value := object.get(extension, "suppressFailures", null)
	not _reports_failures(value)
	message := concat("", [
		lib.extension_label(_type(extension), extension), " has suppressFailures ", lib.describe(value),
		": the deployment succeeds even when the extension fails to install, leaving the endpoint without antivirus",
	])
}

_reports_failures(null)

_reports_failures(false)

_reports_failures(value) if {
	is_string(value)
	lower(value) == "false"
}

_type(extension) := extension.extensionType if is_string(extension.extensionType)

_type(extension) := "Antivirus" if not is_string(extension.extensionType)

_suitable := {
	"windows": {"IaaSAntimalware", "MDE.Windows"},
	"linux": {"MDE.Linux"},
	"unknown": {"IaaSAntimalware", "MDE.Windows", "MDE.Linux"},
}

_protected(endpoint) if {
	some extension in endpoint.antivirus
	extension.extensionType in _suitable[endpoint.os]
}

_message(endpoint) := sprintf("%s %s has no antivirus extension", [lib.kind_label[endpoint.kind], lib.quote(endpoint.name)]) if {
	count(_attached(endpoint)) == 0
}

_message(endpoint) := msg if {
	count(_attached(endpoint)) > 0
	found := concat(", ", sort([extension.extensionType | some extension in _attached(endpoint)]))
	msg := sprintf(
		"%s %s (%s) has only %s, which does not protect %s; use %s",
		[
			lib.kind_label[endpoint.kind], lib.quote(endpoint.name), endpoint.os, found, endpoint.os,
			concat(" or ", sort(_suitable[endpoint.os])),
		],
	)
}

# Missing data reads as "nothing attached", so the endpoint is reported rather than skipped.
_attached(endpoint) := object.get(endpoint, "antivirus", [])
