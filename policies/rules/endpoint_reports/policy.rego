# METADATA
# title: Endpoint reports to Azure Monitor
# description: |
#   Every endpoint (Azure VM or Azure Arc machine) runs the Azure Monitor Agent for its operating
#   system (AzureMonitorWindowsAgent on Windows, AzureMonitorLinuxAgent on Linux, either when the
#   operating system is unknown) and is associated with at least one data collection rule, without
#   which the agent collects nothing. An association whose rule id is unknown until apply counts:
#   the normalizer leaves it unknown only when propertyDependencies tie it to a data collection rule
#   of the stack. An association that names no rule does not count.
# related_resources:
#   - ref: https://www.azadvertizer.net/azpolicyadvertizer/c02729e5-e5e7-4458-97fa-2b5ad0661f28.html
#     description: |
#       Azure built-in c02729e5-e5e7-4458-97fa-2b5ad0661f28, Windows virtual machines should have
#       Azure Monitor Agent installed (deployed by ca817e41-e85a-4783-bc7f-dc532d36235e)
#   - ref: https://www.azadvertizer.net/azpolicyadvertizer/1afdc4b6-581a-45fb-b630-f1e6051e3e7a.html
#     description: |
#       Azure built-in 1afdc4b6-581a-45fb-b630-f1e6051e3e7a, Linux virtual machines should have
#       Azure Monitor Agent installed
#   - ref: https://www.azadvertizer.net/azpolicyadvertizer/244efd75-0d92-453c-b9a3-7d73ca36ed52.html
#     description: |
#       Azure built-in 244efd75-0d92-453c-b9a3-7d73ca36ed52, Configure Windows Virtual Machines to
#       be associated with a Data Collection Rule or a Data Collection Endpoint
#   - ref: https://www.azadvertizer.net/azpolicyadvertizer/2ea82cdd-f2e8-4500-af75-67a2e084ca74.html
#     description: |
#       Azure built-in 2ea82cdd-f2e8-4500-af75-67a2e084ca74, Configure Linux Machines to be
#       associated with a Data Collection Rule or a Data Collection Endpoint
#   - ref: https://learn.microsoft.com/en-us/azure/azure-monitor/agents/azure-monitor-agent-overview
#     description: Azure Monitor Agent overview
# custom:
#   id: endpoint-reports
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     Keep monitoring enabled for the endpoint in the client's baseline so it gets the Azure Monitor
#     Agent extension for its operating system and a data collection rule association naming the
#     client's data collection rule.
package policies.rules.endpoint_reports

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Endpoint without Azure Monitor Agent
# description: Reports every endpoint with no Azure Monitor Agent extension suitable for its operating system.
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	suitable := object.get(_agents, object.get(endpoint, "os", "unknown"), _agents.unknown)
	not _has_agent(endpoint, suitable)
	message := sprintf(
		"%s has no Azure Monitor Agent (%s), so it does not report to Azure Monitor",
		[lib.endpoint_label(endpoint), concat(" or ", sort(suitable))],
	)
}

# METADATA
# title: Endpoint without data collection rule
# description: Reports every endpoint with no data collection rule association that names a rule.
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	not _has_rule(endpoint)
	message := sprintf("%s is not associated with a data collection rule, so its agent collects nothing", [lib.endpoint_label(endpoint)])
}

_agents := {
	"windows": {"AzureMonitorWindowsAgent"},
	"linux": {"AzureMonitorLinuxAgent"},
	"unknown": {"AzureMonitorWindowsAgent", "AzureMonitorLinuxAgent"},
}

# Missing lists read as empty, so the endpoint is reported rather than skipped.
_has_agent(endpoint, suitable) if {
	some agent in object.get(endpoint, "monitoringAgents", [])
	agent.extensionType in suitable
}

_has_rule(endpoint) if {
	some association in object.get(endpoint, "dataCollectionRuleAssociations", [])
	_names_rule(object.get(association, "rule", null))
}

_names_rule(rule) if lib.is_unknown(rule)

_names_rule(rule) if {
	is_string(rule)
	trim_space(rule) != ""
}
