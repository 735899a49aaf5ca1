import * as pulumi from "@pulumi/pulumi";
import type { UpdateRingSettings } from "../core/config";
import { TYPES } from "../core/azure";
import { judgeAlone, judgementFor, warnFindings, type JudgingArgs } from "./judging";
import { COMPONENT_TYPES, plannedOfType, planRing, type Plan, type RingPlanArgs } from "./plan";
import { registerPlanned, registeredId } from "./registration";

export interface UpdateRingArgs extends RingPlanArgs, JudgingArgs {}

/**
 * An update ring: an Azure Update Manager maintenance configuration (InGuestPatch) that patches
 * its endpoints a set number of days after Patch Tuesday. Judged by every policy before it
 * registers anything (planRing plans it); a blocking finding throws a `pulumi.RunError` listing
 * every finding.
 */
export class UpdateRing extends pulumi.ComponentResource {
  /** The maintenance configuration's id, for endpoints' ring assignments. */
  readonly maintenanceConfigurationId: pulumi.Output<string>;
  /** The ring it deploys. */
  readonly ring: UpdateRingSettings;
  /** What it planned and was judged on; an endpoint in this ring is judged with it. */
  readonly plan: Plan;

  constructor(name: string, args: UpdateRingArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planRing(name, args);
    const judgement = judgementFor(`UpdateRing "${name}" of client "${args.client.id}"`, plan, args.judgement, () =>
      judgeAlone(plan, args.client, null, args),
    );
    super(COMPONENT_TYPES.ring, name, {}, opts);
    if (args.judgement === undefined) warnFindings(judgement, this);
    this.ring = args.ring;
    this.plan = plan;
    const ids = registerPlanned(plan.resources, this);
    this.maintenanceConfigurationId = registeredId(ids, plannedOfType(plan, TYPES.maintenanceConfiguration).name);
    this.registerOutputs({ maintenanceConfigurationId: this.maintenanceConfigurationId });
  }
}
