import { looksLikeMachine } from "../azure";
import type { JsonValue, Resource } from "../document";
import { withoutBom } from "../encoding";
import { InputError } from "../errors";
import { isRecord, MAX_PROPERTY_DEPTH, NestingTooDeepError, PULUMI_UNKNOWN, toDocumentValue, UNKNOWN } from "../values";

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
  /** Pending deletion: the old half of a create-before-delete replacement (ResourceV3 `delete`). */
  delete?: boolean;
  /** Read, not owned: Pulumi never deletes it. */
  external?: boolean;
  /** Deleting it only forgets it: it keeps running in the cloud. */
  retainOnDelete?: boolean;
}

interface PreviewStep {
  op: string;
  urn: string;
  oldState?: PulumiState;
  newState?: PulumiState;
}

/** What an event log knows of its steps beyond the digest's fields (never read from the input). */
interface EventSteps {
  steps: PreviewStep[];
  /** Per step: the event it came from, for messages. */
  where: string[];
  /** Steps whose refresh found the resource gone from the cloud (its result op is `delete`). */
  gone: Set<number>;
}

/** The resources before and after a change (for an export, both are what is deployed). */
export interface ResourceStates {
  kind: PulumiDocumentKind;
  before: Resource[];
  after: Resource[];
  /** Project and stack, read from the URNs. */
  identity: { project: string; stack: string } | null;
}

/**
 * What each step op means for the after-state: what exists in Azure after the change, as far as
 * the stack can tell. The ops and their states are the engine's (pulumi/pulumi
 * pkg/resource/deploy/step.go: `StepOps`, each step type's Old() and New(); the orders from
 * step_generator.go); a digest prints a step's states as `oldState`/`newState`, an event log as
 * its metadata's `old`/`new`.
 *
 * | op                     | engine step                                                 | after-state                     |
 * |------------------------|-------------------------------------------------------------|---------------------------------|
 * | same                   | SameStep: nothing to do                                     | old state (new lacks id/outputs)|
 * | create                 | CreateStep                                                  | new state                       |
 * | update                 | UpdateStep, in place                                        | new state, with the old id      |
 * | replace                | ReplaceStep: the logical replacement, old and new           | new state                       |
 * | create-replacement     | CreateStep(replacing): the new half                         | new state                       |
 * | delete-replaced        | DeleteStep(replacing): deletes the old half, after the new  | the URN keeps its new state     |
 * |                        | one (old state `delete: true`) or, deleteBeforeReplace,     |                                 |
 * |                        | before it                                                   |                                 |
 * | delete                 | DeleteStep                                                  | gone                            |
 * | read                   | ReadStep: the program reads a resource it does not own      | new state: it exists            |
 * | read-replacement       | ReadStep(replacing): an owned resource becomes a read one   | new state                       |
 * | import                 | ImportStep: an existing resource adopted into the stack     | new state                       |
 * | import-replacement     | ImportStep(replacing): an imported one replaces it          | new state                       |
 * | refresh                | RefreshStep: the state read back from the cloud             | new state, else old state       |
 * | discard                | DeleteStep of an external (read) resource the program no    | old state: it still runs        |
 * |                        | longer reads; nothing is deleted                            |                                 |
 * | discard-replaced       | DeleteStep(replacing) of an external resource the program   | as delete-replaced; the read    |
 * |                        | now creates or imports                                      | one still runs                  |
 * | remove-pending-replace | RemovePendingReplaceStep: forgets what a deleteBeforeReplace| gone                            |
 * |                        | already deleted                                             |                                 |
 * | extend-parameterize    | ExtensionParameterizeStep: a provider extension, no URN     | nothing                         |
 * | anything else          | (`diff` steps are never emitted)                            | refused, naming the step        |
 *
 * Removing steps (delete, delete-replaced, discard, discard-replaced, remove-pending-replace):
 * - One whose old state is pending deletion (`delete: true`: the old half of a create-before-delete
 *   replacement, now or left by an earlier run), and a delete-replaced or discard-replaced after
 *   the URN's replacement, removes an old physical resource, never the URN's state. Any other
 *   removes the URN's state as it stands; a later step may give it a new one (deleteBeforeReplace:
 *   delete-replaced, then replace and create-replacement).
 * - Nothing is deleted when the old state has `retainOnDelete: true` or `external: true`
 *   (DeleteStep.Apply): it stays in the after-state. When its URN has a new resource too (also
 *   read from a replacement step's old state: a digest shows delete-replaced only with
 *   --show-replacement-steps), a machine (anything that runs an OS: `looksLikeMachine` in
 *   core/azure.ts, any provider or API version) is kept beside its replacement as
 *   `<urn>#retained` (`#discarded` when read): two machines run. Anything else of a replaced URN
 *   is one Azure name, the replacement, and is not doubled.
 * - In a refresh (the `refresh` option, or a refresh whose result is `delete` in an event log) a
 *   delete means the resource is gone from the cloud, whatever its options.
 */
