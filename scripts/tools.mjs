#!/usr/bin/env node
// Installs the pinned Go-built tools (OPA, Regal, conftest, actionlint; the Pulumi CLI and steward's
// Node.js language host for the end-to-end tests) into .tools/bin and reuses them when the installed
// version already matches. Usage:
//   node scripts/tools.mjs install [opa|regal|conftest|actionlint|pulumi|pulumi-language-nodejs ...]   (default: opa)
//   node scripts/tools.mjs path <tool>                prints the binary to run
// A fresh machine needs only Go; without Go, a binary of the pinned version on PATH also works
// (for the language host, only steward's own build of its current sources).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = join(root, ".tools", "bin");

/** sha256 (12 hex digits) of a Go module folder's go.mod, go.sum and *.go files: the language
 *  host reports it, so a binary built from other sources is rebuilt. */
function sourceHash(dir) {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).filter((file) => /^go\.(mod|sum)$|\.go$/.test(file)).sort()) {
    hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update("\0");
  }
  return hash.digest("hex").slice(0, 12);
}
const languageHostDir = join(root, "tools", "language-host");

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
  /** Lints the GitHub Actions workflows (test/ci-templates.test.ts). `go install` records the
   *  module version, which `-version` prints on its first line. */
  actionlint: {
    module: "github.com/rhysd/actionlint/cmd/actionlint",
    version: "v1.7.12",
    versionArgs: ["-version"],
    reports: (out) => /^v1\.7\.12$/m.test(out),
  },
  /** The Pulumi CLI, for `npm run test:e2e` and scripts/pulumi-local.mjs. pkg/v3 cannot be
   *  `go install`ed (replace directives), so tools/pulumi is a module that requires it as a tool;
   *  the version string is set by ldflags. About 7 minutes and 3 GB of Go caches the first time. */
  pulumi: {
    version: "v3.248.0",
    versionArgs: ["version"],
    reports: (out) => /^v3\.248\.0$/m.test(out),
    goModule: join(root, "tools", "pulumi"),
    package: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    ldflags: "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.248.0",
  },
  /** steward's language host (tools/language-host), which the CLI starts to run the program. */
  "pulumi-language-nodejs": {
    get version() {
      return `3.248.0 (steward ${sourceHash(languageHostDir)})`;
    },
    versionArgs: ["-version"],
    reports: (out) => out.trim() === `3.248.0 (steward ${sourceHash(languageHostDir)})`,
    goModule: languageHostDir,
    package: ".",
    get ldflags() {
      return `-X main.sourceHash=${sourceHash(languageHostDir)}`;
    },
    localOnly: true,
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
  if (tool.localOnly) return null;
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
        `  Install Go 1.26 or newer (https://go.dev/doc/install) and run the command again` +
        (tool.localOnly
          ? ` (it builds ${name} from ${tool.goModule}).`
          : `,\n  or put \`${name}\` ${tool.version} on your PATH (\`${name} ${tool.versionArgs.join(" ")}\` must report it).`),
    );
  }
  mkdirSync(binDir, { recursive: true });
  const env = { ...process.env, GOBIN: binDir, GOFLAGS: "-mod=mod" };
  process.stderr.write(`steward: building ${name} ${tool.version} from Go modules (first run only)...\n`);
  if (tool.goModule) {
    // A module of this repository: its go.sum is committed, so nothing is resolved anew.
    execFileSync(go, ["build", "-trimpath", "-ldflags", tool.ldflags, "-o", join(binDir, name), tool.package], {
      cwd: tool.goModule,
      env: { ...env, GOFLAGS: "-mod=readonly" },
      stdio: ["ignore", "inherit", "inherit"],
    });
  } else if (tool.buildFromSource) {
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
  throw new Error(`usage: node scripts/tools.mjs install [${Object.keys(TOOLS).join("|")} ...] | path <tool>`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`steward tools: ${error.message}\n`);
    process.exit(1);
  }
}
