/**
 * Azure Update Manager's patch assessment, as Azure Resource Graph holds it: the
 * `patchassessmentresources` table. Update Manager assesses a machine whose assessmentMode is
 * AutomaticByPlatform every 24 hours and keeps the latest result there, per machine:
 *
 * - a summary, `<machine id>/patchAssessmentResults/latest`, of type
 *   `microsoft.compute/virtualmachines/patchassessmentresults` (an Azure VM) or
 *   `microsoft.hybridcompute/machines/patchassessmentresults` (an Arc machine): the run's
 *   `status`, `startDateTime` and `lastModifiedDateTime` (when it finished), `rebootPending`,
 *   `availablePatchCountByClassification` (`security`, `critical`, `updateRollup`, ... updates
 *   available and not installed), `errorDetails`, `osType`, `startedBy`, `patchServiceUsed`;
 * - one record per available update, `<machine id>/patchAssessmentResults/latest/softwarePatches/<id>`,
 *   of the same types with `/softwarepatches`: `patchName`, `kbId` (Windows) or `version`
 *   (Linux), `classifications`, `msrcSeverity`, `publishedDateTime` (null on Linux: package
 *   managers do not say when an update was published).
 *
 * The shapes are those of Microsoft Learn's "Access Azure Update Manager operations data using
 * Azure Resource Graph" and of the REST result types behind them (HybridCompute
 * `MachineAssessPatchesResult`, `AvailablePatchCountByClassification`; fixtures/patch-assessment/SOURCES.md).
 * The export is made with:
 *
 *   az graph query -q "patchassessmentresources
 *     | where type in~ ('microsoft.compute/virtualmachines/patchassessmentresults',
 *                      'microsoft.compute/virtualmachines/patchassessmentresults/softwarepatches',
 *                      'microsoft.hybridcompute/machines/patchassessmentresults',
 *                      'microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches')
 *     | project id, name, type, resourceGroup, subscriptionId, properties" --first 1000
 *
 * (every page of it: a machine has a record per available update, so the export soon passes
 * `--first`'s 1000 records, and a page alone is refused).
 *
 * Pure: `parsePatchAssessment` checks an export's text (its envelope is core/resource-graph.ts's)
 * and groups its records by machine; core/compliance/patching.ts judges them.
 */
import { ENDPOINT_ARM } from "./azure";
import { parseResourceId } from "./azure-id";
import { assertNoRecordProblems, describeJson, resourceGraphRecords, type ExportContents } from "./resource-graph";
import { isRecord } from "./values";

/** The machines Update Manager assesses. */
export type AssessedKind = "azure-vm" | "arc-machine";

/** An assessment run's outcome (REST `PatchOperationStatus`): `InProgress` until it ends. */
const ASSESSMENT_STATUSES = ["Succeeded", "Failed", "CompletedWithWarnings", "InProgress", "Unknown"] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** A machine's latest assessment run (a `patchassessmentresults` record). */
export interface AssessmentSummary {
  /** The record's id, as written. */
  id: string;
  status: AssessmentStatus;
  /** RFC 3339, as written; null when the record does not say. */
  startDateTime: string | null;
  /** When the run finished (RFC 3339, as written). */
  lastModifiedDateTime: string;
  /** Whether installed updates wait for a restart to take effect; null when the record does not say. */
  rebootPending: boolean | null;
  /** Updates available and not installed, by classification in lower case (`security`, `critical`, `updaterollup`, ...). */
  availablePatchCountByClassification: Record<string, number>;
  /** `errorDetails`: its code and message, then each of its details', as `code: message`. */
  errors: string[];
  osType: string | null;
  /** `User` or `Platform` (the periodic assessment). */
  startedBy: string | null;
  patchServiceUsed: string | null;
}

/** One update the latest assessment found available (a `patchassessmentresults/softwarepatches` record). */
export interface AvailablePatch {
  id: string;
  patchName: string;
  /** Windows: the KB number, as written (`5068787`). */
  kbId: string | null;
  /** Linux: the package version. */
  version: string | null;
  classifications: string[];
  msrcSeverity: string | null;
  /** When the vendor published it (RFC 3339, as written); null when unknown (Linux). */
  publishedDateTime: string | null;
}

