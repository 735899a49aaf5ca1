// Every renderer of the CLI: pure functions from a command's report to text. The gate's report
// (core/gate-report.ts) has a format per CI system (gate.ts picks one); the other commands'
// reports (cli/reports.ts, core/drift.ts) are text for people or JSON, the report itself (json.ts).
export { renderCheck } from "./check";
export { renderCoverage } from "./coverage";
export { renderDrift, renderFleetDrift } from "./drift";
export { progressText, summaryText } from "./fleet";
export { renderEvaluate } from "./evaluate";
export { renderGate, type GateRenderContext } from "./gate";
export { renderPolicies } from "./policies";
export { renderStacks } from "./stacks";
export { outcome, type Outcome } from "./common";
export { findingLines, groupRepeatedAdvisories, groupText, resourceName } from "./finding-list";
export { toGitHub, escapeData, escapeProperty, markdownCell } from "./github";
export { toJUnit, escapeXmlAttribute, escapeXmlText } from "./junit";
export { toSarif, artifactUri, findingFingerprint, DEFAULT_SARIF_ARTIFACT, SARIF_SCHEMA_URI, STEWARD_INFORMATION_URI, type SarifOptions } from "./sarif";
export { toTable, wantsColor, type TableOptions } from "./gate-table";
export { json } from "./json";
