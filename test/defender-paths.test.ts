// The exclusion-entry normalizer (core/defender-paths.ts): entries resolved as Microsoft Defender
// Antivirus, running as SYSTEM, reads them — and, as properties (fast-check), that no re-spelling
// of a folder that must never be excluded gets past antivirus-safe-exclusions through the real
// wasm bundle, while a workload's data folders stay allowed however they are spelled. A failing
// run prints its seed and the shrunk counterexample; replay it with `fc.assert(..., { seed, path })`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exclusionEntries, extensionSettings } from "../core/antivirus-settings";
import { resolveExtension, resolvePath, SYSTEM_ENVIRONMENT } from "../core/defender-paths";
import type { StewardInput } from "../core/document";
import { compliantDocument, engine } from "./support";

fc.configureGlobal({ seed: Number(process.env.STEWARD_FUZZ_SEED ?? 20261127) });

describe("resolvePath", () => {
  it.each([
    ["C:\\Windows\\System32", "c:\\windows\\system32", ["c:", "windows", "system32"]],
    ["c:/WINDOWS//system32/", "c:\\windows\\system32", ["c:", "windows", "system32"]],
    ["\\\\?\\C:\\Windows\\System32\\*", "c:\\windows\\system32", ["c:", "windows", "system32"]],
    ["\\\\.\\C:\\Windows\\.\\Temp\\*.*", "c:\\windows\\temp", ["c:", "windows", "temp"]],
    ["\\??\\C:\\Windows", "c:\\windows", ["c:", "windows"]],
    ["C:\\Data\\..\\..\\..\\Windows. \\System32 ", "c:\\windows\\system32", ["c:", "windows", "system32"]],
    ["C:\\*\\*", "c:\\", ["c:"]],
    ["C:", "c:\\", ["c:"]],
    ["/", "\\", ["\\"]],
    ["\\Windows\\Temp\\", "\\windows\\temp", ["\\", "windows", "temp"]],
    ["\\\\fs01\\Share\\", "\\\\fs01\\share", ["\\\\fs01", "share"]],
    ["\\\\?\\UNC\\fs01\\share\\app", "\\\\fs01\\share\\app", ["\\\\fs01", "share", "app"]],
    ["C:\\Windows\\Temp\\*.tmp", "c:\\windows\\temp\\*.tmp", ["c:", "windows", "temp", "*.tmp"]],
  ])("%s resolves to %s", (entry, resolved, segments) => {
    expect(resolvePath(entry)).toEqual({ form: entry.startsWith("\\\\fs") || entry.includes("UNC") ? "share" : "drive", resolved, segments, unresolved: [] });
  });

  it("expands the variables as Defender, running as SYSTEM, sees them (Microsoft's system environment variables table)", () => {
    const resolved = (entry: string) => resolvePath(entry).resolved;
    expect(resolved("%SystemDrive%")).toBe("c:\\");
    expect(resolved("%windir%\\Temp")).toBe("c:\\windows\\temp");
    expect(resolved("%SYSTEMROOT%\\System32")).toBe("c:\\windows\\system32");
    expect(resolved("%ProgramFiles%\\Contoso")).toBe("c:\\program files\\contoso");
    expect(resolved("%ProgramFiles(x86)%")).toBe("c:\\program files (x86)");
    expect(resolved("%ProgramW6432%")).toBe("c:\\program files");
    expect(resolved("%CommonProgramFiles%")).toBe("c:\\program files\\common files");
    expect(resolved("%CommonProgramFiles(x86)%")).toBe("c:\\program files (x86)\\common files");
    expect(resolved("%ProgramData%\\App")).toBe("c:\\programdata\\app");
    expect(resolved("%ALLUSERSPROFILE%")).toBe("c:\\programdata");
    expect(resolved("%PUBLIC%\\Downloads")).toBe("c:\\users\\public\\downloads");
    expect(resolved("%TEMP%")).toBe("c:\\windows\\temp");
    expect(resolved("%tmp%\\x")).toBe("c:\\windows\\temp\\x");
    // Not a user's profile: the SYSTEM account's.
    expect(resolved("%USERPROFILE%\\Downloads")).toBe("c:\\windows\\system32\\config\\systemprofile\\downloads");
    expect(resolved("%APPDATA%")).toBe("c:\\windows\\system32\\config\\systemprofile\\appdata\\roaming");
    expect(resolved("%LOCALAPPDATA%\\Temp")).toBe("c:\\windows\\system32\\config\\systemprofile\\appdata\\local\\temp");
  });

  it("leaves unresolved what Defender would not resolve: user and unknown variables, 8.3 short names", () => {
    expect(resolvePath("%HOMEDRIVE%%HOMEPATH%\\Downloads")).toEqual({
      form: "relative",
      resolved: null,
      segments: [],
      unresolved: [
        { text: "%HOMEDRIVE%", reason: "user-variable" },
        { text: "%HOMEPATH%", reason: "user-variable" },
      ],
    });
    expect(resolvePath("C:\\%FOO%\\Data").unresolved).toEqual([{ text: "%FOO%", reason: "unknown-variable" }]);
    expect(resolvePath("C:\\PROGRA~2\\App").unresolved).toEqual([{ text: "progra~2", reason: "short-name" }]);
    // A lone percent sign is text, not a variable.
    expect(resolvePath("D:\\100%\\x")).toEqual({ form: "drive", resolved: "d:\\100%\\x", segments: ["d:", "100%", "x"], unresolved: [] });
  });

  it("tells a bare file name from a relative folder, and keeps a process entry's trailing wildcard", () => {
    expect(resolvePath("sqlservr.exe")).toEqual({ form: "name", resolved: "sqlservr.exe", segments: ["sqlservr.exe"], unresolved: [] });
    expect(resolvePath("*")).toEqual({ form: "name", resolved: "*", segments: ["*"], unresolved: [] });
    expect(resolvePath("Logs\\*")).toEqual({ form: "relative", resolved: "logs", segments: ["logs"], unresolved: [] });
    expect(resolvePath("..\\x").form).toBe("relative");
    expect(resolvePath("C:\\Windows\\*", false).segments).toEqual(["c:", "windows", "*"]);
  });
});

