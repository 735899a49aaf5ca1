// The compliance report as one self-contained HTML page per client: the page an MSP sends a
// client's manager. It reads top-down for a non-technical reader first (the verdict in words,
// then the six questions, each answered with counts, a chart and the reasons), then the details
// an engineer needs. Like the Markdown, it lays out core/compliance's model and decides nothing.
//
// The page needs no script and loads nothing: the style sheet and the charts are inline, the fonts
// are the reader's own, and a Content-Security-Policy forbids any request. Every value from the
// stack file or the report goes through report-html/markup.ts, which escapes it.
import type {
  Answer,
  ClientComplianceReport,
  ClientProblem,
  Contact,
  EndpointRow,
  Evidence,
  FleetClient,
  FleetOverview,
  Limit,
  QuestionSummary,
  ReportFinding,
  ReportManifest,
  ReportWaiver,
  RingSchedule,
  Trend,
  Verdict,
  VerdictCounts,
} from "../../core/compliance";
import { namePath } from "../../core/azure-id";
import { QUESTIONS } from "../../core/compliance";
import type { JsonValue, Party, Severity } from "../../core/document";
import { daysLeftText, exceptionEffect, exceptionLevel, unwrap } from "./common";
import { resourceName } from "./finding-list";
import { CHART_DEFS, donut, stackedBar, type ChartPart } from "./report-html/charts";
import { heading, html, joined, lines, Markup, page, type Content } from "./report-html/markup";
import { STYLE } from "./report-html/style";

/** How an answer shows: its verdict, or `waived` for a yes only a waiver makes. */
type Shown = Verdict | "waived";

const WORD: Readonly<Record<Shown, string>> = { yes: "Yes", waived: "Yes (waived)", no: "No", "not-verifiable": "Not verifiable here" };
// Symbols every system font has; each one is followed by its word, so colour never speaks alone.
const ICON: Readonly<Record<Shown, string>> = { yes: "✓", waived: "✓", no: "✗", "not-verifiable": "?" };
const PART: Readonly<Record<Shown, ChartPart>> = { yes: "yes", waived: "waived", no: "no", "not-verifiable": "notVerifiable" };
/** Worst first: how reasons are listed. */
const WORST_FIRST: readonly Shown[] = ["no", "not-verifiable", "waived", "yes"];
/** The charts' order, which their legends and counts in words follow. */
const CHART_ORDER: readonly Shown[] = ["yes", "waived", "no", "not-verifiable"];
const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];
const PARTY: Readonly<Record<Party, string>> = { msp: "the MSP", client: "the client's own staff", shared: "the MSP and the client's staff together" };
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const shownOf = (answer: Pick<Answer, "verdict" | "waived">): Shown => (answer.waived ? "waived" : answer.verdict);

/** The word in a table's narrow column. */
const shortWord = (answer: Pick<Answer, "verdict" | "waived">): string => (answer.verdict === "not-verifiable" ? "Not verifiable" : WORD[shownOf(answer)]);

const badge = (shown: Shown, word = WORD[shown]): Markup => html`<span class="verdict verdict-${shown}"><span class="icon" aria-hidden="true">${ICON[shown]}</span> ${word}</span>`;

const plural = (count: number, word: string): string => `${count} ${count === 1 ? word : `${word}s`}`;

/** Text from the model, with its `code spans` set as code. */
const prose = (text: string): Markup => joined(text.split("`").map((part, index) => (index % 2 === 1 ? html`<code>${part}</code>` : part)), "");

/** `2026-11-30` → `30 November 2026` (with its weekday: `Monday 30 November 2026`). */
function dayText(day: string, options: { weekday?: boolean } = {}): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, date)).getUTCDay()] as string;
  return `${options.weekday ? `${weekday} ` : ""}${date} ${MONTHS[month - 1]} ${year}`;
}

/** `2026-12-09T22:00` (or with seconds and Z) → `Wednesday 9 December 2026, 22:00`. */
const timeText = (time: string, options: { weekday?: boolean } = {}): string => `${dayText(time.slice(0, 10), options)}, ${time.slice(11, 16)}`;

