// The gate on Pulumi's own documents: real recordings must parse; the example clients' previews
// give exact, diff-aware findings.
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { loadClientConfig } from "../core/config";
import { InputError } from "../core/errors";
import { runGate, type FailOn } from "../core/gate";
import type { GateReport } from "../core/gate-report";
import { parsePulumiText, resourceStates } from "../core/sources/pulumi";
import { toDocumentValue } from "../core/values";
import { baselineStates, digest, stackExport, type State } from "./support/previews";
import { engine, fixtures, inputError, root } from "./support";

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

/** Every finding of a report as `status policy urn: message`, in the report's order. */
const lines = (report: GateReport) => report.findings.map((f) => `${f.status} ${f.policy} ${f.urn}: ${f.message}`);

const arcMachine = (name: string) => `/subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourcegroups/rg-harbor-arc/providers/microsoft.hybridcompute/machines/${name.toLowerCase()}`;
const HD_FS01_ANTIVIRUS =
  "urn:pulumi:harbor-dental::steward::steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:hybridcompute:MachineExtension::harbor-dental-HD-FS01-antivirus";
const AUTO_UPGRADE_OFF =
  'MDE.Windows extension "harbor-dental-HD-FS01-antivirus" on "HD-FS01" has autoUpgradeMinorVersion false; it must be true so the extension takes new minor versions automatically';
/** harbor-dental's Arc machines are referenced, not managed, by its stack: advisory wherever they are deployed. */
const UNVERIFIED = ["hd-backup01", "HD-FS01", "HD-PMS01"].map(
  (name) =>
    `existing patch-orchestration-unverified ${arcMachine(name)}: Arc machine "${name}" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`,
);

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
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ blocking: 0, advisory: 0, waived: 0, resources: file.includes("deletes") ? 2 : 16 });
  });

  it("a `same` step's resource is its old state: the CLI prints the new state without id and outputs", () => {
    const document = JSON.parse(readFileSync(fixtures("reference", "pulumi-recordings", "sample-preview-update.json"), "utf8"));
    const same = document.steps.find((step: { op: string; oldState?: { custom?: boolean } }) => step.op === "same" && step.oldState?.custom);
    expect(same.newState.id).toBeUndefined();
    const states = resourceStates(document, "preview.json");
    const after = states.after.find((resource) => resource.urn === same.urn);
    expect(after).toBe(states.before.find((resource) => resource.urn === same.urn));
    expect(after?.id).toBe(same.oldState.id);
    // A preview's planned inputs win over the last-known outputs.
    expect(after?.properties).toEqual(toDocumentValue({ ...same.oldState.outputs, ...same.oldState.inputs }));
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
    // The recording carries policy events only: no resource step, no stack identity.
    expect(resourceStates(events, "eventstream.json")).toEqual({ kind: "event-stream", before: [], after: [], identity: null });
  });
});

