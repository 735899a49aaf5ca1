# METADATA
# title: Managed resources carry the managed tags
# description: |
#   Every endpoint whose tags the stack can see, and every steward-managed taggable resource
#   (extensions, rings, data collection rules, workspaces), carries tag "client" equal to the stack's
#   client and tag "managed-by" equal to settings.managedBy; when the stack has no client, any
#   non-empty "client" tag will do. An endpoint also carries tag "ring" naming the update ring it is
#   assigned to (the ring its assignments resolve to, else its declared ring). Tags unknown until
#   apply are reported, since they cannot be checked. An endpoint whose tags are null is skipped
#   when the stack does not own the machine (its tags are not visible); a machine of the stack with
#   null tags has none and is reported.
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
deny contains lib.finding(policy, endpoint, message) if {
	some endpoint in input.endpoints
	tags := object.get(endpoint, "tags", {})
	_visible(endpoint, tags)
	some message in _problems(_endpoint_label(endpoint), tags, _expected(_rings_of(endpoint)))
}

# METADATA
# title: Managed resource tags
# description: Reports every missing or wrong managed tag of a steward-managed resource, and a resource with no tags.
deny contains lib.finding(policy, resource, message) if {
	some resource in input.managedResources
	some message in _problems(_resource_label(resource), object.get(resource, "tags", null), _expected(set()))
}

# Null tags mean "not visible" only for a machine the stack does not own: the normalizer also
# writes null for a machine of the stack that sets no tags at all.
_visible(_, tags) if tags != null

_visible(endpoint, null) if "stack" in object.get(endpoint, "origins", [])

_problems(label, null, expected) := {sprintf("%s carries no tags; it needs %s", [label, _keys_text(expected)])}

_problems(label, tags, _) := {sprintf("%s has tags %s, so they cannot be checked", [label, lib.describe(tags)])} if {
	tags != null
	not _readable(tags)
}

_problems(label, tags, expected) := messages if {
	_readable(tags)
	messages := {message |
		some key, allowed in expected
		value := object.get(tags, key, null)
		not _acceptable(value, allowed)
		message := sprintf("Tag %s of %s is %s, expected %s", [lib.quote(key), label, lib.describe(value), _allowed_text(allowed)])
	}
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

# The ring names the endpoint's assignments resolve to; with none, its declared ring.
_rings_of(endpoint) := rings if {
	rings := _assigned_rings(endpoint)
	count(rings) > 0
}

_rings_of(endpoint) := {declared} if {
	count(_assigned_rings(endpoint)) == 0
	declared := object.get(endpoint, "declaredRing", null)
	is_string(declared)
}

_rings_of(endpoint) := set() if {
	count(_assigned_rings(endpoint)) == 0
	not is_string(object.get(endpoint, "declaredRing", null))
}

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

_endpoint_label(endpoint) := sprintf("%s %s", [
	object.get(lib.kind_label, object.get(endpoint, "kind", null), "Endpoint"),
	lib.quote(object.get(endpoint, "name", endpoint.urn)),
])

# "azure-native:compute:VirtualMachineExtension" and "urn:...::web-01-antivirus" read as
# VirtualMachineExtension "web-01-antivirus".
_resource_label(resource) := sprintf("%s %s", [_last(resource.type, ":"), lib.quote(_last(resource.urn, "::"))])

_last(text, separator) := parts[count(parts) - 1] if parts := split(text, separator)
