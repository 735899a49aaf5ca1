/**
 * The normalized input document: the one contract between every evaluation point
 * (the baseline plan inside `pulumi up`, `pulumi preview --json`,
 * `pulumi refresh --preview-only --json`, `pulumi stack export`) and the Rego policies.
 *
 * The normalizer (core/normalize.ts) does every join — which antivirus extension, update-ring
 * assignment and monitoring resource belongs to which endpoint — because OPA's wasm target has no
 * rule indexing: Rego judges the joined facts and never searches. The JSON Schema in
 * core/schema/steward-input.schema.json describes the same shape and is checked in the tests.
 */

export const DOCUMENT_VERSION = 1 as const;

/** A value the source does not know yet: a preview's `04da6b54-80e4-46f7-96ec-b56ff0331ba9`. */
export interface UnknownValue {
  $unknown: true;
}
/** A secret: `[secret]` in a preview, an encrypted value in a stack export. The content never
 *  enters the document. */
export interface SecretValue {
  $secret: true;
}
export type Sentinel = UnknownValue | SecretValue;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type SourceKind = "baseline-plan" | "preview" | "refresh" | "stack-export";
export type EndpointKind = "azure-vm" | "arc-machine" | "vm-scale-set";
export type OsFamily = "windows" | "linux" | "unknown";
export type Severity = "critical" | "high" | "medium" | "low";
export type Enforcement = "mandatory" | "advisory" | "disabled";