/** `8 yes, 2 no`: the parts that are not zero, in words. */
function countsText(counts: VerdictCounts): string {
  const parts = CHART_ORDER.filter((shown) => counts[PART[shown]] > 0).map((shown) => `${counts[PART[shown]]} ${WORD[shown].toLowerCase()}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/** The same counts as a legend: an icon, a number and a word for each part that is not zero. */
function legend(counts: VerdictCounts): Markup {
  const parts = CHART_ORDER.filter((shown) => counts[PART[shown]] > 0);
  return html`<ul class="legend">${parts.map((shown) => html`<li>${badge(shown, `${counts[PART[shown]]} ${WORD[shown].toLowerCase()}`)}</li>`)}</ul>`;
}

function table(options: { caption?: Content; className?: string; headings: readonly Content[]; rows: readonly Markup[] }): Markup {
  return lines([
    html`<table${options.className === undefined ? "" : html` class="${options.className}"`}>`,
    options.caption === undefined ? null : html`<caption>${options.caption}</caption>`,
    html`<thead><tr>${options.headings.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>`,
    html`<tbody>`,
    ...options.rows,
    html`</tbody>`,
    html`</table>`,
  ]);
}

/** Where a report sits: alone on its page (level 1, plain ids), or within the fleet page (one level down, ids prefixed). */
interface Placement {
  level: number;
  id: (name: string) => string;
}

const STANDALONE: Placement = { level: 1, id: (name) => name };

/** A section of the report, its heading one level below the report's title. */
function section(placement: Placement, name: string, title: Content, body: readonly Content[], className?: string): Markup {
  const id = placement.id(name);
  return lines([html`<section id="${id}"${className === undefined ? "" : html` class="${className}"`} aria-labelledby="${id}-title">`, heading(placement.level + 1, `${id}-title`, title), ...body, html`</section>`]);
}

// The manager's part: the verdict in words, then the six questions.

const statusCounts = (rows: readonly EndpointRow[]): VerdictCounts => ({
  yes: rows.filter((row) => row.status === "yes" && !QUESTIONS.some((question) => row.answers[question.id].waived)).length,
  waived: rows.filter((row) => row.status === "yes" && QUESTIONS.some((question) => row.answers[question.id].waived)).length,
  no: rows.filter((row) => row.status === "no").length,
  notVerifiable: rows.filter((row) => row.status === "not-verifiable").length,
});

const HEADLINE: Readonly<Record<Verdict, string>> = {
  no: "Action needed: some answers are no",
  "not-verifiable": "Nothing was found wrong, but not everything can be verified here",
  yes: "Every question is answered yes on every machine",
};

/** "Of the 10 machines, 5 have at least one answer no, 5 have answers that cannot be verified from here … and 0 have every answer yes." */
function verdictSentence(report: ClientComplianceReport, machines: VerdictCounts): string {
  const total = report.endpoints.length;
  if (total === 0) return "The client has no machines, so none of the six questions can be answered for any.";
  const has = (count: number) => (count === 1 ? "has" : "have");
  const parts = [
    machines.no > 0 ? `${machines.no} ${has(machines.no)} at least one answer no` : null,
    machines.notVerifiable > 0 ? `${machines.notVerifiable} ${has(machines.notVerifiable)} answers that cannot be verified from here (each question below says who would know)` : null,
    machines.waived > 0 ? `${machines.waived} ${has(machines.waived)} every answer yes only because a waiver covers what would make one no` : null,
    `${machines.yes} ${has(machines.yes)} every answer yes`,
  ].filter((part): part is string => part !== null);
  const last = parts.pop() as string;
  return `Of the ${plural(total, "machine")}, ${parts.length === 0 ? last : `${parts.join(", ")} and ${last}`}.`;
}

function summarySection(report: ClientComplianceReport, placement: Placement): Markup {
  const machines = statusCounts(report.endpoints);
  const total = report.endpoints.length;
  const title = `Machines by status, of ${plural(total, "machine")}: ${countsText(machines)}`;
  return section(placement, "summary", "Summary", [
    html`<div class="overall overall-${report.status}">`,
    html`<p class="headline">${badge(report.status)} <strong>${HEADLINE[report.status]}.</strong></p>`,
    html`<p>${verdictSentence(report, machines)}</p>`,
    report.trend === null ? null : html`<p>Since the previous report (${report.trend.previous.period}): ${trendText(report.trend)}.</p>`,
    html`</div>`,
    html`<div class="summary-chart">`,
    donut(title, machines, { value: `${machines.yes + machines.waived}/${total}`, caption: "all yes" }),
    html`<div><p class="chart-caption">Machines with every answer yes: ${machines.yes + machines.waived} of ${total}.</p>${legend(machines)}</div>`,
    html`</div>`,
    questionsTable(report, placement),
    html`<dl class="facts">`,
    html`<dt>What was checked</dt><dd>${prose(report.basis.description)}</dd>`,
    html`<dt>Machines nobody declared</dt><dd>${prose(report.coverage.description)}</dd>`,
    html`<dt>Security updates installed</dt><dd>${prose(report.patchAssessment.description)}</dd>`,
    html`<dt>Answers</dt><dd>${countsText(report.summary.answers)} (${plural(total, "machine")} × 6 questions)</dd>`,
    html`</dl>`,
  ]);
}

/** Answers that are not a plain yes, grouped: the same reason on many machines is one entry naming them. */
function reasons(report: ClientComplianceReport, question: QuestionSummary): Markup | null {
  const groups = new Map<string, { shown: Shown; answer: Answer; machines: string[] }>();
  for (const row of report.endpoints) {
    const answer = row.answers[question.id];
    const shown = shownOf(answer);
    if (shown === "yes") continue;
    const key = JSON.stringify([shown, answer.why, answer.whoKnows, waiverLines(answer)]);
    const group = groups.get(key) ?? { shown, answer, machines: [] };
    group.machines.push(row.name);
    groups.set(key, group);
  }
  if (groups.size === 0) return null;
  const ordered = [...groups.values()].sort((a, b) => WORST_FIRST.indexOf(a.shown) - WORST_FIRST.indexOf(b.shown));
  return lines([
    html`<ul class="reasons">`,
    ...ordered.map(
      ({ shown, answer, machines }) =>
        html`<li>${badge(shown)} on <strong>${joined(machines, ", ")}</strong>: ${prose(answer.why)}.${
          answer.whoKnows === null ? "" : html` <span class="who-knows">Who would know: ${prose(answer.whoKnows)}.</span>`
        }${waiverLines(answer).map((text) => html` ${text}.`)}</li>`,
    ),
    html`</ul>`,
  ]);
}

function waiverLines(answer: Answer): string[] {
  return answer.findings.flatMap((finding) => (finding.waiver === null ? [] : [`Waived by ${finding.waiver.approver} until ${finding.waiver.expires}: ${finding.waiver.reason}`]));
}

/** What no answer to the question covers, once each: the question's own limits and every answer's. */
function limits(report: ClientComplianceReport, question: QuestionSummary): Markup | null {
  const seen = new Map<string, Limit>();
  for (const limit of [...question.limits, ...report.endpoints.flatMap((row) => row.answers[question.id].limits)]) seen.set(JSON.stringify([limit.what, limit.whoKnows]), limit);
  if (seen.size === 0) return null;
  return html`<div class="limits"><p>Not covered by these answers:</p><ul>${[...seen.values()].map(
    (limit) => html`<li>${prose(limit.what)}. <span class="who-knows">Who knows: ${prose(limit.whoKnows)}.</span></li>`,
  )}</ul></div>`;
}

/** `on 10 machines: 8 yes, 2 no` (or that there are none). */
const onMachines = (total: number, counts: VerdictCounts): string => (total === 0 ? "no machines to answer for" : `on ${plural(total, "machine")}: ${countsText(counts)}`);

/** The six questions at a glance: each one's answer, who answers for it, and its machines as a chart. */
function questionsTable(report: ClientComplianceReport, placement: Placement): Markup {
  const total = report.endpoints.length;
  return table({
    className: "glance",
    caption: "The six questions at a glance",
    headings: ["Question", "Answer", "Who answers for it", "Machines"],
    rows: report.questions.map(
      (question) =>
        html`<tr><th scope="row"><a href="#${placement.id(`question-${question.id}`)}">${question.number}. ${question.text}</a></th><td>${badge(question.verdict)}</td><td>${PARTY[question.responsible]}<br><span class="note">${
          question.service
        }</span></td><td>${stackedBar(`Question ${question.number}, ${onMachines(total, question.counts)}`, question.counts)}${total === 0 ? html`<p>No machines.</p>` : legend(question.counts)}</td></tr>`,
    ),
  });
}

/** One question's answer with its reasons: what made it no or not verifiable, on which machines, and what it cannot cover. */
function questionBlock(report: ClientComplianceReport, question: QuestionSummary, placement: Placement): Markup {
  const id = placement.id(`question-${question.id}`);
  return lines([
    html`<section class="question" id="${id}" aria-labelledby="${id}-title">`,
    heading(placement.level + 2, `${id}-title`, `${question.number}. ${question.text}`),
    html`<p class="answer">${badge(question.verdict)} ${onMachines(report.endpoints.length, question.counts)}.</p>`,
    reasons(report, question),
    limits(report, question),
    html`</section>`,
  ]);
}

function questionsSection(report: ClientComplianceReport, placement: Placement): Markup {
  return section(placement, "questions", "The six questions", [
    html`<p>Each question is answered for every machine from what steward could see. ${badge("yes")} means the evidence shows it (${badge(
      "waived",
    )}: only because a valid waiver covers what would make it no), ${badge("no")} means the evidence shows it is not so, and ${badge(
      "not-verifiable",
    )} means the evidence that would decide it is held somewhere else: the answer says where.</p>`,
    ...report.questions.map((question) => questionBlock(report, question, placement)),
  ]);
}

// The engineer's part.

const ORIGIN: Readonly<Record<EndpointRow["origin"], string>> = {
  declared: "declared in the stack file",
  undeclared: "deployed but not declared in the stack file",
  inventory: "only in the Azure inventory: nothing manages it",
  unrecognized: "a machine type steward does not read",
};

const KIND: Readonly<Record<EndpointRow["kind"], string>> = {
  "azure-vm": "Azure VM",
  "arc-machine": "Azure Arc machine",
  "vm-scale-set": "VM scale set",
  "vm-scale-set-instance": "VM scale set instance",
  unrecognized: "unrecognized machine",
};

function machinesTable(report: ClientComplianceReport, placement: Placement): Markup {
  if (report.endpoints.length === 0) return html`<p>The client has no machines.</p>`;
  return table({
    className: "matrix",
    caption: "Each machine's answer to each question",
    headings: ["Machine", "Ring", ...QUESTIONS.map((question) => html`${question.number}. ${question.heading}`)],
    rows: report.endpoints.map(
      (row, index) =>
        html`<tr><th scope="row"><a href="#${placement.id(`machine-${index + 1}`)}">${row.name}</a>${
          row.origin === "declared" ? "" : html`<br><span class="note">${ORIGIN[row.origin]}</span>`
        }</th><td>${row.ring ?? "none"}</td>${QUESTIONS.map((question) => html`<td>${badge(shownOf(row.answers[question.id]), shortWord(row.answers[question.id]))}</td>`)}</tr>`,
    ),
  });
}

/** An evidence value as the source shows it; what Pulumi hides or does not yet know, in words. */
function valueText(value: JsonValue): string {
  if (value === null) return "(absent)";
  if (typeof value === "object" && !Array.isArray(value) && value.$unknown === true) return "(unknown until apply)";
  if (typeof value === "object" && !Array.isArray(value) && value.$secret === true) return "(secret)";
  return JSON.stringify(value);
}

/** A resource as evidence names it: a Pulumi resource by its name; an Azure resource by its name and,
 *  when it is a child (a machine's patch assessment, one of its updates), its parent's. */
const evidenceName = (resource: string): string => namePath(resource) ?? resourceName(resource);

/** An answer's evidence, one entry per resource and policy: `resource (policy): setting = value; …`. */
function evidenceList(evidence: readonly Evidence[]): Markup {
  const groups = new Map<string, Evidence[]>();
  for (const entry of evidence) {
    const key = JSON.stringify([entry.resource, entry.policy]);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return html`<ul class="evidence-list">${[...groups.values()].map(
    (entries) =>
      html`<li><code>${evidenceName((entries[0] as Evidence).resource)}</code> <span class="note">(${(entries[0] as Evidence).policy})</span>: ${joined(
        entries.map((entry) => html`<code>${entry.setting}</code> = <code>${valueText(entry.value)}</code>`),
        "; ",
      )}</li>`,
  )}</ul>`;
}

function machineEvidence(row: EndpointRow, index: number, placement: Placement): Markup {
  const id = placement.id(`machine-${index + 1}`);
  const facts = [KIND[row.kind], row.os === "unknown" ? "operating system unknown" : row.os === "windows" ? "Windows" : "Linux", row.role, row.ring === null ? "in no update ring" : `update ring ${row.ring}`, ORIGIN[row.origin]];
  return lines([
    html`<section class="machine" id="${id}" aria-labelledby="${id}-title">`,
    heading(placement.level + 3, `${id}-title`, row.name),
    html`<p>${joined(facts.filter((fact): fact is string => fact !== null), " · ")}.<br>Resource: <code>${row.resource}</code></p>`,
    table({
      className: "evidence",
      headings: ["Question", "Answer", "Why", "Evidence"],
      rows: QUESTIONS.map((question) => {
        const answer = row.answers[question.id];
        return html`<tr><th scope="row">${question.number}. ${question.heading}</th><td>${badge(shownOf(answer), shortWord(answer))}</td><td>${prose(answer.why)}${
          answer.whoKnows === null ? "" : html`<br><span class="who-knows">Who would know: ${prose(answer.whoKnows)}</span>`
        }${waiverLines(answer).map((text) => html`<br>${text}`)}</td><td>${answer.evidence.length === 0 ? "none" : evidenceList(answer.evidence)}</td></tr>`;
      }),
    }),
    html`</section>`,
  ]);
}

function machinesSection(report: ClientComplianceReport, placement: Placement): Markup {
  return section(placement, "machines", "Machines and their answers", [
    machinesTable(report, placement),
    report.endpoints.length === 0 ? null : heading(placement.level + 2, placement.id("evidence"), "The evidence, machine by machine"),
    ...report.endpoints.map((row, index) => machineEvidence(row, index, placement)),
  ]);
}

const waiverText = (waiver: ReportFinding["waiver"]): Content => (waiver === null ? "none" : `waived by ${waiver.approver} until ${waiver.expires}: ${waiver.reason}`);

/** One policy's findings of one severity: what it checks, where it found what, and how to fix it. */
function policyFindings(findings: readonly ReportFinding[]): Markup {
  const first = findings[0] as ReportFinding;
  return lines([
    html`<div class="policy-findings">`,
    html`<p class="policy-title"><strong>${first.title}</strong> <code>${first.policy}</code> <span class="note">(${first.enforcement}, ${plural(findings.length, "finding")})</span></p>`,
    table({
      headings: ["Machine", "Finding", "Waiver"],
      rows: findings.map((finding) => html`<tr><td class="name">${finding.endpoint ?? "whole client"}</td><td>${prose(finding.message)}</td><td>${waiverText(finding.waiver)}</td></tr>`),
    }),
    first.remediation === ""
      ? null
      : html`<div class="fix">${unwrap(first.remediation)
          .split("\n\n")
          .map((paragraph, index) => html`<p>${index === 0 ? html`<strong>How to fix:</strong> ` : ""}${prose(paragraph)}</p>`)}</div>`,
    html`</div>`,
  ]);
}

function findingsSection(report: ClientComplianceReport, placement: Placement): Markup {
  const { findings } = report.summary;
  const counts = `${SEVERITIES.map((severity) => `${findings[severity]} ${severity}`).join(", ")}; ${findings.waived} waived`;
  return section(placement, "findings", "Findings", [
    html`<p>${report.findings.length === 0 ? `None (${counts}).` : `Open findings: ${counts}.`}</p>`,
    ...SEVERITIES.map((severity) => {
      const ofSeverity = report.findings.filter((finding) => finding.severity === severity);
      if (ofSeverity.length === 0) return null;
      const byPolicy = new Map<string, ReportFinding[]>();
      for (const finding of ofSeverity) byPolicy.set(finding.policy, [...(byPolicy.get(finding.policy) ?? []), finding]);
      return lines([
        heading(placement.level + 2, placement.id(`findings-${severity}`), html`<span class="severity">${severity}</span> (${ofSeverity.length})`),
        ...[...byPolicy.values()].map(policyFindings),
      ]);
    }),
  ]);
}

/** "81 days left", "its last day", "expired 3 days ago" (a waiver, unlike an enforcement exception, may be listed after it expired). */
const waiverDaysLeft = (waiver: ReportWaiver): string =>
  waiver.daysLeft > 0 ? `${plural(waiver.daysLeft, "day")} left` : waiver.daysLeft === 0 ? "its last day" : `expired ${plural(-waiver.daysLeft, "day")} ago`;

function exceptionsSection(report: ClientComplianceReport, placement: Placement): Markup {
  const { waivers, notFullyEnforced } = report.exceptions;
  const invalid = report.findings.filter((finding) => finding.topic === "exceptions");
  return section(placement, "exceptions", "Waivers and enforcement exceptions", [
    waivers.length === 0
      ? html`<p>No waivers.</p>`
      : table({
          caption: "Waivers",
          headings: ["Policy and resource", "Approved by", "Expires", "Applies", "Reason"],
          rows: waivers.map(
            (waiver) =>
              html`<tr><td><code>${waiver.policy}</code><br><code>${waiver.resource === "*" ? "* (every resource)" : resourceName(waiver.resource)}</code></td><td>${waiver.approver}</td><td>${waiver.expires}<br>${waiverDaysLeft(
                waiver,
              )}</td><td>${waiver.valid ? badge("yes", "Valid") : badge("no", "Not valid")}<br>covers ${plural(waiver.findings, "finding")}</td><td>${waiver.reason}</td></tr>`,
          ),
        }),
    notFullyEnforced.length === 0
      ? html`<p>Every policy is enforced at its default level.</p>`
      : table({
          caption: "Policies not fully enforced for this client",
          headings: ["Policy", "Instead", "Approved by", "Expires", "Effect", "Reason"],
          rows: notFullyEnforced.map(
            (entry) =>
              html`<tr><td>${entry.title}<br><code>${entry.policy}</code> <span class="note">(${entry.severity})</span></td><td>${exceptionLevel(entry)}</td><td>${entry.approver}</td><td>${entry.expires}<br>${daysLeftText(
                entry,
              )}</td><td>${exceptionEffect(entry)}</td><td>${entry.reason}</td></tr>`,
          ),
        }),
    invalid.length === 0 ? null : html`<ul class="reasons">${invalid.map((finding) => html`<li>${badge("no")} ${prose(finding.message)}</li>`)}</ul>`,
  ]);
}

const changeValue = (value: JsonValue | string): string => JSON.stringify(value);

function driftSection(report: ClientComplianceReport, placement: Placement): Markup {
  const { drift } = report;
  return section(placement, "drift", "Drift since the last update", [
    html`<p>${prose(drift.description)}</p>`,
    drift.resources.length === 0
      ? null
      : table({
          headings: ["Affects", "Change", "Resource", "What changed", html`What <code>pulumi up</code> does`],
          rows: drift.resources.map(
            (resource) =>
              html`<tr><td>${resource.question}</td><td>${resource.kind === "deleted" ? "deleted outside Pulumi" : "changed outside Pulumi"}</td><td><code>${resourceName(resource.urn)}</code></td><td>${
                resource.kind === "deleted"
                  ? "the resource is gone"
                  : html`<ul class="evidence-list">${resource.changes.map((change) => html`<li><code>${change.path}</code>: <code>${changeValue(change.expected)}</code> → <code>${changeValue(change.actual)}</code></li>`)}</ul>`
              }</td><td>${prose(resource.restore)}</td></tr>`,
          ),
        }),
  ]);
}

function ringRows(ring: RingSchedule): Markup[] {
  const name = html`<th scope="row">${ring.order}. ${ring.name}</th>`;
  const machines = html`<td>${ring.endpoints.length === 0 ? "none" : joined(ring.endpoints, ", ")}</td>`;
  const zone = (offset: string) => html`<td>${ring.timeZone}${offset}${ring.ianaTimeZone === null ? "" : html`<br><span class="note">${ring.ianaTimeZone}</span>`}</td>`;
  // A window's local time, and the same instant in UTC below it.
  const when = (local: string, utc: string) => html`<td>${timeText(local, { weekday: true })}<br><span class="note">${utc.slice(0, 16).replace("T", " ")} UTC</span></td>`;
  if (ring.windows.length === 0) return [html`<tr>${name}${machines}<td colspan="2">${ring.problem ?? "no window in these dates"}</td>${zone("")}</tr>`];
  return ring.windows.map((window) => html`<tr>${name}${machines}${when(window.startLocal, window.startUtc)}${when(window.endLocal, window.endUtc)}${zone(` (UTC${window.utcOffset})`)}</tr>`);
}

function scheduleSection(report: ClientComplianceReport, placement: Placement): Markup {
  const { schedule } = report;
  return section(placement, "schedule", `Patch windows from ${dayText(schedule.from)} to ${dayText(schedule.to)}`, [
    html`<p>Each update ring installs updates on Patch Tuesday (the second Tuesday of the month) plus its offset, at its start time in its own time zone. Times are local to the ring, with UTC below.</p>`,
    schedule.rings.length === 0 ? html`<p>No update rings.</p>` : table({ headings: ["Ring", "Machines", "Starts", "Ends", "Time zone"], rows: schedule.rings.flatMap(ringRows) }),
  ]);
}

const contactItem = (contact: Contact): Markup => html`<li>${contact.name}, ${contact.email}${contact.phone === null ? "" : `, ${contact.phone}`}</li>`;

function responsibilitiesSection(report: ClientComplianceReport, placement: Placement): Markup {
  const tick = (yes: boolean): Content => (yes ? badge("yes", "Yes") : "");
  const tagFindings = report.findings.filter((finding) => finding.topic === "responsibilities");
  return section(placement, "responsibilities", "Who answers for what", [
    table({
      className: "responsibilities",
      headings: ["Service", "MSP", "Client", "Shared", "Questions"],
      rows: report.responsibilities.map(
        (entry) =>
          html`<tr><th scope="row">${entry.service}</th><td>${tick(entry.party === "msp")}</td><td>${tick(entry.party === "client")}</td><td>${tick(entry.party === "shared")}</td><td>${
            entry.questions.length === 0 ? "none" : joined(entry.questions.map((id) => String(QUESTIONS.find((question) => question.id === id)?.number)), ", ")
          }</td></tr>`,
      ),
    }),
    html`<div class="contacts"><div><p>MSP contacts:</p><ul>${report.contacts.msp.map(contactItem)}</ul></div><div><p>Client contacts:</p><ul>${report.contacts.client.map(contactItem)}</ul></div></div>`,
    tagFindings.length === 0 ? null : html`<p>Resources whose tags do not say whose they are or who manages them: ${tagFindings.length} (see the findings).</p>`,
  ]);
}

const change = (from: number, to: number): string => (to === from ? `${to}, unchanged` : `${from} → ${to} (${Math.abs(to - from)} ${to > from ? "more" : "fewer"})`);
const verdictWord = (verdict: Verdict | null): string => (verdict === null ? "not reported" : WORD[verdict].toLowerCase());

/** "overall not verifiable here then, no now; open findings 8 → 14 (6 more); 15 answers changed" */
function trendText(trend: Trend): string {
  const status = trend.status.from === trend.status.to ? `still ${verdictWord(trend.status.to)}` : `${verdictWord(trend.status.from)} then, ${verdictWord(trend.status.to)} now`;
  return `overall ${status}; open findings ${change(trend.findings.from, trend.findings.to)}; ${plural(trend.changes.length, "answer")} changed`;
}

function trendSection(trend: Trend, placement: Placement): Markup {
  const questions = QUESTIONS.filter((question) => JSON.stringify(trend.questions[question.id].from) !== JSON.stringify(trend.questions[question.id].to));
  return section(placement, "trend", "Since the previous report", [
    html`<p>Compared with the report for ${trend.previous.period}, generated ${timeText(trend.previous.generatedAt)} UTC: ${trendText(trend)}.</p>`,
    questions.length === 0
      ? null
      : table({
          caption: "Questions whose counts changed",
          headings: ["Question", "Then", "Now"],
          rows: questions.map(
            (question) =>
              html`<tr><th scope="row">${question.number}. ${question.heading}</th><td>${countsText(trend.questions[question.id].from)}</td><td>${countsText(trend.questions[question.id].to)}</td></tr>`,
          ),
        }),
    trend.changes.length === 0
      ? null
      : table({
          caption: "Answers that changed",
          headings: ["Machine", "Question", "Then", "Now"],
          rows: trend.changes.map((entry) => {
            const question = QUESTIONS.find((candidate) => candidate.id === entry.question);
            return html`<tr><th scope="row">${entry.endpoint}</th><td>${question?.number}. ${question?.heading}</td><td>${entry.from === null ? "not in that report" : badge(entry.from)}</td><td>${
              entry.to === null ? "no longer reported" : badge(entry.to)
            }</td></tr>`;
          }),
        }),
  ]);
}

function provenanceSection(report: ClientComplianceReport, placement: Placement): Markup {
  const { provenance } = report;
  return section(placement, "provenance", "Provenance", [
    html`<dl class="facts">`,
    html`<dt>Generated</dt><dd>${report.generatedAt}</dd>`,
    html`<dt>By</dt><dd>steward ${provenance.stewardVersion}</dd>`,
    html`<dt>Policy bundle</dt><dd>built from Rego sources with sha256 <code class="hash">${provenance.policyBundleHash}</code></dd>`,
    html`<dt>Judged state</dt><dd>${report.basis.state}</dd>`,
    html`</dl>`,
    table({
      className: "inputs",
      caption: "Inputs, with the sha256 of each file as read",
      headings: ["Input", "File", "sha256"],
      rows: provenance.inputs.map((input) => html`<tr><td>${input.role}</td><td><code>${input.path}</code></td><td><code class="hash">${input.sha256}</code></td></tr>`),
    }),
  ]);
}

function periodText(report: ClientComplianceReport): string {
  const { period } = report;
  return `${period.label}: ${dayText(period.start)} to ${dayText(period.end)} (${period.schedule}${period.complete ? "" : ", in progress"})`;
}

function clientHeader(report: ClientComplianceReport, placement: Placement, landmark: boolean): Markup {
  const tag = new Markup(landmark ? "header" : "div");
  return lines([
    html`<${tag} class="report-header">`,
    html`<p class="kicker">Compliance report</p>`,
    heading(placement.level, placement.id("report-title"), report.client.displayName),
    html`<dl class="facts">`,
    html`<dt>Period</dt><dd>${periodText(report)}</dd>`,
    html`<dt>Prepared for</dt><dd>${report.recipients.length === 0 ? "no recipients" : joined(report.recipients, ", ")}</dd>`,
    html`<dt>Generated</dt><dd>${timeText(report.generatedAt)} UTC by steward ${report.provenance.stewardVersion}</dd>`,
    html`</dl>`,
    html`</${tag}>`,
  ]);
}

function contents(report: ClientComplianceReport, placement: Placement, label: string): Markup {
  const entries: Array<[string, string]> = [
    ["summary", "Summary"],
    ["questions", "The six questions"],
    ["details", "Details for engineers"],
    ["machines", "Machines and their answers"],
    ["findings", "Findings"],
    ["exceptions", "Waivers and enforcement exceptions"],
    ["drift", "Drift since the last update"],
    ["schedule", "Patch windows"],
    ["responsibilities", "Who answers for what"],
    ...(report.trend === null ? [] : ([["trend", "Since the previous report"]] as Array<[string, string]>)),
    ["provenance", "Provenance"],
  ];
  return html`<nav class="contents" aria-label="${label}"><ol>${entries.map(([name, text]) => html`<li><a href="#${placement.id(name)}">${text}</a></li>`)}</ol></nav>`;
}

/** The report's sections, from the verdict down to the provenance. */
function clientSections(report: ClientComplianceReport, placement: Placement): Markup {
  const deeper: Placement = { level: placement.level + 1, id: placement.id };
  return lines([
    summarySection(report, placement),
    questionsSection(report, placement),
    section(placement, "details", "Details for engineers", [
      html`<p>What the answers above rest on: every machine's evidence, the findings with how to fix them, the exceptions, drift, the patch schedule, who answers for what, and where this report comes from.</p>`,
      machinesSection(report, deeper),
      findingsSection(report, deeper),
      exceptionsSection(report, deeper),
      driftSection(report, deeper),
      scheduleSection(report, deeper),
      responsibilitiesSection(report, deeper),
      report.trend === null ? null : trendSection(report.trend, deeper),
      provenanceSection(report, deeper),
    ], "details"),
  ]);
}

