// What each Pulumi step op leaves in the after-state (core/sources/pulumi.ts, the table there and
// in README.md), on the engine's own recordings (fixtures/reference/pulumi-recordings/engine/) and
// on digests in the CLI's shape; and previews that are not the whole change, refused.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadClientConfig } from "../core/config";
import { runGate } from "../core/gate";
import type { GateReport } from "../core/gate-report";
import { parsePulumiText, resourceStates, type ResourceStates } from "../core/sources/pulumi";
import { baselineStates, digest, type State } from "./support/previews";
import { engine, fixtures, inputError, root } from "./support";

/** A state as the engine prints it, with the options that decide what a removal leaves. */
type EngineState = State & { delete?: boolean; external?: boolean; retainOnDelete?: boolean };
interface DigestStep {
  op: string;
  urn: string;
  oldState?: EngineState;
  newState?: EngineState;
  detailedDiff: null;
}

const STACK = "harbor-dental";
const urnOf = (type: string, name: string) => `urn:pulumi:${STACK}::steward::${type}::${name}`;
const VM = "azure-native:compute:VirtualMachine";
const VM_EXTENSION = "azure-native:compute:VirtualMachineExtension";
const PROVIDER = `urn:pulumi:${STACK}::steward::pulumi:providers:azure-native::default_3_28_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;
const KIOSK = urnOf(VM, "kiosk-01");
const KIOSK_ANTIVIRUS = urnOf(VM_EXTENSION, "kiosk-01-antivirus");
const armId = (type: string, name: string) => `/subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourceGroups/rg-harbor-arc/providers/${type}/${name}`;

/** A Windows VM the stack owns (deployed: with id and outputs), outside the baseline. */
function vm(name = "kiosk-01", options: Partial<EngineState> = {}): EngineState {
  const inputs = {
    vmName: name,
    resourceGroupName: "rg-harbor-arc",
    hardwareProfile: { vmSize: "Standard_B2s" },
    storageProfile: { osDisk: { osType: "Windows" } },
    osProfile: { windowsConfiguration: { patchSettings: { patchMode: "AutomaticByOS", assessmentMode: "ImageDefault" } } },
  };
  return { urn: KIOSK, custom: true, id: armId("Microsoft.Compute/virtualMachines", name), type: VM, inputs, outputs: inputs, provider: PROVIDER, ...options };
}

/** Microsoft Antimalware on that VM. */
function antivirus(vmName = "kiosk-01", options: Partial<EngineState> = {}): EngineState {
  const inputs = {
    vmName,
    resourceGroupName: "rg-harbor-arc",
    vmExtensionName: "antivirus",
    publisher: "Microsoft.Azure.Security",
    type: "IaaSAntimalware",
    typeHandlerVersion: "1.3",
    autoUpgradeMinorVersion: true,
    settings: { AntimalwareEnabled: true, RealtimeProtectionEnabled: "true", ScheduledScanSettings: { isEnabled: "true", day: "1", time: "120", scanType: "Quick" } },
  };
  return { urn: KIOSK_ANTIVIRUS, custom: true, id: armId(`Microsoft.Compute/virtualMachines/${vmName}/extensions`, "antivirus"), type: VM_EXTENSION, inputs, outputs: inputs, provider: PROVIDER, ...options };
}

/** The new state of a step as the CLI prints it: no id, no outputs. */
const planned = ({ id, outputs, ...rest }: EngineState): EngineState => rest;
const step = (op: string, urn: string, oldState?: EngineState, newState?: EngineState): DigestStep => ({
  op,
  urn,
  ...(oldState ? { oldState } : {}),
  ...(newState ? { newState } : {}),
  detailedDiff: null,
});
/** A digest as the CLI prints it with --show-sames: its change summary counts what it lists. */
const preview = (steps: DigestStep[], extra: Record<string, unknown> = {}) => ({
  config: {},
  steps,
  duration: 1_000_000_000,
  changeSummary: { same: steps.filter((step) => step.op === "same" || step.op === "refresh").length },
  ...extra,
});
const statesOf = (steps: DigestStep[], options: { refresh?: boolean } = {}) => resourceStates(preview(steps), "preview.json", options);
const urns = (resources: ResourceStates["after"]) => resources.map((resource) => resource.urn);
const vmSizeOf = (states: ResourceStates, urn: string) => (states.after.find((resource) => resource.urn === urn)?.properties.hardwareProfile as { vmSize?: string } | undefined)?.vmSize;

describe("each op's after-state (digest)", () => {
  const old = vm();
  const resized = { ...vm(), inputs: { ...vm().inputs, hardwareProfile: { vmSize: "Standard_D4s_v5" } } };

  it.each<[string, DigestStep, string[], string | undefined]>([
    ["same: the old state", step("same", KIOSK, old, planned(old)), [KIOSK], "Standard_B2s"],
    ["create: the new state", step("create", KIOSK, undefined, planned(resized)), [KIOSK], "Standard_D4s_v5"],
    ["update: the new state", step("update", KIOSK, old, planned(resized)), [KIOSK], "Standard_D4s_v5"],
    ["replace: the new state", step("replace", KIOSK, old, planned(resized)), [KIOSK], "Standard_D4s_v5"],
    ["create-replacement: the new state", step("create-replacement", KIOSK, old, planned(resized)), [KIOSK], "Standard_D4s_v5"],
    ["read: the resource read, which exists", step("read", KIOSK, undefined, { ...resized, external: true }), [KIOSK], "Standard_D4s_v5"],
    ["read-replacement: the resource now read", step("read-replacement", KIOSK, old, { ...resized, external: true }), [KIOSK], "Standard_D4s_v5"],
    ["import: the adopted resource", step("import", KIOSK, undefined, resized), [KIOSK], "Standard_D4s_v5"],
    ["import-replacement: the adopted resource", step("import-replacement", KIOSK, old, resized), [KIOSK], "Standard_D4s_v5"],
    ["refresh: the state read back", step("refresh", KIOSK, old, resized), [KIOSK], "Standard_D4s_v5"],
    ["refresh without a new state: the old one", step("refresh", KIOSK, old), [KIOSK], "Standard_B2s"],
    ["delete: gone", step("delete", KIOSK, old), [], undefined],
    ["delete with retainOnDelete: still running", step("delete", KIOSK, { ...old, retainOnDelete: true }), [KIOSK], "Standard_B2s"],
    ["discard: a read resource no longer read still runs", step("discard", KIOSK, { ...old, external: true }), [KIOSK], "Standard_B2s"],
    ["delete-replaced alone (a deleteBeforeReplace dependent not registered again): gone", step("delete-replaced", KIOSK, old), [], undefined],
    ["discard-replaced alone: the read resource still runs", step("discard-replaced", KIOSK, { ...old, external: true, delete: true }), [KIOSK], "Standard_B2s"],
    ["remove-pending-replace: gone", step("remove-pending-replace", KIOSK, old), [], undefined],
    ["extend-parameterize: no resource", step("extend-parameterize", ""), [], undefined],
  ])("%s", (_case, only, after, vmSize) => {
    const states = statesOf([only]);
    expect(urns(states.after)).toEqual(after);
    expect(vmSizeOf(states, KIOSK)).toBe(vmSize);
    expect(urns(states.before)).toEqual(only.oldState ? [KIOSK] : []);
  });

  it("same: the after resource is the before resource (nothing changed)", () => {
    const states = statesOf([step("same", KIOSK, old, planned(old))]);
    expect(states.after[0]).toBe(states.before[0]);
  });

  it("update: keeps the id the new state leaves out", () => {
    expect(statesOf([step("update", KIOSK, old, planned(resized))]).after[0]?.id).toBe(old.id);
  });
});

describe("replacements leave the new resource", () => {
  const old = vm();
  const next = { ...vm(), inputs: { ...vm().inputs, hardwareProfile: { vmSize: "Standard_D4s_v5" } } };
  const pendingDelete = { ...old, delete: true };

  it("create-before-delete with --show-replacement-steps: create-replacement, replace, then delete-replaced of the old half", () => {
    const states = statesOf([
      step("create-replacement", KIOSK, old, planned(next)),
      step("replace", KIOSK, old, planned(next)),
      step("same", KIOSK_ANTIVIRUS, antivirus(), planned(antivirus())),
      step("delete-replaced", KIOSK, pendingDelete),
    ]);
    expect(urns(states.after)).toEqual([KIOSK, KIOSK_ANTIVIRUS]);
    expect(vmSizeOf(states, KIOSK)).toBe("Standard_D4s_v5");
    expect(states.before.find((resource) => resource.urn === KIOSK)?.properties.hardwareProfile).toEqual({ vmSize: "Standard_B2s" });
  });

  it("create-before-delete whose old state does not say it is pending deletion: a delete-replaced after the replacement still removes only the old half", () => {
    const states = statesOf([step("create-replacement", KIOSK, old, planned(next)), step("replace", KIOSK, old, planned(next)), step("delete-replaced", KIOSK, old)]);
    expect(urns(states.after)).toEqual([KIOSK]);
    expect(vmSizeOf(states, KIOSK)).toBe("Standard_D4s_v5");
  });

  it("deleteBeforeReplace: delete-replaced first, then replace and create-replacement", () => {
    const states = statesOf([step("delete-replaced", KIOSK, old), step("replace", KIOSK, old, planned(next)), step("create-replacement", KIOSK, old, planned(next))]);
    expect(urns(states.after)).toEqual([KIOSK]);
    expect(vmSizeOf(states, KIOSK)).toBe("Standard_D4s_v5");
  });

  it("a pending delete left by an earlier run is deleted; the URN's resource stays", () => {
    for (const op of ["delete-replaced", "delete"]) {
      const states = statesOf([step("same", KIOSK, old, planned(old)), step(op, KIOSK, { ...pendingDelete, id: armId("Microsoft.Compute/virtualMachines", "kiosk-01-old") })]);
      expect(urns(states.after)).toEqual([KIOSK]);
      expect(states.after[0]?.id).toBe(old.id);
      expect(states.before[0]?.id).toBe(old.id);
    }
  });

  it("a delete after a refresh (preview --refresh: the program no longer registers it) removes it", () => {
    expect(urns(statesOf([step("refresh", KIOSK, old, old), step("delete", KIOSK, old)]).after)).toEqual([]);
  });
});

describe("retainOnDelete and read resources: what Pulumi does not delete keeps running", () => {
  const old = vm();

  it("a retained machine replaced under another name keeps running beside its replacement", () => {
    const retained = { ...old, retainOnDelete: true };
    const next = { ...vm("kiosk-02"), retainOnDelete: true };
    const states = statesOf([step("create-replacement", KIOSK, retained, planned(next)), step("replace", KIOSK, retained, planned(next)), step("delete-replaced", KIOSK, { ...retained, delete: true })]);
    expect(urns(states.after)).toEqual([`${KIOSK}#retained`, KIOSK]);
    expect(states.after.map((resource) => resource.properties.vmName)).toEqual(["kiosk-01", "kiosk-02"]);
    expect(states.after[0]?.id).toBe(old.id);
  });

  it.each([
    ["an API-versioned VM token", "azure-native:compute/v20240301:VirtualMachine"],
    ["a scale set", "azure-native:compute:VirtualMachineScaleSet"],
    ["a classic @pulumi/azure Windows VM", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"],
  ])("any machine type is kept beside its replacement: %s", (_case, type) => {
    const urn = urnOf(type, "kiosk-01");
    const retained = { ...old, urn, type, retainOnDelete: true };
    const states = statesOf([step("replace", urn, retained, planned({ ...vm("kiosk-02"), urn, type }))]);
    expect(urns(states.after)).toEqual([`${urn}#retained`, urn]);
  });

  it("the digest without --show-replacement-steps shows only replace: its old state says the old machine is retained", () => {
    const retained = { ...old, retainOnDelete: true };
    const states = statesOf([step("replace", KIOSK, retained, planned(vm("kiosk-02")))]);
    expect(urns(states.after)).toEqual([`${KIOSK}#retained`, KIOSK]);
  });

  it("deleteBeforeReplace of a retained machine: the old one is not deleted either", () => {
    const retained = { ...old, retainOnDelete: true };
    const next = vm("kiosk-02");
    const states = statesOf([step("delete-replaced", KIOSK, retained), step("replace", KIOSK, retained, planned(next)), step("create-replacement", KIOSK, retained, planned(next))]);
    expect(urns(states.after)).toEqual([`${KIOSK}#retained`, KIOSK]);
  });

  it("a read machine the program now creates itself keeps running beside it (discard-replaced)", () => {
    const read = { ...old, external: true };
    const states = statesOf([step("create-replacement", KIOSK, read, planned(vm("kiosk-02"))), step("replace", KIOSK, read, planned(vm("kiosk-02"))), step("discard-replaced", KIOSK, { ...read, delete: true })]);
    expect(urns(states.after)).toEqual([`${KIOSK}#discarded`, KIOSK]);
  });

  it("a retained extension of a replaced URN is the replacement itself (one Azure name), not doubled", () => {
    const retained = { ...antivirus(), retainOnDelete: true };
    const states = statesOf([step("create-replacement", KIOSK_ANTIVIRUS, retained, planned(antivirus())), step("delete-replaced", KIOSK_ANTIVIRUS, { ...retained, delete: true })]);
    expect(urns(states.after)).toEqual([KIOSK_ANTIVIRUS]);
  });

  it("a refresh's delete means gone from the cloud, retained or not", () => {
    expect(urns(statesOf([step("delete", KIOSK, { ...old, retainOnDelete: true })], { refresh: true }).after)).toEqual([]);
  });
});

