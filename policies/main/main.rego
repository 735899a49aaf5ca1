# METADATA
# title: Evaluation entrypoints
# description: |
#   Collects the findings of every policy package under data.policies.rules, applies the
#   client's enforcement overrides (a lowering one only when justified, policies/lib/waivers) and
#   valid waivers, and publishes the policy catalog. The
#   TypeScript engine evaluates these entrypoints once per document.
package policies.main

import data.policies.lib.waivers

# METADATA
# title: Policy catalog
# description: Every policy's descriptor (id, title, severity, default enforcement, remediation, references), by id.
# entrypoint: true
catalog := {descriptor.id: descriptor |
	# An object comprehension, not `catalog[id] := ...`: OPA 1.22 panics building the annotation
	# set for an entrypoint rule whose ref head has a variable (.regal/config.yaml exempts this file).
	some name
	descriptor := data.policies.rules[name].policy
}

# METADATA
# title: Report
# description: |
#   Every finding of every enabled policy, with its effective enforcement and the waiver that
#   covers it (or null); and the client's exceptions as applied: each policy's effective
#   enforcement, the indexes of the valid waivers, and how many findings each disabled policy has.
# entrypoint: true
report := {"version": 1, "findings": findings, "exceptions": exceptions}

# METADATA
# title: Exceptions
# description: |
#   What the client's overrides and waivers do, as applied: effective enforcement by policy id,
#   the indexes of the valid waivers in input.waivers, and the number of findings each disabled
#   policy would report (what disabling it hides).
exceptions := {
	"enforcement": waivers.enforcement,
	"validWaivers": waivers.valid_indexes,
	"disabledFindings": {descriptor.id: count(object.get(data.policies.rules[name], "deny", set())) |
		some name
		descriptor := data.policies.rules[name].policy
		waivers.enforcement[descriptor.id] == "disabled"
	},
}

# METADATA
# title: Findings
# description: |
#   The findings of every policy, enforcement resolved, waivers attached, disabled policies
#   dropped. Each carries policy, enforcement, urn, type, message and waiver; the engine adds the
#   policy's title, severity, remediation and references from the catalog (see lib.finding).
findings := [object.union(raw, {"enforcement": enforcement, "waiver": _waiver_for(raw)}) |
	# An array, not a set: each policy's deny set already holds distinct findings, and findings of
	# different policies differ in their policy id (catalog is keyed by it), so a set would only
	# hash every finding a second time.
	raw := data.policies.rules[_].deny[_]
	enforcement := object.get(waivers.enforcement, raw.policy, raw.enforcement)
	enforcement != "disabled"
]

# A finding about a waiver is never waived: otherwise an invalid waiver could hide itself.
_waiver_for(raw) := null if raw.policy == "waivers-valid"

# The waivers are searched once per finding (the first matching waiver, or null).
_waiver_for(raw) := _first_or_null(_matching(raw)) if raw.policy != "waivers-valid"

_first_or_null([]) := null

_first_or_null(list) := list[0] if count(list) > 0

# The valid waivers that cover a finding, in sort order (the first one applies).
_matching(raw) := sort(array.concat(
	object.get(_valid_waivers, [raw.policy, raw.urn], []),
	object.get(_valid_waivers, [raw.policy, "*"], []),
))

# Valid waivers by policy, then by resource ("*" included), computed once: a finding looks up its
# own urn and "*" instead of scanning every waiver (and building a set per waiver) per finding.
_valid_waivers := {policy: _by_resource(policy) | some policy in {waiver.policy | some waiver in waivers.valid}}

_by_resource(policy) := {waiver.resource: _waivers_of(policy, waiver.resource) |
	some waiver in waivers.valid
	waiver.policy == policy
}

_waivers_of(policy, resource) := [waiver |
	some waiver in waivers.valid
	waiver.policy == policy
	waiver.resource == resource
]
