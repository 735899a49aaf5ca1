/**
 * The envelope of an Azure Resource Graph export, whatever table it holds: `az graph query`'s
 * output (`{ "count", "data", "skip_token", "total_records" }`; the REST API's camelCase names
 * too). Its `total_records` is what shows an export is whole; a bare array of records (`--query
 * data`, which prints one page: 100 records unless `--first` says more) cannot, and is refused
 * like a page. Both the inventory (core/coverage.ts) and
 * Update Manager's patch assessment (core/patch-assessment.ts) are read through it, so both refuse
 * an incomplete result the same way. Pure: the caller reads the file.
 */
import { withoutBom } from "./encoding";
import { InputError, asError } from "./errors";
import { isRecord } from "./values";

/** What an export is expected to hold, in the words its messages use. */
export interface ExportContents {
  /** What the records are: "VMs, Arc machines and scale sets". */
  records: string;
  /** Why a partial result is refused: "an incomplete inventory could hide unmanaged machines". */
  incomplete: string;
}

/** How many problems of an export are listed before "and N more". */
const MAX_LISTED = 10;

/**
 * The records of an export's text, and the path that names them in messages (`data`: a record is
 * then `data[3]`).
 *
 * A non-null skip_token means the export is one page of a larger result: `az graph query` returns
 * at most `--first` records (100 by default, 1000 at most) and hands back a token for the next
 * page. Such a page is refused (InputError, exit 2) rather than judged, because what it leaves out
 * is exactly what a check looks for; so is a `total_records` larger than the records held, a
 * `resultTruncated`, and a `count` (the records in this response) that is not the number of
 * records in `data` when no `total_records` says how many there are: records were lost, or pages
 * were combined without a total to check them against. So is an export without `total_records`,
 * or a bare array: nothing in it says that it holds every record. Not JSON, or another shape:
 * InputError naming `file`.
 */
export function resourceGraphRecords(rawText: string, file: string, contents: ExportContents): { records: unknown[]; prefix: string } {
  const text = withoutBom(rawText);
  if (text.trim() === "") throw new InputError(`${file} is empty; expected an Azure Resource Graph export (JSON) of ${contents.records}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${asError(error).message}`);
  }
  if (Array.isArray(document)) {
    throw new InputError(
      `${file} is a bare array of records, which cannot show that it holds every record (az graph query --query data prints one page: ` +
        `100 records unless --first says more); ${contents.incomplete}. Pass az graph query's output as it printed it, ` +
        "{ count, data, skip_token, total_records }, every page combined (scripts/resource-graph-export.sh does)",
    );
  }
  if (isRecord(document) && Array.isArray(document.data)) {
    assertComplete(document, document.data.length, file, contents);
    return { records: document.data, prefix: "data" };
  }
  const what = isRecord(document) && "data" in document ? "an object whose data is not an array of records" : describeJson(document);
  throw new InputError(
    `${file} is not an Azure Resource Graph export: expected az graph query's { "count", "data", "skip_token", "total_records" } output, got ${what}` +
      (isRecord(document) && isRecord(document.data) && "rows" in document.data ? " (a table-format result; query with the default objectArray format)" : ""),
  );
}

/** Refuses one page of a paged result, a truncated one, and one whose count does not add up. */
function assertComplete(document: Record<string, unknown>, received: number, file: string, contents: ExportContents): void {
  const token = [document.skip_token, document.skipToken, document.$skipToken].find((value) => value !== undefined && value !== null && value !== "") ?? null;
  const total = document.total_records ?? document.totalRecords;
  const truncated = document.resultTruncated === true || document.resultTruncated === "true";
  const of = typeof total === "number" ? ` (${received} of ${total} records)` : ` (${received} records)`;
  const fix =
    `${contents.incomplete}. Export every page ` +
    '(az graph query -q "..." --first 1000, then again with --skip-token <skip_token> until it is null) ' +
    "and combine the data arrays into one file";
  if (token !== null) throw new InputError(`${file} is one page of a larger Resource Graph result: skip_token is set${of}; ${fix}`);
  if (total !== undefined && total !== null && (typeof total !== "number" || !Number.isInteger(total) || total < 0)) {
    throw new InputError(`${file}: total_records is ${describeJson(total)}, not a number of records; pass az graph query's output as it printed it`);
  }
  if (typeof total === "number" && total > received) throw new InputError(`${file} is truncated: total_records is ${total} but data holds ${received} records; ${fix}`);
  if (truncated) throw new InputError(`${file} is truncated (resultTruncated is true${of}); ${fix}`);
  const { count } = document;
  if (count !== undefined && count !== null) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      throw new InputError(`${file}: count is ${describeJson(count)}, not a number of records; pass az graph query's output as it printed it`);
    }
    if (typeof total !== "number" && count !== received) {
      throw new InputError(`${file} is incomplete: count is ${count} but data holds ${received} records, and no total_records says which is right; ${fix}`);
    }
  }
  if (typeof total !== "number") throw new InputError(`${file} has no total_records, so nothing in it shows that it holds every record${of}; ${fix}`);
}

/** Throws every problem found in an export's records at once (the first ten, and how many more), naming the file. */
export function assertNoRecordProblems(problems: readonly string[], file: string): void {
  if (problems.length === 0) return;
  const listed = problems.slice(0, MAX_LISTED).map((problem) => `  ${problem}`);
  if (problems.length > MAX_LISTED) listed.push(`  ... and ${problems.length - MAX_LISTED} more`);
  const count = `${problems.length} ${problems.length === 1 ? "problem" : "problems"}`;
  throw new InputError([`${count} in the Resource Graph export ${file}:`, ...listed].join("\n"));
}

/** A JSON value as a problem names it: `null`, `an array`, `an object`, `number 3`, `string "x"`. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
