package policies.rules.waivers_valid_test

import data.policies.rules.waivers_valid

_web := "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01"

_valid := {
	"policy": "antivirus-installed",
	"resource": _web,
	"reason": "Vendor appliance; the vendor's own antivirus is installed",
	"approver": "ciso@acme.example",
	"created": "2026-11-01",
	"expires": "2026-12-31",
}

_waiver(changes) := object.union(_valid, changes)

_input(waivers) := {"evaluatedAt": "2026-11-27T12:00:00Z", "settings": {"maxWaiverDays": 90}, "waivers": waivers}

_messages(findings) := {finding.message | some finding in findings}

test_success_no_waivers if {
	messages := _messages(waivers_valid.deny) with input as _input([])
	messages == set()
}

test_success_valid_waivers if {
	waivers := [_valid, object.remove(_waiver({"resource": "*", "expires": "2027-02-25"}), ["created"])]
	messages := _messages(waivers_valid.deny) with input as _input(waivers)
	messages == set()
}

test_fail_expired_without_approver if {
	waivers := [_valid, _valid, _waiver({"approver": " ", "created": "2025-12-01", "expires": "2026-01-01"})]
	messages := _messages(waivers_valid.deny) with input as _input(waivers)
	messages == {concat("", [
		`waiver 2 for "antivirus-installed" on "`, _web,
		`" is not applied: it expired on 2026-01-01; it has no approver`,
	])}
}

test_fail_without_resource_named_by_position if {
	findings := waivers_valid.deny with input as _input([_waiver({"resource": "", "reason": ""})])
	{[f.urn, f.type, f.message] | some f in findings} == {[
		"waiver:0", "steward:waiver",
		`waiver 0 for "antivirus-installed" on "" is not applied: it has no reason; it names no resource`,
	]}
}

test_fail_missing_fields if {
	findings := waivers_valid.deny with input as _input([{"expires": "2026-12-31"}])
	{[f.urn, f.message] | some f in findings} == {[
		"waiver:0",
		`waiver 0 for "" on "" is not applied: it has no approver; it has no reason; it names no resource; it names unknown policy ""`,
	]}
}

test_fail_unknown_policy_and_too_long if {
	waivers_valid.policy.severity == "high"
	waiver := _waiver({"policy": "antivirus-instaled", "resource": "*", "created": "2026-01-01", "expires": "2026-12-31"})
	findings := waivers_valid.deny with input as _input([waiver])
	{[f.urn, f.policy, f.message] | some f in findings} == {[
		"*", "waivers-valid",
		concat("; ", [
			`waiver 0 for "antivirus-instaled" on "*" is not applied: it names unknown policy "antivirus-instaled"`,
			"it runs 364 days, longer than the maximum of 90",
		]),
	]}
}

test_fail_dates_not_dates if {
	messages := _messages(waivers_valid.deny) with input as _input([_waiver({"created": "yesterday", "expires": "2026-02-30"})])
	messages == {concat("", [
		`waiver 0 for "antivirus-installed" on "`, _web, `" is not applied: `,
		`its created date "yesterday" is not a date (YYYY-MM-DD); its expiry "2026-02-30" is not a date (YYYY-MM-DD)`,
	])}
}

test_fail_created_after_the_evaluation_time if {
	messages := _messages(waivers_valid.deny) with input as _input([_waiver({"created": "2026-12-01", "expires": "2027-02-28"})])
	messages == {concat("", [
		`waiver 0 for "antivirus-installed" on "`, _web, `" is not applied: `,
		"it runs 93 days, longer than the maximum of 90; ",
		"its created date 2026-12-01 is after the evaluation time 2026-11-27T12:00:00Z",
	])}
}

# Enforcement overrides: the import is data.policies.rules.waivers_valid, so the library's real
# policies are known here.
_override(level) := {
	"level": level,
	"reason": "The client's change board patches these machines itself",
	"approver": "ciso@acme.example",
	"created": "2026-11-01",
	"expires": "2026-12-31",
}

_with_overrides(overrides) := object.union(_input([]), {"settings": {"enforcement": overrides}})

test_success_justified_and_raising_overrides if {
	overrides := {
		"patch-orchestration": _override("advisory"),
		"patch-orchestration-unverified": _override("disabled"),
		"rings-staged": {"level": "mandatory"},
	}
	messages := _messages(waivers_valid.deny) with input as _with_overrides(overrides)
	messages == set()
}

test_fail_unjustified_override if {
	findings := waivers_valid.deny with input as _with_overrides({"patch-orchestration": {"level": "advisory"}})
	{[f.urn, f.type, f.message] | some f in findings} == {[
		"enforcement:patch-orchestration", "steward:enforcement-override",
		concat("", [
			`enforcement override of "patch-orchestration" to "advisory" is not applied (the policy stays mandatory): `,
			`it has no approver; it has no reason; its expiry "" is not a date (YYYY-MM-DD)`,
		]),
	]}
}

test_fail_expired_and_self_lowering_overrides if {
	overrides := {
		"endpoint-reports": object.union(_override("disabled"), {"created": "2026-08-02", "expires": "2026-10-31"}),
		"waivers-valid": _override("disabled"),
		"antivirus-instaled": _override("advisory"),
	}
	messages := _messages(waivers_valid.deny) with input as _with_overrides(overrides)
	messages == {
		`enforcement override of "endpoint-reports" to "disabled" is not applied (the policy stays mandatory): it expired on 2026-10-31`,
		concat("", [
			`enforcement override of "waivers-valid" to "disabled" is not applied (the policy stays mandatory): `,
			"waivers-valid reports the waivers and overrides that are not applied: it is never lowered",
		]),
		`enforcement override of "antivirus-instaled" to "advisory" is not applied: it names unknown policy "antivirus-instaled"`,
	}
}
