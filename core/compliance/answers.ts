/**
 * The six questions answered for every machine of one judged state: a normalized document, the
 * policies' evaluation of it, and (when given) what the Resource Graph inventory and Azure Update
 * Manager's patch assessment (patching.ts) showed. Pure: the report builder (report.ts) and the components' stack outputs call it on data they hold.
 *
 * An answer is `no` when a finding the question rests on is open (not waived), or when what it
 * asks about is not there (no antivirus extension to be on); `not-verifiable` when what would
 * decide it is not visible here (say why and who would know); `yes` otherwise — a waived `yes`
 * when waivers cover every finding behind it. Judged from the plan, nothing is shown to be
 * deployed: every `yes` there is not verifiable.
 */
import { EXTENSION_RESOURCES, HANDLER_VERSIONS, canonicalType } from "../azure";
import type { CoverageFinding, InventoryMachine } from "../coverage";
import type { Endpoint, ExtensionFact, JsonValue, Severity, Sentinel, StewardInput } from "../document";
import type { Evaluation, Finding } from "../engine";
import { field, isUnknown } from "../values";
import { readPatchAssessment, type PatchAssessmentInput } from "./patching";
import { COVERAGE_TOPICS, QUESTIONS, policyTopic, worst } from "./questions";
import type { Answer, AnswerFinding, Basis, EndpointOrigin, EndpointRow, Evidence, Limit, QuestionId, Verdict } from "./types";

/** What the answers are judged from. */
export interface JudgedState {
  basis: Basis["state"];
  document: StewardInput;
  evaluation: Evaluation;
  /** The inventory's machines and what coverage found in them; null when no inventory was given. */
  coverage: { machines: ReadonlyMap<string, InventoryMachine>; findings: CoverageFinding[] } | null;
  /** Azure Update Manager's patch assessment (question 6); null when none was given. */
  patchAssessment: PatchAssessmentInput | null;
  /** Declared roles, by endpoint name in lower case. */
  roles: ReadonlyMap<string, string>;
}

/** A finding of the judged state, placed: the rows it is on (none: it answers no question). */
export interface PlacedFinding {
  finding: AnswerFinding & { title: string; enforcement: "mandatory" | "advisory"; remediation: string };
  topic: QuestionId | "responsibilities" | "exceptions";
  rows: number[];
  /** The one machine it is on by its resource; null when it is about the whole client or a ring. */
  endpoint: string | null;
  /** What an open finding makes the answers it is on. */
  openFinding: Exclude<Verdict, "yes">;
}

/** How the report names each kind of coverage finding, and what fixes it (the message says it for the machine). */
const COVERAGE_TEXT: Readonly<Record<CoverageFinding["kind"], { title: string; remediation: string }>> = {
  unmanaged: {
    title: "Machine in the client's scope that nothing manages",
    remediation: "Declare the machine in the client's stack file (steward:endpoints) so it gets antivirus, an update ring and monitoring, or move it out of the client's scope.",
  },
  "outside-scope": {
    title: "Machine tagged for the client outside its scope",
    remediation: "Add its resource group to the client's scope and the machine to steward:endpoints, or correct its client tag.",
  },
  "foreign-tag": {
    title: "Machine in the client's scope tagged for another client",
    remediation: "Correct the machine's client tag, or the clients' scopes if it belongs to another client.",
  },
  missing: {
    title: "Declared machine not in the inventory",
    remediation: "Remove the machine from steward:endpoints if it is gone, or correct its name, kind or resource group.",
  },
  "patch-orchestration": {
    title: "Patch settings the update ring needs, as Azure shows them",
    remediation: "Set the machine's patchMode and assessmentMode to AutomaticByPlatform (and, on an Azure VM, bypassPlatformSafetyChecksOnUserSchedule to true); a scale set upgrades its OS image automatically.",
  },
};

/** Something that decides an answer besides the findings. */
interface Reading {
  evidence: Evidence[];
  /** Why it is no, from what was read (the findings say the rest). */
  no: string[];
  /** What is not visible here, and who knows. */
  unknown: Limit[];
  /** The verdict in one sentence when it is yes. */
  yes: string;
  limits: Limit[];
  /** Policies whose "cannot see it" findings something else answered (the inventory showed the patch settings). */
  seenElsewhere: string[];
}

