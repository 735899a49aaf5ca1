package policies.rules.rings_staged_test

import data.policies.rules.rings_staged

_ring(name, order, recurrence) := {
	"urn": sprintf("urn:pulumi:acme::steward::azure-native:maintenance:MaintenanceConfiguration::acme-ring-%s", [name]),
	"type": "azure-native:maintenance:MaintenanceConfiguration",
	"name": name,
	"order": order,
	"recurEvery": recurrence,
}

_pilot := _ring("pilot", 1, "Month Second Tuesday Offset2")

_broad := _ring("broad", 2, "Month Third Tuesday")

_endpoints(n) := [{"urn": sprintf("urn:endpoint:%d", [i])} | some i in numbers.range(1, n)]

_input(rings, endpoints) := {"settings": {"maxDaysAfterPatchTuesday": 14}, "rings": rings, "endpoints": _endpoints(endpoints)}

_messages(findings) := {finding.message | some finding in findings}

test_success_pilot_then_broad if {
	messages := _messages(rings_staged.deny) with input as _input([_pilot, _broad], 2)
	messages == set()
}

test_success_rings_listed_out_of_order if {
	messages := _messages(rings_staged.deny) with input as _input([_broad, _ring("early", 1, "Month Second Tuesday")], 3)
	messages == set()
}

test_success_days_and_weeks_up_to_the_maximum if {
	rings := [_ring("pilot", 1, "Day"), _ring("middle", 2, "1Week Saturday"), _ring("broad", 3, "2Weeks Saturday,Sunday")]
	messages := _messages(rings_staged.deny) with input as _input(rings, 3)
	messages == set()
}

test_success_one_ring_for_two_endpoints if {
	messages := _messages(rings_staged.deny) with input as _input([_ring("only", 1, "3Days")], 2)
	messages == set()
}

test_fail_ring_without_order if {
	messages := _messages(rings_staged.deny) with input as _input([_ring("pilot", null, "Month Second Tuesday Offset2"), _broad], 2)
	messages == {`ring "pilot" has no order (not set), so it cannot be staged between pilot and broad`}
}

test_fail_order_missing_or_unknown if {
	rings := [object.remove(_ring("a", 1, "Day"), ["order"]), _ring("b", {"$unknown": true}, "Day"), _broad]
	messages := _messages(rings_staged.deny) with input as _input(rings, 2)
	messages == {
		`ring "a" has no order (not set), so it cannot be staged between pilot and broad`,
		`ring "b" has no order (unknown until apply), so it cannot be staged between pilot and broad`,
	}
}

test_fail_broad_before_pilot if {
	rings := [_ring("pilot", 1, "7Days"), _ring("broad", 2, "2Days")]
	messages := _messages(rings_staged.deny) with input as _input(rings, 2)
	messages == {
		`ring "broad" installs 2 days after Patch Tuesday (recurEvery "2Days"), earlier than the ring before it, "pilot", at 7 days`,
		`pilot ring "pilot" installs 7 days after Patch Tuesday (recurEvery "7Days"), not before the last ring "broad" at 2 days`,
	}
}

test_fail_pilot_same_day_as_broad if {
	rings := [_ring("pilot", 1, "Week"), _ring("broad", 2, "Month Third Tuesday")]
	messages := _messages(rings_staged.deny) with input as _input(rings, 2)
	messages == {`pilot ring "pilot" installs 7 days after Patch Tuesday (recurEvery "Week"), not before the last ring "broad" at 7 days`}
}

test_fail_middle_ring_after_the_next if {
	rings := [_pilot, _ring("middle", 2, "9Days"), _ring("broad", 3, "1Month Second Tuesday Offset5")]
	messages := _messages(rings_staged.deny) with input as _input(rings, 3)
	messages == {
		concat(" ", [
			`ring "broad" installs 5 days after Patch Tuesday (recurEvery "1Month Second Tuesday Offset5"),`,
			`earlier than the ring before it, "middle", at 9 days`,
		]),
	}
}

test_fail_last_ring_not_anchored_to_patch_tuesday if {
	rings := [_pilot, _ring("broad", 2, "Month Last Sunday")]
	messages := _messages(rings_staged.deny) with input as _input(rings, 2)
	messages == {
		`last ring "broad" installs 31 days after Patch Tuesday (recurEvery "Month Last Sunday"), later than maxDaysAfterPatchTuesday (14)`,
	}
}

