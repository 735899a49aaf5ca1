/**
 * Question 6 from Azure Update Manager's patch assessment (core/patch-assessment.ts): are this
 * machine's security patches applied on schedule? Pure; answers.ts merges what this reads into
 * the machine's answer, which the findings on it (its ring, its patch settings) can still make no.
 *
 * The rules, as an auditor holding the MSP to its update rings would apply them:
 *
 * - No assessment of the machine in the export: not verifiable. Update Manager assesses a machine
 *   only when periodic assessment is on (assessmentMode AutomaticByPlatform), and Resource Graph
 *   keeps the latest result for 7 days.
 * - The latest run `Failed`: no, with its errors (their code and message only). `InProgress` or
 *   `Unknown`: not verifiable, nothing of that run is in yet. `CompletedWithWarnings`: its
 *   updates are judged as below, but it is at best not verifiable (its counts may be incomplete).
 * - Finished more than MAX_ASSESSMENT_AGE_DAYS before the report was judged: no. Periodic
 *   assessment runs every 24 hours, so three days allows two missed runs (a machine switched off
 *   over a weekend) and no more: an older result means assessment has stopped, and what the
 *   machine misses now is unknown — the MSP's control is not working.
 *   Dated after the report was judged: not verifiable (an export is made before its report).
 * - No security or critical update available (`availablePatchCountByClassification`, and no
 *   per-update record of one: a summary that counts none beside records of some is not believed): yes.
 * - Some available: each is judged by when it was published against the ring's last maintenance
 *   window that had closed when the assessment ran (Patch Tuesday plus the ring's offset, in its
 *   time zone: calendar.ts). Published before that window opened, it was due in it and is still
 *   missing: overdue, no, naming it. Published after, it is pending until the ring's next
 *   window: yes, listing it. With no per-update records for them in the export (or fewer than the
 *   summary counts), no publish date (Linux package managers give none), or no ring window to
 *   judge against: not verifiable, saying what would decide it. One the ring excludes
 *   (`exclusions.kbNumbers`, `exclusions.packages`) is never installed by it, whenever it was
 *   published: no, naming it (leaving a security update out is a decision the report shows).
 * - A restart pending (`rebootPending`): no. Installed updates (Windows cumulative updates above
 *   all) replace the files in use only when the machine restarts, and the assessment no longer
 *   counts them as missing: "none missing" does not mean the fixes are in effect.
 */
import type { UpdateRingSettings } from "../config/client-config";
import type { Endpoint, JsonValue } from "../document";
import type { AssessmentSummary, AvailablePatch, PatchAssessments } from "../patch-assessment";
import { dayNumber, dayText, ianaZone, ringWindows, utcDay } from "./calendar";
import type { Evidence, Limit, RingWindow } from "./types";

/** Update Manager's patch assessment, for every client's machines, and what it is judged against. */
export interface PatchAssessmentInput {
  /** The export's machines (every client's), by ARM id in lower case. */
  machines: PatchAssessments;
  /** The stack file's update rings: a machine's ring's windows say when an update was due. */
  rings: UpdateRingSettings[];
  /** When the report judges the evidence (RFC 3339): an assessment's age counts to it. */
  judgedAt: string;
}

/** What the patch assessment shows of one machine, in the terms of answers.ts's reading. */
export interface PatchReading {
  evidence: Evidence[];
  no: string[];
  unknown: Limit[];
  yes: string;
  limits: Limit[];
}

/** Two missed daily runs of periodic assessment, and no more (see the rules above). */
const MAX_ASSESSMENT_AGE_DAYS = 3;

const DAY_MS = 86_400_000;
/** Days searched for a ring's window before or after an instant: a window opens every month. */
const WINDOW_SEARCH_DAYS = 62;

const POLICY = "patch-assessment";

const NO_ASSESSMENT_WHO_KNOWS = "Azure Update Manager: is periodic assessment on for it (assessmentMode AutomaticByPlatform)?";
const RUN_WHO_KNOWS = "Azure Update Manager (the machine's update history), once an assessment has finished";
const PATCH_RECORDS_WHO_KNOWS = "Azure Resource Graph: export the patchassessmentresults/softwarepatches records with the summaries (the query in the README)";
const INSTALLATION_WHO_KNOWS = "Azure Update Manager's installation history (Resource Graph patchinstallationresources) for the ring's last window";

/** What no patch assessment covers, even when it is yes. */
const ASSESSMENT_LIMIT: Limit = {
  what: "software the OS vendor's update service or package manager does not offer the machine (applications, updates held back by its update source)",
  whoKnows: "a vulnerability assessment (Microsoft Defender Vulnerability Management)",
};

/** Classifications that question 6 asks about, as Resource Graph writes them and as Windows Update names them. */
const SECURITY = new Set(["security", "security updates"]);
const CRITICAL = new Set(["critical", "critical updates"]);
const isIn = (patch: AvailablePatch, names: ReadonlySet<string>) => patch.classifications.some((name) => names.has(name.toLowerCase()));

