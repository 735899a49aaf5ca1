#!/usr/bin/env node
// Installs the pinned Go-built tools (OPA, Regal, conftest) into .tools/bin and reuses them when
// the installed version already matches. Usage:
//   node scripts/tools.mjs install [opa|regal|conftest ...]   (default: opa)
//   node scripts/tools.mjs path <tool>                prints the binary to run
// A fresh machine needs only Go; without Go, a binary of the pinned version on PATH also works.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = join(root, ".tools", "bin");

/** The pins. Regal is built from its module source because `go install` of it fails on the
 *  module proxy's deprecation lookup (the proxy refuses its version list). conftest (only for
 *  `npm run bench`) is built from source too: its version string is set by ldflags, and a plain
 *  `go install` reports "dev". */
export const TOOLS = {
  opa: {
    module: "github.com/open-policy-agent/opa",
    version: "v1.22.3",
    versionArgs: ["version"],
    reports: (out) => /^Version: 1\.22\.3$/m.test(out),
  },
  regal: {
    module: "github.com/open-policy-agent/regal",
    version: "v0.42.0",
    versionArgs: ["version"],
    reports: (out) => /^Version:\s+v0\.42\.0$/m.test(out),
    buildFromSource: true,
    ldflags: "-X github.com/open-policy-agent/regal/pkg/version.Version=v0.42.0",
  },
  conftest: {
    module: "github.com/open-policy-agent/conftest",
    version: "v0.66.0",
    versionArgs: ["--version"],
    reports: (out) => /^Conftest: 0\.66\.0$/m.test(out),
    buildFromSource: true,
    ldflags: "-X github.com/open-policy-agent/conftest/internal/version.Version=0.66.0",
  },
};

function reportsPinnedVersion(binary, tool) {
  const run = spawnSync(binary, tool.versionArgs, { encoding: "utf8" });
  return run.status === 0 && tool.reports(run.stdout);
}

function onPath(command) {
  const run = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : null;
}

/** Returns the path of a binary of the pinned version, or null. */
export function locate(name) {
  const tool = TOOLS[name];
  const local = join(binDir, name);
  if (existsSync(local) && reportsPinnedVersion(local, tool)) return local;
  const global = onPath(name);
  if (global && reportsPinnedVersion(global, tool)) return global;
  return null;
}

/** Go from PATH, or from its standard install location when PATH lacks it. */
function findGo() {
  if (onPath("go")) return "go";
  return existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : null;
}

function goInstall(name) {
  const tool = TOOLS[name];
  const go = findGo();
  if (!go) {
    throw new Error(
      `${name} ${tool.version} is not installed and Go is not on PATH.\n` +
        `  Install Go 1.26 or newer (https://go.dev/doc/install) and run \`npm install\` again,\n` +
        `  or put \`${name}\` ${tool.version} on your PATH (\`${name} version\` must report it).`,
    );
  }
  mkdirSync(binDir, { recursive: true });
  const env = { ...process.env, GOBIN: binDir, GOFLAGS: "-mod=mod" };
  process.stderr.write(`steward: building ${name} ${tool.version} from Go modules (first run only)...\n`);
  if (tool.buildFromSource) {
    const info = JSON.parse(
      execFileSync(go, ["mod", "download", "-json", `${tool.module}@${tool.version}`], { env, encoding: "utf8" }),
    );
    execFileSync(go, ["build", "-trimpath", "-ldflags", tool.ldflags, "-o", join(binDir, name), "."], {
      cwd: info.Dir,
      env: { ...env, GOFLAGS: "-mod=readonly" },
      stdio: ["ignore", "inherit", "inherit"],
    });
  } else {
    execFileSync(go, ["install", `${tool.module}@${tool.version}`], { env, stdio: ["ignore", "inherit", "inherit"] });
  }
  const installed = locate(name);
  if (!installed) throw new Error(`${name}: built ${tool.version} but the binary does not report that version`);
  return installed;
}

export function ensure(name) {
  if (!TOOLS[name]) throw new Error(`unknown tool "${name}" (known: ${Object.keys(TOOLS).join(", ")})`);
  return locate(name) ?? goInstall(name);
}

function main(argv) {
  const [command, ...names] = argv;
  if (command === "install") {
    for (const name of names.length > 0 ? names : ["opa"]) ensure(name);
    return;
  }
  if (command === "path" && names.length === 1) {
    process.stdout.write(`${ensure(names[0])}\n`);
    return;
  }
  throw new Error("usage: node scripts/tools.mjs install [opa|regal|conftest ...] | path <tool>");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`steward tools: ${error.message}\n`);
    process.exit(1);
  }
}
