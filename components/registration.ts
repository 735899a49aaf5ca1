import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as hybridcompute from "@pulumi/azure-native/hybridcompute";
import * as maintenance from "@pulumi/azure-native/maintenance";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as security from "@pulumi/azure-native/security";
import { TYPES } from "../core/azure";
import { isIdOf, type PlannedResource, type PlannedValue } from "./plan";

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

/** Ids of registered resources, by planned name. */
export type RegisteredIds = ReadonlyMap<string, pulumi.Output<string>>;

/** Resolves a planned value: references to other resources become their ids. */
function resolve(value: PlannedValue, ids: RegisteredIds): unknown {
  if (isIdOf(value)) {
    const id = ids.get(value.$idOf);
    if (!id) throw new Error(`steward plan refers to ${value.$idOf} before creating it`);
    return id;
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, ids));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, ids)]));
  return value;
}

/**
 * Registers planned resources as children of `parent`, in order, and returns their ids. A
 * reference resolves to a resource registered before it here, or to one of `referenced` (another
 * component's resources, by planned name).
 */
export function registerPlanned(resources: PlannedResource[], parent: pulumi.ComponentResource, referenced: RegisteredIds = new Map()): RegisteredIds {
  const ids = new Map(referenced);
  for (const resource of resources) {
    const ResourceClass = RESOURCE_CLASSES[resource.type];
    if (!ResourceClass) throw new Error(`steward cannot create planned resource type ${resource.type}`);
    ids.set(resource.name, new ResourceClass(resource.name, resolve(resource.args, ids) as never, { parent }).id);
  }
  return ids;
}

/** The id of a resource registerPlanned registered. */
export function registeredId(ids: RegisteredIds, name: string): pulumi.Output<string> {
  const id = ids.get(name);
  if (!id) throw new Error(`steward registered no resource named ${name}`);
  return id;
}
