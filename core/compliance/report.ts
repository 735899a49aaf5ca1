/**
 * One client's compliance report from its judged state (answers.ts) and what else the report
 * shows: who answers for what, the exceptions, drift, the rings' coming windows, the trend and
 * where the evidence came from. Pure: the command (cli/report-client.ts) judges and reads files.
 */
import type { ClientConfig } from "../config/client-config";
import type { DriftedResource } from "../drift";
import type { Severity, Waiver } from "../document";
import type { NotFullyEnforced } from "../exceptions";
import { dayNumber, ianaZone, monthAfter, ringWindows, utcDay } from "./calendar";
import { answerQuestions, type JudgedState, type PlacedFinding } from "./answers";
import { QUESTIONS, questionsOf, verdictRank, worst } from "./questions";
import { comparable, trendOf, type Comparable } from "./trend";
import {
  COMPLIANCE_REPORT_VERSION,
  SERVICES,
  type ClientComplianceReport,
  type EndpointRow,
  type Limit,
  type QuestionSummary,
  type ReportFinding,
  type ReportingPeriod,
  type RingSchedule,
  type VerdictCounts,
} from "./types";

export interface ReportContext {
  stack: string;
  config: ClientConfig;
  /** RFC 3339 (UTC): when the evidence was judged. */
  generatedAt: string;
  /** The run's day (YYYY-MM-DD): the rings' windows are given for a month from it. */
  date: string;
  period: ReportingPeriod;
  notFullyEnforced: NotFullyEnforced[];
  /** What a refresh preview showed changed outside Pulumi; null when none was given. */
  drift: DriftedResource[] | null;
  /** Scope subscriptions the inventory has no machine in (coverage only). */
  uncoveredSubscriptions: string[];
  previous: Comparable | null;
  provenance: ClientComplianceReport["provenance"];
}

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

const BASIS_TEXT: Record<JudgedState["basis"], string> = {
  planned:
    "The baseline the stack file plans: nothing deployed was read, so no answer can be shown to be yes. " +
    "Give the deployed state (--deployed: `pulumi stack export`, or `pulumi preview --json --show-sames`) to verify it.",
  deployed:
    "Pulumi's record of what is deployed (a stack export, or the state a preview starts from). What changed in the cloud outside Pulumi " +
    "since the last update is not in it unless a refresh preview is given (--refresh).",
  refreshed: "What a refresh preview (`pulumi refresh --preview-only --json`) read from the cloud: the deployed resources as they are now, drift included.",
};

export const countVerdicts = (answers: ReadonlyArray<{ verdict: ClientComplianceReport["status"]; waived: boolean }>): VerdictCounts => ({
  yes: answers.filter((answer) => answer.verdict === "yes" && !answer.waived).length,
  waived: answers.filter((answer) => answer.verdict === "yes" && answer.waived).length,
  no: answers.filter((answer) => answer.verdict === "no").length,
  notVerifiable: answers.filter((answer) => answer.verdict === "not-verifiable").length,
});

export function questionSummaries(rows: EndpointRow[], config: ClientConfig, coverage: Limit[]): QuestionSummary[] {
  return QUESTIONS.map((question) => {
    const answers = rows.map((row) => row.answers[question.id]);
    const limits = question.id === "installed" ? coverage : [];
    // No machine answers yes for all of them; unlooked-for machines leave "all computers" open.
    const verdict = answers.length === 0 ? "not-verifiable" : worst([...answers.map((answer) => answer.verdict), ...(limits.length > 0 ? (["not-verifiable"] as const) : [])]);
    return {
      id: question.id,
      number: question.number,
      text: question.text,
      service: question.service,
      responsible: config.client.responsibilities[question.service],
      verdict,
      counts: countVerdicts(answers),
      limits,
    };
  });
}

export function coverageLimits(checked: boolean, uncovered: readonly string[]): Limit[] {
  if (!checked) {
    return [{ what: "machines in the client's subscriptions that the stack file does not declare were not looked for", whoKnows: "Azure Resource Graph (give --inventory)" }];
  }
  return uncovered.map((subscription) => ({
    what: `the inventory has no machine in scope subscription ${subscription}, so machines there were not looked for`,
    whoKnows: "Azure Resource Graph, queried across every subscription of the client's scope",
  }));
}

const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

function reportFindings(placed: PlacedFinding[]): ReportFinding[] {
  return placed
    .map(({ finding, topic, endpoint }) => ({
      policy: finding.policy,
      title: finding.title,
      severity: finding.severity,
      enforcement: finding.enforcement,
      topic,
      resource: finding.resource,
      endpoint,
      message: finding.message,
      remediation: finding.remediation,
      waiver: finding.waiver,
    }))
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        compare(a.policy, b.policy) ||
        compare(a.resource, b.resource) ||
        compare(a.message, b.message),
    );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const sameWaiver = (a: Waiver, b: Waiver) =>
  a.policy === b.policy && a.resource === b.resource && a.reason === b.reason && a.approver === b.approver && a.created === b.created && a.expires === b.expires;

