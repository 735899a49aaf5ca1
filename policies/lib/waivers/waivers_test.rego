package policies.lib.waivers_test

import data.policies.lib.waivers

_rules := {
	"antivirus_installed": {"policy": {"id": "antivirus-installed", "enforcement": "mandatory"}},
	"patch_orchestration_unverified": {"policy": {"id": "patch-orchestration-unverified", "enforcement": "advisory"}},
	"waivers_valid": {"policy": {"id": "waivers-valid", "enforcement": "mandatory"}},
}

_valid := {
	"policy": "antivirus-installed",
	"resource": "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01",
	"reason": "Vendor appliance",
	"approver": "ciso@acme.example",
	"created": "2026-11-01",
	"expires": "2026-12-31",
}

_waiver(changes) := object.union(_valid, changes)

_input(waivers) := {"evaluatedAt": "2026-11-27T12:00:00Z", "settings": {"maxWaiverDays": 90}, "waivers": waivers}

test_known_policies_are_the_library_ids if {
	known := waivers.known_policies with data.policies.rules as _rules
	known == {"antivirus-installed", "patch-orchestration-unverified", "waivers-valid"}
}

test_valid_waiver if {
	problems := waivers.problems with input as _input([_valid]) with data.policies.rules as _rules
	problems == {}
	valid := waivers.valid with input as _input([_valid]) with data.policies.rules as _rules
	valid == {_valid}
}

test_every_problem_of_an_empty_waiver if {
	problems := waivers.problems with input as _input([{"reason": 7}]) with data.policies.rules as _rules
	problems == {0: {
		"it has no reason", "it has no approver", "it names no resource",
		`it names unknown policy ""`, `its expiry "" is not a date (YYYY-MM-DD)`,
	}}
	valid := waivers.valid with input as _input([{}]) with data.policies.rules as _rules
	valid == set()
}

test_blank_text_is_missing if {
	waiver := _waiver({"reason": "  ", "approver": "", "resource": "\t"})
	problems := waivers.problems with input as _input([waiver]) with data.policies.rules as _rules
	problems == {0: {"it has no reason", "it has no approver", "it names no resource"}}
}

test_unknown_policy if {
	problems := waivers.problems with input as _input([_waiver({"policy": "no-such-policy"})]) with data.policies.rules as _rules
	problems == {0: {`it names unknown policy "no-such-policy"`}}
}

test_expiry_covers_its_whole_day if {
	waivers_list := [_waiver({"expires": "2026-11-26"}), _waiver({"expires": "2026-11-27"})]
	problems := waivers.problems with input as _input(waivers_list) with data.policies.rules as _rules
	problems == {0: {"it expired on 2026-11-26"}}
}

test_expiry_judged_in_utc if {
	waivers_list := [_waiver({"expires": "2026-11-27"})]
	late := waivers.problems with input as object.union(_input(waivers_list), {"evaluatedAt": "2026-11-27T23:30:00-02:00"})
		with data.policies.rules as _rules
	late == {0: {"it expired on 2026-11-27"}}
	early := waivers.problems with input as object.union(_input(waivers_list), {"evaluatedAt": "2026-11-28T00:30:00.123+02:00"})
		with data.policies.rules as _rules
	early == {}
}

test_evaluation_time_unreadable_fails_closed if {
	problems := waivers.problems with input as object.union(_input([_valid]), {"evaluatedAt": "2026-11-27"})
		with data.policies.rules as _rules
	problems == {0: {`its expiry cannot be checked: evaluatedAt "2026-11-27" is not an RFC 3339 time`}}
	missing := waivers.problems with input as object.remove(_input([_valid]), ["evaluatedAt"])
		with data.policies.rules as _rules
	missing == {0: {"its expiry cannot be checked: evaluatedAt null is not an RFC 3339 time"}}
}

test_length_from_created if {
	waivers_list := [
		_waiver({"created": "2026-11-01", "expires": "2027-01-30"}),
		_waiver({"created": "2026-11-01", "expires": "2027-01-31"}),
	]
	problems := waivers.problems with input as _input(waivers_list) with data.policies.rules as _rules
	problems == {1: {"it runs 91 days, longer than the maximum of 90"}}
}

test_length_from_evaluation_time_without_created if {
	waivers_list := [
		object.remove(_waiver({"expires": "2027-02-25"}), ["created"]),
		object.remove(_waiver({"expires": "2027-02-26"}), ["created"]),
		_waiver({"created": null, "expires": "2027-03-31"}),
	]
	problems := waivers.problems with input as _input(waivers_list) with data.policies.rules as _rules
	problems == {
		1: {"it runs 91 days, longer than the maximum of 90"},
		2: {"it runs 124 days, longer than the maximum of 90"},
	}
}

