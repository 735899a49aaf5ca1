# METADATA
# title: Antivirus exclusions are safe
# description: |
#   No Microsoft Antimalware extension excludes from scanning a location, file type or process that
#   must never be excluded, judged as Microsoft Defender Antivirus (the engine the extension
#   configures) resolves the entry: the normalizer expands the system environment variables as the
#   SYSTEM account sees them (%USERPROFILE% is C:\Windows\system32\config\systemprofile,
#   %TEMP% C:\Windows\Temp), resolves `.` and `..`, strips \\?\ and \\.\ prefixes, unifies
#   slashes and case and drops repeated and trailing separators, dots, spaces and `\*`
#   (core/defender-paths.ts); the lists and their sources are in policies/lib/exclusions.
#   Folders are judged as prefixes, as a folder exclusion covers everything below it: anything at or
#   under Windows (System32, SysWOW64, Temp...), Program Files, ProgramData or a user's profile, a
#   temporary folder, a drive or share root, also through wildcards (C:\*\Temp covers
#   C:\Windows\Temp); a bare file name (it matches in every folder); every file or a risky file
#   type by pattern. Extensions: every file type, executables, scripts, archives and disk images,
#   with or without a leading dot or *. Processes: wildcards, programs attackers use (Microsoft's
#   list, its recommended block rules, LOLBAS) and programs in system, temporary or profile
#   folders. An entry that uses a variable Defender does not resolve for SYSTEM (a user variable
#   such as %HOMEPATH%, an unknown one such as %FOO%), an 8.3 short name or no drive cannot be
#   judged and is reported; so are exclusions unknown until apply, not an object, written under
#   keys that differ only in case, or settings text that is not a JSON object. Messages quote the
#   entry as written and, when different, what it resolves to.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/common-exclusion-mistakes-microsoft-defender-antivirus
#     description: Common mistakes to avoid when defining exclusions (Microsoft Defender Antivirus)
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/configure-extension-file-exclusions-microsoft-defender-antivirus
#     description: Configure exclusions by file extension and folder location (wildcards, system environment variables)
#   - ref: https://learn.microsoft.com/en-us/azure/security/fundamentals/antimalware
#     description: Microsoft Antimalware for Azure Cloud Services and Virtual Machines (Exclusions settings)
# custom:
#   id: antivirus-safe-exclusions
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     Remove the entry from the antivirus exclusions in the client's baseline; exclude only the
#     specific files or folders of a workload, as fully qualified paths on a data drive, without user
#     environment variables or short names, as Microsoft's exclusion guidance for that workload
#     lists them.
package policies.rules.antivirus_safe_exclusions

import data.policies.lib
import data.policies.lib.exclusions

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Risky or unjudgeable exclusion
# description: |
#   Reports every exclusion entry that must never be excluded, or that cannot be judged (not text,
#   ambiguous, unresolvable), quoted as written.
deny contains lib.finding(policy, extension, concat(" ", [_label(extension), problem])) if {
	some [extension, entries] in _antimalware
	some problem in _list_problems[entries]
}

# METADATA
# title: Exclusions unreadable
# description: |
#   Reports exclusions that are unknown until apply, not an object or written under keys that differ
#   only in case, since they cannot be checked.
deny contains lib.finding(policy, extension, message) if {
	some [extension, _] in _antimalware
	exclusions := _exclusions(extension)
	exclusions != null
	not lib.readable(exclusions)
	message := _unreadable_exclusions(extension, exclusions)
}

# METADATA
# title: Settings not an object
# description: |
#   Reports settings that are text that does not parse as a JSON object (or any other value that is
#   not an object), since the exclusions in them cannot be checked.
deny contains lib.finding(policy, extension, message) if {
	some [extension, _] in _antimalware
	settings := object.get(extension, "settings", null)
	settings != null
	not is_object(settings)
	message := concat(" ", [_label(extension), "has settings that are not a JSON object, so its exclusions cannot be checked"])
}

# METADATA
# title: Exclusions not resolved
# description: Reports readable exclusions that the document carries no resolved entries for (fail closed).
deny contains lib.finding(policy, extension, message) if {
	some extension in lib.antimalware_extensions
	lib.readable(_exclusions(extension))
	not is_array(object.get(extension, "exclusions", null))
	message := concat(" ", [_label(extension), "has exclusions without resolved entries, so they cannot be checked"])
}

# Fleets give most extensions the same exclusions: the normalizer resolves every entry once, and
# the complete rules below judge every distinct entry and every distinct list once per evaluation;
# an extension only looks its list up. Problems are the findings' messages without the
# extension's label, which is added per extension.
#
# Every antimalware extension with its resolved exclusion entries.
_antimalware := [[extension, object.get(extension, "exclusions", [])] |
	some extension in lib.antimalware_extensions
]

_distinct_lists contains entries if {
	some [_, entries] in _antimalware
	is_array(entries)
	count(entries) > 0
}

_distinct_entries contains entry if {
	some entries in _distinct_lists
	some entry in entries
}

# The problem of every distinct entry that has one, judged once.
# regal ignore:prefer-set-or-object-rule
_entry_problems := {entry: problem |
	some entry in _distinct_entries
	problem := _problem(entry)
}

# The problems of each distinct list that has any.
# regal ignore:prefer-set-or-object-rule
_list_problems := {entries: problems |
	some entries in _distinct_lists
	problems := {_entry_problems[entry] | some entry in entries}
	count(problems) > 0
}

_kinds := {"Paths": "path", "Extensions": "file extension", "Processes": "process"}

