// Pulumi's mocks for the component tests (every registration recorded with its type, name,
// parent, inputs and aliases; any provider call refused), and the client they build in code.
import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import type { ClientBaseline } from "../../components/baseline";
import { isIdOf, type PlannedValue } from "../../components/plan";
import type { ClientConfig } from "../../core/config";

export interface Registration {
  type: string;
  name: string;
  /** The parent's name; null for a resource registered at the stack's root. */
  parent: string | null;
  inputs: Record<string, unknown>;
  /** Former names (`aliases: [{ name }]`, the parent unchanged). */
  aliases: string[];
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * The former name an alias gives, or null for the type aliases azure-native's classes declare
 * (the same resource under its API-versioned tokens). A former name must keep the parent, type,
 * stack and project: anything else fails the test.
 */
function formerName(alias: ReturnType<RegisterResourceRequest["getAliasesList"]>[number], parentUrn: string): string | null {
  const spec = alias.getSpec();
  if (spec && spec.getName() === "" && spec.getType() !== "") return null;
  if (!spec || spec.getType() !== "" || spec.getStack() !== "" || spec.getProject() !== "" || spec.getNoparent() || spec.getParenturn() !== parentUrn) {
    throw new Error(`unexpected alias ${JSON.stringify(alias.toObject())}`);
  }
  return spec.getName();
}

/**
 * Mocks for a preview of `stack` (project steward). Returns the registrations, in order, as the
 * monitor receives them. Each resource's id is `<name>-id`, its state its inputs.
 */
export async function mockPulumi(stack: string): Promise<Registration[]> {
  const registrations: Registration[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => {
        throw new Error(`unexpected provider call ${args.token}`);
      },
    },
    "steward",
    stack,
    true,
  );
  // The mocks' newResource is told neither a resource's parent nor its aliases: they are read
  // from the registration request the mock monitor receives.
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(request: RegisterResourceRequest, callback: unknown): Promise<void> };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const parentUrn = request.getParent();
    const inputs = request.getObject();
    registrations.push({
      type: request.getType(),
      name: request.getName(),
      parent: parentUrn === "" ? null : nameOf(parentUrn),
      inputs: inputs ? (pulumi.runtime.deserializeProperties(inputs) as Record<string, unknown>) : {},
      aliases: request.getAliasesList().flatMap((alias) => formerName(alias, parentUrn) ?? []),
    });
    return register(request, callback);
  };
  return registrations;
}

/**
 * Resolves once every registration a test started has been answered, as the SDK waits before a
 * program exits: a test that ends earlier would leave them to the next test's mocks, which know
 * none of its resources.
 */
export const settled = (): Promise<void> => pulumi.runtime.disconnect();

/** An Output's value, once known. */
export const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

/** Counts of registrations by type. */
export function countsByType(registrations: Registration[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const registration of registrations) counts[registration.type] = (counts[registration.type] ?? 0) + 1;
  return counts;
}

export const SUB = "6f1c2a9e-3b7d-4e5a-9c1f-2d8e7b6a5c41";

/** A compliant client built in code: a Windows Azure VM in ring pilot, a Linux Arc machine in ring broad. */
export function acme(): ClientConfig {
  return {
    file: "stacks/Pulumi.acme.yaml",
    client: {
      id: "acme",
      displayName: "Acme Dental",
      scope: { subscriptions: [SUB], resourceGroups: [] },
      managementModel: "msp-managed",
      responsibilities: { antivirus: "msp", patching: "msp", monitoring: "msp", reporting: "msp" },
      contacts: { msp: [{ name: "MSP SOC", email: "soc@msp.example" }], client: [{ name: "Dr. Ada", email: "ada@acme.example" }] },
      reporting: { schedule: "monthly", recipients: ["ada@acme.example"] },
      location: "westeurope",
      resourceGroup: "rg-acme-steward",
    },
    antivirus: {
      engine: "antimalware",
      appliesTo: "all",
      realtimeProtection: true,
      scheduledScan: { enabled: true, day: "saturday", time: "02:00", type: "quick" },
      exclusions: { paths: [], extensions: [], processes: [] },
    },
    updateRings: [
      { name: "pilot", order: 1, patchTuesdayOffsetDays: 1, startTime: "02:00", duration: "03:00", timeZone: "UTC", classifications: { windows: ["Critical", "Security"], linux: ["Critical", "Security"] }, reboot: "IfRequired", exclusions: { kbNumbers: [], packages: [] } },
      { name: "broad", order: 2, patchTuesdayOffsetDays: 7, startTime: "02:00", duration: "03:00", timeZone: "UTC", classifications: { windows: ["Critical", "Security"], linux: ["Critical", "Security"] }, reboot: "IfRequired", exclusions: { kbNumbers: [], packages: [] } },
    ],
    endpoints: [
      { name: "web-01", kind: "azure-vm", os: "windows", resourceGroup: "rg-acme", subscriptionId: SUB, ring: "pilot" },
      { name: "files-01", kind: "arc-machine", os: "linux", resourceGroup: "rg-acme-onprem", subscriptionId: SUB, ring: "broad" },
    ],
    monitoring: { workspaceRetentionDays: 90 },
    waivers: [],
    policy: { enforcement: {}, minimumHandlerVersions: {} },
  };
}

/** A planned value as the mocks register it: each reference is the id the mocks gave that resource. */
export function registeredValue(value: PlannedValue): unknown {
  if (isIdOf(value)) return `${value.$idOf}-id`;
  if (Array.isArray(value)) return value.map(registeredValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, registeredValue(item)]));
  return value;
}

/** Every output of a ClientBaseline's parts: each is a child's id, known once that child is registered. */
export const partOutputs = (baseline: ClientBaseline): pulumi.Output<unknown[]> => pulumi.all(baseline.resourceIds());
