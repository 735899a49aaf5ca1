/**
 * How Microsoft Defender Antivirus reads an entry of its exclusion lists — the engine the Microsoft
 * Antimalware extension configures — so the policies judge what Defender would exclude, not how
 * the entry happens to be spelled. Sequential string work, done once per distinct entry here in
 * the normalizer; the lists of what must never be excluded, and the judging, are policy and live
 * in Rego (policies/lib/exclusions/exclusions.rego).
 *
 * Sources (Microsoft Learn, MicrosoftDocs/defender-docs):
 * - "Configure and validate exclusions based on file extension and folder location"
 *   (defender-endpoint/configure-extension-file-exclusions-microsoft-defender-antivirus): folder
 *   exclusions cover everything under the folder; `*` in a folder stands for one folder; `*` and `?`
 *   in a file name; environment variables are limited to machine variables and those of processes
 *   running as NT AUTHORITY\SYSTEM, resolved as its "System environment variables" table says.
 * - "Common mistakes to avoid when defining exclusions"
 *   (defender-endpoint/common-exclusion-mistakes-microsoft-defender-antivirus): Defender runs as
 *   LocalSystem and reads system, not user, environment variables; don't use user variables.
 */
import type { UnresolvedPart } from "./document";

/**
 * Environment variables as Defender, running as LocalSystem, resolves them (lower-case names).
 * Microsoft's "System environment variables" table (see above) gives ALLUSERSPROFILE, APPDATA,
 * LOCALAPPDATA, ProgramData, ProgramFiles, ProgramFiles(x86), PUBLIC, SystemDrive, SystemRoot, windir
 * and USERPROFILE — the SYSTEM account's profile, not a user's. The rest are machine variables every
 * 64-bit Windows process has: CommonProgramFiles, CommonProgramFiles(x86) (Microsoft, "Recognized
 * environment variables", USMT), ProgramW6432 and CommonProgramW6432 (Microsoft, "WOW64
 * Implementation Details"), TEMP and TMP (the machine-wide `%SystemRoot%\TEMP` a LocalSystem service
 * gets; Microsoft lists `%Windir%\Temp` among the folders never to exclude), ComSpec.
 */
export const SYSTEM_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({
  allusersprofile: "C:\\ProgramData",
  appdata: "C:\\Windows\\system32\\config\\systemprofile\\AppData\\Roaming",
  localappdata: "C:\\Windows\\system32\\config\\systemprofile\\AppData\\Local",
  programdata: "C:\\ProgramData",
  programfiles: "C:\\Program Files",
  "programfiles(x86)": "C:\\Program Files (x86)",
  programw6432: "C:\\Program Files",
  commonprogramfiles: "C:\\Program Files\\Common Files",
  "commonprogramfiles(x86)": "C:\\Program Files (x86)\\Common Files",
  commonprogramw6432: "C:\\Program Files\\Common Files",
  public: "C:\\Users\\Public",
  systemdrive: "C:",
  systemroot: "C:\\Windows",
  windir: "C:\\Windows",
  comspec: "C:\\Windows\\system32\\cmd.exe",
  userprofile: "C:\\Windows\\system32\\config\\systemprofile",
  temp: "C:\\Windows\\Temp",
  tmp: "C:\\Windows\\Temp",
});

/**
 * Variables Windows sets only when a user logs on (HOMEDRIVE, HOMEPATH and HOMESHARE from the
 * account's home directory, Microsoft KB 101507; the rest from the logon session): Defender, running
 * as SYSTEM, does not resolve them to any user's folder, and Microsoft says not to use user
 * variables in exclusions. An entry that uses one cannot be judged.
 */
export const USER_VARIABLES: ReadonlySet<string> = new Set([
  "homedrive",
  "homepath",
  "homeshare",
  "username",
  "userdomain",
  "userdnsdomain",
  "logonserver",
  "onedrive",
  "onedrivecommercial",
  "onedriveconsumer",
  "sessionname",
  "clientname",
]);

/** A path or process entry as Defender reads it. */
export interface ResolvedPath {
  /**
   * `drive`: rooted on a drive (`c:`) or on the current drive (written `\...`); `share`: a UNC path
   * (`\\server\share\...`); `name`: a bare file name without any folder; `relative`: folders without
   * a root, which Defender cannot place.
   */
  form: "drive" | "share" | "name" | "relative";
  /** The canonical text: lower case, `\` separators, variables expanded, `.` and `..` resolved,
   *  device prefixes, repeated separators, trailing separators, spaces, dots and `\*` dropped;
   *  null when part of the entry cannot be resolved. */
  resolved: string | null;
  /** The resolved path's parts: the root first (`c:`, `\` for the current drive, `\\server`), then
   *  one lower-case name per folder; [] when unresolved. */
  segments: string[];
  /** What Defender would not resolve: variables (as written) and 8.3 short names. */
  unresolved: UnresolvedPart[];
}