type StepEffect = "new" | "old" | "new-or-old" | "remove" | "none";

const STEP_EFFECTS: Readonly<Record<string, StepEffect>> = {
  same: "old",
  create: "new",
  update: "new",
  replace: "new",
  "create-replacement": "new",
  "delete-replaced": "remove",
  delete: "remove",
  read: "new",
  "read-replacement": "new",
  import: "new",
  "import-replacement": "new",
  refresh: "new-or-old",
  discard: "remove",
  "discard-replaced": "remove",
  "remove-pending-replace": "remove",
  "extend-parameterize": "none",
};

/** Steps that give a URN its new resource in a replacement. */
const REPLACING_OPS = new Set(["replace", "create-replacement", "read-replacement", "import-replacement"]);
/** Steps that remove the old half of a replacement. */
const REPLACED_OPS = new Set(["delete-replaced", "discard-replaced"]);
/** Steps whose Apply reads the cloud during a preview: an event log's resOutputsEvent has what it read. */
const READING_OPS = new Set(["refresh", "read", "read-replacement", "import", "import-replacement"]);


/** Recognizes a document by its shape; anything else is an input error naming the file. */
export function detectKind(document: unknown, name: string): PulumiDocumentKind {
  if (Array.isArray(document) && document.every((event) => isRecord(event) && "sequence" in event)) return "event-stream";
  if (isRecord(document)) {
    if (Array.isArray(document.steps)) return "preview";
    if (isRecord(document.deployment) && "version" in document) return "stack-export";
    if ("steps" in document) throw new InputError(`${name}: "steps" is not a list; expected the output of \`pulumi preview --json\``);
  }
  throw new InputError(
    `${name} is not a Pulumi document steward reads: expected \`pulumi preview --json\` (an object with "steps"), ` +
      "an engine event log (one JSON event per line) or `pulumi stack export` (an object with \"deployment\")",
  );
}

function checkState(state: unknown, where: string): PulumiState {
  if (!isRecord(state) || typeof state.urn !== "string" || typeof state.type !== "string") {
    throw new InputError(`${where}: a resource state needs a string "urn" and "type"`);
  }
  for (const key of ["inputs", "outputs", "propertyDependencies"] as const) {
    if (state[key] !== undefined && state[key] !== null && !isRecord(state[key])) throw new InputError(`${where}: "${key}" must be an object`);
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
  // Flags that decide whether a removed resource keeps running: a wrong type is not "false".
  for (const key of ["delete", "external", "retainOnDelete"] as const) {
    if (state[key] !== undefined && state[key] !== null && typeof state[key] !== "boolean") throw new InputError(`${where}: "${key}" must be true or false`);
  }
  const isUrnList = (value: unknown) => Array.isArray(value) && value.every((urn) => typeof urn === "string");
  if (Array.isArray(state.dependencies) && !isUrnList(state.dependencies)) throw new InputError(`${where}: "dependencies" must be a list of URNs (strings)`);
  for (const [property, urns] of Object.entries(isRecord(state.propertyDependencies) ? state.propertyDependencies : {})) {
    if (urns !== null && !isUrnList(urns)) throw new InputError(`${where}: "propertyDependencies.${property}" must be a list of URNs (strings)`);
  }
  return state as unknown as PulumiState;
}


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
  return readChecked(checkState(state, where), where, prefer);
}


