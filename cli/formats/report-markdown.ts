// The compliance report as Markdown: a pull request comment, a wiki page or an e-mail body. It
// lays out core/compliance's model and decides nothing: every verdict, count and date is the
// model's. Every symbol is followed by its word, so the page reads without the emoji too.
import type { ClientComplianceReport, ClientProblem, FleetClient, FleetOverview, ReportManifest, Trend, Verdict, VerdictCounts } from "../../core/compliance";
import { QUESTIONS } from "../../core/compliance";
import { exceptionText } from "../../core/exceptions";
import type { Severity } from "../../core/document";
import { markdownCell as cell } from "./github";
import { unwrap } from "./common";

const MARK: Record<Verdict, string> = { yes: "✅ yes", no: "❌ no", "not-verifiable": "➖ not verifiable" };
const WAIVED = "✅ yes (waived)";
const LEGEND = "✅ yes: shown by the evidence · ✅ yes (waived): only because a valid waiver covers what would make it no · ❌ no · ➖ not verifiable here (the answer says who would know)";
const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

const verdictText = (answer: { verdict: Verdict; waived: boolean }): string => (answer.waived ? WAIVED : MARK[answer.verdict]);

const table = (headings: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [`| ${headings.join(" | ")} |`, `| ${headings.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.map((value) => (typeof value === "number" ? String(value) : value)).join(" | ")} |`)].join("\n");

const countsCells = (counts: VerdictCounts) => [counts.yes, counts.waived, counts.no, counts.notVerifiable];

const change = (from: number, to: number) => (to === from ? `${to} (=)` : `${from} → ${to} (${to > from ? "▲" : "▼"}${Math.abs(to - from)})`);

function periodText(report: ClientComplianceReport): string {
  const { period } = report;
  return `${period.label} (${period.start} to ${period.end}, ${period.schedule}${period.complete ? "" : ", in progress"})`;
}

function questionsSection(report: ClientComplianceReport): string {
  const rows = report.questions.map((question) => [
    question.number,
    cell(question.text),
    question.responsible,
    MARK[question.verdict],
    ...countsCells(question.counts),
  ]);
  const limits = report.questions.flatMap((question) => question.limits.map((limit) => `- Question ${question.number}: ${cell(limit.what)}. Who knows: ${cell(limit.whoKnows)}.`));
  return [
    "## The six questions",
    "",
    table(["#", "Question", "Answers for it", "Verdict", "✅ yes", "✅ yes (waived)", "❌ no", "➖ not verifiable"], rows),
    ...(limits.length > 0 ? ["", ...limits] : []),
  ].join("\n");
}

function machinesSection(report: ClientComplianceReport): string {
  if (report.endpoints.length === 0) return "## Machines\n\nThe client has no machines.";
  const rows = report.endpoints.map((row) => [
    `${cell(row.name)}${row.origin === "declared" ? "" : ` (${row.origin})`}`,
    cell(row.ring ?? "-"),
    ...QUESTIONS.map((question) => verdictText(row.answers[question.id])),
  ]);
  // The same reason on many machines is one line naming them.
  const reasons: string[] = [];
  for (const question of QUESTIONS) {
    const groups = new Map<string, { text: string; machines: string[] }>();
    for (const row of report.endpoints) {
      const answer = row.answers[question.id];
      if (answer.verdict === "yes" && !answer.waived) continue;
      const text = `${verdictText(answer)}: ${cell(answer.why)}${answer.whoKnows === null ? "" : `. Who would know: ${cell(answer.whoKnows)}`}${
        answer.waived ? `. ${answer.findings.flatMap((finding) => (finding.waiver ? [`Waived by ${cell(finding.waiver.approver)} until ${finding.waiver.expires}: ${cell(finding.waiver.reason)}`] : [])).join("; ")}` : ""
      }`;
      const group = groups.get(text) ?? { text, machines: [] };
      group.machines.push(row.name);
      groups.set(text, group);
    }
    for (const group of groups.values()) reasons.push(`- ${question.number} ${question.heading}, ${group.machines.map(cell).join(", ")}: ${group.text}`);
  }
  return [
    "## Machines",
    "",
    table(["Machine", "Ring", ...QUESTIONS.map((question) => `${question.number} ${question.heading}`)], rows),
    "",
    `Legend: ${LEGEND}.`,
    ...(reasons.length > 0 ? ["", "### Answers that are not a plain yes", "", ...reasons] : []),
    ...limitsLines(report),
  ].join("\n");
}