describe("steward gate on the example clients' previews", () => {
  it("first deployment (every id unknown): joined through propertyDependencies, the declared machines' gaps resolved, nothing blocks", () => {
    const report = gateOn(digest([], baselineStates(harbor(), "harbor-dental", false)));
    // 1 stack + 8 components + 19 Azure resources.
    expect(report.summary).toEqual({ blocking: 0, advisory: 3, waived: 0, resources: 28 });
    // Before it, the declared machines existed with nothing attached: unmanaged, now fixed.
    const agent = { "hd-backup01": "AzureMonitorLinuxAgent", "HD-FS01": "AzureMonitorWindowsAgent", "HD-PMS01": "AzureMonitorWindowsAgent" };
    const gaps = (policy: string, message: (name: keyof typeof agent) => string) =>
      (["hd-backup01", "HD-FS01", "HD-PMS01"] as const).map((name) => `resolved ${policy} ${arcMachine(name)}: ${message(name)}`);
    expect(lines(report)).toEqual([
      ...UNVERIFIED,
      ...gaps("antivirus-installed", (name) => `Arc machine "${name}" has no antivirus extension`),
      ...gaps("endpoint-in-one-ring", (name) => `Arc machine "${name}" is in no update ring`),
      ...(["hd-backup01", "HD-FS01", "HD-PMS01"] as const).flatMap((name) => [
        `resolved endpoint-reports ${arcMachine(name)}: Arc machine "${name}" has no Azure Monitor Agent (${agent[name]}), so it does not report to Azure Monitor`,
        `resolved endpoint-reports ${arcMachine(name)}: Arc machine "${name}" is not associated with a data collection rule, so its agent collects nothing`,
      ]),
      "resolved threat-alerts-routed stack:steward/harbor-dental: no enabled action group or security contact sends threat alerts to anyone",
    ]);
  });

  it("an update that introduces a violation is new and blocks, under --fail-on any and new", () => {
    const before = baselineStates(harbor(), "harbor-dental", true);
    const after = deployedWith((state) => {
      state.inputs = { ...state.inputs, properties: { ...(state.inputs?.properties as object), autoUpgradeMinorVersion: false } };
    }, "harbor-dental-HD-FS01-antivirus");
    for (const failOn of ["any", "new"] as const) {
      const report = gateOn(digest(before, after), { failOn });
      expect(report.summary).toEqual({ blocking: 1, advisory: 3, waived: 0, resources: 28 });
      expect(lines(report)).toEqual([`new antivirus-up-to-date ${HD_FS01_ANTIVIRUS}: ${AUTO_UPGRADE_OFF}`, ...UNVERIFIED]);
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
    const findings = [`existing antivirus-up-to-date ${HD_FS01_ANTIVIRUS}: ${AUTO_UPGRADE_OFF}`, ...UNVERIFIED];
    const underAny = gateOn(digest(before, after), { failOn: "any" });
    expect(underAny.summary).toEqual({ blocking: 1, advisory: 3, waived: 0, resources: 28 });
    expect(lines(underAny)).toEqual(findings);
    const report = gateOn(digest(before, after), { failOn: "new" });
    expect(report.summary).toEqual({ blocking: 0, advisory: 3, waived: 0, resources: 28 });
    expect(lines(report)).toEqual(findings);
  });

  it("a change that fixes a violation reports it resolved and passes", () => {
    const before = deployedWith((state) => {
      state.inputs = { ...state.inputs, properties: { ...(state.inputs?.properties as object), autoUpgradeMinorVersion: false } };
    }, "harbor-dental-HD-FS01-antivirus");
    const report = gateOn(digest(before, baselineStates(harbor(), "harbor-dental", true)));
    expect(report.summary).toEqual({ blocking: 0, advisory: 3, waived: 0, resources: 28 });
    expect(lines(report)).toEqual([...UNVERIFIED, `resolved antivirus-up-to-date ${HD_FS01_ANTIVIRUS}: ${AUTO_UPGRADE_OFF}`]);
  });

  it("deleting an endpoint's antivirus extension leaves the endpoint unprotected: new, blocking", () => {
    const before = baselineStates(harbor(), "harbor-dental", true);
    const after = before.filter((state) => !state.urn.endsWith("::harbor-dental-hd-backup01-antivirus"));
    const report = gateOn(digest(before, after));
    expect(report.summary).toEqual({ blocking: 1, advisory: 3, waived: 0, resources: 27 });
    expect(lines(report)).toEqual([`new antivirus-installed ${arcMachine("hd-backup01")}: Arc machine "hd-backup01" has no antivirus extension`, ...UNVERIFIED]);
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
    expect(report.summary).toEqual({ blocking: 8, advisory: 3, waived: 0, resources: 29 });
    const gap = (policy: string, message: string) => `new ${policy} ${rawVm.urn}: Azure VM "kiosk-01" ${message}`;
    expect(lines(report)).toEqual([
      gap("antivirus-installed", "has no antivirus extension"),
      gap("endpoint-in-one-ring", "is in no update ring"),
      gap("endpoint-reports", "has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor"),
      gap("endpoint-reports", "is not associated with a data collection rule, so its agent collects nothing"),
      gap("managed-tags", 'carries no tags; it needs "client", "managed-by"'),
      gap("patch-orchestration", 'assessmentMode is "ImageDefault"; it must be "AutomaticByPlatform" so missing updates are assessed daily'),
      gap("patch-orchestration", "bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it"),
      gap("patch-orchestration", 'patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it'),
      ...UNVERIFIED,
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
    expect(lines(fromLog)).toEqual([`new antivirus-installed ${arcMachine("hd-backup01")}: Arc machine "hd-backup01" has no antivirus extension`, ...UNVERIFIED]);
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
    expect(lines(report)).toEqual(UNVERIFIED);
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
        expect(lines(report)).toEqual(UNVERIFIED);
      }
    } finally {
      evaluate.mockRestore();
    }
  });
});

describe("bad input", () => {
  it.each([
    ["an empty file", "", /^preview\.json is empty; expected a Pulumi JSON document$/],
    // After the colon, JSON.parse's own words.
    ["truncated JSON", '{"steps": [', /^preview\.json is not valid JSON \(truncated or corrupt\?\): \S/],
  ])("%s is an input error naming the file", (_case, text, message) => {
    expect(inputError(() => parsePulumiText(text, "preview.json"))).toMatch(message);
  });

  it.each([
    [
      "a document of another kind",
      { resources: [] },
      'preview.json is not a Pulumi document steward reads: expected `pulumi preview --json` (an object with "steps"), an engine event log (one JSON event per line) or `pulumi stack export` (an object with "deployment")',
    ],
    ["steps that are not a list", { steps: {} }, 'preview.json: "steps" is not a list; expected the output of `pulumi preview --json`'],
    ["a step without op", { steps: [{ urn: "urn:x" }] }, 'preview.json: steps[0]: a step needs a string "op" and "urn"'],
    ["a state with inputs of the wrong type", { steps: [{ op: "create", urn: "u", newState: { urn: "u", type: "t", inputs: [] } }] }, 'preview.json: steps[0].newState: "inputs" must be an object'],
    ["a create with no state", { steps: [{ op: "create", urn: "u" }] }, 'preview.json: steps[0]: "create" step has neither oldState nor newState'],
  ])("%s is an input error naming the file", (_case, document, message) => {
    expect(inputError(() => resourceStates(document, "preview.json"))).toBe(message);
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
      expect(resourceStates(preview(100, key), "preview.json").after.map((resource) => [resource.urn, resource.properties])).toEqual([["u", nested(100)]]);
      expect(() => resourceStates(preview(101, key), "preview.json")).toThrow(
        new InputError("preview.json: steps[0].newState: property values nest more than 100 levels deep"),
      );
    }
  });
});
