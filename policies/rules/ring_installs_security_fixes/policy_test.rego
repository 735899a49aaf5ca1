package policies.rules.ring_installs_security_fixes_test

import data.policies.rules.ring_installs_security_fixes

_compliant := {
	"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:maintenance:MaintenanceConfiguration::acme-ring-pilot",
	"type": "azure-native:maintenance:MaintenanceConfiguration",
	"name": "pilot",
	"order": 1,
	"maintenanceScope": "InGuestPatch",
	"windowsClassifications": ["Critical", "Security", "UpdateRollup"],
	"linuxClassifications": ["Critical", "Security"],
	"rebootSetting": "IfRequired",
	"startDateTime": "2026-01-01 02:00",
	"expirationDateTime": null,
	"duration": "03:00",
	"timeZone": "W. Europe Standard Time",
	"recurEvery": "Month Second Tuesday Offset2",
	"osFamilies": ["windows", "linux"],
}

_ring(changes) := object.union(_compliant, changes)

_input(rings) := {"evaluatedAt": "2026-11-27T12:00:00Z", "rings": rings}

_messages(findings) := {finding.message | some finding in findings}

test_success_compliant_ring if {
	messages := _messages(ring_installs_security_fixes.deny) with input as _input([_compliant])
	messages == set()
}

test_success_values_at_the_limits if {
	rings := [
		_ring({"duration": "01:30", "rebootSetting": "Always"}),
		_ring({"duration": "03:55", "rebootSetting": "ifRequired"}),
		_ring({"windowsClassifications": ["security", "CRITICAL"], "linuxClassifications": ["critical", "security"]}),
		_ring({"expirationDateTime": "2026-11-27 12:01"}),
		_ring({"expirationDateTime": "9999-12-31 00:00"}),
		_ring({"osFamilies": [], "windowsClassifications": null, "linuxClassifications": null}),
		object.remove(_compliant, ["expirationDateTime"]),
	]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == set()
}

test_success_recurrences_at_least_monthly if {
	recurrences := [
		"Day", "1Day", "5Days", "31Days", "Week", "4Weeks", "1Week Saturday,Sunday", "2Weeks Friday",
		"Month", "1Month", "Month day23,day24", "Month Last Sunday", "Month Fourth Monday Offset-3",
		"Month Third Sunday Offset6", "Month Second Tuesday", "month second tuesday offset7",
	]
	rings := [_ring({"recurEvery": recurrence}) | some recurrence in recurrences]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == set()
}

# The REST example MaintenanceConfigurations_GetForResource_GuestOSPatchWindows.json as a ring.
test_fail_rest_example_windows if {
	ring := _ring({
		"startDateTime": "2020-04-30 08:00", "expirationDateTime": "9999-12-31 00:00", "duration": "05:00",
		"timeZone": "Pacific Standard Time", "recurEvery": "5Days", "windowsClassifications": ["Security"],
		"linuxClassifications": null, "rebootSetting": "Always", "osFamilies": ["windows"],
	})
	messages := _messages(ring_installs_security_fixes.deny) with input as _input([ring])
	messages == {
		`ring "pilot" must install Critical and Security updates on its windows endpoints, but windowsClassifications is ["Security"]`,
		`ring "pilot" duration is "05:00"; it must be between "01:30" and "03:55" (HH:mm)`,
	}
}

test_fail_linux_only_critical if {
	ring := _ring({"linuxClassifications": ["Critical"], "windowsClassifications": null, "osFamilies": ["linux"]})
	messages := _messages(ring_installs_security_fixes.deny) with input as _input([ring])
	messages == {`ring "pilot" must install Critical and Security updates on its linux endpoints, but linuxClassifications is ["Critical"]`}
}

test_fail_classifications_unknown if {
	ring := _ring({"windowsClassifications": {"$unknown": true}})
	messages := _messages(ring_installs_security_fixes.deny) with input as _input([ring])
	messages == {
		`ring "pilot" must install Critical and Security updates on its windows endpoints, but windowsClassifications is unknown until apply`,
	}
}

test_fail_os_families_missing_checks_both if {
	ring := object.remove(_ring({"linuxClassifications": null}), ["osFamilies"])
	messages := _messages(ring_installs_security_fixes.deny) with input as _input([ring])
	messages == {`ring "pilot" must install Critical and Security updates on its linux endpoints, but linuxClassifications is not set`}
}

test_fail_reboot_never if {
	messages := _messages(ring_installs_security_fixes.deny) with input as _input([_ring({"rebootSetting": "Never"})])
	messages == {`ring "pilot" rebootSetting is "Never"; it must be "IfRequired" or "Always" so updates that need a restart take effect`}
}

