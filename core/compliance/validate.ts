import type { ErrorObject, ValidateFunction } from "ajv";
import { COMPLIANCE_REPORT, loadValidator } from "../validators";
import type { ClientComplianceReport } from "./types";

let loaded: ValidateFunction<ClientComplianceReport> | undefined;

const MAX_REPORTED = 10;

const describe = (error: ErrorObject): string => `${error.instancePath === "" ? "(report)" : error.instancePath}: ${error.message ?? error.keyword}`;

/**
 * The problems of a document as a compliance report (core/schema/compliance-report.schema.json,
 * validator generated at build time): none when it is one.
 */
export function reportProblems(document: unknown): string[] {
  loaded ??= loadValidator<ClientComplianceReport>(COMPLIANCE_REPORT);
  if (loaded(document)) return [];
  const errors = loaded.errors ?? [];
  const lines = errors.slice(0, MAX_REPORTED).map(describe);
  if (errors.length > MAX_REPORTED) lines.push(`... and ${errors.length - MAX_REPORTED} more`);
  return lines;
}
