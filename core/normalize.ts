import { parseResourceId, resourceId } from "./azure-id";
import { ENDPOINT_ARM, ENDPOINT_KIND_OF_ARM_TYPE, ENDPOINT_TYPES, EXTENSION_RESOURCES, TYPES, UNTAGGED_EXTENSION_TYPES, canonicalType, extensionHandler, handlerFields, looksLikeMachine } from "./azure";
import {
  DOCUMENT_VERSION,
  type DeclaredBaseline,
  type Endpoint,
  type EndpointKind,
  type ExtensionAttachment,
  type ExtensionFact,
  type JsonValue,
  type NotificationFact,
  type OsFamily,
  type PatchSettings,
  type Resource,
  type RingAssignment,
  type RingFact,
  type RuleAssociation,
  type Sentinel,
  type SourceKind,
  type StewardInput,
  type TaggedResource,
  type Waiver,
} from "./document";
import { exclusionEntries, extensionSettings } from "./antivirus-settings";
import { fromClassicAzure } from "./providers/azure-classic";
import { resolveSettings, type SettingsOverrides } from "./settings";
import { asString, field, isSentinel, isUnknown } from "./values";

/** Baseline resource types that carry tags and so must carry the managed tags. */
const TAGGED_BASELINE_TYPES = new Set<string>([
  TYPES.maintenanceConfiguration,
  TYPES.dataCollectionRule,
  TYPES.workspace,
  TYPES.actionGroup,
]);

const NOTIFICATION_TYPES = new Set<string>([TYPES.actionGroup, TYPES.securityContact]);

// Maps, not object literals, wherever a key comes from the input: a type token such as
// "constructor" must find nothing, not a member of Object.prototype.

/** The machine resources of a stack, by type: each one is an endpoint. */
const MACHINE_KINDS: ReadonlyMap<string, EndpointKind> = new Map([
  [TYPES.vm, "azure-vm"],
  [TYPES.arcMachine, "arc-machine"],
  [TYPES.scaleSet, "vm-scale-set"],
]);



/** Every type the normalizer reads: anything else that looks like a machine is unrecognized. */
const UNDERSTOOD_TYPES = new Set<string>(Object.values(TYPES));

export interface NormalizeRequest {
  source: SourceKind;
  stack: { project: string; stack: string; client?: string | null };
  evaluatedAt: Date | string;
  /** Every resource, properties already in document form (core/values.ts `toDocumentValue`). */
  resources: Resource[];
  baseline?: DeclaredBaseline | null;
  waivers?: Waiver[];
  settings?: SettingsOverrides;
}

/** An endpoint while it is being assembled from the stack, the declaration and references. */
interface EndpointDraft {
  key: string;
  name: string;
  kind: EndpointKind;
  os: OsFamily;
  resourceGroup: string | null;
  /** The resources its resource group comes from (`propertyDependencies.resourceGroupName`). */
  resourceGroupDependencies: string[];
  subscriptionId: string | null;
  location: string | null;
  stackUrn: string | null;
  stackId: string | null;
  /** The endpoint's `urn` in the document, set by `finish()`. */
  identity: string | null;
  origins: Set<Endpoint["origins"][number]>;
  declaredRing: string | null;
  tags: Endpoint["tags"];
  patchSettings: PatchSettings | null;
  osImageUpgrade: Endpoint["osImageUpgrade"];
  antivirus: ExtensionAttachment[];
  monitoringAgents: ExtensionAttachment[];
  dataCollectionRuleAssociations: RuleAssociation[];
  ringAssignments: RingAssignment[];
}

const lower = (value: string) => value.toLowerCase();
const endpointKey = (kind: EndpointKind, resourceGroup: string | null, name: string) =>
  `${kind}|${resourceGroup === null ? "?" : lower(resourceGroup)}|${lower(name)}`;

/**
 * Joins a stack's resources, the client's declared baseline and its waivers into the normalized
 * document. Every join happens here, in one pass per resource kind, with maps: the policies only
 * judge facts.
 */
