import { judgeStack } from "./baseline";
import type { ClientConfig } from "../core/config";
import { complianceReport, declaredRoles, type ClientComplianceReport, type Comparable, type InputFile, type ReportingPeriod } from "../core/compliance";
import { compareInventory, type InventoryMachine } from "../core/coverage";
import { driftedResources } from "../core/drift";
import type { Evaluation, PolicyEngine } from "../core/engine";
import { notFullyEnforced } from "../core/exceptions";
import { gateDocument } from "../core/gate";
import type { PatchAssessments } from "../core/patch-assessment";
import type { ResourceStates } from "../core/sources/pulumi";

/** The Resource Graph inventory's machines, and the same by id in lower case: indexed once per
 *  worker (inventoryInput), not once per client, since one inventory holds every client's machines. */
export interface InventoryInput {
  machines: InventoryMachine[];
  byId: ReadonlyMap<string, InventoryMachine>;
}

export const inventoryInput = (machines: InventoryMachine[]): InventoryInput => ({ machines, byId: new Map(machines.map((machine) => [machine.id.toLowerCase(), machine])) });

/**
 * Everything one client's report is made from, as plain data (no file is read, nothing is
 * written), so the fleet can make reports in worker threads, each with its own engine.
 */
export interface ClientReportInput {
  stack: string;
  config: ClientConfig;
  /** Pulumi's state of the client's stack (`pulumi stack export`, or a preview: its state before the change). */
  deployed: ResourceStates | null;
  /** A refresh preview: the cloud as it is now (judged in place of `deployed`), and the drift. */
  refresh: ResourceStates | null;
  /** The Resource Graph inventory (every client's machines). */
  inventory: InventoryInput | null;
  /** Azure Update Manager's patch assessment of the machines (every client's). */
  patchAssessment: PatchAssessments | null;
  /** The previous report's summary of this client, for the trend. */
  previous: Comparable | null;
  /** RFC 3339 (UTC). */
  generatedAt: string;
  /** The run's day, YYYY-MM-DD. */
  date: string;
  period: ReportingPeriod;
  stewardVersion: string;
  policyBundleHash: string;
  inputs: InputFile[];
}

/**
 * One client's compliance report: the refreshed state when a refresh preview is given, else the
 * deployed state, else the planned baseline (as `steward check` judges it), with every policy.
 */
export function clientReport(input: ClientReportInput, engine: PolicyEngine): ClientComplianceReport {
  const { config, stack } = input;
  const evaluatedAt = new Date(input.generatedAt);
  // The plan is judged by the preflight, which has evaluated it already; a state is evaluated here.
  let judged: { basis: "planned" | "deployed" | "refreshed"; document: ReturnType<typeof gateDocument>; evaluation?: Evaluation };
  if (input.refresh !== null) {
    judged = { basis: "refreshed", document: gateDocument({ states: input.refresh, config, evaluatedAt, source: "refresh" }, input.refresh.after) };
  } else if (input.deployed !== null) {
    // A preview's state before its change is what is deployed; an export's two states are the same.
    const deployed = input.deployed;
    judged = { basis: "deployed", document: gateDocument({ states: deployed, config, evaluatedAt }, deployed.kind === "stack-export" ? deployed.after : deployed.before) };
  } else {
    const { document, evaluation } = judgeStack(config, stack, evaluatedAt, engine);
    judged = { basis: "planned", document, evaluation };
  }
  const evaluation = judged.evaluation ?? engine.evaluate(judged.document);
  const coverage = input.inventory === null ? null : compareInventory(config, input.inventory.machines, evaluation.exceptions.enforcement);
  return complianceReport(
    {
      basis: judged.basis,
      document: judged.document,
      evaluation,
      coverage: coverage === null || input.inventory === null ? null : { machines: input.inventory.byId, findings: coverage.findings },
      patchAssessment: input.patchAssessment === null ? null : { machines: input.patchAssessment, rings: config.updateRings, judgedAt: input.generatedAt },
      roles: declaredRoles(config),
    },
    {
      stack,
      config,
      generatedAt: input.generatedAt,
      date: input.date,
      period: input.period,
      notFullyEnforced: notFullyEnforced(judged.document, evaluation, engine.catalog),
      // Only what changed: the refreshed state's findings are the evaluation above.
      drift: input.refresh === null ? null : driftedResources(input.refresh),
      uncoveredSubscriptions: coverage?.uncoveredSubscriptions ?? [],
      previous: input.previous,
      provenance: { stewardVersion: input.stewardVersion, policyBundleHash: input.policyBundleHash, inputs: input.inputs },
    },
  );
}