/** One resource as the source shows it (after the change, for a preview). */
export interface Resource {
  urn: string;
  type: string;
  name: string;
  /** The cloud id when known (`null` when the source has none, an UnknownValue in a preview). */
  id: string | UnknownValue | null;
  parent: string | null;
  provider: string | null;
  /** Inputs (for a plan or preview) or outputs (for an export), sentinels in place of unknowns and secrets. */
  properties: Record<string, JsonValue>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** A machine the client owns, as the client's configuration declares it (references, never creates). */
export interface DeclaredEndpoint {
  name: string;
  kind: EndpointKind;
  os: Exclude<OsFamily, "unknown">;
  resourceGroup: string;
  subscriptionId?: string;
  /** Full ARM id when the machine lives outside the client's default subscription. */
  resourceId?: string;
  /** Its update ring; null for a scale set, which in-guest rings do not patch. */
  ring: string | null;
  role?: string;
}

export interface DeclaredRing {
  name: string;
  /** 1 = first (pilot). */
  order: number;
}

export type Party = "msp" | "client" | "shared";

/** The client's declared baseline, when the evaluation point knows it (a stack config was given). */
export interface DeclaredBaseline {
  clientId: string;
  displayName?: string;
  subscriptionId?: string;
  endpoints: DeclaredEndpoint[];
  rings: DeclaredRing[];
  /** Who answers for each service. */
  responsibilities?: { antivirus: Party; patching: Party; monitoring: Party; reporting: Party };
  /** Contact e-mail addresses on each side, lower case. */
  contacts?: { msp: string[]; client: string[] };
}

export interface Waiver {
  /** Policy id the waiver suppresses. */
  policy: string;
  /** URN (or endpoint id) the waiver covers; `*` covers every resource of the client. */
  resource: string;
  reason: string;
  approver: string;
  /** ISO date the waiver was granted; when absent, its lifetime counts from the evaluation time. */
  created?: string;
  /** ISO date after which the waiver no longer suppresses anything. */
  expires: string;
}

/**
 * A client's enforcement override of one policy. Raising or keeping the default needs nothing
 * else; lowering it (mandatory to advisory or disabled, advisory to disabled) needs what a waiver
 * needs — a reason, an approver and an expiry within maxWaiverDays — or it is not applied (the
 * policy keeps its default) and waivers-valid reports it (policies/lib/waivers).
 */
export interface EnforcementOverride {
  level: Enforcement;
  reason?: string;
  approver?: string;
  /** ISO date the override was granted; when absent, its lifetime counts from the evaluation time. */
  created?: string;
  /** ISO date of the last day the override applies (UTC). */
  expires?: string;
}

/** Thresholds and per-client overrides, defaults applied (core/settings.ts). */
export interface PolicySettings {
  /** Per policy id. */
  enforcement: Record<string, EnforcementOverride>;
  /** Oldest acceptable handler version per extension type (`IaaSAntimalware`, `MDE.Windows`, ...). */
  minimumHandlerVersions: Record<string, string>;
  /** The last ring must install within this many days after Patch Tuesday. */
  maxDaysAfterPatchTuesday: number;
  /** A waiver may run at most this many days. */
  maxWaiverDays: number;
  /** The `managed-by` tag value every managed resource carries. */
  managedBy: string;
}

/** An extension attached to an endpoint. */
export interface ExtensionAttachment {
  urn: string;
  type: string;
  /** The extension handler: `IaaSAntimalware`, `MDE.Windows`, `MDE.Linux`,
   *  `AzureMonitorWindowsAgent`, `AzureMonitorLinuxAgent`. */
  extensionType: string;
}

export interface RuleAssociation {
  urn: string;
  type: string;
  /** The data collection rule it associates: a URN or lower-case id, an UnknownValue before
   *  apply, null when the association names none. */
  rule: string | Sentinel | null;
}

export interface RingAssignment {
  /** The configuration assignment resource. */
  urn: string;
  type: string;
  scope: "machine" | "resource-group" | "subscription";
  /** `urn` of the RingFact it assigns to, or the lower-case configuration id when the stack
   *  does not contain that maintenance configuration; null when unresolvable. */
  ring: string | null;
}

export interface PatchSettings {
  patchMode: JsonValue | Sentinel;
  assessmentMode: JsonValue | Sentinel;
  bypassPlatformSafetyChecksOnUserSchedule: JsonValue | Sentinel;
  rebootSetting: JsonValue | Sentinel;
}

export interface Endpoint {
  /** Identity used in findings and waivers: the URN when the stack has the machine, else its
   *  lower-case ARM id, else `declared:<name>`. */
  urn: string;
  /** The azure-native type of its kind (core/azure.ts ENDPOINT_TYPES). */
  type: string;
  name: string;
  kind: EndpointKind;
  os: OsFamily;
  /** Lower-case ARM id when known. */
  id: string | null;
  resourceGroup: string | null;
  subscriptionId: string | null;
  /** Where the endpoint was seen: a resource of the stack, the client's declaration, or the
   *  target of a baseline resource (an extension's vmName/machineName, an assignment). */
  origins: Array<"stack" | "declared" | "referenced">;
  declaredRing: string | null;
  /** The machine's tags when the stack owns the machine; null when not visible. */
  tags: Record<string, JsonValue> | Sentinel | null;
  /** Patch orchestration when the stack owns the machine; null when not visible. */
  patchSettings: PatchSettings | null;
  /** A scale set's automatic OS image upgrade (`upgradePolicy`), the patch mechanism of scale
   *  sets; null for VMs and Arc machines, and for a scale set the stack does not own (its upgrade
   *  policy is not visible). */
  osImageUpgrade?: { automatic: JsonValue | Sentinel; upgradeMode: JsonValue | Sentinel } | null;
  antivirus: ExtensionAttachment[];
  monitoringAgents: ExtensionAttachment[];
  dataCollectionRuleAssociations: RuleAssociation[];
  ringAssignments: RingAssignment[];
}

export type ExtensionRole = "antivirus" | "monitoring" | "other";
export type ExtensionProduct = "antimalware" | "mde" | "azure-monitor-agent" | null;

export type ExclusionKind = "Paths" | "Extensions" | "Processes";
/** Part of an entry Defender would not resolve: a user or unknown environment variable (as
 *  written), or an 8.3 short name. */
export interface UnresolvedPart {
  text: string;
  reason: "user-variable" | "unknown-variable" | "short-name";
}

/**
 * One entry of Microsoft Antimalware's exclusion lists, resolved as Defender reads it
 * (core/antivirus-settings.ts, core/defender-paths.ts). Kept small: a fleet repeats its entries on
 * every machine, and wasm parses every byte of the document.
 */
export interface ExclusionEntry {
  /** The list it is in (`Exclusions.Paths`, `.Extensions`, `.Processes`). */
  kind: ExclusionKind;
  /** The entry as written (trimmed); a value that is not text as it is (unknown until apply, a
   *  number, an ambiguous key), which cannot be resolved. */
  written: JsonValue | Sentinel;
  /**
   * What Defender reads. Paths and processes: lower case, `\` separators, variables expanded,
   * `.`/`..` resolved, device prefixes and repeated and trailing separators, dots, spaces and (for
   * paths) `\*` dropped — `c:\windows`, `c:\` (a drive), `\windows` (the current drive),
   * `\\server\share`, `name.exe` (a bare file name), `logs\app` (relative). Extensions: the
   * lower-case type without `*.` (`*` for every type). Null when the entry is not text or uses what
   * Defender would not resolve (`unresolved`).
   */
  resolved: string | null;
  /** What Defender would not resolve as SYSTEM does; present only when there is any. */
  unresolved?: UnresolvedPart[];
}

/** A VM or Arc extension with its fields lifted to one shape (Arc nests them under `properties`). */
export interface ExtensionFact {
  urn: string;
  type: string;
  /** `urn` of the endpoint it is attached to; null when unresolved. */
  endpoint: string | null;
  role: ExtensionRole;
  product: ExtensionProduct;
  /** Publisher and type: the canonical names for a known extension whatever case they were
   *  written in (Azure compares them case-insensitively), as written otherwise. */
  publisher: JsonValue | Sentinel;
  extensionType: JsonValue | Sentinel;
  typeHandlerVersion: JsonValue | Sentinel;
  autoUpgradeMinorVersion: JsonValue | Sentinel;
  enableAutomaticUpgrade: JsonValue | Sentinel;
  /** Whether failures of the extension are suppressed (the deployment succeeds anyway); null when
   *  not set (Azure's default is false). */
  suppressFailures: JsonValue | Sentinel;
  /** As the handler reads them: JSON text parsed (text that is not a JSON object stays as
   *  written); Microsoft Antimalware's keys in one spelling, keys that differ only in case as
   *  `{"$ambiguous": [keys as written]}`. */
  settings: JsonValue | Sentinel;
  /** Microsoft Antimalware's exclusion entries, resolved as Defender reads them; [] for other
   *  extensions and when there are none. */
  exclusions: ExclusionEntry[];
  tags: Record<string, JsonValue> | Sentinel | null;
  /** Whether its resource type carries tags: false for scale set extensions, which ARM gives
   *  none (core/azure.ts UNTAGGED_EXTENSION_TYPES). Absent reads as true. */
  taggable?: boolean;
}

/** A maintenance configuration: one update ring. */
export interface RingFact {
  urn: string;
  type: string;
  /** Ring name: the `ring` tag, else the resource name. */
  name: string;
  /** Declared order (1 = pilot) from the baseline or the `ring-order` tag; null when unknown. */
  order: number | null;
  maintenanceScope: JsonValue | Sentinel;
  windowsClassifications: JsonValue | Sentinel;
  linuxClassifications: JsonValue | Sentinel;
  rebootSetting: JsonValue | Sentinel;
  startDateTime: JsonValue | Sentinel;
  expirationDateTime: JsonValue | Sentinel;
  duration: JsonValue | Sentinel;
  timeZone: JsonValue | Sentinel;
  recurEvery: JsonValue | Sentinel;
  /** OS families of the endpoints assigned to this ring. */
  osFamilies: Array<Exclude<OsFamily, "unknown">>;
  /** `urn`s of the endpoints assigned to this ring. */
  endpoints: string[];
  tags: Record<string, JsonValue> | Sentinel | null;
}

/** Where threat alerts go: an Azure Monitor action group or a Defender for Cloud security contact. */
export interface NotificationFact {
  urn: string;
  type: string;
  /** Lower-case e-mail addresses that receive the alerts. */
  recipients: string[] | Sentinel;
  enabled: JsonValue | Sentinel;
}

/** A resource of a steward-managed type that carries tags (extensions, rings, rules, workspaces). */
export interface TaggedResource {
  urn: string;
  type: string;
  tags: Record<string, JsonValue> | Sentinel | null;
}

export interface StewardInput {
  version: typeof DOCUMENT_VERSION;
  source: SourceKind;
  stack: { project: string; stack: string; client: string | null };
  /** RFC 3339 time the evaluation is for: waivers and ring expiry are judged against it. */
  evaluatedAt: string;
  baseline: DeclaredBaseline | null;
  settings: PolicySettings;
  waivers: Waiver[];
  resources: Resource[];
  endpoints: Endpoint[];
  extensions: ExtensionFact[];
  rings: RingFact[];
  notifications: NotificationFact[];
  /** The other steward-managed resources that carry tags (rings, rules, workspaces, action
   *  groups); the antivirus and monitoring extensions carry theirs in `extensions`. */
  managedResources: TaggedResource[];
  /** Resources whose type names a machine steward does not understand (core/azure.ts
   *  `looksLikeMachine`): reported, never skipped. */
  unrecognizedMachines?: Array<{ urn: string; type: string }>;
}
