# METADATA
# title: Managed resources carry the managed tags
# description: |
#   Every endpoint whose tags the stack can see, and every steward-managed taggable resource
#   (antivirus and monitoring extensions, rings, data collection rules, workspaces, action
#   groups), carries tag "client" equal to the stack's client and tag "managed-by" equal to
#   settings.managedBy; when the stack has no client, any non-empty "client" tag will do. An
#   endpoint also carries tag "ring" naming the update ring it is assigned to (the ring its
#   assignments resolve to, else its declared ring). Tags unknown until apply are reported, since
#   they cannot be checked. An endpoint whose tags are null is skipped when the stack does not own
#   the machine (its tags are not visible); a machine of the stack with null tags has none and is
#   reported. Scale set extensions are not judged: ARM gives them no tags.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources
#     description: Use tags to organize your Azure resources and management hierarchy
#   - ref: https://learn.microsoft.com/en-us/azure/cloud-adoption-framework/ready/azure-best-practices/resource-tagging
#     description: Define your tagging strategy (Cloud Adoption Framework)
# custom:
#   id: managed-tags
#   severity: medium
#   enforcement: mandatory
#   remediation: |
#     Give the resource the tags "client" (the client id of the stack), "managed-by" (settings
#     managedBy, "steward" by default) and, on an endpoint, "ring" (its update ring's name); the
#     steward baseline components set these on what they create, so fix a hand-made or edited tag.
package policies.rules.managed_tags

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Endpoint tags
# description: Reports every missing or wrong managed tag of an endpoint whose tags the stack can see.
deny contains lib.finding(policy, endpoint, _message(problem, lib.endpoint_label(endpoint))) if {
	some endpoint in input.endpoints
	tags := object.get(endpoint, "tags", {})
	_visible(endpoint, tags)
	some problem in _problems(tags, _rings_of(endpoint))
}

# METADATA
# title: Managed resource tags
# description: Reports every missing or wrong managed tag of a steward-managed resource, and a resource with no tags.
deny contains lib.finding(policy, resource, _message(problem, _resource_label(resource))) if {
	some resource in _managed
	some problem in _problems(object.get(resource, "tags", null), set())
}

# The extensions steward manages carry their tags in input.extensions; every other managed
# resource is in input.managedResources (an extension is listed once, not in both). A scale set's
# extensions are the exception: ARM gives them no tags (taggable false), so there is none to check.
_managed := array.concat(input.managedResources, [extension |
	some extension in input.extensions
	extension.role != "other"
	object.get(extension, "taggable", true) != false
])

# Null tags mean "not visible" only for a machine the stack does not own: the normalizer also
# writes null for a machine of the stack that sets no tags at all.
_visible(_, tags) if tags != null

_visible(endpoint, null) if "stack" in object.get(endpoint, "origins", [])

# A problem is the text of its message before and after the resource's label, so a label (split,
# json.marshal and string building for every endpoint and managed resource) is only built for a
# finding. Messages are joined with concat: under wasm, sprintf is a call out to JavaScript.
_message([before, after], label) := concat("", [before, label, after])

_problems(null, rings) := {["", concat("", [" carries no tags; it needs ", _keys_text(_expected(rings))])]}

_problems(tags, _) := {["", concat("", [" has tags ", lib.describe(tags), ", so they cannot be checked"])]} if {
	tags != null
	not _readable(tags)
}

# The client and managed-by tags are checked against _common, computed once; the ring tag only
# when the endpoint has rings (a managed resource never has).
_problems(tags, rings) := common | ring if {
	_readable(tags)
	common := {problem | some key, allowed in _common; problem := _tag_problem(tags, key, allowed)}
	ring := {problem | count(rings) > 0; problem := _tag_problem(tags, "ring", rings)}
}

_tag_problem(tags, key, allowed) := [
	concat("", ["Tag ", lib.quote(key), " of "]),
	concat("", [" is ", lib.describe(value), ", expected ", _allowed_text(allowed)]),
] if {
	value := object.get(tags, key, null)
	not _acceptable(value, allowed)
}

# Tag key -> accepted values; an empty set accepts any non-empty text.
_expected(rings) := object.union(_common, {"ring": rings}) if count(rings) > 0

_expected(rings) := _common if count(rings) == 0

_common := {
	"client": _accepted(object.get(input, ["stack", "client"], null)),
	"managed-by": _accepted(object.get(input, ["settings", "managedBy"], null)),
}

_accepted(null) := set()

_accepted(value) := {value} if value != null

_acceptable(value, allowed) if value in allowed

_acceptable(value, allowed) if {
	count(allowed) == 0
	is_string(value)
	trim_space(value) != ""
}

_allowed_text(allowed) := "a non-empty value" if count(allowed) == 0

_allowed_text(allowed) := concat(" or ", [lib.quote(value) | some value in sort(allowed)]) if count(allowed) > 0

_keys_text(expected) := concat(", ", [lib.quote(key) | some key in sort(object.keys(expected))])

# The ring names the endpoint's assignments resolve to; with none, its declared ring. An else
# chain, so the assignments are resolved once per endpoint.
_rings_of(endpoint) := rings if {
	rings := _assigned_rings(endpoint)
	count(rings) > 0
} else := {declared} if {
	declared := object.get(endpoint, "declaredRing", null)
	is_string(declared)
} else := set()

# An assignment to a maintenance configuration outside the stack names an id, not a ring urn, and
# resolves to nothing here.
_assigned_rings(endpoint) := {_ring_names[assignment.ring] | some assignment in object.get(endpoint, "ringAssignments", [])}

# A complete rule is computed once; an object rule would rescan input.rings for every lookup in
# the Go evaluator (no index on the key), which is quadratic on large documents.
# regal ignore:prefer-set-or-object-rule
_ring_names := {ring.urn: ring.name | some ring in input.rings}

_readable(tags) if {
	is_object(tags)
	not lib.is_unknown(tags)
	not lib.is_secret(tags)
}

# "azure-native:compute:VirtualMachineExtension" and "urn:...::web-01-antivirus" read as
# VirtualMachineExtension "web-01-antivirus".
_resource_label(resource) := concat(" ", [_last(resource.type, ":"), lib.quote(_last(resource.urn, "::"))])

_last(text, separator) := parts[count(parts) - 1] if parts := split(text, separator)