# Missing settings mean no exclusions; antivirus_protection_on reports the missing settings.
_exclusions(extension) := lib.field(object.get(extension, "settings", null), "Exclusions")

_unreadable_exclusions(extension, exclusions) := concat("", [
	_label(extension), " has ambiguous settings: keys ", lib.ambiguous_keys("", exclusions),
	"; its exclusions cannot be checked",
]) if {
	lib.is_ambiguous(exclusions)
}

_unreadable_exclusions(extension, exclusions) := concat("", [
	_label(extension), " has exclusions ", lib.describe(exclusions), ", so they cannot be checked",
]) if {
	not lib.is_ambiguous(exclusions)
}

# An entry that is not text: unknown until apply, a number, a list written under two keys.
_problem(entry) := concat("", [
	"has ambiguous settings: keys ", lib.ambiguous_keys("Exclusions.", entry.written),
	"; its exclusions cannot be checked",
]) if {
	lib.is_ambiguous(entry.written)
}

_problem(entry) := concat("", [
	"has an exclusion in ", entry.kind, " that is ", lib.describe(entry.written),
	", so it cannot be checked",
]) if {
	not is_string(entry.written)
	not lib.is_ambiguous(entry.written)
}

# Text Defender would not resolve as SYSTEM does, or without a drive or share: the excluded
# location is unknown, so the entry fails closed.
_problem(entry) := concat("", [_excludes(entry), ", which cannot be judged: ", _unresolved(entry)]) if {
	is_string(entry.written)
	_cannot_judge(entry)
}

_problem(entry) := concat("", [_excludes(entry), _resolves_to(entry), ": never exclude ", risk]) if {
	is_string(entry.written)
	not _cannot_judge(entry)
	risk := _risk(entry)
}

_cannot_judge(entry) if count(_unresolved_parts(entry)) > 0

_cannot_judge(entry) if not is_string(entry.resolved)

_cannot_judge(entry) if _relative(entry)

_relative(entry) if {
	entry.kind != "Extensions"
	exclusions.path_parts(entry.resolved).form == "relative"
}

# The normalizer lists what Defender would not resolve only when there is any.
_unresolved_parts(entry) := object.get(entry, "unresolved", [])

_excludes(entry) := concat("", ["excludes ", _kinds[entry.kind], " ", lib.quote(entry.written)])

_unresolved(entry) := concat("; ", [_unresolved_part(part) | some part in _unresolved_parts(entry)]) if {
	count(_unresolved_parts(entry)) > 0
}

_unresolved(entry) := "the normalizer did not resolve it" if {
	count(_unresolved_parts(entry)) == 0
	not is_string(entry.resolved)
}

_unresolved(entry) := "it names no drive or share, so where it points is unknown" if {
	count(_unresolved_parts(entry)) == 0
	_relative(entry)
}

_unresolved_part(part) := concat("", [
	part.text, " is a user environment variable, which Defender, running as SYSTEM, does not resolve to a user's folder",
]) if {
	part.reason == "user-variable"
}

_unresolved_part(part) := concat("", [part.text, " is not a system environment variable that Defender resolves"]) if {
	part.reason == "unknown-variable"
}

_unresolved_part(part) := concat("", [lib.quote(part.text), " is an 8.3 short name, whose long name depends on the volume"]) if {
	part.reason == "short-name"
}

# What a path or process resolves to, when that is not just the entry in lower case.
_resolves_to(entry) := concat("", [" (resolves to ", entry.resolved, ")"]) if {
	entry.kind != "Extensions"
	entry.resolved != lower(entry.written)
}

_resolves_to(entry) := "" if entry.kind == "Extensions"

_resolves_to(entry) := "" if {
	entry.kind != "Extensions"
	entry.resolved == lower(entry.written)
}

_risk(entry) := _extension_risk(entry.resolved) if entry.kind == "Extensions"

_risk(entry) := _path_risk(exclusions.path_parts(entry.resolved)) if entry.kind == "Paths"

_risk(entry) := _process_risk(exclusions.path_parts(entry.resolved)) if entry.kind == "Processes"

_extension_risk(extension) := "every file type" if {
	exclusions.every_file(extension)
} else := "a file type used in attacks" if {
	exclusions.risky_file_type(extension)
}

# A bare file name is matched in every folder (Microsoft: use a fully qualified path instead); a
# pattern is judged by what it matches.
_path_risk(parts) := "every file" if {
	parts.form == "name"
	exclusions.every_file(_last(parts.segments))
} else := "a file type used in attacks" if {
	parts.form == "name"
	exclusions.wildcard(_last(parts.segments))
	exclusions.risky_file_type(_file_extension(_last(parts.segments)))
} else := "a file by its name alone, which matches it in every folder" if {
	parts.form == "name"
	not exclusions.wildcard(_last(parts.segments))
} else := risk if {
	risk := exclusions.folder_risk(parts.segments)
} else := "a file type used in attacks" if {
	exclusions.wildcard(_last(parts.segments))
	exclusions.risky_file_type(_file_extension(_last(parts.segments)))
}

_process_risk(parts) := "programs by wildcard, which match more than the program meant" if {
	some segment in parts.segments
	exclusions.wildcard(segment)
} else := "a program used in attacks" if {
	exclusions.risky_program(_last(parts.segments))
} else := concat("", ["a program in ", risk]) if {
	risk := exclusions.program_folder_risk(array.slice(parts.segments, 0, count(parts.segments) - 1))
}

_last(segments) := segments[count(segments) - 1]

_file_extension(name) := parts[count(parts) - 1] if {
	parts := split(name, ".")
	count(parts) > 1
}

_label(extension) := lib.extension_label("Microsoft Antimalware", extension)