test_created_after_the_evaluation_time if {
	waivers_list := [
		_waiver({"created": "2026-11-27", "expires": "2026-12-31"}),
		_waiver({"created": "2026-11-28", "expires": "2026-12-31"}),
	]
	problems := waivers.problems with input as _input(waivers_list) with data.policies.rules as _rules
	problems == {1: {"its created date 2026-11-28 is after the evaluation time 2026-11-27T12:00:00Z"}}
	valid := waivers.valid with input as _input(waivers_list) with data.policies.rules as _rules
	valid == {waivers_list[0]}
}

test_created_in_the_future_judged_in_utc if {
	waivers_list := [_waiver({"created": "2026-11-28", "expires": "2026-12-31"})]
	late := waivers.problems with input as object.union(_input(waivers_list), {"evaluatedAt": "2026-11-27T23:30:00-02:00"})
		with data.policies.rules as _rules
	late == {}
}

# 89 days from a created date three months ahead are 183 days from today: the length counts from
# the earlier of the two.
test_length_from_today_when_created_is_later if {
	waivers_list := [_waiver({"created": "2027-03-01", "expires": "2027-05-29"})]
	problems := waivers.problems with input as _input(waivers_list) with data.policies.rules as _rules
	problems == {0: {
		"its created date 2027-03-01 is after the evaluation time 2026-11-27T12:00:00Z",
		"it runs 183 days, longer than the maximum of 90",
	}}
}

# Created long ago with 91 days left from today: longer than the maximum from today too.
test_maximum_holds_from_today if {
	waivers_list := [
		_waiver({"created": "2026-06-01", "expires": "2027-02-26"}),
		_waiver({"created": "2026-09-01", "expires": "2026-11-30"}),
	]
	problems := waivers.problems with input as _input(waivers_list) with data.policies.rules as _rules
	problems == {0: {"it runs 270 days, longer than the maximum of 90"}}
}

test_calendar_dates if {
	waivers_list := [
		_waiver({"created": "2024-02-29", "expires": "2024-05-29"}),
		_waiver({"created": "2023-02-29", "expires": "2027-01-01"}),
		_waiver({"created": "2000-02-29", "expires": "2000-05-29"}),
		_waiver({"created": "1900-02-29", "expires": "2027-01-01"}),
		_waiver({"created": "2026-04-31", "expires": "2026-13-01"}),
		_waiver({"created": "2026-00-10", "expires": "2026-12-00"}),
		_waiver({"created": "26-11-01", "expires": "2026-12-31T00:00:00Z"}),
	]
	problems := waivers.problems with input as object.union(_input(waivers_list), {"evaluatedAt": "1999-01-01T00:00:00Z"})
		with data.policies.rules as _rules

	# Only what this test is about: which dates are dates (the rest are created after 1999).
	date_problems := {index: messages |
		some index, found in problems
		messages := {message | some message in found; contains(message, "is not a date")}
		count(messages) > 0
	}
	date_problems == {
		1: {`its created date "2023-02-29" is not a date (YYYY-MM-DD)`},
		3: {`its created date "1900-02-29" is not a date (YYYY-MM-DD)`},
		4: {`its created date "2026-04-31" is not a date (YYYY-MM-DD)`, `its expiry "2026-13-01" is not a date (YYYY-MM-DD)`},
		5: {`its created date "2026-00-10" is not a date (YYYY-MM-DD)`, `its expiry "2026-12-00" is not a date (YYYY-MM-DD)`},
		6: {`its created date "26-11-01" is not a date (YYYY-MM-DD)`, `its expiry "2026-12-31T00:00:00Z" is not a date (YYYY-MM-DD)`},
	}
}

test_days_across_years_and_leap_days if {
	millennium := [
		_waiver({"created": "1999-12-31", "expires": "2000-03-30"}),
		_waiver({"created": "1999-12-31", "expires": "2000-03-31"}),
	]
	problems := waivers.problems with input as object.union(_input(millennium), {"evaluatedAt": "1999-12-31T00:00:00Z"})
		with data.policies.rules as _rules
	problems == {1: {"it runs 91 days, longer than the maximum of 90"}}

	epoch := [_waiver({"created": "1970-01-01", "expires": "1970-04-02"})]
	first_day := waivers.problems with input as object.union(_input(epoch), {"evaluatedAt": "1970-01-01T00:00:00Z"})
		with data.policies.rules as _rules
	first_day == {0: {"it runs 91 days, longer than the maximum of 90"}}
}

# Enforcement overrides (settings.enforcement).
_override(level) := {
	"level": level,
	"reason": "Vendor appliance; the vendor patches it",
	"approver": "ciso@acme.example",
	"created": "2026-11-01",
	"expires": "2026-12-31",
}