/** What the export holds about one machine. */
export interface MachinePatchAssessment {
  /** The machine's ARM id as the records write it (match it ignoring case). */
  machineId: string;
  kind: AssessedKind;
  /** Null when the export holds only per-patch records of it. */
  summary: AssessmentSummary | null;
  patches: AvailablePatch[];
}

const EXPORT: ExportContents = {
  records: "Update Manager's patch assessment results (patchassessmentresources)",
  incomplete: "an incomplete export would leave machines' assessments or missing updates out",
};

interface RecordType {
  kind: AssessedKind;
  record: "summary" | "patch";
}

/** The four record types, by lower-case type: which machine kind, and whether a summary or one update. */
const RECORD_TYPES: ReadonlyMap<string, RecordType> = new Map(
  (["azure-vm", "arc-machine"] as const).flatMap((kind): Array<[string, RecordType]> => [
    [`${ENDPOINT_ARM[kind].type}/patchassessmentresults`, { kind, record: "summary" }],
    [`${ENDPOINT_ARM[kind].type}/patchassessmentresults/softwarepatches`, { kind, record: "patch" }],
  ]),
);

/** `<machine id>/patchAssessmentResults/latest[/softwarePatches/<id>]` (ARM ids ignore case). */
const RECORD_ID = /^(.+)\/patchAssessmentResults\/latest(?:\/softwarePatches\/([^/]+))?$/i;

/** An RFC 3339 date and time, with any number of fractional digits (Azure writes seven). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** An export's machines, by machine id in lower case (ARM ids ignore case), in the order the export first names each. */
export type PatchAssessments = ReadonlyMap<string, MachinePatchAssessment>;

/**
 * Checks the text of a `patchassessmentresources` export and groups its records by machine. Every problem of a record is an InputError naming
 * `file` and the record's index, all reported at once: not a record; no id, type or properties;
 * a type other than the four; an id that is not one of its type; a summary without a known
 * `status` or a `lastModifiedDateTime`, with a date that is not RFC 3339, a count that is not a
 * whole number, a `rebootPending` that is not true or false, or — when it succeeded — without
 * the `security` and `critical` counts; an update without `patchName` or `classifications`.
 * Records repeated (pages combined by hand) count once; two different summaries of one machine
 * are a problem.
 */
export function parsePatchAssessment(rawText: string, file: string): PatchAssessments {
  const { records, prefix } = resourceGraphRecords(rawText, file, EXPORT);
  const problems: string[] = [];
  const machines = new Map<string, MachinePatchAssessment>();
  const seen = new Map<string, unknown>();
  records.forEach((record, index) => {
    const where = `${prefix}[${index}]`;
    const parsed = toRecord(record, where, problems);
    if (parsed === null) return;
    const key = parsed.id.toLowerCase();
    // Serialized only to compare a repeated id's records, not for every record of a large export.
    if (seen.has(key)) {
      if (JSON.stringify(seen.get(key)) !== JSON.stringify(record)) problems.push(`${where}.id: "${parsed.id}" is also the id of an earlier, different record; export one assessment per machine`);
      return;
    }
    seen.set(key, record);
    const machineKey = parsed.machineId.toLowerCase();
    const machine = machines.get(machineKey) ?? { machineId: parsed.machineId, kind: parsed.kind, summary: null, patches: [] };
    machines.set(machineKey, machine);
    if ("status" in parsed.value) machine.summary = parsed.value;
    else machine.patches.push(parsed.value);
  });
  assertNoRecordProblems(problems, file);
  return machines;
}

type Parsed = { id: string; machineId: string; kind: AssessedKind; value: AssessmentSummary | AvailablePatch };

