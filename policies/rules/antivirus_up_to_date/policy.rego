# METADATA
# title: Antivirus extension up to date
# description: |
#   Every antivirus extension (Microsoft Antimalware or Defender for Endpoint) takes new minor
#   versions automatically (autoUpgradeMinorVersion true, as Azure built-in
#   c43e4a30-77cb-48ab-a4dd-93f175c63b57 requires of IaaSAntimalware) and runs a handler version
#   (typeHandlerVersion) at least settings.minimumHandlerVersions[extension type] when the settings
#   name a minimum for its type (in any case, as Azure reads extension types; where two keys name
#   the same type in different cases, the version must meet both). A version that is missing,
#   unknown until apply or not a dotted number is reported, since it cannot be shown to meet the
#   minimum.
# related_resources:
#   - ref: https://www.azadvertizer.net/azpolicyadvertizer/c43e4a30-77cb-48ab-a4dd-93f175c63b57.html
#     description: |
#       Azure built-in c43e4a30-77cb-48ab-a4dd-93f175c63b57, Microsoft Antimalware for Azure should
#       be configured to automatically update protection signatures (Azure/azure-policy,
#       built-in-policies/policyDefinitions/Compute/VirtualMachines_AntiMalwareAutoUpdate_AINE.json)
#   - ref: https://learn.microsoft.com/en-us/azure/virtual-machines/extensions/overview
#     description: Azure virtual machine extensions (typeHandlerVersion, autoUpgradeMinorVersion)
# custom:
#   id: antivirus-up-to-date
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     Set autoUpgradeMinorVersion to true on the antivirus extension and pin typeHandlerVersion to
#     at least the minimum in the client's settings (minimumHandlerVersions), e.g. "1.3" for
#     IaaSAntimalware.
package policies.rules.antivirus_up_to_date

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Minor versions not automatic
# description: Reports every antivirus extension whose autoUpgradeMinorVersion is not true (false, unknown or missing).
deny contains lib.finding(policy, extension, message) if {
	some extension in lib.antivirus_extensions
	value := object.get(extension, "autoUpgradeMinorVersion", null)
	not lib.enabled(value)
	message := sprintf(
		"%s has autoUpgradeMinorVersion %s; it must be true so the extension takes new minor versions automatically",
		[_label(extension), lib.describe(value)],
	)
}

# METADATA
# title: Handler version too old
# description: |
#   Reports every antivirus extension whose typeHandlerVersion is below the configured minimum for
#   its type, or is missing, unknown or not a version.
deny contains lib.finding(policy, extension, message) if {
	some extension in lib.antivirus_extensions
	version := object.get(extension, "typeHandlerVersion", null)
	some minimum in _minimums[_lower(extension.extensionType)]
	not _current[[version, minimum]]
	message := sprintf(
		"%s has typeHandlerVersion %s; it must be at least %s",
		[_label(extension), lib.describe(version), lib.describe(minimum)],
	)
}

# The configured minimums by extension type in lower case, built once: the normalizer gives known
# extensions their canonical type, and a client's settings may spell it in any case (two
# spellings of one type both apply). One lookup per extension, not a scan of the settings.
# regal ignore:prefer-set-or-object-rule
_minimums := {type: {minimum |
	some written, minimum in input.settings.minimumHandlerVersions
	lower(written) == type
} |
	some written, _ in input.settings.minimumHandlerVersions
	type := lower(written)
}

# Fleets run few handler versions: each distinct [version, minimum] pair is compared once per
# evaluation (complete rules), not once per extension.
_versions contains [object.get(extension, "typeHandlerVersion", null), minimum] if {
	some extension in lib.antivirus_extensions
	some minimum in _minimums[_lower(extension.extensionType)]
}

# The pairs whose version is at least the minimum. A complete rule: the Go evaluator would
# evaluate a partial set rule per looked-up pair.
# regal ignore:prefer-set-or-object-rule
_current := {pair |
	some pair in _versions
	lib.version_at_least(pair[0], pair[1])
}

_lower(type) := lower(type) if is_string(type)

_label(extension) := lib.extension_label(_type(extension), extension)

_type(extension) := extension.extensionType if is_string(extension.extensionType)

_type(extension) := "Antivirus" if not is_string(extension.extensionType)
