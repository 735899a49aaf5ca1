import { availableParallelism } from "node:os";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ExitCode, StewardError, asError } from "../core/errors";
import { FAIL_ON_MODES, type FailOn } from "../core/gate-report";
import { ExitWith } from "./exit";
import {
  COMPLIANCE_FORMATS,
  GATE_FORMATS,
  REPORT_FORMATS,
  type CheckOptions,
  type ComplianceFormat,
  type CoverageOptions,
  type DriftOptions,
  type EvaluateOptions,
  type GateFormat,
  type GateOptions,
  type PoliciesOptions,
  type ReportFormat,
  type ReportOptions,
  type StacksOptions,
} from "./options";
import { changeRuleHelp } from "./stacks";

const formatOption = () => new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("table" satisfies ReportFormat);

/** `--jobs` of the commands that run over every client (cli/fleet.ts). */
const jobsOption = () =>
  new Option("-j, --jobs <n>", "clients judged at once, each on a worker thread (1: one after another, in this process)")
    .argParser((value) => {
      if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError("expected a whole number of at least 1");
      return Number(value);
    })
    .default(availableParallelism(), "the available cores");

/** Ends the run with a command's exit code (commander discards what an action returns). */
function endWith(exitCode: ExitCode): void {
  if (exitCode !== ExitCode.PASS) throw new ExitWith(exitCode);
}

