#!/usr/bin/env node
// Builds the Rego policies into build/policy/policy.wasm with `opa build -t wasm` (entrypoints
// come from the `entrypoint: true` METADATA annotations) and records the hash of the sources it
// was built from in build/policy/manifest.json, so the engine refuses a stale bundle.
// Runs after `tsc` (it reuses the engine's hashing from dist/).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { ensure, TOOLS } from "./tools.mjs";

const require = createRequire(import.meta.url);
const { packageRoot } = require("../dist/core/paths.js");
const { policiesDir, bundleDir, policySourceHash } = require("../dist/core/policy-sources.js");

/** Reads the files out of a (gzipped) tar archive: 512-byte headers, octal sizes. */
function untar(gzipped) {
  const tar = gunzipSync(gzipped);
  const files = new Map();
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (name === "") break;
    const size = Number.parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    files.set(name.replace(/^\/+/, ""), tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const root = packageRoot();
const sources = policiesDir(root);
const out = bundleDir(root);
const opa = ensure("opa");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bundlePath = join(out, "bundle.tar.gz");
// policies/pack/ is the CrossGuard pack (TypeScript, PulumiPolicy.yaml, package.json): OPA would
// load its YAML and JSON as data, so every OPA command on policies/ ignores it.
execFileSync(opa, ["build", "--target", "wasm", "--ignore", "*_test.rego", "--ignore", "pack", "--output", bundlePath, sources], {
  stdio: ["ignore", "inherit", "inherit"],
});
const files = untar(readFileSync(bundlePath));
const wasm = files.get("policy.wasm");
const bundleManifest = JSON.parse(files.get(".manifest")?.toString("utf8") ?? "{}");
if (!wasm) throw new Error(`opa build produced no policy.wasm in ${bundlePath}`);
const entrypoints = (bundleManifest.wasm ?? []).map((module) => module.entrypoint).sort();
writeFileSync(join(out, "policy.wasm"), wasm);
rmSync(bundlePath);
writeFileSync(
  join(out, "manifest.json"),
  `${JSON.stringify({ sourceHash: policySourceHash(sources), opaVersion: TOOLS.opa.version, entrypoints }, null, 2)}\n`,
);
process.stderr.write(`steward: built ${entrypoints.length} entrypoints (${entrypoints.join(", ")}) into ${out}\n`);