export function normalize(request: NormalizeRequest): StewardInput {
  // Every resource in the shape and under the token the joins read: classic @pulumi/azure
  // resources translated, API-versioned and renamed azure-native tokens made canonical.
  const resources = request.resources.flatMap((resource) => {
    const classic = fromClassicAzure(resource);
    if (classic) return classic;
    const type = canonicalType(resource.type);
    return type === resource.type ? resource : { ...resource, type };
  });
  const baseline = request.baseline ?? null;
  const subscriptionId = baseline?.subscriptionId ?? null;
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const endpoints = new EndpointRegistry(subscriptionId);

  const unrecognizedMachines: StewardInput["unrecognizedMachines"] = [];
  for (const resource of resources) {
    const kind = MACHINE_KINDS.get(resource.type);
    if (kind) endpoints.addStackMachine(resource, kind);
    else if (!UNDERSTOOD_TYPES.has(resource.type) && looksLikeMachine(resource.type)) unrecognizedMachines.push({ urn: resource.urn, type: resource.type });
  }
  for (const declared of baseline?.endpoints ?? []) endpoints.addDeclared(declared);
  // An instance of a scale set runs what its scale set's model says: it is judged as part of it.
  for (const resource of resources) {
    if (resource.type === TYPES.scaleSetVm) endpoints.addScaleSetInstance(resource);
  }

  const attachedExtensions: Array<{ fact: ExtensionFact; endpoint: EndpointDraft | null }> = [];
  for (const resource of resources) {
    const target = EXTENSION_RESOURCES.get(resource.type);
    if (target) {
      // One instance's extension does not protect the scale set's other instances: listed, credited to none.
      const endpoint = target.kind ? targetEndpoint(resource, endpoints, { kind: target.kind, nameProperty: target.nameProperty }, null) : null;
      attachedExtensions.push(extensionFact(resource, endpoint));
    }
    else if (resource.type === TYPES.scaleSet) {
      const scaleSet = endpoints.byStackUrn(resource.urn) ?? null;
      for (const inline of inlineScaleSetExtensions(resource)) attachedExtensions.push(extensionFact(inline, scaleSet));
    }
  }

  const rings = new RingRegistry(baseline);
  for (const resource of resources) {
    if (resource.type === TYPES.maintenanceConfiguration) rings.add(resource);
  }
  const dynamicAssignments: Resource[] = [];
  for (const resource of resources) {
    switch (resource.type) {
      case TYPES.assignment:
        attachMachineAssignment(resource, endpoints, rings, byUrn);
        break;
      case TYPES.assignmentForSubscription:
      case TYPES.assignmentForResourceGroup:
        dynamicAssignments.push(resource);
        break;
      case TYPES.dataCollectionRuleAssociation:
        attachRuleAssociation(resource, endpoints, byUrn);
        break;
    }
  }
  for (const assignment of dynamicAssignments) attachDynamicAssignment(assignment, endpoints, rings, byUrn);

  const notifications = resources.filter((resource) => NOTIFICATION_TYPES.has(resource.type)).map(notificationFact);
  const finished = endpoints.finish();
  // An endpoint's identity (URN, ARM id or readable key) is final only once every source is merged.
  const extensions = attachedExtensions.map(({ fact, endpoint }) => ({ ...fact, endpoint: endpoint?.identity ?? null }));
  // Extensions carry their own tags in `extensions`: listed once, not here too.
  const managedResources: TaggedResource[] = resources
    .filter((resource) => TAGGED_BASELINE_TYPES.has(resource.type))
    .map(({ urn, type, properties }) => ({ urn, type, tags: tagsOf(properties) }));

  return {
    version: DOCUMENT_VERSION,
    source: request.source,
    stack: { project: request.stack.project, stack: request.stack.stack, client: request.stack.client ?? baseline?.clientId ?? null },
    evaluatedAt: new Date(request.evaluatedAt).toISOString(),
    baseline,
    settings: resolveSettings(request.settings),
    waivers: request.waivers ?? [],
    resources: resources,
    endpoints: finished,
    extensions,
    rings: rings.finish(finished),
    notifications,
    managedResources,
    unrecognizedMachines,
  };
}