function readChecked(state: PulumiState, where: string, prefer: "inputs" | "outputs"): Resource {
  try {
    return toResource(state, prefer);
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

interface StepOptions {
  prefer: "inputs" | "outputs";
  /** A refresh: a `delete` means the resource is gone from the cloud, whatever its options. */
  refresh: boolean;
}

const isSet = (flag: boolean | undefined) => flag === true;

/** Whether the resource of an old state keeps running when the step removes it from the stack
 *  (DeleteStep.Apply deletes nothing for it); never in a refresh, where a delete means it is gone. */
const stays = (old: PulumiState, gone: boolean, options: StepOptions) => !options.refresh && !gone && (isSet(old.retainOnDelete) || isSet(old.external));

/** The resources before and after the steps; what each op means is in the table above. */
function fromSteps(steps: PreviewStep[], name: string, options: StepOptions, events?: Omit<EventSteps, "steps">): Pick<ResourceStates, "before" | "after"> {
  const before = new Map<string, Resource>();
  const after = new Map<string, Resource>();
  /** URNs whose new resource of a replacement has been seen. */
  const replaced = new Set<string>();
  /** Removed resources that keep running (retainOnDelete, external), by URN. */
  const staying = new Map<string, { resource: Resource; suffix: "retained" | "discarded" }>();
  steps.forEach((step, index) => {
    const where = events?.where[index] ?? `${name}: steps[${index}]`;
    const gone = events?.gone.has(index) === true;
    if (!isRecord(step) || typeof step.op !== "string" || typeof step.urn !== "string") {
      throw new InputError(`${where}: a step needs a string "op" and "urn"`);
    }
    const { op, urn } = step;
    const effect = Object.hasOwn(STEP_EFFECTS, op) ? STEP_EFFECTS[op] : undefined;
    if (effect === undefined) {
      throw new InputError(
        `${where}: unknown step op ${JSON.stringify(op)} for ${urn === "" ? "(no URN)" : urn}; steward knows Pulumi's ops ` +
          `(${Object.keys(STEP_EFFECTS).join(", ")}) and does not guess what another one leaves behind`,
      );
    }
    if (effect === "none") return;
    const oldState = step.oldState != null ? checkState(step.oldState, `${where}.oldState`) : null;
    const old = oldState ? readChecked(oldState, `${where}.oldState`, options.prefer) : null;
    // The old half of a create-before-delete replacement is no before-state of its URN when the
    // URN has another: that is the resource the change starts from.
    if (old && (!isSet(oldState?.delete) || !before.has(urn))) before.set(urn, old);
    const planned = () => (step.newState != null ? readState(step.newState, `${where}.newState`, options.prefer) : null);
    const neither = () => new InputError(`${where}: "${op}" step has neither oldState nor newState`);

    if (effect === "new") {
      const created = planned();
      if (!created) throw old ? new InputError(`${where}: "${op}" step has no newState`) : neither();
      // An update is made in place: the resource keeps its id, which the new state leaves out.
      after.set(urn, op === "update" && created.id === null && old ? { ...created, id: old.id } : created);
      if (REPLACING_OPS.has(op)) {
        replaced.add(urn);
        // The old half of a replacement is deleted by a `delete-replaced` that a digest shows
        // only with --show-replacement-steps; whether it keeps running is on its old state here.
        if (oldState && stays(oldState, gone, options)) staying.set(urn, { resource: old as Resource, suffix: isSet(oldState.retainOnDelete) ? "retained" : "discarded" });
      }
    } else if (effect === "old") {
      // A `same` step changes nothing, so the resource after it is the one before it. The CLI
      // prints such a step's new state without `id` and `outputs`; the old state has both.
      const state = old ?? planned();
      if (!state) throw neither();
      after.set(urn, state);
    } else if (effect === "new-or-old") {
      const state = planned() ?? old;
      if (!state) throw neither();
      after.set(urn, state);
    } else {
      if (!old || !oldState) throw new InputError(`${where}: "${op}" step has no oldState, so what it removes (and whether it keeps running) is unknown`);
      const oldHalf = isSet(oldState.delete) || (REPLACED_OPS.has(op) && replaced.has(urn));
      const keepsRunning = stays(oldState, gone, options);
      if (keepsRunning) staying.set(urn, { resource: old, suffix: isSet(oldState.retainOnDelete) ? "retained" : "discarded" });
      if (!oldHalf) {
        if (keepsRunning) after.set(urn, old);
        else after.delete(urn);
      }
    }
  });
  // A removed resource that keeps running and lost its URN to a new resource: a machine is kept
  // beside its replacement (two machines run); anything else is one Azure name, the replacement.
  const beside: Resource[] = [];
  for (const [urn, { resource, suffix }] of staying) {
    const current = after.get(urn);
    if (current === resource) continue;
    if (current === undefined) after.set(urn, resource);
    else if (looksLikeMachine(resource.type)) beside.push({ ...resource, urn: `${urn}#${suffix}` });
  }
  return { before: [...before.values()], after: [...beside, ...after.values()] };
}

/** A step from an event's metadata; the problem names the event. */
function stepOf(metadata: Record<string, unknown>, name: string, index: number, kind: string): PreviewStep {
  if (typeof metadata.op !== "string" || typeof metadata.urn !== "string") {
    throw new InputError(`${name}: event ${index}: ${kind} metadata needs "op" and "urn"`);
  }
  return {
    op: metadata.op,
    urn: metadata.urn,
    oldState: (metadata.old as PulumiState | undefined) ?? undefined,
    newState: (metadata.new as PulumiState | undefined) ?? undefined,
  };
}

/**
 * The engine event stream's steps: a `resourcePreEvent` per step, its metadata carrying the `old`
 * and `new` states. A step that reads the cloud during a preview (refresh, read, import) has what
 * it read only in the `resOutputsEvent` that follows it, with a refresh's result as its op
 * (`same`, `update`, or `delete` when the resource is gone): that event replaces the step, as the
 * CLI's digest does for a refresh (pkg/backend/display/json.go, ShowPreviewDigest).
 */
function stepsFromEvents(events: Array<Record<string, unknown>>, name: string): EventSteps {
  const steps: PreviewStep[] = [];
  const where: string[] = [];
  const gone = new Set<number>();
  const latest = new Map<string, number>();
  events.forEach((event, index) => {
    const pre = isRecord(event.resourcePreEvent) ? event.resourcePreEvent.metadata : undefined;
    if (isRecord(pre)) {
      const step = stepOf(pre, name, index, "resourcePreEvent");
      latest.set(step.urn, steps.length);
      steps.push(step);
      where.push(`${name}: event ${index} (resourcePreEvent)`);
      return;
    }
    const outputs = isRecord(event.resOutputsEvent) ? event.resOutputsEvent.metadata : undefined;
    if (!isRecord(outputs)) return;
    const step = stepOf(outputs, name, index, "resOutputsEvent");
    const at = latest.get(step.urn);
    const read = at === undefined ? undefined : steps[at];
    if (at === undefined || !read || !READING_OPS.has(read.op)) return;
    steps[at] = step;
    where[at] = `${name}: event ${index} (resOutputsEvent)`;
    if (read.op === "refresh" && step.op === "delete") gone.add(at);
  });
  return { steps, where, gone };
}

/**
 * The text of a Pulumi diagnostic on one line, without the "error: " prefix a digest includes and
 * the colour directives (`<{%reset%}>`) an event log keeps unless run with `--color never` (ANSI
 * codes are already gone: ConvertEngineEvent strips them, the digest never colours).
 */
function diagnosticText(diagnostic: Record<string, unknown>): string {
  const text = (typeof diagnostic.message === "string" ? diagnostic.message : "")
    .replace(/<\{%[^%]*%\}>/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^error: /, "");
  const urn = typeof diagnostic.urn === "string" && diagnostic.urn !== "" ? ` (${diagnostic.urn})` : "";
  const shown = text.length > MAX_DIAGNOSTIC_CHARS ? `${text.slice(0, MAX_DIAGNOSTIC_CHARS)}...` : text === "" ? "(no message)" : text;
  return `${shown}${urn}`;
}

/** How much of an error diagnostic a message repeats. */
const MAX_DIAGNOSTIC_CHARS = 500;

const NOT_JUDGED = "so it is not the whole change and is not judged";

function programFailed(name: string, errors: Array<Record<string, unknown>>): InputError {
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more ${errors.length === 2 ? "error" : "errors"})` : "";
  return new InputError(`${name}: the Pulumi operation reported an error, ${NOT_JUDGED}: ${diagnosticText(errors[0] as Record<string, unknown>)}${more}; fix it and run the preview again`);
}

/**
 * A digest (`pulumi preview --json`) is printed once, when the engine's events end
 * (ShowPreviewDigest), so one cut short is not valid JSON. A failed program still prints one,
 * with what ran before the failure: its `diagnostics` hold the error (severity "error"; the
 * engine reports a failed step as "preview failed: ..."). Policy violations are not diagnostics.
 */
function assertDigestComplete(document: Record<string, unknown>, name: string): void {
  const { diagnostics } = document;
  if (diagnostics === undefined || diagnostics === null) return;
  if (!Array.isArray(diagnostics)) throw new InputError(`${name}: "diagnostics" is not a list`);
  const errors = diagnostics.filter((diagnostic): diagnostic is Record<string, unknown> => isRecord(diagnostic) && diagnostic.severity === "error");
  if (errors.length > 0) throw programFailed(name, errors);
}

/**
 * `pulumi preview --json` leaves out every unchanged resource unless given `--show-sames`
 * (pkg/backend/display/display.go, shouldShow: only `same` steps are hidden; a refresh prints its
 * unchanged resources as `refresh` steps), while its `changeSummary` counts them all. Judged
 * without them, a change that deletes an unchanged machine's antivirus extension would pass: the
 * machine would not be in the after-state at all. A digest that lists fewer unchanged resources
 * than it counts is refused, and so is one without the change summary the CLI always prints.
 */
function assertDigestListsEveryResource(digest: Record<string, unknown> & { steps: PreviewStep[] }, name: string): void {
  const summary = digest.changeSummary;
  if (!isRecord(summary)) {
    throw new InputError(`${name} has no "changeSummary", so whether it lists every resource cannot be told; expected the output of \`pulumi preview --json --show-sames\``);
  }
  const counted = summary.same ?? 0;
  if (typeof counted !== "number") throw new InputError(`${name}: "changeSummary.same" is not a number`);
  const listed = digest.steps.filter((step) => step.op === "same" || step.op === "refresh").length;
  if (counted > listed) {
    throw new InputError(
      `${name} lists ${listed} of the ${counted} unchanged resources its changeSummary counts: \`pulumi preview --json\` leaves them ` +
        "out unless given --show-sames, and a change is judged on the whole stack; run `pulumi preview --json --show-sames`",
    );
  }
}