describe("resolving is linear in the entry's length", () => {
  it("resolves a megabyte of dots, spaces and percent signs at once", () => {
    const started = performance.now();
    const long = `D:\\${". ".repeat(250_000)}x${"%".repeat(100_000)}\\y${". ".repeat(250_000)}`;
    expect(resolvePath(long).resolved?.startsWith("d:\\")).toBe(true);
    expect(resolveExtension(`*${".".repeat(500_000)}exe${". ".repeat(500_000)}`) === "exe").toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("resolveExtension", () => {
  it.each([
    ["*.EXE", "exe"],
    [".ps1", "ps1"],
    ["dll", "dll"],
    [" .Zip. ", "zip"],
    ["*", "*"],
    ["*.*", "*"],
    [".", ""],
    ["tar.gz", "tar.gz"],
    ["*.ex?", "ex?"],
  ])("%s is %s", (entry, resolved) => {
    expect(resolveExtension(entry.trim())).toBe(resolved);
  });
});

/** A folder that must never be excluded, with the ways to write it through a variable. */
interface RiskyFolder {
  path: string;
  variables: string[];
}
const RISKY: RiskyFolder[] = [
  { path: "C:\\", variables: ["%SystemDrive%"] },
  { path: "C:\\Windows\\System32", variables: ["%windir%\\System32", "%SystemRoot%\\System32", "%SystemDrive%\\Windows\\System32"] },
  { path: "C:\\Windows\\SysWOW64\\drivers", variables: ["%windir%\\SysWOW64\\drivers"] },
  { path: "C:\\Windows\\Temp", variables: ["%TEMP%", "%TMP%", "%windir%\\Temp"] },
  { path: "C:\\Windows\\System32\\config\\systemprofile", variables: ["%USERPROFILE%"] },
  { path: "C:\\Program Files\\Contoso", variables: ["%ProgramFiles%\\Contoso", "%ProgramW6432%\\Contoso"] },
  { path: "C:\\Program Files (x86)\\Contoso", variables: ["%ProgramFiles(x86)%\\Contoso"] },
  { path: "C:\\Program Files\\Common Files", variables: ["%CommonProgramFiles%", "%CommonProgramW6432%"] },
  { path: "C:\\ProgramData\\App", variables: ["%ProgramData%\\App", "%ALLUSERSPROFILE%\\App"] },
  { path: "C:\\Users\\Public\\Downloads", variables: ["%PUBLIC%\\Downloads"] },
  { path: "C:\\Users\\bob\\AppData\\Local\\Temp", variables: [] },
  { path: "C:\\Temp", variables: [] },
];

/** Any re-spelling Defender reads as the same folder: variable form, case, slashes, repeated
 *  separators, `.` and `x\..` detours, a `\\?\` or `\\.\` prefix, a trailing `\`, `\*` or `\*.*`,
 *  trailing dots and spaces. */
function respelling(folder: string, variables: string[]): fc.Arbitrary<string> {
  return fc
    .record({
      base: fc.constantFrom(folder, ...variables),
      upper: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
      separators: fc.array(fc.constantFrom("\\", "/", "\\\\", "/\\", "\\.\\", "\\detour\\..\\"), { minLength: 8, maxLength: 8 }),
      prefix: fc.constantFrom("", "\\\\?\\", "\\\\.\\"),
      trailing: fc.constantFrom("", "\\", "/", "\\*", "\\*.*", ".", " ", "\\."),
    })
    .map(({ base, upper, separators, prefix, trailing }) => {
      let separator = 0;
      const parts = base.replace(/\\$/, "").split("\\");
      let text = parts[0] as string;
      for (const part of parts.slice(1)) text += (separators[separator++ % separators.length] as string) + part;
      // Case only outside variable names' percent signs matters to nobody: flip any letter.
      text = [...text].map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char.toLowerCase())).join("");
      const rooted = /^[a-z]:/i.test(text) ? prefix + text : text;
      return rooted + (text.endsWith(":") && trailing === "." ? "\\" : trailing);
    });
}

/** The compliant client with one antimalware extension excluding `entry` (as the normalizer writes it). */
function documentExcluding(kind: "Paths" | "Processes", entry: string): StewardInput {
  const document = compliantDocument();
  const extension = document.extensions.find((candidate) => candidate.product === "antimalware");
  if (!extension) throw new Error("the compliant document has no antimalware extension");
  const settings = extensionSettings({ ...(extension.settings as object), Exclusions: { [kind]: entry } }, true);
  extension.settings = settings;
  extension.exclusions = exclusionEntries(settings);
  return document;
}

const safeExclusionFindings = (document: StewardInput) =>
  engine()
    .evaluate(document)
    .findings.filter((finding) => finding.policy === "antivirus-safe-exclusions");

describe("properties: exclusions judged as Defender resolves them", () => {
  it("every variable Microsoft's table lists resolves to a full path on the system drive", () => {
    for (const [name, value] of Object.entries(SYSTEM_ENVIRONMENT)) {
      expect(resolvePath(`%${name.toUpperCase()}%`).resolved, name).toBe(value.toLowerCase().replace(/^c:$/, "c:\\"));
    }
  });

  it("any re-spelling of a risky folder resolves to that folder and is flagged, with what it resolves to", () => {
    const spelled = fc.constantFrom(...RISKY).chain((folder) => respelling(folder.path, folder.variables).map((entry) => ({ folder, entry })));
    fc.assert(
      fc.property(spelled, ({ folder, entry }) => {
        const canonical = folder.path.toLowerCase();
        expect(resolvePath(entry.trim()).resolved).toBe(canonical);
        const findings = safeExclusionFindings(documentExcluding("Paths", entry));
        expect(findings.map((finding) => finding.message)).toEqual([expect.stringContaining(`excludes path ${JSON.stringify(entry.trim())}`)]);
        expect(findings[0]?.message).toMatch(/: never exclude /);
      }),
      { numRuns: 150 },
    );
  });

  it("anything at or under a risky folder, and a process in a system folder, is flagged however it is spelled", () => {
    const nested = fc.record({
      folder: fc.constantFrom(...RISKY.filter((risky) => risky.path !== "C:\\" && !risky.path.includes("Program Files"))),
      tail: fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        nested.chain(({ folder, tail }) => respelling(`${folder.path}\\${tail.join("\\")}`, folder.variables.map((v) => `${v}\\${tail.join("\\")}`))),
        fc.boolean(),
        (entry, asProcess) => {
          const findings = safeExclusionFindings(documentExcluding(asProcess ? "Processes" : "Paths", `${entry.replace(/[\\/.* ]+$/, "")}.exe`));
          expect(findings).toHaveLength(1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a workload's data folder on a data drive stays allowed however it is spelled", () => {
    const safeName = fc.stringMatching(/^[a-z][a-z0-9]{2,9}$/).filter((name) => !["temp", "tmp", "windows", "users", "programdata", "detour"].includes(name));
    const folder = fc.record({ drive: fc.constantFrom("D", "E", "F"), names: fc.array(safeName, { minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(
        folder.chain(({ drive, names }) => respelling(`${drive}:\\${names.join("\\")}`, [])),
        (entry) => {
          expect(safeExclusionFindings(documentExcluding("Paths", entry))).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
