import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EnforcementOverride, Enforcement, StewardInput } from "../core/document";
import { PolicyEngine, completeFinding, policyInputText } from "../core/engine";
import { EvaluationError, ExitCode, InputError, PolicyBundleError } from "../core/errors";
import { bundleDir, policiesDir, policySourceHash, policySources } from "../core/policy-sources";
import { compliantDocument, engine, findingLines, findinglessDocument, scaledDocument, withoutVmAntivirus } from "./support";

const scratch = mkdtempSync(join(tmpdir(), "steward-engine-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const VM_URN = "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01";
const ARC_ID = "/subscriptions/00000000-0000-0000-0000-00000000a11c/resourcegroups/rg-acme-onprem/providers/microsoft.hybridcompute/machines/files-01";

/** An override with the justification a waiver needs (the documents are evaluated at 2026-11-27). */
const justified = (level: Enforcement): EnforcementOverride => ({
  level,
  reason: "The client's own security team runs Defender on these machines",
  approver: "ciso@msp.example",
  created: "2026-11-01",
  expires: "2026-12-31",
});

describe("loading the bundle", () => {
  it("loads synchronously and asynchronously to the same catalog", async () => {
    const asyncEngine = await PolicyEngine.load();
    expect(asyncEngine.catalog).toEqual(PolicyEngine.loadSync().catalog);
  });

  it("publishes every policy's METADATA in the catalog", () => {
    expect(engine().catalog["antivirus-installed"]).toEqual({
      id: "antivirus-installed",
      title: "Antivirus installed on every endpoint",
      description: expect.stringContaining("Linux endpoints can only\nuse MDE.Linux"),
      severity: "critical",
      enforcement: "mandatory",
      remediation: expect.stringContaining("antivirus.engine"),
      references: [
        "https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Compute/VMAntimalwareExtension_DINE.json",
        "https://learn.microsoft.com/en-us/defender-endpoint/mde-linux-prerequisites",
        "https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-extensions/create-or-update",
      ],
    });
  });

  it("refuses a missing bundle and says how to rebuild", () => {
    const call = () => PolicyEngine.loadSync({ bundleDir: join(scratch, "nowhere") });
    expect(call).toThrow(PolicyBundleError);
    expect(call).toThrow(/The policy bundle is missing \(.*nowhere\/policy\.wasm\)\.\n {2}Rebuild it with `npm run build`\./);
  });

  it("refuses a bundle built from other Rego sources", () => {
    const sources = join(scratch, "policies");
    cpSync(policiesDir(), sources, { recursive: true });
    writeFileSync(join(sources, "rules", "antivirus_installed", "policy.rego"), "package policies.rules.antivirus_installed\n", { flag: "a" });
    let error: unknown;
    try {
      PolicyEngine.loadSync({ policiesDir: sources });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PolicyBundleError);
    expect((error as PolicyBundleError).exitCode).toBe(ExitCode.INTERNAL);
    const built = (JSON.parse(readFileSync(join(bundleDir(), "manifest.json"), "utf8")) as { sourceHash: string }).sourceHash;
    expect((error as Error).message).toBe(
      `The policy bundle ${join(bundleDir(), "policy.wasm")} is stale: it was built from other Rego sources than those in ${sources} ` +
        `(bundle ${built.slice(0, 12)}, sources ${policySourceHash(sources).slice(0, 12)}).\n  Rebuild it with \`npm run build\`.`,
    );
  });

  it("accepts edits to tests only: the hash covers the bundle's sources", () => {
    const sources = join(scratch, "policies-tests-edited");
    cpSync(policiesDir(), sources, { recursive: true });
    writeFileSync(join(sources, "rules", "antivirus_installed", "policy_test.rego"), "\n", { flag: "a" });
    expect(PolicyEngine.loadSync({ policiesDir: sources }).catalog).toEqual(engine().catalog);
  });

  it("turns a corrupt wasm module into a bundle error", () => {
    const dir = join(scratch, "corrupt");
    cpSync(bundleDir(), dir, { recursive: true });
    writeFileSync(join(dir, "policy.wasm"), "not wasm");
    expect(() => PolicyEngine.loadSync({ bundleDir: dir })).toThrow(/The policy bundle could not be loaded: /);
  });
});

describe("evaluating", () => {
  it("reports a typed finding with its remediation and no waiver", () => {
    const { findings, summary } = engine().evaluate(withoutVmAntivirus());
    expect(findings).toEqual([
      {
        policy: "antivirus-installed",
        title: "Antivirus installed on every endpoint",
        severity: "critical",
        enforcement: "mandatory",
        urn: VM_URN,
        type: "azure-native:compute:VirtualMachine",
        message: 'Azure VM "web-01" has no antivirus extension',
        remediation: engine().catalog["antivirus-installed"]?.remediation,
        references: engine().catalog["antivirus-installed"]?.references,
        waiver: null,
      },
    ]);
    expect(summary).toEqual({ blocking: 1, advisory: 0, waived: 0 });
  });

  it("completes a finding from its policy's descriptor, and refuses one the catalog does not list", () => {
    const finding = { policy: "antivirus-installed", enforcement: "advisory", urn: VM_URN, type: "t", message: "m", waiver: null } as const;
    const completed = completeFinding(finding, engine().catalog);
    expect(completed).toEqual({
      ...finding,
      title: "Antivirus installed on every endpoint",
      severity: "critical",
      remediation: engine().catalog["antivirus-installed"]?.remediation,
      references: engine().catalog["antivirus-installed"]?.references,
    });
    // Each finding has its own references list: changing one changes neither the catalog nor another finding.
    expect(completed.references).not.toBe(engine().catalog["antivirus-installed"]?.references);
    for (const policy of ["antivirus-instaled", "constructor"]) {
      expect(() => completeFinding({ ...finding, policy }, engine().catalog)).toThrow(EvaluationError);
      expect(() => completeFinding({ ...finding, policy }, engine().catalog)).toThrow(
        `Entrypoint policies/main/report returned a finding of policy "${policy}", which the catalog does not list; the bundle does not match this engine.`,
      );
    }
  });

  it("reports findings by policy, then urn, then message, whatever order wasm returns them in", () => {
    const document = scaledDocument(6);
    for (const endpoint of document.endpoints) endpoint.antivirus = [];
    for (const endpoint of document.endpoints.filter((_, i) => i % 2 === 0)) endpoint.monitoringAgents = [];
    const vm = (i: number) => `${VM_URN}-${i}`;
    const noMonitoring = (i: number) => `Azure VM "web-01-${i}" has no Azure Monitor Agent (AzureMonitorWindowsAgent), so it does not report to Azure Monitor`;
    // Code-unit order: the Arc machines' ids ("/subscriptions/...") before the VMs' urns ("urn:...").
    expect(engine().evaluate(document).findings.map((finding) => [finding.policy, finding.urn, finding.message])).toEqual([
      ["antivirus-installed", `${ARC_ID}-1`, 'Arc machine "files-01-1" has no antivirus extension'],
      ["antivirus-installed", `${ARC_ID}-3`, 'Arc machine "files-01-3" has no antivirus extension'],
      ["antivirus-installed", `${ARC_ID}-5`, 'Arc machine "files-01-5" has no antivirus extension'],
      ["antivirus-installed", vm(0), 'Azure VM "web-01-0" has no antivirus extension'],
      ["antivirus-installed", vm(2), 'Azure VM "web-01-2" has no antivirus extension'],
      ["antivirus-installed", vm(4), 'Azure VM "web-01-4" has no antivirus extension'],
      ["endpoint-reports", vm(0), noMonitoring(0)],
      ["endpoint-reports", vm(2), noMonitoring(2)],
      ["endpoint-reports", vm(4), noMonitoring(4)],
    ]);
  });

  it("applies a per-client enforcement override that is justified", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = justified("advisory");
    const { findings, summary, exceptions } = engine().evaluate(document);
    expect(findings.map((finding) => finding.enforcement)).toEqual(["advisory"]);
    expect(summary).toEqual({ blocking: 0, advisory: 1, waived: 0 });
    expect(exceptions.enforcement["antivirus-installed"]).toBe("advisory");
  });

  it("drops the findings of a disabled policy, and counts them", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = justified("disabled");
    const { findings, summary, exceptions } = engine().evaluate(document);
    expect({ findings, summary }).toEqual({ findings: [], summary: { blocking: 0, advisory: 0, waived: 0 } });
    expect(exceptions.disabledFindings).toEqual({ "antivirus-installed": 1 });
  });

  it.each([
    ["without a justification", { level: "advisory" } as const, 'it has no approver; it has no reason; its expiry "" is not a date (YYYY-MM-DD)'],
    ["expired", { ...justified("disabled"), expires: "2026-11-26" }, "it expired on 2026-11-26"],
    ["created after the evaluation time", { ...justified("advisory"), created: "2026-11-28" }, "its created date 2026-11-28 is after the evaluation time 2026-11-27T12:00:00Z"],
    ["longer than 90 days from today", { ...justified("advisory"), created: "2026-06-01", expires: "2027-02-26" }, "it runs 270 days, longer than the maximum of 90"],
  ])("an override %s does not lower the policy and is reported by waivers-valid", (_case, override, problem) => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = override;
    const { findings, summary, exceptions } = engine().evaluate(document);
    expect(findings.map((finding) => [finding.policy, finding.enforcement, finding.urn, finding.message])).toEqual([
      ["antivirus-installed", "mandatory", VM_URN, 'Azure VM "web-01" has no antivirus extension'],
      [
        "waivers-valid",
        "mandatory",
        "enforcement:antivirus-installed",
        `enforcement override of "antivirus-installed" to "${override.level}" is not applied (the policy stays mandatory): ${problem}`,
      ],
    ]);
    expect(summary).toEqual({ blocking: 2, advisory: 0, waived: 0 });
    expect(exceptions.enforcement["antivirus-installed"]).toBe("mandatory");
  });

  it("an override's finding is never waived, not even by a waiver on every resource", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = { level: "disabled" };
    document.waivers = [{ policy: "waivers-valid", resource: "*", reason: "hide it", approver: "someone", created: "2026-11-01", expires: "2026-12-31" }];
    const reported = engine().evaluate(document).findings.filter((finding) => finding.urn === "enforcement:antivirus-installed");
    expect(reported.map((finding) => finding.waiver)).toEqual([null]);
  });

  it("raising a policy to mandatory needs no justification", () => {
    const document = compliantDocument();
    document.settings.enforcement["patch-orchestration-unverified"] = { level: "mandatory" };
    const { findings, summary } = engine().evaluate(document);
    expect(findings.map((finding) => [finding.policy, finding.enforcement])).toEqual([["patch-orchestration-unverified", "mandatory"]]);
    expect(summary).toEqual({ blocking: 1, advisory: 0, waived: 0 });
  });

  it("refuses an override for a policy the library does not have", () => {
    const document = findinglessDocument();
    document.settings.enforcement["antivirus-instaled"] = justified("disabled");
    expect(() => engine().evaluate(document)).toThrow(InputError);
    expect(() => engine().evaluate(document)).toThrow(/Enforcement override names unknown policy "antivirus-instaled"/);
  });

  it("judges what the policies read: resources, which no policy reads, are their reader's to check", () => {
    const document = withoutVmAntivirus();
    const expected = engine().evaluate(document);
    document.resources = [{ urn: "urn:x" } as StewardInput["resources"][number]];
    expect(engine().evaluate(document)).toEqual(expected);
  });

  it("refuses a document that is not the contract instead of reading it as empty", () => {
    const document = findinglessDocument() as Partial<StewardInput>;
    delete document.endpoints;
    expect(() => engine().evaluate(document as StewardInput)).toThrow(
      "normalized document does not match the steward input schema (version 1):\n  (document): must have required property 'endpoints'",
    );
  });

  it("fails closed on unknown values: an unknown extension type protects nothing", () => {
    const document = findinglessDocument();
    const vm = document.endpoints[0];
    if (!vm) throw new Error("fixture has no endpoints");
    vm.antivirus = [{ ...vm.antivirus[0], extensionType: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } as (typeof vm.antivirus)[0]];
    expect(findingLines(document)).toEqual([
      `antivirus-installed ${VM_URN}: Azure VM "web-01" (windows) has only 04da6b54-80e4-46f7-96ec-b56ff0331ba9, which does not protect windows; use IaaSAntimalware or MDE.Windows`,
    ]);
  });
});

