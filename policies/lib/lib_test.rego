package policies.lib_test

import data.policies.lib

_package_annotations := {
	"scope": "package",
	"title": "Example policy",
	"description": "What it checks.",
	"related_resources": [{"ref": "https://learn.microsoft.com/a"}, {"ref": "https://learn.microsoft.com/b"}],
	"custom": {"id": "example", "severity": "low", "enforcement": "advisory", "remediation": "Fix it."},
}

_chain := [
	{"path": ["policies", "rules", "example", "policy"], "annotations": {"scope": "rule", "title": "Descriptor"}},
	{"path": ["policies", "rules", "example"], "annotations": _package_annotations},
]

test_policy_reads_the_package_annotations if {
	lib.policy(_chain) == {
		"id": "example",
		"title": "Example policy",
		"description": "What it checks.",
		"severity": "low",
		"enforcement": "advisory",
		"remediation": "Fix it.",
		"references": ["https://learn.microsoft.com/a", "https://learn.microsoft.com/b"],
	}
}

test_policy_without_related_resources if {
	chain := [{"path": [], "annotations": object.remove(_package_annotations, ["related_resources"])}]
	lib.policy(chain).references == []
}

test_policy_needs_a_package_scope if {
	not lib.policy([_chain[0]])
}

# Title, severity, remediation and references stay in the descriptor: the engine adds them.
test_finding_combines_descriptor_subject_and_message if {
	descriptor := lib.policy(_chain)
	subject := {"urn": "urn:x", "type": "t", "name": "ignored"}
	lib.finding(descriptor, subject, "it fails") == {
		"policy": "example",
		"enforcement": "advisory",
		"urn": "urn:x",
		"type": "t",
		"message": "it fails",
	}
}

test_unknown_and_secret if {
	lib.is_unknown({"$unknown": true})
	not lib.is_unknown({"$unknown": false})
	not lib.is_unknown("x")
	lib.is_secret({"$secret": true})
	not lib.is_secret({"$unknown": true})
	not lib.is_secret(null)
}

test_describe if {
	lib.describe({"$unknown": true}) == "unknown until apply"
	lib.describe({"$secret": true}) == "a secret"
	lib.describe(null) == "not set"
	lib.describe("Never") == `"Never"`
	lib.describe(`say "hi"`) == `"say \"hi\""`
	lib.describe(3) == "3"
	lib.describe(false) == "false"
	lib.describe(["Security"]) == `["Security"]`
	lib.describe({"a": 1}) == `{"a":1}`
}

# A value written under keys that differ only in case: not readable, its fields are itself, and
# messages name every key.
test_ambiguous if {
	ambiguous := {"$ambiguous": ["Exclusions", "exclusions"]}
	lib.is_ambiguous(ambiguous)
	not lib.is_ambiguous({"$ambiguous": "Exclusions"})
	not lib.is_ambiguous("x")
	not lib.readable(ambiguous)
	lib.field(ambiguous, "Paths") == ambiguous
	lib.describe(ambiguous) == `ambiguous: "Exclusions" and "exclusions" differ only in case, so which one the extension reads is undefined`
	lib.ambiguous_keys("Exclusions.", {"$ambiguous": ["Paths", "paths", "PATHS"]}) == concat("", [
		`"Exclusions.Paths", "Exclusions.paths" and "Exclusions.PATHS" differ only in case, `,
		"so which one the extension reads is undefined",
	])
	lib.ambiguous_keys("", {"$ambiguous": ["day"]}) == `"day" differ only in case, so which one the extension reads is undefined`
}

test_quote if {
	lib.quote("web-01") == `"web-01"`
	lib.quote("") == `""`
}

test_enabled if {
	lib.enabled(true)
	lib.enabled("true")
	lib.enabled("TRUE")
	not lib.enabled(false)
	not lib.enabled("false")
	not lib.enabled("yes")
	not lib.enabled(1)
	not lib.enabled(null)
	not lib.enabled({"$unknown": true})
}

test_lower_list if {
	lib.lower_list(["Critical", " Security ", "", 3, null]) == ["critical", "security"]
	lib.lower_list("C:\\Temp; D:\\Data ;;") == ["c:\\temp", "d:\\data"]
	lib.lower_list("") == []
	lib.lower_list(null) == []
	not lib.lower_list({"$unknown": true})
	not lib.lower_list(7)
}

test_tag if {
	lib.tag({"ring": "pilot"}, "ring") == "pilot"
	not lib.tag({"ring": "pilot"}, "client")
	not lib.tag(null, "ring")
	not lib.tag({"$unknown": true}, "ring")
}

test_version_at_least if {
	lib.version_at_least("1.10", "1.9")
	not lib.version_at_least("1.9", "1.10")
	lib.version_at_least("1.3", "1.3.0")
	lib.version_at_least("1.3.0", "1.3")
	lib.version_at_least("1.3", "1.3")
	lib.version_at_least("2", "1.99.99")
	lib.version_at_least("1.3.0.1", "1.3")
	not lib.version_at_least("1.2.9", "1.3")
	not lib.version_at_least("1.3", "1.3.0.1")
	lib.version_at_least("1.03", "1.3")
}

test_version_at_least_rejects_what_is_not_a_version if {
	not lib.version_at_least("1.x", "1.0")
	not lib.version_at_least("", "1.0")
	not lib.version_at_least("1.3", "latest")
	not lib.version_at_least(1.3, "1.0")
	not lib.version_at_least(null, "1.0")
	not lib.version_at_least({"$unknown": true}, "1.0")
}

test_extension_lists_filter_by_role_and_product if {
	extensions := [
		{"urn": "a", "role": "antivirus", "product": "antimalware"},
		{"urn": "b", "role": "antivirus", "product": "mde"},
		{"urn": "c", "role": "monitoring", "product": "ama"},
	]
	[e.urn | some e in lib.antivirus_extensions] == ["a", "b"] with input as {"extensions": extensions}
	[e.urn | some e in lib.antimalware_extensions] == ["a"] with input as {"extensions": extensions}
}
