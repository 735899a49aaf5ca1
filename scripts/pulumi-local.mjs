#!/usr/bin/env node
// Runs the real Pulumi CLI on steward's program, offline, against the azure-native stand-in
// (test/e2e/standin/): no Pulumi Cloud, no Azure, no download. Usage:
//   node scripts/pulumi-local.mjs <pulumi arguments>        e.g. preview --stack harbor-dental
// Always name the stack (--stack <client>); it is created on first use.
//   node scripts/pulumi-local.mjs env --stack <client> [--json]   prepares the workspace and prints
// the environment to run `pulumi`, `steward gate --stack` and `steward drift --stack` in it
// (eval "$(node scripts/pulumi-local.mjs env --stack harbor-dental)").
//
// Everything lives in a workspace folder (STEWARD_PULUMI_WORKSPACE, default build/pulumi-local/):
//   home/       PULUMI_HOME: the stand-in installed as the azure-native 3.28.0 plugin
//   state/      the file backend (PULUMI_BACKEND_URL=file://...)
//   cloud.json  the stand-in's resources (STEWARD_STANDIN_STATE); edit it to change "the cloud"
//   project/    Pulumi.yaml (the repository's, `main` pointing at this checkout's dist/index.js)
//               and stacks/, copies of the stack files: Pulumi writes the passphrase's
//               `encryptionsalt` there, never into the repository's stacks/
// Stack files are copied from STEWARD_STACKS_DIR (default stacks/) before every run.
// STEWARD_PULUMI_PROGRAM runs another program than the repository's dist/index.js: a JavaScript
// file, or an end-to-end test variant (test/e2e/programs/<name>.ts, compiled on use). Secrets use
// the passphrase in PULUMI_CONFIG_PASSPHRASE (default "steward-local": local state only). The
// stand-in's subscription (ARM_SUBSCRIPTION_ID) defaults to the stack's azure-native:subscriptionId
// or the client's first scope subscription. File arguments (--file, --event-log, --plan,
// --save-plan, --config-file, --policy-pack, --policy-pack-config) are resolved against the
// current directory.
//
// Before running, it builds what is missing or stale: the pinned CLI and the language host
// (scripts/tools.mjs, Go), the program and policy bundle (npm run build), the stand-in (tsc).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseDocument } from "yaml";
import { ensure } from "./tools.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const STANDIN_VERSION = "3.28.0";
/** Commands that need no stack. */
const STACKLESS = new Set(["version", "plugin", "about", "help", "whoami", "login", "logout", "gen-completion"]);
const FILE_FLAGS = new Set(["--file", "--event-log", "--plan", "--save-plan", "--config-file", "--policy-pack", "--policy-pack-config"]);

/** The stack the arguments name (--stack X, --stack=X, -s X), or null. */
export function stackOf(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((arg === "--stack" || arg === "-s") && i + 1 < args.length) return args[i + 1];
    if (arg.startsWith("--stack=")) return arg.slice("--stack=".length);
  }
  return null;
}

/** The arguments with the values of file flags made absolute against `cwd` ("-" stays stdin). */
export function withAbsoluteFiles(args, cwd) {
  const absolute = (value) => (value === "-" || isAbsolute(value) ? value : resolve(cwd, value));
  return args.map((arg, i) => {
    const equals = arg.indexOf("=");
    if (arg.startsWith("--") && equals > 0 && FILE_FLAGS.has(arg.slice(0, equals))) return `${arg.slice(0, equals)}=${absolute(arg.slice(equals + 1))}`;
    if (i > 0 && FILE_FLAGS.has(args[i - 1])) return absolute(arg);
    return arg;
  });
}

