/**
 * Coverage: "is it installed on all your computers?" — a client's declared endpoints against what
 * Azure says exists. The inventory is an Azure Resource Graph export of every VM, Arc machine,
 * scale set and scale set instance. Scale sets are in the `resources` table; the instances of a
 * Uniform scale set only in `computeresources` (an instance of a Flexible scale set is an
 * ordinary VM whose `properties.virtualMachineScaleSet.id` names its scale set), so the query
 * unions both tables:
 *
 *   az graph query -q "resources
 *     | where type in~ ('microsoft.compute/virtualmachines','microsoft.hybridcompute/machines','microsoft.compute/virtualmachinescalesets')
 *     | union (computeresources | where type =~ 'microsoft.compute/virtualmachinescalesets/virtualmachines')
 *     | project id, name, type, resourceGroup, subscriptionId, tags, properties" --first 1000
 *
 * Pure functions: `parseInventory` checks an export's text and lifts each record to an
 * InventoryMachine; `compareInventory` judges one client's declaration against it. Reading files,
 * loading stack files and exit codes belong to `cli/commands/coverage.ts`. The ARM types and how
 * messages name each kind come from core/azure.ts.
 */
import { ENDPOINT_ARM, ENDPOINT_KIND_OF_ARM_TYPE, ENDPOINT_LABELS, SCALE_SET_INSTANCE_ARM_TYPE, SCALE_SET_INSTANCE_LABEL, endpointArmId } from "./azure";
import { parseChildResourceId, parseResourceId } from "./azure-id";
import type { ClientConfig, EndpointSettings } from "./config/client-config";
import type { EndpointKind, Enforcement } from "./document";
import { assertNoRecordProblems, describeJson, resourceGraphRecords, type ExportContents } from "./resource-graph";
import { isRecord } from "./values";

/** What an inventory record is: a kind of endpoint, or one instance of a Uniform scale set. */
export type MachineKind = EndpointKind | "vm-scale-set-instance";

/** Resource Graph's type strings (it returns them in lower case) and the kind each one is. */
const KIND_OF_TYPE: ReadonlyMap<string, MachineKind> = new Map([...ENDPOINT_KIND_OF_ARM_TYPE, [SCALE_SET_INSTANCE_ARM_TYPE, "vm-scale-set-instance"]]);

/** The scale set a machine is an instance of, as the inventory names it. */
export interface InventoryScaleSet {
  /** As the record writes it. */
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
}

/** The patch settings of one OS configuration (`properties.osProfile.<os>Configuration.patchSettings`),
 *  as the inventory shows them; null where the record does not say. */
export interface InventoryPatchSettings {
  patchMode: unknown;
  assessmentMode: unknown;
  /** `automaticByPlatformSettings.bypassPlatformSafetyChecksOnUserSchedule` (Azure VMs only). */
  bypassPlatformSafetyChecksOnUserSchedule: unknown;
}

/** One Resource Graph record, checked. */
export interface InventoryMachine {
  /** As Resource Graph returns it (original casing). */
  id: string;
  name: string;
  /** Lower case. */
  type: string;
  kind: MachineKind;
  resourceGroup: string;
  subscriptionId: string;
  tags: Record<string, string>;
  /** From `storageProfile.osDisk.osType` (VMs, instances), `virtualMachineProfile.storageProfile.osDisk.osType`
   *  (scale sets) or `osType` (Arc); null when the record does not say. */
  os: "windows" | "linux" | null;
  /** Per OS configuration present under `properties.osProfile`; Arc records may carry both. */
  patchSettings: { windows: InventoryPatchSettings | null; linux: InventoryPatchSettings | null };
  /** A scale set's `properties.upgradePolicy`, as the inventory shows it: `enableAutomaticOSUpgrade`
   *  (under `automaticOSUpgradePolicy`) null when not set; null when the record shows no upgrade
   *  policy, and for every other kind. */
  upgradePolicy: { enableAutomaticOSUpgrade: unknown } | null;
  /** The scale set this machine is an instance of: a Uniform instance's (from its id), or a
   *  Flexible instance's (a VM whose `properties.virtualMachineScaleSet.id` names it); else null. */
  scaleSet: InventoryScaleSet | null;
}