class EndpointRegistry {
  private readonly byKey = new Map<string, EndpointDraft>();
  private readonly byUrn = new Map<string, EndpointDraft>();
  /** Endpoints by kind|name, for resources whose resource group is not known yet. */
  private readonly byName = new Map<string, EndpointDraft[]>();

  constructor(private readonly subscriptionId: string | null) {}

  addStackMachine(resource: Resource, kind: EndpointKind): void {
    const props = resource.properties;
    const name = asString(props[NAME_PROPERTY[kind]]) ?? resource.name;
    const draft = this.upsert(kind, asString(props.resourceGroupName), name, "stack");
    draft.stackUrn = resource.urn;
    draft.stackId = typeof resource.id === "string" ? lower(resource.id) : null;
    const fromId = draft.stackId ? parseResourceId(draft.stackId) : null;
    draft.subscriptionId = fromId?.subscriptionId ?? draft.subscriptionId;
    draft.location = asString(props.location);
    draft.resourceGroupDependencies = resource.propertyDependencies.resourceGroupName ?? [];
    // A scale set describes its machines in its model: OS, patch settings and extensions.
    const machine = kind === "vm-scale-set" ? field(props, "virtualMachineProfile") : props;
    draft.os = machineOs(kind, machine);
    draft.tags = tagsOf(props);
    draft.patchSettings = patchSettingsOf(kind, draft.os, machine);
    if (kind === "vm-scale-set") {
      const upgradePolicy = field(props, "upgradePolicy");
      draft.osImageUpgrade = {
        automatic: isSentinel(upgradePolicy) ? upgradePolicy : field(upgradePolicy, "automaticOSUpgradePolicy", "enableAutomaticOSUpgrade"),
        upgradeMode: isSentinel(upgradePolicy) ? upgradePolicy : field(upgradePolicy, "mode"),
      };
    }
    this.byUrn.set(resource.urn, draft);
  }

  /** A scale set instance's URN reaches its scale set: what is attached to one is the other's. */
  addScaleSetInstance(resource: Resource): void {
    const scaleSet = targetEndpoint(resource, this, { kind: "vm-scale-set", nameProperty: "vmScaleSetName" }, null);
    if (scaleSet) this.byUrn.set(resource.urn, scaleSet);
  }

  addDeclared(declared: DeclaredBaseline["endpoints"][number]): void {
    const fromId = declared.resourceId ? parseResourceId(declared.resourceId) : null;
    const draft = this.upsert(declared.kind, fromId?.resourceGroup ?? declared.resourceGroup, fromId?.name ?? declared.name, "declared");
    draft.declaredRing = declared.ring;
    draft.subscriptionId = draft.subscriptionId ?? fromId?.subscriptionId ?? declared.subscriptionId ?? null;
    if (draft.os === "unknown") draft.os = declared.os;
  }

  /** The endpoint a baseline resource points at by name and resource group, created as a
   *  referenced one when new. */
  reference(kind: EndpointKind, resourceGroup: string, name: string): EndpointDraft {
    return this.upsert(kind, resourceGroup, name, "referenced");
  }

  /**
   * The stack machine a resource whose resource group is not known yet points at by name: only
   * one whose group is unknown too and comes from the same resource (a group created in the same
   * change). A same-named machine in a known group is another machine.
   */
  inUnknownGroup(kind: EndpointKind, name: string, resourceGroupDependencies: string[]): EndpointDraft | null {
    if (resourceGroupDependencies.length === 0) return null;
    const matches = (this.byName.get(`${kind}|${lower(name)}`) ?? []).filter(
      (draft) => draft.resourceGroup === null && draft.resourceGroupDependencies.some((urn) => resourceGroupDependencies.includes(urn)),
    );
    return matches.length === 1 ? (matches[0] as EndpointDraft) : null;
  }