function toRecord(record: unknown, where: string, problems: string[]): Parsed | null {
  if (!isRecord(record)) {
    problems.push(`${where}: expected a record (object), got ${describeJson(record)}`);
    return null;
  }
  const before = problems.length;
  const id = requiredText(record, "id", where, problems);
  const rawType = requiredText(record, "type", where, problems);
  const recordType = rawType === undefined ? undefined : RECORD_TYPES.get(rawType.toLowerCase());
  if (rawType !== undefined && recordType === undefined) {
    problems.push(`${where}.type: "${rawType}" is not a patch assessment record (expected ${[...RECORD_TYPES.keys()].join(", ")})`);
  }
  const machineId = id === undefined || recordType === undefined ? undefined : machineOf(id, recordType, where, problems);
  const properties = record.properties;
  if (!isRecord(properties)) {
    problems.push(properties === undefined || properties === null ? `${where}: missing properties` : `${where}.properties: expected an object, got ${describeJson(properties)}`);
  }
  if (problems.length > before || id === undefined || recordType === undefined || machineId === undefined || !isRecord(properties)) return null;
  const value = recordType.record === "summary" ? summaryOf(id, properties, `${where}.properties`, problems) : patchOf(id, properties, `${where}.properties`, problems);
  return value === null ? null : { id, machineId, kind: recordType.kind, value };
}

/** The machine a record's id names, when the id is one of its type. */
function machineOf(id: string, recordType: RecordType, where: string, problems: string[]): string | undefined {
  const match = RECORD_ID.exec(id);
  const machineId = match?.[1];
  const ref = machineId === undefined ? null : parseResourceId(machineId);
  const shape = recordType.record === "summary" ? "<machine id>/patchAssessmentResults/latest" : "<machine id>/patchAssessmentResults/latest/softwarePatches/<update>";
  const isPatch = match?.[2] !== undefined;
  if (ref === null || machineId === undefined || ref.nested || ref.resourceType !== ENDPOINT_ARM[recordType.kind].type || isPatch !== (recordType.record === "patch")) {
    problems.push(`${where}.id: "${id}" is not ${shape} of a ${ENDPOINT_ARM[recordType.kind].type} machine`);
    return undefined;
  }
  return machineId;
}

function summaryOf(id: string, properties: Record<string, unknown>, where: string, problems: string[]): AssessmentSummary | null {
  const before = problems.length;
  const status = properties.status;
  if (typeof status !== "string" || !(ASSESSMENT_STATUSES as readonly string[]).includes(status)) {
    problems.push(`${where}.status: expected one of ${ASSESSMENT_STATUSES.join(", ")}, got ${status === undefined ? "nothing" : describeJson(status)}`);
  }
  const lastModifiedDateTime = dateTime(properties, "lastModifiedDateTime", true, where, problems);
  const startDateTime = dateTime(properties, "startDateTime", false, where, problems);
  const rebootPending = properties.rebootPending ?? null;
  if (rebootPending !== null && typeof rebootPending !== "boolean") problems.push(`${where}.rebootPending: expected true or false, got ${describeJson(rebootPending)}`);
  const counts = countsOf(properties.availablePatchCountByClassification, status === "Succeeded", `${where}.availablePatchCountByClassification`, problems);
  const errors = errorsOf(properties.errorDetails, `${where}.errorDetails`, problems);
  const osType = optionalText(properties, "osType", where, problems);
  const startedBy = optionalText(properties, "startedBy", where, problems);
  const patchServiceUsed = optionalText(properties, "patchServiceUsed", where, problems);
  if (problems.length > before || lastModifiedDateTime === null || counts === null || errors === null) return null;
  return {
    id,
    status: status as AssessmentStatus,
    startDateTime,
    lastModifiedDateTime,
    rebootPending: rebootPending as boolean | null,
    availablePatchCountByClassification: counts,
    errors,
    osType,
    startedBy,
    patchServiceUsed,
  };
}