describe("the gate on a replaced or retained machine", () => {
  const harbor = () => loadClientConfig(`${root}/stacks/Pulumi.harbor-dental.yaml`);
  const NOW = new Date("2026-11-27T12:00:00Z");
  /** The tests edit the steps; the summary then counts what the edited digest lists, as the CLI's would. */
  const gate = (document: { steps: DigestStep[] }): GateReport =>
    runGate({ states: resourceStates(preview(document.steps), "preview.json"), config: harbor(), evaluatedAt: NOW, engine: engine(), failOn: "new" });
  /** The deployed baseline plus the kiosk VM and its antivirus: every step `same`. */
  const deployed = () => {
    const states: EngineState[] = [...baselineStates(harbor(), STACK, true), vm(), antivirus()];
    return digest(states, states) as { steps: DigestStep[] };
  };
  const kioskFindings = (report: GateReport, urn = KIOSK) =>
    report.findings
      .filter((finding) => finding.urn === urn)
      .map((finding) => `${finding.status} ${finding.policy}`)
      .sort();
  const KIOSK_GAPS = ["endpoint-in-one-ring", "endpoint-reports", "endpoint-reports", "managed-tags", "patch-orchestration", "patch-orchestration", "patch-orchestration"];

  it("a replaced machine's findings stay existing, never resolved", () => {
    const document = deployed();
    const at = document.steps.findIndex((candidate) => candidate.urn === KIOSK);
    const next = { ...vm(), inputs: { ...vm().inputs, hardwareProfile: { vmSize: "Standard_D4s_v5" } } };
    document.steps.splice(at, 1, step("create-replacement", KIOSK, vm(), planned(next)), step("replace", KIOSK, vm(), planned(next)));
    document.steps.push(step("delete-replaced", KIOSK, { ...vm(), delete: true }));
    const report = gate(document);
    expect(kioskFindings(report)).toEqual(KIOSK_GAPS.map((policy) => `existing ${policy}`));
    expect(report.findings.filter((finding) => finding.status === "resolved")).toEqual([]);
  });

  it("a retained machine whose antivirus is deleted is still there, now unprotected: new antivirus-installed, blocking", () => {
    const document = deployed();
    document.steps = document.steps.map((candidate) =>
      candidate.urn === KIOSK ? step("delete", KIOSK, { ...vm(), retainOnDelete: true }) : candidate.urn === KIOSK_ANTIVIRUS ? step("delete", KIOSK_ANTIVIRUS, antivirus()) : candidate,
    );
    const report = gate(document);
    expect(kioskFindings(report)).toEqual([...KIOSK_GAPS.map((policy) => `existing ${policy}`), "new antivirus-installed"]);
    expect(report.summary.blocking).toBe(1);
    // Only the deleted extension's own finding goes: it is really gone.
    expect(report.findings.filter((finding) => finding.status === "resolved").map((finding) => `${finding.policy} ${finding.urn}`)).toEqual([`managed-tags ${KIOSK_ANTIVIRUS}`]);
  });

  it("a retained machine replaced under another name, its antivirus moved to the new one: the old one runs unprotected", () => {
    const document = deployed();
    const retained = { ...vm(), retainOnDelete: true };
    const next = vm("kiosk-02");
    document.steps = document.steps.filter((candidate) => candidate.urn !== KIOSK && candidate.urn !== KIOSK_ANTIVIRUS);
    document.steps.push(
      step("create-replacement", KIOSK, retained, planned(next)),
      step("replace", KIOSK, retained, planned(next)),
      step("create-replacement", KIOSK_ANTIVIRUS, antivirus(), planned(antivirus("kiosk-02"))),
      step("replace", KIOSK_ANTIVIRUS, antivirus(), planned(antivirus("kiosk-02"))),
      step("delete-replaced", KIOSK_ANTIVIRUS, { ...antivirus(), delete: true }),
      step("delete-replaced", KIOSK, { ...retained, delete: true }),
    );
    const report = gate(document);
    expect(kioskFindings(report, `${KIOSK}#retained`)).toEqual(["new antivirus-installed", ...KIOSK_GAPS.map((policy) => `new ${policy}`)]);
    expect(kioskFindings(report)).toEqual(KIOSK_GAPS.map((policy) => `existing ${policy}`));
    expect(report.findings.find((finding) => finding.urn === `${KIOSK}#retained` && finding.policy === "antivirus-installed")?.message).toBe(
      'Azure VM "kiosk-01" has no antivirus extension',
    );
  });
});

