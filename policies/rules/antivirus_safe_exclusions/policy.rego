# METADATA
# title: Antivirus exclusions are safe
# description: |
#   No Microsoft Antimalware extension excludes from scanning a location, file type or process that
#   Microsoft's "common mistakes to avoid when defining exclusions" says never to exclude, because
#   malware is dropped there or attackers use it: whole drives, Windows system, temporary and user
#   profile folders (C:\, %systemdrive%, C:\Windows, %windir%\Temp, C:\Temp, C:\Users,
#   %userprofile%, %appdata%, Downloads, AppData\Local\Temp, ...); executable, script and archive
#   extensions (.exe, .dll, .ps1, .bat, .js, .vbs, .msi, .zip, ...); and scripting hosts, LOLBins
#   and Office programs (powershell.exe, cmd.exe, mshta.exe, rundll32.exe, winword.exe, ...).
#   Settings.Exclusions.Paths, Extensions and Processes may be semicolon-separated strings or
#   arrays. Paths match case-insensitively, with forward or back slashes, any drive letter, system
#   environment variables expanded, and trailing \, \* or \*.* ignored; extensions with or without
#   a leading dot or *.; processes by file name, also at the end of a full path. Exclusions unknown
#   until apply are reported, since they cannot be checked.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/common-exclusion-mistakes-microsoft-defender-antivirus
#     description: Common mistakes to avoid when defining exclusions (Microsoft Defender Antivirus)
#   - ref: https://learn.microsoft.com/en-us/azure/security/fundamentals/antimalware
#     description: Microsoft Antimalware for Azure Cloud Services and Virtual Machines (Exclusions settings)
# custom:
#   id: antivirus-safe-exclusions
#   severity: high
#   enforcement: mandatory
#   remediation: |
#     Remove the entry from the antivirus exclusions in the client's baseline; exclude only the
#     specific files or folders of a workload (fully qualified paths), as Microsoft's exclusion
#     guidance for that workload lists them.
package policies.rules.antivirus_safe_exclusions

import data.policies.lib

# METADATA
# title: Descriptor
# description: This policy's METADATA, for the catalog and for its findings.
policy := lib.policy(rego.metadata.chain())

# METADATA
# title: Risky exclusion
# description: Reports every exclusion entry that Microsoft's guidance says never to exclude, quoted as written.
deny contains lib.finding(policy, extension, concat(" ", [_label(extension), problem])) if {
	some [extension, exclusions] in _antimalware
	some problem in _risky_entries[exclusions]
}

# METADATA
# title: Exclusions unreadable
# description: Reports exclusions that are unknown until apply or not an object, since they cannot be checked.
deny contains lib.finding(policy, extension, message) if {
	some [extension, exclusions] in _antimalware
	exclusions != null
	not lib.readable(exclusions)
	message := sprintf("%s has exclusions %s, so they cannot be checked", [_label(extension), lib.describe(exclusions)])
}

# METADATA
# title: Exclusion entry unreadable
# description: Reports an exclusion list, or an entry in one, that is unknown until apply or not text.
deny contains lib.finding(policy, extension, concat(" ", [_label(extension), problem])) if {
	some [extension, exclusions] in _antimalware
	some problem in _unreadable_entries[exclusions]
}

# Fleets give most extensions the same exclusions, and canonicalizing and matching an entry is the
# expensive part (regular expressions); the wasm target evaluates each of the complete rules below
# once per evaluation, so every distinct exclusions object is read once and every distinct entry
# judged once, and an extension only looks its exclusions up. Problems are the findings' messages
# without the extension's label, which is added per extension.

# Every antimalware extension with its exclusions, read once for all three deny rules.
_antimalware := [[extension, _exclusions(extension)] |
	some extension in lib.antimalware_extensions
]

# Every distinct readable exclusions object of an antimalware extension.
_distinct_exclusions contains exclusions if {
	some [_, exclusions] in _antimalware
	lib.readable(exclusions)
}

# Every distinct [kind, entry] written in them (trimmed; blanks are no exclusion).
_written contains [kind, written] if {
	some exclusions in _distinct_exclusions
	some [kind, written] in _text_entries(exclusions)
}

_text_entries(exclusions) := {[kind, written] |
	some kind, _ in _kinds
	some entry in _entries(lib.field(exclusions, kind))
	is_string(entry)
	written := trim_space(entry)
	written != ""
}

# The risks of every distinct entry that has any, judged once.
# regal ignore:prefer-set-or-object-rule
_entry_risks := {pair: risks |
	some pair in _written
	risks := _risks(pair[0], pair[1])
	count(risks) > 0
}

# Risky entries of each exclusions object that has any.
# regal ignore:prefer-set-or-object-rule
_risky_entries := {exclusions: problems |
	some exclusions in _distinct_exclusions
	problems := {concat("", ["excludes ", _kinds[kind], " ", lib.quote(written), ": never exclude ", risk]) |
		some [kind, written] in _text_entries(exclusions)
		some risk in _entry_risks[[kind, written]]
	}
	count(problems) > 0
}

# Entries that are not text, of each exclusions object that has any.
# regal ignore:prefer-set-or-object-rule
_unreadable_entries := {exclusions: problems |
	some exclusions in _distinct_exclusions
	problems := {concat("", ["has an exclusion in ", kind, " that is ", lib.describe(entry), ", so it cannot be checked"]) |
		some kind, _ in _kinds
		some entry in _entries(lib.field(exclusions, kind))
		not is_string(entry)
	}
	count(problems) > 0
}

