package policies.main_test

import data.policies.main

_descriptor(id, enforcement) := {"id": id, "title": id, "severity": "high", "enforcement": enforcement}

_raw(policy, urn, enforcement) := {
	"policy": policy,
	"enforcement": enforcement,
	"urn": urn,
	"type": "azure-native:compute:VirtualMachine",
	"message": sprintf("%s fails on %s", [policy, urn]),
}

# Stand-ins for the policy library: findings on two machines, one advisory policy, one waiver finding.
_rules := {
	"alpha": {
		"policy": _descriptor("alpha", "mandatory"),
		"deny": {_raw("alpha", "urn:a", "mandatory"), _raw("alpha", "urn:b", "mandatory")},
	},
	"beta": {"policy": _descriptor("beta", "advisory"), "deny": {_raw("beta", "urn:a", "advisory")}},
	"waivers_valid": {"policy": _descriptor("waivers-valid", "mandatory"), "deny": {_raw("waivers-valid", "*", "mandatory")}},
}

_waiver(policy, resource) := {
	"policy": policy,
	"resource": resource,
	"reason": "accepted risk",
	"approver": "ciso@acme.example",
	"expires": "2026-12-31",
}

# An override with the justification a waiver needs.
_override(level) := {
	"level": level,
	"reason": "accepted risk",
	"approver": "ciso@acme.example",
	"created": "2026-11-01",
	"expires": "2026-12-31",
}

_input(enforcement, waivers) := {
	"evaluatedAt": "2026-11-27T12:00:00Z",
	"settings": {"enforcement": enforcement, "maxWaiverDays": 90},
	"waivers": waivers,
}

# Each finding as [policy, urn, effective enforcement, policy and resource of its waiver or null].
_summary(report) := {[f.policy, f.urn, f.enforcement, _waiver_key(f.waiver)] | some f in report.findings}

_waiver_key(null) := null

_waiver_key(waiver) := [waiver.policy, waiver.resource] if waiver != null

test_catalog_lists_every_policy_by_id if {
	catalog := main.catalog with data.policies.rules as _rules
	catalog == {
		"alpha": _descriptor("alpha", "mandatory"),
		"beta": _descriptor("beta", "advisory"),
		"waivers-valid": _descriptor("waivers-valid", "mandatory"),
	}
}

test_report_defaults if {
	report := main.report with data.policies.rules as _rules with input as _input({}, [])
	report.version == 1
	_summary(report) == {
		["alpha", "urn:a", "mandatory", null],
		["alpha", "urn:b", "mandatory", null],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
	some finding in report.findings
	finding.message == "alpha fails on urn:a"
}

test_enforcement_overrides if {
	overrides := {"alpha": _override("advisory"), "beta": {"level": "mandatory"}}
	report := main.report with data.policies.rules as _rules with input as _input(overrides, [])
	_summary(report) == {
		["alpha", "urn:a", "advisory", null],
		["alpha", "urn:b", "advisory", null],
		["beta", "urn:a", "mandatory", null],
		["waivers-valid", "*", "mandatory", null],
	}
}

test_disabled_policy_reports_nothing if {
	overrides := {"alpha": _override("disabled"), "unknown": _override("disabled")}
	report := main.report with data.policies.rules as _rules with input as _input(overrides, [])
	_summary(report) == {["beta", "urn:a", "advisory", null], ["waivers-valid", "*", "mandatory", null]}
	report.exceptions == {
		"enforcement": {"alpha": "disabled", "beta": "advisory", "waivers-valid": "mandatory"},
		"validWaivers": [],
		"disabledFindings": {"alpha": 2},
	}
}

# Without a reason, expired, or lowering waivers-valid: the override is not applied.
test_unjustified_overrides_do_not_lower if {
	overrides := {
		"alpha": {"level": "advisory"},
		"beta": object.union(_override("disabled"), {"expires": "2026-11-26"}),
		"waivers-valid": _override("disabled"),
	}
	report := main.report with data.policies.rules as _rules with input as _input(overrides, [])
	_summary(report) == {
		["alpha", "urn:a", "mandatory", null],
		["alpha", "urn:b", "mandatory", null],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
	report.exceptions.enforcement == {"alpha": "mandatory", "beta": "advisory", "waivers-valid": "mandatory"}
}

test_report_exceptions_without_overrides if {
	expired := object.union(_waiver("alpha", "urn:a"), {"expires": "2026-01-01"})
	report := main.report with data.policies.rules as _rules with input as _input({}, [expired, _waiver("alpha", "*")])
	report.exceptions == {
		"enforcement": {"alpha": "mandatory", "beta": "advisory", "waivers-valid": "mandatory"},
		"validWaivers": [1],
		"disabledFindings": {},
	}
}

test_waiver_by_urn if {
	report := main.report with data.policies.rules as _rules with input as _input({}, [_waiver("alpha", "urn:a")])
	_summary(report) == {
		["alpha", "urn:a", "mandatory", ["alpha", "urn:a"]],
		["alpha", "urn:b", "mandatory", null],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
}

test_waiver_for_every_resource if {
	report := main.report with data.policies.rules as _rules with input as _input({}, [_waiver("alpha", "*"), _waiver("beta", "urn:b")])
	_summary(report) == {
		["alpha", "urn:a", "mandatory", ["alpha", "*"]],
		["alpha", "urn:b", "mandatory", ["alpha", "*"]],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
}

test_first_matching_waiver_in_sort_order if {
	report := main.report with data.policies.rules as _rules with input as _input({}, [_waiver("alpha", "urn:a"), _waiver("alpha", "*")])
	_summary(report) == {
		["alpha", "urn:a", "mandatory", ["alpha", "*"]],
		["alpha", "urn:b", "mandatory", ["alpha", "*"]],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
}

test_invalid_waiver_suppresses_nothing if {
	expired := object.union(_waiver("alpha", "urn:a"), {"expires": "2026-01-01"})
	unapproved := object.union(_waiver("alpha", "urn:b"), {"approver": ""})
	report := main.report with data.policies.rules as _rules with input as _input({}, [expired, unapproved])
	_summary(report) == {
		["alpha", "urn:a", "mandatory", null],
		["alpha", "urn:b", "mandatory", null],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
}

test_waiver_created_in_the_future_suppresses_nothing if {
	future := object.union(_waiver("alpha", "urn:a"), {"created": "2026-11-28"})
	report := main.report with data.policies.rules as _rules with input as _input({}, [future])
	["alpha", "urn:a", "mandatory", null] in _summary(report)
}

test_waiver_findings_are_never_waived if {
	report := main.report with data.policies.rules as _rules with input as _input({}, [_waiver("waivers-valid", "*")])
	["waivers-valid", "*", "mandatory", null] in _summary(report)
}

test_first_of_several_waivers_on_one_resource if {
	later := object.union(_waiver("alpha", "urn:a"), {"reason": "z: accepted risk"})
	earlier := object.union(_waiver("alpha", "urn:a"), {"reason": "a: accepted risk"})
	report := main.report with data.policies.rules as _rules with input as _input({}, [later, earlier, _waiver("beta", "urn:b")])
	_summary(report) == {
		["alpha", "urn:a", "mandatory", ["alpha", "urn:a"]],
		["alpha", "urn:b", "mandatory", null],
		["beta", "urn:a", "advisory", null],
		["waivers-valid", "*", "mandatory", null],
	}
	{finding.waiver | some finding in report.findings; finding.policy == "alpha"; finding.urn == "urn:a"} == {earlier}
}
