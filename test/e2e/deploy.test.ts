// The real Pulumi engine runs steward's program, offline, against the azure-native stand-in:
// `pulumi up` creates exactly the planned baseline; a stack deployed before the components named
// their children takes the new names without replacing anything; a client the preflight refuses
// creates nothing and shows only its findings; drift made in "the cloud" is seen by a refresh and
// put back by `pulumi up`.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formerNames, isIdOf, planBaseline, type PlannedValue } from "../../components/plan";
import { judgeBaseline, planResources } from "../../components/preflight";
import { complianceSummary, type ComplianceSummary } from "../../core/compliance";
import { loadClientConfig } from "../../core/config";
import { isBlocking } from "../../core/engine";
import { REAL_FIXTURES, prepare, removeWorkspaces, root, steward, workspace, type PreviewDocument, type StackExport } from "./support";

const PROJECT = "steward";

beforeAll(prepare);
afterAll(removeWorkspaces);

describe("pulumi up of harbor-dental", () => {
  const ws = workspace();
  const stack = "harbor-dental";
  const config = loadClientConfig(join(root, "stacks", `Pulumi.${stack}.yaml`));
  const plan = planBaseline(config.client.id, config);
  let exported: StackExport;

  beforeAll(() => {
    ws.ok(["up", "--yes", "--skip-preview", "--stack", stack]);
    exported = ws.json<StackExport>(["stack", "export", "--stack", stack]);
  });

  it("registers exactly the planned components and resources, under the planned URNs", () => {
    const resources = exported.deployment.resources ?? [];
    const planned = planResources(plan, { project: PROJECT, stack });
    const custom = resources.filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"));
    expect(custom.map((resource) => `${resource.type} ${resource.urn}`).sort()).toEqual(planned.map((resource) => `${resource.type} ${resource.urn}`).sort());
    const components = resources.filter((resource) => !resource.custom).map((resource) => resource.type);
    expect(components.filter((type) => type === "pulumi:pulumi:Stack")).toHaveLength(1);
    expect(components.filter((type) => type !== "pulumi:pulumi:Stack").sort()).toEqual(plan.components.map((component) => component.type).sort());
    expect(resources.filter((resource) => resource.type.startsWith("pulumi:providers:")).map((resource) => resource.type)).toEqual(["pulumi:providers:azure-native"]);
  });

  it("gives every resource the planned inputs, each reference the id of the resource it names", () => {
    const resources = exported.deployment.resources ?? [];
    const byName = new Map(resources.map((resource) => [resource.urn.slice(resource.urn.lastIndexOf("::") + 2), resource]));
    const resolve = (value: PlannedValue): unknown => {
      if (isIdOf(value)) return byName.get(value.$idOf)?.id;
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
      return value;
    };
    for (const resource of plan.resources) {
      expect(byName.get(resource.name)?.inputs, resource.name).toEqual(resolve(resource.args));
    }
  });

  it("creates one cloud resource per planned resource, with the outputs Pulumi recorded", () => {
    const custom = (exported.deployment.resources ?? []).filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"));
    const cloud = ws.cloud().resources;
    expect(Object.keys(cloud).sort()).toEqual(custom.map((resource) => resource.id).sort());
    for (const resource of custom) {
      expect(cloud[resource.id ?? ""], resource.urn).toEqual({ type: resource.type, outputs: resource.outputs });
    }
    const subscription = config.client.scope.subscriptions[0];
    for (const id of Object.keys(cloud)) expect(id.startsWith(`/subscriptions/${subscription}/`), id).toBe(true);
  });

  it("`pulumi stack output` answers the six questions for the deployed client, and gives each ring's windows", () => {
    const outputs = ws.json<Record<string, unknown>>(["stack", "output", "--json", "--stack", stack]);
    const judged = judgeBaseline(config, { project: PROJECT, stack }, new Date());
    expect(Object.keys(outputs).sort()).toEqual(["compliance", "preflight", "responsibilities", "rings"]);
    expect(outputs.compliance).toEqual(JSON.parse(JSON.stringify(complianceSummary(judged.document, judged.evaluation, config, new Date()))));
    expect((outputs.compliance as ComplianceSummary).questions.map((question) => [question.id, question.verdict])).toEqual([
      ["installed", "not-verifiable"],
      // Defender for Endpoint: its real-time protection is set outside Pulumi.
      ["working", "not-verifiable"],
      ["up-to-date", "yes"],
      ["catching-threats", "yes"],
      ["latest-release", "yes"],
      ["patched", "not-verifiable"],
    ]);
  });

  it("has nothing to change on a second run: the stand-in's outputs mirror azure-native's", () => {
    const preview = ws.json<PreviewDocument>(["preview", "--json", "--show-sames", "--stack", stack]);
    expect(preview.changeSummary).toEqual({ same: plan.components.length + plan.resources.length + 1 });
  });
});

