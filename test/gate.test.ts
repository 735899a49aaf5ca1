// The gate on Pulumi's own documents: real recordings must parse; the example clients' previews
// give exact, diff-aware findings.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { loadClientConfig } from "../core/config";
import { InputError } from "../core/errors";
import { runGate, type FailOn } from "../core/gate";
import type { GateReport } from "../core/report";
import { parsePulumiText, resourceStates } from "../core/sources/pulumi";
import { toDocumentValue } from "../core/values";
import { baselineStates, digest, stackExport, type State } from "./previews";
import { engine, fixtures, root } from "./support";

const harbor = () => loadClientConfig(`${root}/stacks/Pulumi.harbor-dental.yaml`);
const NOW = new Date("2026-11-27T12:00:00Z");

function gateOn(document: unknown, options: { failOn?: FailOn; withConfig?: boolean } = {}): GateReport {
  return runGate({
    states: resourceStates(document, "preview.json"),
    config: options.withConfig === false ? null : harbor(),
    evaluatedAt: NOW,
    engine: engine(),
    failOn: options.failOn ?? "any",
  });
}


/** The harbor-dental baseline, deployed, with one resource's inputs changed. */
function deployedWith(change: (state: State) => void, name: string): State[] {
  const states = baselineStates(harbor(), "harbor-dental", true);
  const target = states.find((state) => state.urn.endsWith(`::${name}`));
  if (!target) throw new Error(`no ${name}`);
  change(target);
  return states;
}

describe("real Pulumi recordings parse", () => {
  it.each(["sample-preview-creates.json", "sample-preview-update.json", "sample-preview-deletes.json"])("%s: no endpoints, no findings", (file) => {
    const document = JSON.parse(readFileSync(fixtures("reference", "pulumi-recordings", file), "utf8"));
    const report = gateOn(document, { withConfig: false });
    expect(report.findings.filter((f) => f.policy !== "threat-alerts-routed")).toEqual([]);
    expect(report.summary.resources).toBe(file.includes("deletes") ? 2 : 16);
  });

  it("a `same` step's resource is its old state: the CLI prints the new state without id and outputs", () => {
    const document = JSON.parse(readFileSync(fixtures("reference", "pulumi-recordings", "sample-preview-update.json"), "utf8"));
    const same = document.steps.find((step: { op: string; oldState?: { custom?: boolean } }) => step.op === "same" && step.oldState?.custom);
    expect(same.newState.id).toBeUndefined();
    const states = resourceStates(document, "preview.json");
    const after = states.after.find((resource) => resource.urn === same.urn);
    expect(after).toBe(states.before.find((resource) => resource.urn === same.urn));
    expect(after?.id).toBe(same.oldState.id);
    expect(Object.keys(after?.properties ?? {})).toEqual(expect.arrayContaining(Object.keys(same.oldState.outputs)));
  });

  it("an `update` step's resource keeps its id, which the CLI leaves out of the new state, and takes the new inputs", () => {
    const document = JSON.parse(readFileSync(fixtures("reference", "pulumi-recordings", "sample-preview-update.json"), "utf8"));
    const update = document.steps.find((step: { op: string; oldState?: { custom?: boolean } }) => step.op === "update" && step.oldState?.custom);
    expect(update.newState.id).toBeUndefined();
    const after = resourceStates(document, "preview.json").after.find((resource) => resource.urn === update.urn);
    expect(after?.id).toBe(update.oldState.id);
    expect(after?.properties).toEqual(toDocumentValue(update.newState.inputs));
  });

  it("the engine event stream is read as one", () => {
    const events = parsePulumiText(readFileSync(fixtures("reference", "pulumi-recordings", "eventstream.json"), "utf8"), "eventstream.json");
    expect(resourceStates(events, "eventstream.json")).toMatchObject({ kind: "event-stream" });
  });
});