describe("documents of any size", () => {
  it("evaluates a document larger than the initial wasm memory, then small ones again, exactly", () => {
    const large = scaledDocument(600);
    for (const endpoint of large.endpoints.filter((_, i) => i % 100 === 0)) endpoint.antivirus = [];
    // 80 initial pages of 64 KiB hold documents up to 1/16 of that: this one needs a larger instance.
    expect(policyInputText(large).length).toBeGreaterThan((80 * 65_536) / 16);
    const local = PolicyEngine.loadSync();
    expect(local.evaluate(large).findings.map((finding) => `${finding.policy} ${finding.message}`).sort()).toEqual(
      [0, 100, 200, 300, 400, 500].map((i) => `antivirus-installed Azure VM "web-01-${i}" has no antivirus extension`),
    );
    expect(local.evaluate(withoutVmAntivirus()).summary).toEqual({ blocking: 1, advisory: 0, waived: 0 });
    expect(local.evaluate(findinglessDocument()).findings).toEqual([]);
  });
});

describe("what the policies are given", () => {
  it("is the document without its resources or the rings' member lists, which no policy reads", () => {
    // The engine leaves input.resources (most of a document's size) and each ring's `endpoints`
    // out of what it sends to wasm. A policy that needs a resource's properties reads them from a
    // normalized fact instead, and a ring's members from the endpoints' ring assignments.
    for (const file of policySources(policiesDir())) {
      const rego = readFileSync(join(policiesDir(), file), "utf8");
      expect(rego, file).not.toMatch(/input\s*(\.\s*resources\b|\[\s*"resources"\s*\])/);
      expect(rego, file).not.toMatch(/\binput\s*\[\s*[a-z_]/);
      expect(rego, file).not.toMatch(/object\.get\(\s*input\s*,\s*(\[\s*)?"resources"|walk\(\s*input\b/);
      // Only input.endpoints: no other value's `endpoints`, as a field or a key.
      expect(rego, file).not.toMatch(/(?<!\binput\s*)\.\s*endpoints\b|\[\s*"endpoints"\s*\]|"endpoints"\s*[,\])]/);
    }
    const document = findinglessDocument();
    const sent = JSON.parse(policyInputText(document)) as Record<string, unknown>;
    expect(sent.resources).toBeUndefined();
    expect(Object.keys(sent).sort()).toEqual(Object.keys(document).filter((key) => key !== "resources").sort());
    // The document keeps its member lists: only what is sent leaves them out.
    expect(document.rings.map(({ name, endpoints }) => [name, endpoints])).toEqual([
      ["pilot", [VM_URN]],
      ["broad", [ARC_ID]],
    ]);
    expect(sent.rings).toEqual(document.rings.map(({ endpoints, ...ring }) => ring));
  });
});

describe("waivers", () => {
  const valid = {
    policy: "antivirus-installed",
    resource: VM_URN,
    reason: "Legacy line-of-business VM; replacement ordered (ticket 4711)",
    approver: "jane.doe@msp.example",
    created: "2026-11-01",
    expires: "2026-12-31",
  };

  it("a valid waiver suppresses the finding it names and is attached to it", () => {
    const document = withoutVmAntivirus();
    document.waivers = [valid];
    const { findings, summary } = engine().evaluate(document);
    expect(findings.map((finding) => finding.waiver)).toEqual([valid]);
    expect(summary).toEqual({ blocking: 0, advisory: 0, waived: 1 });
  });

  it("a waiver for every resource of the client uses *", () => {
    const document = withoutVmAntivirus();
    document.waivers = [{ ...valid, resource: "*" }];
    expect(engine().evaluate(document).summary).toEqual({ blocking: 0, advisory: 0, waived: 1 });
  });

  it.each([
    ["expired", { expires: "2026-11-26" }, "it expired on 2026-11-26"],
    ["without a reason", { reason: " " }, "it has no reason"],
    ["without an approver", { approver: "" }, "it has no approver"],
    ["longer than 90 days", { created: "2026-11-01", expires: "2027-03-01" }, "it runs 120 days, longer than the maximum of 90"],
    ["for an unknown policy", { policy: "antivirus-instaled" }, 'it names unknown policy "antivirus-instaled"'],
    // The document is evaluated at 2026-11-27T12:00:00Z.
    ["created after the evaluation time", { created: "2026-11-28" }, "its created date 2026-11-28 is after the evaluation time 2026-11-27T12:00:00Z"],
    ["created later, so longer than 90 days from today", { created: "2027-03-01", expires: "2027-05-29" }, "it runs 183 days, longer than the maximum of 90; its created date 2027-03-01 is after the evaluation time 2026-11-27T12:00:00Z"],
    ["created long ago, with 91 days left from today", { created: "2026-06-01", expires: "2027-02-26" }, "it runs 270 days, longer than the maximum of 90"],
  ])("a waiver %s suppresses nothing and is itself reported", (_case, change, problem) => {
    const document = withoutVmAntivirus();
    document.waivers = [{ ...valid, ...change }];
    const { findings, summary } = engine().evaluate(document);
    const policy = "policy" in change ? change.policy : valid.policy;
    expect(findings.map((finding) => [finding.policy, finding.urn, finding.message, finding.waiver])).toEqual([
      ["antivirus-installed", VM_URN, 'Azure VM "web-01" has no antivirus extension', null],
      ["waivers-valid", VM_URN, `waiver 0 for "${policy}" on "${VM_URN}" is not applied: ${problem}`, null],
    ]);
    expect(summary).toEqual({ blocking: 2, advisory: 0, waived: 0 });
  });
});
