# METADATA
# title: Update rings install security fixes
# description: |
#   Every update ring (an Azure Update Manager maintenance configuration) installs what keeps its
#   endpoints safe, on a schedule that can complete: the Critical and Security classifications for
#   each operating system it patches; a reboot setting that lets updates needing a restart take
#   effect (IfRequired or Always, never Never); a maintenance window between 1h30, the practical
#   minimum for a patch run, and 3h55, the longest window Azure Update Manager allows for guest
#   patching; a recurrence of at least once a month that is valid for InGuestPatch (hourly
#   schedules are not); and no expiry before the evaluation time. Values unknown until apply are
#   reported, since they cannot be shown to comply. Expiry is compared at minute precision as
#   written, ignoring the window's time zone and the offset of evaluatedAt.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/update-manager/scheduled-patching
#     description: Scheduling recurring updates in Azure Update Manager
#   - ref: https://learn.microsoft.com/en-us/dotnet/api/azure.resourcemanager.maintenance.maintenanceconfigurationdata.recurevery
#     description: The recurEvery grammar of maintenance configurations (daily, weekly, monthly)
# custom:
#   id: ring-installs-security-fixes
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     In the ring's maintenance configuration, include Critical and Security in the Windows and
#     Linux classifications, set rebootSetting to IfRequired (or Always), use a duration between
#     01:30 and 03:55, recur at least monthly (for example "Month Second Tuesday Offset2"), and
#     remove the expiration date or move it into the future.
package policies.rules.ring_installs_security_fixes

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Security classifications missing
# description: Reports every ring that does not install Critical and Security updates for an OS it patches.
deny contains lib.finding(policy, ring, msg) if {
	some ring in input.rings
	some family in _families(ring)
	field := _classification_fields[family]
	value := object.get(ring, field, null)
	not _installs_security_fixes(value)
	msg := sprintf(
		"ring %s must install Critical and Security updates on its %s endpoints, but %s is %s",
		[_name(ring), family, field, lib.describe(value)],
	)
}

# METADATA
# title: Reboot disabled
# description: Reports every ring whose reboot setting is not IfRequired or Always.
deny contains lib.finding(policy, ring, msg) if {
	some ring in input.rings
	value := object.get(ring, "rebootSetting", null)
	not _reboots(value)
	msg := sprintf(
		"ring %s rebootSetting is %s; it must be \"IfRequired\" or \"Always\" so updates that need a restart take effect",
		[_name(ring), lib.describe(value)],
	)
}

# METADATA
# title: Window too short or too long
# description: Reports every ring whose maintenance window is not between 01:30 and 03:55.
deny contains lib.finding(policy, ring, msg) if {
	some ring in input.rings
	value := object.get(ring, "duration", null)
	not _duration_ok(value)
	msg := sprintf(
		"ring %s duration is %s; it must be between \"01:30\" and \"03:55\" (HH:mm)",
		[_name(ring), lib.describe(value)],
	)
}

# METADATA
# title: Recurrence too rare or invalid
# description: Reports every ring that does not recur at least monthly with a recurrence valid for InGuestPatch.
deny contains lib.finding(policy, ring, msg) if {
	some ring in input.rings
	value := object.get(ring, "recurEvery", null)
	not _monthly_or_more(value)
	msg := sprintf(
		"ring %s recurEvery is %s; it must recur at least monthly (Day, NDays, Week or NWeeks up to 4Weeks, or Month)",
		[_name(ring), lib.describe(value)],
	)
}

# METADATA
# title: Ring expired
# description: Reports every ring whose expirationDateTime is not after the evaluation time.
deny contains lib.finding(policy, ring, _expiry_message(ring, value)) if {
	some ring in input.rings
	value := object.get(ring, "expirationDateTime", null)
	not _expiry_ok(value)
}

_classification_fields := {"windows": "windowsClassifications", "linux": "linuxClassifications"}

# Without the OS families of its endpoints, a ring must suit both.
_families(ring) := ring.osFamilies if is_array(ring.osFamilies)

_families(ring) := ["windows", "linux"] if not is_array(object.get(ring, "osFamilies", null))

_installs_security_fixes(value) if {
	classifications := lib.lower_list(value)
	"critical" in classifications
	"security" in classifications
}

_reboots(value) if lower(value) in {"ifrequired", "always"}

_duration_ok(value) if {
	[[_, hours, minutes]] := regex.find_all_string_submatch_n(`^(\d{1,2}):([0-5]\d)$`, value, 1)
	total := (to_number(hours) * 60) + to_number(minutes)
	total >= 90
	total <= 235
}

# Azure's recurEvery grammar (lower-cased), limited to schedules that recur at least monthly:
# Day or NDays (N >= 1); Week or NWeeks (N <= 4) with optional weekdays; Month or 1Month, alone,
# with month days, or with a week of the month, a weekday and an optional offset. Hours are not
# valid for InGuestPatch.
_monthly_or_more(value) if {
	some pattern in _recurrences
	regex.match(pattern, lower(value))
}

_weekday := `(monday|tuesday|wednesday|thursday|friday|saturday|sunday)`

_recurrences := [
	`^([1-9][0-9]*)?days?$`,
	concat("", [`^[1-4]?weeks?( `, _weekday, `(, ?`, _weekday, `)*)?$`]),
	`^1?months?( day[0-9]+(, ?day[0-9]+)*)?$`,
	concat("", [`^1?months? (first|second|third|fourth|last) `, _weekday, `( offset-?[0-9]+)?$`]),
]

_expiry_ok(null)

# "YYYY-MM-DD HH:mm" strings order like the times they name, and need no int64 nanoseconds
# (Azure's "never" is "9999-12-31 00:00", beyond what time.parse_ns can represent).
_expiry_ok(value) if {
	_is_datetime(value)
	value > _now
}

_is_datetime(value) if regex.match(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`, value)

_now := concat(" ", [substring(input.evaluatedAt, 0, 10), substring(input.evaluatedAt, 11, 5)])

_expiry_message(ring, value) := msg if {
	_is_datetime(value)
	value <= _now
	msg := sprintf("ring %s expired on %s (expirationDateTime), so it no longer installs updates", [_name(ring), value])
} else := sprintf(
	"ring %s expirationDateTime is %s; it must be unset or a \"YYYY-MM-DD HH:mm\" time after the evaluation time",
	[_name(ring), lib.describe(value)],
)

_name(ring) := lib.quote(object.get(ring, "name", ring.urn))