/** One client's report as a page of its own. */
export function clientHtml(report: ClientComplianceReport): string {
  return page({
    title: `Compliance report: ${report.client.displayName}, ${report.period.label}`,
    description: `Antivirus and patching compliance of ${report.client.displayName} for ${report.period.label}: ${WORD[report.status].toLowerCase()}.`,
    generator: `steward ${report.provenance.stewardVersion}`,
    style: STYLE,
    body: lines([CHART_DEFS, clientHeader(report, STANDALONE, true), contents(report, STANDALONE, "Contents"), html`<main>`, clientSections(report, STANDALONE), html`</main>`, footer(report.generatedAt, report.provenance.stewardVersion)]),
  });
}

const footer = (generatedAt: string, version: string | null): Markup =>
  html`<footer><p>Generated ${timeText(generatedAt)} UTC${version === null ? "" : ` by steward ${version}`}. This page is self-contained: it loads nothing and prints on A4.</p></footer>`;

// The fleet overview.

const answersOf = (client: FleetClient): VerdictCounts => {
  const counts: VerdictCounts = { yes: 0, waived: 0, no: 0, notVerifiable: 0 };
  for (const question of QUESTIONS) {
    const summary = client.questions[question.id];
    counts.yes += summary.yes;
    counts.waived += summary.waived;
    counts.no += summary.no;
    counts.notVerifiable += summary.notVerifiable;
  }
  return counts;
};

