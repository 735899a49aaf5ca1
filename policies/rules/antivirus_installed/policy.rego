# METADATA
# title: Antivirus installed on every endpoint
# description: |
#   Every endpoint (Azure VM or Azure Arc machine) has an antivirus extension attached: Microsoft
#   Antimalware (Microsoft.Azure.Security / IaaSAntimalware, Windows only) or Defender for Endpoint
#   (Microsoft.Azure.AzureDefenderForServers / MDE.Windows or MDE.Linux). Linux endpoints can only
#   use MDE.Linux.
# related_resources:
#   - ref: https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Compute/VMAntimalwareExtension_DINE.json
#     description: |
#       Azure built-in 2835b622-407b-4114-9198-6f7064cbe0dc,
#       Deploy default Microsoft IaaSAntimalware extension for Windows Server
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/mde-linux-prerequisites
#     description: Defender for Endpoint on Linux
# custom:
#   id: antivirus-installed
#   severity: critical
#   enforcement: mandatory
#   remediation: |
#     Give the endpoint an antivirus engine in the client's baseline (antivirus.engine: antimalware
#     or defender-for-endpoint); Linux endpoints need defender-for-endpoint (MDE.Linux).
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