_with_overrides(overrides) := object.union(_input([]), {"settings": {"enforcement": overrides}})

test_default_enforcement_is_each_policys_metadata if {
	defaults := waivers.default_enforcement with data.policies.rules as _rules
	defaults == {"antivirus-installed": "mandatory", "patch-orchestration-unverified": "advisory", "waivers-valid": "mandatory"}
}

test_justified_overrides_apply if {
	overrides := {
		"antivirus-installed": _override("advisory"),
		"patch-orchestration-unverified": _override("disabled"),
	}
	problems := waivers.override_problems with input as _with_overrides(overrides) with data.policies.rules as _rules
	problems == {}
	enforcement := waivers.enforcement with input as _with_overrides(overrides) with data.policies.rules as _rules
	enforcement == {"antivirus-installed": "advisory", "patch-orchestration-unverified": "disabled", "waivers-valid": "mandatory"}
}

# Raising or keeping the default needs no justification.
test_raising_needs_no_justification if {
	overrides := {
		"antivirus-installed": {"level": "mandatory"},
		"patch-orchestration-unverified": {"level": "mandatory"},
		"waivers-valid": {"level": "mandatory", "expires": "2020-01-01"},
	}
	problems := waivers.override_problems with input as _with_overrides(overrides) with data.policies.rules as _rules
	problems == {}
	enforcement := waivers.enforcement with input as _with_overrides(overrides) with data.policies.rules as _rules
	enforcement == {"antivirus-installed": "mandatory", "patch-orchestration-unverified": "mandatory", "waivers-valid": "mandatory"}
}

test_unjustified_overrides_keep_the_default if {
	overrides := {
		"antivirus-installed": {"level": "disabled"},
		"patch-orchestration-unverified": object.union(_override("disabled"), {"created": "2026-06-01", "expires": "2026-11-26"}),
		"waivers-valid": _override("advisory"),
		"antivirus-instaled": _override("advisory"),
	}
	problems := waivers.override_problems with input as _with_overrides(overrides) with data.policies.rules as _rules
	problems == {
		"antivirus-installed": {"it has no reason", "it has no approver", `its expiry "" is not a date (YYYY-MM-DD)`},
		"patch-orchestration-unverified": {"it expired on 2026-11-26", "it runs 178 days, longer than the maximum of 90"},
		"waivers-valid": {"waivers-valid reports the waivers and overrides that are not applied: it is never lowered"},
		"antivirus-instaled": {`it names unknown policy "antivirus-instaled"`},
	}
	enforcement := waivers.enforcement with input as _with_overrides(overrides) with data.policies.rules as _rules
	enforcement == {"antivirus-installed": "mandatory", "patch-orchestration-unverified": "advisory", "waivers-valid": "mandatory"}
}

test_override_lifetime_judged_like_a_waiver if {
	overrides := {
		"antivirus-installed": object.union(_override("advisory"), {"created": "2026-11-28"}),
		"patch-orchestration-unverified": object.union(_override("disabled"), {"created": "2026-06-01", "expires": "2027-02-26"}),
	}
	problems := waivers.override_problems with input as _with_overrides(overrides) with data.policies.rules as _rules
	problems == {
		"antivirus-installed": {"its created date 2026-11-28 is after the evaluation time 2026-11-27T12:00:00Z"},
		"patch-orchestration-unverified": {"it runs 270 days, longer than the maximum of 90"},
	}
}

test_override_of_an_unknown_level_is_never_applied if {
	overrides := {"antivirus-installed": object.union(_override("advisory"), {"level": "off"})}
	problems := waivers.override_problems with input as _with_overrides(overrides) with data.policies.rules as _rules
	problems == {"antivirus-installed": {`its level "off" is not mandatory, advisory or disabled`}}
	enforcement := waivers.enforcement with input as _with_overrides(overrides) with data.policies.rules as _rules
	enforcement["antivirus-installed"] == "mandatory"
}

test_waiver_and_override_problems_are_kept_apart if {
	given := object.union(_input([_waiver({"reason": ""})]), {"settings": {"enforcement": {"antivirus-installed": {"level": "advisory"}}}})
	problems := waivers.problems with input as given with data.policies.rules as _rules
	problems == {0: {"it has no reason"}}
	override_problems := waivers.override_problems with input as given with data.policies.rules as _rules
	override_problems == {"antivirus-installed": {"it has no reason", "it has no approver", `its expiry "" is not a date (YYYY-MM-DD)`}}
	indexes := waivers.valid_indexes with input as given with data.policies.rules as _rules
	indexes == []
}