test_fail_reboot_unknown_or_missing if {
	rings := [_ring({"rebootSetting": {"$unknown": true}, "name": "a"}), object.remove(_ring({"name": "b"}), ["rebootSetting"])]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == {
		`ring "a" rebootSetting is unknown until apply; it must be "IfRequired" or "Always" so updates that need a restart take effect`,
		`ring "b" rebootSetting is not set; it must be "IfRequired" or "Always" so updates that need a restart take effect`,
	}
}

test_fail_duration_out_of_range_or_malformed if {
	rings := [_ring({"name": name, "duration": duration}) | some name, duration in {
		"short": "01:29", "long": "03:56", "minutes": "03:60", "format": "3h", "number": 180, "unknown": {"$unknown": true},
	}]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == {
		`ring "short" duration is "01:29"; it must be between "01:30" and "03:55" (HH:mm)`,
		`ring "long" duration is "03:56"; it must be between "01:30" and "03:55" (HH:mm)`,
		`ring "minutes" duration is "03:60"; it must be between "01:30" and "03:55" (HH:mm)`,
		`ring "format" duration is "3h"; it must be between "01:30" and "03:55" (HH:mm)`,
		`ring "number" duration is 180; it must be between "01:30" and "03:55" (HH:mm)`,
		`ring "unknown" duration is unknown until apply; it must be between "01:30" and "03:55" (HH:mm)`,
	}
}

test_fail_recurrence_too_rare_or_invalid if {
	rings := [_ring({"name": recurrence, "recurEvery": recurrence}) | some recurrence in [
		"6Hours", "Hour", "0Days", "5Weeks", "2Months", "Month Second Tuesday Offset2 Friday", "Week Funday",
	]]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == {sprintf(
		"ring %s recurEvery is %s; it must recur at least monthly (Day, NDays, Week or NWeeks up to 4Weeks, or Month)",
		[json.marshal(ring.name), json.marshal(ring.recurEvery)],
	) |
		some ring in rings
	}
}

test_fail_recurrence_unknown_or_missing if {
	rings := [_ring({"name": "a", "recurEvery": {"$unknown": true}}), object.remove(_ring({"name": "b"}), ["recurEvery"])]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == {
		`ring "a" recurEvery is unknown until apply; it must recur at least monthly (Day, NDays, Week or NWeeks up to 4Weeks, or Month)`,
		`ring "b" recurEvery is not set; it must recur at least monthly (Day, NDays, Week or NWeeks up to 4Weeks, or Month)`,
	}
}

test_fail_expired if {
	rings := [
		_ring({"name": "old", "expirationDateTime": "2026-06-30 00:00"}),
		_ring({"name": "now", "expirationDateTime": "2026-11-27 12:00"}),
	]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == {
		`ring "old" expired on 2026-06-30 00:00 (expirationDateTime), so it no longer installs updates`,
		`ring "now" expired on 2026-11-27 12:00 (expirationDateTime), so it no longer installs updates`,
	}
}

test_fail_expiry_unknown_or_malformed if {
	rings := [
		_ring({"name": "unknown", "expirationDateTime": {"$unknown": true}}),
		_ring({"name": "iso", "expirationDateTime": "2027-01-01T00:00:00Z"}),
	]
	messages := _messages(ring_installs_security_fixes.deny) with input as _input(rings)
	messages == {
		`ring "unknown" expirationDateTime is unknown until apply; it must be unset or a "YYYY-MM-DD HH:mm" time after the evaluation time`,
		`ring "iso" expirationDateTime is "2027-01-01T00:00:00Z"; it must be unset or a "YYYY-MM-DD HH:mm" time after the evaluation time`,
	}
}

test_fail_expiry_without_evaluation_time if {
	ring := _ring({"expirationDateTime": "2099-01-01 00:00"})
	messages := _messages(ring_installs_security_fixes.deny) with input as {"rings": [ring]}
	messages == {
		`ring "pilot" expirationDateTime is "2099-01-01 00:00"; it must be unset or a "YYYY-MM-DD HH:mm" time after the evaluation time`,
	}
}

test_fail_each_check_its_own_finding if {
	ring := object.remove(_compliant, ["name", "windowsClassifications", "rebootSetting", "duration", "recurEvery"])
	findings := ring_installs_security_fixes.deny with input as _input([ring])
	count(findings) == 4
	ring_installs_security_fixes.policy.severity == "high"
	{[f.policy, f.urn] | some f in findings} == {["ring-installs-security-fixes", _compliant.urn]}
}
