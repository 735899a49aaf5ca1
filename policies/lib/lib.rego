# METADATA
# title: Shared helpers
# description: |
#   The one place that builds findings, plus the value helpers every policy uses to read the
#   normalized document (core/document.ts), where unknown values are {"$unknown": true} and
#   secrets are {"$secret": true}.
package policies.lib

# METADATA
# title: Policy descriptor
# description: |
#   Reads a policy's METADATA (title, description, related_resources and the custom fields id,
#   severity, enforcement, remediation) from the annotation chain of the rule that calls it.
policy(chain) := {
	"id": annotations.custom.id,
	"title": annotations.title,
	"description": annotations.description,
	"severity": annotations.custom.severity,
	"enforcement": annotations.custom.enforcement,
	"remediation": annotations.custom.remediation,
	"references": [ref.ref | some ref in object.get(annotations, "related_resources", [])],
} if {
	some entry in chain
	entry.annotations.scope == "package"
	annotations := entry.annotations
}

# METADATA
# title: Finding
# description: |
#   Builds a finding of `descriptor` (from `policy`) about `subject` (any fact of the document:
#   it carries `urn` and `type`). Rules never assemble finding objects themselves. A finding
#   carries only what varies per finding plus the default enforcement (which main overrides):
#   the engine adds title, severity, remediation and references from the catalog by policy id,
#   because every finding is hashed into two sets and serialized out of wasm (BENCHMARKS.md,
#   second round: "findings carry only what varies").
finding(descriptor, subject, message) := {
	"policy": descriptor.id,
	"enforcement": descriptor.enforcement,
	"urn": subject.urn,
	"type": subject.type,
	"message": message,
}

# METADATA
# title: Unknown value
# description: True when a value is not known until the change is applied.
is_unknown(value) if value["$unknown"] == true

# METADATA
# title: Secret value
# description: True when a value is a secret whose content is withheld.
is_secret(value) if value["$secret"] == true

# METADATA
# title: Sentinel value
# description: True for an unknown or a secret value.
# scope: document
is_sentinel(value) if is_unknown(value)

is_sentinel(value) if is_secret(value)

# METADATA
# title: Ambiguous value
# description: |
#   True for {"$ambiguous": [keys]}: the normalizer's stand-in for a settings value written under
#   two or more keys that differ only in case (the handler reads keys case-insensitively, so which
#   one applies is undefined; neither value is carried).
is_ambiguous(value) if is_array(value["$ambiguous"])

# METADATA
# title: Readable object
# description: True for an object whose fields can be read (not a sentinel, not ambiguous).
readable(value) if {
	is_object(value)
	not is_sentinel(value)
	not is_ambiguous(value)
}

# METADATA
# title: Field of a settings object
# description: |
#   The child `key` of `parent`: null when absent or when the parent is not an object. A sentinel
#   or ambiguous parent makes the child the same value, so messages say "unknown until apply" or
#   name the ambiguous keys, not "not set".
# scope: document
field(parent, _) := parent if is_sentinel(parent)

field(parent, _) := parent if is_ambiguous(parent)

field(parent, key) := object.get(parent, key, null) if readable(parent)

field(parent, _) := null if not is_object(parent)

# METADATA
# title: Endpoint kind label
# description: How messages name each kind of endpoint.
kind_label := {"azure-vm": "Azure VM", "arc-machine": "Arc machine", "vm-scale-set": "Scale set"}

# METADATA
# title: Endpoint label
# description: |
#   How messages name an endpoint, e.g. `Azure VM "web-01"`: its kind's label (or "Endpoint" when
#   the kind is missing or unknown) and its quoted name (its urn when it has none).
endpoint_label(endpoint) := concat(" ", [
	object.get(kind_label, object.get(endpoint, "kind", null), "Endpoint"),
	quote(object.get(endpoint, "name", endpoint.urn)),
])

# METADATA
# title: Something to protect
# description: |
#   True when the document has an endpoint, a machine steward does not understand, or a declared
#   baseline: stack-wide policies (threat alert routing) judge only such stacks, so a stack of
#   another project (an AWS stack's export) has nothing to answer for.
# scope: document
protects_something if count(input.endpoints) > 0

protects_something if count(object.get(input, "unrecognizedMachines", [])) > 0

protects_something if input.baseline != null

# METADATA
# title: Resource name
# description: The name part of a Pulumi URN (after the last "::").
resource_name(urn) := parts[count(parts) - 1] if parts := split(urn, "::")

