# METADATA
# title: Waiver validity
# description: |
#   Decides which waivers may suppress findings. A waiver that is expired, lacks a reason or an
#   approver, is created after the evaluation time, runs longer than settings.maxWaiverDays (from
#   the earlier of its created date and today, so the maximum also holds from today), or names a
#   policy the library does not have never suppresses anything; the waivers_valid policy reports it.
package policies.lib.waivers

# METADATA
# title: Known policy ids
# description: The id of every policy in the library.
known_policies contains descriptor.id if {
	some name
	descriptor := data.policies.rules[name].policy
}

# METADATA
# title: Problems of a waiver
# description: For each waiver (by its index in input.waivers), the reasons it is invalid.
# scope: document
problems[index] contains "it has no reason" if {
	some index, waiver in input.waivers
	not _text(waiver, "reason")
}

problems[index] contains "it has no approver" if {
	some index, waiver in input.waivers
	not _text(waiver, "approver")
}

problems[index] contains "it names no resource" if {
	some index, waiver in input.waivers
	not _text(waiver, "resource")
}

problems[index] contains sprintf("it names unknown policy %s", [json.marshal(policy)]) if {
	some index, waiver in input.waivers
	policy := object.get(waiver, "policy", "")
	not policy in known_policies
}

problems[index] contains sprintf("its expiry %s is not a date (YYYY-MM-DD)", [json.marshal(expires)]) if {
	some index, waiver in input.waivers
	expires := object.get(waiver, "expires", "")
	not _date_days(expires)
}

# A waiver covers its whole expiry day (UTC).
problems[index] contains sprintf("it expired on %s", [waiver.expires]) if {
	some index, waiver in input.waivers
	_date_days(waiver.expires) + 1 <= _now_days
}

# Without the evaluation time, expiry cannot be judged: fail closed rather than honour the waiver.
problems[index] contains sprintf("its expiry cannot be checked: evaluatedAt %s is not an RFC 3339 time", [_evaluated_at]) if {
	some index, _ in input.waivers
	not _now_days
}

problems[index] contains sprintf("its created date %s is not a date (YYYY-MM-DD)", [json.marshal(waiver.created)]) if {
	some index, waiver in input.waivers
	not _date_days(waiver.created)
	waiver.created != null
}

# A waiver cannot start later than the evaluation: its lifetime would count from a day nobody has
# reached, and a future created date would stretch the maximum length.
problems[index] contains sprintf("its created date %s is after the evaluation time %s", [waiver.created, input.evaluatedAt]) if {
	some index, waiver in input.waivers
	_date_days(waiver.created) > _now_days
}

# The length counts from the earlier of created and today, so a waiver never has more than the
# maximum left from today, whatever it says it was created on.
problems[index] contains msg if {
	some index, waiver in input.waivers
	days := _date_days(waiver.expires) - _start_days(waiver)
	days > input.settings.maxWaiverDays
	msg := sprintf("it runs %d days, longer than the maximum of %d", [days, input.settings.maxWaiverDays])
}

# METADATA
# title: Valid waivers
# description: The waivers with no problem.
valid contains waiver if {
	some index, waiver in input.waivers
	not problems[index]
}

_start_days(waiver) := min([_date_days(waiver.created), _today_days])

_start_days(waiver) := _today_days if object.get(waiver, "created", null) == null

# The evaluation's day (UTC), as days since 1970-01-01.
_today_days := floor(_now_days)

_text(waiver, key) if trim_space(waiver[key]) != ""

# Times are days since 1970-01-01 (UTC), computed here: the time.* built-ins are not implemented
# by the wasm runtime (neither natively nor by the JavaScript SDK), so they abort evaluation.
_now_days := _date_days(date) + (seconds / 86400) if {
	[[_, date, hours, minutes, secs, zone]] := regex.find_all_string_submatch_n(
		`^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})$`,
		input.evaluatedAt,
		1,
	)
	seconds := ((((to_number(hours) * 60) + to_number(minutes)) - _offset_minutes(zone)) * 60) + to_number(secs)
}

_evaluated_at := json.marshal(object.get(input, "evaluatedAt", null))

_offset_minutes(zone) := 0 if upper(zone) == "Z"

_offset_minutes(zone) := sign * ((to_number(substring(zone, 1, 2)) * 60) + to_number(substring(zone, 4, 2))) if {
	sign := {"+": 1, "-": -1}[substring(zone, 0, 1)]
}

_date_days(value) := _civil_days(year, month, day) if {
	[[_, y, m, d]] := regex.find_all_string_submatch_n(`^(\d{4})-(\d{2})-(\d{2})$`, value, 1)
	year := to_number(y)
	month := to_number(m)
	month >= 1
	month <= 12
	day := to_number(d)
	day >= 1
	day <= _month_lengths(year)[month - 1]
}

_month_lengths(year) := [31, 28 + _leap(year), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

_leap(year) := 1 if {
	year % 4 == 0
	year % 100 != 0
} else := 1 if {
	year % 400 == 0
} else := 0

# Proleptic Gregorian date to days since 1970-01-01 (H. Hinnant's days_from_civil; March-based
# years put the leap day last).
_civil_days(year, month, day) := ((era * 146097) + day_of_era) - 719468 if {
	y := year - floor((14 - month) / 12)
	era := floor(y / 400)
	year_of_era := y - (era * 400)
	day_of_year := (floor(((153 * ((month + 9) % 12)) + 2) / 5) + day) - 1
	day_of_era := (((year_of_era * 365) + floor(year_of_era / 4)) - floor(year_of_era / 100)) + day_of_year
}
