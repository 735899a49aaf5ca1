// `steward drift` on refresh previews of the example clients: what changed outside Pulumi,
// ranked, and the policies re-run on what is actually there.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadClientConfig } from "../core/config";
import { analyzeDrift, changedPaths } from "../core/drift";
import { resourceStates } from "../core/sources/pulumi";
import { baselineStates, refreshDigest, type State } from "./support/previews";
import { engine, root } from "./support";

const config = () => loadClientConfig(`${root}/stacks/Pulumi.northwind-logistics.yaml`);
const recorded = () => baselineStates(config(), "northwind-logistics", true);
const NOW = new Date("2026-11-27T12:00:00Z");

function drifted(change: (states: State[]) => State[]) {
  const states = resourceStates(refreshDigest(recorded(), change(recorded())), "refresh.json", { refresh: true });
  return analyzeDrift(states, config(), engine(), NOW);
}

describe("steward drift", () => {
  it("no drift: nothing changed, nothing new", () => {
    const report = drifted((states) => states);
    expect(report.drifted).toEqual([]);
    expect(report.policies.summary.blocking).toBe(0);
  });

  it("real-time protection switched off and a ring assignment deleted in the portal: ranked, restorable, blocking", () => {
    const report = drifted((states) => {
      const antivirus = states.find((state) => state.urn.endsWith("::northwind-logistics-nwl-web01-antivirus")) as State;
      const outputs = antivirus.outputs as { settings: Record<string, unknown> };
      antivirus.outputs = { ...outputs, settings: { ...outputs.settings, RealtimeProtectionEnabled: "false" } };
      return states.filter((state) => !state.urn.endsWith("::northwind-logistics-nwl-sql01-ring-assignment"));
    });
    expect(report.drifted.map((d) => [d.question, d.kind, d.urn.slice(d.urn.lastIndexOf("::") + 2), d.restore])).toEqual([
      ["antivirus", "changed", "northwind-logistics-nwl-web01-antivirus", 'pulumi up would set settings.RealtimeProtectionEnabled back to "true"'],
      ["patching", "deleted", "northwind-logistics-nwl-sql01-ring-assignment", "pulumi up would create it again"],
    ]);
    expect(report.policies.findings.filter((f) => f.status === "new").map((f) => `${f.policy}: ${f.message}`).sort()).toEqual([
      'antivirus-protection-on: Microsoft Antimalware extension "northwind-logistics-nwl-web01-antivirus" on "nwl-web01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
      'endpoint-in-one-ring: Azure VM "nwl-sql01" is in no update ring',
    ]);
    expect(report.policies.summary.blocking).toBe(2);
  });

  it("classifies by what a resource is: a monitoring agent tagged with its antivirus owner is monitoring drift", () => {
    const report = drifted((states) =>
      states.map((state) => {
        if (!state.urn.endsWith("::northwind-logistics-nwl-web01-monitoring-agent")) return state;
        const outputs = state.outputs as { tags: Record<string, string> };
        expect(outputs.tags["responsible-antivirus"]).toBe("msp");
        return { ...state, outputs: { ...outputs, typeHandlerVersion: "0.9" } };
      }),
    );
    expect(report.drifted.map((d) => [d.question, d.kind, d.urn.slice(d.urn.lastIndexOf("::") + 2), d.restore])).toEqual([
      ["monitoring", "changed", "northwind-logistics-nwl-web01-monitoring-agent", 'pulumi up would set typeHandlerVersion back to "1.0"'],
    ]);
  });

  it("classifies an extension by its handler whatever the case and the token's API version", () => {
    const respell = (states: State[]) =>
      states.map((state) =>
        state.urn.endsWith("::northwind-logistics-nwl-web01-antivirus")
          ? { ...state, type: "azure-native:compute/v20240301:VirtualMachineExtension", outputs: { ...state.outputs, publisher: "microsoft.azure.security", type: "iaasantimalware" } }
          : state,
      );
    const before = respell(recorded());
    const after = before.map((state) =>
      state.urn.endsWith("::northwind-logistics-nwl-web01-antivirus") ? { ...state, outputs: { ...state.outputs, autoUpgradeMinorVersion: false } } : state,
    );
    const report = analyzeDrift(resourceStates(refreshDigest(before, after), "refresh.json", { refresh: true }), config(), engine(), NOW);
    expect(report.drifted.map((d) => [d.question, d.urn.slice(d.urn.lastIndexOf("::") + 2), d.restore])).toEqual([
      ["antivirus", "northwind-logistics-nwl-web01-antivirus", "pulumi up would set autoUpgradeMinorVersion back to true"],
    ]);
  });

  it("compares nested properties leaf by leaf and never shows a secret", () => {
    expect(
      changedPaths(
        { settings: { a: 1, b: { c: true } }, protectedSettings: { $secret: true } },
        { settings: { a: 1, b: { c: false } }, protectedSettings: null, tags: { x: "y" } },
      ),
    ).toEqual([
      { path: "protectedSettings", expected: "(secret)", actual: null },
      { path: "settings.b.c", expected: true, actual: false },
      { path: "tags", expected: "(absent)", actual: { x: "y" } },
    ]);
  });
});

describe("steward drift (CLI)", () => {
  it("exits 1 when drift leaves an endpoint unmanaged, and says what pulumi up would put back", () => {
    const actual = recorded().filter((state) => !state.urn.endsWith("::northwind-logistics-nwl-sql01-antivirus"));
    const file = join(mkdtempSync(join(tmpdir(), "steward-drift-")), "refresh.json");
    writeFileSync(file, JSON.stringify(refreshDigest(recorded(), actual)));
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "drift", file, "--stack", "northwind-logistics"], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("northwind-logistics-nwl-sql01-antivirus: pulumi up would create it again");
    expect(result.stdout).toContain('BLOCK [antivirus-installed] Azure VM "nwl-sql01" has no antivirus extension');
  });

  it("exits 0 when nothing drifted", () => {
    const file = join(mkdtempSync(join(tmpdir(), "steward-drift-")), "refresh.json");
    writeFileSync(file, JSON.stringify(refreshDigest(recorded(), recorded())));
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "drift", file, "--stack", "northwind-logistics"], { encoding: "utf8" });
    expect({ code: result.status, stdout: result.stdout }).toEqual({ code: 0, stdout: "No drift: the cloud matches Pulumi's state.\n" });
  });
});
