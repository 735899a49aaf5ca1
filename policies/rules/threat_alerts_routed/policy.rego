# METADATA
# title: Threat alerts reach whoever answers for antivirus
# description: |
#   "Is it catching any threats you should know about?" needs someone who hears about them. The
#   stack routes antivirus threat alerts through an enabled Azure Monitor action group or Defender
#   for Cloud security contact with at least one recipient, and, when the client's baseline says
#   who answers for antivirus, the recipients include a contact of that party: the MSP's, the
#   client's own staff's, or both when the responsibility is shared.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications
#     description: Defender for Cloud e-mail notifications for security alerts
#   - ref: https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/action-groups
#     description: Azure Monitor action groups
# custom:
#   id: threat-alerts-routed
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     List the contacts of whoever answers for antivirus (client.responsibilities.antivirus) in
#     client.contacts; the baseline routes threat alerts to them through its action group and
#     security contact. Keep those resources enabled.
package policies.rules.threat_alerts_routed

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: No threat alert route
# description: Reports a stack in which no enabled notification resource has a recipient.
deny contains lib.finding(policy, _stack, message) if {
	lib.protects_something
	count(_routed_recipients) == 0
	message := "no enabled action group or security contact sends threat alerts to anyone"
}

# METADATA
# title: Responsible party not alerted
# description: Reports each party that answers for antivirus but receives no threat alert.
deny contains lib.finding(policy, _stack, message) if {
	count(_routed_recipients) > 0
	some side in _responsible_sides
	contacts := {lower(address) | some address in object.get(input.baseline.contacts, side, [])}
	count(contacts & _routed_recipients) == 0
	message := sprintf(
		"threat alerts reach %s but no %s contact, though the %s answers for antivirus (%s)",
		[concat(", ", sort(_routed_recipients)), _side_label[side], _side_label[side], input.baseline.responsibilities.antivirus],
	)
}

# METADATA
# title: Unverifiable notification
# description: Reports a notification resource whose recipients are not known until apply.
deny contains lib.finding(policy, notification, message) if {
	some notification in input.notifications
	not is_array(notification.recipients)
	message := sprintf("the recipients of %s are %s, so threat alert routing cannot be checked", [
		lib.quote(lib.resource_name(notification.urn)),
		lib.describe(notification.recipients),
	])
}

_routed_recipients contains lower(address) if {
	some notification in input.notifications
	lib.enabled(_switch(notification))
	is_array(notification.recipients)
	some address in notification.recipients
}

# Security contacts say "On" where action groups say true.
_switch(notification) if notification.enabled == "On"

_switch(notification) := notification.enabled if notification.enabled != "On"

_responsible_sides contains "msp" if input.baseline.responsibilities.antivirus in {"msp", "shared"}

_responsible_sides contains "client" if input.baseline.responsibilities.antivirus in {"client", "shared"}

_side_label := {"msp": "MSP", "client": "client"}

_stack := {
	"urn": sprintf("stack:%s/%s", [input.stack.project, input.stack.stack]),
	"type": "pulumi:pulumi:Stack",
}