export type CoverageFindingKind = "unmanaged" | "outside-scope" | "foreign-tag" | "missing" | "patch-orchestration";

export interface CoverageFinding {
  kind: CoverageFindingKind;
  severity: "critical" | "high" | "medium" | "low";
  /** Unmanaged, outside-scope and foreign-tag findings block (exit 1); missing and patch-orchestration are advisory. */
  blocking: boolean;
  /** The inventory machine, or for `missing` the declared endpoint (id built from the declaration). */
  machine: { id: string; name: string; type: string; resourceGroup: string; subscriptionId: string };
  message: string;
}

export interface CoverageSummary {
  /** Endpoints the stack file declares. */
  declared: number;
  /** Inventory machines inside the client's scope. */
  inScope: number;
  /** In scope and matched by a declared endpoint, or an instance of a declared scale set. */
  managed: number;
  unmanaged: number;
  /** Tagged for the client in its subscription, in a resource group outside its scope. */
  outsideScope: number;
  missing: number;
  foreignTag: number;
  patchOrchestration: number;
  blocking: number;
  advisory: number;
}

export interface CoverageResult {
  client: string;
  summary: CoverageSummary;
  /** Blocking kinds first (unmanaged, outside-scope, foreign-tag), then missing, then patch-orchestration; each by machine id
   *  (a machine's patch findings in the order patchMode, bypass, assessmentMode; a scale set has one, its automatic OS image upgrades). */
  findings: CoverageFinding[];
  /**
   * Scope subscriptions in which the inventory has no machine at all: the export did not cover
   * them (a Resource Graph query only sees the subscriptions it was run against), so unmanaged
   * machines there could not be looked for, and its declared endpoints are not reported missing.
   * Not a finding: the inventory is the wrong input for this client (the command exits 2).
   */
  uncoveredSubscriptions: string[];
}

const SEVERITY: Record<CoverageFindingKind, CoverageFinding["severity"]> = {
  unmanaged: "critical",
  "outside-scope": "critical",
  "foreign-tag": "high",
  missing: "medium",
  "patch-orchestration": "high",
};
const BLOCKING: Record<CoverageFindingKind, boolean> = {
  unmanaged: true,
  "outside-scope": true,
  "foreign-tag": true,
  missing: false,
  "patch-orchestration": false,
};
const KIND_ORDER: CoverageFindingKind[] = ["unmanaged", "outside-scope", "foreign-tag", "missing", "patch-orchestration"];

const INVENTORY: ExportContents = { records: "VMs, Arc machines and scale sets", incomplete: "an incomplete inventory could hide unmanaged machines" };

// ---------------------------------------------------------------------------------------------
// Parsing an export

/**
 * Checks the text of a Resource Graph export and returns its machines (VMs, Arc machines, scale
 * sets and instances of Uniform scale sets). The export's envelope, and the refusal of one page
 * of a larger result (an incomplete inventory could hide exactly the unmanaged machines this
 * check looks for), are core/resource-graph.ts's. Every problem of a record (not a record, no id
 * or type, a type other than those four, an id that is not one of its type, a Flexible
 * instance's scale set that is not a scale set id) is an InputError that names `file` and the
 * record's index; all record problems are reported at once.
 */
export function parseInventory(rawText: string, file: string): InventoryMachine[] {
  const { records, prefix } = resourceGraphRecords(rawText, file, INVENTORY);
  const problems: string[] = [];
  const machines: InventoryMachine[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const where = `${prefix}[${index}]`;
    const machine = toMachine(record, where, problems);
    if (!machine) return;
    // Pages combined by hand may repeat a record; count each machine once.
    const key = machine.id.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    machines.push(machine);
  });
  assertNoRecordProblems(problems, file);
  return machines;
}

