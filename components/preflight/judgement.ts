import type { ClientConfig } from "../../core/config";
import { declaredBaseline } from "../../core/declared";
import type { StewardInput } from "../../core/document";
import { isBlocking, type Evaluation, type Finding, type PolicyEngine } from "../../core/engine";
import { notFullyEnforced, type NotFullyEnforced } from "../../core/exceptions";
import { sameJson } from "../../core/values";
import { planBaseline, type BaselinePlan, type Plan, type PlannedComponent, type PlannedResource } from "../plan";
import { planDocument, type PlanContext, type StackIdentity } from "./document";
import { bundledEngine } from "./engine";

/**
 * A plan judged by every policy: the plan, its normalized document, the findings and the policies
 * not fully enforced for the client. Only `Judgement.judge` makes one (the constructor is
 * private), so a component handed one knows the engine made it; `uncovered` tells it whether the
 * judgement stands for its own plan.
 */
export class Judgement<P extends Plan = Plan> {
  private judged: { components: Map<string, PlannedComponent>; resources: Map<string, PlannedResource> } | undefined;

  private constructor(
    readonly plan: P,
    readonly document: StewardInput,
    readonly evaluation: Evaluation,
    /** The policies not fully enforced for the client (core/exceptions.ts). */
    readonly notFullyEnforced: NotFullyEnforced[],
  ) {}

  /** Judges a plan with every policy. `engine` default: the bundled one (bundledEngine). */
  static judge<P extends Plan>(plan: P, context: PlanContext, engine: PolicyEngine = bundledEngine()): Judgement<P> {
    const document = planDocument(plan, context);
    const evaluation = engine.evaluate(document);
    return new Judgement(plan, document, evaluation, notFullyEnforced(document, evaluation, engine.catalog));
  }

  /** The findings that refuse the plan (isBlocking). */
  get blocking(): Finding[] {
    return this.evaluation.findings.filter(isBlocking);
  }

  /**
   * What of `plan` this judgement did not judge as `plan` has it: each component missing from the
   * judged plan, and each resource missing or judged with another type, parent or inputs. Empty
   * when the judgement covers the plan.
   */
  uncovered(plan: Plan): string[] {
    this.judged ??= {
      components: new Map(this.plan.components.map((component) => [component.name, component])),
      resources: new Map(this.plan.resources.map((resource) => [resource.name, resource])),
    };
    const { components, resources } = this.judged;
    const problems: string[] = [];
    for (const component of plan.components) {
      if (components.get(component.name)?.type !== component.type) problems.push(`${component.type} "${component.name}" was not judged`);
    }
    for (const resource of plan.resources) {
      const judged = resources.get(resource.name);
      if (!judged) problems.push(`${resource.type} "${resource.name}" was not judged`);
      else if (judged.type !== resource.type || judged.parent !== resource.parent || !sameJson(judged.args, resource.args)) {
        problems.push(`${resource.type} "${resource.name}" was judged as planned otherwise`);
      }
    }
    return problems;
  }
}

/** What a client's baseline is judged against: its declared baseline, waivers and policy settings. */
export function clientContext(config: ClientConfig, identity: StackIdentity, evaluatedAt: Date): PlanContext {
  return { identity, evaluatedAt, client: config.client.id, baseline: declaredBaseline(config), waivers: config.waivers, settings: config.policy };
}

/** Plans a client's baseline (named after the client, as the program names it) and judges it with every policy. */
export function judgeBaseline(config: ClientConfig, identity: StackIdentity, evaluatedAt: Date, engine?: PolicyEngine): Judgement<BaselinePlan> {
  return Judgement.judge(planBaseline(config.client.id, config), clientContext(config, identity, evaluatedAt), engine);
}
