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
