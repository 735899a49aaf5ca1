import type { BaselinePlan } from "../components/plan";
import { judgeBaseline, type Judgement } from "../components/preflight";
import type { ClientConfig } from "../core/config";
import type { PolicyEngine } from "../core/engine";

/** A client's planned baseline, judged as its stack would be in the steward project: the one
 *  place the CLI calls the preflight (check and report plan with it, coverage takes the client's overrides
 *  as the policies applied them). */
export function judgeStack(config: ClientConfig, stack: string, evaluatedAt: Date, engine: PolicyEngine): Judgement<BaselinePlan> {
  return judgeBaseline(config, { project: "steward", stack }, evaluatedAt, engine);
}
