/** Azure Resource Manager ids: the one place that parses and builds them. */

export interface ArmResourceRef {
  subscriptionId: string | null;
  resourceGroup: string;
  /** `microsoft.compute/virtualmachines`, lower case. */
  resourceType: string;
  name: string;
  /** True when the id names something inside the resource (`.../virtualMachines/vm/extensions/x`). */
  nested: boolean;
}

const RESOURCE_ID =
  /^\/?subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)(\/.*)?$/i;

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/...]` (case-insensitive). */
export function parseResourceId(id: string): ArmResourceRef | null {
  const match = RESOURCE_ID.exec(id);
  if (!match) return null;
  const [, subscriptionId, resourceGroup, resourceType, name, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  return { subscriptionId, resourceGroup, resourceType: resourceType.toLowerCase(), name, nested: rest !== undefined && rest !== "/" };
}

export function resourceId(ref: Omit<ArmResourceRef, "nested"> & { subscriptionId: string }): string {
  return `/subscriptions/${ref.subscriptionId}/resourcegroups/${ref.resourceGroup}/providers/${ref.resourceType}/${ref.name}`.toLowerCase();
}

/**
 * The resource's name and whatever of it the id names below it (`nwl-web01`,
 * `nwl-web01/patchAssessmentResults/latest`): a child's own name (`latest`) says nothing alone.
 * Null for what is not an ARM id.
 */
export function namePath(id: string): string | null {
  const match = RESOURCE_ID.exec(id);
  return match ? `${match[4] as string}${(match[5] ?? "").replace(/\/$/, "")}` : null;
}

/**
 * An id that names one child of a resource (`.../virtualMachineScaleSets/ss/virtualMachines/0`):
 * its parent (and the parent's id as written), and its own type (the parent's type and the child's, lower case) and name. Null for
 * an id that is not a resource's direct child.
 */
export function parseChildResourceId(id: string): { parent: ArmResourceRef; parentId: string; type: string; name: string } | null {
  const rest = RESOURCE_ID.exec(id)?.[5];
  const child = rest === undefined ? null : /^\/([^/]+)\/([^/]+)$/.exec(rest);
  const parent = parseResourceId(id);
  if (!child || !parent || rest === undefined) return null;
  return {
    parent: { ...parent, nested: false },
    parentId: id.slice(0, id.length - rest.length),
    type: `${parent.resourceType}/${(child[1] as string).toLowerCase()}`,
    name: child[2] as string,
  };
}