function toMachine(record: unknown, where: string, problems: string[]): InventoryMachine | null {
  if (!isRecord(record)) {
    problems.push(`${where}: expected a record (object), got ${describeJson(record)}`);
    return null;
  }
  const before = problems.length;
  const text = (key: string, required: boolean): string | undefined => {
    const value = record[key];
    if (value === undefined || value === null) {
      if (required) problems.push(`${where}: missing ${key}`);
      return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
      problems.push(`${where}.${key}: expected a non-empty string, got ${describeJson(value)}`);
      return undefined;
    }
    return value;
  };
  const id = text("id", true);
  const rawType = text("type", true);
  const name = text("name", false);
  const resourceGroup = text("resourceGroup", false);
  const subscriptionId = text("subscriptionId", false);

  const type = rawType?.toLowerCase();
  const kind = type === undefined ? undefined : KIND_OF_TYPE.get(type);
  if (type !== undefined && kind === undefined) {
    problems.push(`${where}.type: "${rawType}" is not a virtual machine, Arc machine, scale set or scale set instance (expected ${orList([...KIND_OF_TYPE.keys()])})`);
  }
  const located = id === undefined ? null : locate(id, type, kind);
  if (typeof located === "string") problems.push(`${where}.id: "${id}" ${located}`);

  const tags = tagsOf(record.tags, where, problems);
  const properties = record.properties;
  if (properties !== undefined && properties !== null && !isRecord(properties)) {
    problems.push(`${where}.properties: expected an object, got ${describeJson(properties)}`);
  }
  const props = isRecord(properties) ? properties : {};
  const flexible = kind === "azure-vm" ? flexibleScaleSetOf(props, where, problems) : null;
  if (problems.length > before || id === undefined || located === null || typeof located === "string" || kind === undefined || type === undefined || tags === null) return null;

  const { ref, scaleSet } = located;
  const upgradePolicy = kind === "vm-scale-set" ? props.upgradePolicy : undefined;
  return {
    id,
    // Resource Graph projects these; an export without them still names them in the id.
    name: name ?? ref.name,
    type,
    kind,
    resourceGroup: resourceGroup ?? ref.resourceGroup,
    subscriptionId: subscriptionId ?? ref.subscriptionId ?? "",
    tags,
    os: osOf(kind, props),
    patchSettings: {
      windows: patchSettingsOf(props, "windowsConfiguration"),
      linux: patchSettingsOf(props, "linuxConfiguration"),
    },
    upgradePolicy: isRecord(upgradePolicy) ? { enableAutomaticOSUpgrade: field(upgradePolicy, "automaticOSUpgradePolicy", "enableAutomaticOSUpgrade") ?? null } : null,
    scaleSet: scaleSet ?? flexible ?? null,
  };
}

/**
 * Where a record's id says it is (subscription, resource group, name), and for a Uniform
 * instance its scale set (`.../virtualMachineScaleSets/<scale set>/virtualMachines/<n>`, named
 * `<scale set>_<n>` as Azure names instances); a problem when the id is not one of its type.
 */
function locate(
  id: string,
  type: string | undefined,
  kind: MachineKind | undefined,
): { ref: { subscriptionId: string | null; resourceGroup: string; name: string }; scaleSet?: InventoryScaleSet } | string | null {
  const ref = parseResourceId(id);
  if (ref === null) return "is not an Azure resource id";
  if (type === undefined || kind === undefined) return null;
  if (kind !== "vm-scale-set-instance") return ref.resourceType === type && !ref.nested ? { ref } : `is not the id of a ${type} resource`;
  const child = parseChildResourceId(id);
  if (child === null || child.type !== type) return `is not the id of a ${type} resource`;
  const { parent } = child;
  return {
    ref: { subscriptionId: parent.subscriptionId, resourceGroup: parent.resourceGroup, name: `${parent.name}_${child.name}` },
    scaleSet: { id: child.parentId, name: parent.name, resourceGroup: parent.resourceGroup, subscriptionId: parent.subscriptionId ?? "" },
  };
}