function overviewTrend(trend: Trend | null): Content {
  if (trend === null) return "no previous report";
  return [
    trend.status.from === trend.status.to ? null : `status ${verdictWord(trend.status.from)} → ${verdictWord(trend.status.to)}`,
    `open findings ${change(trend.findings.from, trend.findings.to)}`,
    `${plural(trend.changes.length, "answer")} changed`,
  ]
    .filter((part) => part !== null)
    .join("; ");
}

function problemsSection(problems: readonly ClientProblem[], level: number): Markup | null {
  if (problems.length === 0) return null;
  return lines([
    html`<section id="problems" aria-labelledby="problems-title">`,
    heading(level, "problems-title", "Clients that could not be reported"),
    html`<ul class="reasons">${problems.map((entry) => html`<li>${badge("no", "Not reported")} <strong>${entry.stack}</strong>: ${entry.problem}</li>`)}</ul>`,
    html`</section>`,
  ]);
}

function overviewBody(overview: FleetOverview, link: (client: FleetClient) => string): Markup {
  const { summary } = overview;
  const statuses: VerdictCounts = { yes: summary.yes, waived: 0, no: summary.no, notVerifiable: summary.notVerifiable };
  return lines([
    html`<section id="overview" aria-labelledby="overview-title">`,
    heading(2, "overview-title", "Clients, worst first"),
    html`<div class="summary-chart">`,
    donut(`Clients by status, of ${overview.clients.length}: ${countsText(statuses)}`, statuses, { value: `${summary.yes}/${overview.clients.length}`, caption: "all yes" }),
    html`<div><p class="chart-caption">${plural(overview.clients.length, "client")} reported${summary.problems > 0 ? `, ${summary.problems} could not be` : ""}.</p>${legend(statuses)}</div>`,
    html`</div>`,
    table({
      className: "fleet",
      headings: ["Client", "Status", "Period", "Machines", "Answers", "Open findings", "Since the previous report"],
      rows: overview.clients.map((client) => {
        const answers = answersOf(client);
        return html`<tr><th scope="row"><a href="${link(client)}">${client.displayName}</a></th><td>${badge(client.status)}</td><td>${client.period}<br><span class="note">${client.schedule}</span></td><td>${client.endpoints.length}</td><td>${stackedBar(
          `${client.displayName}, answers: ${countsText(answers)}`,
          answers,
        )}<span class="note">${countsText(answers)}</span></td><td>${SEVERITIES.map((severity) => `${client.findings[severity]} ${severity}`).join(", ")}</td><td>${overviewTrend(client.trend)}</td></tr>`;
      }),
    }),
    html`</section>`,
    problemsSection(overview.problems, 2),
  ]);
}

