import type { ClientConfig } from "../config/client-config";
import type { StewardInput } from "../document";
import type { Evaluation } from "../engine";
import { answerQuestions } from "./answers";
import { monthAfter, utcDay } from "./calendar";
import { worst } from "./questions";
import { coverageLimits, questionSummaries, ringSchedules } from "./report";
import type { QuestionSummary, RingSchedule, Verdict } from "./types";

/**
 * The six questions for a client as one Pulumi update deployed its baseline: what
 * `pulumi stack output compliance` shows. Smaller than the report: no evidence per machine,
 * findings or provenance (`steward report` has them), the answers' counts per question and the
 * rings' windows for a month.
 */
export interface ComplianceSummary {
  /** Always `deployed`: the baseline exactly as this update registered it (ClientBaseline
   *  resolves the summary only once every resource of it exists). */
  basis: "deployed";
  /** The worst verdict of any question. */
  status: Verdict;
  questions: QuestionSummary[];
  /** Each ring with its endpoints and its maintenance windows for a month from the update. */
  rings: RingSchedule[];
}

/** Declared roles by endpoint name in lower case, as the answers look them up. */
export function declaredRoles(config: Pick<ClientConfig, "endpoints">): ReadonlyMap<string, string> {
  return new Map(config.endpoints.flatMap((endpoint) => (endpoint.role ? [[endpoint.name.toLowerCase(), endpoint.role] as const] : [])));
}

/**
 * The summary of a client's baseline as deployed: `document` and `evaluation` are the judged plan
 * (components/preflight), which the update has just registered resource for resource. Machines
 * the stack file does not declare were not looked for, which leaves "installed on all computers"
 * not verifiable (`steward report --inventory` looks for them).
 */
export function complianceSummary(document: StewardInput, evaluation: Evaluation, config: ClientConfig, deployedAt: Date): ComplianceSummary {
  const { rows } = answerQuestions({ basis: "deployed", document, evaluation, coverage: null, patchAssessment: null, roles: declaredRoles(config) });
  const questions = questionSummaries(rows, config, coverageLimits(false, []));
  const from = utcDay(deployedAt);
  return {
    basis: "deployed",
    status: worst(questions.map((question) => question.verdict)),
    questions,
    rings: ringSchedules(config, from, monthAfter(from)),
  };
}
