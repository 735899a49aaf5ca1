/**
 * The compliance report: what an MSP hands a client on the client's reporting schedule, answering
 * six questions for every machine with evidence and a verdict. This is the one model every
 * renderer reads (JSON, Markdown, and the HTML page), and the JSON contract dashboards consume:
 * `core/schema/compliance-report.schema.json` describes exactly `ClientComplianceReport`, and
 * fields are only ever added (`version`).
 *
 * Everything here is plain data: strings, numbers, booleans, arrays and objects, no Date, no Map,
 * so a report crosses a worker thread or a file unchanged, and a renderer never computes a
 * verdict: it only lays out what is here.
 */
import type { DriftedResource } from "../drift";
import type { EndpointKind, JsonValue, OsFamily, Party, Severity, Waiver } from "../document";
import type { NotFullyEnforced } from "../exceptions";

export const COMPLIANCE_REPORT_VERSION = 1 as const;

/** The six questions, in the order the report asks them (core/compliance/questions.ts words them). */
export const QUESTION_IDS = ["installed", "working", "up-to-date", "catching-threats", "latest-release", "patched"] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];

/**
 * `yes`: the evidence shows it (a `waived` yes: only because a valid waiver covers what would
 * make it no — the waiver is on the answer's findings). `no`: the evidence shows it is not so.
 * `not-verifiable`: what would decide it is not visible to steward here; the answer says why and
 * who would know. Worst first: no, not-verifiable, yes.
 */
