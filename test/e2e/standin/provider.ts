/**
 * A stand-in for the azure-native provider (3.28.0), for end-to-end tests only — never deployed:
 * the real Pulumi engine runs steward's program against it offline. It serves check, diff,
 * create, read, update and delete for every type the baseline plans (arm.ts), keeps "the cloud"
 * in a JSON file (cloud.ts, STEWARD_STANDIN_STATE) and reports outputs under azure-native's output
 * names, so a second `pulumi up` of the same program changes nothing.
 *
 * Like azure-native, its diff names every differing property (detailedDiff, diffReasons): the
 * engine needs that to put a refreshed resource's new state into `pulumi refresh --preview-only
 * --json`. The Node SDK's provider interface has no way to say it, so withDetailedDiff() adds it
 * to the SDK's gRPC Diff handler.
 *
 * What it does not do (and real azure-native does): talk to Azure, validate values beyond required
 * inputs, serve invokes or any other type, compute previews of outputs (it does not support
 * preview, so a preview's new state carries inputs only), or notice an input that was removed (it
 * diffs new inputs against old outputs; azure-native diffs against old inputs).
 */
import { createHash } from "node:crypto";
import { dirname } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { PropertyDiff, type DiffRequest, type DiffResponse } from "@pulumi/pulumi/proto/provider_pb";
import { ARM_TYPES, containsUnknown, diff, inputsOf, nameOfUrn, tokenOfUrn, type ArmContext, type ArmType, type Bag, type DiffKind, type Value } from "./arm";
import { cloudFile, readCloud, updateCloud, type Cloud } from "./cloud";

/** The subscription azure-native would deploy to; the real provider reads the same variable. */
export const SUBSCRIPTION_VARIABLE = "ARM_SUBSCRIPTION_ID";
/** A fixed clock for reproducible outputs (ISO 8601); the real time when unset. */
export const CLOCK_VARIABLE = "STEWARD_STANDIN_NOW";

function typeOf(urn: string): ArmType {
  const token = tokenOfUrn(urn);
  const type = ARM_TYPES.get(token);
  if (!type) throw new Error(`the azure-native stand-in does not serve ${token} (${urn}); it serves ${[...ARM_TYPES.keys()].join(", ")}`);
  return type;
}

function subscription(): string {
  const id = process.env[SUBSCRIPTION_VARIABLE];
  if (!id) throw new Error(`the azure-native stand-in needs a subscription: set ${SUBSCRIPTION_VARIABLE}`);
  return id;
}

function context(cloud: Cloud, previous?: Bag): ArmContext {
  const now = process.env[CLOCK_VARIABLE] ?? new Date().toISOString();
  const created = previous?.systemData;
  const createdAt = created && typeof created === "object" && !Array.isArray(created) && typeof created.createdAt === "string" ? created.createdAt : now;
  return { subscription: subscription(), createdAt, modifiedAt: now, lookup: (id) => cloud.resources[id]?.outputs };
}

/** azure-native's autoname: the Pulumi name and a suffix (here derived from the URN, so stable). */
const autoname = (urn: string) => `${nameOfUrn(urn)}${createHash("sha256").update(urn).digest("hex").slice(0, 8)}`;