/** What the answers do not cover, once per question and limit. */
function limitsLines(report: ClientComplianceReport): string[] {
  const lines: string[] = [];
  for (const question of QUESTIONS) {
    const seen = new Set<string>();
    for (const row of report.endpoints) {
      for (const limit of row.answers[question.id].limits) {
        const line = `- ${question.number} ${question.heading}: ${cell(limit.what)}. Who knows: ${cell(limit.whoKnows)}.`;
        if (!seen.has(line)) lines.push(line);
        seen.add(line);
      }
    }
  }
  return lines.length === 0 ? [] : ["", "### What these answers cannot cover", "", ...lines];
}

function responsibilitiesSection(report: ClientComplianceReport): string {
  const tick = (yes: boolean) => (yes ? "✅ yes" : "");
  const contact = (entry: ClientComplianceReport["contacts"]["msp"][number]) => `- ${cell(entry.name)}, ${cell(entry.email)}${entry.phone === null ? "" : `, ${cell(entry.phone)}`}`;
  const tagFindings = report.findings.filter((finding) => finding.topic === "responsibilities");
  return [
    "## Who answers for what",
    "",
    table(
      ["Service", "MSP", "Client", "Shared", "Questions"],
      report.responsibilities.map((entry) => [
        entry.service,
        tick(entry.party === "msp"),
        tick(entry.party === "client"),
        tick(entry.party === "shared"),
        entry.questions.map((id) => QUESTIONS.find((question) => question.id === id)?.number).join(", ") || "-",
      ]),
    ),
    "",
    "MSP contacts:",
    "",
    ...report.contacts.msp.map(contact),
    "",
    "Client contacts:",
    "",
    ...report.contacts.client.map(contact),
    ...(tagFindings.length > 0 ? ["", `Resources whose tags do not say whose they are or who manages them: ${tagFindings.length} (see the findings).`] : []),
  ].join("\n");
}

function findingsSection(report: ClientComplianceReport): string {
  const { findings } = report.summary;
  const counts = `${SEVERITIES.map((severity) => `${findings[severity]} ${severity}`).join(", ")}; ${findings.waived} waived`;
  if (report.findings.length === 0) return `## Findings\n\nNone (${counts}).`;
  const fixes = new Map<string, string>();
  for (const finding of report.findings) if (finding.remediation !== "") fixes.set(finding.policy, unwrap(finding.remediation));
  return [
    "## Findings",
    "",
    `Open findings: ${counts}.`,
    "",
    table(
      ["Severity", "Policy", "Machine", "Finding", "Waiver"],
      report.findings.map((finding) => [
        finding.severity,
        `${cell(finding.policy)} (${finding.enforcement})`,
        cell(finding.endpoint ?? "whole client"),
        cell(finding.message),
        finding.waiver === null ? "-" : `waived by ${cell(finding.waiver.approver)} until ${finding.waiver.expires}`,
      ]),
    ),
    "",
    "How to fix them:",
    "",
    ...[...fixes].map(([policy, fix]) => `- ${cell(policy)}: ${cell(fix)}`),
  ].join("\n");
}

function exceptionsSection(report: ClientComplianceReport): string {
  const { waivers, notFullyEnforced } = report.exceptions;
  const invalid = report.findings.filter((finding) => finding.topic === "exceptions");
  const parts = ["## Waivers and enforcement exceptions", ""];
  if (waivers.length === 0) parts.push("No waivers.");
  else {
    parts.push(
      table(
        ["Policy", "Resource", "Approved by", "Expires", "Days left", "Valid", "Findings covered", "Reason"],
        waivers.map((waiver) => [
          cell(waiver.policy),
          cell(waiver.resource),
          cell(waiver.approver),
          waiver.expires,
          waiver.daysLeft,
          waiver.valid ? "✅ yes" : "❌ no",
          waiver.findings,
          cell(waiver.reason),
        ]),
      ),
    );
  }
  parts.push("", notFullyEnforced.length === 0 ? "Every policy is enforced at its default level." : "Not fully enforced for this client:");
  if (notFullyEnforced.length > 0) parts.push("", ...notFullyEnforced.map((entry) => `- ${cell(exceptionText(entry))}`));
  if (invalid.length > 0) parts.push("", ...invalid.map((finding) => `- ❌ ${cell(finding.message)}`));
  return parts.join("\n");
}