describe("a replaced machine is never dropped (property)", () => {
  const others = fc.array(
    fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/), op: fc.constantFrom("same", "create", "delete", "update") }),
    { maxLength: 6 },
  );
  const scenario = fc.record({
    deleteBeforeReplace: fc.boolean(),
    showReplacementSteps: fc.boolean(),
    retainOnDelete: fc.boolean(),
    renamed: fc.boolean(),
    pendingFlag: fc.boolean(),
    leftover: fc.boolean(),
    others,
    order: fc.array(fc.nat({ max: 1000 }), { maxLength: 20 }),
  });

  it("whatever the order of the replacement's steps among other resources' steps, the URN ends with the new machine", () => {
    fc.assert(
      fc.property(scenario, ({ deleteBeforeReplace, showReplacementSteps, retainOnDelete, renamed, pendingFlag, leftover, others: noise, order }) => {
        const old = { ...vm(), ...(retainOnDelete ? { retainOnDelete: true } : {}) };
        const next = planned({ ...vm(renamed ? "kiosk-02" : "kiosk-01"), inputs: { ...vm(renamed ? "kiosk-02" : "kiosk-01").inputs, hardwareProfile: { vmSize: "Standard_D4s_v5" } } });
        const condemned = deleteBeforeReplace || !pendingFlag ? old : { ...old, delete: true };
        // The engine's orders (step_generator.go): deleteBeforeReplace deletes first; otherwise the
        // old half is deleted with the other deletes, after every create and update.
        const replacement = showReplacementSteps
          ? deleteBeforeReplace
            ? [step("delete-replaced", KIOSK, condemned), step("replace", KIOSK, old, next), step("create-replacement", KIOSK, old, next)]
            : [step("create-replacement", KIOSK, old, next), step("replace", KIOSK, old, next)]
          : [step("replace", KIOSK, old, next)];
        const late = showReplacementSteps && !deleteBeforeReplace ? [step("delete-replaced", KIOSK, condemned)] : [];
        if (leftover) late.push(step("delete-replaced", KIOSK, { ...vm("kiosk-01-old"), delete: true }));
        // Other resources' steps, in any order around the replacement (its own order kept).
        const noiseSteps = noise.map(({ name, op }, index) => {
          const state = { ...vm(`noise-${index}-${name}`), urn: urnOf("azure-native:storage:StorageAccount", `noise-${index}-${name}`), type: "azure-native:storage:StorageAccount" };
          return op === "create" ? step(op, state.urn, undefined, planned(state)) : op === "delete" ? step(op, state.urn, state) : step(op, state.urn, state, planned(state));
        });
        const early = noiseSteps.filter((_, index) => (order[index] ?? 0) % 2 === 0);
        const middle = noiseSteps.filter((_, index) => (order[index] ?? 0) % 2 === 1);
        const states = statesOf([...early, ...replacement, ...middle, ...late]);
        const kiosk = states.after.filter((resource) => resource.urn === KIOSK);
        expect(kiosk).toHaveLength(1);
        expect(kiosk[0]?.properties.hardwareProfile).toEqual({ vmSize: "Standard_D4s_v5" });
        expect(kiosk[0]?.properties.vmName).toBe(renamed ? "kiosk-02" : "kiosk-01");
        expect(urns(states.after).filter((urn) => urn.startsWith(`${KIOSK}#`))).toEqual(retainOnDelete ? [`${KIOSK}#retained`] : []);
      }),
      { numRuns: 300 },
    );
  });
});