  /** The endpoint a baseline resource points at by ARM id: null for anything but a machine itself
   *  (another resource type, or something inside a machine such as one scale set instance). */
  referenceById(id: string): EndpointDraft | null {
    const ref = parseResourceId(id);
    const kind = ref && !ref.nested ? ENDPOINT_KIND_OF_ARM_TYPE.get(ref.resourceType) : undefined;
    if (!ref || !kind) return null;
    const draft = this.reference(kind, ref.resourceGroup, ref.name);
    draft.subscriptionId = draft.subscriptionId ?? ref.subscriptionId;
    return draft;
  }

  byStackUrn(urn: string): EndpointDraft | undefined {
    return this.byUrn.get(urn);
  }

  all(): Iterable<EndpointDraft> {
    return this.byKey.values();
  }

  finish(): Endpoint[] {
    return [...this.byKey.values()].map((draft) => {
      const id =
        draft.stackId ??
        (draft.resourceGroup && (draft.subscriptionId ?? this.subscriptionId)
          ? resourceId({
              subscriptionId: (draft.subscriptionId ?? this.subscriptionId) as string,
              resourceGroup: draft.resourceGroup,
              resourceType: ENDPOINT_ARM[draft.kind].type,
              name: draft.name,
            })
          : null);
      draft.identity = endpointIdentity(draft, id);
      return {
        urn: draft.identity,
        type: ENDPOINT_TYPES[draft.kind],
        name: draft.name,
        kind: draft.kind,
        os: draft.os,
        id,
        resourceGroup: draft.resourceGroup,
        subscriptionId: draft.subscriptionId ?? this.subscriptionId,
        origins: [...draft.origins],
        declaredRing: draft.declaredRing,
        tags: draft.tags,
        patchSettings: draft.patchSettings,
        osImageUpgrade: draft.osImageUpgrade,
        antivirus: draft.antivirus,
        monitoringAgents: draft.monitoringAgents,
        dataCollectionRuleAssociations: draft.dataCollectionRuleAssociations,
        ringAssignments: draft.ringAssignments,
      };
    });
  }

  private upsert(kind: EndpointKind, resourceGroup: string | null, name: string, origin: Endpoint["origins"][number]): EndpointDraft {
    const key = endpointKey(kind, resourceGroup, name);
    let draft = this.byKey.get(key);
    if (!draft) {
      draft = {
        key,
        name,
        kind,
        os: "unknown",
        resourceGroup,
        resourceGroupDependencies: [],
        subscriptionId: null,
        location: null,
        stackUrn: null,
        stackId: null,
        identity: null,
        origins: new Set(),
        declaredRing: null,
        tags: null,
        patchSettings: null,
        osImageUpgrade: null,
        antivirus: [],
        monitoringAgents: [],
        dataCollectionRuleAssociations: [],
        ringAssignments: [],
      };
      this.byKey.set(key, draft);
      const nameKey = `${kind}|${lower(name)}`;
      this.byName.set(nameKey, [...(this.byName.get(nameKey) ?? []), draft]);
    }
    draft.origins.add(origin);
    return draft;
  }
}

/** The identity findings and waivers use: the stack URN, else the ARM id, else a readable key. */
function endpointIdentity(draft: EndpointDraft, id: string | null): string {
  if (draft.stackUrn) return draft.stackUrn;
  if (id) return id;
  return `endpoint:${draft.kind}/${draft.resourceGroup ?? "?"}/${draft.name}`.toLowerCase();
}

/** The property that names each kind of machine in its own resource. */
const NAME_PROPERTY: Readonly<Record<EndpointKind, string>> = {
  "azure-vm": "vmName",
  "arc-machine": "machineName",
  "vm-scale-set": "vmScaleSetName",
};

/** A machine's OS: a VM's or scale set model's OS disk, an Arc machine's osType, else which OS
 *  configuration its osProfile carries. */
