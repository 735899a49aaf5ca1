# METADATA
# title: What Defender must never be told to skip
# description: |
#   The one place that lists the folders, file types and programs that must never be excluded
#   from Microsoft Defender Antivirus scanning (the engine the Microsoft Antimalware extension
#   configures), each list with its sources, and how a resolved exclusion entry is matched against
#   them. The normalizer resolves every entry as Defender reads it first (core/defender-paths.ts:
#   system environment variables as the SYSTEM account sees them, `.` and `..`, device prefixes,
#   slashes, case, trailing separators, dots, spaces and `\*`); these lists judge the result.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/common-exclusion-mistakes-microsoft-defender-antivirus
#     description: Common mistakes to avoid when defining exclusions (folders, file extensions, processes)
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/configure-extension-file-exclusions-microsoft-defender-antivirus
#     description: Exclusions by extension and folder (folders cover their subfolders; wildcards; system variables)
#   - ref: https://learn.microsoft.com/en-us/windows/security/application-security/application-control/app-control-for-business/design/applications-that-can-bypass-appcontrol # regal ignore:line-length
#     description: Microsoft recommended block rules (applications that can bypass App Control)
#   - ref: https://lolbas-project.github.io/
#     description: |
#       LOLBAS, Living Off The Land Binaries, Scripts and Libraries (LOLBAS-Project/LOLBAS,
#       yml/OSBinaries and yml/OtherMSBinaries)
#   - ref: https://attack.mitre.org/techniques/T1553/005/
#     description: MITRE ATT&CK T1553.005, Mark-of-the-Web Bypass (container and disk image files)
package policies.lib.exclusions

# METADATA
# title: Folder rules
# description: |
#   Folders never to exclude, most specific first: the first rule that covers a path names its
#   risk. `folder` is the path's parts after resolution, lower case: `<drive>` is any drive (or the
#   current drive, `\`), `<server>` any UNC server, `<any>` any one folder name (a user's profile).
#   `extent` "at" covers the folder itself (a drive, a share: everything below it is a workload's
#   folder); "under" the folder and everything below it, as a Defender folder exclusion does.
#   `programs` says whether a process exclusion of a program in that folder is just as risky.
#   Sources: Microsoft's common mistakes (%systemdrive%, C:\, C:\*; %ProgramFiles%\Contoso\ and
#   %ProgramFiles(x86)%\Contoso\ "applications ... open up the whole folder and subfolders";
#   C:\Temp; C:\Users\, C:\Users\*; AppData\Local, LocalLow and Roaming \Temp; %Windir%\Prefetch,
#   \System32\Spool, \System32\CatRoot2, \Temp) and its system environment variables table
#   (%USERPROFILE% is C:\Windows\system32\config\systemprofile for Defender; %ALLUSERSPROFILE% and
#   %ProgramData% are C:\ProgramData). Judged as prefixes: a subfolder of a folder Microsoft names
#   is excluded by it, and attackers drop files in any of them.
folder_rules := [
	{"folder": ["<drive>"], "extent": "at", "risk": "a whole drive", "programs": false},
	{"folder": ["<server>"], "extent": "at", "risk": "a whole network share", "programs": false},
	{"folder": ["<server>", "<any>"], "extent": "at", "risk": "a whole network share", "programs": false},
	{"folder": ["<drive>", "windows", "temp"], "extent": "under", "risk": _temporary, "programs": true},
	{"folder": ["<drive>", "temp"], "extent": "under", "risk": _temporary, "programs": true},
	{"folder": ["<drive>", "tmp"], "extent": "under", "risk": _temporary, "programs": true},
	{"folder": ["<drive>", "users", "<any>", "appdata", "local", "temp"], "extent": "under", "risk": _temporary, "programs": true},
	{"folder": ["<drive>", "users", "<any>", "appdata", "locallow", "temp"], "extent": "under", "risk": _temporary, "programs": true},
	{"folder": ["<drive>", "users", "<any>", "appdata", "roaming", "temp"], "extent": "under", "risk": _temporary, "programs": true},
	{
		"folder": ["<drive>", "windows", "system32", "config", "systemprofile"], "extent": "under",
		"risk": "the SYSTEM account's profile folder", "programs": true,
	},
	{"folder": ["<drive>", "windows"], "extent": "under", "risk": "a Windows system folder", "programs": true},
	{"folder": ["<drive>", "users"], "extent": "under", "risk": "a user profile folder", "programs": true},
	{"folder": ["<drive>", "programdata"], "extent": "under", "risk": "the shared application data folder", "programs": true},
	{"folder": ["<drive>", "program files"], "extent": "under", "risk": "a program folder", "programs": false},
	{"folder": ["<drive>", "program files (x86)"], "extent": "under", "risk": "a program folder", "programs": false},
]

