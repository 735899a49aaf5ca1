import * as pulumi from "@pulumi/pulumi";
import type { ClientConfig } from "../core/config";
import { complianceSummary, type ComplianceSummary } from "../core/compliance";
import type { EvaluationSummary, PolicyEngine } from "../core/engine";
import { AntivirusPolicy } from "./antivirus";
import { ManagedEndpoint } from "./endpoint";
import { judgementFor, stackIdentity, warnFindings } from "./judging";
import { MonitoringBaseline } from "./monitoring";
import { BASELINE_PARTS, COMPONENT_TYPES, formerNames, needsDefenderForServers, planBaseline, ringsInOrder } from "./plan";
import { Judgement, clientContext } from "./preflight";
import { UpdateRing } from "./ring";

export interface ClientBaselineArgs {
  /** The client's configuration (`loadClientConfig`). */
  config: ClientConfig;
  /** Time the preflight judges waivers and ring expiry against. Default: now. */
  evaluatedAt?: Date;
  /** Policy engine to judge the plan with. Default: the bundle in build/policy, loaded once per process. */
  engine?: PolicyEngine;
}

/**
 * Gives each renamed descendant an alias to its former name (formerNames), so that Pulumi carries
 * a stack's state over to the new name instead of creating the resource anew and deleting the
 * old one: with the same Azure name, that delete would remove the live resource. The former
 * parent is the current one, as `{ name }` alone says.
 */
function aliasFormerNames(renamed: ReadonlyMap<string, string>): pulumi.ResourceTransformation {
  return ({ name, props, opts }) => {
    const former = renamed.get(name);
    return former === undefined ? undefined : { props, opts: pulumi.mergeOptions(opts, { aliases: [{ name: former }] }) };
  };
}

/**
 * A client's managed endpoint baseline for machines that already exist: its MonitoringBaseline,
 * AntivirusPolicy, an UpdateRing per ring and a ManagedEndpoint per endpoint, each named
 * `<name>-<part>`. The whole client is judged by every policy once, before anything is
 * registered, and each part stands on that judgement instead of judging itself again; a blocking
 * finding throws a `pulumi.RunError` listing every finding (its `cause` is the
 * BaselineRefusedError), so `pulumi preview` and `pulumi up` fail with nothing created and show
 * only the findings and their fixes.
 */
export class ClientBaseline extends pulumi.ComponentResource {
  /** Ring name → the endpoints it patches, in ring order. */
  readonly rings: pulumi.Output<Record<string, string[]>>;
  /** Service → who answers for it (msp, client, shared). */
  readonly responsibilities: pulumi.Output<ClientConfig["client"]["responsibilities"]>;
  /** The preflight's counts: blocking (always 0 here), advisory, waived. */
  readonly preflight: pulumi.Output<EvaluationSummary>;
  /** The six questions answered for the baseline as deployed, per question, and each ring's
   *  windows for the coming month (core/compliance/summary.ts): known once every resource of the
   *  baseline exists, so a preview shows it as unknown. */
  readonly compliance: pulumi.Output<ComplianceSummary>;
  readonly monitoring: MonitoringBaseline;
  readonly antivirus: AntivirusPolicy;
  /** In ring order. */
  readonly updateRings: UpdateRing[];
  /** In the configuration's order. */
  readonly endpoints: ManagedEndpoint[];

  constructor(name: string, args: ClientBaselineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const { config } = args;
    const plan = planBaseline(name, config);
    const evaluatedAt = args.evaluatedAt ?? new Date();
    // Judged before super(): a refused baseline must not register even this component.
    const judgement = judgementFor(`client "${config.client.id}"`, plan, undefined, () =>
      Judgement.judge(plan, clientContext(config, stackIdentity(), evaluatedAt), args.engine),
    );
    super(COMPONENT_TYPES.baseline, name, {}, { ...opts, transformations: [...(opts.transformations ?? []), aliasFormerNames(formerNames(name, config))] });
    warnFindings(judgement, this);

    const composed = { client: config.client, judgement };
    const children = { parent: this };
    this.monitoring = new MonitoringBaseline(BASELINE_PARTS.monitoring(name), { ...composed, workspaceRetentionDays: config.monitoring.workspaceRetentionDays }, children);
    this.antivirus = new AntivirusPolicy(BASELINE_PARTS.antivirus(name), { ...composed, defenderForServers: needsDefenderForServers(config) }, children);
    const rings = new Map(ringsInOrder(config).map((ring) => [ring.name, new UpdateRing(BASELINE_PARTS.ring(name, ring.name), { ...composed, ring }, children)]));
    this.updateRings = [...rings.values()];
    this.endpoints = config.endpoints.map(
      (endpoint) =>
        new ManagedEndpoint(
          BASELINE_PARTS.endpoint(name, endpoint.name),
          { ...composed, endpoint, antivirus: config.antivirus, ring: endpoint.ring === undefined ? undefined : rings.get(endpoint.ring), monitoring: this.monitoring },
          children,
        ),
    );

    this.rings = pulumi.output(plan.rings);
    this.responsibilities = pulumi.output(config.client.responsibilities);
    this.preflight = pulumi.output(judgement.evaluation.summary);
    this.compliance = pulumi
      .all(this.resourceIds())
      .apply(() => complianceSummary(judgement.document, judgement.evaluation, config, evaluatedAt));
    this.registerOutputs({ rings: this.rings, responsibilities: this.responsibilities, preflight: this.preflight, compliance: this.compliance });
  }

  /** The id of every resource the baseline registers (its parts' outputs): what `compliance` waits for. */
  resourceIds(): Array<pulumi.Output<unknown>> {
    return [
      this.monitoring.workspaceId,
      this.monitoring.dataCollectionRuleId,
      this.monitoring.actionGroupId,
      this.antivirus.securityContactId,
      this.antivirus.defenderForServersIds,
      ...this.updateRings.map((ring) => ring.maintenanceConfigurationId),
      ...this.endpoints.flatMap((endpoint) => [
        endpoint.antivirusExtensionId,
        endpoint.monitoringAgentExtensionId,
        endpoint.ruleAssociationId,
        ...(endpoint.ringAssignmentId === undefined ? [] : [endpoint.ringAssignmentId]),
      ]),
    ];
  }
}
