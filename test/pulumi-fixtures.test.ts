// Real-format Pulumi documents for the example clients, committed under fixtures/pulumi so users
// can read them and run `steward gate`/`drift` on them. They are generated from the clients'
// plans (test/support/previews.ts); this test fails when a committed file no longer matches what the
// generator builds (regenerate with STEWARD_WRITE_FIXTURES=1 npx vitest run test/pulumi-fixtures.test.ts).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadClientConfig } from "../core/config";
import { runGate, type FailOn } from "../core/gate";
import { parsePulumiText, resourceStates } from "../core/sources/pulumi";
import { analyzeDrift } from "../core/drift";
import { baselineStates, digest, refreshDigest, stackExport, type State } from "./support/previews";
import { engine, fixtures, root } from "./support";

const config = (stack: string) => loadClientConfig(`${root}/stacks/Pulumi.${stack}.yaml`);
const deployed = (stack: string) => baselineStates(config(stack), stack, true);
const edit = (states: State[], name: string, change: (state: State) => void) => {
  const target = states.find((state) => state.urn.endsWith(`::${name}`));
  if (!target) throw new Error(`no ${name}`);
  change(target);
  return states;
};
const withSettings = (key: "inputs" | "outputs", settings: Record<string, unknown>) => (state: State) => {
  const current = state[key] as { settings: Record<string, unknown> };
  state[key] = { ...current, settings: { ...current.settings, ...settings } };
};

const FIXTURES: Record<string, () => unknown> = {
  "harbor-dental.first-deployment.preview.json": () => digest([], baselineStates(config("harbor-dental"), "harbor-dental", false)),
  "northwind-logistics.compliant.preview.json": () =>
    digest(deployed("northwind-logistics"), edit(deployed("northwind-logistics"), "northwind-logistics-monitoring-workspace", (s) => void (s.inputs = { ...s.inputs, retentionInDays: 365 }))),
  "northwind-logistics.noncompliant.preview.json": () =>
    digest(
      deployed("northwind-logistics"),
      edit(deployed("northwind-logistics"), "northwind-logistics-nwl-web01-antivirus", withSettings("inputs", { RealtimeProtectionEnabled: "false" })),
    ),
  // Adopted with a gap already deployed (CTL-FS01's antivirus extension was never created);
  // the change itself only raises the workspace retention.
  "contoso-legal.brownfield.preview.json": () => {
    const withGap = () => deployed("contoso-legal").filter((state) => !state.urn.endsWith("::contoso-legal-CTL-FS01-antivirus"));
    return digest(withGap(), edit(withGap(), "contoso-legal-monitoring-workspace", (s) => void (s.inputs = { ...s.inputs, retentionInDays: 120 })));
  },
  "northwind-logistics.drifted.refresh.json": () =>
    refreshDigest(
      deployed("northwind-logistics"),
      edit(deployed("northwind-logistics"), "northwind-logistics-nwl-web01-antivirus", withSettings("outputs", { RealtimeProtectionEnabled: "false" })).filter(
        (state) => !state.urn.endsWith("::northwind-logistics-nwl-sql01-ring-assignment"),
      ),
    ),
  "harbor-dental.stack-export.json": () => stackExport(deployed("harbor-dental")),
};

describe("committed Pulumi fixtures", () => {
  it.each(Object.keys(FIXTURES))("%s is what the generator builds", (name) => {
    const path = fixtures("pulumi", name);
    const built = `${JSON.stringify((FIXTURES[name] as () => unknown)(), null, 2)}\n`;
    if (process.env.STEWARD_WRITE_FIXTURES === "1" || !existsSync(path)) writeFileSync(path, built);
    expect(readFileSync(path, "utf8")).toBe(built);
  });

  const gate = (name: string, stack: string, failOn: FailOn = "any") => {
    const text = readFileSync(fixtures("pulumi", name), "utf8");
    return runGate({ states: resourceStates(parsePulumiText(text, name), name), config: config(stack), evaluatedAt: new Date("2026-11-27T12:00:00Z"), engine: engine(), failOn });
  };

  it.each([
    ["harbor-dental.first-deployment.preview.json", "harbor-dental", { blocking: 0, advisory: 3, waived: 0, resources: 28 }],
    // 1 stack + 14 components + 40 Azure resources.
    ["northwind-logistics.compliant.preview.json", "northwind-logistics", { blocking: 0, advisory: 8, waived: 0, resources: 55 }],
    ["northwind-logistics.noncompliant.preview.json", "northwind-logistics", { blocking: 1, advisory: 8, waived: 0, resources: 55 }],
    ["harbor-dental.stack-export.json", "harbor-dental", { blocking: 0, advisory: 3, waived: 0, resources: 28 }],
  ])("gate on %s", (name, stack, summary) => {
    expect(gate(name, stack).summary).toEqual(summary);
  });

  it("brownfield: the violations already deployed are existing; --fail-on new lets the unrelated change through", () => {
    const any = gate("contoso-legal.brownfield.preview.json", "contoso-legal", "any");
    const onlyNew = gate("contoso-legal.brownfield.preview.json", "contoso-legal", "new");
    expect(any.summary.blocking).toBe(1);
    expect(onlyNew.summary.blocking).toBe(0);
    expect(any.findings.filter((f) => f.enforcement === "mandatory").map((f) => `${f.status} ${f.policy}: ${f.message}`)).toEqual([
      'existing antivirus-installed: Arc machine "CTL-FS01" has no antivirus extension',
    ]);
  });

  it("drifted refresh: real-time protection off and a ring assignment gone", () => {
    const name = "northwind-logistics.drifted.refresh.json";
    const states = resourceStates(parsePulumiText(readFileSync(fixtures("pulumi", name), "utf8"), name), name, { refresh: true });
    const report = analyzeDrift(states, config("northwind-logistics"), engine(), new Date("2026-11-27T12:00:00Z"));
    expect(report.drifted.map((d) => `${d.question} ${d.kind}`)).toEqual(["antivirus changed", "patching deleted"]);
    expect(report.policies.summary.blocking).toBe(2);
  });
});
