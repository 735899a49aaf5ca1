# METADATA
# title: Update rings are staged pilot to broad
# description: |
#   Update rings roll a month's fixes out in stages: each ring, taken by its order (1 = pilot),
#   installs no earlier after Patch Tuesday than the ring before it; the pilot installs strictly
#   before the last ring, so problems surface on a few machines first; a client with three or more
#   endpoints that rings patch (VMs and Arc machines: in-guest rings do not patch scale sets) has
#   at least two rings; and the last ring installs within
#   settings.maxDaysAfterPatchTuesday days after Patch Tuesday. A ring's day is its worst case
#   after Patch Tuesday (the second Tuesday of the month): "Month Second Tuesday OffsetK" is K days
#   (Azure allows K from -6 to 6), the third, fourth and last Tuesday 7, 14 and 21 days plus K, NDays
#   is N, NWeeks is 7 × N, and any other schedule (fixed month days, other weekdays, a day before
#   Patch Tuesday, unknown or invalid values) counts as 31 days, since it is not anchored to Patch
#   Tuesday.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/scheduled-patching
#     description: Scheduling recurring updates in Azure Update Manager
#   - ref: https://learn.microsoft.com/en-us/dotnet/api/azure.resourcemanager.maintenance.maintenanceconfigurationdata.recurevery
#     description: The recurEvery grammar, including week-of-month schedules with an offset
#   - ref: https://learn.microsoft.com/en-us/windows/deployment/update/deployment-rings-windows-updates
#     description: Microsoft guidance on deployment rings
# custom:
#   id: rings-staged
#   severity: medium
#   enforcement: mandatory
#   remediation: |
#     Give every ring an order in the client's baseline (rings[].order, 1 = pilot) and anchor every
#     ring to Patch Tuesday ("Month Second Tuesday OffsetK", "Month Third Tuesday OffsetK"; K from
#     -6 to 6), later from the pilot to the broad ring, the last ring within the client's
#     maxDaysAfterPatchTuesday. Clients with three or more VMs and Arc machines need a pilot and a
#     broad ring.
package policies.rules.rings_staged

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Ring without order
# description: Reports every ring whose order is not a number, so it cannot be staged.
deny contains lib.finding(policy, ring, msg) if {
	some ring in input.rings
	value := object.get(ring, "order", null)
	not is_number(value)
	msg := sprintf("ring %s has no order (%s), so it cannot be staged between pilot and broad", [_name(ring), lib.describe(value)])
}

# METADATA
# title: Ring before the one it follows
# description: Reports every ring that installs earlier after Patch Tuesday than the ring before it.
deny contains lib.finding(policy, ring, msg) if {
	some i, ring in _staged
	i > 0
	previous := _staged[i - 1]
	not _days(ring) >= _days(previous)
	msg := sprintf(
		"ring %s installs %s, earlier than the ring before it, %s, at %d days",
		[_name(ring), _when(ring), _name(previous), _days(previous)],
	)
}

# METADATA
# title: Pilot not first
# description: Reports the pilot (first) ring when it does not install strictly before the last ring.
deny contains lib.finding(policy, pilot, msg) if {
	count(_staged) >= 2
	pilot := _staged[0]
	last := _staged[count(_staged) - 1]
	not _days(pilot) < _days(last)
	msg := sprintf(
		"pilot ring %s installs %s, not before the last ring %s at %d days",
		[_name(pilot), _when(pilot), _name(last), _days(last)],
	)
}

# METADATA
# title: Single ring for many endpoints
# description: Reports the only ring of a client with three or more endpoints that rings patch.
deny contains lib.finding(policy, ring, msg) if {
	_ring_patched >= 3
	count(input.rings) == 1
	some ring in input.rings
	msg := sprintf(
		"ring %s is the only update ring for %d endpoints; stage them in at least two rings (a pilot and a broad ring)",
		[_name(ring), _ring_patched],
	)
}

# METADATA
# title: Last ring too late
# description: Reports the last ring when it installs later than maxDaysAfterPatchTuesday after Patch Tuesday.
deny contains lib.finding(policy, last, msg) if {
	last := _staged[count(_staged) - 1]
	not _days(last) <= _max_days
	msg := sprintf(
		"last ring %s installs %s, later than maxDaysAfterPatchTuesday (%s)",
		[_name(last), _when(last), lib.describe(_max_days)],
	)
}

# The endpoints update rings patch: every one but scale sets, which Azure patches by automatic OS
# image upgrades (an endpoint of no known kind counts).
_ring_patched := count([endpoint | some endpoint in input.endpoints; object.get(endpoint, "kind", null) != "vm-scale-set"])

# Rings by order (the ring's index breaks ties, so equal orders stay deterministic).
_staged := [input.rings[pair[1]] |
	some pair in sort([[ring.order, i] | some i, ring in input.rings; is_number(ring.order)])
]

_max_days := object.get(object.get(input, "settings", {}), "maxDaysAfterPatchTuesday", null)

_days(ring) := _days_after_patch_tuesday(lower(ring.recurEvery)) if is_string(ring.recurEvery)

_days(ring) := 31 if not is_string(object.get(ring, "recurEvery", null))

# Worst case days after the second Tuesday; anything not anchored to it may fall a month later.
# The Nth Tuesday is Patch Tuesday plus 7 × (N - 2) days; Azure allows offsets from -6 to 6, and a
# schedule that lands before Patch Tuesday installs that month's fixes only a month later.
_days_after_patch_tuesday(recur) := days if {
	[match] := regex.find_all_string_submatch_n(`^1?months? (second|third|fourth|last) tuesday(?: offset(-?[0-6]))?$`, recur, 1)
	days := _tuesday_weeks_after[match[1]] + _number_or(match[2], 0)
	days >= 0
} else := _number_or(match[1], 1) if {
	[match] := regex.find_all_string_submatch_n(`^([1-9][0-9]*)?days?$`, recur, 1)
} else := 7 * _number_or(match[1], 1) if {
	[match] := regex.find_all_string_submatch_n(`^([1-9][0-9]*)?weeks?(?: .*)?$`, recur, 1)
} else := 31

# The last Tuesday is the fourth or the fifth: three weeks after Patch Tuesday at worst.
_tuesday_weeks_after := {"second": 0, "third": 7, "fourth": 14, "last": 21}

_number_or("", fallback) := fallback

_number_or(digits, _) := to_number(digits) if digits != ""

_when(ring) := sprintf("%d days after Patch Tuesday (recurEvery %s)", [
	_days(ring),
	lib.describe(object.get(ring, "recurEvery", null)),
])

_name(ring) := lib.quote(object.get(ring, "name", ring.urn))
