/**
 * Which client the stack is judged for: its declared baseline, waivers and enforcement overrides.
 *
 * In order: the stack file the pack's configuration names (`client-baseline.stackFile`), the
 * client it names (`client-baseline.client`, its `Pulumi.<client>.yaml` in `stacksDir`), or the
 * configuration of the stack the engine runs — `pulumi preview --policy-pack` hands the pack the
 * stack's own configuration, whose `steward:` keys are the stack file's. Each is read by the loader
 * `steward check` uses, so a bad setting fails with what is wrong. None of them: the stack is judged
 * without a client (no declared endpoints, waivers or overrides), as `steward gate` without --stack.
 */
import { isAbsolute, resolve } from "node:path";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { stackFile } from "../../cli/stacks";
import { loadClientConfig, parseClientConfig, type ClientConfig } from "../../core/config";
import { InputError } from "../../core/errors";
import { defaultStacksDir, packageRoot } from "../../core/paths";

/** The `client-baseline` policy's configuration (`--policy-pack-config`). */
export interface ClientOptions {
  /** A stack file: absolute, or relative to the steward checkout that holds the pack. */
  stackFile?: string;
  /** A client id: its stack file `Pulumi.<client>.yaml` in `stacksDir`. */
  client?: string;
  /** Where `client` is looked up: absolute, or relative to the checkout. Default: its stacks/. */
  stacksDir?: string;
}

/** JSON schema of ClientOptions, for CrossGuard's config validation. */
export const CLIENT_OPTIONS_SCHEMA: PolicyConfigSchema = {
  properties: {
    stackFile: { type: "string", description: "the client's stack file (absolute, or relative to the steward checkout)" },
    client: { type: "string", description: "the client id: its Pulumi.<client>.yaml in stacksDir" },
    stacksDir: { type: "string", description: "folder of the stack files (default: the checkout's stacks/)" },
  },
};

export interface ResolvedClient {
  config: ClientConfig | null;
  /** Where it came from, for messages. */
  origin: string;
}

/** The stack's configuration the engine gives the pack (PULUMI_CONFIG: "namespace:key" → text). */
export function stackConfiguration(env: NodeJS.ProcessEnv): Record<string, string> {
  const text = env.PULUMI_CONFIG;
  if (text === undefined || text === "") return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, string>;
  } catch (error) {
    throw new InputError(`the stack configuration the engine passed (PULUMI_CONFIG) is not a JSON object: ${(error as Error).message}`);
  }
}

/** A stack's `steward:` settings as a stack file would hold them: structured values are JSON text. */
function stackFileText(configuration: Record<string, string>): string {
  const config: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(configuration)) {
    if (!key.startsWith("steward:")) continue;
    try {
      config[key] = JSON.parse(text) as unknown;
    } catch {
      config[key] = text;
    }
  }
  return `${JSON.stringify({ config }, null, 2)}\n`;
}

const fromCheckout = (path: string) => (isAbsolute(path) ? path : resolve(packageRoot(), path));

/** The client the stack is judged for (see the file comment). */
export function resolveClient(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): ResolvedClient {
  if (options.stackFile !== undefined && options.client !== undefined) {
    throw new InputError("client-baseline: give stackFile or client in the policy pack configuration, not both");
  }
  if (options.stackFile !== undefined) {
    const file = fromCheckout(options.stackFile);
    return { config: loadClientConfig(file), origin: file };
  }
  if (options.client !== undefined) {
    const file = stackFile(fromCheckout(options.stacksDir ?? defaultStacksDir()), options.client);
    return { config: loadClientConfig(file), origin: file };
  }
  const configuration = stackConfiguration(env);
  if (!Object.hasOwn(configuration, "steward:client")) return { config: null, origin: "none" };
  const origin = `the configuration of stack ${env.PULUMI_NODEJS_STACK ?? "(unnamed)"}`;
  return { config: parseClientConfig(stackFileText(configuration), origin), origin };
}