describe("a stack deployed before children were named from their components (harbor-dental by the program at aabf562)", () => {
  const ws = workspace();
  const stack = "harbor-dental";
  const config = loadClientConfig(join(root, "stacks", `Pulumi.${stack}.yaml`));
  const plan = planBaseline(config.client.id, config);
  // `pulumi stack export` of that program's `pulumi up`, resources and ids as Azure has them.
  const file = join(REAL_FIXTURES, "harbor-dental.stack-export.aabf562.json");
  const before = (JSON.parse(readFileSync(file, "utf8")) as StackExport).deployment.resources ?? [];
  const cloudResources = before.filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"));
  const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

  beforeAll(() => {
    ws.ok(["stack", "import", "--file", file, "--stack", stack]);
    ws.editCloud((cloud) => {
      cloud.resources = Object.fromEntries(cloudResources.map((resource) => [resource.id ?? "", { type: resource.type, outputs: resource.outputs ?? {} }]));
    });
  });

  it("holds its state under the former names", () => {
    const renamed = formerNames(config.client.id, config);
    expect(renamed.size).toBe(7);
    const names = new Set(before.map((resource) => nameOf(resource.urn)));
    for (const [current, former] of renamed) {
      expect(names.has(former), former).toBe(true);
      expect(names.has(current), current).toBe(false);
    }
  });

  it("previews no create, replace or delete: each renamed resource is the same resource under its new name", () => {
    const preview = ws.json<PreviewDocument>(["preview", "--json", "--show-sames", "--stack", stack]);
    expect(preview.changeSummary).toEqual({ same: plan.components.length + plan.resources.length + 1 });
    const moved = preview.steps.filter((step) => step.oldState?.urn !== step.urn).map((step) => `${step.op} ${nameOf(step.oldState?.urn ?? "")} -> ${nameOf(step.urn)}`);
    expect(moved.sort()).toEqual([...formerNames(config.client.id, config)].map(([current, former]) => `same ${former} -> ${current}`).sort());
  });

  it("`pulumi up` moves the state to the planned URNs and leaves every resource in the cloud as it was", () => {
    const cloud = ws.cloud().resources;
    ws.ok(["up", "--yes", "--stack", stack]);
    expect(ws.cloud().resources).toEqual(cloud);
    const after = ws.json<StackExport>(["stack", "export", "--stack", stack]).deployment.resources ?? [];
    const planned = planResources(plan, { project: PROJECT, stack });
    const custom = after.filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"));
    expect(custom.map((resource) => resource.urn).sort()).toEqual(planned.map((resource) => resource.urn).sort());
    expect(custom.map((resource) => resource.id).sort()).toEqual(cloudResources.map((resource) => resource.id).sort());
  });
});

