import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as hybridcompute from "@pulumi/azure-native/hybridcompute";
import * as maintenance from "@pulumi/azure-native/maintenance";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as security from "@pulumi/azure-native/security";
import type { ClientConfig } from "../core/client-config";
import type { EvaluationSummary } from "../core/engine";
import type { PolicyEngine } from "../core/engine";
import { TYPES } from "../core/azure";
import { COMPONENT_TYPES, isIdOf, type ComponentType, type PlannedResource, type PlannedValue } from "./plan";
import { NOT_FULLY_ENFORCED, exceptionText } from "../core/exceptions";
import { BaselineRefusedError, formatFinding, preflight } from "./preflight";

type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & { id: pulumi.Output<string> };

/** The azure-native class behind each planned resource type. */
const RESOURCE_CLASSES: Record<string, ResourceClass> = {
  [TYPES.vmExtension]: compute.VirtualMachineExtension,
  [TYPES.scaleSetExtension]: compute.VirtualMachineScaleSetExtension,
  [TYPES.arcExtension]: hybridcompute.MachineExtension,
  [TYPES.maintenanceConfiguration]: maintenance.MaintenanceConfiguration,
  [TYPES.assignment]: maintenance.ConfigurationAssignment,
  [TYPES.dataCollectionRule]: monitor.DataCollectionRule,
  [TYPES.dataCollectionRuleAssociation]: monitor.DataCollectionRuleAssociation,
  [TYPES.workspace]: operationalinsights.Workspace,
  [TYPES.actionGroup]: monitor.ActionGroup,
  [TYPES.pricing]: security.Pricing,
  [TYPES.securityContact]: security.SecurityContact,
};

export interface ClientBaselineArgs {
  /** The client's configuration (`loadClientConfig`). */
  config: ClientConfig;
  /** Time the preflight judges waivers and ring expiry against. Default: now. */
  evaluatedAt?: Date;
  /** Policy engine to judge the plan with. Default: the bundle in build/policy. */
  engine?: PolicyEngine;
}

/** Resolves a planned value: references to other resources become their ids. */
function resolve(value: PlannedValue, created: Map<string, pulumi.CustomResource & { id: pulumi.Output<string> }>): unknown {
  if (isIdOf(value)) {
    const target = created.get(value.$idOf);
    if (!target) throw new Error(`steward plan refers to ${value.$idOf} before creating it`);
    return target.id;
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, created));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, created)]));
  return value;
}

/**
 * Runs the preflight; a refusal becomes a `pulumi.RunError` (its `cause` the BaselineRefusedError
 * with the findings), which Pulumi reports as the message alone: every finding and its fix, no
 * stack trace and no dump of the error object.
 */
function refuseAsUserError<T>(judge: () => T): T {
  try {
    return judge();
  } catch (error) {
    if (error instanceof BaselineRefusedError) throw new pulumi.RunError(error.message, { cause: error });
    throw error;
  }
}

/** A part of the baseline (an endpoint, a ring, the antivirus policy, monitoring): a component
 *  that owns its planned resources. */
export class BaselinePart extends pulumi.ComponentResource {
  constructor(type: ComponentType, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
  }

  /** Registers planned resources as children of this part. */
  create(resources: PlannedResource[], created: Map<string, pulumi.CustomResource & { id: pulumi.Output<string> }>): void {
    for (const resource of resources) {
      const ResourceClass = RESOURCE_CLASSES[resource.type];
      if (!ResourceClass) throw new Error(`steward cannot create planned resource type ${resource.type}`);
      const args = resolve(resource.args, created) as never;
      created.set(resource.name, new ResourceClass(resource.name, args, { parent: this }));
    }
    this.registerOutputs({});
  }
}

/**
 * A client's managed endpoint baseline: antivirus, update rings, monitoring, threat notifications
 * and tags for machines that already exist. The plan is judged by every steward policy before
 * anything is registered; a blocking finding throws a `pulumi.RunError` listing every finding
 * (its `cause` is the BaselineRefusedError), so `pulumi preview` and `pulumi up` fail with
 * nothing created and show only the findings and their fixes.
 */
export class ClientBaseline extends pulumi.ComponentResource {
  /** Ring name → the endpoints it patches, in ring order. */
  readonly rings: pulumi.Output<Record<string, string[]>>;
  /** Service → who answers for it (msp, client, shared). */
  readonly responsibilities: pulumi.Output<ClientConfig["client"]["responsibilities"]>;
  /** The preflight's counts: blocking (always 0 here), advisory, waived. */
  readonly preflight: pulumi.Output<EvaluationSummary>;

  constructor(name: string, args: ClientBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    // Judge before super(): a refused baseline must not register even this component.
    const { plan, evaluation, notFullyEnforced: weakened } = refuseAsUserError(() =>
      preflight(args.config, { project: pulumi.getProject(), stack: pulumi.getStack() }, args.evaluatedAt ?? new Date(), args.engine),
    );
    super(COMPONENT_TYPES.baseline, name, {}, opts);
    if (weakened.length > 0) {
      pulumi.log.warn(`steward: ${NOT_FULLY_ENFORCED} (${weakened.length}):\n${weakened.map((entry) => `  - ${exceptionText(entry)}`).join("\n")}`, this);
    }
    const advisory = evaluation.findings.filter((finding) => finding.waiver === null && finding.enforcement === "advisory");
    if (advisory.length > 0) {
      pulumi.log.warn(`steward: ${advisory.length} advisory finding(s):\n${advisory.map((finding) => `  - ${formatFinding(finding)}`).join("\n")}`, this);
    }

    const parts = new Map<string, BaselinePart>();
    const created = new Map<string, pulumi.CustomResource & { id: pulumi.Output<string> }>();
    for (const component of plan.components.slice(1)) {
      const parent = component.parent === plan.components[0]?.name ? this : parts.get(component.parent ?? "");
      parts.set(component.name, new BaselinePart(component.type, component.name, { parent }));
    }
    for (const [partName, part] of parts) {
      part.create(
        plan.resources.filter((resource) => resource.parent === partName),
        created,
      );
    }

    this.rings = pulumi.output(plan.rings);
    this.responsibilities = pulumi.output(args.config.client.responsibilities);
    this.preflight = pulumi.output(evaluation.summary);
    this.registerOutputs({ rings: this.rings, responsibilities: this.responsibilities, preflight: this.preflight });
  }
}
