// steward's CrossGuard policy pack (policies/pack) under the real engine: `pulumi preview
// --policy-pack` and `pulumi up --policy-pack` run it through steward's language host
// (RunPlugin, @pulumi/pulumi/cmd/run-policy-pack), and it must say what `steward gate` says of the
// same change: a compliant client passes with its advisory findings, a VM added outside the
// baseline fails the preview with steward's messages and is never created.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planBaseline } from "../../components/plan";
import { loadClientConfig } from "../../core/config";
import {
  expectRecorded,
  packViolation,
  policyViolations,
  prepare,
  recordFixture,
  removeWorkspaces,
  root,
  steward,
  workspace,
  type GateFinding,
  type PolicyViolation,
  type PreviewDocument,
} from "./support";

const PACK = join(root, "policies", "pack");

beforeAll(prepare);
afterAll(removeWorkspaces);

const order = (violations: PolicyViolation[]) =>
  [...violations].sort((a, b) => JSON.stringify([a.policy, a.resource, a.lines]).localeCompare(JSON.stringify([b.policy, b.resource, b.lines])));

/** `steward gate` on a preview file: its open findings (new and existing). */
function gateFindings(file: string, stack: string): GateFinding[] {
  const run = steward(["gate", file, "--stack", stack, "--format", "json"]);
  if (run.status !== 0 && run.status !== 1) throw new Error(`steward gate exited ${run.status}:\n${run.output}`);
  return (JSON.parse(run.stdout) as { findings: GateFinding[] }).findings.filter((finding) => finding.status !== "resolved");
}

describe("a compliant client (harbor-dental)", () => {
  const ws = workspace();
  const stack = "harbor-dental";
  let advisory: PolicyViolation[];

  beforeAll(() => {
    const preview = join(ws.dir, "preview.json");
    writeFileSync(preview, ws.ok(["preview", "--json", "--show-sames", "--stack", stack]).stdout);
    advisory = order(gateFindings(preview, stack).map((finding) => packViolation(finding, stack)));
  });

  it("passes `pulumi preview --policy-pack`, the pack reporting what steward gate reports: three advisory findings", () => {
    const run = ws.pulumi(["preview", "--policy-pack", PACK, "--stack", stack]);
    expect(run.status, run.output).toBe(0);
    expect(advisory.map((violation) => [violation.level, violation.policy, violation.resource])).toEqual([
      ["advisory", "patch-orchestration-unverified", "pulumi:pulumi:Stack: steward-harbor-dental"],
      ["advisory", "patch-orchestration-unverified", "pulumi:pulumi:Stack: steward-harbor-dental"],
      ["advisory", "patch-orchestration-unverified", "pulumi:pulumi:Stack: steward-harbor-dental"],
    ]);
    expect(order(policyViolations(run.stdout))).toEqual(advisory);
    expect(run.stdout).toContain(`steward@v0.1.0 (local: ${PACK})`);
  });

  it("passes `pulumi up --policy-pack`, and judges the deployed stack (outputs, inputs the pack recorded) the same", () => {
    const up = ws.pulumi(["up", "--yes", "--policy-pack", PACK, "--stack", stack]);
    expect(up.status, up.output).toBe(0);
    const config = loadClientConfig(join(root, "stacks", `Pulumi.${stack}.yaml`));
    expect(Object.keys(ws.cloud().resources)).toHaveLength(planBaseline(config.client.id, config).resources.length);
    const again = ws.pulumi(["preview", "--policy-pack", PACK, "--stack", stack]);
    expect(again.status, again.output).toBe(0);
    expect(again.stdout).toContain("28 unchanged");
    expect(order(policyViolations(again.stdout))).toEqual(advisory);
  });

  it("follows --policy-pack-config: a policy raised to mandatory blocks, a disabled one reports nothing", () => {
    const config = (name: string, value: unknown) => {
      const file = join(ws.dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(value));
      return file;
    };
    const raised = ws.pulumi(["preview", "--policy-pack", PACK, "--policy-pack-config", config("raised", { "patch-orchestration-unverified": "mandatory" }), "--stack", stack]);
    expect(raised.status, raised.output).toBe(1);
    expect(order(policyViolations(raised.stdout))).toEqual(advisory.map((violation) => ({ ...violation, level: "mandatory" })));

    const disabled = ws.pulumi([
      "preview",
      "--policy-pack",
      PACK,
      "--policy-pack-config",
      config("disabled", { "patch-orchestration-unverified": { enforcementLevel: "disabled" }, "client-baseline": { client: stack } }),
      "--stack",
      stack,
    ]);
    expect(disabled.status, disabled.output).toBe(0);
    expect(policyViolations(disabled.stdout)).toEqual([]);
  });
});