function machineOs(kind: EndpointKind, props: JsonValue | Sentinel): OsFamily {
  const declaredType = kind === "arc-machine" ? field(props, "osType") : field(props, "storageProfile", "osDisk", "osType");
  if (typeof declaredType === "string" && /^(windows|linux)$/i.test(declaredType)) return lower(declaredType) as OsFamily;
  if (field(props, "osProfile", "windowsConfiguration") !== null) return "windows";
  if (field(props, "osProfile", "linuxConfiguration") !== null) return "linux";
  return "unknown";
}

function patchSettingsOf(kind: EndpointKind, os: OsFamily, props: JsonValue | Sentinel): PatchSettings {
  const configuration = field(props, "osProfile", os === "linux" ? "linuxConfiguration" : "windowsConfiguration");
  // azure-native flattens an Arc machine's patch settings into its OS configuration; ARM (and
  // exports of older stacks) nest them under patchSettings, as VMs and scale sets always do.
  const nested = field(configuration, "patchSettings");
  const patch = kind === "arc-machine" && nested === null ? configuration : nested;
  const read = (...path: string[]) => (isSentinel(patch) ? patch : field(patch, ...path));
  return {
    patchMode: read("patchMode"),
    assessmentMode: read("assessmentMode"),
    bypassPlatformSafetyChecksOnUserSchedule:
      kind === "arc-machine" ? null : read("automaticByPlatformSettings", "bypassPlatformSafetyChecksOnUserSchedule"),
    rebootSetting: kind === "arc-machine" ? null : read("automaticByPlatformSettings", "rebootSetting"),
  };
}

function tagsOf(props: Record<string, JsonValue>): Endpoint["tags"] {
  const tags = props.tags;
  if (isSentinel(tags)) return tags;
  if (tags && typeof tags === "object" && !Array.isArray(tags)) return tags;
  return null;
}

/**
 * The endpoint a resource points at: by its id property or by name and resource group when known;
 * else through `propertyDependencies` on those properties; else, when only its resource group is
 * unknown, the machine created in the same new group; else through its parent. Null when none
 * resolves: an unresolved resource credits no machine.
 */
function targetEndpoint(
  resource: Resource,
  endpoints: EndpointRegistry,
  byName: { kind: EndpointKind; nameProperty: string } | null,
  idProperty: string | null,
): EndpointDraft | null {
  const props = resource.properties;
  if (idProperty) {
    const id = asString(props[idProperty]);
    if (id) return endpoints.referenceById(id);
  }
  const name = byName ? asString(props[byName.nameProperty]) : null;
  const resourceGroup = asString(props.resourceGroupName);
  if (byName && name && resourceGroup) return endpoints.reference(byName.kind, resourceGroup, name);
  const dependencyProperties = [byName?.nameProperty, idProperty].filter((p): p is string => Boolean(p));
  for (const property of dependencyProperties) {
    for (const urn of resource.propertyDependencies[property] ?? []) {
      const draft = endpoints.byStackUrn(urn);
      if (draft) return draft;
    }
  }
  if (byName && name) {
    const inNewGroup = endpoints.inUnknownGroup(byName.kind, name, resource.propertyDependencies.resourceGroupName ?? []);
    if (inNewGroup) return inNewGroup;
  }
  return resource.parent ? (endpoints.byStackUrn(resource.parent) ?? null) : null;
}

/**
 * A scale set's model lists extensions inline (`virtualMachineProfile.extensionProfile`): each one
 * becomes an extension resource of the scale set, named `<scale set urn>/extensions/<name>`.
 */
function inlineScaleSetExtensions(scaleSet: Resource): Resource[] {
  const listed = field(scaleSet.properties, "virtualMachineProfile", "extensionProfile", "extensions");
  if (!Array.isArray(listed)) return [];
  return listed.map((item, index) => {
    // azure-native flattens an extension's fields; ARM and some outputs nest them under `properties`.
    const nested = field(item, "properties");
    const body = nested !== null && field(item, "publisher") === null ? nested : item;
    const name = asString(field(item, "name")) ?? String(index);
    return {
      urn: `${scaleSet.urn}/extensions/${name}`,
      type: TYPES.scaleSetExtension,
      name,
      id: null,
      parent: scaleSet.urn,
      provider: scaleSet.provider,
      properties: body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, JsonValue>) : {},
      dependencies: [],
      propertyDependencies: {},
    };
  });
}

