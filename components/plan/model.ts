import type { ClientSettings, Contact } from "../../core/config";
import { DEFAULT_MANAGED_BY } from "../../core/azure";

/**
 * Plans as data: every component and resource steward's components register, with its exact
 * inputs. Pure, so the preflight can judge a plan before anything is created and tests can read
 * one without a Pulumi engine.
 */

export const COMPONENT_TYPES = {
  baseline: "steward:index:ClientBaseline",
  endpoint: "steward:index:ManagedEndpoint",
  ring: "steward:index:UpdateRing",
  antivirus: "steward:index:AntivirusPolicy",
  monitoring: "steward:index:MonitoringBaseline",
} as const;
export type ComponentType = (typeof COMPONENT_TYPES)[keyof typeof COMPONENT_TYPES];

/** An input that is another planned resource's id, known only after that resource is created. */
export interface IdOf {
  $idOf: string;
}
export type PlannedValue = string | number | boolean | null | IdOf | PlannedValue[] | { [key: string]: PlannedValue };

export interface PlannedComponent {
  /** Unique within the plan; also the Pulumi resource name. */
  name: string;
  type: ComponentType;
  /** `name` of the parent component; null for a component the plan does not place under another. */
  parent: string | null;
}

export interface PlannedResource {
  name: string;
  type: string;
  /** `name` of the component that owns it. */
  parent: string;
  args: Record<string, PlannedValue>;
}

/** Components and resources in registration order. A component's own plan starts with the
 *  component itself. */
export interface Plan {
  components: PlannedComponent[];
  resources: PlannedResource[];
}

export const idOf = (name: string): IdOf => ({ $idOf: name });

export const isIdOf = (value: unknown): value is IdOf =>
  typeof value === "object" && value !== null && typeof (value as IdOf).$idOf === "string";

/** A child's name: its component's, then its role (`acme-monitoring` owns `acme-monitoring-workspace`). */
export const childName = (component: string, role: string): string => `${component}-${role}`;

/** The one planned resource of a type in a plan (a ring's maintenance configuration, monitoring's rule). */
export function plannedOfType(plan: Plan, type: string): PlannedResource {
  const found = plan.resources.filter((resource) => resource.type === type);
  if (found.length !== 1) throw new Error(`steward plan of ${plan.components[0]?.name} has ${found.length} resources of type ${type}, not one`);
  return found[0] as PlannedResource;
}

/** The tags of every resource steward deploys for a client, which managed-tags checks. */
export function clientTags(client: ClientSettings, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client: client.id,
    "managed-by": DEFAULT_MANAGED_BY,
    "responsible-antivirus": client.responsibilities.antivirus,
    "responsible-patching": client.responsibilities.patching,
    ...extra,
  };
}

/** Who threat alerts go to: the contacts of whoever answers for antivirus (both parties when shared). */
export function alertContacts(client: ClientSettings): Contact[] {
  const responsible = client.responsibilities.antivirus;
  return [...(responsible === "client" ? [] : client.contacts.msp), ...(responsible === "msp" ? [] : client.contacts.client)];
}
