/**
 * The fleet overview (every client, worst first, with its trend) and the manifest of what a run
 * wrote: plain data, like the client report, for every renderer to lay out.
 */
import type { ClientComplianceReport, Trend, Verdict } from "./types";
import { comparable, trendOf, type Comparable } from "./trend";
import { verdictRank } from "./questions";

/** A client that could not be reported, and why (an invalid stack file, an input for another stack...). */
export interface ClientProblem {
  stack: string;
  problem: string;
}

/** One client in the overview: its comparable summary (what a later trend reads) and more. */
export interface FleetClient extends Comparable {
  client: string;
  displayName: string;
  stack: string;
  schedule: ClientComplianceReport["period"]["schedule"];
  trend: Trend | null;
}

export interface FleetOverview {
  version: 1;
  kind: "steward-fleet-overview";
  generatedAt: string;
  /** The run's day, YYYY-MM-DD. */
  date: string;
  /** How many clients have each status. */
  summary: Record<"no" | "notVerifiable" | "yes", number> & { problems: number };
  /** Worst first: by status, then most answers no, then most not verifiable, then most open findings. */
  clients: FleetClient[];
  problems: ClientProblem[];
}

const openFindings = (client: Comparable) => client.findings.critical + client.findings.high + client.findings.medium + client.findings.low;
const answersWith = (client: Comparable, verdict: Verdict) => client.endpoints.reduce((sum, row) => sum + Object.values(row.answers).filter((answer) => answer === verdict).length, 0);

/**
 * What a fleet run keeps of a client's report once the report is written: all the overview and the
 * manifest read. A report of 100 machines is megabytes; its digest, kilobytes.
 */
export interface ReportDigest {
  client: Pick<ClientComplianceReport["client"], "id" | "displayName" | "stack">;
  period: Pick<ClientComplianceReport["period"], "schedule" | "label">;
  recipients: string[];
  comparable: Comparable;
}

export function digestOf(report: ClientComplianceReport): ReportDigest {
  const { id, displayName, stack } = report.client;
  return { client: { id, displayName, stack }, period: { schedule: report.period.schedule, label: report.period.label }, recipients: report.recipients, comparable: comparable(report) };
}

/** The overview of a run's reports (their digests); `previous` holds the previous overview's clients by id. */
export function fleetOverview(
  reports: readonly ReportDigest[],
  problems: readonly ClientProblem[],
  context: { generatedAt: string; date: string; previous: ReadonlyMap<string, Comparable> },
): FleetOverview {
  const clients = reports.map(({ client, period, comparable: summary }): FleetClient => {
    const previous = context.previous.get(client.id);
    return {
      client: client.id,
      displayName: client.displayName,
      stack: client.stack,
      schedule: period.schedule,
      ...summary,
      trend: previous === undefined ? null : trendOf(previous, summary),
    };
  });
  clients.sort(
    (a, b) =>
      verdictRank(a.status) - verdictRank(b.status) ||
      answersWith(b, "no") - answersWith(a, "no") ||
      answersWith(b, "not-verifiable") - answersWith(a, "not-verifiable") ||
      openFindings(b) - openFindings(a) ||
      (a.client < b.client ? -1 : a.client > b.client ? 1 : 0),
  );
  return {
    version: 1,
    kind: "steward-fleet-overview",
    generatedAt: context.generatedAt,
    date: context.date,
    summary: {
      no: clients.filter((client) => client.status === "no").length,
      notVerifiable: clients.filter((client) => client.status === "not-verifiable").length,
      yes: clients.filter((client) => client.status === "yes").length,
      problems: problems.length,
    },
    clients,
    problems: [...problems],
  };
}

/** One report a run wrote, with who receives it. */
export interface ManifestEntry {
  client: string;
  stack: string;
  schedule: ClientComplianceReport["period"]["schedule"];
  period: string;
  status: Verdict;
  recipients: string[];
  /** The files written, relative to the output folder, one per format. */
  files: string[];
}

/** What one run of `steward report --out DIR` wrote (DIR/manifest.json): what a scheduled job sends, and to whom. */
export interface ReportManifest {
  version: 1;
  kind: "steward-report-manifest";
  generatedAt: string;
  date: string;
  /** True for `--due`: only the reports due on `date`. */
  due: boolean;
  reports: ManifestEntry[];
  /** The fleet overview's files; empty when the run wrote none (one client, or `--due`). */
  overview: string[];
  problems: ClientProblem[];
}