/** The scale set a VM record says it belongs to (`properties.virtualMachineScaleSet.id`: a
 *  Flexible scale set's instance); null for a VM of no scale set. */
function flexibleScaleSetOf(props: Record<string, unknown>, where: string, problems: string[]): InventoryScaleSet | null {
  const link = props.virtualMachineScaleSet;
  if (link === undefined || link === null) return null;
  const id = field(link, "id");
  const ref = typeof id === "string" ? parseResourceId(id) : null;
  if (typeof id !== "string" || ref === null || ref.nested || ref.resourceType !== ENDPOINT_ARM["vm-scale-set"].type) {
    problems.push(`${where}.properties.virtualMachineScaleSet.id: expected the id of a ${ENDPOINT_ARM["vm-scale-set"].type} resource, got ${id === undefined ? "no id" : describeJson(id)}`);
    return null;
  }
  return { id, name: ref.name, resourceGroup: ref.resourceGroup, subscriptionId: ref.subscriptionId ?? "" };
}

function tagsOf(value: unknown, where: string, problems: string[]): Record<string, string> | null {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    problems.push(`${where}.tags: expected an object of tag names and values, got ${describeJson(value)}`);
    return null;
  }
  const tags: Record<string, string> = {};
  for (const [key, tag] of Object.entries(value)) {
    if (typeof tag !== "string") {
      problems.push(`${where}.tags.${key}: expected a string, got ${describeJson(tag)}`);
      return null;
    }
    tags[key] = tag;
  }
  return tags;
}

function osOf(kind: MachineKind, props: Record<string, unknown>): InventoryMachine["os"] {
  const machine = kind === "vm-scale-set" ? field(props, "virtualMachineProfile") : props;
  const declared = kind === "arc-machine" ? field(props, "osType") : field(machine, "storageProfile", "osDisk", "osType");
  if (typeof declared === "string" && /^(windows|linux)$/i.test(declared)) return declared.toLowerCase() as "windows" | "linux";
  return null;
}