/**
 * The error the engine closes every failed preview with (deployment_executor.go, reportExecResult:
 * "preview failed", no URN). What failed is reported on its own: an error diagnostic of its own (a
 * failed program or step, "preview failed: ..." with the cause), or mandatory policy violations.
 */
const isClosingPreviewError = (diagnostic: Record<string, unknown>) =>
  (diagnostic.urn === undefined || diagnostic.urn === "") && typeof diagnostic.message === "string" && diagnostic.message.trim() === "preview failed";

/**
 * An event log is whole when it has the `summaryEvent` the engine sends after every run (a
 * `cancelEvent` follows it on success too: it only closes the stream). Refused: any error
 * diagnostic; no summary (cut short); result `canceled`; result `failed`, unless the run is a
 * preview and mandatory policy violations explain it: in a preview they fail the run but stop no
 * step (pkg/resource/deploy/analyze_snapshot.go, analyzeResource: a resource is invalid only when
 * not a dry run), while in an update they stop it. Such a preview's log also ends with the
 * engine's bare "preview failed" error (a real `pulumi preview --policy-pack` prints it), which is
 * the violations' consequence, not another failure; any other error is. A log without `result`
 * (older CLIs) is judged by its diagnostics.
 */
function assertEventLogComplete(events: Array<Record<string, unknown>>, name: string): void {
  let errors: Array<Record<string, unknown>> = [];
  let summary: Record<string, unknown> | null = null;
  let mandatoryViolations = 0;
  for (const event of events) {
    if (isRecord(event.diagnosticEvent) && event.diagnosticEvent.severity === "error") errors.push(event.diagnosticEvent);
    else if (isRecord(event.summaryEvent)) summary = event.summaryEvent;
    else if (isRecord(event.policyEvent) && event.policyEvent.enforcementLevel === "mandatory") mandatoryViolations += 1;
  }
  if (summary?.result === "failed" && summary.isPreview === true && mandatoryViolations > 0) errors = errors.filter((error) => !isClosingPreviewError(error));
  if (errors.length > 0) throw programFailed(name, errors);
  if (summary === null) {
    throw new InputError(`${name}: the event log has no summaryEvent: the operation was cut short or the log is incomplete, ${NOT_JUDGED}; pass the whole log of a finished preview`);
  }
  const { result } = summary;
  if (result === undefined || result === "succeeded") return;
  if (result === "failed" && summary.isPreview === true && mandatoryViolations > 0) return;
  if (result === "canceled") throw new InputError(`${name}: the operation was canceled (summaryEvent result "canceled"), ${NOT_JUDGED}; run the preview again`);
  if (result === "failed") {
    throw new InputError(
      `${name}: the operation failed (summaryEvent result "failed") ` +
        `${summary.isPreview === true ? "with no error diagnostic or mandatory policy violation to say why" : "and was not a preview (a mandatory policy violation stops an update)"}, ${NOT_JUDGED}; run the preview again`,
    );
  }
  throw new InputError(`${name}: summaryEvent result ${JSON.stringify(result)} is not one steward knows (succeeded, failed, canceled), ${NOT_JUDGED}`);
}