describe("refused: a step steward cannot place", () => {
  it.each([
    ["an op Pulumi does not have", step("diff", KIOSK, vm(), vm()), 'preview.json: steps[0]: unknown step op "diff" for ' + KIOSK],
    ["an op in the wrong case", step("Create", KIOSK, undefined, vm()), 'preview.json: steps[0]: unknown step op "Create" for ' + KIOSK],
    ["a prototype member", step("constructor", KIOSK, undefined, vm()), 'preview.json: steps[0]: unknown step op "constructor" for ' + KIOSK],
    ["an empty op", step("", "", undefined, undefined), 'preview.json: steps[0]: unknown step op "" for (no URN)'],
  ])("%s", (_case, only, message) => {
    expect(inputError(() => statesOf([only]))).toBe(
      `${message}; steward knows Pulumi's ops (same, create, update, replace, create-replacement, delete-replaced, delete, read, read-replacement, import, import-replacement, refresh, discard, discard-replaced, remove-pending-replace, extend-parameterize) and does not guess what another one leaves behind`,
    );
  });

  it("a digest cannot say where its own step is: messages name the file", () => {
    const only = { ...step("diff", KIOSK, vm(), vm()), where: "elsewhere.json" };
    expect(inputError(() => statesOf([only]))).toMatch(/^preview\.json: steps\[0\]: unknown step op "diff"/);
  });

  it("an event log's unknown op names its event", () => {
    const text = recording("replace-create-before-delete.preview.json").replace('"op":"delete-replaced"', '"op":"delete-replaced-v2"');
    expect(inputError(() => fromLog("log.json", text))).toMatch(
      new RegExp(`^log\\.json: event 9 \\(resourcePreEvent\\): unknown step op "delete-replaced-v2" for ${TEST_URN("pkgA:index:typ", "resA").replaceAll("$", "\\$")};`),
    );
  });

  it.each([
    ["an update without its new state", step("update", KIOSK, vm()), 'preview.json: steps[0]: "update" step has no newState'],
    ["a create with no state", step("create", KIOSK), 'preview.json: steps[0]: "create" step has neither oldState nor newState'],
    ["a delete without its old state", step("delete", KIOSK, undefined, vm()), 'preview.json: steps[0]: "delete" step has no oldState, so what it removes (and whether it keeps running) is unknown'],
    ["a retainOnDelete that is not a boolean", step("delete", KIOSK, { ...vm(), retainOnDelete: "true" as unknown as boolean }), 'preview.json: steps[0].oldState: "retainOnDelete" must be true or false'],
    ["a pending-delete flag that is not a boolean", step("delete-replaced", KIOSK, { ...vm(), delete: 1 as unknown as boolean }), 'preview.json: steps[0].oldState: "delete" must be true or false'],
  ])("%s", (_case, only, message) => {
    expect(inputError(() => statesOf([only]))).toBe(message);
  });
});