function driftSection(report: ClientComplianceReport): string {
  const { drift } = report;
  const parts = ["## Drift since the last update", "", cell(drift.description)];
  if (drift.resources.length > 0) {
    parts.push(
      "",
      table(
        ["Question", "Change", "Resource", "What changed", "What `pulumi up` does"],
        drift.resources.map((resource) => [
          resource.question,
          resource.kind,
          cell(resource.urn.slice(resource.urn.lastIndexOf("::") + 2)),
          cell(resource.kind === "deleted" ? "deleted outside Pulumi" : resource.changes.map((entry) => `${entry.path}: ${JSON.stringify(entry.expected)} → ${JSON.stringify(entry.actual)}`).join("; ")),
          cell(resource.restore),
        ]),
      ),
    );
  }
  return parts.join("\n");
}

function scheduleSection(report: ClientComplianceReport): string {
  const { schedule } = report;
  const rows = schedule.rings.flatMap((ring) => {
    const zone = `${cell(ring.timeZone)}${ring.ianaTimeZone === null ? "" : ` (${ring.ianaTimeZone})`}`;
    const machines = cell(ring.endpoints.join(", ") || "-");
    if (ring.windows.length === 0) return [[`${ring.order}. ${cell(ring.name)}`, machines, cell(ring.problem ?? "no window in these dates"), "-", zone]];
    return ring.windows.map((window) => [
      `${ring.order}. ${cell(ring.name)}`,
      machines,
      `${window.startLocal.replace("T", " ")} to ${window.endLocal.replace("T", " ")} (UTC${window.utcOffset})`,
      `${window.startUtc} to ${window.endUtc}`,
      zone,
    ]);
  });
  return [
    `## Patch windows from ${schedule.from} to ${schedule.to}`,
    "",
    "Each ring installs updates on Patch Tuesday (the second Tuesday of the month) plus its offset, at its start time in its time zone.",
    "",
    table(["Ring", "Machines", "Window (local time)", "Window (UTC)", "Time zone"], rows),
  ].join("\n");
}

function trendLines(trend: Trend): string[] {
  const lines = [
    `Compared with ${trend.previous.period} (generated ${trend.previous.generatedAt}):`,
    "",
    `- Status: ${MARK[trend.status.from]} → ${MARK[trend.status.to]}`,
    `- Open findings: ${change(trend.findings.from, trend.findings.to)}${SEVERITIES.filter((severity) => trend.findings.bySeverity[severity].from !== trend.findings.bySeverity[severity].to)
      .map((severity) => `; ${severity} ${change(trend.findings.bySeverity[severity].from, trend.findings.bySeverity[severity].to)}`)
      .join("")}`,
  ];
  for (const question of QUESTIONS) {
    const { from, to } = trend.questions[question.id];
    if (from.no !== to.no || from.notVerifiable !== to.notVerifiable || from.yes + from.waived !== to.yes + to.waived) {
      lines.push(`- ${question.number} ${question.heading}: ❌ no ${change(from.no, to.no)}, ➖ not verifiable ${change(from.notVerifiable, to.notVerifiable)}, ✅ yes ${change(from.yes + from.waived, to.yes + to.waived)}`);
    }
  }
  for (const entry of trend.changes) {
    const question = QUESTIONS.find((candidate) => candidate.id === entry.question);
    lines.push(`- ${cell(entry.endpoint)}, ${question?.number} ${question?.heading}: ${entry.from === null ? "(not in the previous report)" : MARK[entry.from]} → ${entry.to === null ? "(no longer reported)" : MARK[entry.to]}`);
  }
  return lines;
}

function provenanceSection(report: ClientComplianceReport): string {
  const { provenance } = report;
  return [
    "## Provenance",
    "",
    `Generated ${report.generatedAt} by steward ${provenance.stewardVersion} with the policy bundle built from Rego sources ${provenance.policyBundleHash} (sha256).`,
    "",
    table(
      ["Input", "File", "sha256"],
      provenance.inputs.map((input) => [input.role, cell(input.path), `\`${input.sha256}\``]),
    ),
  ].join("\n");
}

