import * as pulumi from "@pulumi/pulumi";
import type { ClientConfig, ClientSettings, PolicyOverrides, WaiverSettings } from "../core/config";
import { declaredBaseline } from "../core/declared";
import type { PolicyEngine } from "../core/engine";
import { InputError } from "../core/errors";
import { NOT_FULLY_ENFORCED, exceptionText } from "../core/exceptions";
import type { Plan } from "./plan";
import { BaselineRefusedError, Judgement, formatFinding, type StackIdentity } from "./preflight";

/** How a component is judged before it registers anything. */
export interface JudgingArgs {
  /** Waivers (`steward:waivers` as loadClientConfig returns them). Default: none. */
  waivers?: WaiverSettings[];
  /** Enforcement overrides and thresholds (`steward:policy`). Default: none: every policy at its
   *  own enforcement, the thresholds of core/settings.ts. */
  policy?: PolicyOverrides;
  /** Time waivers, overrides and ring expiry are judged at. Default: now. */
  evaluatedAt?: Date;
  /** Policy engine. Default: the bundle in build/policy, loaded once per process. */
  engine?: PolicyEngine;
  /**
   * The judgement of a plan that contains this component's, from the component that composes it:
   * ClientBaseline judges its whole client once and hands the judgement to each part. The
   * component refuses a judgement that does not cover every resource it plans exactly as it plans
   * it. Default: none; the component judges its own plan, with the settings above (which a given
   * judgement has already applied).
   */
  judgement?: Judgement;
}

export const stackIdentity = (): StackIdentity => ({ project: pulumi.getProject(), stack: pulumi.getStack() });

/**
 * A component's plan (with the plans of the components it references) judged on its own, against
 * what it declares of its client: the client and the endpoints and rings it deploys. A part that
 * neither protects a machine nor routes a threat alert (an UpdateRing) declares nothing
 * (`declared` null): a declared baseline is a client's deployment, which the policies expect to
 * route threat alerts somewhere.
 */
export function judgeAlone(plan: Plan, client: ClientSettings, declared: Pick<ClientConfig, "endpoints" | "updateRings"> | null, args: JudgingArgs): Judgement {
  return Judgement.judge(
    plan,
    {
      identity: stackIdentity(),
      evaluatedAt: args.evaluatedAt ?? new Date(),
      client: client.id,
      baseline: declared && declaredBaseline({ client, ...declared }),
      waivers: args.waivers ?? [],
      settings: args.policy ?? {},
    },
    args.engine,
  );
}

/**
 * The judgement a component stands on, before it registers anything: `given`, when it covers the
 * component's `plan`, else `judgeOwnPlan()`. Blocking findings refuse it: a `pulumi.RunError`
 * listing every finding and its fix (its `cause` the BaselineRefusedError), which Pulumi shows as
 * the message alone, without a stack trace. `refused` names the component in that message.
 */
export function judgementFor(refused: string, plan: Plan, given: Judgement | undefined, judgeOwnPlan: () => Judgement): Judgement {
  let judgement = given;
  if (judgement === undefined) {
    judgement = judgeOwnPlan();
  } else {
    // The type system already stops a hand-made object; this stops a cast one.
    if (!(judgement instanceof Judgement)) throw new InputError(`${refused}: judgement is not one steward's preflight made`);
    const uncovered = judgement.uncovered(plan);
    if (uncovered.length > 0) {
      throw new InputError([`${refused}: the judgement it was given does not cover its plan:`, ...uncovered.map((problem) => `  ${problem}`)].join("\n"));
    }
  }
  const blocking = judgement.blocking;
  if (blocking.length > 0) {
    const error = new BaselineRefusedError(refused, blocking);
    throw new pulumi.RunError(error.message, { cause: error });
  }
  return judgement;
}

/** Pulumi warnings, on `resource`, for what the judgement lets through: the policies not fully
 *  enforced for the client, then the advisory findings. */
export function warnFindings(judgement: Judgement, resource: pulumi.Resource): void {
  const weakened = judgement.notFullyEnforced;
  if (weakened.length > 0) {
    pulumi.log.warn(`steward: ${NOT_FULLY_ENFORCED} (${weakened.length}):\n${weakened.map((entry) => `  - ${exceptionText(entry)}`).join("\n")}`, resource);
  }
  const advisory = judgement.evaluation.findings.filter((finding) => finding.waiver === null && finding.enforcement === "advisory");
  if (advisory.length > 0) {
    pulumi.log.warn(`steward: ${advisory.length} advisory finding(s):\n${advisory.map((finding) => `  - ${formatFinding(finding)}`).join("\n")}`, resource);
  }
}