_kinds := {"Paths": "path", "Extensions": "file extension", "Processes": "process"}

# Missing settings mean no exclusions; antivirus_protection_on reports the missing settings.
_exclusions(extension) := lib.field(object.get(extension, "settings", null), "Exclusions")

_entries(null) := []

_entries(value) := split(value, ";") if is_string(value)

_entries(value) := value if is_array(value)

# Anything else (an unknown list, a number) is one entry that is not text, so it is reported.
_entries(value) := [value] if {
	value != null
	not is_string(value)
	not is_array(value)
}

_risks("Paths", entry) := {rule.risk | some rule in _path_rules; regex.match(rule.pattern, path)} if {
	path := _canonical_path(entry)
}

_risks("Extensions", entry) := {"a file type used in attacks"} if trim_left(lower(entry), "*.") in _risky_extensions

_risks("Processes", entry) := {"a program used in attacks"} if _process_name(entry) in _risky_processes

# "powershell" names the same process as "powershell.exe".
_risks("Processes", entry) := {"a program used in attacks"} if concat("", [_process_name(entry), ".exe"]) in _risky_processes

# One spelling per location: lower case, single back slashes, system environment variables
# expanded, every drive letter read as c:, trailing slashes and wildcards dropped (Windows ignores
# trailing dots and spaces too). regex.replace is avoided: the wasm target does not implement it.
_canonical_path(entry) := trim_right(_drive_c(expanded), `\*. `) if {
	slashes := concat(`\`, regex.split(`[\\/]+`, lower(entry)))
	expanded := strings.replace_n(_environment, slashes)
}

_drive_c(path) := concat("", ["c", substring(path, 1, -1)]) if regex.match(`^[a-z]:`, path)

_drive_c(path) := path if not regex.match(`^[a-z]:`, path)

# The antimalware service runs as SYSTEM: %temp% is C:\Windows\Temp for it, and a user profile
# variable stands for any user's profile (c:\users\*).
_environment := {
	"%systemdrive%": "c:",
	"%systemroot%": `c:\windows`,
	"%windir%": `c:\windows`,
	"%programfiles%": `c:\program files`,
	"%programfiles(x86)%": `c:\program files (x86)`,
	"%temp%": `c:\windows\temp`,
	"%tmp%": `c:\windows\temp`,
	"%userprofile%": `c:\users\*`,
	"%appdata%": `c:\users\*\appdata\roaming`,
	"%localappdata%": `c:\users\*\appdata\local`,
}

_path_rules := [
	{"pattern": `^(c:)?$`, "risk": "a whole drive"},
	{"pattern": `^c:\\windows(\\prefetch|\\system32\\spool|\\system32\\catroot2)?$`, "risk": "a Windows system folder"},
	{"pattern": `^c:\\(windows\\)?temp$`, "risk": "a temporary folder"},
	{"pattern": `^c:\\users\\[^\\]+\\appdata\\(local|locallow|roaming)\\temp$`, "risk": "a temporary folder"},
	{"pattern": `^c:\\users(\\[^\\]+(\\downloads|\\appdata(\\local|\\locallow|\\roaming)?)?)?$`, "risk": "a user profile folder"},
	{"pattern": `^c:\\program files( \(x86\))?\\java$`, "risk": "the Java folder"},
]

_process_name(entry) := lower(parts[count(parts) - 1]) if parts := regex.split(`[\\/]`, entry)

# Microsoft's list, plus the script hosts and LOLBins commonly abused on Windows Server (.psm1, .jse, .wsh, .lnk).
_risky_extensions := {
	"7z", "7zip", "bat", "bin", "cab", "cmd", "com", "cpl", "dll", "exe", "fla", "gz", "hta", "inf",
	"jar", "java", "job", "js", "jse", "lnk", "msi", "ocx", "ps1", "psm1", "py", "rar", "reg", "scr",
	"sys", "tar", "tmp", "url", "vbe", "vbs", "wsf", "wsh", "zip",
}

# Microsoft's list, plus pwsh, rundll32, regsvr32, msiexec, explorer, certutil and python.
_risky_processes := {
	"acrord32.exe", "addinprocess.exe", "addinprocess32.exe", "addinutil.exe", "bash.exe", "bginfo.exe",
	"bitsadmin.exe", "cdb.exe", "certutil.exe", "cmd.exe", "cscript.exe", "csi.exe", "dbghost.exe",
	"dbgsvc.exe", "dnx.exe", "dotnet.exe", "excel.exe", "explorer.exe", "fsi.exe", "fsianycpu.exe",
	"iexplore.exe", "java.exe", "kd.exe", "lxssmanager.dll", "msbuild.exe", "mshta.exe", "msiexec.exe",
	"ntkd.exe", "ntsd.exe", "outlook.exe", "powerpnt.exe", "powershell.exe", "psexec.exe", "pwsh.exe",
	"python.exe", "python3.exe", "rcsi.exe", "regsvr32.exe", "rundll32.exe", "schtasks.exe", "svchost.exe",
	"system.management.automation.dll", "windbg.exe", "winword.exe", "wmic.exe", "wscript.exe", "wuauclt.exe",
}

_label(extension) := lib.extension_label("Microsoft Antimalware", extension)