describe("steward gate on the example clients' previews", () => {
  it("first deployment (every id unknown): joined through propertyDependencies, the declared machines' gaps resolved, nothing blocks", () => {
    const report = gateOn(digest([], baselineStates(harbor(), "harbor-dental", false)));
    // 1 stack + 8 components + 19 Azure resources.
    expect(report.summary).toEqual({ blocking: 0, advisory: 3, waived: 0, resources: 28 });
    const tally: Record<string, number> = {};
    for (const f of report.findings) tally[`${f.status} ${f.policy}`] = (tally[`${f.status} ${f.policy}`] ?? 0) + 1;
    // Before it, the declared machines existed with nothing attached: unmanaged, now fixed.
    expect(tally).toEqual({
      "existing patch-orchestration-unverified": 3,
      "resolved antivirus-installed": 3,
      "resolved endpoint-in-one-ring": 3,
      "resolved endpoint-reports": 6,
      "resolved threat-alerts-routed": 1,
    });
  });

  it("an update that introduces a violation is new and blocks, under --fail-on any and new", () => {
    const before = baselineStates(harbor(), "harbor-dental", true);
    const after = deployedWith((state) => {
      state.inputs = { ...state.inputs, properties: { ...(state.inputs?.properties as object), autoUpgradeMinorVersion: false } };
    }, "harbor-dental-HD-FS01-antivirus");
    for (const failOn of ["any", "new"] as const) {
      const report = gateOn(digest(before, after), { failOn });
      expect(report.summary.blocking).toBe(1);
      expect(report.findings.filter((f) => f.policy === "antivirus-up-to-date").map((f) => [f.status, f.message])).toEqual([
        ["new", 'MDE.Windows extension "harbor-dental-HD-FS01-antivirus" on "HD-FS01" has autoUpgradeMinorVersion false; it must be true so the extension takes new minor versions automatically'],
      ]);
    }
  });

  it("a violation already deployed is existing: it blocks under any, not under new", () => {
    const broken = () =>
      deployedWith((state) => {
        state.inputs = { ...state.inputs, properties: { ...(state.inputs?.properties as object), autoUpgradeMinorVersion: false } };
      }, "harbor-dental-HD-FS01-antivirus");
    const before = broken();
    const after = broken();
    const workspace = after.find((state) => state.type === "azure-native:operationalinsights:Workspace") as State;
    workspace.inputs = { ...workspace.inputs, retentionInDays: 120 };
    expect(gateOn(digest(before, after), { failOn: "any" }).summary.blocking).toBe(1);
    const report = gateOn(digest(before, after), { failOn: "new" });
    expect(report.summary.blocking).toBe(0);
    expect(report.findings.filter((f) => f.policy === "antivirus-up-to-date").map((f) => f.status)).toEqual(["existing"]);
  });

  it("a change that fixes a violation reports it resolved and passes", () => {
    const before = deployedWith((state) => {
      state.inputs = { ...state.inputs, properties: { ...(state.inputs?.properties as object), autoUpgradeMinorVersion: false } };
    }, "harbor-dental-HD-FS01-antivirus");
    const report = gateOn(digest(before, baselineStates(harbor(), "harbor-dental", true)));
    expect(report.summary.blocking).toBe(0);
    expect(report.findings.filter((f) => f.status === "resolved").map((f) => f.policy)).toEqual(["antivirus-up-to-date"]);
  });

  it("deleting an endpoint's antivirus extension leaves the endpoint unprotected: new, blocking", () => {
    const before = baselineStates(harbor(), "harbor-dental", true);
    const after = before.filter((state) => !state.urn.endsWith("::harbor-dental-hd-backup01-antivirus"));
    const report = gateOn(digest(before, after));
    expect(report.summary.blocking).toBe(1);
    expect(report.findings.filter((f) => f.status === "new" && f.enforcement === "mandatory").map((f) => `${f.policy}: ${f.message}`)).toEqual([
      'antivirus-installed: Arc machine "hd-backup01" has no antivirus extension',
    ]);
  });

  it("a raw VM added outside the baseline is an endpoint with nothing attached: every gap is new", () => {
    const before = baselineStates(harbor(), "harbor-dental", true);
    const rawVm: State = {
      urn: "urn:pulumi:harbor-dental::steward::azure-native:compute:VirtualMachine::kiosk-01",
      custom: true,
      type: "azure-native:compute:VirtualMachine",
      inputs: {
        vmName: "kiosk-01",
        resourceGroupName: "rg-harbor-arc",
        storageProfile: { osDisk: { osType: "Windows" } },
        osProfile: { adminPassword: "[secret]", windowsConfiguration: { patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" } } },
      },
    };
    const report = gateOn(digest(before, [...before, rawVm]));
    const vmFindings = report.findings.filter((f) => f.urn === rawVm.urn).map((f) => `${f.status} ${f.policy}`).sort();
    expect(vmFindings).toEqual([
      "new antivirus-installed",
      "new endpoint-in-one-ring",
      "new endpoint-reports",
      "new endpoint-reports",
      "new managed-tags",
      "new patch-orchestration",
      "new patch-orchestration",
      "new patch-orchestration",
    ]);
    expect(JSON.stringify(report)).not.toContain("[secret]");
  });
});

describe("engine event log", () => {
  it("a preview's event log gives the same findings as its digest", () => {
    const before = baselineStates(harbor(), "harbor-dental", true);
    const after = before.filter((state) => !state.urn.endsWith("::harbor-dental-hd-backup01-antivirus"));
    const preview = digest(before, after);
    // What `pulumi preview --event-log` writes: one JSON event per line, step metadata carrying old and new states.
    const log = [
      { sequence: 0, timestamp: 1764244680, preludeEvent: { config: {} } },
      ...preview.steps.map((step, index) => ({
        sequence: index + 1,
        timestamp: 1764244681,
        resourcePreEvent: { metadata: { op: step.op, urn: step.urn, type: (step.newState ?? step.oldState)?.type, old: step.oldState ?? null, new: step.newState ?? null, provider: "" }, planning: true },
      })),
      { sequence: preview.steps.length + 1, timestamp: 1764244690, summaryEvent: { maybeCorrupt: false, durationSeconds: 4, resourceChanges: preview.changeSummary } },
    ]
      .map((event) => JSON.stringify(event))
      .join("\n");
    const fromLog = gateOn(parsePulumiText(log, "events.jsonl"));
    expect(resourceStates(parsePulumiText(log, "events.jsonl"), "events.jsonl").kind).toBe("event-stream");
    expect(fromLog).toEqual(gateOn(preview));
    expect(fromLog.summary.blocking).toBe(1);
  });
});

describe("stack export", () => {
  it("audits what is deployed: every finding existing, secrets never carried", () => {
    const states = baselineStates(harbor(), "harbor-dental", true);
    const agent = states.find((state) => state.urn.endsWith("::harbor-dental-HD-FS01-monitoring-agent")) as State;
    agent.outputs = {
      ...agent.outputs,
      protectedSettings: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" },
    };
    const report = gateOn(stackExport(states));
    expect(resourceStates(stackExport(states), "export.json").kind).toBe("stack-export");
    expect(new Set(report.findings.map((f) => f.status))).toEqual(new Set(["existing"]));
    expect(report.summary).toEqual({ blocking: 0, advisory: 3, waived: 0, resources: 28 });
    expect(JSON.stringify(report)).not.toContain("c2VjcmV0");
  });
});

describe("what the gate evaluates", () => {
  it("a preview of only `same` steps, or an export: the after-state, once; its findings all existing", () => {
    const deployed = baselineStates(harbor(), "harbor-dental", true);
    const evaluate = vi.spyOn(engine(), "evaluate");
    try {
      for (const document of [digest(deployed, structuredClone(deployed)), stackExport(deployed)]) {
        evaluate.mockClear();
        const report = gateOn(document);
        expect(evaluate).toHaveBeenCalledTimes(1);
        expect(new Set(report.findings.map((finding) => finding.status))).toEqual(new Set(["existing"]));
      }
    } finally {
      evaluate.mockRestore();
    }
  });
});

describe("bad input", () => {
  it.each([
    ["an empty file", "", /preview\.json is empty/],
    ["truncated JSON", '{"steps": [', /preview\.json is not valid JSON \(truncated or corrupt\?\)/],
  ])("%s is an input error naming the file", (_case, text, message) => {
    expect(() => parsePulumiText(text, "preview.json")).toThrow(InputError);
    expect(() => parsePulumiText(text, "preview.json")).toThrow(message);
  });

  it.each([
    ["a document of another kind", { resources: [] }, /preview\.json is not a Pulumi document steward reads/],
    ["steps that are not a list", { steps: {} }, /preview\.json: "steps" is not a list/],
    ["a step without op", { steps: [{ urn: "urn:x" }] }, /preview\.json: steps\[0\]: a step needs a string "op" and "urn"/],
    ["a state with inputs of the wrong type", { steps: [{ op: "create", urn: "u", newState: { urn: "u", type: "t", inputs: [] } }] }, /steps\[0\]\.newState: "inputs" must be an object/],
    ["a create with no state", { steps: [{ op: "create", urn: "u" }] }, /steps\[0\]: "create" step has neither oldState nor newState/],
  ])("%s is an input error naming the file", (_case, document, message) => {
    expect(() => resourceStates(document, "preview.json")).toThrow(message);
  });

  it("a property named __proto__ is an ordinary property, as JSON.parse reads it", () => {
    const document = JSON.parse('{"steps": [{"op": "create", "urn": "u", "newState": {"urn": "u", "type": "t", "inputs": {"__proto__": {"polluted": true}}}}], "changeSummary": {"create": 1}}');
    const [resource] = resourceStates(document, "preview.json").after;
    expect(Object.getPrototypeOf(resource?.properties)).toBe(Object.prototype);
    expect(Object.keys(resource?.properties ?? {})).toEqual(["__proto__"]);
    expect(JSON.stringify(resource?.properties)).toBe('{"__proto__":{"polluted":true}}');
  });

  it("property values nest at most 100 levels deep (inputs and outputs are level 1)", () => {
    const nested = (levels: number): unknown => (levels === 1 ? {} : { a: nested(levels - 1) });
    const preview = (levels: number, key: "inputs" | "outputs") => ({ steps: [{ op: "create", urn: "u", newState: { urn: "u", type: "t", [key]: nested(levels) } }], changeSummary: { create: 1 } });
    for (const key of ["inputs", "outputs"] as const) {
      expect(resourceStates(preview(100, key), "preview.json").after).toHaveLength(1);
      expect(() => resourceStates(preview(101, key), "preview.json")).toThrow(
        new InputError("preview.json: steps[0].newState: property values nest more than 100 levels deep"),
      );
    }
  });
});
