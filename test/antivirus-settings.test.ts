// Extension facts read the way Azure and the extension handlers read them (core/antivirus-settings.ts,
// through the normalizer): publisher and type in any case, Microsoft Antimalware's settings keys
// in any case with ambiguity made explicit, settings written as JSON text, suppressFailures and
// resolved exclusion entries — each judged by the real wasm bundle.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exclusionEntries } from "../core/antivirus-settings";
import type { DeclaredBaseline, ExclusionEntry, Resource, StewardInput } from "../core/document";
import { TYPES } from "../core/azure";
import { normalize } from "../core/normalize";
import { assertValidDocument } from "../core/validate";
import { engine, fixtures, root, stackResource } from "./support";

const SUB = "00000000-0000-0000-0000-00000000a11c";

const baseline: DeclaredBaseline = {
  clientId: "acme",
  subscriptionId: SUB,
  endpoints: [{ name: "files-01", kind: "arc-machine", os: "linux", resourceGroup: "rg-onprem", ring: "pilot" }],
  rings: [{ name: "pilot", order: 1 }],
};

const vm = stackResource(TYPES.vm, "web-01", {
  vmName: "web-01",
  resourceGroupName: "rg-acme",
  storageProfile: { osDisk: { osType: "windows" } },
});

const SETTINGS = {
  AntimalwareEnabled: true,
  RealtimeProtectionEnabled: "true",
  ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" },
};

function antimalware(properties: Record<string, unknown>, name = "web-01-antivirus"): Resource {
  return stackResource(TYPES.vmExtension, name, {
    vmName: "web-01",
    resourceGroupName: "rg-acme",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    autoUpgradeMinorVersion: true,
    settings: SETTINGS,
    ...properties,
  });
}

function run(resources: Resource[]): StewardInput {
  const document = normalize({
    source: "preview",
    stack: { project: "steward", stack: "acme" },
    evaluatedAt: "2026-11-27T12:00:00Z",
    resources,
    baseline,
  });
  assertValidDocument(document);
  return document;
}

/** The findings of the antivirus and monitoring policies named, as `policy: message`. */
function findings(document: StewardInput, ...policies: string[]): string[] {
  return engine()
    .evaluate(document)
    .findings.filter((finding) => policies.includes(finding.policy))
    .map((finding) => `${finding.policy}: ${finding.message}`)
    .sort();
}

const label = 'Microsoft Antimalware extension "web-01-antivirus" on "web-01"';

describe("publisher and type in any case, as Azure compares them", () => {
  it("a lower-case Microsoft Antimalware, Azure Monitor Agent and MDE.Linux are those extensions, with their canonical names", () => {
    const arcMde = stackResource(TYPES.arcExtension, "files-01-antivirus", {
      machineName: "files-01",
      resourceGroupName: "rg-onprem",
      properties: { publisher: "MICROSOFT.AZURE.AZUREDEFENDERFORSERVERS", type: "mde.linux", typeHandlerVersion: "1.0", autoUpgradeMinorVersion: true },
    });
    const ama = stackResource(TYPES.vmExtension, "web-01-monitoring", {
      vmName: "web-01",
      resourceGroupName: "rg-acme",
      publisher: "microsoft.azure.monitor",
      type: "azuremonitorwindowsagent",
      typeHandlerVersion: "1.22",
    });
    const document = run([vm, antimalware({ publisher: "microsoft.azure.security", type: "iaasantimalware" }), ama, arcMde]);
    const web = document.endpoints.find((endpoint) => endpoint.name === "web-01");
    // The machine's OS does not depend on the extensions' spelling: `osType` is read in any case.
    expect(web?.os).toBe("windows");
    expect(web?.antivirus.map((attached) => attached.extensionType)).toEqual(["IaaSAntimalware"]);
    expect(web?.monitoringAgents.map((attached) => attached.extensionType)).toEqual(["AzureMonitorWindowsAgent"]);
    expect(document.endpoints.find((endpoint) => endpoint.name === "files-01")?.antivirus.map((attached) => attached.extensionType)).toEqual(["MDE.Linux"]);
    expect(document.extensions.map(({ publisher, extensionType, product }) => ({ publisher, extensionType, product }))).toEqual([
      { publisher: "Microsoft.Azure.Security", extensionType: "IaaSAntimalware", product: "antimalware" },
      { publisher: "Microsoft.Azure.Monitor", extensionType: "AzureMonitorWindowsAgent", product: "azure-monitor-agent" },
      { publisher: "Microsoft.Azure.AzureDefenderForServers", extensionType: "MDE.Linux", product: "mde" },
    ]);
    // Not blocked as "no antivirus", "no agent" or "no minimum met".
    expect(findings(document, "antivirus-installed", "antivirus-up-to-date", "antivirus-protection-on")).toEqual([]);
    expect(findings(document, "endpoint-reports").filter((line) => line.includes("Azure Monitor Agent"))).toEqual([
      'endpoint-reports: Arc machine "files-01" has no Azure Monitor Agent (AzureMonitorLinuxAgent), so it does not report to Azure Monitor',
    ]);
  });

  it("a lower-case handler still has to meet the minimum version for its type", () => {
    const document = run([vm, antimalware({ type: "IAASANTIMALWARE", typeHandlerVersion: "1.2" })]);
    expect(findings(document, "antivirus-up-to-date")).toEqual([
      'antivirus-up-to-date: IaaSAntimalware extension "web-01-antivirus" on "web-01" has typeHandlerVersion "1.2"; it must be at least "1.3"',
    ]);
  });
});

