// Deterministic synthetic clients for the benchmarks and the tests: a stack file (the YAML a
// client would write), the client configuration steward loads from it, and the `pulumi preview
// --json` digest of a change to the client's deployed baseline, built through the real planner
// (planBaseline, via ./previews.ts) so every document has the exact format the gate reads in a
// pipeline.
import { stringify } from "yaml";
import { parseClientConfig, type ClientConfig } from "../../core/config";
import { baselineStates, digest, type Digest, type State } from "./previews";

/** mulberry32: a small seeded generator, so the same seed always gives the same client. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hex = (next: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join("");

/** Four rings, pilot to broad; endpoints are spread 5/15/30/50 %. */
const RINGS = [
  { name: "pilot", order: 1, patchTuesdayOffsetDays: 1, share: 0.05 },
  { name: "early", order: 2, patchTuesdayOffsetDays: 3, share: 0.15 },
  { name: "fast", order: 3, patchTuesdayOffsetDays: 5, share: 0.3 },
  { name: "broad", order: 4, patchTuesdayOffsetDays: 8, share: 0.5 },
] as const;

/** Resources (preview steps) that do not depend on the endpoint count: the stack, the baseline,
 *  monitoring and antivirus components, workspace, rule, action group, Defender pricing, security
 *  contact, and a component plus a maintenance configuration per ring. */
export const FIXED_RESOURCES = 9 + 2 * RINGS.length;
/** Per endpoint: its component, antivirus extension, monitoring agent, rule association and ring assignment. */
export const RESOURCES_PER_ENDPOINT = 5;

/** Endpoints for a preview of about `resources` resources. */
export const endpointsFor = (resources: number) => Math.max(1, Math.round((resources - FIXED_RESOURCES) / RESOURCES_PER_ENDPOINT));

/**
 * The stack file (`stacks/Pulumi.<id>.yaml`) of a synthetic client: `endpoints` machines, 70 %
 * Azure VMs and 30 % Arc machines, 65 % Windows, in up to twelve resource groups, on four rings;
 * Microsoft Antimalware with SQL Server exclusions for the Windows machines (Linux machines get
 * Defender for Endpoint, whose extension takes no settings).
 */
export function stackYaml(id: string, endpoints: number, seed: number): string {
  const next = random(seed);
  const subscription = `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
  const groups = Array.from({ length: Math.min(12, Math.max(1, Math.ceil(endpoints / 50))) }, (_, index) => `rg-${id}-${index + 1}`);
  const ringOf = (value: number) => {
    let cumulative = 0;
    for (const ring of RINGS) {
      cumulative += ring.share;
      if (value < cumulative) return ring.name;
    }
    return "broad";
  };
  const machines = Array.from({ length: endpoints }, (_, index) => {
    const kind = next() < 0.7 ? "azure-vm" : "arc-machine";
    const os = next() < 0.65 ? "windows" : "linux";
    return {
      name: `${kind === "azure-vm" ? "vm" : "arc"}-${os === "windows" ? "w" : "l"}-${String(index).padStart(6, "0")}`,
      kind,
      os,
      resourceGroup: groups[Math.floor(next() * groups.length)],
      ring: ringOf(next()),
    };
  });
  const config = {
    config: {
      "azure-native:location": "westeurope",
      "steward:client": {
        id,
        displayName: `Synthetic client ${id}`,
        scope: { subscriptions: [subscription], resourceGroups: groups },
        managementModel: "msp-managed",
        contacts: {
          msp: [{ name: "Bluefin IT service desk", email: "servicedesk@bluefin-it.example" }],
          client: [{ name: "Head of IT", email: `it@${id}.example` }],
        },
        reporting: { schedule: "monthly", recipients: [`it@${id}.example`] },
        location: "westeurope",
        resourceGroup: `rg-${id}-steward`,
      },
      "steward:antivirus": {
        engine: "antimalware",
        appliesTo: "windows",
        scheduledScan: { day: "sunday", time: "03:00", type: "quick" },
        exclusions: { paths: ["D:\\SQLData", "E:\\SQLLogs"], extensions: [".mdf", ".ndf", ".ldf"], processes: [] },
      },
      "steward:updateRings": RINGS.map(({ name, order, patchTuesdayOffsetDays }) => ({ name, order, patchTuesdayOffsetDays, startTime: "22:00" })),
      "steward:endpoints": machines,
    },
  };
  return stringify(config, { lineWidth: 0 });
}

export function syntheticClient(id: string, endpoints: number, seed: number): { yaml: string; config: ClientConfig } {
  const yaml = stackYaml(id, endpoints, seed);
  return { yaml, config: parseClientConfig(yaml, `Pulumi.${id}.yaml`) };
}

/** What a benchmark preview contains besides its size. */
export interface PreviewShape {
  endpoints: number;
  resources: number;
  /** Endpoints the change makes (or leaves, or finds) non-compliant, by what happens to them. */
  nonCompliant: { antivirusDeleted: number; autoUpgradeOff: number; monitoringMissing: number; ringAssignmentAdded: number };
}

const named = (states: State[], name: string) => states.findIndex((state) => state.urn.endsWith(`::${name}`));

/**
 * The preview of a change to the deployed baseline of a client with `endpoints` machines: every
 * resource a `same` step with old and new state, except for about 1 % of the endpoints, which in
 * turn (a) lose their antivirus extension (a new finding), (b) get automatic minor-version upgrade
 * switched off on it (new), (c) lack the monitoring agent before and after (existing), (d) get
 * their missing ring assignment back (resolved).
 */
export function syntheticPreview(config: ClientConfig, stack: string, seed: number): { preview: Digest; shape: PreviewShape } {
  const before = baselineStates(config, stack, true);
  const after = structuredClone(before);
  // 1 % of the endpoints (at least one), evenly spread from a seeded offset.
  const count = Math.max(1, Math.round(config.endpoints.length / 100));
  const stride = config.endpoints.length / count;
  const offset = random(seed ^ 0x5eed)() * stride;
  const picked = Array.from({ length: count }, (_, index) => config.endpoints[Math.floor(offset + index * stride)]).filter(
    (endpoint): endpoint is ClientConfig["endpoints"][number] => endpoint !== undefined,
  );
  const nonCompliant = { antivirusDeleted: 0, autoUpgradeOff: 0, monitoringMissing: 0, ringAssignmentAdded: 0 };
  const id = config.client.id;
  const drop = (states: State[], name: string) => {
    const index = named(states, name);
    if (index >= 0) states.splice(index, 1);
  };
  picked.forEach((endpoint, index) => {
    const prefix = `${id}-${endpoint.name}`;
    switch (index % 4) {
      case 0:
        drop(after, `${prefix}-antivirus`);
        nonCompliant.antivirusDeleted += 1;
        break;
      case 1: {
        const state = after[named(after, `${prefix}-antivirus`)] as State;
        const inputs = state.inputs as Record<string, unknown>;
        if (endpoint.kind === "azure-vm") inputs.autoUpgradeMinorVersion = false;
        else inputs.properties = { ...(inputs.properties as object), autoUpgradeMinorVersion: false };
        nonCompliant.autoUpgradeOff += 1;
        break;
      }
      case 2:
        drop(before, `${prefix}-monitoring-agent`);
        drop(after, `${prefix}-monitoring-agent`);
        nonCompliant.monitoringMissing += 1;
        break;
      case 3:
        drop(before, `${prefix}-ring-assignment`);
        nonCompliant.ringAssignmentAdded += 1;
        break;
    }
  });
  const preview = digest(before, after);
  return { preview, shape: { endpoints: config.endpoints.length, resources: preview.steps.length, nonCompliant } };
}