const empty = (): Reading => ({ evidence: [], no: [], unknown: [], yes: "", limits: [], seenElsewhere: [] });

/** A value as evidence shows it: sentinels as they are, absent as null. */
const shown = (value: JsonValue | Sentinel | undefined): JsonValue => (value === undefined ? null : (value as JsonValue));

/** Where an extension's handler field is written: Arc extensions nest them under `properties`. */
const handlerPath = (extension: ExtensionFact, path: string): string => (EXTENSION_RESOURCES.get(canonicalType(extension.type))?.nested ? `properties.${path}` : path);

const PLAN_WHO_KNOWS = "the stack's deployed state (`pulumi stack export`, given with --deployed)";
const UNVERIFIED_PATCHING_WHO_KNOWS = "Azure Resource Graph (steward report --inventory), or a stack that owns the machine";
const PATCH_ASSESSMENT: Limit = {
  what: "whether this month's security updates were installed is Azure Update Manager's patch assessment, which Pulumi does not hold",
  whoKnows: "Azure Update Manager (Resource Graph patchassessmentresources)",
};

/** Dotted version numbers compared number by number; null when either is not one. */
function compareVersions(a: string, b: string): number | null {
  if (!/^\d+(\.\d+)*$/.test(a) || !/^\d+(\.\d+)*$/.test(b)) return null;
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

const productName = (extension: ExtensionFact): string =>
  extension.product === "antimalware" ? `Microsoft Antimalware (${String(extension.extensionType)})` : `Defender for Endpoint (${String(extension.extensionType)})`;

/** What steward reads of one document endpoint for one question. */
function read(question: QuestionId, endpoint: Endpoint, state: JudgedState): Reading {
  const { document } = state;
  const reading = empty();
  const antivirus = document.extensions.filter((extension) => extension.endpoint === endpoint.urn && extension.role === "antivirus");
  const evidence = (resource: string, setting: string, value: JsonValue | Sentinel | undefined, policy: string) =>
    reading.evidence.push({ resource, setting, value: shown(value), policy });
  const noAntivirus = "no antivirus extension is attached (question 1)";

  switch (question) {
    case "installed": {
      for (const extension of antivirus) {
        evidence(extension.urn, handlerPath(extension, "type"), extension.extensionType, "antivirus-installed");
        evidence(extension.urn, handlerPath(extension, "suppressFailures"), extension.suppressFailures, "antivirus-installed");
        if (extension.product === "mde") {
          reading.limits.push({ what: "whether the Defender for Endpoint sensor onboarded and reports", whoKnows: "the Microsoft Defender portal (device inventory)" });
        }
      }
      if (antivirus.length === 0) {
        evidence(endpoint.urn, "antivirus extension", null, "antivirus-installed");
        reading.no.push("no antivirus extension is attached");
      }
      reading.yes = `${antivirus.map(productName).join(" and ")} is attached`;
      break;
    }
    case "working": {
      if (antivirus.length === 0) reading.no.push(noAntivirus);
      for (const extension of antivirus) {
        if (extension.product === "antimalware") {
          for (const path of [["AntimalwareEnabled"], ["RealtimeProtectionEnabled"], ["ScheduledScanSettings", "isEnabled"], ["ScheduledScanSettings", "day"]]) {
            evidence(extension.urn, handlerPath(extension, `settings.${path.join(".")}`), field(extension.settings, ...path), "antivirus-protection-on");
          }
          reading.limits.push({
            what: "whether the engine is running and protecting right now",
            whoKnows: "Microsoft Defender for Cloud and the client's Log Analytics workspace (Microsoft Antimalware events)",
          });
        } else {
          reading.unknown.push({
            what:
              "Defender for Endpoint's real-time protection and scans are set in Defender for Endpoint (security settings management, Intune, Group Policy, " +
              "or on Linux its managed configuration), not in its extension, so Pulumi does not show them",
            whoKnows: "the Microsoft Defender portal (device health and antivirus settings)",
          });
        }
      }
      reading.yes = "Microsoft Antimalware has real-time protection on and a scheduled scan at least weekly";
      break;
    }
    case "up-to-date": {
      if (antivirus.length === 0) reading.no.push(noAntivirus);
      for (const extension of antivirus) {
        evidence(extension.urn, handlerPath(extension, "autoUpgradeMinorVersion"), extension.autoUpgradeMinorVersion, "antivirus-up-to-date");
        evidence(extension.urn, handlerPath(extension, "typeHandlerVersion"), extension.typeHandlerVersion, "antivirus-up-to-date");
        reading.limits.push({
          what: "signature (definition) age",
          whoKnows:
            extension.product === "mde"
              ? "Defender for Endpoint (device health in the Microsoft Defender portal)"
              : "Microsoft Antimalware's update events in the client's Log Analytics workspace, and Defender for Cloud",
        });
      }
      reading.yes = "the antivirus extension takes new minor versions automatically and meets the minimum handler version";
      break;
    }
    case "catching-threats": {
      if (antivirus.length === 0) reading.no.push(noAntivirus);
      for (const extension of antivirus) {
        if (extension.product === "antimalware") {
          for (const kind of ["Paths", "Extensions", "Processes"] as const) {
            const entries = extension.exclusions.filter((entry) => entry.kind === kind).map((entry) => shown(entry.written));
            evidence(extension.urn, handlerPath(extension, `settings.Exclusions.${kind}`), entries, "antivirus-safe-exclusions");
          }
        } else {
          reading.limits.push({ what: "Defender for Endpoint's antivirus exclusions", whoKnows: "the Microsoft Defender portal or Intune (endpoint security policies)" });
        }
      }
      for (const notification of document.notifications) evidence(notification.urn, "recipients", notification.recipients, "threat-alerts-routed");
      for (const agent of endpoint.monitoringAgents) evidence(agent.urn, "type", agent.extensionType, "endpoint-reports");
      for (const association of endpoint.dataCollectionRuleAssociations) evidence(association.urn, "dataCollectionRuleId", association.rule, "endpoint-reports");
      reading.limits.push({
        what: "which threats were detected, and whether anyone acted on the alerts",
        whoKnows: "Defender for Endpoint and Defender for Cloud alerts, and the client's Log Analytics workspace",
      });
      reading.yes = "its exclusions are safe, threat alerts reach whoever answers for antivirus, and it reports to Azure Monitor";
      break;
    }
    case "latest-release": {
      if (antivirus.length === 0) reading.no.push(noAntivirus);
      const verdicts: string[] = [];
      for (const extension of antivirus) {
        const version = extension.typeHandlerVersion;
        evidence(extension.urn, handlerPath(extension, "typeHandlerVersion"), version, "latest-release");
        const type = String(extension.extensionType);
        const newest = Object.hasOwn(HANDLER_VERSIONS, type) ? HANDLER_VERSIONS[type] : undefined;
        if (newest === undefined) {
          reading.unknown.push({ what: `steward knows no release of ${type}`, whoKnows: "the extension's publisher" });
          continue;
        }
        const order = typeof version === "string" ? compareVersions(version, newest) : null;
        if (order === null) {
          reading.unknown.push({
            what: `the ${type} handler version is ${isUnknown(version) ? "not known until the change is applied" : `${JSON.stringify(version)}, not a version number`}`,
            whoKnows: "the deployed extension (Azure portal or `az vm extension show`)",
          });
        } else if (order < 0) {
          reading.no.push(`${type} handler ${String(version)} is older than ${newest}, the latest release steward knows`);
        } else {
          verdicts.push(`${type} handler ${String(version)}`);
        }
      }
      reading.limits.push({
        what: "the exact version running after automatic minor upgrades",
        whoKnows: "the extension's instance view in Azure (`az vm extension show`, or Resource Graph)",
      });
      reading.yes = `${verdicts.join(" and ")} is the latest release steward knows`;
      break;
    }
    case "patched": {
      const rings = new Map(document.rings.map((ring) => [ring.urn, ring]));
      for (const assignment of endpoint.ringAssignments) {
        evidence(assignment.urn, "maintenanceConfigurationId", assignment.ring === null ? null : (rings.get(assignment.ring)?.name ?? assignment.ring), "endpoint-in-one-ring");
        const ring = assignment.ring === null ? undefined : rings.get(assignment.ring);
        if (ring === undefined) continue;
        evidence(ring.urn, "recurEvery", ring.recurEvery, "rings-staged");
        const classifications = endpoint.os === "linux" ? ["installPatches.linuxParameters.classificationsToInclude", ring.linuxClassifications] : ["installPatches.windowsParameters.classificationsToInclude", ring.windowsClassifications];
        evidence(ring.urn, classifications[0] as string, classifications[1] as JsonValue, "ring-installs-security-fixes");
        evidence(ring.urn, "installPatches.rebootSetting", ring.rebootSetting, "ring-installs-security-fixes");
      }
      if (endpoint.kind === "vm-scale-set") {
        evidence(endpoint.urn, "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade", endpoint.osImageUpgrade?.automatic ?? null, "endpoint-in-one-ring");
      } else {
        if (endpoint.ringAssignments.length === 0) evidence(endpoint.urn, "ring assignment", null, "endpoint-in-one-ring");
        const settings = endpoint.patchSettings;
        if (settings === null) evidence(endpoint.urn, "patchSettings", null, "patch-orchestration-unverified");
        else for (const key of ["patchMode", "assessmentMode"] as const) evidence(endpoint.urn, `patchSettings.${key}`, settings[key], "patch-orchestration");
        const machine = inventoryMachine(endpoint, state);
        const patch = machine && machine.os !== null ? machine.patchSettings[machine.os] : null;
        if (machine && patch) {
          const base = `properties.osProfile.${machine.os}Configuration.patchSettings`;
          evidence(machine.id, `${base}.patchMode`, shown(patch.patchMode as JsonValue), "coverage");
          evidence(machine.id, `${base}.assessmentMode`, shown(patch.assessmentMode as JsonValue), "coverage");
          // Coverage judged these settings (a wrong one is its finding): the stack's blind spot is covered.
          reading.seenElsewhere.push("patch-orchestration-unverified");
        }
      }
      if (endpoint.kind === "vm-scale-set" || state.patchAssessment === null) {
        reading.unknown.push(PATCH_ASSESSMENT);
        break;
      }
      // The ring the row shows: its assignment's, else the declared one.
      const assigned = endpoint.ringAssignments.map((assignment) => (assignment.ring === null ? undefined : rings.get(assignment.ring)?.name)).find((name) => name !== undefined);
      const patch = readPatchAssessment(endpoint, assigned ?? endpoint.declaredRing, state.patchAssessment);
      reading.evidence.push(...patch.evidence);
      reading.no.push(...patch.no);
      reading.unknown.push(...patch.unknown);
      reading.limits.push(...patch.limits);
      reading.yes = patch.yes;
      break;
    }
  }
  if (question === "installed") {
    const machine = inventoryMachine(endpoint, state);
    if (machine) evidence(machine.id, "type", machine.type, "coverage");
  }
  return reading;
}

function inventoryMachine(endpoint: Endpoint, state: JudgedState): InventoryMachine | undefined {
  if (state.coverage === null || endpoint.id === null) return undefined;
  return state.coverage.machines.get(endpoint.id.toLowerCase());
}

/** The row of a machine nothing manages: every question no, question 1 carrying why. */
function unmanagedReading(question: QuestionId, { resource, type, policy }: { resource: string; type: string; policy: string }): Reading {
  return {
    evidence: question === "installed" ? [{ resource, setting: "type", value: type, policy }] : [],
    no: question === "installed" ? [] : ["nothing manages this machine (question 1)"],
    unknown: [],
    yes: "",
    limits: [],
    seenElsewhere: [],
  };
}

/** The verdict of one answer from what was read and the findings on it. */
function decide(reading: Reading, findings: PlacedFinding[], basis: JudgedState["basis"], question: QuestionId): Answer {
  const answerFindings = findings.map(({ finding: { policy, severity, resource, message, waiver } }) => ({ policy, severity, resource, message, waiver }));
  const open = findings.filter((placed) => placed.finding.waiver === null);
  const noReasons = [...open.filter((placed) => placed.openFinding === "no").map((placed) => placed.finding.message), ...reading.no];
  const base = { evidence: reading.evidence, findings: answerFindings, limits: dedupe(reading.limits) };
  if (noReasons.length > 0) {
    const why = noReasons.length === 1 ? (noReasons[0] as string) : `${noReasons[0]} (and ${noReasons.length - 1} more)`;
    return { verdict: "no", waived: false, why, whoKnows: null, ...base };
  }
  const unknown = dedupe([
    ...reading.unknown,
    ...open.filter((placed) => !reading.seenElsewhere.includes(placed.finding.policy)).map((placed) => ({ what: placed.finding.message, whoKnows: question === "patched" ? UNVERIFIED_PATCHING_WHO_KNOWS : "Azure Resource Graph (the client's inventory)" })),
  ]);
  if (unknown.length > 0) {
    return { verdict: "not-verifiable", waived: false, why: unknown.map((limit) => limit.what).join("; "), whoKnows: [...new Set(unknown.map((limit) => limit.whoKnows))].join("; "), ...base };
  }
  // Open findings something else answered (seenElsewhere) are neither waived nor in the way.
  const waived = findings.some((placed) => placed.finding.waiver !== null);
  const yes = waived ? `${reading.yes}, with every finding behind it waived` : reading.yes;
  if (basis === "planned") {
    return { verdict: "not-verifiable", waived: false, why: `planned, not shown deployed: the plan gives it what it needs (${yes}); nothing deployed was read`, whoKnows: PLAN_WHO_KNOWS, ...base };
  }
  return { verdict: "yes", waived, why: yes, whoKnows: null, ...base };
}

function dedupe(limits: Limit[]): Limit[] {
  const seen = new Set<string>();
  return limits.filter((limit) => {
    const key = `${limit.what}\u0000${limit.whoKnows}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The short name of a Pulumi URN (after its last `::`) or an ARM id (after its last `/`). */
export const resourceName = (resource: string): string => resource.slice(Math.max(resource.lastIndexOf("::") + 2, resource.lastIndexOf("/") + 1));

interface RowDraft {
  row: Omit<EndpointRow, "status" | "answers">;
  endpoint: Endpoint | null;
  /** For a row of a machine nothing manages: the resource and type question 1 shows, and by what. */
  unmanaged: { resource: string; type: string; policy: string } | null;
}

/**
 * Every machine's row with its six answers, and every finding placed on its rows: the judged
 * state's endpoints, then the machines it has of a type steward does not understand, then the
 * inventory's machines nothing declares.
 */
export function answerQuestions(state: JudgedState): { rows: EndpointRow[]; findings: PlacedFinding[] } {
  const { document, evaluation } = state;
  const drafts: RowDraft[] = [];
  const index = new Map<string, number[]>();
  const link = (key: string, row: number) => {
    const rows = index.get(key.toLowerCase()) ?? [];
    if (!rows.includes(row)) index.set(key.toLowerCase(), [...rows, row]);
  };
  const ringNames = new Map(document.rings.map((ring) => [ring.urn, ring.name]));

  for (const endpoint of document.endpoints) {
    const row = drafts.length;
    const assigned = endpoint.ringAssignments.map((assignment) => (assignment.ring === null ? undefined : ringNames.get(assignment.ring))).find((name) => name !== undefined);
    drafts.push({
      row: {
        name: endpoint.name,
        kind: endpoint.kind,
        os: endpoint.os,
        role: state.roles.get(endpoint.name.toLowerCase()) ?? null,
        ring: assigned ?? endpoint.declaredRing,
        resource: endpoint.urn,
        origin: endpoint.origins.includes("declared") ? "declared" : "undeclared",
      },
      endpoint,
      unmanaged: null,
    });
    link(endpoint.urn, row);
    if (endpoint.id !== null) link(endpoint.id, row);
    for (const part of [...endpoint.antivirus, ...endpoint.monitoringAgents, ...endpoint.dataCollectionRuleAssociations, ...endpoint.ringAssignments]) link(part.urn, row);
  }
  for (const extension of document.extensions) {
    if (extension.endpoint === null) continue;
    for (const row of index.get(extension.endpoint.toLowerCase()) ?? []) link(extension.urn, row);
  }
  for (const ring of document.rings) {
    const members = ring.endpoints.flatMap((urn) => index.get(urn.toLowerCase()) ?? []);
    index.set(ring.urn.toLowerCase(), members);
  }
  const documentRows = drafts.map((_, row) => row);

  const addUnmanaged = (name: string, kind: EndpointRow["kind"], os: EndpointRow["os"], resource: string, type: string, origin: EndpointOrigin, policy: string) => {
    const row = drafts.length;
    drafts.push({ row: { name, kind, os, role: null, ring: null, resource, origin }, endpoint: null, unmanaged: { resource, type, policy } });
    link(resource, row);
  };
  for (const machine of document.unrecognizedMachines ?? []) {
    addUnmanaged(resourceName(machine.urn), "unrecognized", "unknown", machine.urn, machine.type, "unrecognized", "machine-type-recognized");
  }
  for (const finding of state.coverage?.findings ?? []) {
    if ((finding.kind !== "unmanaged" && finding.kind !== "outside-scope") || index.has(finding.machine.id.toLowerCase())) continue;
    const machine = state.coverage?.machines.get(finding.machine.id.toLowerCase());
    addUnmanaged(finding.machine.name, machine?.kind ?? "azure-vm", machine?.os ?? "unknown", finding.machine.id, finding.machine.type, "inventory", "coverage");
  }

  // A ring's members are rows too, but a finding on a ring is not on one machine.
  const rings = new Set(document.rings.map((ring) => ring.urn.toLowerCase()));
  const oneMachine = (rows: number[]): string | null => (rows.length === 1 ? (drafts[rows[0] as number] as RowDraft).row.name : null);
  const placed: PlacedFinding[] = [];
  for (const finding of evaluation.findings) {
    const topic = policyTopic(finding.policy);
    const rows = index.get(finding.urn.toLowerCase()) ?? [];
    // A finding on nothing of one machine (the alert routing, an empty ring) is about the whole client.
    placed.push({
      finding: answerFinding(finding),
      topic: "question" in topic ? topic.question : topic.section,
      rows: "question" in topic && rows.length === 0 ? documentRows : rows,
      endpoint: rings.has(finding.urn.toLowerCase()) ? null : oneMachine(rows),
      openFinding: "question" in topic ? topic.openFinding : "no",
    });
  }
  for (const finding of state.coverage?.findings ?? []) {
    const topic = COVERAGE_TOPICS[finding.kind];
    placed.push({
      finding: {
        policy: `coverage:${finding.kind}`,
        ...COVERAGE_TEXT[finding.kind],
        severity: finding.severity,
        enforcement: finding.blocking ? "mandatory" : "advisory",
        resource: finding.machine.id,
        message: finding.message,
        waiver: null,
      },
      topic: topic.question,
      rows: index.get(finding.machine.id.toLowerCase()) ?? [],
      endpoint: oneMachine(index.get(finding.machine.id.toLowerCase()) ?? []),
      openFinding: topic.openFinding,
    });
  }

  const rows = drafts.map((draft, row) => {
    const answers = Object.fromEntries(
      QUESTIONS.map(({ id }) => {
        const on = placed.filter((entry) => entry.topic === id && entry.rows.includes(row));
        const reading = draft.endpoint ? read(id, draft.endpoint, state) : unmanagedReading(id, draft.unmanaged as NonNullable<RowDraft["unmanaged"]>);
        // With no antivirus, questions 2-5 rest on question 1's findings about it.
        const installedFindings = draft.endpoint && reading.no.length > 0 && id !== "installed" && id !== "patched" ? placed.filter((entry) => entry.finding.policy === "antivirus-installed" && entry.rows.includes(row)) : [];
        if (installedFindings.length > 0 && installedFindings.every((entry) => entry.finding.waiver !== null)) reading.no = [];
        return [id, decide(reading, [...on, ...installedFindings], state.basis, id)];
      }),
    ) as Record<QuestionId, Answer>;
    return { ...draft.row, status: worst(Object.values(answers).map((answer) => answer.verdict)), answers };
  });
  return { rows, findings: placed };
}

function answerFinding(finding: Finding): PlacedFinding["finding"] {
  const { policy, title, severity, enforcement, urn, message, remediation, waiver } = finding;
  return { policy, title, severity: severity as Severity, enforcement, resource: urn, message, remediation, waiver };
}
