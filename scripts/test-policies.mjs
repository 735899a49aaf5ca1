#!/usr/bin/env node
// The Rego half of `npm test`, in the order the Rego style guide uses:
// opa fmt → opa check --strict → regal lint → opa test, then enforce policy line coverage.
import { spawnSync } from "node:child_process";
import { ensure } from "./tools.mjs";

const MINIMUM_COVERAGE = 90;
const POLICIES = "policies";
// The CrossGuard pack (policies/pack/) holds YAML and JSON that OPA would load as data.
const IGNORE = ["--ignore", "pack"];

function run(binary, args, { capture = false } = {}) {
  const label = `${binary.split("/").pop()} ${args.join(" ")}`;
  process.stderr.write(`> ${label}\n`);
  const result = spawnSync(binary, args, { encoding: "utf8", stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit", maxBuffer: 64 << 20 });
  if (result.error) throw new Error(`${label}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
  return result.stdout;
}

try {
  const opa = ensure("opa");
  const regal = ensure("regal");
  const unformatted = run(opa, ["fmt", "--list", POLICIES], { capture: true }).trim();
  if (unformatted !== "") throw new Error(`not formatted (run \`opa fmt -w ${POLICIES}\`):\n${unformatted}`);
  run(opa, ["check", "--strict", ...IGNORE, POLICIES]);
  run(regal, ["lint", POLICIES]);
  run(opa, ["test", ...IGNORE, POLICIES]);
  const report = JSON.parse(run(opa, ["test", "--coverage", "--format", "json", ...IGNORE, POLICIES], { capture: true }));
  const coverage = Number(report.coverage);
  const weakest = Object.entries(report.files ?? {})
    .map(([file, entry]) => [file, Number(entry.coverage ?? 0)])
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([file, value]) => `${file} ${value.toFixed(1)}%`);
  process.stderr.write(`policy line coverage ${coverage.toFixed(1)}% (minimum ${MINIMUM_COVERAGE}%; lowest: ${weakest.join(", ")})\n`);
  if (!(coverage >= MINIMUM_COVERAGE)) throw new Error(`policy coverage ${coverage.toFixed(1)}% is below ${MINIMUM_COVERAGE}%`);
} catch (error) {
  process.stderr.write(`test:policies: ${error.message}\n`);
  process.exit(1);
}
