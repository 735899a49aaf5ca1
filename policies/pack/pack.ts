/**
 * steward as a CrossGuard policy pack: the same wasm bundle judges the same normalized document
 * that `steward gate` builds from `pulumi preview --json`, here built from the stack the engine
 * hands the pack.
 *
 * One stack policy per steward policy (CrossGuard keeps one enforcement level per policy, and a
 * steward policy has one default enforcement): its name is the policy id, its level, severity,
 * remediation and link the policy's METADATA (the engine's catalog). The stack is normalized and
 * evaluated once; each policy reports its own findings. One resource policy, `client-baseline`,
 * records every resource's inputs for them (resources.ts) and carries which client the stack is
 * judged for (client.ts); it reports only a stack judged without any client.
 *
 * What CrossGuard reports for a finding:
 * - at the policy's level (its METADATA default, or what `--policy-pack-config` sets), unless the
 *   client's stack file says otherwise for that finding: a waiver makes it advisory, a justified
 *   override its level (advisory; mandatory when it raises the policy). The client's own
 *   exceptions are more specific than the pack-wide configuration.
 * - `disabled` in the pack configuration: the policy does not run; in the client's stack file
 *   (justified): steward reports nothing for it.
 * - every policy not fully enforced for the client (core/exceptions.ts) as an advisory violation
 *   of that policy, so `pulumi preview` and `pulumi up` show it as every steward report does.
 */
import type {
  EnforcementLevel,
  PolicyPackArgs,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { evaluationTime } from "../../cli/clock";
import { declaredBaseline } from "../../core/declared";
import { PolicyEngine, type Finding, type PolicyDescriptor } from "../../core/engine";
import { ExitCode, StewardError } from "../../core/errors";
import { exceptionText, notFullyEnforced, type NotFullyEnforced } from "../../core/exceptions";
import { normalize } from "../../core/normalize";
import { CLIENT_OPTIONS_SCHEMA, resolveClient, type ClientOptions, type ResolvedClient } from "./client";
import { StackInputs, stackResources } from "./resources";
import { proxyTarget } from "./sdk";

/** The pack's name (PulumiPolicy.yaml's folder is named by the user; this is what the engine shows). */
export const PACK_NAME = "steward";
/** The resource policy that records inputs and names the client. */
export const CLIENT_POLICY = "client-baseline";
const STACK_TYPE = "pulumi:pulumi:Stack";

export interface StewardPackOptions {
  /** The policy engine (default: build/policy, loaded once). */
  engine?: PolicyEngine;
  /** Where the stack's configuration and identity come from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The time waivers and overrides are judged against (default: now, or STEWARD_NOW). */
  now?: () => Date;
  /** The client when the pack configuration names none (tests, and packs built on this one). */
  client?: ClientOptions;
}

/** What the pack concluded about one stack. */
export interface Judgement {
  client: ResolvedClient;
  findings: Finding[];
  notFullyEnforced: NotFullyEnforced[];
  /** The URNs of the stack's resources (a finding on anything else is reported on the stack). */
  urns: ReadonlySet<string>;
}

/** A violation in the SDK's object form (server.js makeReportViolationFun): one level per violation. */
interface Violation {
  message: string;
  urn?: string;
  enforcementLevel?: EnforcementLevel;
}

const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, " ");

/** A steward error is the user's to fix: the SDK puts an error's stack into the engine's message,
 *  so it gets its message only. Anything else keeps its stack (a bug). */
function userFacing<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof StewardError) {
      const shown = new Error(`steward: ${error.message}`);
      shown.stack = shown.message;
      throw shown;
    }
    throw error;
  }
}

export class StewardPack {
  /** Every resource's inputs, recorded by `client-baseline`. */
  readonly inputs = new StackInputs();
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => Date;
  private readonly defaultClient: ClientOptions;
  private engineInstance: PolicyEngine | undefined;
  private clientOptions: ClientOptions | null = null;
  private resolved: { key: string; client: ResolvedClient } | null = null;
  private last: { stack: unknown[]; generation: number; client: string; judgement: Judgement } | null = null;

  constructor(options: StewardPackOptions = {}) {
    this.engineInstance = options.engine;
    this.env = options.env ?? process.env;
    this.now = options.now ?? evaluationTime;
    this.defaultClient = options.client ?? {};
  }

  get engine(): PolicyEngine {
    this.engineInstance ??= PolicyEngine.loadSync();
    return this.engineInstance;
  }

  /** The PolicyPack's arguments: `client-baseline`, then one stack policy per steward policy, by id. */
  args(): PolicyPackArgs {
    const catalog = this.engine.catalog;
    const policies: Array<ResourceValidationPolicy | StackValidationPolicy> = [this.clientPolicy()];
    for (const id of Object.keys(catalog).sort()) policies.push(this.stackPolicy(catalog[id] as PolicyDescriptor));
    return {
      policies,
      description: "steward: every client machine managed (antivirus, update rings, monitoring, alerting), judged by steward's Rego policies",
      provider: "azure",
      tags: ["steward"],
    };
  }

  clientPolicy(): ResourceValidationPolicy {
    return {
      name: CLIENT_POLICY,
      description: "The client whose declared baseline, waivers and overrides the stack is judged against",
      enforcementLevel: "advisory",
      configSchema: CLIENT_OPTIONS_SCHEMA,
      validateResource: (args, report) => this.validateResource(args, report),
    };
  }