function extensionFact(resource: Resource, endpoint: EndpointDraft | null): { fact: ExtensionFact; endpoint: EndpointDraft | null } {
  const body = handlerFields(resource);
  const read = (name: string): JsonValue | Sentinel => (isSentinel(body) ? body : field(body, name));
  const publisher = read("publisher");
  const extensionType = read("type");
  // Azure compares publisher and type case-insensitively: a known extension gets its canonical
  // names, so no policy compares spelling.
  const known = typeof publisher === "string" && typeof extensionType === "string" ? extensionHandler(publisher, extensionType) : undefined;
  const antimalware = known?.product === "antimalware";
  const settings = extensionSettings(read("settings"), antimalware);
  const fact: ExtensionFact = {
    urn: resource.urn,
    type: resource.type,
    endpoint: null,
    role: known?.role ?? "other",
    product: known?.product ?? null,
    publisher: known?.publisher ?? publisher,
    extensionType: known?.type ?? extensionType,
    typeHandlerVersion: read("typeHandlerVersion"),
    autoUpgradeMinorVersion: read("autoUpgradeMinorVersion"),
    enableAutomaticUpgrade: read("enableAutomaticUpgrade"),
    suppressFailures: read("suppressFailures"),
    settings,
    exclusions: antimalware ? exclusionEntries(settings) : [],
    tags: tagsOf(resource.properties),
    // ARM gives scale set extensions no tags: there is nothing to check (absent reads as true).
    ...(UNTAGGED_EXTENSION_TYPES.has(resource.type) ? { taggable: false } : {}),
  };
  if (endpoint && known) {
    const attachment = { urn: resource.urn, type: resource.type, extensionType: known.type };
    (known.role === "antivirus" ? endpoint.antivirus : endpoint.monitoringAgents).push(attachment);
  }
  return { fact, endpoint };
}

class RingRegistry {
  private readonly byUrn = new Map<string, { resource: Resource; fact: RingFact }>();
  /** By lower-case `resourceGroup|name` and by lower-case id, for assignments that name an id. */
  private readonly byLocator = new Map<string, string>();
  private readonly declaredOrder: Map<string, number>;

  constructor(baseline: DeclaredBaseline | null) {
    this.declaredOrder = new Map((baseline?.rings ?? []).map((ring) => [lower(ring.name), ring.order]));
  }

  add(resource: Resource): void {
    const props = resource.properties;
    const tags = tagsOf(props);
    const tag = (key: string) => (tags && !isSentinel(tags) ? asString(tags[key]) : null);
    const name = tag("ring") ?? asString(props.resourceName) ?? resource.name;
    const taggedOrder = Number.parseInt(tag("ring-order") ?? "", 10);
    const windowSource = field(props, "maintenanceWindow");
    // azure-native flattens the maintenance window; ARM (and some exports) nest it.
    const window = (key: string) => {
      const flat = field(props, key);
      return flat !== null ? flat : isSentinel(windowSource) ? windowSource : field(windowSource, key);
    };
    this.byUrn.set(resource.urn, {
      resource,
      fact: {
        urn: resource.urn,
        type: resource.type,
        name,
        order: this.declaredOrder.get(lower(name)) ?? (Number.isInteger(taggedOrder) ? taggedOrder : null),
        maintenanceScope: field(props, "maintenanceScope"),
        windowsClassifications: field(props, "installPatches", "windowsParameters", "classificationsToInclude"),
        linuxClassifications: field(props, "installPatches", "linuxParameters", "classificationsToInclude"),
        rebootSetting: field(props, "installPatches", "rebootSetting"),
        startDateTime: window("startDateTime"),
        expirationDateTime: window("expirationDateTime"),
        duration: window("duration"),
        timeZone: window("timeZone"),
        recurEvery: window("recurEvery"),
        osFamilies: [],
        endpoints: [],
        tags,
      },
    });
    const resourceGroup = asString(props.resourceGroupName);
    const resourceName = asString(props.resourceName) ?? resource.name;
    if (resourceGroup) this.byLocator.set(`${lower(resourceGroup)}|${lower(resourceName)}`, resource.urn);
    if (typeof resource.id === "string") this.byLocator.set(lower(resource.id), resource.urn);
  }