export const VERDICTS = ["no", "not-verifiable", "yes"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The services a responsibility is assigned for (the stack file's `responsibilities`). */
export const SERVICES = ["antivirus", "patching", "monitoring", "reporting"] as const;
export type Service = (typeof SERVICES)[number];

/** How many answers have each verdict; the four counts are disjoint (`yes` excludes `waived`). */
export interface VerdictCounts {
  yes: number;
  /** Yes because a valid waiver covers what would make it no. */
  waived: number;
  no: number;
  notVerifiable: number;
}

/** Something an answer cannot cover, and who can: "signature age" — "Defender for Endpoint (device health in the Microsoft Defender portal)". */
export interface Limit {
  what: string;
  whoKnows: string;
}

/** One fact steward read: which resource, which setting, what value, judged by which policy. */
export interface Evidence {
  /** The resource read: a Pulumi URN, a lower-case ARM id (a machine the stack only references),
   *  `declared:<name>` (a declared machine nothing else shows), or the inventory's or patch
   *  assessment's record id. */
  resource: string;
  /** The setting read, as a path in the resource (`settings.RealtimeProtectionEnabled`,
   *  `typeHandlerVersion`), or what was looked for (`antivirus extension`, `ring assignment`). */
  setting: string;
  /** Its value as the source shows it; `{"$unknown": true}` until apply, `{"$secret": true}`
   *  for a secret, null when absent. */
  value: JsonValue;
  /** The policy that judges it (a policy id of the catalog), or steward's own check:
   *  `latest-release` (HANDLER_VERSIONS), `coverage` (the Resource Graph inventory),
   *  `patch-assessment` (Azure Update Manager's, core/compliance/patching.ts). */
  policy: string;
}

/** A finding behind an answer: what made it no (or would have, for a waived one). */
export interface AnswerFinding {
  /** Policy id, or `coverage:<kind>` for a coverage finding (core/coverage.ts). */
  policy: string;
  severity: Severity;
  resource: string;
  message: string;
  /** The valid waiver that covers it; null when none does. */
  waiver: Waiver | null;
}

/** One question answered for one machine. */
export interface Answer {
  verdict: Verdict;
  /** A yes only because every finding behind it is waived (`findings` carry the waivers). */
  waived: boolean;
  /** The verdict in one sentence. */
  why: string;
  /** Who would know, for a not-verifiable verdict; null otherwise. */
  whoKnows: string | null;
  evidence: Evidence[];
  /** The findings mapped to this question on this machine (or on the whole client). */
  findings: AnswerFinding[];
  /** What this answer does not cover even when it is yes, and who knows it. */
  limits: Limit[];
}

/**
 * Where a row comes from. `declared`: the stack file declares it. `undeclared`: the judged state
 * has it (a machine of the stack, or one a baseline resource targets) and the stack file does
 * not. `inventory`: only the Resource Graph inventory has it (in the client's scope, or tagged for
 * it outside its scope), so nothing manages it. `unrecognized`: a machine of a type steward does
 * not understand (machine-type-recognized).
 */
export type EndpointOrigin = "declared" | "undeclared" | "inventory" | "unrecognized";

/** One machine's row: the six answers. */
export interface EndpointRow {
  /** As the stack file declares it, else as the state or inventory names it. */
  name: string;
  /** Endpoint kind; `vm-scale-set-instance` (inventory only) or `unrecognized` (a type steward does not read). */
  kind: EndpointKind | "vm-scale-set-instance" | "unrecognized";
  os: OsFamily;
  role: string | null;
  /** Its update ring: the ring its assignment resolves to, else the declared one; null for none. */
  ring: string | null;
  /** The identity findings and waivers use (see Evidence.resource). */
  resource: string;
  origin: EndpointOrigin;
  /** The worst of its answers. */
  status: Verdict;
  answers: Record<QuestionId, Answer>;
}

/** One question across the client's machines. */
export interface QuestionSummary {
  id: QuestionId;
  /** 1-6, the order the report asks them. */
  number: number;
  /** The question as the report asks it: "Is antivirus installed on all computers?" */
  text: string;
  /** The service whose responsible party answers for it. */
  service: Service;
  responsible: Party;
  /** The worst verdict among the machines (no machines: not-verifiable). */
  verdict: Verdict;
  counts: VerdictCounts;
  /** What no machine's answer covers (machines nobody declared, when no inventory was given). */
  limits: Limit[];
}

/** A finding of the client, in the findings section. */
export interface ReportFinding {
  /** Policy id, or `coverage:<kind>` for what the inventory showed. */
  policy: string;
  title: string;
  severity: Severity;
  enforcement: "mandatory" | "advisory";
  /** The question it answers, or the report section it belongs to when it answers none
   *  (core/compliance/questions.ts POLICY_TOPICS). */
  topic: QuestionId | "responsibilities" | "exceptions";
  resource: string;
  /** The row it is on; null when it is about the whole client (a ring, the alert routing). */
  endpoint: string | null;
  message: string;
  remediation: string;
  waiver: Waiver | null;
}

export interface Contact {
  name: string;
  email: string;
  phone: string | null;
}

/** Who answers for one service, and the questions that rest on it. */
export interface Responsibility {
  service: Service;
  party: Party;
  questions: QuestionId[];
}

/** A waiver of the stack file, as the policies judged it. */
export interface ReportWaiver extends Waiver {
  /** Whether the policies apply it (a reason, an approver, dates in order, within maxWaiverDays, not expired). */
  valid: boolean;
  /** Whole days it still applies after the report's day (UTC): 0 on its last day, negative once expired. */
  daysLeft: number;
  /** Findings it covers in this report. */
  findings: number;
}

/** One opening of a ring's maintenance window. */
export interface RingWindow {
  /** The Patch Tuesday (second Tuesday of the month) it counts from, YYYY-MM-DD. */
  patchTuesday: string;
  /** Local wall-clock start and end in the ring's time zone, YYYY-MM-DDTHH:mm. */
  startLocal: string;
  endLocal: string;
  /** The same instants in UTC, RFC 3339 (`2026-12-09T22:00:00Z`). */
  startUtc: string;
  endUtc: string;
  /** The zone's offset from UTC at the start, `+01:00`. */
  utcOffset: string;
}

/** One update ring and its windows in the schedule's span. */
export interface RingSchedule {
  name: string;
  order: number;
  /** As the stack file writes it (a Windows time zone name). */
  timeZone: string;
  /** The IANA zone it maps to (CLDR windowsZones), null when steward does not know the name. */
  ianaTimeZone: string | null;
  patchTuesdayOffsetDays: number;
  startTime: string;
  duration: string;
  /** The machines it patches, by name. */
  endpoints: string[];
  windows: RingWindow[];
  /** Why it has no windows although it patches machines (an unknown time zone); null otherwise. */
  problem: string | null;
}

/** The days a report covers. */
export interface ReportingPeriod {
  schedule: "weekly" | "monthly" | "quarterly";
  /** `2026-W48` (ISO week), `2026-11`, `2026-Q4`: the report's name in the archive. */
  label: string;
  /** First and last day, YYYY-MM-DD, inclusive (UTC days). */
  start: string;
  end: string;
  /** The day its report is due: the day after `end`. */
  due: string;
  /** False while the period is still running (a report written before it is due). */
  complete: boolean;
}

/** An input file and the sha256 of its bytes, as read. */
export interface InputFile {
  role: "stack-file" | "deployed" | "refresh" | "inventory" | "patch-assessment" | "previous";
  path: string;
  sha256: string;
}

/** The state the verdicts judge. */
export interface Basis {
  /** `planned`: the baseline the stack file plans (nothing deployed was read); `deployed`:
   *  Pulumi's state (`pulumi stack export`, or a preview's state before its change);
   *  `refreshed`: what a refresh preview read from the cloud. */
  state: "planned" | "deployed" | "refreshed";
  /** The same in words, for the report's reader. */
  description: string;
}

/** How one report compares with the previous one (`--previous`). */
export interface Trend {
  /** When the previous report was made, and for which period. */
  previous: { generatedAt: string; period: string };
  status: { from: Verdict; to: Verdict };
  /** Findings not waived, then and now, in total and by severity. */
  findings: { from: number; to: number; bySeverity: Record<Severity, { from: number; to: number }> };
  questions: Record<QuestionId, { from: VerdictCounts; to: VerdictCounts }>;
  /** Answers whose verdict changed, by machine and question (null: the machine was not in that report). */
  changes: Array<{ endpoint: string; question: QuestionId; from: Verdict | null; to: Verdict | null }>;
}

/** One client's compliance report for one reporting period. */
export interface ClientComplianceReport {
  version: typeof COMPLIANCE_REPORT_VERSION;
  kind: "steward-compliance-report";
  /** RFC 3339, UTC: when the evidence was judged (cli/clock.ts; STEWARD_NOW in tests). */
  generatedAt: string;
  client: {
    id: string;
    displayName: string;
    stack: string;
    managementModel: "msp-managed" | "co-managed" | "internally-managed";
  };
  period: ReportingPeriod;
  recipients: string[];
  /** The worst verdict of any answer. */
  status: Verdict;
  basis: Basis;
  /** Whether machines the client does not declare were looked for (an inventory was given). */
  coverage: { checked: boolean; description: string };
  /** Whether Azure Update Manager's patch assessment was read for question 6 (`--patch-assessment`).
   *  Optional in the schema: reports made before it existed are still read as previous reports. */
  patchAssessment: { checked: boolean; description: string };
  summary: {
    endpoints: number;
    answers: VerdictCounts;
    /** Findings no waiver covers, by severity, and the waived ones. */
    findings: Record<Severity, number> & { waived: number };
  };
  questions: QuestionSummary[];
  endpoints: EndpointRow[];
  responsibilities: Responsibility[];
  contacts: { msp: Contact[]; client: Contact[] };
  /** By severity (critical first), then policy, resource and message. */
  findings: ReportFinding[];
  exceptions: { waivers: ReportWaiver[]; notFullyEnforced: NotFullyEnforced[] };
  /** What changed outside Pulumi since the last `pulumi up` (a refresh preview, `--refresh`). */
  drift: { checked: boolean; description: string; resources: DriftedResource[] };
  /** The rings' maintenance windows from the report's day for a month. */
  schedule: { from: string; to: string; rings: RingSchedule[] };
  trend: Trend | null;
  provenance: {
    stewardVersion: string;
    /** sha256 of the Rego sources the policy bundle was built from (build/policy/manifest.json). */
    policyBundleHash: string;
    inputs: InputFile[];
  };
}