// ---------------------------------------------------------------------------------------------
// The engine's own event logs

const recording = (file: string) => readFileSync(fixtures("reference", "pulumi-recordings", "engine", file), "utf8");
const fromLog = (file: string, text = recording(file), options: { refresh?: boolean } = {}) => resourceStates(parsePulumiText(text, file), file, options);
const TEST_URN = (type: string, name: string) => `urn:pulumi:test::test::${type}::${name}`;

describe("engine recordings: every op as the engine emits it", () => {
  it.each<[string, Array<[string, string]>, Array<[string, string]>]>([
    [
      "replace-create-before-delete.preview.json",
      [[TEST_URN("pulumi:providers:pkgA", "provA"), "1"], [TEST_URN("pkgA:index:typ", "resA"), "3"], [TEST_URN("pkgA:index:typ", "resB"), "5"]],
      [[TEST_URN("pulumi:providers:pkgA", "provA"), "1"], [TEST_URN("pkgA:index:typ", "resA"), "4"], [TEST_URN("pkgA:index:typ", "resB"), "5"]],
    ],
    [
      "replace-delete-before-replace.preview.json",
      [[TEST_URN("pulumi:providers:pkgA", "provA"), "1"], [TEST_URN("pkgA:index:typ", "resB"), "3"], [TEST_URN("pkgA:index:typ", "resA"), "4"]],
      [[TEST_URN("pulumi:providers:pkgA", "provA"), "1"], [TEST_URN("pkgA:index:typ", "resA"), "2"], [TEST_URN("pkgA:index:typ", "resB"), "2"]],
    ],
    ["retain-on-delete.replace.json", [[TEST_URN("pkgA:m:typA", "resA"), "3"]], [[TEST_URN("pkgA:m:typA", "resA"), "4"]]],
    ["retain-on-delete.delete.json", [[TEST_URN("pkgA:m:typA", "resA"), "1"]], [[TEST_URN("pkgA:m:typA", "resA"), "1"]]],
    ["read.preview.json", [[TEST_URN("pulumi:pulumi:StackReference", "other"), "3"]], [[TEST_URN("pulumi:pulumi:StackReference", "other"), "3"]]],
    ["discard.preview.json", [[TEST_URN("pulumi:pulumi:StackReference", "other"), "1"]], [[TEST_URN("pulumi:pulumi:StackReference", "other"), "1"]]],
    ["read-replacement.json", [[TEST_URN("pkgA:m:typA", "resA"), "3"]], [[TEST_URN("pkgA:m:typA", "resA"), "4"]]],
    ["import-replacement.json", [[TEST_URN("pkgA:m:typA", "resA"), "3"]], [[TEST_URN("pkgA:m:typA", "resA"), "3"]]],
    ["import-then-replace.preview.json", [[TEST_URN("pkgA:m:typA", "resB"), "3"]], [[TEST_URN("pkgA:m:typA", "resB"), "1"]]],
  ])("%s", (file, before, after) => {
    const states = fromLog(file);
    expect(states.kind).toBe("event-stream");
    expect(states.before.map((resource) => [resource.urn, resource.id])).toEqual(before);
    expect(states.after.map((resource) => [resource.urn, resource.id])).toEqual(after);
  });

  it("a read takes what it read from the resOutputsEvent that follows it", () => {
    // TestStackReference: the read's outputs are the referenced stack's outputs.
    expect(fromLog("read.preview.json").after[0]?.properties).toEqual({ name: "other", outputs: { foo: "bar" }, secretOutputNames: [] });
  });

  it("a refresh that finds the resource gone removes it (its result op is delete), even one pending deletion", () => {
    const states = fromLog("refresh-deleted.preview.json", undefined, { refresh: true });
    expect(urns(states.after)).toEqual([]);
    expect(states.before.map((resource) => [resource.urn, resource.id])).toEqual([[TEST_URN("pkgA:m:typA", "resC"), "1"]]);
  });

  it("a refresh's delete means gone from the cloud even with retainOnDelete, and even when the gate (not drift) reads the log", () => {
    const text = recording("refresh-deleted.preview.json").replaceAll('"old":{', '"old":{"retainOnDelete":true,');
    expect(urns(fromLog("refresh-deleted.preview.json", text).after)).toEqual([]);
  });
});

