#!/usr/bin/env node
// `npm run demo`: a newcomer's first look at steward under the real Pulumi engine, offline
// (scripts/pulumi-local.mjs: the CLI built from Go modules, the azure-native stand-in, a file
// backend). In a fresh workspace (build/demo/):
//   1. `pulumi up` of a client whose exclusions are unsafe is refused before anything is created;
//   2. `pulumi up` of northwind-logistics deploys its managed baseline;
//   3. the stand-in's cloud is changed behind Pulumi's back (real-time protection off on one VM)
//      and `steward drift` on `pulumi refresh --preview-only --json` names it and blocks;
//   4. `pulumi up --refresh` puts it back, and the drift is gone.
// Exits 0 when every step ends as shown; 1 otherwise.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workspace = join(root, "build", "demo");
const env = { ...process.env, STEWARD_PULUMI_WORKSPACE: workspace };

function banner(text) {
  process.stdout.write(`\n=== ${text}\n\n`);
}

/** Runs pulumi-local with the output shown; returns its exit code. */
function pulumi(args, extraEnv = {}) {
  process.stdout.write(`$ pulumi ${args.join(" ")}\n`);
  const run = spawnSync(process.execPath, [join(root, "scripts", "pulumi-local.mjs"), ...args], { env: { ...env, ...extraEnv }, stdio: "inherit" });
  return run.status ?? 1;
}

function expect(what, actual, wanted) {
  if (actual === wanted) return;
  process.stderr.write(`demo: ${what} exited ${actual}, expected ${wanted}\n`);
  process.exit(1);
}

rmSync(workspace, { recursive: true, force: true });

banner("1. A client whose antivirus exclusions are unsafe: pulumi up is refused, nothing is created");
expect("the refused pulumi up", pulumi(["up", "--yes", "--stack", "risky-exclusions"], { STEWARD_STACKS_DIR: join(root, "fixtures", "stacks") }), 1);

banner("2. northwind-logistics: pulumi up deploys the managed baseline");
expect("pulumi up", pulumi(["up", "--yes", "--stack", "northwind-logistics"]), 0);

banner("3. Real-time protection switched off in the cloud: steward drift names it and blocks");
const cloudFile = join(workspace, "cloud.json");
const cloud = JSON.parse(readFileSync(cloudFile, "utf8"));
const antivirus = Object.values(cloud.resources).find((resource) => resource.outputs?.settings?.RealtimeProtectionEnabled !== undefined);
if (!antivirus) {
  process.stderr.write(`demo: no Microsoft Antimalware extension in ${cloudFile}; nothing to switch off\n`);
  process.exit(1);
}
antivirus.outputs.settings.RealtimeProtectionEnabled = "false";
writeFileSync(cloudFile, `${JSON.stringify(cloud, null, 2)}\n`);
process.stdout.write("(RealtimeProtectionEnabled set to \"false\" in the stand-in's cloud.json)\n");
const refreshFile = join(workspace, "refresh.json");
process.stdout.write("$ pulumi refresh --preview-only --json --stack northwind-logistics > refresh.json\n");
const refresh = spawnSync(process.execPath, [join(root, "scripts", "pulumi-local.mjs"), "refresh", "--preview-only", "--json", "--stack", "northwind-logistics"], {
  env,
  encoding: "utf8",
  maxBuffer: 1 << 28,
});
expect("pulumi refresh --preview-only", refresh.status, 0);
writeFileSync(refreshFile, refresh.stdout);
process.stdout.write("$ steward drift refresh.json --stack northwind-logistics\n");
const drift = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "drift", refreshFile, "--stack", "northwind-logistics"], { stdio: "inherit" });
expect("steward drift", drift.status, 1);

banner("4. pulumi up --refresh puts it back");
expect("pulumi up --refresh", pulumi(["up", "--yes", "--refresh", "--stack", "northwind-logistics"]), 0);
process.stdout.write("\ndemo: refused, deployed, drift caught and put back.\n");
