import type { JsonValue, Resource } from "../document";
import { InputError } from "../errors";
import { NestingTooDeepError, PULUMI_UNKNOWN, toDocumentValue, UNKNOWN } from "../values";

/**
 * Pulumi's own documents, read into the normalizer's Resource[]: the preview digest
 * (`pulumi preview --json`, also `pulumi refresh --preview-only --json` and `preview --refresh`),
 * the engine event stream (`--event-log`, newline-delimited events) and `pulumi stack export`.
 */

export type PulumiDocumentKind = "preview" | "event-stream" | "stack-export";

/** A resource's state as previews and exports print it. */
interface PulumiState {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

interface PreviewStep {
  op: string;
  urn: string;
  oldState?: PulumiState;
  newState?: PulumiState;
}

/** The resources before and after a change (for an export, both are what is deployed). */
export interface ResourceStates {
  kind: PulumiDocumentKind;
  before: Resource[];
  after: Resource[];
  /** Project and stack, read from the URNs. */
  identity: { project: string; stack: string } | null;
}

/** Steps whose new state is gone after the change. */
const REMOVING_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Recognizes a document by its shape; anything else is an input error naming the file. */
export function detectKind(document: unknown, name: string): PulumiDocumentKind {
  if (Array.isArray(document) && document.every((event) => isObject(event) && "sequence" in event)) return "event-stream";
  if (isObject(document)) {
    if (Array.isArray(document.steps)) return "preview";
    if (isObject(document.deployment) && "version" in document) return "stack-export";
    if ("steps" in document) throw new InputError(`${name}: "steps" is not a list; expected the output of \`pulumi preview --json\``);
  }
  throw new InputError(
    `${name} is not a Pulumi document steward reads: expected \`pulumi preview --json\` (an object with "steps"), ` +
      "an engine event log (one JSON event per line) or `pulumi stack export` (an object with \"deployment\")",
  );
}

function checkState(state: unknown, where: string): PulumiState {
  if (!isObject(state) || typeof state.urn !== "string" || typeof state.type !== "string") {
    throw new InputError(`${where}: a resource state needs a string "urn" and "type"`);
  }
  for (const key of ["inputs", "outputs", "propertyDependencies"] as const) {
    if (state[key] !== undefined && state[key] !== null && !isObject(state[key])) throw new InputError(`${where}: "${key}" must be an object`);
  }
  if (state.dependencies !== undefined && state.dependencies !== null && !Array.isArray(state.dependencies)) {
    throw new InputError(`${where}: "dependencies" must be a list`);
  }
  // The rest of the state goes into the document as it is: checked here, so that a wrong type is
  // an error naming the file and the step, not a schema error about the normalized document that
  // names neither (nor, for a propertyDependencies entry that is not a list, a crash in the
  // normalizer). A null entry reads as an empty list, as a null "dependencies" does.
  for (const key of ["id", "parent", "provider"] as const) {
    if (state[key] !== undefined && state[key] !== null && typeof state[key] !== "string") throw new InputError(`${where}: "${key}" must be a string`);
  }
  const isUrnList = (value: unknown) => Array.isArray(value) && value.every((urn) => typeof urn === "string");
  if (Array.isArray(state.dependencies) && !isUrnList(state.dependencies)) throw new InputError(`${where}: "dependencies" must be a list of URNs (strings)`);
  for (const [property, urns] of Object.entries(isObject(state.propertyDependencies) ? state.propertyDependencies : {})) {
    if (urns !== null && !isUrnList(urns)) throw new InputError(`${where}: "propertyDependencies.${property}" must be a list of URNs (strings)`);
  }
  return state as unknown as PulumiState;
}

/** Far deeper than any Azure resource's properties; deeper values are refused while they are
 *  converted, before any recursive walk (conversion, serialization for wasm) could overflow. */
const MAX_PROPERTY_DEPTH = 100;

/**
 * One resource in document form. Planned inputs win over last-known outputs for a preview (they
 * are what the change will set); outputs win for an export or a refresh (they are what is there).
 */
function toResource(state: PulumiState, prefer: "inputs" | "outputs"): Resource {
  const inputs = state.inputs ?? {};
  const outputs = state.outputs ?? {};
  const merged = prefer === "inputs" ? { ...outputs, ...inputs } : { ...inputs, ...outputs };
  return {
    urn: state.urn,
    type: state.type,
    name: state.urn.slice(state.urn.lastIndexOf("::") + 2),
    id: state.id === undefined || state.id === "" ? null : state.id === PULUMI_UNKNOWN ? UNKNOWN : state.id,
    parent: state.parent ?? null,
    provider: state.provider ?? null,
    properties: toDocumentValue(merged, MAX_PROPERTY_DEPTH) as Record<string, JsonValue>,
    dependencies: state.dependencies ?? [],
    propertyDependencies: Object.fromEntries(Object.entries(state.propertyDependencies ?? {}).map(([property, urns]) => [property, urns ?? []])),
  };
}

/** A checked state in document form; property values nested too deep are an input error naming the step. */
function readState(state: unknown, where: string, prefer: "inputs" | "outputs"): Resource {
  try {
    return toResource(checkState(state, where), prefer);
  } catch (error) {
    if (error instanceof NestingTooDeepError) throw new InputError(`${where}: property values nest more than ${MAX_PROPERTY_DEPTH} levels deep`);
    throw error;
  }
}

function identityOf(resources: Resource[]): ResourceStates["identity"] {
  for (const { urn } of resources) {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    if (match) return { stack: match[1] as string, project: match[2] as string };
  }
  return null;
}

function fromSteps(steps: PreviewStep[], name: string, prefer: "inputs" | "outputs"): Pick<ResourceStates, "before" | "after"> {
  const before = new Map<string, Resource>();
  const after = new Map<string, Resource>();
  steps.forEach((step, index) => {
    const where = `${name}: steps[${index}]`;
    if (!isObject(step) || typeof step.op !== "string" || typeof step.urn !== "string") {
      throw new InputError(`${where}: a step needs a string "op" and "urn"`);
    }
    const old = step.oldState != null ? readState(step.oldState, `${where}.oldState`, prefer) : null;
    if (old) before.set(step.urn, old);
    if (REMOVING_OPS.has(step.op)) after.delete(step.urn);
    // A `same` step changes nothing, so the resource after it is the one before it. The CLI
    // prints such a step's new state without `id` and `outputs`; the old state has both.
    else if (step.op === "same" && old) after.set(step.urn, old);
    else if (step.newState != null) {
      const planned = readState(step.newState, `${where}.newState`, prefer);
      // An update is made in place: the resource keeps its id, which the new state leaves out.
      after.set(step.urn, step.op === "update" && planned.id === null && old ? { ...planned, id: old.id } : planned);
    } else if (step.oldState == null) throw new InputError(`${where}: "${step.op}" step has neither oldState nor newState`);
  });
  return { before: [...before.values()], after: [...after.values()] };
}

/** The engine event stream's step events carry `old` and `new` states in their metadata. */
function stepsFromEvents(events: Array<Record<string, unknown>>, name: string): PreviewStep[] {
  const steps: PreviewStep[] = [];
  events.forEach((event, index) => {
    const metadata = isObject(event.resourcePreEvent) ? event.resourcePreEvent.metadata : undefined;
    if (!isObject(metadata)) return;
    if (typeof metadata.op !== "string" || typeof metadata.urn !== "string") {
      throw new InputError(`${name}: event ${index}: resourcePreEvent metadata needs "op" and "urn"`);
    }
    steps.push({
      op: metadata.op,
      urn: metadata.urn,
      oldState: (metadata.old as PulumiState | undefined) ?? undefined,
      newState: (metadata.new as PulumiState | undefined) ?? undefined,
    });
  });
  return steps;
}

/** Reads any of Pulumi's documents into the resources before and after the change. */
export function resourceStates(document: unknown, name: string, options: { refresh?: boolean } = {}): ResourceStates {
  const kind = detectKind(document, name);
  let states: Pick<ResourceStates, "before" | "after">;
  if (kind === "stack-export") {
    const resources = (document as { deployment: { resources?: unknown } }).deployment.resources ?? [];
    if (!Array.isArray(resources)) throw new InputError(`${name}: deployment.resources must be a list`);
    const deployed = resources.map((state, index) => readState(state, `${name}: deployment.resources[${index}]`, "outputs"));
    states = { before: deployed, after: deployed };
  } else {
    const steps = kind === "preview" ? ((document as { steps: PreviewStep[] }).steps) : stepsFromEvents(document as Array<Record<string, unknown>>, name);
    states = fromSteps(steps, name, options.refresh ? "outputs" : "inputs");
  }
  return { kind, ...states, identity: identityOf(states.after.length > 0 ? states.after : states.before) };
}

/** Parses a file's text: one JSON document, or newline-delimited JSON events. */
export function parsePulumiText(text: string, name: string): unknown {
  if (text.trim() === "") throw new InputError(`${name} is empty; expected a Pulumi JSON document`);
  try {
    return JSON.parse(text);
  } catch (whole) {
    return parseEventLog(text.split("\n"), name, whole as Error);
  }
}

/**
 * The fallback when a document is not one JSON value: an event log is one JSON event per line; a
 * document cut short is not, and `whole` (the error of parsing it as one value) says why.
 */
export function parseEventLog(rawLines: string[], name: string, whole: Error): unknown[] {
  const lines = rawLines.filter((line) => line.trim() !== "");
  if (lines.length > 1 && parsesAlone(lines[0] as string)) {
    return lines.map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (error) {
        throw new InputError(`${name}: line ${index + 1} of the event log is not valid JSON: ${(error as Error).message}`);
      }
    });
  }
  throw new InputError(`${name} is not valid JSON (truncated or corrupt?): ${whole.message}`);
}

function parsesAlone(line: string): boolean {
  try {
    return isObject(JSON.parse(line));
  } catch {
    return false;
  }
}