# METADATA
# title: Endpoint names
# description: |
#   Endpoint name by endpoint urn, computed once per evaluation: a lookup table, never a search of
#   input.endpoints per finding (the wasm target has no rule indexing).
endpoint_names := {endpoint.urn: endpoint.name | some endpoint in input.endpoints}

# METADATA
# title: Antivirus extensions
# description: |
#   The extensions whose role is antivirus, listed once per evaluation: policies iterate this
#   instead of filtering all of input.extensions each (monitoring agents are half of them).
antivirus_extensions := [extension | some extension in input.extensions; extension.role == "antivirus"]

# METADATA
# title: Microsoft Antimalware extensions
# description: The extensions whose product is Microsoft Antimalware, listed once per evaluation.
antimalware_extensions := [extension | some extension in input.extensions; extension.product == "antimalware"]

# METADATA
# title: Extension label
# description: How messages name an extension, e.g. `IaaSAntimalware extension "web-01-av" on "web-01"`.
# scope: document
extension_label(what, extension) := concat("", [
	what,
	" extension ",
	quote(resource_name(extension.urn)),
	" on ",
	quote(endpoint_names[extension.endpoint]),
])

# Labels are built per finding with concat: under wasm, sprintf is a call out to JavaScript with
# its arguments serialized to JSON.
extension_label(what, extension) := concat(" ", [what, "extension", quote(resource_name(extension.urn))]) if {
	not endpoint_names[extension.endpoint]
}

# METADATA
# title: Describe a value
# description: Renders a value for a message without ever showing a secret.
# scope: document
describe(value) := "unknown until apply" if is_unknown(value)

describe(value) := "a secret" if is_secret(value)

describe(null) := "not set"

describe(value) := quote(value) if is_string(value)

describe(value) := concat("", ["ambiguous: ", ambiguous_keys("", value)]) if is_ambiguous(value)

describe(value) := json.marshal(value) if {
	not is_string(value)
	value != null
	not is_unknown(value)
	not is_secret(value)
	not is_ambiguous(value)
}

# METADATA
# title: Ambiguous keys
# description: |
#   The keys of an ambiguous value, each after `prefix` (its parent's path, "" at the top), quoted,
#   and why they are a problem: `"Exclusions" and "exclusions" differ only in case, so which one
#   the extension reads is undefined`.
ambiguous_keys(prefix, value) := concat("", [
	_and_list([quote(concat("", [prefix, key])) | some key in value["$ambiguous"]]),
	" differ only in case, so which one the extension reads is undefined",
])

_and_list(items) := items[0] if count(items) == 1

_and_list(items) := concat(" and ", [concat(", ", array.slice(items, 0, count(items) - 1)), items[count(items) - 1]]) if count(items) > 1

# METADATA
# title: Quote
# description: |
#   A string in double quotes, escaped as JSON. Use it instead of sprintf's %q, which the wasm
#   runtime's (JavaScript) sprintf does not support.
quote(text) := json.marshal(text)

# METADATA
# title: Enabled
# description: True for the boolean true or the string "true" in any case (extension settings use both).
# scope: document
enabled(true)

enabled(value) if {
	is_string(value)
	lower(value) == "true"
}

# METADATA
# scope: document
# title: Lower-case list
# description: |
#   A list setting as lower-case strings: arrays as they are, semicolon-separated strings split
#   (the form Microsoft Antimalware settings use), blanks dropped.
lower_list(value) := _clean(value) if is_array(value)

lower_list(value) := _clean(split(value, ";")) if is_string(value)

lower_list(null) := []

_clean(items) := [lower(trim_space(item)) | some item in items; is_string(item); trim_space(item) != ""]

# METADATA
# title: Tag value
# description: The value of a tag, undefined when the tags or the tag are absent.
tag(tags, key) := tags[key] if is_object(tags)

# METADATA
# title: Version at least
# description: |
#   True when dotted version `version` is at least `minimum` (1.10 > 1.9), comparing numeric parts;
#   missing parts count as 0.
version_at_least(version, minimum) if {
	have := _version_parts(version)
	want := _version_parts(minimum)
	width := max([count(have), count(want)])
	differences := [difference |
		some i in numbers.range(0, width - 1)
		difference := _part(have, i) - _part(want, i)
		difference != 0
	]
	_first_or_zero(differences) >= 0
}

_version_parts(version) := [to_number(part) | some part in split(version, ".")] if {
	is_string(version)
	regex.match(`^[0-9]+(\.[0-9]+)*$`, version)
}

_part(parts, i) := parts[i]

_part(parts, i) := 0 if count(parts) <= i

_first_or_zero(list) := list[0]

_first_or_zero([]) := 0
