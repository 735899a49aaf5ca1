import type { ClientConfig } from "./config/client-config";
import type { ConfigLocations } from "./config/locations";
import type { JsonValue, Resource } from "./document";
import type { PolicyEngine } from "./engine";
import { runGate } from "./gate";
import { EXTENSION_RESOURCES, TYPES, canonicalType, extensionHandler, handlerFields } from "./azure";
import type { GateReport } from "./gate-report";
import type { ResourceStates } from "./sources/pulumi";
import { field, isSentinel } from "./values";

/** The managed-endpoint questions a drifted resource can answer, most urgent first. */
type Question = "antivirus" | "patching" | "monitoring" | "alerting";

/** The question each non-extension resource type answers (extensions answer by their handler). */
const QUESTION_OF_TYPE: ReadonlyMap<string, Question> = new Map([
  [TYPES.assignment, "patching"],
  [TYPES.assignmentForSubscription, "patching"],
  [TYPES.assignmentForResourceGroup, "patching"],
  [TYPES.maintenanceConfiguration, "patching"],
  [TYPES.dataCollectionRuleAssociation, "monitoring"],
  [TYPES.dataCollectionRule, "monitoring"],
  [TYPES.workspace, "monitoring"],
  [TYPES.actionGroup, "alerting"],
  [TYPES.securityContact, "alerting"],
  [TYPES.pricing, "antivirus"],
]);

export interface PropertyChange {
  /** Dotted path of the property, e.g. `settings.RealtimeProtectionEnabled`. */
  path: string;
  /** What Pulumi's state (and so `pulumi up`) says; secrets and unknowns are shown as such. */
  expected: JsonValue | string;
  /** What the refresh found in the cloud. */
  actual: JsonValue | string;
}

export interface DriftedResource {
  urn: string;
  type: string;
  /** `changed` outside Pulumi, or `deleted` outside Pulumi. */
  kind: "changed" | "deleted";
  /** The managed-endpoint question it affects, or `other`. */
  question: Question | "other";
  changes: PropertyChange[];
  /** What `pulumi up` would do about it. */
  restore: string;
}

export interface DriftReport {
  version: 1;
  drifted: DriftedResource[];
  /** The policies on the actual (refreshed) state; `new` findings are caused by the drift. */
  policies: GateReport;
}

const shown = (value: JsonValue | undefined): JsonValue | string =>
  value === undefined ? "(absent)" : isSentinel(value) ? ((value as { $secret?: true }).$secret ? "(secret)" : "(unknown)") : value;

/** Every leaf path where two property trees differ. */
export function changedPaths(expected: JsonValue | undefined, actual: JsonValue | undefined, prefix = ""): PropertyChange[] {
  const isTree = (value: JsonValue | undefined): value is Record<string, JsonValue> =>
    typeof value === "object" && value !== null && !Array.isArray(value) && !isSentinel(value);
  if (isTree(expected) && isTree(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((key) => changedPaths(expected[key], actual[key], prefix ? `${prefix}.${key}` : key));
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  return [{ path: prefix || "(resource)", expected: shown(expected), actual: shown(actual) }];
}

/** What a resource is decides the question: an extension by its handler (publisher and type, as
 *  Azure matches them), anything else by its type. Its tags or names never do. */
function questionOf(resource: Resource): DriftedResource["question"] {
  const type = canonicalType(resource.type);
  if (EXTENSION_RESOURCES.has(type)) {
    const body = handlerFields(resource);
    const publisher = field(body, "publisher");
    const handlerType = field(body, "type");
    const handler = typeof publisher === "string" && typeof handlerType === "string" ? extensionHandler(publisher, handlerType) : undefined;
    return handler?.role === "antivirus" || handler?.role === "monitoring" ? handler.role : "other";
  }
  return QUESTION_OF_TYPE.get(type) ?? "other";
}

const RANK: Record<DriftedResource["question"], number> = { antivirus: 0, patching: 1, monitoring: 2, alerting: 3, other: 4 };

/**
 * Reads a refresh preview (Pulumi's state before, the cloud's actual state after): what changed
 * outside Pulumi, ranked by what it does to the managed-endpoint questions, and every policy
 * re-run on the actual state.
 */
export function analyzeDrift(states: ResourceStates, config: ClientConfig | null, engine: PolicyEngine, evaluatedAt: Date, locations?: ConfigLocations): DriftReport {
  const policies = runGate({ states, config, ...(locations === undefined ? {} : { locations }), evaluatedAt, engine, failOn: "new", source: "refresh" });
  return { version: 1, drifted: driftedResources(states), policies };
}

/** What a refresh preview shows changed outside Pulumi, most urgent first (no policy evaluated). */
export function driftedResources(states: ResourceStates): DriftedResource[] {
  const actual = new Map(states.after.map((resource) => [resource.urn, resource]));
  const drifted: DriftedResource[] = [];
  for (const recorded of states.before) {
    const now = actual.get(recorded.urn);
    if (!now) {
      drifted.push({
        urn: recorded.urn,
        type: recorded.type,
        kind: "deleted",
        question: questionOf(recorded),
        changes: [],
        restore: "pulumi up would create it again",
      });
      continue;
    }
    const changes = changedPaths(recorded.properties, now.properties);
    if (changes.length === 0) continue;
    drifted.push({
      urn: recorded.urn,
      type: recorded.type,
      kind: "changed",
      question: questionOf(recorded),
      changes,
      restore: `pulumi up would set ${changes.map((change) => `${change.path} back to ${JSON.stringify(change.expected)}`).join(", ")}`,
    });
  }
  return drifted.sort((a, b) => RANK[a.question] - RANK[b.question] || (a.kind === b.kind ? 0 : a.kind === "deleted" ? -1 : 1) || a.urn.localeCompare(b.urn));
}
