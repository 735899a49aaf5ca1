import type { ClientConfig } from "./config/client-config";
import { locateFinding } from "./config/locate";
import type { ConfigLocations } from "./config/locations";
import { declaredBaseline } from "./declared";
import type { SourceKind, StewardInput } from "./document";
import { isBlocking, type Finding, type PolicyEngine } from "./engine";
import { notFullyEnforced } from "./exceptions";
import { normalize } from "./normalize";
import { beforeFindings } from "./partition";
import type { FailOn, FindingStatus, GateFinding, GateReport } from "./gate-report";
import { GATE_REPORT_VERSION } from "./gate-report";
import type { ResourceStates } from "./sources/pulumi";

export type { FailOn } from "./gate-report";

export interface GateRequest {
  states: ResourceStates;
  /** The client's configuration, when known (`--stack`): its declared baseline, waivers and settings. */
  config: ClientConfig | null;
  /** Where the entries of the client's stack file are written, when it was read from one: findings
   *  then carry the location of the entry behind them. */
  locations?: ConfigLocations;
  evaluatedAt: Date;
  engine: PolicyEngine;
  /** `any` (default): every unwaived mandatory finding blocks. `new`: only those the change introduces. */
  failOn: FailOn;
  /** The source recorded in the documents (a refresh preview judges the actual state). */
  source?: SourceKind;
}

/** Same policy on the same resource: a finding that was already true of the old state. */
const findingKey = (finding: Finding) => `${finding.policy}\u0000${finding.urn}`;

/** The normalized document the gate evaluates for one side of the change (before or after). */
export function gateDocument(request: Omit<GateRequest, "engine" | "failOn">, resources: ResourceStates["after"]): StewardInput {
  const identity = request.states.identity ?? { project: "unknown", stack: "unknown" };
  const { config } = request;
  return normalize({
    source: request.source ?? (request.states.kind === "stack-export" ? "stack-export" : "preview"),
    stack: { ...identity, client: config?.client.id ?? null },
    evaluatedAt: request.evaluatedAt,
    resources,
    baseline: config ? declaredBaseline(config) : null,
    waivers: config?.waivers ?? [],
    settings: config?.policy ?? {},
  });
}

/** Places a finding in the client's stack file: undefined without the file's locations. */
type Locate = (finding: Finding, document: StewardInput) => GateFinding["location"];

function locator(request: GateRequest): Locate {
  const { config, locations } = request;
  if (config === null || locations === undefined) return () => undefined;
  return (finding, document) => locateFinding(finding, document, { config, locations });
}

function gateFinding(finding: Finding, status: FindingStatus, failOn: FailOn, location: GateFinding["location"]): GateFinding {
  const { policy, title, severity, enforcement, urn, type, message, remediation, waiver } = finding;
  // Blocking when the change introduces it, or, failing on any, when it was already there.
  const blocking = isBlocking(finding) && (status === "new" || (status === "existing" && failOn === "any"));
  return { policy, title, severity, enforcement, status, blocking, urn, type, message, remediation, waiver, ...(location === undefined ? {} : { location }) };
}

/** Nothing changes (an export, or a preview of only `same` steps): the before-state is the after-state. */
function unchanged(states: ResourceStates): boolean {
  if (states.before.length !== states.after.length) return false;
  const after = new Set(states.after);
  return states.before.every((resource) => after.has(resource));
}

/**
 * Judges the resources as they will be after the change, and the state before it, and labels
 * every finding new (introduced by the change), existing (already true before) or resolved
 * (fixed by the change).
 */
export function runGate(request: GateRequest): GateReport {
  const afterDocument = gateDocument(request, request.states.after);
  const afterEvaluation = request.engine.evaluate(afterDocument);
  const after = afterEvaluation.findings;
  const beforeDocument = unchanged(request.states) ? afterDocument : gateDocument(request, request.states.before);
  const before = beforeDocument === afterDocument ? after : beforeFindings(request.engine, beforeDocument, { document: afterDocument, findings: after });
  const beforeKeys = new Set(before.map(findingKey));
  const afterKeys = new Set(after.map(findingKey));
  const locate = locator(request);
  const findings = [
    ...after.map((finding) => gateFinding(finding, beforeKeys.has(findingKey(finding)) ? "existing" : "new", request.failOn, locate(finding, afterDocument))),
    // A resolved finding's subject may be gone from the after-state: it is placed by the before-state.
    ...before
      .filter((finding) => !afterKeys.has(findingKey(finding)))
      .map((finding) => gateFinding(finding, "resolved", request.failOn, locate(finding, beforeDocument))),
  ];
  const open = findings.filter((finding) => finding.status !== "resolved" && finding.waiver === null);
  return {
    version: GATE_REPORT_VERSION,
    summary: {
      blocking: findings.filter((finding) => finding.blocking).length,
      advisory: open.filter((finding) => finding.enforcement === "advisory").length,
      waived: findings.filter((finding) => finding.status !== "resolved" && finding.waiver !== null).length,
      resources: request.states.after.length,
    },
    findings,
    notFullyEnforced: notFullyEnforced(afterDocument, afterEvaluation, request.engine.catalog),
  };
}
