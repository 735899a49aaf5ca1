package policies.rules.antivirus_safe_exclusions_test

import data.policies.rules.antivirus_safe_exclusions

# Shallow override: object.union would merge nested objects (tags, settings) instead of replacing them.
_with(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

_extension(exclusions) := {
	"urn": "urn:pulumi:acme::steward::steward:index:ClientBaseline$azure-native:compute:VirtualMachineExtension::web-01-antivirus",
	"type": "azure-native:compute:VirtualMachineExtension",
	"endpoint": "urn:vm:web-01",
	"role": "antivirus",
	"product": "antimalware",
	"extensionType": "IaaSAntimalware",
	"settings": {"AntimalwareEnabled": true, "Exclusions": exclusions},
}

_input(extension) := {
	"endpoints": [{"urn": "urn:vm:web-01", "type": "azure-native:compute:VirtualMachine", "name": "web-01"}],
	"extensions": [extension],
}

_label := `Microsoft Antimalware extension "web-01-antivirus" on "web-01"`

_path(written, risk) := sprintf("%s excludes path %s: never exclude %s", [_label, json.marshal(written), risk])

test_success_empty_exclusions if {
	count(antivirus_safe_exclusions.deny) == 0 with input as _input(_extension({"Extensions": "", "Paths": "", "Processes": ""}))
}

test_success_workload_exclusions if {
	exclusions := {
		"Paths": `D:\SvcFab;D:\SvcFab\Log;C:\Program Files\Microsoft Service Fabric;C:\Windows\System32;C:\ProgramData\App; ;`,
		"Extensions": [".log", "*.ldf", "mdf"],
		"Processes": `Fabric.exe;C:\Program Files\Microsoft Service Fabric\bin\FabricHost.exe`,
	}
	count(antivirus_safe_exclusions.deny) == 0 with input as _input(_extension(exclusions))
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

test_fail_drive_roots if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Paths": `C:\;c:;D:\;C:\*;%SystemDrive%;e:/;*.*`}))
	{f.message | some f in findings} == {
		_path(`C:\`, "a whole drive"),
		_path("c:", "a whole drive"),
		_path(`D:\`, "a whole drive"),
		_path(`C:\*`, "a whole drive"),
		_path("%SystemDrive%", "a whole drive"),
		_path("e:/", "a whole drive"),
		_path("*.*", "a whole drive"),
	}
	{f.policy | some f in findings} == {"antivirus-safe-exclusions"}
	antivirus_safe_exclusions.policy.severity == "high"
}

test_fail_system_and_temp_folders if {
	paths := [
		"%windir%", `C:/Windows/`, `%SystemRoot%\Temp\*.*`, `C:\Windows\Prefetch\*`, `C:\TEMP*`,
		`%temp%`, `C:\Users\bob\AppData\Local\Temp\`, `%LocalAppData%\Temp`, `C:\Windows\System32\spool`,
	]
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Paths": paths}))
	{f.message | some f in findings} == {
		_path("%windir%", "a Windows system folder"),
		_path("C:/Windows/", "a Windows system folder"),
		_path(`%SystemRoot%\Temp\*.*`, "a temporary folder"),
		_path(`C:\Windows\Prefetch\*`, "a Windows system folder"),
		_path(`C:\TEMP*`, "a temporary folder"),
		_path("%temp%", "a temporary folder"),
		_path(`C:\Users\bob\AppData\Local\Temp\`, "a temporary folder"),
		_path(`%LocalAppData%\Temp`, "a temporary folder"),
		_path(`C:\Windows\System32\spool`, "a Windows system folder"),
	}
}

test_fail_user_folders if {
	paths := `C:\Users;C:\Users\*;%USERPROFILE%;%appdata%;C:\Users\*\Downloads\;%userprofile%\Downloads;C:\Program Files\Java`
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Paths": paths}))
	{f.message | some f in findings} == {
		_path(`C:\Users`, "a user profile folder"),
		_path(`C:\Users\*`, "a user profile folder"),
		_path("%USERPROFILE%", "a user profile folder"),
		_path("%appdata%", "a user profile folder"),
		_path(`C:\Users\*\Downloads\`, "a user profile folder"),
		_path(`%userprofile%\Downloads`, "a user profile folder"),
		_path(`C:\Program Files\Java`, "the Java folder"),
	}
}

test_fail_extensions if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Extensions": [".EXE", "*.ps1", "dll", ".log", " .zip "]}))
	{f.message | some f in findings} == {
		sprintf(`%s excludes file extension ".EXE": never exclude a file type used in attacks`, [_label]),
		sprintf(`%s excludes file extension "*.ps1": never exclude a file type used in attacks`, [_label]),
		sprintf(`%s excludes file extension "dll": never exclude a file type used in attacks`, [_label]),
		sprintf(`%s excludes file extension ".zip": never exclude a file type used in attacks`, [_label]),
	}
}

test_fail_processes if {
	processes := `C:\Windows\System32\WindowsPowerShell\v1.0\PowerShell.exe;cmd;Fabric.exe;c:/windows/system32/rundll32.exe`
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"Processes": processes}))
	{f.message | some f in findings} == {
		sprintf(
			`%s excludes process "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.exe": %s`,
			[_label, "never exclude a program used in attacks"],
		),
		sprintf(`%s excludes process "cmd": never exclude a program used in attacks`, [_label]),
		sprintf(`%s excludes process "c:/windows/system32/rundll32.exe": never exclude a program used in attacks`, [_label]),
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

test_fail_list_or_entry_unknown if {
	exclusions := {"Paths": {"$unknown": true}, "Processes": ["Fabric.exe", {"$unknown": true}], "Extensions": 7}
	findings := antivirus_safe_exclusions.deny with input as _input(_extension(exclusions))
	{f.message | some f in findings} == {
		sprintf("%s has an exclusion in Paths that is unknown until apply, so it cannot be checked", [_label]),
		sprintf("%s has an exclusion in Processes that is unknown until apply, so it cannot be checked", [_label]),
		sprintf("%s has an exclusion in Extensions that is 7, so it cannot be checked", [_label]),
	}
}

test_fail_exclusions_secret if {
	findings := antivirus_safe_exclusions.deny with input as _input(_extension({"$secret": true}))
	{f.message | some f in findings} == {sprintf("%s has exclusions a secret, so they cannot be checked", [_label])}
}

# Entries are judged once per evaluation and exclusions objects read once: extensions that share
# them, or share some of their entries, still get every finding of their own.
test_fail_shared_exclusions_reported_per_extension if {
	shared := {"Paths": `C:\Temp;D:\Data`, "Processes": [{"$unknown": true}]}
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
		[web.urn, sprintf("%s has an exclusion in Processes that is unknown until apply, so it cannot be checked", [_label])],
		[app.urn, `Microsoft Antimalware extension "app-01-antivirus" on "app-01" excludes path "C:\\Temp": never exclude a temporary folder`],
		[app.urn, concat("", [
			`Microsoft Antimalware extension "app-01-antivirus" on "app-01" has an exclusion in Processes that is unknown until apply, `,
			"so it cannot be checked",
		])],
		[db.urn, `Microsoft Antimalware extension "db-01-antivirus" on "db-01" excludes path "C:\\Temp": never exclude a temporary folder`],
		[db.urn, `Microsoft Antimalware extension "db-01-antivirus" on "db-01" excludes path "%windir%": never exclude a Windows system folder`],
	}
}