/** One client's report as a Markdown page. */
export function clientMarkdown(report: ClientComplianceReport): string {
  return `${[
    `# Compliance report: ${cell(report.client.displayName)}`,
    "",
    `- Period: ${periodText(report)}`,
    `- Status: ${MARK[report.status]} (the worst answer)`,
    `- Machines: ${report.summary.endpoints}; answers ✅ yes ${report.summary.answers.yes}, ✅ yes (waived) ${report.summary.answers.waived}, ❌ no ${report.summary.answers.no}, ➖ not verifiable ${report.summary.answers.notVerifiable}`,
    `- Evidence: ${report.basis.state}. ${cell(report.basis.description)}`,
    `- Coverage: ${cell(report.coverage.description)}`,
    `- Patch assessment: ${cell(report.patchAssessment.description)}`,
    `- Recipients: ${report.recipients.map(cell).join(", ") || "none"}`,
    "",
    questionsSection(report),
    "",
    machinesSection(report),
    "",
    responsibilitiesSection(report),
    "",
    findingsSection(report),
    "",
    exceptionsSection(report),
    "",
    driftSection(report),
    "",
    scheduleSection(report),
    ...(report.trend === null ? [] : ["", "## Trend", "", ...trendLines(report.trend)]),
    "",
    provenanceSection(report),
  ].join("\n")}\n`;
}

function trendText(trend: Trend | null): string {
  if (trend === null) return "-";
  const parts = [`findings ${change(trend.findings.from, trend.findings.to)}`];
  if (trend.status.from !== trend.status.to) parts.push(`status ${MARK[trend.status.from]} → ${MARK[trend.status.to]}`);
  parts.push(`${trend.changes.length} answer${trend.changes.length === 1 ? "" : "s"} changed`);
  return parts.join("; ");
}

const answersOf = (client: FleetClient, verdict: Verdict) => client.endpoints.reduce((sum, row) => sum + Object.values(row.answers).filter((answer) => answer === verdict).length, 0);

function problemLines(problems: readonly ClientProblem[]): string[] {
  return problems.length === 0 ? [] : ["", "## Clients that could not be reported", "", ...problems.map((entry) => `- ${cell(entry.stack)}: ${cell(entry.problem)}`)];
}

/** The fleet overview, each client linking to its report (`link`). */
export function overviewMarkdown(overview: FleetOverview, link: (client: FleetClient) => string): string {
  const { summary } = overview;
  return `${[
    `# Compliance overview, ${overview.date}`,
    "",
    `${overview.clients.length} clients, worst first: ❌ no ${summary.no}, ➖ not verifiable ${summary.notVerifiable}, ✅ yes ${summary.yes}${summary.problems > 0 ? `; ${summary.problems} could not be reported` : ""}.`,
    "",
    table(
      ["Client", "Status", "Period", "Machines", "❌ no", "➖ not verifiable", "✅ yes", "Open findings", "Trend"],
      overview.clients.map((client) => [
        `[${cell(client.displayName)}](${link(client)})`,
        MARK[client.status],
        client.period,
        client.endpoints.length,
        answersOf(client, "no"),
        answersOf(client, "not-verifiable"),
        answersOf(client, "yes"),
        SEVERITIES.map((severity) => `${client.findings[severity]} ${severity}`).join(", "),
        trendText(client.trend),
      ]),
    ),
    ...problemLines(overview.problems),
  ].join("\n")}\n`;
}

const anchor = (client: string) => `client-${client}`;

/** The overview and every report on one page, the overview linking down to each report. */
export function fleetMarkdown(overview: FleetOverview, reports: readonly ClientComplianceReport[]): string {
  return [overviewMarkdown(overview, (client) => `#${anchor(client.client)}`), ...reports.map((report) => `<a id="${anchor(report.client.id)}"></a>\n\n${clientMarkdown(report)}`)].join("\n");
}

/** What a run wrote, and who receives each report. */
export function manifestMarkdown(manifest: ReportManifest): string {
  const title = manifest.due ? `Reports due on ${manifest.date}` : `Reports written on ${manifest.date}`;
  return `${[
    `# ${title}`,
    "",
    manifest.reports.length === 0
      ? "None."
      : table(
          ["Client", "Period", "Status", "Recipients", "Files"],
          manifest.reports.map((entry) => [cell(entry.client), entry.period, MARK[entry.status], entry.recipients.map(cell).join(", "), entry.files.map(cell).join(", ")]),
        ),
    ...(manifest.overview.length > 0 ? ["", `Fleet overview: ${manifest.overview.map(cell).join(", ")}`] : []),
    ...problemLines(manifest.problems),
  ].join("\n")}\n`;
}