const VARIABLE = /%([^%\\/]+)%/g;
const DRIVE = /^[a-z]:/;
/** An 8.3 short name (`PROGRA~1`): which long name it stands for depends on the volume. */
const SHORT_NAME = /~\d/;
const WILDCARD_SEGMENT = /^(\*|\*\.\*)$/;

/** Drops trailing spaces and dots, as Windows does for a name; a loop, where a `[ .]+$` regular
 *  expression would backtrack quadratically over a long run of them. */
function trimSpacesAndDots(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === " " || text[end - 1] === ".")) end--;
  return text.slice(0, end);
}

/** Expands the variables Defender resolves; collects the ones it does not. */
function expandVariables(text: string, unresolved: ResolvedPath["unresolved"]): string {
  return text.replace(VARIABLE, (whole: string, name: string) => {
    const key = name.toLowerCase();
    const value = Object.hasOwn(SYSTEM_ENVIRONMENT, key) ? SYSTEM_ENVIRONMENT[key] : undefined;
    if (value !== undefined) return value;
    unresolved.push({ text: whole, reason: USER_VARIABLES.has(key) ? "user-variable" : "unknown-variable" });
    return whole;
  });
}

/** Drops the Win32 device prefixes (`\\?\`, `\\.\`, `\??\`); `\\?\UNC\server` is `\\server`. */
function stripDevicePrefix(path: string): string {
  const device = /^(\\\\[?.]\\|\\\?\?\\)/.exec(path);
  if (!device) return path;
  const rest = path.slice(device[0].length);
  return /^unc\\/i.test(rest) ? `\\\\${rest.slice(4)}` : rest;
}

/**
 * Resolves a path or process exclusion entry (already trimmed) as Defender reads it. Linear in the
 * entry's length. A folder exclusion's trailing `\*` or `\*.*` (what is in the folder) reads as
 * the folder; a process entry keeps it (`C:\Windows\*` is every program there): `folder` false.
 */
export function resolvePath(entry: string, folder = true): ResolvedPath {
  const unresolved: ResolvedPath["unresolved"] = [];
  const expanded = expandVariables(entry, unresolved);
  let path = stripDevicePrefix(expanded.replace(/\//g, "\\")).toLowerCase();

  let root: string | null = null;
  let form: ResolvedPath["form"];
  if (path.startsWith("\\\\")) {
    const server = path.slice(2).split("\\")[0] ?? "";
    if (server === "") {
      form = "relative";
      path = path.slice(2);
    } else {
      form = "share";
      root = `\\\\${server}`;
      path = path.slice(2 + server.length);
    }
  } else if (DRIVE.test(path)) {
    form = "drive";
    root = path.slice(0, 2);
    path = path.slice(2);
  } else if (path.startsWith("\\")) {
    form = "drive";
    root = "\\";
  } else {
    form = "relative";
  }

  const names: string[] = [];
  for (const raw of path.split("\\")) {
    if (raw === "" || raw === ".") continue;
    if (raw === "..") {
      // Above a root, `..` stays at the root (Windows does the same); a relative path keeps it.
      if (names.length > 0 && names[names.length - 1] !== "..") names.pop();
      else if (root === null) names.push("..");
      continue;
    }
    // Windows drops trailing spaces and dots from a name ("Windows. " is "Windows").
    const name = trimSpacesAndDots(raw);
    if (name === "") continue;
    if (SHORT_NAME.test(name)) unresolved.push({ text: name, reason: "short-name" });
    names.push(name);
  }
  // A single name without any folder is a file name Defender matches in every folder.
  if (form === "relative" && names.length === 1 && names[0] !== "..") form = "name";
  // `folder\*` and `folder\*.*` exclude what is in the folder: the folder itself, for judging.
  while (folder && names.length > (root === null ? 1 : 0) && WILDCARD_SEGMENT.test(names[names.length - 1] as string)) names.pop();
  if (unresolved.length > 0) return { form, resolved: null, segments: [], unresolved };

  const segments = root === null ? names : [root, ...names];
  let resolved: string;
  if (root === null) resolved = names.join("\\");
  else if (root === "\\") resolved = `\\${names.join("\\")}`;
  else resolved = names.length === 0 ? (form === "drive" ? `${root}\\` : root) : `${root}\\${names.join("\\")}`;
  return { form, resolved, segments, unresolved };
}

/**
 * An extension exclusion as Defender reads it: lower case, without the leading `*` and `.`
 * (`*.EXE`, `.exe` and `exe` are all `exe`, Microsoft: "Valid syntax: .test and test"); `*` when
 * it matches every file type (`*`, `*.*`); "" for a bare `.`.
 */
export function resolveExtension(entry: string): string {
  const text = trimSpacesAndDots(entry.toLowerCase());
  const stripped = text.replace(/^[*.]+/, "");
  if (stripped === "") return text.includes("*") ? "*" : "";
  return stripped;
}
