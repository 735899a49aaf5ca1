package policies.rules.antivirus_safe_exclusions_test

import data.policies.rules.antivirus_safe_exclusions

# Shallow override: object.union would merge nested objects (tags, settings) instead of replacing them.
_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

# The extension as the normalizer writes it: canonical settings and their exclusion entries, each
# resolved as core/antivirus-settings.ts resolves it (_resolved, below).
_extension(exclusions) := {
	"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineExtension::web-01-antivirus",
	"type": "azure-native:compute:VirtualMachineExtension",
	"endpoint": "urn:vm:web-01",
	"role": "antivirus",
	"product": "antimalware",
	"extensionType": "IaaSAntimalware",
	"settings": {"AntimalwareEnabled": true, "Exclusions": exclusions},
	"exclusions": _entries_of(exclusions),
}

_entries_of(exclusions) := [_entry(kind, text) |
	some kind in ["Paths", "Extensions", "Processes"]
	some item in _items(object.get(exclusions, kind, null))
	text := trim_space(item)
	text != ""
] if {
	is_object(exclusions)
}

_entries_of(exclusions) := [] if not is_object(exclusions)

_items(null) := []

_items(list) := split(list, ";") if is_string(list)

_items(list) := list if is_array(list)

_entry(kind, written) := object.union({"kind": kind, "written": written}, _resolved[kind][written])