describe("a preview that is not the whole change is refused", () => {
  it("an event log with an error diagnostic (TestAliasURNs: a duplicate alias)", () => {
    expect(inputError(() => fromLog("failed.preview.json"))).toBe(
      "failed.preview.json: the Pulumi operation reported an error, so it is not the whole change and is not judged: " +
        "Duplicate resource alias 'urn:pulumi:test::test::pkgA:index:t1::n1' applied to resource with URN 'urn:pulumi:test::test::pkgA:index:t2::n3' " +
        "conflicting with resource with URN 'urn:pulumi:test::test::pkgA:index:t1::n2' (urn:pulumi:test::test::pkgA:index:t2::n3); fix it and run the preview again",
    );
  });

  it("a canceled refresh (its diagnostic says so; the summary says failed)", () => {
    expect(inputError(() => fromLog("refresh-canceled.json"))).toBe(
      "refresh-canceled.json: the Pulumi operation reported an error, so it is not the whole change and is not judged: update canceled; fix it and run the preview again",
    );
  });

  it("an event log cut short: no summaryEvent", () => {
    const text = recording("replace-create-before-delete.preview.json")
      .split("\n")
      .filter((line) => !line.includes('"summaryEvent"') && !line.includes('"cancelEvent"'))
      .join("\n");
    expect(inputError(() => fromLog("cut.json", text))).toBe(
      "cut.json: the event log has no summaryEvent: the operation was cut short or the log is incomplete, so it is not the whole change and is not judged; pass the whole log of a finished preview",
    );
  });

  const withSummary = (change: (summary: Record<string, unknown>) => void, extra: unknown[] = []) =>
    recording("replace-create-before-delete.preview.json")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const event = JSON.parse(line) as Record<string, Record<string, unknown>>;
        if (event.summaryEvent) change(event.summaryEvent);
        return JSON.stringify(event);
      })
      .concat(extra.map((event) => JSON.stringify(event)))
      .join("\n");
  const violation = (enforcementLevel: string) => ({
    sequence: 99,
    timestamp: 0,
    policyEvent: { resourceUrn: TEST_URN("pkgA:index:typ", "resA"), message: "a policy failed\n", color: "raw", policyName: "p", policyPackName: "pack", policyPackVersion: "1.0.0", policyPackVersionTag: "1.0.0", enforcementLevel },
  });

  it.each([
    ["canceled", (summary: Record<string, unknown>) => (summary.result = "canceled"), [], 'log.json: the operation was canceled (summaryEvent result "canceled"), so it is not the whole change and is not judged; run the preview again'],
    [
      "failed, with nothing to say why",
      (summary: Record<string, unknown>) => (summary.result = "failed"),
      [],
      'log.json: the operation failed (summaryEvent result "failed") with no error diagnostic or mandatory policy violation to say why, so it is not the whole change and is not judged; run the preview again',
    ],
    [
      "failed, with only advisory violations",
      (summary: Record<string, unknown>) => (summary.result = "failed"),
      [violation("advisory")],
      'log.json: the operation failed (summaryEvent result "failed") with no error diagnostic or mandatory policy violation to say why, so it is not the whole change and is not judged; run the preview again',
    ],
    [
      "an unknown result",
      (summary: Record<string, unknown>) => (summary.result = "partial"),
      [],
      'log.json: summaryEvent result "partial" is not one steward knows (succeeded, failed, canceled), so it is not the whole change and is not judged',
    ],
  ])("summary result %s", (_case, change, extra, message) => {
    expect(inputError(() => fromLog("log.json", withSummary(change, extra)))).toBe(message);
  });

  it("a preview failed only by mandatory policy violations ran every step: judged", () => {
    const states = fromLog("log.json", withSummary((summary) => (summary.result = "failed"), [violation("mandatory")]));
    expect(urns(states.after)).toEqual([TEST_URN("pulumi:providers:pkgA", "provA"), TEST_URN("pkgA:index:typ", "resA"), TEST_URN("pkgA:index:typ", "resB")]);
  });

  // The real engine closes a failed preview with a bare "preview failed" error (no URN): after
  // mandatory violations it is their consequence; with none, or beside any other error, it refuses.
  it("a preview failed by mandatory policy violations and closed with the engine's bare \"preview failed\": judged", () => {
    const closing = { sequence: 100, timestamp: 0, diagnosticEvent: { prefix: "error: ", message: "preview failed\n", color: "never", severity: "error" } };
    const failed = (summary: Record<string, unknown>) => (summary.result = "failed");
    const states = fromLog("log.json", withSummary(failed, [violation("mandatory"), closing]));
    expect(urns(states.after)).toEqual([TEST_URN("pulumi:providers:pkgA", "provA"), TEST_URN("pkgA:index:typ", "resA"), TEST_URN("pkgA:index:typ", "resB")]);
    expect(inputError(() => fromLog("log.json", withSummary(failed, [violation("advisory"), closing])))).toBe(
      "log.json: the Pulumi operation reported an error, so it is not the whole change and is not judged: preview failed; fix it and run the preview again",
    );
    const stepFailed = { ...closing, sequence: 98, diagnosticEvent: { ...closing.diagnosticEvent, urn: TEST_URN("pkgA:index:typ", "resA"), message: "preview failed: the provider refused it\n" } };
    expect(inputError(() => fromLog("log.json", withSummary(failed, [violation("mandatory"), stepFailed, closing])))).toBe(
      `log.json: the Pulumi operation reported an error, so it is not the whole change and is not judged: preview failed: the provider refused it (${TEST_URN("pkgA:index:typ", "resA")}); fix it and run the preview again`,
    );
  });

  it("the reference policy recording: judged as recorded; refused with the failed result its newer version adds, as an update a violation stops", () => {
    const text = readFileSync(fixtures("reference", "pulumi-recordings", "eventstream.json"), "utf8");
    expect(fromLog("eventstream.json", text).after).toEqual([]);
    const newer = text.replace('"isPreview":false}', '"isPreview":false,"result":"failed"}');
    expect(newer).not.toBe(text);
    expect(inputError(() => fromLog("eventstream.json", newer))).toBe(
      'eventstream.json: the operation failed (summaryEvent result "failed") and was not a preview (a mandatory policy violation stops an update), so it is not the whole change and is not judged; run the preview again',
    );
    expect(fromLog("eventstream.json", newer.replace('"isPreview":false', '"isPreview":true')).after).toEqual([]);
  });

  it("a digest whose diagnostics hold an error (the engine's \"preview failed\")", () => {
    const document = preview([step("same", KIOSK, vm(), planned(vm()))], {
      diagnostics: [
        { message: "info from the program\n", severity: "info" },
        { urn: KIOSK, message: "error: preview failed: Code=\"InvalidParameter\" Message=\"The value of parameter vmSize is invalid.\"\n", severity: "error" },
        { message: "error: an unhandled error occurred: program exited with non-zero exit code: 1\n", severity: "error" },
      ],
    });
    expect(inputError(() => resourceStates(document, "preview.json"))).toBe(
      `preview.json: the Pulumi operation reported an error, so it is not the whole change and is not judged: preview failed: Code="InvalidParameter" Message="The value of parameter vmSize is invalid." (${KIOSK}) (and 1 more error); fix it and run the preview again`,
    );
  });

  it("a digest with only warnings and program output is judged", () => {
    const document = preview([step("same", KIOSK, vm(), planned(vm()))], {
      diagnostics: [
        { message: "warning: deprecated\n", severity: "warning" },
        { message: "to stderr\n", severity: "info#err" },
      ],
    });
    expect(urns(resourceStates(document, "preview.json").after)).toEqual([KIOSK]);
  });

  it("a digest whose diagnostics are not a list", () => {
    expect(inputError(() => resourceStates(preview([], { diagnostics: { severity: "error" } }), "preview.json"))).toBe('preview.json: "diagnostics" is not a list');
  });
});