describe("a client the preflight refuses (fixtures/stacks/Pulumi.risky-exclusions.yaml)", () => {
  const ws = workspace();
  const stack = "risky-exclusions";
  const stacksDir = join(root, "fixtures", "stacks");
  const config = loadClientConfig(join(stacksDir, `Pulumi.${stack}.yaml`));

  it("fails pulumi up with every finding and its fix, no stack trace, and creates nothing", () => {
    const run = ws.pulumi(["up", "--yes", "--stack", stack], { stacksDir });
    expect(run.status).not.toBe(0);
    const blocking = judgeBaseline(config, { project: PROJECT, stack }, new Date()).evaluation.findings.filter(isBlocking);
    expect(blocking.length).toBeGreaterThan(0);
    expect(run.output).toContain(`steward preflight refused client "${config.client.id}": ${blocking.length} blocking finding(s); nothing was created.`);
    for (const finding of blocking) {
      expect(run.output).toContain(`[${finding.policy}] ${finding.message}`);
      expect(run.output).toContain(`fix: ${finding.remediation.trim().replace(/\s*\n\s*/g, " ")}`);
    }
    // Only the findings: no "unhandled exception", no stack frames, no dump of the error object.
    expect(run.output).not.toMatch(/unhandled exception/i);
    expect(run.output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.output).not.toMatch(/BaselineRefusedError|RunError|\[cause\]|findings: \[/);
    expect(ws.cloud().resources).toEqual({});
    const exported = ws.json<StackExport>(["stack", "export", "--stack", stack], { stacksDir });
    expect((exported.deployment.resources ?? []).filter((resource) => resource.type.startsWith("azure-native:"))).toEqual([]);
  });
});

describe("drift in the cloud (northwind-logistics)", () => {
  const ws = workspace();
  const stack = "northwind-logistics";
  const subscription = "8b1f6d2a-7c4e-4a39-b5d0-3e9c1f7a6d24";
  const antivirus = `/subscriptions/${subscription}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-web01/extensions/antivirus`;
  const assignment = `/subscriptions/${subscription}/resourceGroups/rg-nwl-data-prod/providers/Microsoft.Compute/virtualMachines/nwl-sql01/providers/Microsoft.Maintenance/configurationAssignments/northwind-logistics-broad`;
  const realtimeProtection = () => (ws.cloud().resources[antivirus]?.outputs.settings as Record<string, unknown> | undefined)?.RealtimeProtectionEnabled;

  beforeAll(() => {
    ws.ok(["up", "--yes", "--skip-preview", "--stack", stack]);
    // In "the portal": real-time protection off on nwl-web01, nwl-sql01 taken out of its ring.
    ws.editCloud((cloud) => {
      const settings = cloud.resources[antivirus]?.outputs.settings as Record<string, unknown>;
      settings.RealtimeProtectionEnabled = "false";
      cloud.resources = Object.fromEntries(Object.entries(cloud.resources).filter(([id]) => id !== assignment));
    });
  });

  it("is what `pulumi refresh --preview-only --json` shows, and steward drift blocks on it", () => {
    const refresh = ws.pulumi(["refresh", "--preview-only", "--json", "--stack", stack]);
    expect(refresh.status, refresh.stderr).toBe(0);
    const document = JSON.parse(refresh.stdout) as PreviewDocument;
    const changed = document.steps.filter((step) => step.op !== "refresh").map((step) => [step.op, step.urn.slice(step.urn.lastIndexOf("::") + 2)]);
    expect(changed.sort()).toEqual([
      ["delete", "northwind-logistics-nwl-sql01-ring-assignment"],
      ["update", "northwind-logistics-nwl-web01-antivirus"],
    ]);
    const update = document.steps.find((step) => step.op === "update");
    expect(update?.detailedDiff).toEqual({ "settings.RealtimeProtectionEnabled": { kind: "update", inputDiff: true } });
    expect((update?.newState?.outputs?.settings as Record<string, unknown>).RealtimeProtectionEnabled).toBe("false");

    const file = join(ws.dir, "refresh.json");
    writeFileSync(file, refresh.stdout);
    const drift = steward(["drift", file, "--stack", stack]);
    expect(drift.status, drift.output).toBe(1);
    expect(drift.stdout).toContain('settings.RealtimeProtectionEnabled: "true" -> "false"');
    expect(drift.stdout).toContain("northwind-logistics-nwl-sql01-ring-assignment: pulumi up would create it again");
  });

  it("is put back by `pulumi up --refresh`", () => {
    expect(realtimeProtection()).toBe("false");
    ws.ok(["up", "--yes", "--refresh", "--skip-preview", "--stack", stack]);
    expect(realtimeProtection()).toBe("true");
    expect(ws.cloud().resources[assignment]?.type).toBe("azure-native:maintenance:ConfigurationAssignment");
    const preview = ws.json<PreviewDocument>(["preview", "--json", "--stack", stack]);
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  });
});