_temporary := "a temporary folder"

# METADATA
# title: Risky file types
# description: |
#   File extensions never to exclude, lower case without the dot. Microsoft's common mistakes
#   (7z, bat, bin, cab, cmd, com, cpl, dll, exe, fla, gz, hta, inf, java, jar, job, js, ko, msi,
#   ocx, ps1, py, rar, reg, scr, sys, tar, tmp, url, vbe, vbs, wsf, zip; gif, jpg, jpeg and png are
#   left out, as that page allows them where software is kept up to date) and its 2020 revision
#   (7zip); MITRE ATT&CK T1553.005 (container and disk image formats that deliver payloads past
#   Mark-of-the-Web: archives such as .arj and .gzip, disk images such as .iso and .vhd, and its
#   mitigation M1042 names .iso, .img, .vhd and .vhdx; TA505 delivered .lnk files in .iso images);
#   Windows Script Host and PowerShell code (jse, wsh, psm1), which run like vbe, wsf and ps1.
risky_extensions := {
	"7z", "7zip", "arj", "bat", "bin", "cab", "cmd", "com", "cpl", "dll", "exe", "fla", "gz", "gzip",
	"hta", "img", "inf", "iso", "jar", "java", "job", "js", "jse", "ko", "lnk", "msi", "ocx", "ps1",
	"psm1", "py", "rar", "reg", "scr", "sys", "tar", "tmp", "url", "vbe", "vbs", "vhd", "vhdx", "wsf",
	"wsh", "zip",
}

# METADATA
# title: Risky programs
# description: |
#   Programs never to exclude as processes, lower-case file names: Microsoft's common mistakes
#   (the processes attackers use, including powershell.exe and system.management.automation.dll,
#   the engine PowerShell 7's pwsh.exe hosts too; python and python3 from its Linux list);
#   Microsoft's recommended block rules; and the LOLBAS project's binaries (yml/OSBinaries and
#   yml/OtherMSBinaries at commit 3403b338875b8a99a0cd7ba4ced5086e8d310bf7, 2026-07-31).
risky_programs := (_common_mistakes | _recommended_block_rules) | _lolbas_binaries

_common_mistakes := {
	"acrord32.exe", "addinprocess.exe", "addinprocess32.exe", "addinutil.exe", "bash.exe", "bginfo.exe",
	"bitsadmin.exe", "cdb.exe", "cmd.exe", "cscript.exe", "csi.exe", "dbghost.exe", "dbgsvc.exe", "dnx.exe",
	"dotnet.exe", "excel.exe", "fsi.exe", "fsianycpu.exe", "iexplore.exe", "java.exe", "kd.exe",
	"lxssmanager.dll", "msbuild.exe", "mshta.exe", "ntkd.exe", "ntsd.exe", "outlook.exe", "powerpnt.exe",
	"powershell.exe", "psexec.exe", "pwsh.exe", "python.exe", "python3.exe", "rcsi.exe", "schtasks.exe",
	"svchost.exe", "system.management.automation.dll", "windbg.exe", "winword.exe", "wmic.exe",
	"wscript.exe", "wuauclt.exe",
}

_recommended_block_rules := {
	"addinprocess.exe", "addinprocess32.exe", "addinutil.exe", "aspnet_compiler.exe", "bash.exe", "bginfo.exe",
	"cdb.exe", "cscript.exe", "csi.exe", "davsvc.dll", "dbghost.exe", "dbgsrv.exe", "dbgsvc.exe", "dnx.exe",
	"dotnet.exe", "fsi.exe", "fsianycpu.exe", "infdefaultinstall.exe", "installutil.exe", "kd.exe", "kill.exe",
	"lxrun.exe", "lxssmanager.dll", "microsoft.build.dll", "microsoft.build.framework.dll",
	"microsoft.workflow.compiler.exe", "msbuild.dll", "msbuild.exe", "mshta.exe", "ntkd.exe", "ntsd.exe",
	"powershellcustomhost.exe", "rcsi.exe", "runscripthelper.exe", "system.management.automation.dll",
	"texttransform.exe", "visualuiaverifynative.exe", "webclnt.dll", "wfc.exe", "windbg.exe", "wmic.exe",
	"wscript.exe", "wsl.exe", "wslconfig.exe", "wslhost.exe",
}