describe("steward gate on a preview that failed", () => {
  it("exits 2, naming the file and the error, and judges nothing", () => {
    const file = fixtures("reference", "pulumi-recordings", "engine", "failed.preview.json");
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", file], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `steward: ${file}: the Pulumi operation reported an error, so it is not the whole change and is not judged: ` +
        "Duplicate resource alias 'urn:pulumi:test::test::pkgA:index:t1::n1' applied to resource with URN 'urn:pulumi:test::test::pkgA:index:t2::n3' " +
        "conflicting with resource with URN 'urn:pulumi:test::test::pkgA:index:t1::n2' (urn:pulumi:test::test::pkgA:index:t2::n3); fix it and run the preview again\n",
    );
  });
});

describe("a preview that does not list every resource", () => {
  const harbor = () => loadClientConfig(`${root}/stacks/Pulumi.harbor-dental.yaml`);
  const NOW = new Date("2026-11-27T12:00:00Z");
  /** The deployed baseline plus the kiosk VM, whose antivirus extension the change deletes. */
  const deletingKioskAntivirus = () => {
    const states: EngineState[] = [...baselineStates(harbor(), STACK, true), vm(), antivirus()];
    const steps = (digest(states, states) as { steps: DigestStep[] }).steps.map((candidate) =>
      candidate.urn === KIOSK_ANTIVIRUS ? step("delete", KIOSK_ANTIVIRUS, antivirus()) : candidate,
    );
    return preview(steps);
  };

  it("with --show-sames, deleting an unchanged machine's antivirus blocks", () => {
    const report = runGate({ states: resourceStates(deletingKioskAntivirus(), "preview.json"), config: harbor(), evaluatedAt: NOW, engine: engine(), failOn: "new" });
    expect(report.findings.filter((finding) => finding.blocking).map((finding) => `${finding.status} ${finding.policy} ${finding.urn}`)).toEqual([
      `new antivirus-installed ${KIOSK}`,
    ]);
  });

  it("without --show-sames the machine is not listed: refused (exit 2), never judged without it", () => {
    const full = deletingKioskAntivirus();
    const printed = { ...full, steps: full.steps.filter((candidate) => candidate.op !== "same" || candidate.urn.endsWith("::steward-harbor-dental")) };
    expect(printed.steps.some((candidate) => candidate.urn === KIOSK)).toBe(false);
    expect(inputError(() => resourceStates(printed, "preview.json"))).toBe(
      `preview.json lists ${printed.steps.filter((candidate) => candidate.op === "same").length} of the ${full.changeSummary.same} unchanged resources its changeSummary counts: ` +
        "`pulumi preview --json` leaves them out unless given --show-sames, and a change is judged on the whole stack; run `pulumi preview --json --show-sames`",
    );
  });

  it("a digest without the change summary the CLI always prints is refused", () => {
    const { changeSummary: _summary, ...bare } = deletingKioskAntivirus();
    expect(inputError(() => resourceStates(bare, "preview.json"))).toBe(
      'preview.json has no "changeSummary", so whether it lists every resource cannot be told; expected the output of `pulumi preview --json --show-sames`',
    );
  });

  it("the real CLI's preview without --show-sames (2 of 55 resources listed) exits 2", () => {
    const file = fixtures("pulumi", "real", "northwind-logistics.retention.preview.json");
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", file, "--stack", "northwind-logistics"], { encoding: "utf8" });
    expect([result.status, result.stdout]).toEqual([2, ""]);
    expect(result.stderr).toBe(
      `steward: ${file} lists 1 of the 54 unchanged resources its changeSummary counts: \`pulumi preview --json\` leaves them out unless given --show-sames, and a change is judged on the whole stack; run \`pulumi preview --json --show-sames\`\n`,
    );
  });
});