test_fail_unanchored_recurrences_count_as_a_month if {
	recurrences := ["Month day14", "Month Second Tuesday Offset-2", "Month Second Wednesday Offset1", "2Months Second Tuesday", "6Hours"]
	messages := {message |
		some recurrence in recurrences
		findings := rings_staged.deny with input as _input([_ring("only", 1, recurrence)], 1)
		some message in _messages(findings)
	}
	messages == {sprintf(
		`last ring "only" installs 31 days after Patch Tuesday (recurEvery "%s"), later than maxDaysAfterPatchTuesday (14)`,
		[recurrence],
	) |
		some recurrence in recurrences
	}
}

test_fail_last_ring_after_the_maximum_in_weeks if {
	messages := _messages(rings_staged.deny) with input as _input([_pilot, _ring("broad", 2, "3Weeks")], 2)
	messages == {`last ring "broad" installs 21 days after Patch Tuesday (recurEvery "3Weeks"), later than maxDaysAfterPatchTuesday (14)`}
}

test_fail_recurrence_unknown_or_missing if {
	rings := [_pilot, object.remove(_ring("broad", 2, null), ["recurEvery"])]
	messages := _messages(rings_staged.deny) with input as _input(rings, 2)
	messages == {`last ring "broad" installs 31 days after Patch Tuesday (recurEvery not set), later than maxDaysAfterPatchTuesday (14)`}

	unknown := [_pilot, _ring("broad", 2, {"$unknown": true})]
	unknown_messages := _messages(rings_staged.deny) with input as _input(unknown, 2)
	unknown_messages == {concat("", [
		`last ring "broad" installs 31 days after Patch Tuesday (recurEvery unknown until apply), `,
		`later than maxDaysAfterPatchTuesday (14)`,
	])}
}

test_fail_maximum_not_set if {
	messages := _messages(rings_staged.deny) with input as {"rings": [_pilot, _broad], "endpoints": []}
	messages == {concat("", [
		`last ring "broad" installs 7 days after Patch Tuesday (recurEvery "Month Third Tuesday"), `,
		`later than maxDaysAfterPatchTuesday (not set)`,
	])}
}

test_fail_one_ring_for_three_endpoints if {
	findings := rings_staged.deny with input as _input([_pilot], 3)
	_messages(findings) == {
		`ring "pilot" is the only update ring for 3 endpoints; stage them in at least two rings (a pilot and a broad ring)`,
	}
	rings_staged.policy.severity == "medium"
	{[f.policy, f.urn] | some f in findings} == {["rings-staged", _pilot.urn]}
}

# In-guest rings do not patch scale sets: only the endpoints rings patch ask for a second ring.
_scale_sets(n) := [{"urn": sprintf("urn:scale-set:%d", [i]), "kind": "vm-scale-set"} | some i in numbers.range(1, n)]

test_success_one_ring_for_two_machines_and_scale_sets if {
	doc := object.union(_input([_pilot], 2), {"endpoints": array.concat(_endpoints(2), _scale_sets(3))})
	messages := _messages(rings_staged.deny) with input as doc
	messages == set()
}

test_fail_one_ring_for_three_machines_beside_a_scale_set if {
	doc := object.union(_input([_pilot], 3), {"endpoints": array.concat(_endpoints(3), _scale_sets(1))})
	messages := _messages(rings_staged.deny) with input as doc
	messages == {`ring "pilot" is the only update ring for 3 endpoints; stage them in at least two rings (a pilot and a broad ring)`}
}

test_success_tuesday_weeks_and_offsets if {
	rings := [
		_ring("pilot", 1, "Month Second Tuesday Offset-0"),
		_ring("fast", 2, "Month Second Tuesday Offset6"),
		_ring("broad", 3, "Month Third Tuesday Offset3"),
		_ring("late", 4, "Month Fourth Tuesday Offset-3"),
	]
	count(rings_staged.deny) == 0 with input as {"endpoints": [], "rings": rings, "settings": {"maxDaysAfterPatchTuesday": 14}}
}

test_fail_before_patch_tuesday_or_offset_out_of_range if {
	rings := [_ring("pilot", 1, "Month Second Tuesday Offset-1"), _ring("broad", 2, "Month Last Tuesday Offset7")]
	messages := {f.message | some f in rings_staged.deny} with input as {
		"endpoints": [],
		"rings": rings,
		"settings": {"maxDaysAfterPatchTuesday": 14},
	}
	messages == {
		concat("", [
			`pilot ring "pilot" installs 31 days after Patch Tuesday (recurEvery "Month Second Tuesday Offset-1"), `,
			`not before the last ring "broad" at 31 days`,
		]),
		concat("", [
			`last ring "broad" installs 31 days after Patch Tuesday (recurEvery "Month Last Tuesday Offset7"), `,
			`later than maxDaysAfterPatchTuesday (14)`,
		]),
	}
}
