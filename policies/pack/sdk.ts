/**
 * The two places where steward's pack relies on @pulumi/policy (pinned at 1.21.0) beyond its typed
 * API, in one file, each checked when the pack loads so that another version fails loudly rather
 * than judging wrong:
 *
 * - Secrets. The engine sends a stack policy every resource with its secrets marked
 *   (`KeepSecrets`), and the SDK's `deserializeProperties` unwraps them into plain values before a
 *   policy sees them (server.js, makeAnalyzeStackRpcFun: `deserializeProperties(..., false)`).
 *   steward's documents never carry a secret's content (`{"$secret": true}`, judged not
 *   compliant), so the pack replaces that function with one that turns every secret into
 *   Pulumi's `[secret]` placeholder first: the content never reaches the pack's code or a message.
 * - Unknowns. Each resource's `props` is a proxy that throws on reading a value a preview cannot
 *   know yet (`UnknownValueError`, which the SDK turns into "can't run policy during preview").
 *   steward judges unknowns itself (`{"$unknown": true}`), so the pack reads the proxy's target,
 *   where each unknown is one of the SDK's sentinel strings.
 * - The pack's description. The engine asks every pack for it (`GetAnalyzerInfo`) before each
 *   resource it analyzes, and the SDK builds and serializes the same answer each time
 *   (server.js, makeGetAnalyzerInfoRpcFun: `makeAnalyzerInfo(...)` of arguments fixed when the
 *   pack starts); steward's carries fifteen policies' descriptions, remediation and links. The
 *   pack builds it once and serializes it once (BENCHMARKS.md, "The policy pack").
 */
import { createRequire } from "node:module";

const load = createRequire(__filename);

/** Pulumi's marker key of a special value (a secret, asset, archive) and its secret signature
 *  (@pulumi/pulumi runtime/rpc: specialSigKey, specialSecretSig). */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** What `pulumi preview --json` prints for a secret; steward's readers turn it into `{"$secret": true}`. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * The SDK's sentinels for values a preview cannot know (proxy.js: boolean, number, string, array,
 * asset, archive, object). The string one is the engine's own placeholder.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

interface ProtoStruct {
  toJavaScript(): unknown;
}
type Deserialize = (struct: ProtoStruct, proxySecrets: boolean) => Record<string, unknown>;

interface ProxyModule {
  getSpecialProxyTarget: string;
  unknownStringValue: string;
}

const sdkProblem = (what: string) =>
  new Error(`@pulumi/policy is not the version steward's pack was written for (1.21.0): ${what}; install the version package.json pins (npm ci)`);

let checkedProxy: ProxyModule | undefined;

function proxyModule(): ProxyModule {
  if (checkedProxy) return checkedProxy;
  const proxy = load("@pulumi/policy/proxy") as Partial<ProxyModule>;
  if (typeof proxy.getSpecialProxyTarget !== "string") throw sdkProblem("proxy.getSpecialProxyTarget is gone");
  if (proxy.unknownStringValue === undefined || !UNKNOWN_SENTINELS.has(proxy.unknownStringValue)) throw sdkProblem("its unknown sentinels changed");
  checkedProxy = proxy as ProxyModule;
  return checkedProxy;
}

/** The plain value behind a `props` proxy (a plain value is returned as it is). */
export function proxyTarget(props: unknown): unknown {
  if (typeof props !== "object" || props === null) return props;
  const target = (props as Record<string, unknown>)[proxyModule().getSpecialProxyTarget];
  return target === undefined ? props : target;
}

/** A value from the engine with every secret (`{<sig>: <secret sig>, value}`) replaced by the placeholder. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) return SECRET_PLACEHOLDER;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const redacted = redactSecrets(record[key]);
    if (key === "__proto__") Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true, configurable: true });
    else out[key] = redacted;
  }
  return out;
}

let redacting = false;

/**
 * Makes the SDK deserialize every resource with its secrets replaced by the placeholder (see the
 * file comment), once per resource of a request: for a stack policy the SDK deserializes every
 * resource of the stack again for each policy (server.js, makeAnalyzeStackRpcFun), from the same
 * protobuf Struct each time, so the first result is kept for that Struct. The policies then read
 * the same objects through their proxies, which is also how the pack knows the stack is the same
 * (pack.ts). Idempotent; throws when the SDK no longer has the function it replaces.
 */
export function installSecretRedaction(): void {
  if (redacting) return;
  const deserialize = load("@pulumi/policy/deserialize") as { deserializeProperties?: Deserialize };
  const original = deserialize.deserializeProperties;
  if (typeof original !== "function") throw sdkProblem("deserialize.deserializeProperties is gone");
  const done = new WeakMap<ProtoStruct, Map<boolean, Record<string, unknown>>>();
  deserialize.deserializeProperties = (struct, proxySecrets) => {
    const known = done.get(struct) ?? new Map<boolean, Record<string, unknown>>();
    const cached = known.get(proxySecrets);
    if (cached) return cached;
    const result = original({ toJavaScript: () => redactSecrets(struct.toJavaScript()) }, proxySecrets);
    known.set(proxySecrets, result);
    done.set(struct, known);
    return result;
  };
  proxyModule();
  redacting = true;
}

interface AnalyzerInfoMessage {
  serializeBinary(): Uint8Array;
}
type MakeAnalyzerInfo = (...args: unknown[]) => AnalyzerInfoMessage;

let cachingAnalyzerInfo = false;

/**
 * Makes the SDK answer `GetAnalyzerInfo` with one message built and serialized once (see the file
 * comment). Its arguments are the pack's name, version, enforcement level, policies and the
 * configuration it started with, the same objects on every call; a call with other arguments (a
 * second pack in one process) gets its own message. Idempotent; throws when the SDK no longer has
 * the function it replaces.
 */
export function installAnalyzerInfoCache(): void {
  if (cachingAnalyzerInfo) return;
  const protoutil = load("@pulumi/policy/protoutil") as { makeAnalyzerInfo?: MakeAnalyzerInfo };
  const original = protoutil.makeAnalyzerInfo;
  if (typeof original !== "function") throw sdkProblem("protoutil.makeAnalyzerInfo is gone");
  let built: { args: unknown[]; message: AnalyzerInfoMessage } | undefined;
  protoutil.makeAnalyzerInfo = (...args) => {
    if (built && built.args.length === args.length && built.args.every((arg, index) => arg === args[index])) return built.message;
    const message = original(...args);
    const bytes = message.serializeBinary();
    // gRPC serializes the answer with serializeBinary on every reply: the bytes are kept too.
    message.serializeBinary = () => bytes;
    built = { args, message };
    return message;
  };
  cachingAnalyzerInfo = true;
}