export const standIn: provider.Provider = {
  version: "3.28.0",

  async check(urn: pulumi.URN, olds: Bag, news: Bag): Promise<provider.CheckResult> {
    const type = typeOf(urn);
    const inputs: Bag = { ...news };
    if (inputs[type.nameInput] === undefined) inputs[type.nameInput] = (olds?.[type.nameInput] as Value | undefined) ?? autoname(urn);
    const failures = type.required
      .filter((key) => inputs[key] === undefined || inputs[key] === null || inputs[key] === "")
      .map((key) => ({ property: key, reason: `missing required property '${key}'` }));
    return { inputs, failures };
  },

  async diff(id: pulumi.ID, urn: pulumi.URN, olds: Bag, news: Bag): Promise<provider.DiffResult> {
    const type = typeOf(urn);
    const { changes, replaces } = diff(type, id, olds, news);
    // A replacement that keeps the id (a new location) must delete the old resource first.
    const keepsId = replaces.length > 0 && !containsUnknown(news as Value) && type.id(news, context(readCloud(cloudFile()))) === id;
    return { changes: changes.length > 0, replaces, deleteBeforeReplace: keepsId };
  },

  async create(urn: pulumi.URN, inputs: Bag): Promise<provider.CreateResult> {
    const type = typeOf(urn);
    return updateCloud(cloudFile(), (cloud) => {
      const arm = context(cloud);
      const id = type.id(inputs, arm);
      if (cloud.resources[id]) {
        throw new Error(`resource ${id} already exists; to be managed by Pulumi it must be imported (pulumi import ${type.token} ${nameOfUrn(urn)} ${id})`);
      }
      const outputs = type.outputs(inputs, id, arm);
      cloud.resources[id] = { type: type.token, outputs };
      return { id, outs: outputs };
    });
  },

  async read(id: pulumi.ID, urn: pulumi.URN): Promise<provider.ReadResult> {
    const type = typeOf(urn);
    const found = readCloud(cloudFile()).resources[id];
    // Gone from the cloud: an empty id tells the engine the resource no longer exists.
    if (!found) return { id: "", props: {} };
    return { id, props: found.outputs, inputs: inputsOf(type, id, found.outputs) };
  },

  async update(id: pulumi.ID, urn: pulumi.URN, olds: Bag, news: Bag): Promise<provider.UpdateResult> {
    const type = typeOf(urn);
    return updateCloud(cloudFile(), (cloud) => {
      // An update is a PUT: it puts back a resource deleted behind Pulumi's back, too.
      const outputs = type.outputs(news, id, context(cloud, cloud.resources[id]?.outputs ?? olds));
      cloud.resources[id] = { type: type.token, outputs };
      return { outs: outputs };
    });
  },

  async delete(id: pulumi.ID, urn: pulumi.URN): Promise<void> {
    typeOf(urn);
    // Deleting what is already gone succeeds, as azure-native treats ARM's 404.
    updateCloud(cloudFile(), (cloud) => {
      cloud.resources = Object.fromEntries(Object.entries(cloud.resources).filter(([existing]) => existing !== id));
    });
  },
};

const KINDS: Record<DiffKind, PropertyDiff.Kind> = {
  add: PropertyDiff.Kind.ADD,
  "add-replace": PropertyDiff.Kind.ADD_REPLACE,
  update: PropertyDiff.Kind.UPDATE,
  "update-replace": PropertyDiff.Kind.UPDATE_REPLACE,
};

/** Adds the differing properties (detailedDiff, diffs) to a Diff response the SDK built. */
function addDetailedDiff(request: DiffRequest, response: DiffResponse): void {
  const type = ARM_TYPES.get(tokenOfUrn(request.getUrn()));
  if (!type) return;
  const { changes, detailed } = diff(type, request.getId(), (request.getOlds()?.toJavaScript() ?? {}) as Bag, (request.getNews()?.toJavaScript() ?? {}) as Bag);
  response.setDiffsList(changes);
  const map = response.getDetaileddiffMap();
  for (const [path, kind] of Object.entries(detailed)) map.set(path, new PropertyDiff().setKind(KINDS[kind]).setInputdiff(true));
  response.setHasdetaileddiff(true);
}

type Handler = (call: { request: DiffRequest }, callback: (error: unknown, response?: DiffResponse) => void) => void;

/**
 * Wraps the Diff handler the SDK's provider server registers, so its response also says which
 * properties differ. The gRPC module is the SDK's own (resolved from @pulumi/pulumi), so this sees
 * the server main() starts.
 */
function withDetailedDiff(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [dirname(require.resolve("@pulumi/pulumi/provider"))] })) as typeof grpcTypes;
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    if (service !== ResourceProviderService) return addService.call(this, service, implementation);
    const sdkDiff = implementation.diff as unknown as Handler;
    const decorated = Object.create(implementation) as grpcTypes.UntypedServiceImplementation;
    const diffWithDetails: Handler = (call, callback) =>
      sdkDiff.call(implementation, call, (error, response) => {
        if (!error && response) addDetailedDiff(call.request, response);
        callback(error, response);
      });
    decorated.diff = diffWithDetails as unknown as grpcTypes.UntypedHandleCall;
    return addService.call(this, service, decorated);
  };
}

if (require.main === module) {
  withDetailedDiff();
  void provider.main(standIn, process.argv.slice(2));
}