/** The counts by classification; a succeeded run must give `security` and `critical`, the two that decide question 6. */
function countsOf(value: unknown, succeeded: boolean, where: string, problems: string[]): Record<string, number> | null {
  if (value === undefined || value === null) {
    if (!succeeded) return {};
    problems.push(`${where}: missing; a succeeded assessment counts the updates it found by classification`);
    return null;
  }
  if (!isRecord(value)) {
    problems.push(`${where}: expected an object of counts by classification, got ${describeJson(value)}`);
    return null;
  }
  const before = problems.length;
  // Keyed in lower case: Microsoft's queries read `security` and `critical`, and a record that
  // capitalizes them (`Security`) is the same count, not a missing one.
  const counts: Record<string, number> = {};
  const written = new Map<string, string>();
  for (const [classification, count] of Object.entries(value)) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) problems.push(`${where}.${classification}: expected a number of updates, got ${describeJson(count)}`);
    const key = classification.toLowerCase();
    const earlier = written.get(key);
    if (earlier !== undefined) problems.push(`${where}: ${earlier} and ${classification} are one classification written twice`);
    written.set(key, classification);
    Object.defineProperty(counts, key, { value: count, enumerable: true, writable: true, configurable: true });
  }
  if (succeeded) for (const required of ["security", "critical"]) if (!written.has(required)) problems.push(`${where}: missing ${required}`);
  return problems.length > before ? null : counts;
}

/** `errorDetails` (an ErrorDetail: code, message, details[]) as `code: message` lines; its target and additional info are left out. */
function errorsOf(value: unknown, where: string, problems: string[]): string[] | null {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) {
    problems.push(`${where}: expected an object (code, message, details), got ${describeJson(value)}`);
    return null;
  }
  const details = value.details ?? [];
  if (!Array.isArray(details) || !details.every(isRecord)) {
    problems.push(`${where}.details: expected an array of errors (code, message), got ${describeJson(details)}`);
    return null;
  }
  return [value, ...details].map(errorText).filter((text) => text !== "");
}

function errorText(error: Record<string, unknown>): string {
  const part = (key: string) => (typeof error[key] === "string" ? (error[key] as string).trim() : "");
  return [part("code"), part("message")].filter((text) => text !== "").join(": ");
}

function patchOf(id: string, properties: Record<string, unknown>, where: string, problems: string[]): AvailablePatch | null {
  const before = problems.length;
  const patchName = requiredText(properties, "patchName", where, problems);
  const classifications = properties.classifications;
  if (!Array.isArray(classifications) || !classifications.every((entry) => typeof entry === "string")) {
    problems.push(`${where}.classifications: expected an array of classification names, got ${classifications === undefined ? "nothing" : describeJson(classifications)}`);
  }
  const kbId = optionalText(properties, "kbId", where, problems);
  const version = optionalText(properties, "version", where, problems);
  const msrcSeverity = optionalText(properties, "msrcSeverity", where, problems);
  const publishedDateTime = dateTime(properties, "publishedDateTime", false, where, problems);
  if (problems.length > before || patchName === undefined) return null;
  return { id, patchName, kbId, version, classifications: classifications as string[], msrcSeverity, publishedDateTime };
}

function requiredText(record: Record<string, unknown>, key: string, where: string, problems: string[]): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) {
    problems.push(`${where}: missing ${key}`);
    return undefined;
  }
  if (typeof value !== "string" || value.trim() === "") {
    problems.push(`${where}.${key}: expected a non-empty string, got ${describeJson(value)}`);
    return undefined;
  }
  return value;
}

/** A string the record may leave out (null or empty: not said). */
function optionalText(record: Record<string, unknown>, key: string, where: string, problems: string[]): string | null {
  const value = record[key];
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") {
    problems.push(`${where}.${key}: expected a string, got ${describeJson(value)}`);
    return null;
  }
  return value;
}

function dateTime(record: Record<string, unknown>, key: string, required: boolean, where: string, problems: string[]): string | null {
  const value = record[key];
  if (value === undefined || value === null) {
    if (required) problems.push(`${where}: missing ${key}`);
    return null;
  }
  if (typeof value !== "string" || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push(`${where}.${key}: expected an RFC 3339 date and time (2026-11-10T18:00:00Z), got ${describeJson(value)}`);
    return null;
  }
  return value;
}