  /** The ring an assignment's `maintenanceConfigurationId` names (see RingAssignment.ring). */
  resolve(assignment: Resource, byUrn: Map<string, Resource>): string | null {
    const id = assignment.properties.maintenanceConfigurationId;
    if (typeof id === "string" && id !== "") {
      const direct = this.byLocator.get(lower(id));
      if (direct) return direct;
      const ref = parseResourceId(id);
      const byName = ref ? this.byLocator.get(`${lower(ref.resourceGroup)}|${lower(ref.name)}`) : undefined;
      return byName ?? lower(id);
    }
    if (isUnknown(id)) {
      const dependency = (assignment.propertyDependencies.maintenanceConfigurationId ?? []).find(
        (urn) => byUrn.get(urn)?.type === TYPES.maintenanceConfiguration,
      );
      return dependency ?? null;
    }
    return null;
  }

  finish(endpoints: Endpoint[]): RingFact[] {
    // Sets, not list lookups: a broad ring has thousands of members.
    const members = new Map<RingFact, Set<string>>();
    for (const endpoint of endpoints) {
      for (const assignment of endpoint.ringAssignments) {
        const ring = assignment.ring ? this.byUrn.get(assignment.ring)?.fact : undefined;
        if (!ring) continue;
        let urns = members.get(ring);
        if (!urns) members.set(ring, (urns = new Set()));
        urns.add(endpoint.urn);
        if (endpoint.os !== "unknown" && !ring.osFamilies.includes(endpoint.os)) ring.osFamilies.push(endpoint.os);
      }
    }
    return [...this.byUrn.values()].map(({ fact }) => ({ ...fact, endpoints: [...(members.get(fact) ?? [])] }));
  }
}

function attachMachineAssignment(resource: Resource, endpoints: EndpointRegistry, rings: RingRegistry, byUrn: Map<string, Resource>) {
  const props = resource.properties;
  const provider = asString(props.providerName);
  const type = asString(props.resourceType);
  const kind = provider && type ? ENDPOINT_KIND_OF_ARM_TYPE.get(lower(`${provider}/${type}`)) : undefined;
  if (provider && type && !kind) return; // assigned to something that is not an endpoint (a dedicated host)
  const endpoint = targetEndpoint(
    resource,
    endpoints,
    kind ? { kind, nameProperty: "resourceName" } : null,
    "resourceId",
  );
  endpoint?.ringAssignments.push({ urn: resource.urn, type: resource.type, scope: "machine", ring: rings.resolve(resource, byUrn) });
}

/**
 * A dynamic scope assignment reaches every endpoint its filter matches. A filter that needs a
 * fact the document lacks (tags not visible, location unknown) does not match: the endpoint then
 * shows up as in no ring rather than silently in one.
 */
function attachDynamicAssignment(resource: Resource, endpoints: EndpointRegistry, rings: RingRegistry, byUrn: Map<string, Resource>) {
  const props = resource.properties;
  const filter = props.filter;
  if (isSentinel(filter)) return;
  const scope: RingAssignment["scope"] = resource.type === TYPES.assignmentForResourceGroup ? "resource-group" : "subscription";
  const scopeGroup = scope === "resource-group" ? asString(props.resourceGroupName) : null;
  if (scope === "resource-group" && !scopeGroup) return;
  const ring = rings.resolve(resource, byUrn);
  for (const endpoint of endpoints.all()) {
    if (scopeGroup && lower(endpoint.resourceGroup ?? "") !== lower(scopeGroup)) continue;
    if (!filterMatches(filter, endpoint)) continue;
    endpoint.ringAssignments.push({ urn: resource.urn, type: resource.type, scope, ring });
  }
}