describe("Microsoft Antimalware settings keys in any case", () => {
  it("gives every key the policies read one spelling, at every level", () => {
    const settings = {
      antimalwareenabled: true,
      REALTIMEPROTECTIONENABLED: "true",
      scheduledScanSettings: { IsEnabled: "true", DAY: "7", Time: "120", scantype: "Quick" },
      exclusions: { paths: "D:\\Data", EXTENSIONS: ".mdf", Processes: "" },
      Monitoring: "ON",
    };
    const [fact] = run([vm, antimalware({ settings })]).extensions;
    expect(fact?.settings).toEqual({
      AntimalwareEnabled: true,
      RealtimeProtectionEnabled: "true",
      ScheduledScanSettings: { isEnabled: "true", day: "7", time: "120", scanType: "Quick" },
      Exclusions: { Paths: "D:\\Data", Extensions: ".mdf", Processes: "" },
      Monitoring: "ON",
    });
    expect(fact?.exclusions.map(({ kind, written, resolved }) => [kind, written, resolved])).toEqual([
      ["Paths", "D:\\Data", "d:\\data"],
      ["Extensions", ".mdf", "mdf"],
    ]);
  });

  it("real-time protection off under a lower-case key is read and reported, not missed", () => {
    const { RealtimeProtectionEnabled: _written, ...others } = SETTINGS;
    const document = run([vm, antimalware({ settings: { ...others, realtimeprotectionenabled: "false" } })]);
    expect(findings(document, "antivirus-protection-on")).toEqual([
      `antivirus-protection-on: ${label} has RealtimeProtectionEnabled "false"; real-time protection must be on (true)`,
    ]);
  });

  it("two keys that differ only in case are ambiguous: neither value is taken, and the finding names both", () => {
    const settings = {
      ...SETTINGS,
      realtimeProtectionEnabled: "false",
      Exclusions: { Paths: "D:\\Data" },
      exclusions: { Paths: "C:\\" },
    };
    const document = run([vm, antimalware({ settings })]);
    expect(document.extensions[0]?.settings).toEqual({
      AntimalwareEnabled: true,
      RealtimeProtectionEnabled: { $ambiguous: ["RealtimeProtectionEnabled", "realtimeProtectionEnabled"] },
      ScheduledScanSettings: SETTINGS.ScheduledScanSettings,
      Exclusions: { $ambiguous: ["Exclusions", "exclusions"] },
    });
    expect(document.extensions[0]?.exclusions).toEqual([]);
    expect(findings(document, "antivirus-protection-on", "antivirus-safe-exclusions")).toEqual([
      `antivirus-protection-on: ${label} has ambiguous settings: keys "RealtimeProtectionEnabled" and "realtimeProtectionEnabled" differ only in case, so which one the extension reads is undefined; keep only one`,
      `antivirus-safe-exclusions: ${label} has ambiguous settings: keys "Exclusions" and "exclusions" differ only in case, so which one the extension reads is undefined; its exclusions cannot be checked`,
    ]);
  });

  it("takes booleans and the strings the handler takes (Microsoft's samples use both), under keys in any case", () => {
    const settings = { antimalwareenabled: "true", REALTIMEPROTECTIONENABLED: true, ScheduledScanSettings: { IsEnabled: true, Day: 1, time: 120 } };
    expect(findings(run([vm, antimalware({ settings })]), "antivirus-protection-on")).toEqual([]);
  });
});