function patchSettingsOf(props: Record<string, unknown>, configuration: string): InventoryPatchSettings | null {
  const patch = field(props, "osProfile", configuration, "patchSettings");
  if (!isRecord(patch)) return null;
  return {
    patchMode: patch.patchMode ?? null,
    assessmentMode: patch.assessmentMode ?? null,
    bypassPlatformSafetyChecksOnUserSchedule: field(patch, "automaticByPlatformSettings", "bypassPlatformSafetyChecksOnUserSchedule") ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Judging a client

/** Whether a machine is the client's own: a scope subscription and, when the scope names
 *  resource groups, one of them (Azure ids and names ignore case). */
export function inScope(config: ClientConfig, machine: Pick<InventoryMachine, "subscriptionId" | "resourceGroup">): boolean {
  const { subscriptions, resourceGroups } = config.client.scope;
  return includesIgnoringCase(subscriptions, machine.subscriptionId) && (resourceGroups.length === 0 || includesIgnoringCase(resourceGroups, machine.resourceGroup));
}

/**
 * Whether a machine carries the client's own `client` tag in one of its scope subscriptions but
 * sits in a resource group its scope leaves out: the client thinks it is managed, and nobody
 * manages it (no declared endpoint can be there: the configuration keeps endpoints in scope).
 */
export function taggedOutsideScope(config: ClientConfig, machine: Pick<InventoryMachine, "subscriptionId" | "resourceGroup" | "tags">): boolean {
  const { subscriptions, resourceGroups } = config.client.scope;
  return (
    resourceGroups.length > 0 &&
    includesIgnoringCase(subscriptions, machine.subscriptionId) &&
    !includesIgnoringCase(resourceGroups, machine.resourceGroup) &&
    clientTag(machine.tags)?.value === config.client.id
  );
}

/** The machines no client among `configs` claims, by scope or by its tag (they are not judged, only counted). */
export function outsideEveryScope(configs: readonly ClientConfig[], machines: readonly InventoryMachine[]): InventoryMachine[] {
  return machines.filter((machine) => !configs.some((config) => inScope(config, machine) || taggedOutsideScope(config, machine)));
}

/**
 * One client's coverage: which of the inventory's machines are in its scope, which of those no
 * declared endpoint matches (kind, subscription, resource group and name, ignoring case; an
 * instance of a scale set is managed when its scale set is declared, a Flexible instance also
 * when it is declared itself), which machines carry its tag in its subscriptions outside its
 * scope's resource groups, which declared endpoints the inventory lacks, which machines in its
 * scope carry another client's tag, and whether each managed machine's patching meets Azure's
 * prerequisites: a VM's or Arc machine's patch orchestration — unless `enforcement` (each
 * policy's effective enforcement, as the policies applied the client's overrides:
 * `Evaluation.exceptions.enforcement`) says patch-orchestration is disabled — and a scale set's
 * automatic OS image upgrades, unless it says endpoint-in-one-ring is (the policy that judges
 * them where a stack owns the scale set). Instances are not judged on their own: they run what
 * their scale set's model says. A disabling override in the stack file counts only once the
 * policies have found it justified, so without `enforcement` both are judged.
 */
export function compareInventory(config: ClientConfig, machines: InventoryMachine[], enforcement: Readonly<Record<string, Enforcement>> = {}): CoverageResult {
  const clientId = config.client.id;
  const findings: CoverageFinding[] = [];
  const add = (kind: CoverageFindingKind, machine: CoverageFinding["machine"], message: string) =>
    findings.push({ kind, severity: SEVERITY[kind], blocking: BLOCKING[kind], machine, message });

  const declared = new Map<string, EndpointSettings>();
  for (const endpoint of config.endpoints) declared.set(matchKey(endpoint.kind, endpoint.subscriptionId, endpoint.resourceGroup, endpoint.name), endpoint);

  const mine = machines.filter((machine) => inScope(config, machine));
  const matched = new Set<string>();
  /** Declared scale sets the inventory has instances of. */
  const withInstances = new Set<string>();
  let managed = 0;
  const judged: Judged = {
    patchOrchestration: enforcement["patch-orchestration"] !== "disabled",
    osImageUpgrade: enforcement["endpoint-in-one-ring"] !== "disabled",
  };

  for (const machine of mine) {
    const ref = machineRef(machine);
    const key = machine.kind === "vm-scale-set-instance" ? undefined : matchKey(machine.kind, machine.subscriptionId, machine.resourceGroup, machine.name);
    const endpoint = key === undefined ? undefined : declared.get(key);
    const scaleSetKey = machine.scaleSet && matchKey("vm-scale-set", machine.scaleSet.subscriptionId, machine.scaleSet.resourceGroup, machine.scaleSet.name);
    if (endpoint && key !== undefined) {
      matched.add(key);
      managed++;
      for (const message of patchProblems(machine, endpoint, judged)) add("patch-orchestration", ref, message);
    } else if (scaleSetKey && declared.has(scaleSetKey)) {
      // An instance runs what its scale set's model says: its antivirus, monitoring and image upgrades.
      withInstances.add(scaleSetKey);
      managed++;
    } else {
      add("unmanaged", ref, unmanagedMessage(machine, clientId));
    }
    const tag = clientTag(machine.tags);
    if (tag !== undefined && tag.value !== clientId) {
      add(
        "foreign-tag",
        ref,
        `${label(machine.kind, machine.name)} ${where(machine)} is in ${clientId}'s scope but tagged ${tag.key}=${JSON.stringify(tag.value)}: ` +
          `correct the tag, or the clients' scopes if it belongs to another client`,
      );
    }
  }

  for (const machine of machines) {
    if (!taggedOutsideScope(config, machine)) continue;
    add(
      "outside-scope",
      machineRef(machine),
      `${label(machine.kind, machine.name)} ${where(machine)} is tagged ${(clientTag(machine.tags) as { key: string }).key}=${JSON.stringify(clientId)} ` +
        `but its resource group is outside ${clientId}'s scope.resourceGroups, so nothing manages it: add the group to scope.resourceGroups ` +
        `and ${machine.scaleSet ? `its scale set ${JSON.stringify(machine.scaleSet.name)}` : "the machine"} to steward:endpoints, or correct the tag`,
    );
  }

  // Endpoints in a subscription the export does not cover were not looked for: not "missing".
  const covered = new Set(machines.map((machine) => machine.subscriptionId.toLowerCase()));
  for (const [key, endpoint] of declared) {
    if (matched.has(key) || !covered.has(endpoint.subscriptionId.toLowerCase())) continue;
    add(
      "missing",
      {
        id: endpointArmId(endpoint.kind, endpoint.subscriptionId, endpoint.resourceGroup, endpoint.name),
        name: endpoint.name,
        type: ENDPOINT_ARM[endpoint.kind].type,
        resourceGroup: endpoint.resourceGroup,
        subscriptionId: endpoint.subscriptionId,
      },
      `declared ${label(endpoint.kind, endpoint.name)} ${where(endpoint)} is not in the inventory` +
        (withInstances.has(key)
          ? `, but instances of it are: export the scale sets too (${ENDPOINT_ARM["vm-scale-set"].type}, in the resources table), so its automatic OS image upgrades can be checked`
          : `: remove it from steward:endpoints if it is gone, or correct its name, kind or resource group`),
    );
  }

  findings.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareText(a.machine.id, b.machine.id));

  const count = (kind: CoverageFindingKind) => findings.filter((finding) => finding.kind === kind).length;
  return {
    client: clientId,
    summary: {
      declared: config.endpoints.length,
      inScope: mine.length,
      managed,
      unmanaged: count("unmanaged"),
      outsideScope: count("outside-scope"),
      missing: count("missing"),
      foreignTag: count("foreign-tag"),
      patchOrchestration: count("patch-orchestration"),
      blocking: findings.filter((finding) => finding.blocking).length,
      advisory: findings.filter((finding) => !finding.blocking).length,
    },
    findings,
    uncoveredSubscriptions: config.client.scope.subscriptions.filter((subscription) => !covered.has(subscription.toLowerCase())),
  };
}

/** Which patch checks the client's policies leave on. */
interface Judged {
  patchOrchestration: boolean;
  osImageUpgrade: boolean;
}

/**
 * What Azure requires before the machine is patched. A VM or Arc machine is patched by its update
 * ring (a maintenance configuration): VMs need patchMode AutomaticByPlatform and
 * bypassPlatformSafetyChecksOnUserSchedule true; VMs and Arc machines need assessmentMode
 * AutomaticByPlatform (the rules of the policy `patch-orchestration`, which judges only machines a
 * stack owns). A scale set is patched by automatic OS image upgrades (the rule
 * `endpoint-in-one-ring` holds a scale set a stack owns to).
 */
function patchProblems(machine: InventoryMachine, endpoint: EndpointSettings, judged: Judged): string[] {
  if (machine.kind === "vm-scale-set") return judged.osImageUpgrade ? upgradeProblems(machine) : [];
  if (!judged.patchOrchestration) return [];
  const name = label(machine.kind, machine.name);
  const os = machine.os ?? endpoint.os;
  const settings = machine.patchSettings[os];
  if (settings === null) {
    return [
      `${name}: the inventory shows no osProfile.${os}Configuration.patchSettings for it (project properties in the Resource Graph query); its patch orchestration is not verified`,
    ];
  }
  const problems: string[] = [];
  if (machine.kind === "azure-vm") {
    if (!isAutomaticByPlatform(settings.patchMode)) {
      problems.push(`${name} patchMode is ${describe(settings.patchMode)}; it must be "AutomaticByPlatform" so its update ring patches it`);
    }
    if (settings.bypassPlatformSafetyChecksOnUserSchedule !== true) {
      problems.push(
        `${name} bypassPlatformSafetyChecksOnUserSchedule is ${describe(settings.bypassPlatformSafetyChecksOnUserSchedule)}; it must be true so its update ring patches it`,
      );
    }
  }
  if (!isAutomaticByPlatform(settings.assessmentMode)) {
    problems.push(`${name} assessmentMode is ${describe(settings.assessmentMode)}; it must be "AutomaticByPlatform" so missing updates are assessed daily`);
  }
  return problems;
}

/** A scale set upgrades its OS image automatically: `upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade` true. */
function upgradeProblems(machine: InventoryMachine): string[] {
  const name = label(machine.kind, machine.name);
  if (machine.upgradePolicy === null) {
    return [
      `${name}: the inventory shows no upgradePolicy for it (project properties in the Resource Graph query); whether it upgrades its OS image automatically is not verified`,
    ];
  }
  const value = machine.upgradePolicy.enableAutomaticOSUpgrade;
  if (value === true) return [];
  return [
    `${name} automaticOSUpgradePolicy.enableAutomaticOSUpgrade is ${describe(value)}; it must be true so Azure patches it by upgrading its OS image (in-guest update rings do not patch scale sets)`,
  ];
}

/** Why a machine in the client's scope is unmanaged, and what to declare: an instance's scale set. */
function unmanagedMessage(machine: InventoryMachine, clientId: string): string {
  const subject = `${label(machine.kind, machine.name)} ${where(machine)} is in ${clientId}'s scope but`;
  if (machine.scaleSet) {
    const scaleSet = `scale set ${JSON.stringify(machine.scaleSet.name)}`;
    const which = machine.kind === "vm-scale-set-instance" ? `its ${scaleSet} is not a declared endpoint` : `neither it nor its ${scaleSet} is a declared endpoint`;
    return `${subject} ${which}: add ${scaleSet} to steward:endpoints (kind: vm-scale-set) so its instances get antivirus and monitoring, or move it out of the scope`;
  }
  const fix =
    machine.kind === "vm-scale-set" ? "add it to steward:endpoints (kind: vm-scale-set) so its model gets antivirus and monitoring" : "add it to steward:endpoints so it gets antivirus, an update ring and monitoring";
  return `${subject} not a declared endpoint: ${fix}, or move it out of the scope`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function machineRef(machine: InventoryMachine): CoverageFinding["machine"] {
  return { id: machine.id, name: machine.name, type: machine.type, resourceGroup: machine.resourceGroup, subscriptionId: machine.subscriptionId };
}

function matchKey(kind: MachineKind, subscriptionId: string, resourceGroup: string, name: string): string {
  return [kind, subscriptionId, resourceGroup, name].map((part) => part.toLowerCase()).join("/");
}

/** The `client` tag; Azure tag names ignore case, their values do not. */
function clientTag(tags: Record<string, string>): { key: string; value: string } | undefined {
  const key = Object.keys(tags).find((name) => name.toLowerCase() === "client");
  return key === undefined ? undefined : { key, value: tags[key] as string };
}

function label(kind: MachineKind, name: string): string {
  return `${kind === "vm-scale-set-instance" ? SCALE_SET_INSTANCE_LABEL : ENDPOINT_LABELS[kind]} ${JSON.stringify(name)}`;
}

/** "a, b, c or d". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function where(machine: { resourceGroup: string; subscriptionId: string }): string {
  return `(${machine.resourceGroup}, subscription ${machine.subscriptionId})`;
}

function isAutomaticByPlatform(value: unknown): boolean {
  return typeof value === "string" && value.toLowerCase() === "automaticbyplatform";
}

/** A setting as the messages show it (the wording of the Rego library's `describe`). */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "not set";
  return JSON.stringify(value);
}

function includesIgnoringCase(list: readonly string[], value: string): boolean {
  const wanted = value.toLowerCase();
  return list.some((item) => item.toLowerCase() === wanted);
}

function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