function listOf(value: JsonValue | Sentinel | undefined): string[] | "unknown" | null {
  if (value === undefined || value === null) return null;
  if (isSentinel(value)) return "unknown";
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string").map(lower) : null;
}

function filterMatches(filter: JsonValue | undefined, endpoint: EndpointDraft): boolean {
  const conditions: Array<[JsonValue | Sentinel | undefined, string | null]> = [
    [field(filter, "resourceTypes"), ENDPOINT_ARM[endpoint.kind].type],
    [field(filter, "resourceGroups"), endpoint.resourceGroup],
    [field(filter, "osTypes"), endpoint.os === "unknown" ? null : endpoint.os],
    [field(filter, "locations"), endpoint.location],
  ];
  for (const [raw, actual] of conditions) {
    const allowed = listOf(raw);
    if (allowed === null || (Array.isArray(allowed) && allowed.length === 0)) continue;
    if (allowed === "unknown" || actual === null || !allowed.includes(lower(actual))) return false;
  }
  const tagFilter = field(filter, "tagSettings", "tags");
  if (tagFilter === null) return true;
  if (isSentinel(tagFilter) || typeof tagFilter !== "object" || Array.isArray(tagFilter)) return false;
  const wanted = Object.entries(tagFilter);
  if (wanted.length === 0) return true;
  const tags = endpoint.tags;
  if (!tags || isSentinel(tags)) return false;
  const hasTag = ([key, values]: [string, JsonValue]) =>
    typeof tags[key] === "string" && Array.isArray(values) && values.includes(tags[key] as string);
  const operator = field(filter, "tagSettings", "filterOperator");
  return operator === "All" ? wanted.every(hasTag) : wanted.some(hasTag);
}

function attachRuleAssociation(resource: Resource, endpoints: EndpointRegistry, byUrn: Map<string, Resource>) {
  const endpoint = targetEndpoint(resource, endpoints, null, "resourceUri");
  if (!endpoint) return;
  endpoint.dataCollectionRuleAssociations.push({ urn: resource.urn, type: resource.type, rule: associatedRule(resource, byUrn) });
}

function associatedRule(resource: Resource, byUrn: Map<string, Resource>): RuleAssociation["rule"] {
  const id = resource.properties.dataCollectionRuleId;
  if (typeof id === "string" && id !== "") {
    for (const candidate of resource.dependencies) {
      const rule = byUrn.get(candidate);
      if (rule?.type === TYPES.dataCollectionRule && typeof rule.id === "string" && lower(rule.id) === lower(id)) return rule.urn;
    }
    return lower(id);
  }
  if (isUnknown(id)) {
    const dependency = (resource.propertyDependencies.dataCollectionRuleId ?? []).find(
      (urn) => byUrn.get(urn)?.type === TYPES.dataCollectionRule,
    );
    return dependency ?? null;
  }
  return null;
}

/** Who an action group or security contact alerts, and whether it is switched on. */
function notificationFact(resource: Resource): NotificationFact {
  const props = resource.properties;
  const addresses = (values: JsonValue[]) =>
    values.filter((value): value is string => typeof value === "string" && value.trim() !== "").map((value) => lower(value.trim()));
  let recipients: NotificationFact["recipients"];
  let enabled: NotificationFact["enabled"];
  if (resource.type === TYPES.actionGroup) {
    const receivers = field(props, "emailReceivers");
    recipients = isSentinel(receivers)
      ? receivers
      : addresses(Array.isArray(receivers) ? receivers.map((receiver) => field(receiver, "emailAddress") as JsonValue) : []);
    enabled = field(props, "enabled");
  } else {
    const emails = field(props, "emails");
    recipients = isSentinel(emails) ? emails : addresses(typeof emails === "string" ? emails.split(";") : []);
    // Newer API versions say isEnabled; older ones alertNotifications.state "On".
    const state = field(props, "alertNotifications", "state");
    enabled = field(props, "isEnabled") ?? (typeof state === "string" ? state === "On" : state);
  }
  return { urn: resource.urn, type: resource.type, recipients, enabled };
}
