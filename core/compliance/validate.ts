import type { ErrorObject, ValidateFunction } from "ajv";
import { ExitCode, StewardError } from "../errors";
import { COMPLIANCE_REPORT, FLEET_OVERVIEW, loadValidator, type ValidatorSpec } from "../validators";
import type { FleetOverview } from "./fleet";

const loaded = new Map<ValidatorSpec, ValidateFunction>();

const MAX_REPORTED = 10;

/** The problems of `document` against `spec`'s schema (validator generated at build time), each
 *  `<where>: <what>`, the document itself named `whole`: none when it matches. */
function problemsAgainst(spec: ValidatorSpec, document: unknown, whole: string): string[] {
  let validate = loaded.get(spec);
  if (validate === undefined) {
    validate = loadValidator(spec);
    loaded.set(spec, validate);
  }
  if (validate(document)) return [];
  const errors = validate.errors ?? [];
  const describe = (error: ErrorObject): string => `${error.instancePath === "" ? whole : error.instancePath}: ${error.message ?? error.keyword}`;
  const lines = errors.slice(0, MAX_REPORTED).map(describe);
  if (errors.length > MAX_REPORTED) lines.push(`... and ${errors.length - MAX_REPORTED} more`);
  return lines;
}

/** The problems of a document as a compliance report (core/schema/compliance-report.schema.json): none when it is one. */
export const reportProblems = (document: unknown): string[] => problemsAgainst(COMPLIANCE_REPORT, document, "(report)");

/** The problems of a document as a fleet overview (core/schema/fleet-overview.schema.json): none when it is one. */
export const overviewProblems = (document: unknown): string[] => problemsAgainst(FLEET_OVERVIEW, document, "(overview)");

/**
 * The overview steward made, once it matches its published schema. It is made from reports that
 * each matched theirs, so one that does not is a bug: the run ends with an internal error (exit 3)
 * rather than write or print a document dashboards would misread.
 */
export function checkedOverview(overview: FleetOverview): FleetOverview {
  const problems = overviewProblems(overview);
  if (problems.length > 0) throw new StewardError(`the fleet overview does not match its own schema (a bug):\n  ${problems.join("\n  ")}`, ExitCode.INTERNAL);
  return overview;
}