describe("settings written as JSON text (the classic azure provider's `settings` is a string)", () => {
  it("parses the text: the settings are judged as if written as an object", () => {
    const text = JSON.stringify({ ...SETTINGS, exclusions: { paths: "%windir%\\Temp" } });
    const document = run([vm, antimalware({ settings: text })]);
    expect(document.extensions[0]?.settings).toEqual({ ...SETTINGS, Exclusions: { Paths: "%windir%\\Temp" } });
    expect(findings(document, "antivirus-protection-on", "antivirus-safe-exclusions")).toEqual([
      `antivirus-safe-exclusions: ${label} excludes path "%windir%\\\\Temp" (resolves to c:\\windows\\temp): never exclude a temporary folder`,
    ]);
  });

  it.each([
    ["text that is not JSON", '{"AntimalwareEnabled": true, "Exclusions": '],
    ["a JSON array", '["AntimalwareEnabled"]'],
    ["a JSON string", '"AntimalwareEnabled"'],
  ])("%s cannot be verified: blocking findings, never a crash or a pass", (_what, text) => {
    const document = run([vm, antimalware({ settings: text })]);
    expect(document.extensions[0]?.settings).toBe(text);
    expect(findings(document, "antivirus-protection-on", "antivirus-safe-exclusions")).toEqual([
      `antivirus-protection-on: ${label} has settings text that is not a JSON object, so they cannot be verified; it needs AntimalwareEnabled, RealtimeProtectionEnabled and a weekly scheduled scan`,
      `antivirus-safe-exclusions: ${label} has settings that are not a JSON object, so its exclusions cannot be checked`,
    ]);
    // Blocking: mandatory, whatever else the document has.
    expect(
      engine()
        .evaluate(document)
        .findings.filter((finding) => finding.policy === "antivirus-protection-on" || finding.policy === "antivirus-safe-exclusions")
        .map((finding) => finding.enforcement),
    ).toEqual(["mandatory", "mandatory"]);
  });

  it("a preview's unknowns inside the text stay unknown", () => {
    const text = JSON.stringify({ ...SETTINGS, RealtimeProtectionEnabled: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
    expect(findings(run([vm, antimalware({ settings: text })]), "antivirus-protection-on")).toEqual([
      `antivirus-protection-on: ${label} has RealtimeProtectionEnabled unknown until apply; real-time protection must be on (true)`,
    ]);
  });
});

describe("suppressFailures", () => {
  it("an antivirus extension that suppresses its failures is reported: the deployment would succeed without antivirus", () => {
    const document = run([vm, antimalware({ suppressFailures: true })]);
    expect(document.extensions[0]?.suppressFailures).toBe(true);
    // The declared Arc machine has no antivirus at all; the VM has one that may never install.
    expect(findings(document, "antivirus-installed")).toEqual([
      'antivirus-installed: Arc machine "files-01" has no antivirus extension',
      'antivirus-installed: IaaSAntimalware extension "web-01-antivirus" on "web-01" has suppressFailures true: the deployment succeeds even when the extension fails to install, leaving the endpoint without antivirus',
    ]);
    expect(findings(run([vm, antimalware({ suppressFailures: false })]), "antivirus-installed")).toEqual([
      'antivirus-installed: Arc machine "files-01" has no antivirus extension',
    ]);
  });
});

describe("exclusion entries in the document", () => {
  it("carries every entry resolved as Defender reads it, listed once", () => {
    const settings = { ...SETTINGS, Exclusions: { Paths: "C:/Windows/System32/;D:\\Data; D:\\Data ;", Extensions: [".ISO", 7], Processes: "%windir%\\*" } };
    const [fact] = run([vm, antimalware({ settings })]).extensions;
    expect(fact?.exclusions).toEqual<ExclusionEntry[]>([
      { kind: "Paths", written: "C:/Windows/System32/", resolved: "c:\\windows\\system32" },
      { kind: "Paths", written: "D:\\Data", resolved: "d:\\data" },
      { kind: "Extensions", written: ".ISO", resolved: "iso" },
      { kind: "Extensions", written: 7, resolved: null },
      { kind: "Processes", written: "%windir%\\*", resolved: "c:\\windows\\*" },
    ]);
    // What Defender would not resolve is listed only when there is any.
    const [unresolved] = exclusionEntries({ Exclusions: { Paths: "%HOMEPATH%\\x" } });
    expect(unresolved).toEqual({ kind: "Paths", written: "%HOMEPATH%\\x", resolved: null, unresolved: [{ text: "%HOMEPATH%", reason: "user-variable" }] });
  });

  it("every sample document carries the entries the normalizer resolves from its settings", () => {
    const dir = fixtures("policies");
    const files = [join(dir, "compliant-base.json")];
    for (const folder of readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const kind of ["allowed", "disallowed"]) {
        const sub = join(dir, folder.name, kind);
        for (const file of readdirSync(sub).filter((name) => name.endsWith(".json"))) files.push(join(sub, file));
      }
    }
    for (const file of files) {
      const document = JSON.parse(readFileSync(file, "utf8")) as StewardInput;
      for (const extension of document.extensions) {
        const expected = extension.product === "antimalware" ? exclusionEntries(extension.settings) : [];
        expect(extension.exclusions, `${file} ${extension.urn}`).toEqual(expected);
      }
    }
  });

  it("the opa tests' table of resolved entries is what the normalizer resolves", () => {
    const text = readFileSync(join(root, "policies/rules/antivirus_safe_exclusions/entries_test.rego"), "utf8");
    const table = JSON.parse(text.slice(text.indexOf("{", text.indexOf("_resolved :="))).replace(/,(\s*[}\]])/g, "$1")) as Record<
      string,
      Record<string, Partial<ExclusionEntry>>
    >;
    for (const [kind, entries] of Object.entries(table)) {
      for (const [written, entry] of Object.entries(entries)) {
        const [resolved] = exclusionEntries({ Exclusions: { [kind]: [written] } });
        expect(resolved, `${kind} ${written}`).toEqual({ kind, written, ...entry });
      }
    }
  });
});