_lolbas_binaries := {
	# yml/OSBinaries
	"addinutil.exe", "appinstaller.exe", "aspnet_compiler.exe", "at.exe", "atbroker.exe", "bash.exe",
	"bitsadmin.exe", "certoc.exe", "certreq.exe", "certutil.exe", "change.exe", "cipher.exe", "cmd.exe",
	"cmdkey.exe", "cmdl32.exe", "cmstp.exe", "colorcpl.exe", "computerdefaults.exe", "configsecuritypolicy.exe",
	"conhost.exe", "control.exe", "csc.exe", "cscript.exe", "customshellhost.exe", "datasvcutil.exe",
	"desktopimgdownldr.exe", "devicecredentialdeployment.exe", "dfsvc.exe", "diantz.exe", "diskshadow.exe",
	"dnscmd.exe", "esentutl.exe", "eudcedit.exe", "eventvwr.exe", "expand.exe", "explorer.exe", "extexport.exe",
	"extrac32.exe", "findstr.exe", "finger.exe", "fltmc.exe", "forfiles.exe", "fsutil.exe", "ftp.exe",
	"gpscript.exe", "hh.exe", "ie4uinit.exe", "iediagcmd.exe", "ieexec.exe", "ilasm.exe", "imewdbld.exe",
	"infdefaultinstall.exe", "installutil.exe", "iscsicpl.exe", "jsc.exe", "ldifde.exe", "makecab.exe",
	"mavinject.exe", "microsoft.workflow.compiler.exe", "mmc.exe", "mofcomp.exe", "mpcmdrun.exe", "msbuild.exe",
	"msconfig.exe", "msdt.exe", "msedge.exe", "msedge_proxy.exe", "msedgewebview2.exe", "mshta.exe",
	"msiexec.exe", "msoxmled.exe", "netsh.exe", "ngen.exe", "odbcad32.exe", "odbcconf.exe",
	"offlinescannershell.exe", "onedrivestandaloneupdater.exe", "pcalua.exe", "pcwrun.exe", "pktmon.exe",
	"pnputil.exe", "presentationhost.exe", "print.exe", "printbrm.exe", "provlaunch.exe", "psr.exe",
	"query.exe", "rasautou.exe", "rdrleakdiag.exe", "reg.exe", "regasm.exe", "regedit.exe", "regini.exe",
	"register-cimprovider.exe", "regsvcs.exe", "regsvr32.exe", "replace.exe", "reset.exe", "rpcping.exe",
	"rundll32.exe", "runexehelper.exe", "runonce.exe", "runscripthelper.exe", "sc.exe", "schtasks.exe",
	"scp.exe", "scriptrunner.exe", "setres.exe", "settingsynchost.exe", "setupugc.exe", "sftp.exe",
	"sigverif.exe", "ssh.exe", "stordiag.exe", "syncappvpublishingserver.exe", "tar.exe", "ttdinject.exe",
	"tttracer.exe", "unregmp2.exe", "vbc.exe", "verclsid.exe", "wab.exe", "wbadmin.exe", "wbemtest.exe",
	"winget.exe", "wlrmdr.exe", "wmic.exe", "workfolders.exe", "write.exe", "wscript.exe", "wsreset.exe",
	"wt.exe", "wuauclt.exe", "xwizard.exe",
	# yml/OtherMSBinaries
	"acccheckconsole.exe", "adplus.exe", "agentexecutor.exe", "appcert.exe", "applauncher.exe", "appvlp.exe",
	"bcp.exe", "bginfo.exe", "cdb.exe", "coregen.exe", "createdump.exe", "csi.exe", "defaultpack.exe",
	"devinit.exe", "devtoolslauncher.exe", "devtunnel.exe", "dnx.exe", "dotnet.exe", "dsdbutil.exe",
	"dtutil.exe", "dump64.exe", "dumpminitool.exe", "dxcap.exe", "ecmangen.exe", "excel.exe", "fsi.exe",
	"fsianycpu.exe", "intellitrace.exe", "logger.exe", "mftrace.exe", "microsoft.nodejstools.pressanykey.exe",
	"mpiexec.exe", "msaccess.exe", "mscopilot.exe", "mscopilot_proxy.exe", "msdeploy.exe", "msohtmed.exe",
	"mspub.exe", "msxsl.exe", "nmcap.exe", "ntdsutil.exe", "ntsd.exe", "openconsole.exe", "outlook.exe",
	"pixtool.exe", "powerpnt.exe", "procdump.exe", "protocolhandler.exe", "rcsi.exe", "remote.exe",
	"sqldumper.exe", "sqlps.exe", "sqltoolsps.exe", "squirrel.exe", "te.exe", "teams.exe",
	"testwindowremoteagent.exe", "tracker.exe", "update.exe", "visio.exe", "visualuiaverifynative.exe",
	"vsdiagnostics.exe", "vsiisexelauncher.exe", "vslaunchbrowser.exe", "vshadow.exe", "vsjitdebugger.exe",
	"vsls-agent.exe", "vstest.console.exe", "wfc.exe", "wfmformat.exe", "windbg.exe", "winfile.exe",
	"winproj.exe", "winword.exe", "wsb.exe", "wsl.exe", "xbootmgr.exe", "xbootmgrsleep.exe", "xsd.exe",
}