/** Reads any of Pulumi's documents into the resources before and after the change. */
export function resourceStates(document: unknown, name: string, options: { refresh?: boolean } = {}): ResourceStates {
  const kind = detectKind(document, name);
  let states: Pick<ResourceStates, "before" | "after">;
  const stepOptions: StepOptions = { prefer: options.refresh ? "outputs" : "inputs", refresh: options.refresh === true };
  if (kind === "stack-export") {
    const resources = (document as { deployment: { resources?: unknown } }).deployment.resources ?? [];
    if (!Array.isArray(resources)) throw new InputError(`${name}: deployment.resources must be a list`);
    const deployed = resources.map((state, index) => readState(state, `${name}: deployment.resources[${index}]`, "outputs"));
    states = { before: deployed, after: deployed };
  } else if (kind === "preview") {
    const digest = document as Record<string, unknown> & { steps: PreviewStep[] };
    assertDigestComplete(digest, name);
    states = fromSteps(digest.steps, name, stepOptions);
    assertDigestListsEveryResource(digest, name);
  } else {
    const events = document as Array<Record<string, unknown>>;
    assertEventLogComplete(events, name);
    const { steps, ...known } = stepsFromEvents(events, name);
    states = fromSteps(steps, name, stepOptions, known);
  }
  return { kind, ...states, identity: identityOf(states.after.length > 0 ? states.after : states.before) };
}

/** Parses a file's text: one JSON document, or newline-delimited JSON events. */
export function parsePulumiText(rawText: string, name: string): unknown {
  const text = withoutBom(rawText);
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
    return isRecord(JSON.parse(line));
  } catch {
    return false;
  }
}