/** The newest modification time under the paths (files, or folders walked for `match`). */
function newest(paths, match) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (match(path)) {
      latest = Math.max(latest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return latest;
}

/** The oldest modification time of the files, 0 when one is missing. */
function oldest(files) {
  let earliest = Infinity;
  for (const file of files) {
    if (!existsSync(file)) return 0;
    earliest = Math.min(earliest, statSync(file).mtimeMs);
  }
  return earliest;
}

function log(message) {
  process.stderr.write(`steward pulumi-local: ${message}\n`);
}

/** `npm run build` when the program (and the policy pack, policies/pack), validators or policy
 *  bundle are older than their sources. */
function buildProgram() {
  const sources = newest(
    [join(root, "index.ts"), join(root, "core"), join(root, "components"), join(root, "cli"), join(root, "policies")],
    (file) => /\.(ts|json|rego)$/.test(file) && !file.endsWith(".test.ts"),
  );
  const outputs = oldest([join(root, "dist", "index.js"), join(root, "build", "policy", "manifest.json"), join(root, "dist", "validators")]);
  if (outputs >= sources) return;
  log("building the program and the policy bundle (npm run build)...");
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}

/** Compiles a folder of test code (its tsconfig.json) when its sources are newer than `entry`. */
function compileTests(dir, entry, what) {
  const sources = newest([dir], (file) => file.endsWith(".ts") || file.endsWith("tsconfig.json"));
  if (oldest([entry]) >= sources) return entry;
  log(`compiling ${what}...`);
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return entry;
}

/** Compiles the stand-in to build/standin/ when its sources are newer. */
export function buildStandIn() {
  return compileTests(join(root, "test", "e2e", "standin"), join(root, "build", "standin", "provider.js"), "the azure-native stand-in");
}

/**
 * The program Pulumi runs instead of the repository's (STEWARD_PULUMI_PROGRAM, resolved against
 * the current directory), or null: a JavaScript file, or one of the end-to-end tests' program
 * variants (test/e2e/programs/*.ts, compiled to build/e2e-programs/).
 */
export function programOverride(env = process.env, cwd = process.cwd()) {
  if (!env.STEWARD_PULUMI_PROGRAM) return null;
  const file = resolve(cwd, env.STEWARD_PULUMI_PROGRAM);
  const variants = join(root, "test", "e2e", "programs");
  if (dirname(file) === variants && file.endsWith(".ts")) {
    return compileTests(variants, join(root, "build", "e2e-programs", `${basename(file, ".ts")}.js`), "the end-to-end program variants");
  }
  if (!existsSync(file)) throw new Error(`STEWARD_PULUMI_PROGRAM names ${file}, which does not exist`);
  return file;
}

/** Installs the stand-in as azure-native 3.28.0 in PULUMI_HOME (again when it moved). */
function installStandIn(workspace, env, entry) {
  const script = `#!/bin/sh\n# steward's azure-native stand-in (scripts/pulumi-local.mjs)\nexec "${process.execPath}" "${entry}" "$@"\n`;
  const installed = join(env.PULUMI_HOME, "plugins", `resource-azure-native-v${STANDIN_VERSION}`, "pulumi-resource-azure-native");
  if (existsSync(installed) && readFileSync(installed, "utf8") === script) return;
  const folder = join(workspace, "standin-plugin");
  mkdirSync(folder, { recursive: true });
  const executable = join(folder, "pulumi-resource-azure-native");
  writeFileSync(executable, script);
  chmodSync(executable, 0o755);
  log(`installing the stand-in as resource plugin azure-native ${STANDIN_VERSION}...`);
  execFileSync("pulumi", ["plugin", "install", "resource", "azure-native", STANDIN_VERSION, "--file", folder, "--reinstall"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** The workspace's project: the repository's Pulumi.yaml with `main` made absolute (or the program
 *  STEWARD_PULUMI_PROGRAM names). */
function writeProject(project, program) {
  const document = parseDocument(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
  document.set("main", program ?? join(root, String(document.get("main") ?? ".")));
  mkdirSync(join(project, "stacks"), { recursive: true });
  writeFileSync(
    join(project, "Pulumi.yaml"),
    `# Written by scripts/pulumi-local.mjs from ${join(root, "Pulumi.yaml")}; edit that one.\n${document.toString()}`,
  );
}

/** Copies a stack file into the project, keeping the encryptionsalt Pulumi wrote into the copy. */
function copyStack(project, stacksDir, stack) {
  const source = join(stacksDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(source)) throw new Error(`no stack file ${source} (STEWARD_STACKS_DIR selects another folder)`);
  let text = readFileSync(source, "utf8");
  const copy = join(project, "stacks", `Pulumi.${stack}.yaml`);
  const salt = existsSync(copy) ? /^encryptionsalt: .*$/m.exec(readFileSync(copy, "utf8"))?.[0] : undefined;
  if (salt && !/^encryptionsalt:/m.test(text)) text = `${text.replace(/\n*$/, "\n")}${salt}\n`;
  writeFileSync(copy, text);
  return parse(text)?.config ?? {};
}

/** The subscription the stand-in deploys to: the stack's azure-native:subscriptionId, else the
 *  client's first scope subscription. */
export function subscriptionOf(config) {
  return config["azure-native:subscriptionId"] ?? config["steward:client"]?.scope?.subscriptions?.[0] ?? null;
}

/** The environment pulumi runs in for this workspace. */
export function localEnvironment(workspace, base = process.env) {
  return {
    ...base,
    PATH: [join(root, ".tools", "bin"), base.PATH ?? ""].join(delimiter),
    PULUMI_HOME: join(workspace, "home"),
    PULUMI_BACKEND_URL: `file://${join(workspace, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: base.PULUMI_CONFIG_PASSPHRASE ?? "steward-local",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    STEWARD_STANDIN_STATE: base.STEWARD_STANDIN_STATE ?? join(workspace, "cloud.json"),
  };
}

function main(args) {
  if (args.length === 0 || args[0] === "--help") {
    process.stdout.write("usage: node scripts/pulumi-local.mjs <pulumi arguments> (always with --stack <client>)\n");
    return 0;
  }
  const workspace = resolve(process.env.STEWARD_PULUMI_WORKSPACE ?? join(root, "build", "pulumi-local"));
  const stacksDir = resolve(process.env.STEWARD_STACKS_DIR ?? join(root, "stacks"));
  const project = join(workspace, "project");
  const stack = stackOf(args);
  if (!stack && !STACKLESS.has(args[0])) throw new Error(`name the stack: node scripts/pulumi-local.mjs ${args.join(" ")} --stack <client>`);

  ensure("pulumi");
  ensure("pulumi-language-nodejs");
  buildProgram();
  const entry = buildStandIn();
  const env = localEnvironment(workspace);
  mkdirSync(join(workspace, "state"), { recursive: true });
  installStandIn(workspace, env, entry);
  writeProject(project, programOverride());

  if (stack) {
    const config = copyStack(project, stacksDir, stack);
    env.ARM_SUBSCRIPTION_ID = process.env.ARM_SUBSCRIPTION_ID ?? subscriptionOf(config) ?? "00000000-0000-0000-0000-000000000000";
    if (!(args[0] === "stack" && ["init", "rm"].includes(args[1]))) {
      const select = spawnSync("pulumi", ["stack", "select", "--create", "--stack", stack, "--non-interactive"], { cwd: project, env, encoding: "utf8" });
      if (select.status !== 0) throw new Error(`cannot create or select stack ${stack}:\n${select.stderr}`);
    }
  }
  if (args[0] === "env") {
    process.stdout.write(printEnvironment(workspaceEnvironment(env, project, process.env), args.includes("--json")));
    return 0;
  }
  const run = spawnSync("pulumi", withAbsoluteFiles(args, process.cwd()), { cwd: project, env, stdio: "inherit" });
  if (run.error) throw run.error;
  return run.status ?? 1;
}

/**
 * What `env` prints: the variables a `pulumi` run in this workspace needs, and STEWARD_PULUMI_CWD
 * (the workspace's project) for `steward gate --stack` and `steward drift --stack`. The passphrase
 * is printed only when it is pulumi-local's own default, never one the caller set.
 */
export function workspaceEnvironment(env, project, base) {
  const names = ["PATH", "PULUMI_HOME", "PULUMI_BACKEND_URL", "PULUMI_SKIP_UPDATE_CHECK", "STEWARD_STANDIN_STATE", "ARM_SUBSCRIPTION_ID"];
  if (base.PULUMI_CONFIG_PASSPHRASE === undefined) names.push("PULUMI_CONFIG_PASSPHRASE");
  const chosen = Object.fromEntries(names.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
  return { ...chosen, STEWARD_PULUMI_CWD: project };
}

/** Shell `export` lines (single-quoted), or one JSON object. */
export function printEnvironment(variables, json) {
  if (json) return `${JSON.stringify(variables, null, 2)}\n`;
  const quote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;
  return Object.entries(variables).map(([name, value]) => `export ${name}=${quote(value)}\n`).join("");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`steward pulumi-local: ${error.message}\n`);
    process.exitCode = 2;
  }
}
