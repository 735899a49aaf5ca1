import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../core/azure";
import { judgeAlone, judgementFor, warnFindings, type JudgingArgs } from "./judging";
import { COMPONENT_TYPES, plannedOfType, planMonitoring, type MonitoringPlanArgs, type Plan } from "./plan";
import { registerPlanned, registeredId } from "./registration";

export interface MonitoringBaselineArgs extends MonitoringPlanArgs, JudgingArgs {}

/**
 * Where a client's endpoints report: a Log Analytics workspace, the data collection rule every
 * endpoint's Azure Monitor Agent sends antivirus, update and security events through, and the
 * action group that sends threat alerts to whoever answers for antivirus. Judged by every policy
 * before it registers anything (planMonitoring plans it); a blocking finding throws a
 * `pulumi.RunError` listing every finding.
 */
export class MonitoringBaseline extends pulumi.ComponentResource {
  /** The Log Analytics workspace's id. */
  readonly workspaceId: pulumi.Output<string>;
  /** The data collection rule's id, for endpoints' rule associations. */
  readonly dataCollectionRuleId: pulumi.Output<string>;
  /** The threat alerts action group's id. */
  readonly actionGroupId: pulumi.Output<string>;
  /** What it planned and was judged on; an endpoint reporting through it is judged with it. */
  readonly plan: Plan;

  constructor(name: string, args: MonitoringBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planMonitoring(name, args);
    const judgement = judgementFor(`MonitoringBaseline "${name}" of client "${args.client.id}"`, plan, args.judgement, () =>
      judgeAlone(plan, args.client, { endpoints: [], updateRings: [] }, args),
    );
    super(COMPONENT_TYPES.monitoring, name, {}, opts);
    if (args.judgement === undefined) warnFindings(judgement, this);
    this.plan = plan;
    const ids = registerPlanned(plan.resources, this);
    this.workspaceId = registeredId(ids, plannedOfType(plan, TYPES.workspace).name);
    this.dataCollectionRuleId = registeredId(ids, plannedOfType(plan, TYPES.dataCollectionRule).name);
    this.actionGroupId = registeredId(ids, plannedOfType(plan, TYPES.actionGroup).name);
    this.registerOutputs({ workspaceId: this.workspaceId, dataCollectionRuleId: this.dataCollectionRuleId, actionGroupId: this.actionGroupId });
  }
}