/** Builds the command tree; commands are loaded only when run, so startup stays fast. */
export function buildProgram(): Command {
  const program = new Command("steward")
    .description("Policy-as-code for managed endpoints: refuse to deploy an unmanaged machine.")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command("check")
    .description("plan every client's baseline from its stack file and judge it offline (no Pulumi CLI, no cloud)")
    .option("-s, --stack <name>", "check one client (default: every stacks/Pulumi.<client>.yaml)")
    .option("--stacks-dir <dir>", "folder holding the stack files")
    .addOption(jobsOption())
    .addOption(formatOption())
    .action(async (options: CheckOptions) => endWith(await (await import("./commands/check.js")).check(options)));

  program
    .command("gate")
    .description("judge a change before it is applied: `pulumi preview --json`, an engine event log, or `pulumi stack export`")
    .argument("[file]", "the Pulumi document (a file, or - for stdin); without it, --stack runs `pulumi preview --json` when pulumi is on PATH")
    .option("-s, --stack <name>", "the client whose stack file declares the baseline, waivers and settings")
    .option("--stacks-dir <dir>", "folder holding the stack files")
    .option("--cwd <dir>", "where `pulumi` runs without a document: the folder holding the project's Pulumi.yaml (default: $STEWARD_PULUMI_CWD, else the steward checkout)")
    .addOption(new Option("--fail-on <mode>", "which mandatory findings fail: any, or only those the change introduces").choices(FAIL_ON_MODES).default("any" satisfies FailOn))
    .addOption(
      new Option("-f, --format <format>", "output format (github: workflow annotations, and the summary into $GITHUB_STEP_SUMMARY)")
        .choices(GATE_FORMATS)
        .default("table" satisfies GateFormat),
    )
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .action(async (file: string | undefined, options: GateOptions) => endWith((await import("./commands/gate.js")).gate(file, options)));

  program
    .command("drift")
    .description(
      "what changed outside Pulumi, and what it left unmanaged: `pulumi refresh --preview-only --json` or `pulumi preview --refresh --json`; with neither a file nor --stack, for every client",
    )
    .argument("[file]", "the refresh preview (a file, or - for stdin); without it, --stack runs `pulumi refresh --preview-only --json` when pulumi is on PATH")
    .option("-s, --stack <name>", "the client whose stack file declares the baseline, waivers and settings")
    .option("--stacks-dir <dir>", "folder holding the stack files")
    .option("--previews-dir <dir>", "folder of refresh previews, <stack>.json each, read instead of running `pulumi`")
    .option("--cwd <dir>", "where `pulumi` runs without a document: the folder holding the project's Pulumi.yaml (default: $STEWARD_PULUMI_CWD, else the steward checkout)")
    .addOption(jobsOption())
    .addOption(formatOption())
    .action(async (file: string | undefined, options: DriftOptions) => endWith(await (await import("./commands/drift.js")).drift(file, options)));

  program
    .command("coverage")
    .description("is it installed on all your computers? every client's declared endpoints against an Azure Resource Graph export of its VMs, Arc machines, scale sets and scale set instances")
    .requiredOption("-i, --inventory <file>", "az graph query output (JSON: the { data } object or a bare array), or - for stdin")
    .option("-s, --stack <name>", "check one client (default: every stacks/Pulumi.<client>.yaml)")
    .option("--stacks-dir <dir>", "folder holding the stack files")
    .addOption(jobsOption())
    .addOption(formatOption())
    .action(async (options: CoverageOptions) => endWith(await (await import("./commands/coverage.js")).coverage(options)));

  program
    .command("report")
    .description("compliance reports: the six questions answered for every machine with evidence, on each client's reporting schedule")
    .option("-s, --stack <name>", "report one client (default: every stacks/Pulumi.<client>.yaml, and a fleet overview)")
    .option("--stacks-dir <dir>", "folder holding the stack files")
    .option("--deployed <file>", "the client's deployed state: `pulumi stack export`, or `pulumi preview --json --show-sames` (with --stack)")
    .option("--deployed-dir <dir>", "a folder of <stack>.json deployed states, one per client (a client without one is judged from its plan)")
    .option("--refresh <file>", "the client's `pulumi refresh --preview-only --json`: the cloud as it is, and the drift (with --stack)")
    .option("--refresh-dir <dir>", "a folder of <stack>.json refresh previews, one per client")
    .option("-i, --inventory <file>", "an Azure Resource Graph export of the machines (as steward coverage reads it): machines nobody declared")
    .option("--patch-assessment <file>", "an Azure Resource Graph export of Update Manager's patchassessmentresources: whether security patches are applied (question 6)")
    .option("--previous <file>", "a previous JSON report or fleet overview: the trend")
    .option("--due", "only the reports due on the day (--date): weekly on Mondays, monthly on the 1st, quarterly on 1 January, April, July and October")
    .option("--date <day>", "the run's day, YYYY-MM-DD (default: today, UTC)")
    .option("-o, --out <dir>", "archive every report in every format as <dir>/<client>/<period>.<ext>, with the fleet overview and manifest.json")
    .addOption(jobsOption())
    .addOption(new Option("-f, --format <format>", "output format").choices(COMPLIANCE_FORMATS).default("markdown" satisfies ComplianceFormat))
    .action(async (options: ReportOptions) => endWith(await (await import("./commands/report.js")).report(options)));

  program
    .command("policies")
    .description("list the policy library: id, severity, default enforcement, title")
    .addOption(formatOption())
    .action(async (options: PoliciesOptions) => endWith((await import("./commands/policies.js")).policies(options)));

  program
    .command("evaluate")
    .description("evaluate a normalized input document (a file, or - for stdin) with every policy")
    .argument("<file>", "normalized document (JSON, schema core/schema/steward-input.schema.json)")
    .addOption(formatOption())
    .action(async (file: string, options: EvaluateOptions) => endWith((await import("./commands/evaluate.js")).evaluate(file, options)));

  program
    .command("stacks")
    .description("list the client stacks (stack, client id, stack file) for a CI matrix; with --changed-since, only those a change touches")
    .option("--changed-since <ref>", "only the stacks a change since git ref REF touches (the rule is below)")
    .option("--stacks-dir <dir>", "folder holding the stack files")
    .addOption(formatOption())
    .addHelpText("after", changeRuleHelp)
    .action(async (options: StacksOptions) => endWith((await import("./commands/stacks.js")).stacks(options)));

  return program;
}

/** Runs the CLI and returns the exit code; the only caller of process.exit is `run`. */
export async function main(argv: string[]): Promise<ExitCode> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return ExitCode.PASS;
  } catch (error) {
    if (error instanceof ExitWith) return error.exitCode;
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with code 0.
      return error.exitCode === 0 ? ExitCode.PASS : ExitCode.BAD_INPUT;
    }
    if (error instanceof StewardError) {
      process.stderr.write(`steward: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`steward: internal error: ${asError(error).stack ?? asError(error).message}\n`);
    return ExitCode.INTERNAL;
  }
}

/**
 * Exits once standard output and error are written out: on a pipe they are asynchronous, and
 * process.exit() right after a large write (a JSON report) would cut the output at 64 KiB.
 */
function exitAfterOutput(code: ExitCode): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

export function run(argv: string[]): void {
  main(argv).then(exitAfterOutput, () => exitAfterOutput(ExitCode.INTERNAL));
}