const overviewHeader = (overview: FleetOverview): Markup =>
  html`<header class="report-header"><p class="kicker">Compliance overview</p><h1>${dayText(overview.date)}</h1></header>`;

/** The fleet overview, each client linking to its report's page (`link`). */
export function overviewHtml(overview: FleetOverview, link: (client: FleetClient) => string): string {
  return page({
    title: `Compliance overview, ${overview.date}`,
    description: `Compliance of ${plural(overview.clients.length, "client")} on ${overview.date}, worst first.`,
    generator: "steward",
    style: STYLE,
    body: lines([CHART_DEFS, overviewHeader(overview), html`<main>`, overviewBody(overview, link), html`</main>`, footer(overview.generatedAt, null)]),
  });
}

/** The overview and every report on one page, the overview linking down to each report. */
export function fleetHtml(overview: FleetOverview, reports: readonly ClientComplianceReport[]): string {
  const anchor = (client: string) => `client-${client}`;
  return page({
    title: `Compliance overview and reports, ${overview.date}`,
    description: `Compliance of ${plural(overview.clients.length, "client")} on ${overview.date}, worst first, with each client's report.`,
    generator: "steward",
    style: STYLE,
    body: lines([
      CHART_DEFS,
      overviewHeader(overview),
      html`<main>`,
      overviewBody(overview, (client) => `#${anchor(client.client)}`),
      ...reports.map((report) => {
        const placement: Placement = { level: 2, id: (name) => `${anchor(report.client.id)}-${name}` };
        return lines([
          html`<article class="client-report" id="${anchor(report.client.id)}" aria-labelledby="${placement.id("report-title")}">`,
          clientHeader(report, placement, false),
          contents(report, placement, `Contents: ${report.client.displayName}`),
          clientSections(report, placement),
          html`</article>`,
        ]);
      }),
      html`</main>`,
      footer(overview.generatedAt, null),
    ]),
  });
}

