# METADATA
# title: Waiver and enforcement override validity
# description: |
#   Decides which waivers may suppress findings and which enforcement overrides may lower a
#   policy. A waiver, or an override that lowers a policy, that is expired, lacks a reason or an
#   approver, is created after the evaluation time, runs longer than settings.maxWaiverDays (from
#   the earlier of its created date and today, so the maximum also holds from today), or names a
#   policy the library does not have is not applied; the waivers_valid policy reports it.
package policies.lib.waivers

# METADATA
# title: Known policy ids
# description: The id of every policy in the library.
known_policies contains descriptor.id if {
	some name
	descriptor := data.policies.rules[name].policy
}

# METADATA
# title: Default enforcement
# description: Each policy's default enforcement (from its METADATA), by id.
default_enforcement := {descriptor.id: descriptor.enforcement |
	some name
	descriptor := data.policies.rules[name].policy
}

# METADATA
# title: Problems of a waiver
# description: For each waiver (by its index in input.waivers), the reasons it is invalid.
# scope: document
problems[index] contains problem if {
	some index, _ in input.waivers
	some problem in _exception_problems[_waiver_key(index)]
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

# METADATA
# title: Valid waivers
# description: The waivers with no problem.
valid contains waiver if {
	some index, waiver in input.waivers
	not problems[index]
}

# METADATA
# title: Indexes of the valid waivers
# description: The index in input.waivers of every waiver with no problem, in order.
valid_indexes := [index |
	some index, _ in input.waivers
	not problems[index]
]

# METADATA
# title: Problems of an enforcement override
# description: |
#   For each override in settings.enforcement that lowers its policy below the default (mandatory
#   to advisory or disabled, advisory to disabled) or names no policy of the library, by policy
#   id: the reasons it is not applied. Lowering needs what a waiver needs (a reason, an approver,
#   an expiry not passed, within settings.maxWaiverDays); waivers-valid is never lowered.
# scope: document
override_problems[id] contains problem if {
	some id, _ in _lowering
	some problem in _exception_problems[_override_key(id)]
}

override_problems[id] contains sprintf("it names unknown policy %s", [json.marshal(id)]) if {
	some id, _ in _lowering
	not default_enforcement[id]
}

override_problems[id] contains sprintf("its level %s is not mandatory, advisory or disabled", [json.marshal(level)]) if {
	some id, override in _lowering
	level := object.get(override, "level", null)
	not level in object.keys(_rank)
}

# Lowering the policy that reports invalid waivers and overrides would hide them.
override_problems[id] contains "waivers-valid reports the waivers and overrides that are not applied: it is never lowered" if {
	some id, _ in _lowering
	id == "waivers-valid"
}

# METADATA
# title: Effective enforcement
# description: |
#   Each policy's enforcement for this client, by id: the override in settings.enforcement when it
#   raises or keeps the default, or lowers it with a valid justification; the default otherwise.
enforcement := {id: _effective(id, level) | some id, level in default_enforcement}

_effective(id, _) := input.settings.enforcement[id].level if _applied(id)

_effective(id, fallback) := fallback if not _applied(id)

_applied(id) if {
	input.settings.enforcement[id].level in object.keys(_rank)
	not override_problems[id]
}

_rank := {"disabled": 0, "advisory": 1, "mandatory": 2}

# The overrides that need a justification: those that lower their policy, or that name no policy
# of the library or no level (raising or keeping the default needs none).
_lowering := {id: override |
	some id, override in object.get(input.settings, "enforcement", {})
	not _keeps_or_raises(id, override)
}

_keeps_or_raises(id, override) if _rank[override.level] >= _rank[default_enforcement[id]]

# Every exception a client takes, its waivers and its lowering overrides, keyed so that one set of
# rules judges the justification and lifetime of both.
_exceptions := object.union(
	{_waiver_key(index): waiver | some index, waiver in input.waivers},
	{_override_key(id): override | some id, override in _lowering},
)

_waiver_key(index) := json.marshal(["waiver", index])

_override_key(id) := json.marshal(["override", id])

_exception_problems[key] contains "it has no reason" if {
	some key, exception in _exceptions
	not _text(exception, "reason")
}

_exception_problems[key] contains "it has no approver" if {
	some key, exception in _exceptions
	not _text(exception, "approver")
}

_exception_problems[key] contains sprintf("its expiry %s is not a date (YYYY-MM-DD)", [json.marshal(expires)]) if {
	some key, exception in _exceptions
	expires := object.get(exception, "expires", "")
	not _date_days(expires)
}

# An exception covers its whole expiry day (UTC).
_exception_problems[key] contains sprintf("it expired on %s", [exception.expires]) if {
	some key, exception in _exceptions
	_date_days(exception.expires) + 1 <= _now_days
}

# Without the evaluation time, expiry cannot be judged: fail closed rather than honour it.
_exception_problems[key] contains sprintf("its expiry cannot be checked: evaluatedAt %s is not an RFC 3339 time", [_evaluated_at]) if {
	some key, _ in _exceptions
	not _now_days
}

_exception_problems[key] contains sprintf("its created date %s is not a date (YYYY-MM-DD)", [json.marshal(exception.created)]) if {
	some key, exception in _exceptions
	not _date_days(exception.created)
	exception.created != null
}

# An exception cannot start later than the evaluation: its lifetime would count from a day nobody
# has reached, and a future created date would stretch the maximum length.
_exception_problems[key] contains msg if {
	some key, exception in _exceptions
	_date_days(exception.created) > _now_days
	msg := sprintf("its created date %s is after the evaluation time %s", [exception.created, input.evaluatedAt])
}

# The length counts from the earlier of created and today, so an exception never has more than
# the maximum left from today, whatever it says it was created on.
_exception_problems[key] contains msg if {
	some key, exception in _exceptions
	days := _date_days(exception.expires) - _start_days(exception)
	days > input.settings.maxWaiverDays
	msg := sprintf("it runs %d days, longer than the maximum of %d", [days, input.settings.maxWaiverDays])
}

_start_days(exception) := min([_date_days(exception.created), _today_days])

_start_days(exception) := _today_days if object.get(exception, "created", null) == null

# The evaluation's day (UTC), as days since 1970-01-01.
_today_days := floor(_now_days)

_text(exception, key) if trim_space(exception[key]) != ""

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
