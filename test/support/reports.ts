// Compliance reports for the renderers' tests: the example clients' committed reports, and one
// with everything those do not show.
import type { ClientComplianceReport } from "../../core/compliance";
import { fixtures, readJson } from "./index";

/** An example client's whole report as `steward report --format json` writes it (fixtures/reports/, checked by test/compliance-report.test.ts). */
export const exampleReport = (client: "northwind-logistics" | "contoso-legal" | "harbor-dental"): ClientComplianceReport =>
  readJson<ClientComplianceReport>(fixtures("reports", `${client}.json`));

/**
 * harbor-dental's report with what the example clients do not have: a waived answer, a valid and
 * an expired waiver, a policy not fully enforced, an invalid-waiver finding, a trend, and markup
 * in the client's name, a machine's name, a recipient, a waiver's reason and its approver.
 */
export function hostileReport(): ClientComplianceReport {
  const base = exampleReport("harbor-dental");
  const hostile = '<script>alert("owned")</script> & "quotes"';
  const waiver = { policy: "endpoint-reports", resource: base.endpoints[0]?.resource as string, reason: `proxy <b>blocks</b> the agent`, approver: "Dana <Whitfield>", created: "2026-11-01", expires: "2027-02-19" };
  const [first, ...others] = base.endpoints as [ClientComplianceReport["endpoints"][number], ...ClientComplianceReport["endpoints"]];
  first.name = '<img src=x onerror="alert(1)">';
  first.answers["catching-threats"] = {
    verdict: "yes",
    waived: true,
    why: "it reports to Azure Monitor only because a waiver covers endpoint-reports",
    whoKnows: null,
    evidence: [{ resource: first.resource, setting: "monitoring agent", value: { $unknown: true }, policy: "endpoint-reports" }],
    findings: [{ policy: "endpoint-reports", severity: "medium", resource: first.resource, message: "no Azure Monitor Agent", waiver }],
    limits: [],
  };
  return {
    ...base,
    client: { ...base.client, displayName: hostile },
    recipients: ["<manager>@harbordental.example"],
    endpoints: [first, ...others],
    questions: base.questions.map((question) => (question.id === "catching-threats" ? { ...question, counts: { yes: 2, waived: 1, no: 0, notVerifiable: 0 } } : question)),
    findings: [
      ...base.findings,
      {
        policy: "waivers-valid",
        title: "Waivers are valid",
        severity: "medium",
        enforcement: "mandatory",
        topic: "exceptions",
        resource: "client",
        endpoint: null,
        message: "waiver for antivirus-installed on * expired on 2026-11-27",
        remediation: "",
        waiver: null,
      },
    ],
    exceptions: {
      waivers: [
        { ...waiver, valid: true, daysLeft: 81, findings: 1 },
        { policy: "antivirus-installed", resource: "*", reason: "migration", approver: "Sam", created: "2026-10-01", expires: "2026-11-27", valid: false, daysLeft: -3, findings: 0 },
      ],
      notFullyEnforced: [
        {
          policy: "patch-orchestration",
          title: "Patch orchestration by the platform",
          severity: "high",
          defaultEnforcement: "mandatory",
          level: "advisory",
          resource: null,
          reason: "Arc machines patched by the practice's vendor",
          approver: "Dana Whitfield",
          created: "2026-11-01",
          expires: "2027-02-15",
          daysLeft: 77,
          findings: 3,
        },
      ],
    },
    trend: {
      previous: { generatedAt: "2026-11-01T06:00:00Z", period: "2026-10" },
      status: { from: "no", to: "not-verifiable" },
      findings: { from: 5, to: 3, bySeverity: { critical: { from: 1, to: 0 }, high: { from: 1, to: 0 }, medium: { from: 0, to: 0 }, low: { from: 3, to: 3 } } },
      questions: Object.fromEntries(base.questions.map((question) => [question.id, { from: question.counts, to: question.counts }])) as NonNullable<ClientComplianceReport["trend"]>["questions"],
      changes: [
        { endpoint: "HD-PMS01", question: "installed", from: "no", to: "yes" },
        { endpoint: "HD-OLD01", question: "installed", from: "no", to: null },
      ],
    },
  };
}
