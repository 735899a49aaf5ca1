export * from "./types";
export { QUESTIONS, POLICY_TOPICS, COVERAGE_TOPICS, policyTopic, questionsOf, worst, verdictRank, type Question, type PolicyTopic } from "./questions";
export { answerQuestions, resourceName, type JudgedState, type PlacedFinding } from "./answers";
export { complianceReport, countVerdicts, type ReportContext } from "./report";
export { comparable, trendOf, type Comparable } from "./trend";
export { currentPeriod, duePeriod, patchTuesday, ianaZone, ringWindows, monthAfter, dayNumber, utcDay, type Schedule } from "./calendar";
export { checkedOverview, overviewProblems, reportProblems } from "./validate";
export { fleetOverview, type FleetOverview, type FleetClient, type ClientProblem, type ManifestEntry, type ReportManifest } from "./fleet";
export { complianceSummary, declaredRoles, type ComplianceSummary } from "./summary";