  stackPolicy(descriptor: PolicyDescriptor): StackValidationPolicy {
    return {
      name: descriptor.id,
      description: descriptor.title,
      enforcementLevel: descriptor.enforcement,
      severity: descriptor.severity,
      remediationSteps: oneLine(descriptor.remediation),
      ...(descriptor.references[0] ? { url: descriptor.references[0] } : {}),
      tags: ["steward"],
      validateStack: (args, report) => this.validateStack(descriptor.id, args, report),
    };
  }

  /** `client-baseline`: records the resource's inputs; on the stack resource, says when no client applies. */
  validateResource(args: ResourceValidationArgs, report: ReportViolation): void {
    userFacing(() => {
      this.inputs.record(args.urn, args.props);
      this.clientOptions = args.getConfig<ClientOptions>();
      if (args.type !== STACK_TYPE) return;
      if (this.client().config === null) {
        report(
          "No client: the stack is judged without a declared baseline, waivers or overrides. Its configuration has no steward:client, " +
            `and the policy pack configuration names no client (${CLIENT_POLICY}: stackFile or client).`,
        );
      }
    });
  }

  /** One steward policy's findings (and its exceptions) on the stack. */
  validateStack(policy: string, args: StackValidationArgs, report: ReportViolation): void {
    const judgement = userFacing(() => this.judge(args.resources));
    const descriptor = this.engine.catalog[policy] as PolicyDescriptor;
    const violate = report as unknown as (violation: Violation) => void;
    for (const finding of judgement.findings) {
      if (finding.policy !== policy) continue;
      const lines = [finding.message];
      const onStack = judgement.urns.has(finding.urn);
      if (!onStack) lines.push(`resource: ${finding.urn}`);
      lines.push(`fix: ${oneLine(finding.remediation)}`);
      let level: EnforcementLevel | undefined;
      if (finding.waiver !== null) {
        level = "advisory";
        lines.push(`waived until ${finding.waiver.expires}, approved by ${finding.waiver.approver}: ${finding.waiver.reason}`);
      } else if (finding.enforcement !== descriptor.enforcement) {
        level = finding.enforcement;
      }
      const message = lines.join("\n");
      const urn = onStack ? finding.urn : undefined;
      if (level === undefined) report(message, urn);
      else violate({ message: `${descriptor.title}\n${message}`, ...(urn ? { urn } : {}), enforcementLevel: level });
    }
    const client = judgement.client.config?.client.id ?? "(none)";
    for (const entry of judgement.notFullyEnforced) {
      if (entry.policy !== policy) continue;
      violate({ message: `${descriptor.title}\nnot fully enforced for client ${client}: ${exceptionText(entry)}`, enforcementLevel: "advisory" });
    }
  }

  /** The client the stack is judged for, resolved once per configuration. */
  client(): ResolvedClient {
    const configured = this.clientOptions ?? {};
    const options = configured.stackFile !== undefined || configured.client !== undefined ? configured : { ...this.defaultClient, ...configured };
    const key = JSON.stringify([options.stackFile, options.client, options.stacksDir]);
    if (this.resolved?.key !== key) this.resolved = { key, client: resolveClient(options, this.env) };
    return this.resolved.client;
  }

  /**
   * The stack normalized and evaluated. Each stack policy of one AnalyzeStack asks again, with the
   * same stack: the SDK deserializes each resource once per request (sdk.ts), so its policies see
   * the very same property objects, and a stack whose every resource is the same object as last
   * time (with the same recorded inputs and client) is not read or evaluated again.
   */
  judge(resources: readonly PolicyResource[]): Judgement {
    const stack = resources.flatMap((resource) => [resource.urn, proxyTarget(resource.props)]);
    const client = this.client();
    const last = this.last;
    if (
      last !== null &&
      last.generation === this.inputs.generation &&
      last.client === this.resolved?.key &&
      last.stack.length === stack.length &&
      last.stack.every((item, index) => item === stack[index])
    ) {
      return last.judgement;
    }
    if (this.inputs.size === 0 && resources.length > 0) {
      throw new StewardError(
        `the ${CLIENT_POLICY} policy did not run, so the stack's inputs are unknown (a stack policy sees only outputs, which lack ` +
          `the names that tie extensions and ring assignments to their machines); do not disable ${CLIENT_POLICY}`,
        ExitCode.INTERNAL,
      );
    }
    const documentResources = stackResources(resources, this.inputs);

    const identity = identityOf(documentResources.map((resource) => resource.urn), this.env);
    const { config } = client;
    const document = normalize({
      source: this.env.PULUMI_NODEJS_DRY_RUN === "false" ? "stack-export" : "preview",
      stack: { ...identity, client: config?.client.id ?? null },
      evaluatedAt: this.now(),
      resources: documentResources,
      baseline: config ? declaredBaseline(config) : null,
      waivers: config?.waivers ?? [],
      settings: config?.policy ?? {},
    });
    const evaluation = this.engine.evaluate(document, "the stack the engine handed the policy pack");
    const judgement: Judgement = {
      client,
      findings: evaluation.findings,
      notFullyEnforced: notFullyEnforced(document, evaluation, this.engine.catalog),
      urns: new Set(documentResources.map((resource) => resource.urn)),
    };
    this.last = { stack, generation: this.inputs.generation, client: this.resolved?.key ?? "", judgement };
    return judgement;
  }
}

/** Project and stack from the URNs (`urn:pulumi:<stack>::<project>::...`), else the engine's variables. */
function identityOf(urns: string[], env: NodeJS.ProcessEnv): { project: string; stack: string } {
  for (const urn of urns) {
    const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    if (match) return { stack: match[1] as string, project: match[2] as string };
  }
  return { project: env.PULUMI_NODEJS_PROJECT ?? "unknown", stack: env.PULUMI_NODEJS_STACK ?? "unknown" };
}
