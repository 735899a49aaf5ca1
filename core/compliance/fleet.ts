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

/** The overview of a run's reports; `previous` holds the previous overview's clients by id. */
export function fleetOverview(
  reports: readonly ClientComplianceReport[],
  problems: readonly ClientProblem[],
  context: { generatedAt: string; date: string; previous: ReadonlyMap<string, Comparable> },
): FleetOverview {
  const clients = reports.map((report): FleetClient => {
    const summary = comparable(report);
    const previous = context.previous.get(report.client.id);
    return {
      client: report.client.id,
      displayName: report.client.displayName,
      stack: report.client.stack,
      schedule: report.period.schedule,
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
