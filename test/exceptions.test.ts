// Which policies are not fully enforced for a client (core/exceptions.ts), from evaluations
// through the real wasm: only what the policies applied is listed, with what it does.
import { describe, expect, it } from "vitest";
import type { Enforcement, EnforcementOverride, StewardInput, Waiver } from "../core/document";
import { notFullyEnforced } from "../core/exceptions";
import { compliantDocument, engine, findinglessDocument, withoutVmAntivirus } from "./support";

const VM_URN = "urn:pulumi:acme::steward::azure-native:compute:VirtualMachine::web-01";

const justified = (level: Enforcement): EnforcementOverride => ({
  level,
  reason: "Replacement ordered (ticket 4711)",
  approver: "ciso@msp.example",
  created: "2026-11-01",
  expires: "2026-12-31",
});

const waiver = (policy: string, resource: string, changes: Partial<Waiver> = {}): Waiver => ({
  policy,
  resource,
  reason: "Vendor appliance",
  approver: "ciso@msp.example",
  created: "2026-11-20",
  expires: "2027-01-15",
  ...changes,
});

function listed(document: StewardInput) {
  return notFullyEnforced(document, engine().evaluate(document), engine().catalog);
}

describe("the policies not fully enforced for a client", () => {
  it("none when nothing is lowered or waived everywhere", () => {
    expect(listed(compliantDocument())).toEqual([]);
  });

  it("a justified override to advisory: the findings it keeps from blocking, the days it has left", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = justified("advisory");
    expect(listed(document)).toEqual([
      {
        policy: "antivirus-installed",
        title: "Antivirus installed on every endpoint",
        severity: "critical",
        defaultEnforcement: "mandatory",
        level: "advisory",
        resource: null,
        reason: "Replacement ordered (ticket 4711)",
        approver: "ciso@msp.example",
        created: "2026-11-01",
        expires: "2026-12-31",
        daysLeft: 34,
        findings: 1,
      },
    ]);
  });

  it("a justified override to disabled: the findings it hides, which no report shows otherwise", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = justified("disabled");
    expect(listed(document).map((entry) => [entry.policy, entry.level, entry.defaultEnforcement, entry.findings])).toEqual([["antivirus-installed", "disabled", "mandatory", 1]]);
  });

  it("an advisory policy disabled is listed too; raising a policy is not", () => {
    const document = compliantDocument();
    document.settings.enforcement["patch-orchestration-unverified"] = justified("disabled");
    document.settings.enforcement["rings-staged"] = { level: "mandatory" };
    expect(listed(document).map((entry) => [entry.policy, entry.level, entry.defaultEnforcement, entry.findings])).toEqual([
      ["patch-orchestration-unverified", "disabled", "advisory", 1],
    ]);
  });

  it("an override that is not applied is not listed: the policy is enforced, and waivers-valid blocks", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = { ...justified("disabled"), expires: "2026-11-26" };
    const evaluation = engine().evaluate(document);
    expect(notFullyEnforced(document, evaluation, engine().catalog)).toEqual([]);
    expect(evaluation.summary.blocking).toBe(2);
  });

  it("a valid waiver on every resource of a critical policy, with the findings it hides; not one of a high policy, one on a resource, or an invalid one", () => {
    const document = withoutVmAntivirus();
    document.endpoints.forEach((endpoint) => (endpoint.monitoringAgents = []));
    document.waivers = [
      waiver("antivirus-installed", "*"),
      waiver("endpoint-reports", "*"),
      waiver("antivirus-protection-on", VM_URN),
      waiver("antivirus-up-to-date", "*", { approver: "" }),
    ];
    expect(listed(document)).toEqual([
      {
        policy: "antivirus-installed",
        title: "Antivirus installed on every endpoint",
        severity: "critical",
        defaultEnforcement: "mandatory",
        level: "waived",
        resource: "*",
        reason: "Vendor appliance",
        approver: "ciso@msp.example",
        created: "2026-11-20",
        expires: "2027-01-15",
        daysLeft: 49,
        findings: 1,
      },
    ]);
  });

  it("a waiver on every resource that hides nothing today is still listed, with 0 findings", () => {
    const document = findinglessDocument();
    document.waivers = [waiver("antivirus-installed", "*", { created: undefined })];
    delete document.waivers[0]?.created;
    expect(listed(document).map((entry) => [entry.policy, entry.created, entry.findings])).toEqual([["antivirus-installed", null, 0]]);
  });

  it("days left count UTC days: 0 on the last day", () => {
    const document = withoutVmAntivirus();
    document.settings.enforcement["antivirus-installed"] = justified("advisory");
    document.evaluatedAt = "2026-12-31T23:30:00-00:30"; // 2027-01-01 00:00 UTC: expired
    expect(listed(document)).toEqual([]);
    document.evaluatedAt = "2026-12-31T20:00:00-03:00"; // 23:00 UTC on its last day
    expect(listed(document).map((entry) => entry.daysLeft)).toEqual([0]);
    document.evaluatedAt = "2026-11-28T01:30:00+02:00"; // 2026-11-27 23:30 UTC
    expect(listed(document).map((entry) => entry.daysLeft)).toEqual([34]);
  });
});
