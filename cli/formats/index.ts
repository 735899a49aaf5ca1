// Renderers of the gate report (core/gate-report.ts): pure functions from a GateReport to text or
// SARIF. The JSON format is the report itself (cli/output.ts `json`).
export { outcome, type Outcome } from "./common";
export { toGitHub, escapeData, escapeProperty, markdownCell } from "./github";
export { toJUnit, escapeXmlAttribute, escapeXmlText } from "./junit";
export {
  toSarif,
  artifactUri,
  findingFingerprint,
  DEFAULT_SARIF_ARTIFACT,
  SARIF_SCHEMA_URI,
  STEWARD_INFORMATION_URI,
  type SarifLevel,
  type SarifLog,
  type SarifOptions,
  type SarifResult,
  type SarifRule,
} from "./sarif";
export { toTable, wantsColor, type TableOptions } from "./table";