describe("a VM added to the program outside the baseline (northwind-logistics)", () => {
  const ws = workspace();
  const stack = "northwind-logistics";
  const vm = "urn:pulumi:northwind-logistics::steward::azure-native:compute:VirtualMachine::northwind-rogue01";
  const rawVm = { program: "extra-machines", env: { STEWARD_E2E_EXTRA: "raw-vm" } };
  let expected: PolicyViolation[];

  beforeAll(() => {
    ws.ok(["up", "--yes", "--skip-preview", "--stack", stack]);
    const preview = join(ws.dir, "preview.json");
    writeFileSync(preview, ws.ok(["preview", "--json", "--show-sames", "--stack", stack], rawVm).stdout);
    expected = order(gateFindings(preview, stack).map((finding) => packViolation(finding, stack)));
  });

  it("fails `pulumi preview --policy-pack` with steward's message and fix for each blocking finding, on the VM", () => {
    const run = ws.pulumi(["preview", "--policy-pack", PACK, "--stack", stack], rawVm);
    expect(run.status, run.output).toBe(1);
    const violations = order(policyViolations(run.stdout));
    expect(violations).toEqual(expected);
    expect(violations.filter((violation) => violation.level === "mandatory").map((violation) => [violation.policy, violation.resource, violation.lines[1]])).toEqual([
      ["antivirus-installed", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" has no antivirus extension'],
      ["endpoint-in-one-ring", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" is in no update ring'],
      ["endpoint-reports", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor'],
      ["endpoint-reports", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" is not associated with a data collection rule, so its agent collects nothing'],
      ["managed-tags", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" carries no tags; it needs "client", "managed-by"'],
      ["patch-orchestration", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" assessmentMode is not set; it must be "AutomaticByPlatform" so missing updates are assessed daily'],
      ["patch-orchestration", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it'],
      ["patch-orchestration", "azure-native:compute:VirtualMachine: northwind-rogue01", 'Azure VM "northwind-rogue01" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it'],
    ]);
    expect(violations.filter((violation) => violation.level === "advisory").map((violation) => violation.policy)).toEqual(Array(8).fill("patch-orchestration-unverified"));
  });

  // pulumi/pulumi#18851: the JSON digest has no policy violations, only the engine's closing error.
  it("`pulumi preview --json --policy-pack` carries only \"preview failed\"; the event log carries every violation, and steward gate judges it", () => {
    const json = ws.pulumi(["preview", "--json", "--policy-pack", PACK, "--stack", stack], rawVm);
    expect(json.status, json.stderr).toBe(1);
    recordFixture("northwind-logistics.raw-vm.policy-pack.preview.json", json.stdout);
    expectRecorded("northwind-logistics.raw-vm.policy-pack.preview.json", json.stdout);
    const digest = JSON.parse(json.stdout) as PreviewDocument;
    expect(digest.diagnostics?.filter((diagnostic) => diagnostic.severity === "error")).toEqual([{ message: "error: preview failed\n", severity: "error" }]);
    expect(json.stdout).not.toContain("has no antivirus extension");

    const log = join(ws.dir, "events.jsonl");
    const events = ws.pulumi(["preview", "--event-log", log, "--policy-pack", PACK, "--stack", stack], { ...rawVm, env: { ...rawVm.env, PULUMI_DEBUG_COMMANDS: "true" } });
    expect(events.status, events.output).toBe(1);
    const text = readFileSync(log, "utf8");
    recordFixture("northwind-logistics.raw-vm.policy-pack.events.jsonl", text);
    expectRecorded("northwind-logistics.raw-vm.policy-pack.events.jsonl", text);
    const stackUrn = `urn:pulumi:${stack}::steward::pulumi:pulumi:Stack::steward-${stack}`;
    const policyEvents = text
      .split("\n")
      .filter((line) => line.includes('"policyEvent"'))
      .map((line) => {
        const { policyName, enforcementLevel, resourceUrn, message } = (JSON.parse(line) as { policyEvent: Record<string, string> }).policyEvent;
        return { policyName, enforcementLevel, resourceUrn, message };
      });
    const asEvent = (violation: PolicyViolation) => ({
      policyName: violation.policy,
      enforcementLevel: violation.level,
      resourceUrn: violation.resource === "azure-native:compute:VirtualMachine: northwind-rogue01" ? vm : stackUrn,
      message: `${violation.lines.join("\n")}\n`,
    });
    const byText = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(policyEvents.sort(byText)).toEqual(expected.map(asEvent).sort(byText));

    const gate = steward(["gate", log, "--stack", stack, "--format", "json"]);
    expect(gate.status, gate.output).toBe(1);
    const report = JSON.parse(gate.stdout) as { findings: GateFinding[] };
    expect(order(report.findings.filter((finding) => finding.status !== "resolved").map((finding) => packViolation(finding, stack)))).toEqual(expected);
  });

  it("fails `pulumi up --policy-pack`: its preview stops it, the VM is never created", () => {
    const before = Object.keys(ws.cloud().resources).sort();
    const run = ws.pulumi(["up", "--yes", "--policy-pack", PACK, "--stack", stack], rawVm);
    expect(run.status, run.output).toBe(1);
    expect(policyViolations(run.stdout).filter((violation) => violation.level === "mandatory")).toHaveLength(8);
    expect(Object.keys(ws.cloud().resources).sort()).toEqual(before);
    expect(before.some((id) => id.endsWith("/virtualMachines/northwind-rogue01"))).toBe(false);
  });

  // CrossGuard runs stack policies on the stack as it stands after the steps (AnalyzeStack): only
  // the preview `pulumi up` runs first keeps the VM from being created.
  it("with --skip-preview the VM is created before the pack judges the stack; the update still fails", () => {
    const run = ws.pulumi(["up", "--yes", "--skip-preview", "--policy-pack", PACK, "--stack", stack], rawVm);
    expect(run.status, run.output).toBe(1);
    expect(policyViolations(run.stdout).filter((violation) => violation.level === "mandatory")).toHaveLength(8);
    expect(run.output).toContain("error: update failed");
    expect(Object.keys(ws.cloud().resources).filter((id) => id.endsWith("/virtualMachines/northwind-rogue01"))).toHaveLength(1);
  });
});

describe("a pack that cannot run fails the run, saying why", () => {
  const ws = workspace();
  const packs: string[] = [];
  afterAll(() => packs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A pack folder whose code throws when it loads. */
  function brokenPack(parent: string): string {
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(join(parent, "broken-pack-"));
    packs.push(dir);
    writeFileSync(join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "broken-pack", version: "0.0.1", main: "index.js" }));
    writeFileSync(join(dir, "index.js"), 'throw new Error("this pack cannot load its policies");\n');
    return dir;
  }

  it("without node_modules above it: the language host says to install the dependencies", () => {
    const pack = brokenPack(ws.dir);
    const run = ws.pulumi(["preview", "--policy-pack", pack, "--stack", "harbor-dental"]);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain(
      `error: policy pack "${pack}" failed to start: could not read plugin [${pack}]: cannot find @pulumi/pulumi/cmd/run-policy-pack ` +
        `in node_modules of ${pack} or any folder above it; install the project's dependencies (npm install)`,
    );
  });

  it("failing as it loads: its error reaches the user, then the engine's", () => {
    const pack = brokenPack(join(root, "build", "e2e-packs"));
    const run = ws.pulumi(["preview", "--policy-pack", pack, "--stack", "harbor-dental"]);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain(`Running program '${pack}' failed with an unhandled exception:`);
    expect(run.output).toContain("Error: this pack cannot load its policies");
    expect(run.output).toContain("error: policy pack not started: could not read policy pack port");
    expect(Object.keys(ws.cloud().resources)).toEqual([]);
  });
});
