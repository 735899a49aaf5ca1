import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../core/azure";
import { InputError } from "../core/errors";
import { judgeAlone, judgementFor, warnFindings, type JudgingArgs } from "./judging";
import { MonitoringBaseline } from "./monitoring";
import { COMPONENT_TYPES, ENDPOINT_ROLES, childName, idOf, plannedOfType, planEndpoint, type EndpointPlanArgs, type IdOf, type Plan } from "./plan";
import { registerPlanned, registeredId } from "./registration";
import { UpdateRing } from "./ring";

export interface ManagedEndpointArgs extends Omit<EndpointPlanArgs, "maintenanceConfigurationId" | "dataCollectionRuleId">, JudgingArgs {
  /**
   * The ring that patches it (a VM or Arc machine; a scale set has none): the UpdateRing, whose
   * plan is judged with the endpoint's, or the ARM id of a maintenance configuration this program
   * does not plan, whose schedule the policies then cannot see (endpoint-in-one-ring blocks it
   * unless waived or lowered). An UpdateRing must be the ring `endpoint.ring` names.
   */
  ring?: UpdateRing | string;
  /**
   * Where its agent reports: the MonitoringBaseline, whose plan (with its threat alert routing) is
   * judged with the endpoint's, or the ARM id of a data collection rule this program does not
   * plan (threat-alerts-routed then finds no route for the endpoint's threats and blocks unless
   * waived or lowered).
   */
  monitoring: MonitoringBaseline | string;
}

/**
 * A machine that already exists, made a managed endpoint: its antivirus extension (Microsoft
 * Antimalware, or Defender for Endpoint), the Azure Monitor Agent, the data collection rule
 * association and, for a VM or Arc machine, its update ring assignment. Judged by every policy,
 * with the ring and monitoring it is given, before it registers anything (planEndpoint plans it);
 * a blocking finding throws a `pulumi.RunError` listing every finding.
 */
export class ManagedEndpoint extends pulumi.ComponentResource {
  /** The antivirus extension's id. */
  readonly antivirusExtensionId: pulumi.Output<string>;
  /** The Azure Monitor Agent extension's id. */
  readonly monitoringAgentExtensionId: pulumi.Output<string>;
  /** The data collection rule association's id. */
  readonly ruleAssociationId: pulumi.Output<string>;
  /** The ring assignment's id; none for a scale set. */
  readonly ringAssignmentId: pulumi.Output<string> | undefined;

  constructor(name: string, args: ManagedEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    const refused = `ManagedEndpoint "${name}" of client "${args.client.id}"`;
    const ring = args.ring instanceof UpdateRing ? args.ring : undefined;
    const monitoring = args.monitoring instanceof MonitoringBaseline ? args.monitoring : undefined;
    // Another component's resource is referenced by its planned name, and resolves to that
    // component's output.
    const referenced = new Map<string, pulumi.Output<string>>();
    const reference = (part: Plan, type: string, id: pulumi.Output<string>): IdOf => {
      const planned = plannedOfType(part, type).name;
      referenced.set(planned, id);
      return idOf(planned);
    };
    const plan = planEndpoint(name, {
      client: args.client,
      endpoint: args.endpoint,
      antivirus: args.antivirus,
      maintenanceConfigurationId: args.ring instanceof UpdateRing ? reference(args.ring.plan, TYPES.maintenanceConfiguration, args.ring.maintenanceConfigurationId) : args.ring,
      dataCollectionRuleId:
        args.monitoring instanceof MonitoringBaseline ? reference(args.monitoring.plan, TYPES.dataCollectionRule, args.monitoring.dataCollectionRuleId) : args.monitoring,
    });
    // The ring it is tagged with and its assignment is named after is the one that patches it.
    if (ring && ring.ring.name !== args.endpoint.ring) {
      throw new InputError(`${refused}: ring is the UpdateRing of ring "${ring.ring.name}", but endpoint.ring is ${JSON.stringify(args.endpoint.ring)}; give the endpoint the ring that patches it`);
    }
    const judgement = judgementFor(refused, plan, args.judgement, () => {
      const withReferenced = [plan, ...[ring?.plan, monitoring?.plan].filter((part): part is Plan => part !== undefined)];
      const whole = { components: withReferenced.flatMap((part) => part.components), resources: withReferenced.flatMap((part) => part.resources) };
      return judgeAlone(whole, args.client, { endpoints: [args.endpoint], updateRings: ring ? [ring.ring] : [] }, args);
    });
    super(COMPONENT_TYPES.endpoint, name, {}, opts);
    if (args.judgement === undefined) warnFindings(judgement, this);
    const ids = registerPlanned(plan.resources, this, referenced);
    this.antivirusExtensionId = registeredId(ids, childName(name, ENDPOINT_ROLES.antivirus));
    this.monitoringAgentExtensionId = registeredId(ids, childName(name, ENDPOINT_ROLES.monitoringAgent));
    this.ruleAssociationId = registeredId(ids, childName(name, ENDPOINT_ROLES.ruleAssociation));
    this.ringAssignmentId = ids.get(childName(name, ENDPOINT_ROLES.ringAssignment));
    this.registerOutputs({
      antivirusExtensionId: this.antivirusExtensionId,
      monitoringAgentExtensionId: this.monitoringAgentExtensionId,
      ruleAssociationId: this.ruleAssociationId,
      ringAssignmentId: this.ringAssignmentId,
    });
  }
}
