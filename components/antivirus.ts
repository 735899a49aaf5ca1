import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../core/azure";
import { judgeAlone, judgementFor, warnFindings, type JudgingArgs } from "./judging";
import { COMPONENT_TYPES, plannedOfType, planAntivirus, type AntivirusPlanArgs } from "./plan";
import { registerPlanned, registeredId } from "./registration";

export interface AntivirusPolicyArgs extends AntivirusPlanArgs, JudgingArgs {}

/**
 * A client's antivirus services in Azure: Defender for Servers Plan 2 in its scope subscriptions,
 * which Defender for Endpoint needs, and Defender for Cloud's security contact, which sends threat
 * alerts to whoever answers for antivirus. Judged by every policy before it registers anything
 * (planAntivirus plans it); a blocking finding throws a `pulumi.RunError` listing every finding.
 */
export class AntivirusPolicy extends pulumi.ComponentResource {
  /** The security contact's id. */
  readonly securityContactId: pulumi.Output<string>;
  /** The ids of the Defender for Servers pricings, one per scope subscription (none when not asked for). */
  readonly defenderForServersIds: pulumi.Output<string[]>;

  constructor(name: string, args: AntivirusPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planAntivirus(name, args);
    const judgement = judgementFor(`AntivirusPolicy "${name}" of client "${args.client.id}"`, plan, args.judgement, () =>
      judgeAlone(plan, args.client, { endpoints: [], updateRings: [] }, args),
    );
    super(COMPONENT_TYPES.antivirus, name, {}, opts);
    if (args.judgement === undefined) warnFindings(judgement, this);
    const ids = registerPlanned(plan.resources, this);
    this.securityContactId = registeredId(ids, plannedOfType(plan, TYPES.securityContact).name);
    this.defenderForServersIds = pulumi.all(plan.resources.filter((resource) => resource.type === TYPES.pricing).map((resource) => registeredId(ids, resource.name)));
    this.registerOutputs({ securityContactId: this.securityContactId, defenderForServersIds: this.defenderForServersIds });
  }
}