# METADATA
# title: Path parts
# description: |
#   The form and parts of a resolved path (the normalizer's canonical text): `drive` for `c:\...`
#   (parts `c:`, ...) and `\...` on the current drive (root part `\`), `share` for `\\server\...`
#   (root part `\\server`), `name` for a bare file name, `relative` for folders without a root.
# scope: document
path_parts(resolved) := {"form": "share", "segments": segments} if {
	startswith(resolved, `\\`)
	parts := split(substring(resolved, 2, -1), `\`)
	segments := array.concat([concat("", [`\\`, parts[0]])], _names(array.slice(parts, 1, count(parts))))
}

path_parts(resolved) := {"form": "drive", "segments": segments} if {
	regex.match(`^[a-z]:`, resolved)
	parts := split(resolved, `\`)
	segments := array.concat([parts[0]], _names(array.slice(parts, 1, count(parts))))
}

path_parts(resolved) := {"form": "drive", "segments": segments} if {
	startswith(resolved, `\`)
	not startswith(resolved, `\\`)
	segments := array.concat([`\`], _names(split(substring(resolved, 1, -1), `\`)))
}

path_parts(resolved) := {"form": "name", "segments": [resolved]} if {
	not contains(resolved, `\`)
	not regex.match(`^[a-z]:`, resolved)
}

path_parts(resolved) := {"form": "relative", "segments": _names(split(resolved, `\`))} if {
	contains(resolved, `\`)
	not startswith(resolved, `\`)
	not regex.match(`^[a-z]:`, resolved)
}

_names(parts) := [part | some part in parts; part != ""]

# METADATA
# title: Folder risk
# description: |
#   The risk of the first folder rule that covers a resolved path (its segments), undefined when
#   none does. A wildcard (`*`, `?`) in a folder name covers every folder it can match, as Defender
#   reads it: `C:\*\Temp` covers C:\Windows\Temp.
folder_risk(segments) := folder_rules[min(covering)].risk if {
	covering := [i | some i, rule in folder_rules; _covers(rule, segments)]
	count(covering) > 0
}

# METADATA
# title: Program folder risk
# description: |
#   The risk of the first folder rule that covers the folder of a program (its path's segments
#   without the file name) and where a program is as risky as the folder, undefined when none does.
program_folder_risk(folder) := folder_rules[min(covering)].risk if {
	covering := [i | some i, rule in folder_rules; rule.programs; _covers(rule, folder)]
	count(covering) > 0
}

_covers(rule, segments) if {
	rule.extent == "at"
	count(segments) == count(rule.folder)
	_fits_all(rule.folder, segments)
}

_covers(rule, segments) if {
	rule.extent == "under"
	count(segments) >= count(rule.folder)
	_fits_all(rule.folder, segments)
}

_fits_all(folder, segments) if {
	every i, token in folder {
		_fits(segments[i], token)
	}
}

_fits(segment, "<drive>") if regex.match(`^([a-z]:|\\)$`, segment)

_fits(segment, "<server>") if startswith(segment, `\\`)

_fits(_, "<any>")

_fits(segment, token) if {
	not startswith(token, "<")
	segment == token
}

_fits(segment, token) if {
	not startswith(token, "<")
	wildcard(segment)
	glob.match(_glob(segment), [`\`], token)
}

# METADATA
# title: Wildcard
# description: True for text with a Defender wildcard (`*` or `?`).
# scope: document
wildcard(text) if contains(text, "*")

wildcard(text) if contains(text, "?")

# A Defender wildcard pattern as a glob: only `*` and `?` are special to Defender, so every other
# character glob.match treats specially is escaped (entries never contain `\`, the separator).
_glob(text) := strings.replace_n({"[": `\[`, "]": `\]`, "{": `\{`, "}": `\}`, ",": `\,`}, text)

# METADATA
# title: Every file
# description: True for a file name or extension pattern that matches every file (`*`, `*.*`).
every_file(text) if regex.match(`^[*.?]*\*[*.?]*$`, text)

# METADATA
# title: Risky file type
# description: |
#   True for a file extension (resolved: lower case, no leading dot) that is, ends in (tar.gz), or
#   as a wildcard pattern can match, a risky file type.
# scope: document
risky_file_type(extension) if extension in risky_extensions

risky_file_type(extension) if {
	parts := split(extension, ".")
	parts[count(parts) - 1] in risky_extensions
}

risky_file_type(extension) if {
	wildcard(extension)
	some risky in risky_extensions
	glob.match(_glob(extension), [`\`], risky)
}

# METADATA
# title: Risky program
# description: True for a program file name (lower case) in the list, with or without `.exe`.
# scope: document
risky_program(name) if name in risky_programs

risky_program(name) if concat("", [name, ".exe"]) in risky_programs