_input(extension) := {
	"endpoints": [{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"}],
	"extensions": [extension],
}

# An entry that is not text, as the normalizer lists it.
_unreadable(kind, value) := {"kind": kind, "written": value, "resolved": null}

_label := `Microsoft Antimalware extension "web-01-antivirus" on "web-01"`

_path(written, risk) := concat("", [_label, " excludes path ", json.marshal(written), ": never exclude ", risk])

_path_to(written, resolved, risk) := concat("", [
	_label, " excludes path ", json.marshal(written), " (resolves to ", resolved, "): never exclude ", risk,
])

_process(written, risk) := concat("", [_label, " excludes process ", json.marshal(written), ": never exclude ", risk])

_process_to(written, resolved, risk) := concat("", [
	_label, " excludes process ", json.marshal(written), " (resolves to ", resolved, "): never exclude ", risk,
])

_file_type(written, risk) := concat("", [_label, " excludes file extension ", json.marshal(written), ": never exclude ", risk])

test_success_empty_exclusions if {
	count(antivirus_safe_exclusions.deny) == 0 with input as _input(_extension({"Extensions": "", "Paths": "", "Processes": ""}))
}

# A workload's own folders on data drives and shares, its data file types and its programs by
# name or full path (SQL Server's under Program Files: a program folder is a risk for folder
# exclusions, not for one program in it).
test_success_workload_exclusions if {
	exclusions := {
		"Paths": `D:\SvcFab;D:\SvcFab\Log;E:\SQLLogs\;\\fs01\builds\cache;*.log; ;`,
		"Extensions": [".log", "*.ldf", "mdf", "txt"],
		"Processes": concat(";", [
			"Fabric.exe",
			`D:\Apps\Fabric\FabricHost.exe`,
			`C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe`,
		]),
	}
	findings := antivirus_safe_exclusions.deny with input as _input(_extension(exclusions))
	{f.message | some f in findings} == set()
}

test_success_no_exclusions_or_settings if {
	no_exclusions := _with(_extension(null), {"settings": {"AntimalwareEnabled": true}})
	count(antivirus_safe_exclusions.deny) == 0 with input as _input(no_exclusions)
	no_settings := object.remove(_extension(null), ["settings"])
	count(antivirus_safe_exclusions.deny) == 0 with input as _input(no_settings)
}

test_success_mde_not_judged if {
	mde := _with(_extension({"Paths": `C:\`}), {"product": "mde", "extensionType": "MDE.Windows"})
	count(antivirus_safe_exclusions.deny) == 0 with input as _input(mde)
}

test_fail_drive_and_share_roots if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({
		"Paths": `C:\;c:;D:\;C:\*;%SystemDrive%;e:/;*.*;*;\\fs01\share;\\?\D:\;/`,
	}))
	{f.message | some f in findings} == {
		_path(`C:\`, "a whole drive"),
		_path_to("c:", `c:\`, "a whole drive"),
		_path(`D:\`, "a whole drive"),
		_path_to(`C:\*`, `c:\`, "a whole drive"),
		_path_to("%SystemDrive%", `c:\`, "a whole drive"),
		_path_to("e:/", `e:\`, "a whole drive"),
		_path("*.*", "every file"),
		_path("*", "every file"),
		_path(`\\fs01\share`, "a whole network share"),
		_path_to(`\\?\D:\`, `d:\`, "a whole drive"),
		_path_to("/", `\`, "a whole drive"),
	}
	{f.policy | some f in findings} == {"antivirus-safe-exclusions"}
	antivirus_safe_exclusions.policy.severity == "high"
}

# Prefixes, not exact folders: anything at or under Windows, whatever the spelling (variables,
# slashes, \\?\, `..`, `.`, trailing `\*`, wildcards in a folder name).
test_fail_system_and_temp_folders if {
	paths := [
		"%windir%", "C:/Windows/", `%SystemRoot%\Temp\*.*`, `C:\Windows\Prefetch\*`, `C:\TEMP*`, "%temp%",
		`C:\Users\bob\AppData\Local\Temp\`, `C:\Windows\System32\spool`, `C:\Windows\System32\*`,
		`C:\Windows\Temp\*.tmp`, `C:\Windows\SysWOW64`, `\\?\C:\Windows\System32`, `C:\SQLData\..\Windows\.`,
		`C:\*\Temp`,
	]
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Paths": paths}))
	{f.message | some f in findings} == {
		_path_to("%windir%", `c:\windows`, "a Windows system folder"),
		_path_to("C:/Windows/", `c:\windows`, "a Windows system folder"),
		_path_to(`%SystemRoot%\Temp\*.*`, `c:\windows\temp`, "a temporary folder"),
		_path_to(`C:\Windows\Prefetch\*`, `c:\windows\prefetch`, "a Windows system folder"),
		_path(`C:\TEMP*`, "a temporary folder"),
		_path_to("%temp%", `c:\windows\temp`, "a temporary folder"),
		_path_to(`C:\Users\bob\AppData\Local\Temp\`, `c:\users\bob\appdata\local\temp`, "a temporary folder"),
		_path(`C:\Windows\System32\spool`, "a Windows system folder"),
		_path_to(`C:\Windows\System32\*`, `c:\windows\system32`, "a Windows system folder"),
		_path(`C:\Windows\Temp\*.tmp`, "a temporary folder"),
		_path(`C:\Windows\SysWOW64`, "a Windows system folder"),
		_path_to(`\\?\C:\Windows\System32`, `c:\windows\system32`, "a Windows system folder"),
		_path_to(`C:\SQLData\..\Windows\.`, `c:\windows`, "a Windows system folder"),
		_path(`C:\*\Temp`, "a temporary folder"),
	}
}

# Defender runs as SYSTEM: %USERPROFILE% and %APPDATA% are the SYSTEM account's profile.
test_fail_profile_program_and_data_folders if {
	paths := [
		`C:\Users`, `C:\Users\*`, "%USERPROFILE%", "%appdata%", `C:\Users\*\Downloads\`, `%PUBLIC%\Desktop`,
		`C:\Program Files\Java`, `%ProgramFiles%\Contoso\`, "%ProgramFiles(x86)%", `%ProgramW6432%\App`,
		"%CommonProgramFiles%", `C:\ProgramData\App`, `%ALLUSERSPROFILE%\Cache`, `C:\Program Files\Microsoft Service Fabric`,
	]
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Paths": paths}))
	{f.message | some f in findings} == {
		_path(`C:\Users`, "a user profile folder"),
		_path_to(`C:\Users\*`, `c:\users`, "a user profile folder"),
		_path_to("%USERPROFILE%", `c:\windows\system32\config\systemprofile`, "the SYSTEM account's profile folder"),
		_path_to("%appdata%", `c:\windows\system32\config\systemprofile\appdata\roaming`, "the SYSTEM account's profile folder"),
		_path_to(`C:\Users\*\Downloads\`, `c:\users\*\downloads`, "a user profile folder"),
		_path_to(`%PUBLIC%\Desktop`, `c:\users\public\desktop`, "a user profile folder"),
		_path(`C:\Program Files\Java`, "a program folder"),
		_path_to(`%ProgramFiles%\Contoso\`, `c:\program files\contoso`, "a program folder"),
		_path_to("%ProgramFiles(x86)%", `c:\program files (x86)`, "a program folder"),
		_path_to(`%ProgramW6432%\App`, `c:\program files\app`, "a program folder"),
		_path_to("%CommonProgramFiles%", `c:\program files\common files`, "a program folder"),
		_path(`C:\ProgramData\App`, "the shared application data folder"),
		_path_to(`%ALLUSERSPROFILE%\Cache`, `c:\programdata\cache`, "the shared application data folder"),
		_path(`C:\Program Files\Microsoft Service Fabric`, "a program folder"),
	}
}

# What cannot be resolved as Defender resolves it fails closed; a bare file name matches in every
# folder; a file pattern is judged by the type it matches.
test_fail_paths_that_cannot_be_judged_or_match_by_name if {
	paths := `%HOMEDRIVE%%HOMEPATH%\Downloads;%FOO%\Data;C:\PROGRA~1\App;Logs\app;sqlservr.exe;*.ps1;D:\Data\*.exe;*.log`
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Paths": paths}))
	{f.message | some f in findings} == {
		concat("", [
			_label, ` excludes path "%HOMEDRIVE%%HOMEPATH%\\Downloads", which cannot be judged: `,
			"%HOMEDRIVE% is a user environment variable, which Defender, running as SYSTEM, does not resolve to a user's folder; ",
			"%HOMEPATH% is a user environment variable, which Defender, running as SYSTEM, does not resolve to a user's folder",
		]),
		concat("", [
			_label, ` excludes path "%FOO%\\Data", which cannot be judged: `,
			"%FOO% is not a system environment variable that Defender resolves",
		]),
		concat("", [
			_label, ` excludes path "C:\\PROGRA~1\\App", which cannot be judged: `,
			`"progra~1" is an 8.3 short name, whose long name depends on the volume`,
		]),
		concat("", [
			_label, ` excludes path "Logs\\app", which cannot be judged: `,
			"it names no drive or share, so where it points is unknown",
		]),
		_path("sqlservr.exe", "a file by its name alone, which matches it in every folder"),
		_path("*.ps1", "a file type used in attacks"),
		_path(`D:\Data\*.exe`, "a file type used in attacks"),
	}
}

test_fail_extensions if {
	extensions := [".EXE", "*.ps1", "dll", ".log", " .zip ", "*", "*.*", "iso", ".vhdx", "lnk", "tar.gz", "ex?", "txt"]
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Extensions": extensions}))
	{f.message | some f in findings} == {
		_file_type(".EXE", "a file type used in attacks"),
		_file_type("*.ps1", "a file type used in attacks"),
		_file_type("dll", "a file type used in attacks"),
		_file_type(".zip", "a file type used in attacks"),
		_file_type("*", "every file type"),
		_file_type("*.*", "every file type"),
		_file_type("iso", "a file type used in attacks"),
		_file_type(".vhdx", "a file type used in attacks"),
		_file_type("lnk", "a file type used in attacks"),
		_file_type("tar.gz", "a file type used in attacks"),
		_file_type("ex?", "a file type used in attacks"),
	}
}

# LOLBins by name or path (with or without .exe), anything in a system, temporary or shared data
# folder, and wildcards; a workload's program by name or in its own folder passes.
test_fail_processes if {
	processes := concat(";", [
		`C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.exe`, "cmd", "Fabric.exe",
		"c:/windows/system32/rundll32.exe", "certutil.exe", `C:\Windows\System32\myagent.exe`, `C:\Temp\tool.exe`,
		`%windir%\*`, "*.exe", `C:\Program Files\Contoso\*\agent.exe`, `%ProgramData%\Agent\agent.exe`,
		`%HOMEPATH%\tool.exe`,
	])
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Processes": processes}))
	{f.message | some f in findings} == {
		_process(`C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.exe`, "a program used in attacks"),
		_process("cmd", "a program used in attacks"),
		_process_to("c:/windows/system32/rundll32.exe", `c:\windows\system32\rundll32.exe`, "a program used in attacks"),
		_process("certutil.exe", "a program used in attacks"),
		_process(`C:\Windows\System32\myagent.exe`, "a program in a Windows system folder"),
		_process(`C:\Temp\tool.exe`, "a program in a temporary folder"),
		_process_to(`%windir%\*`, `c:\windows\*`, "programs by wildcard, which match more than the program meant"),
		_process("*.exe", "programs by wildcard, which match more than the program meant"),
		_process(`C:\Program Files\Contoso\*\agent.exe`, "programs by wildcard, which match more than the program meant"),
		_process_to(`%ProgramData%\Agent\agent.exe`, `c:\programdata\agent\agent.exe`, "a program in the shared application data folder"),
		concat("", [
			_label, ` excludes process "%HOMEPATH%\\tool.exe", which cannot be judged: `,
			"%HOMEPATH% is a user environment variable, which Defender, running as SYSTEM, does not resolve to a user's folder",
		]),
	}
}

test_fail_exclusions_unknown if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"$unknown": true}))
	{f.message | some f in findings} == {sprintf("%s has exclusions unknown until apply, so they cannot be checked", [_label])}
}

test_fail_settings_unknown if {
	extension := _with(_extension(null), {"settings": {"$unknown": true}, "endpoint": null})
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {
		`Microsoft Antimalware extension "web-01-antivirus" has exclusions unknown until apply, so they cannot be checked`,
	}
}

test_fail_exclusions_not_an_object if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension(`C:\Temp`))
	{f.message | some f in findings} == {sprintf(`%s has exclusions "C:\\Temp", so they cannot be checked`, [_label])}
}

# Settings text the normalizer could not parse as a JSON object: its exclusions cannot be checked.
test_fail_settings_text_not_an_object if {
	extension := _with(_extension(null), {"settings": `{"Exclusions": {"Paths": "C:\\"`})
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {concat(" ", [_label, "has settings that are not a JSON object, so its exclusions cannot be checked"])}
}

test_fail_exclusions_secret if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"$secret": true}))
	{f.message | some f in findings} == {sprintf("%s has exclusions a secret, so they cannot be checked", [_label])}
}

# Keys that differ only in case: which one the handler reads is undefined, so nothing is judged
# and both keys are named.
test_fail_ambiguous_exclusions if {
	extension := _with(_extension(null), {"settings": {
		"AntimalwareEnabled": true,
		"Exclusions": {"$ambiguous": ["Exclusions", "exclusions"]},
	}})
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {concat("", [
		_label, ` has ambiguous settings: keys "Exclusions" and "exclusions" differ only in case, `,
		"so which one the extension reads is undefined; its exclusions cannot be checked",
	])}
}

test_fail_ambiguous_exclusion_list if {
	ambiguous := {"$ambiguous": ["Paths", "paths", "PATHS"]}
	extension := _with(_extension({"Paths": ambiguous, "Processes": "Fabric.exe"}), {"exclusions": [
		_unreadable("Paths", ambiguous),
		_entry("Processes", "Fabric.exe"),
	]})
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {concat("", [
		_label, ` has ambiguous settings: keys "Exclusions.Paths", "Exclusions.paths" and "Exclusions.PATHS" differ only in case, `,
		"so which one the extension reads is undefined; its exclusions cannot be checked",
	])}
}

test_fail_list_or_entry_unknown if {
	exclusions := {"Paths": {"$unknown": true}, "Processes": ["Fabric.exe", {"$unknown": true}], "Extensions": 7}
	extension := _with(_extension(exclusions), {"exclusions": [
		_unreadable("Paths", {"$unknown": true}),
		_entry("Processes", "Fabric.exe"),
		_unreadable("Processes", {"$unknown": true}),
		_unreadable("Extensions", 7),
	]})
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {
		sprintf("%s has an exclusion in Paths that is unknown until apply, so it cannot be checked", [_label]),
		sprintf("%s has an exclusion in Processes that is unknown until apply, so it cannot be checked", [_label]),
		sprintf("%s has an exclusion in Extensions that is 7, so it cannot be checked", [_label]),
	}
}

# An entry the document carries without what it resolves to fails closed.
test_fail_entry_not_resolved if {
	entry := {"kind": "Paths", "written": `D:\Data`, "resolved": null}
	extension := _with(_extension({"Paths": `D:\Data`}), {"exclusions": [entry]})
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {concat("", [
		_label, ` excludes path "D:\\Data", which cannot be judged: `,
		"the normalizer did not resolve it",
	])}
}

# A document whose readable exclusions carry no resolved entries fails closed.
test_fail_exclusions_not_resolved if {
	extension := object.remove(_extension({"Paths": `D:\Data`}), ["exclusions"])
	findings := antivirus_safe_exclusions.deny with input as _input(extension)
	{f.message | some f in findings} == {concat(" ", [_label, "has exclusions without resolved entries, so they cannot be checked"])}
}

# Entries are judged once per evaluation and lists once: extensions that share them, or share some
# of their entries, still get every finding of their own.
test_fail_shared_exclusions_reported_per_extension if {
	shared := {"Paths": `C:\Temp;D:\Data`}
	web := _extension(shared)
	app := _with(_extension(shared), {"urn": "urn:pulumi:acme::steward::t::app-01-antivirus", "endpoint": "urn:vm:app-01"})
	db_exclusions := {"Paths": [`D:\Data`, `C:\Temp`, "%windir%"]}
	db := _with(_extension(db_exclusions), {"urn": "urn:pulumi:acme::steward::t::db-01-antivirus", "endpoint": "urn:vm:db-01"})
	endpoints := [
		{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"},
		{"urn": "urn:vm:app-01", "type": "azure-native:compute:VirtualMachine", "name": "app-01"},
		{"urn": "urn:vm:db-01", "type": "azure-native:compute:VirtualMachine", "name": "db-01"},
	]
	findings := antivirus_safe_exclusions.deny with input as {"endpoints": endpoints, "extensions": [web, app, db]}
	{[f.urn, f.message] | some f in findings} == {
		[web.urn, _path(`C:\Temp`, "a temporary folder")],
		[app.urn, `Microsoft Antimalware extension "app-01-antivirus" on "app-01" excludes path "C:\\Temp": never exclude a temporary folder`],
		[db.urn, `Microsoft Antimalware extension "db-01-antivirus" on "db-01" excludes path "C:\\Temp": never exclude a temporary folder`],
		[db.urn, concat("", [
			`Microsoft Antimalware extension "db-01-antivirus" on "db-01" excludes path "%windir%" (resolves to c:\windows): `,
			"never exclude a Windows system folder",
		])],
	}
}
