# METADATA
# title: Waivers and enforcement overrides are valid
# description: |
#   Every waiver in the client's configuration can be honoured, and every enforcement override
#   that lowers a policy (mandatory to advisory or disabled, advisory to disabled) is justified
#   like one. A waiver: it names a policy of the library
#   and a resource, gives a reason and an approver, has a YYYY-MM-DD expiry that has not passed,
#   is not created after the evaluation time, and runs no longer than settings.maxWaiverDays from
#   the earlier of its created date and today (so no waiver has more than the maximum left). An
#   invalid waiver suppresses nothing (the rules
#   are in policies/lib/waivers), so without this policy it would fail silently; this policy's own
#   findings are never waived. Like an Azure Policy exemption with expiresOn, or a conftest
#   exception, a waiver is a dated, accountable exception, never a permanent switch. Waiver N is
#   input.waivers[N], counting from 0. An override that lowers a policy needs the same reason,
#   approver and lifetime; without them it is not applied (the policy keeps its default
#   enforcement) and is reported here, as the resource "enforcement:<policy id>". waivers-valid
#   itself is never lowered.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/governance/policy/concepts/exemption-structure
#     description: Azure Policy exemptions (expiresOn, exemptionCategory)
#   - ref: https://www.conftest.dev/exceptions/
#     description: conftest exceptions
# custom:
#   id: waivers-valid
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     Fix the waiver (steward:waivers) or the enforcement override (steward:policy.enforcement:
#     level, reason, approver, created, expires) in the client's stack file: name an existing
#     policy id and, for a waiver, the resource's URN (or "*"); give a reason and an approver; set
#     created to the day it was granted (not a later one) and expires to a YYYY-MM-DD date no more
#     than maxWaiverDays after it and after today; remove those that have expired.
package policies.rules.waivers_valid

import data.policies.lib
import data.policies.lib.waivers

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Invalid waiver
# description: Reports every waiver that suppresses nothing, with all its problems.
deny contains lib.finding(policy, _subject(index, waiver), msg) if {
	some index, waiver in input.waivers
	problems := waivers.problems[index]
	msg := sprintf("waiver %d for %s on %s is not applied: %s", [
		index,
		lib.describe(object.get(waiver, "policy", "")),
		lib.describe(object.get(waiver, "resource", "")),
		concat("; ", sort(problems)),
	])
}

# METADATA
# title: Override not applied
# description: |
#   Reports every enforcement override that would lower its policy but is not applied (the policy
#   keeps its default), with all its problems.
deny contains lib.finding(policy, {"urn": concat("", ["enforcement:", id]), "type": "steward:enforcement-override"}, msg) if {
	some id, problems in waivers.override_problems
	msg := concat("", [
		"enforcement override of ", lib.quote(id),
		" to ", lib.describe(object.get(input.settings.enforcement[id], "level", null)),
		" is not applied", _stays(id), ": ",
		concat("; ", sort(problems)),
	])
}

# Findings need a urn; a waiver without a resource is named by its position.
_subject(index, waiver) := {"urn": _urn(index, waiver), "type": "steward:waiver"}

_urn(_, waiver) := waiver.resource if _names_resource(waiver)

_urn(index, waiver) := sprintf("waiver:%d", [index]) if not _names_resource(waiver)

_names_resource(waiver) if trim_space(waiver.resource) != ""

_stays(id) := concat("", [" (the policy stays ", waivers.default_enforcement[id], ")"])

_stays(id) := "" if not waivers.default_enforcement[id]
