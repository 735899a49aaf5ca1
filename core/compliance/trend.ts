/**
 * How a report compares with the previous one: the status, open findings by severity, the
 * verdict counts of each question, and every answer whose verdict changed. A previous client
 * report and a fleet overview's entry for the client hold the same comparable summary.
 */
import type { Severity } from "../document";
import { QUESTION_IDS, type ClientComplianceReport, type QuestionId, type Trend, type Verdict, type VerdictCounts } from "./types";

/** What a trend compares: the parts of a report that a fleet overview keeps for each client too. */
export interface Comparable {
  generatedAt: string;
  /** The period's label. */
  period: string;
  status: Verdict;
  /** Open (not waived) findings by severity. */
  findings: Record<Severity, number>;
  questions: Record<QuestionId, VerdictCounts>;
  /** Each machine's verdicts, by name. */
  endpoints: Array<{ name: string; answers: Record<QuestionId, Verdict> }>;
}

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

export function comparable(report: ClientComplianceReport): Comparable {
  const { critical, high, medium, low } = report.summary.findings;
  return {
    generatedAt: report.generatedAt,
    period: report.period.label,
    status: report.status,
    findings: { critical, high, medium, low },
    questions: Object.fromEntries(report.questions.map((question) => [question.id, question.counts])) as Record<QuestionId, VerdictCounts>,
    endpoints: report.endpoints.map((row) => ({
      name: row.name,
      answers: Object.fromEntries(QUESTION_IDS.map((id) => [id, row.answers[id].verdict])) as Record<QuestionId, Verdict>,
    })),
  };
}

const total = (findings: Record<Severity, number>) => SEVERITIES.reduce((sum, severity) => sum + findings[severity], 0);

/** The trend from `previous` to `current`; machines matched by name, ignoring case (as Azure names them). */
export function trendOf(previous: Comparable, current: Comparable): Trend {
  const before = new Map(previous.endpoints.map((row) => [row.name.toLowerCase(), row]));
  const after = new Map(current.endpoints.map((row) => [row.name.toLowerCase(), row]));
  const changes: Trend["changes"] = [];
  const names = [...current.endpoints.map((row) => row.name), ...previous.endpoints.filter((row) => !after.has(row.name.toLowerCase())).map((row) => row.name)];
  for (const name of names) {
    const then = before.get(name.toLowerCase());
    const now = after.get(name.toLowerCase());
    for (const question of QUESTION_IDS) {
      const from = then?.answers[question] ?? null;
      const to = now?.answers[question] ?? null;
      if (from !== to) changes.push({ endpoint: name, question, from, to });
    }
  }
  return {
    previous: { generatedAt: previous.generatedAt, period: previous.period },
    status: { from: previous.status, to: current.status },
    findings: {
      from: total(previous.findings),
      to: total(current.findings),
      bySeverity: Object.fromEntries(SEVERITIES.map((severity) => [severity, { from: previous.findings[severity], to: current.findings[severity] }])) as Trend["findings"]["bySeverity"],
    },
    questions: Object.fromEntries(QUESTION_IDS.map((id) => [id, { from: previous.questions[id], to: current.questions[id] }])) as Trend["questions"],
    changes,
  };
}