export function ringSchedules(config: ClientConfig, from: string, to: string): RingSchedule[] {
  return [...config.updateRings]
    .sort((a, b) => a.order - b.order)
    .map((ring) => {
      const zone = ianaZone(ring.timeZone);
      return {
        name: ring.name,
        order: ring.order,
        timeZone: ring.timeZone,
        ianaTimeZone: zone,
        patchTuesdayOffsetDays: ring.patchTuesdayOffsetDays,
        startTime: ring.startTime,
        duration: ring.duration,
        endpoints: config.endpoints.filter((endpoint) => endpoint.ring === ring.name).map((endpoint) => endpoint.name),
        windows: zone === null ? [] : ringWindows(ring, zone, from, to),
        problem:
          zone === null
            ? `steward does not know the Windows time zone ${JSON.stringify(ring.timeZone)}, so the dates of its windows are not given (Azure Update Manager takes Windows time zone names such as "W. Europe Standard Time")`
            : null,
      };
    });
}

/** One client's compliance report. */
export function complianceReport(state: JudgedState, context: ReportContext): ClientComplianceReport {
  const { config } = context;
  const { rows, findings: placed } = answerQuestions(state);
  const questions = questionSummaries(rows, config, coverageLimits(state.coverage !== null, context.uncoveredSubscriptions));
  const findings = reportFindings(placed);
  const open = findings.filter((finding) => finding.waiver === null);
  const today = dayNumber(utcDay(new Date(context.generatedAt)));
  const to = monthAfter(context.date);
  const report: ClientComplianceReport = {
    version: COMPLIANCE_REPORT_VERSION,
    kind: "steward-compliance-report",
    generatedAt: context.generatedAt,
    client: { id: config.client.id, displayName: config.client.displayName, stack: context.stack, managementModel: config.client.managementModel },
    period: context.period,
    recipients: config.client.reporting.recipients,
    status: worst(questions.map((question) => question.verdict)),
    basis: { state: state.basis, description: BASIS_TEXT[state.basis] },
    coverage: {
      checked: state.coverage !== null,
      description:
        state.coverage === null
          ? "No inventory was given (--inventory): machines the stack file does not declare were not looked for."
          : "Every machine of the Azure Resource Graph inventory in the client's scope, or tagged for it, was compared with the stack file's endpoints.",
    },
    patchAssessment: {
      checked: state.patchAssessment !== null,
      description:
        state.patchAssessment === null
          ? "No patch assessment was given (--patch-assessment): whether security updates were installed was not read from Azure Update Manager."
          : "Azure Update Manager's latest patch assessment of each machine (Azure Resource Graph) was read for question 6 and judged against its update ring's windows.",
    },
    summary: {
      endpoints: rows.length,
      answers: countVerdicts(rows.flatMap((row) => Object.values(row.answers))),
      findings: {
        critical: open.filter((finding) => finding.severity === "critical").length,
        high: open.filter((finding) => finding.severity === "high").length,
        medium: open.filter((finding) => finding.severity === "medium").length,
        low: open.filter((finding) => finding.severity === "low").length,
        waived: findings.length - open.length,
      },
    },
    questions,
    // Worst first; within a verdict, in the order the state lists them (the stack file's, for declared machines).
    endpoints: [...rows].sort((a, b) => verdictRank(a.status) - verdictRank(b.status)),
    responsibilities: SERVICES.map((service) => ({ service, party: config.client.responsibilities[service], questions: questionsOf(service) })),
    contacts: {
      msp: config.client.contacts.msp.map(({ name, email, phone }) => ({ name, email, phone: phone ?? null })),
      client: config.client.contacts.client.map(({ name, email, phone }) => ({ name, email, phone: phone ?? null })),
    },
    findings,
    exceptions: {
      waivers: state.document.waivers.map((waiver, index) => ({
        ...waiver,
        valid: state.evaluation.exceptions.validWaivers.includes(index),
        daysLeft: dayNumber(waiver.expires) - today,
        findings: state.evaluation.findings.filter((finding) => finding.waiver !== null && sameWaiver(finding.waiver, waiver)).length,
      })),
      notFullyEnforced: context.notFullyEnforced,
    },
    drift:
      context.drift === null
        ? { checked: false, description: "No refresh preview was given (--refresh): what changed outside Pulumi was not looked for.", resources: [] }
        : {
            checked: true,
            description:
              context.drift.length === 0
                ? "The refresh preview found nothing changed outside Pulumi."
                : "What the refresh preview found changed outside Pulumi since the last update, most urgent first, with what `pulumi up` would put back.",
            resources: context.drift,
          },
    schedule: { from: context.date, to, rings: ringSchedules(config, context.date, to) },
    trend: null,
    provenance: context.provenance,
  };
  return context.previous === null ? report : { ...report, trend: trendOf(context.previous, comparable(report)) };
}