/** What a run with `--out` wrote, each file linked relative to the output folder (the page's place there: `index.html`). */
export function manifestHtml(manifest: ReportManifest): string {
  const title = manifest.due ? `Reports due on ${dayText(manifest.date)}` : `Reports written on ${dayText(manifest.date)}`;
  return page({
    title,
    description: `${plural(manifest.reports.length, "report")} written by steward.`,
    generator: "steward",
    style: STYLE,
    body: lines([
      html`<header class="report-header"><p class="kicker">Compliance reports</p><h1>${title}</h1></header>`,
      html`<main>`,
      html`<section id="reports" aria-labelledby="reports-title">`,
      heading(2, "reports-title", "Reports"),
      manifest.reports.length === 0
        ? html`<p>None.</p>`
        : table({
            headings: ["Client", "Period", "Status", "Recipients", "Files"],
            rows: manifest.reports.map(
              (entry) =>
                html`<tr><th scope="row">${entry.client}</th><td>${entry.period}<br><span class="note">${entry.schedule}</span></td><td>${badge(entry.status)}</td><td>${joined(entry.recipients, ", ")}</td><td>${joined(
                  entry.files.map((file) => html`<a href="${file}">${file}</a>`),
                  ", ",
                )}</td></tr>`,
            ),
          }),
      manifest.overview.length === 0 ? null : html`<p>Fleet overview: ${joined(manifest.overview.map((file) => html`<a href="${file}">${file}</a>`), ", ")}.</p>`,
      html`</section>`,
      problemsSection(manifest.problems, 2),
      html`</main>`,
      footer(manifest.generatedAt, null),
    ]),
  });
}