/** An update as messages name it: its KB (Windows), else its package and version (Linux). */
function patchLabel(patch: AvailablePatch): string {
  if (patch.kbId !== null) return /^kb/i.test(patch.kbId) ? patch.kbId.toUpperCase() : `KB${patch.kbId}`;
  return patch.version === null ? patch.patchName : `${patch.patchName} ${patch.version}`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** One machine's reading of question 6 from the patch assessment, in the ring it is in (by name; null for none). */
export function readPatchAssessment(endpoint: Pick<Endpoint, "id" | "urn">, ringName: string | null, input: PatchAssessmentInput): PatchReading {
  const reading: PatchReading = { evidence: [], no: [], unknown: [], yes: "", limits: [ASSESSMENT_LIMIT] };
  const id = endpoint.id;
  const machine = id === null ? undefined : input.machines.get(id.toLowerCase());
  const summary = machine?.summary ?? null;
  if (machine === undefined || summary === null) {
    reading.evidence.push({ resource: id ?? endpoint.urn, setting: "patch assessment", value: null, policy: POLICY });
    reading.unknown.push({ what: "the patch assessment export has no assessment of it", whoKnows: NO_ASSESSMENT_WHO_KNOWS });
    return reading;
  }
  const evidence = (resource: string, setting: string, value: JsonValue) => reading.evidence.push({ resource, setting, value, policy: POLICY });
  const counts = summary.availablePatchCountByClassification;
  evidence(summary.id, "properties.status", summary.status);
  evidence(summary.id, "properties.lastModifiedDateTime", summary.lastModifiedDateTime);
  if (summary.errors.length > 0) evidence(summary.id, "properties.errorDetails", summary.errors);
  const run = `its patch assessment of ${summary.lastModifiedDateTime}`;

  switch (summary.status) {
    case "Failed":
      reading.no.push(`${run} failed${summary.errors.length === 0 ? ", giving no reason" : `: ${summary.errors.join("; ")}`}`);
      return reading;
    case "InProgress":
    case "Unknown":
      reading.unknown.push({ what: `${run} is ${summary.status === "InProgress" ? "still in progress" : "in an unknown state"}, so it gives no result`, whoKnows: RUN_WHO_KNOWS });
      return reading;
    case "CompletedWithWarnings":
      reading.unknown.push({
        what: `${run} completed with warnings${summary.errors.length === 0 ? "" : ` (${summary.errors.join("; ")})`}, so the updates it counts may be incomplete`,
        whoKnows: RUN_WHO_KNOWS,
      });
      break;
    case "Succeeded":
      break;
  }

  const age = Date.parse(input.judgedAt) - Date.parse(summary.lastModifiedDateTime);
  if (age < 0) {
    // An export is made before the report; a result dated later is not one this report can rest on.
    reading.unknown.push({ what: `${run} is dated after the report was judged (${input.judgedAt}), so it is not a result the report can rest on`, whoKnows: RUN_WHO_KNOWS });
    return reading;
  }
  if (age > MAX_ASSESSMENT_AGE_DAYS * DAY_MS) {
    reading.no.push(
      `${run} is ${Math.floor(age / DAY_MS)} days old: Update Manager assesses every 24 hours, so assessment has stopped and what it misses now is not known`,
    );
    return reading;
  }

  for (const classification of ["security", "critical"]) evidence(summary.id, `properties.availablePatchCountByClassification.${classification}`, counts[classification] ?? null);
  evidence(summary.id, "properties.rebootPending", summary.rebootPending);
  if (summary.rebootPending === true) {
    reading.no.push(`a restart is pending (${run}): updates installed are not in effect until it restarts`);
  }
  judgeAvailable(summary, machine.patches, ringName, input, reading);
  return reading;
}

/** The security and critical updates the assessment found missing: none, overdue, pending, or not decidable here. */
function judgeAvailable(summary: AssessmentSummary, patches: AvailablePatch[], ringName: string | null, input: PatchAssessmentInput, reading: PatchReading): void {
  const counts = summary.availablePatchCountByClassification;
  const missing = (counts.security ?? 0) + (counts.critical ?? 0);
  const run = `its patch assessment of ${summary.lastModifiedDateTime}`;
  const relevant = patches.filter((patch) => isIn(patch, SECURITY) || isIn(patch, CRITICAL));
  const recorded = patches.filter((patch) => isIn(patch, SECURITY)).length + patches.filter((patch) => isIn(patch, CRITICAL)).length;
  // A summary counting none while the export lists some is not a "none missing": the counts below
  // must agree with the records before either is believed.
  if (missing === 0 && recorded === 0) {
    reading.yes = `${run} finds no security or critical update missing`;
    return;
  }
  const found = `${run} counts ${plural(missing, "security or critical update", "security or critical updates")} missing`;
  if (recorded > missing) {
    reading.unknown.push({
      what: `${found} but the export holds per-update records of ${recorded}: the assessment and its records disagree, so neither is believed`,
      whoKnows: RUN_WHO_KNOWS,
    });
    return;
  }
  if (recorded < missing) {
    reading.unknown.push({
      what: `${found} and the export holds ${recorded === 0 ? "no per-update record of them" : `per-update records of ${recorded}`}, so whether they are overdue is not known`,
      whoKnows: PATCH_RECORDS_WHO_KNOWS,
    });
    return;
  }
  for (const patch of relevant) reading.evidence.push({ resource: patch.id, setting: "properties.publishedDateTime", value: patch.publishedDateTime, policy: POLICY });

  const ring = ringName === null ? undefined : input.rings.find((entry) => entry.name === ringName);
  const zone = ring === undefined ? null : ianaZone(ring.timeZone);
  const assessedAt = Date.parse(summary.lastModifiedDateTime);
  const windows = ring === undefined || zone === null ? [] : windowsAround(ring, zone, assessedAt);
  const last = windows.filter((window) => Date.parse(window.endUtc) <= assessedAt).at(-1);
  if (ring === undefined || zone === null || last === undefined) {
    const why = ring === undefined ? "it is in no update ring steward knows" : `steward does not know ring ${ring.name}'s time zone ${JSON.stringify(ring.timeZone)}`;
    reading.unknown.push({ what: `${found}, and ${why}, so when they were due is not known`, whoKnows: INSTALLATION_WHO_KNOWS });
    return;
  }
  const opened = Date.parse(last.startUtc);
  const window = `ring ${ring.name}'s window of ${last.startLocal.replace("T", " ")} (${ring.timeZone})`;
  const names = (list: AvailablePatch[]) => list.map(patchLabel).join(", ");
  // An update the ring excludes is never installed by it, however long one waits: not pending.
  const excluded = relevant.filter((patch) => excludedBy(ring, patch));
  const installable = relevant.filter((patch) => !excluded.includes(patch));
  if (excluded.length > 0) {
    reading.no.push(
      `${plural(excluded.length, "security or critical update", "security or critical updates")} missing (${run}) that ring ${ring.name} excludes (exclusions), so it never installs ${excluded.length === 1 ? "it" : "them"}: ${names(excluded)}`,
    );
  }
  const undated = installable.filter((patch) => patch.publishedDateTime === null);
  const overdue = installable.filter((patch) => patch.publishedDateTime !== null && Date.parse(patch.publishedDateTime) < opened);
  const pending = installable.filter((patch) => patch.publishedDateTime !== null && Date.parse(patch.publishedDateTime) >= opened);
  if (overdue.length > 0) {
    reading.no.push(`${plural(overdue.length, "security or critical update", "security or critical updates")} published before ${window} still missing (${run}): ${names(overdue)}`);
  }
  if (undated.length > 0) {
    reading.unknown.push({
      what: `${plural(undated.length, "missing security or critical update has", "missing security or critical updates have")} no publish date (${names(undated)}), so whether ${undated.length === 1 ? "it was" : "they were"} due in ${window} is not known`,
      whoKnows: INSTALLATION_WHO_KNOWS,
    });
  }
  const next = windows.find((window) => Date.parse(window.startUtc) > assessedAt);
  const until = next === undefined ? "its next window" : `its next window, ${next.startLocal.replace("T", " ")}`;
  reading.yes = `${run} finds ${plural(pending.length, "security or critical update", "security or critical updates")} missing, published after ${window} and pending until ${until}: ${names(pending)}`;
}

/**
 * Whether the ring leaves `patch` out: a Windows update whose KB is in `exclusions.kbNumbers`
 * (written with or without `KB`), a Linux package named by `exclusions.packages`, where `*` stands
 * for any run of characters as in Update Manager's package name masks.
 */
function excludedBy(ring: UpdateRingSettings, patch: AvailablePatch): boolean {
  const kb = (text: string) => text.replace(/^kb/i, "");
  if (patch.kbId !== null) return ring.exclusions.kbNumbers.some((number) => kb(number.trim()) === kb(patch.kbId as string));
  return ring.exclusions.packages.some((mask) => new RegExp(`^${mask.trim().split("*").map(escapeRegExp).join(".*")}$`).test(patch.patchName));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A ring's windows from WINDOW_SEARCH_DAYS before an instant to as many after it. */
function windowsAround(ring: UpdateRingSettings, zone: string, instant: number): RingWindow[] {
  const day = dayNumber(utcDay(new Date(instant)));
  return ringWindows(ring, zone, dayText(day - WINDOW_SEARCH_DAYS), dayText(day + WINDOW_SEARCH_DAYS));
}
