// `steward gate` as pipelines run it: the built binary, real-format previews, exit codes.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadClientConfig } from "../core/config";
import { baselineStates, digest, refreshDigest, type State } from "./support/previews";
import { fixtures, root } from "./support";

const scratch = mkdtempSync(join(tmpdir(), "steward-gate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function steward(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

const harbor = () => loadClientConfig(join(root, "stacks", "Pulumi.harbor-dental.yaml"));
const deployed = () => baselineStates(harbor(), "harbor-dental", true);
/** The deployed baseline, with one Arc machine's antivirus extension deleted and a secret in the stack. */
function brokenPreview() {
  const before = deployed();
  const after = before.filter((state) => !state.urn.endsWith("::harbor-dental-hd-backup01-antivirus"));
  const monitoring = after.find((state) => state.urn.endsWith("::harbor-dental-HD-FS01-monitoring-agent")) as State;
  monitoring.inputs = { ...monitoring.inputs, properties: { ...(monitoring.inputs?.properties as object), protectedSettings: { workspaceKey: "hunter2-plaintext" } } };
  return digest(before, after);
}

describe("steward gate", () => {
  it("passes an unchanged deployment (exit 0) and prints the JSON contract", () => {
    const { code, stdout } = steward(["gate", write("same.json", digest(deployed(), deployed())), "--stack", "harbor-dental", "--format", "json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({ blocking: 0, advisory: 3, waived: 0, resources: 28 });
    expect(Object.keys(report.findings[0]).sort()).toEqual(["blocking", "enforcement", "location", "message", "policy", "remediation", "severity", "status", "title", "type", "urn", "waiver"]);
  });

  it("blocks a preview that removes an endpoint's antivirus (exit 1), from stdin, never printing a secret", () => {
    const text = JSON.stringify(brokenPreview());
    expect(text).toContain("hunter2-plaintext");
    const { code, stdout } = steward(["gate", "-", "--stack", "harbor-dental"], text);
    expect(code).toBe(1);
    expect(stdout).toContain('New findings (1)\n  [mandatory] critical antivirus-installed\n    Arc machine "hd-backup01" has no antivirus extension\n');
    expect(stdout).toContain("Gate failed: 1 blocking, 3 advisory, 0 waived, 0 resolved; 27 resources evaluated");
    expect(stdout).not.toContain("hunter2");
    const json = steward(["gate", "-", "--stack", "harbor-dental", "--format", "json"], text);
    expect(json.stdout).not.toContain("hunter2");
  });

  it.each([
    ["sarif", (text: string) => JSON.parse(text).runs[0].results.map((r: { ruleId: string; level: string }) => `${r.level} ${r.ruleId}`).sort()],
    ["junit", (text: string) => (text.match(/<failure /g) ?? []).length],
    ["github", (text: string) => text.split("\n").filter((line) => line.startsWith("::error ")).length],
  ] as const)("renders %s for CI systems, without secrets", (format, extract) => {
    const { code, stdout } = steward(["gate", write(`broken-${format}.json`, brokenPreview()), "--stack", "harbor-dental", "--format", format]);
    expect(code).toBe(1);
    expect(stdout).not.toContain("hunter2");
    expect(extract(stdout)).toEqual(
      format === "sarif"
        ? ["error antivirus-installed", "warning patch-orchestration-unverified", "warning patch-orchestration-unverified", "warning patch-orchestration-unverified"]
        : 1,
    );
  });

  it("--format github appends the Markdown summary to $GITHUB_STEP_SUMMARY", () => {
    const summary = join(scratch, "step-summary.md");
    writeFileSync(summary, "");
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", write("gh.json", brokenPreview()), "--stack", "harbor-dental", "--format", "github"], {
      encoding: "utf8",
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.status).toBe(1);
    expect(readFileSync(summary, "utf8")).toContain("antivirus-installed");
  });

  it("writes the report to --output and still exits by its verdict", () => {
    const output = join(scratch, "report.json");
    const { code, stdout } = steward(["gate", write("broken.json", brokenPreview()), "--stack", "harbor-dental", "--format", "json", "--output", output]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(JSON.parse(readFileSync(output, "utf8")).summary.blocking).toBe(1);
  });

  it.each([
    ["an empty file", "empty.json", "", /^steward: .*empty\.json is empty; expected a Pulumi JSON document/],
    ["truncated JSON", "truncated.json", '{"steps": [{"op": "create"', /^steward: .*truncated\.json is not valid JSON \(truncated or corrupt\?\)/],
    ["a document of the wrong kind", "wrong-kind.json", { resources: [] }, /^steward: .*wrong-kind\.json is not a Pulumi document steward reads/],
    ["a step with wrong types", "wrong-types.json", { steps: [{ op: 3, urn: "u" }] }, /^steward: .*wrong-types\.json: steps\[0\]: a step needs a string "op" and "urn"/],
  ])("exits 2 on %s, naming the file", (_what, name, content, message) => {
    const file = write(name, content);
    const { code, stderr } = steward(["gate", file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("refuses a file over the size limit with a clear message (exit 2)", () => {
    const file = write("large.json", `{"steps": [], "pad": "${"x".repeat(2 * 1024 * 1024)}"}`);
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", file], {
      encoding: "utf8",
      env: { ...process.env, STEWARD_MAX_INPUT_MB: "1" },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/large\.json is 3 MiB, over the 1 MiB limit; split the stack or raise STEWARD_MAX_INPUT_MB/);
  });
});

describe("findings point at the stack-file entry behind them", () => {
  const preview = fixtures("pulumi", "northwind-logistics.noncompliant.preview.json");
  const gate = (format: string, cwd = root) =>
    spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", preview, "--stack", "northwind-logistics", "--stacks-dir", join(root, "stacks"), "--format", format], {
      encoding: "utf8",
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
    }).stdout;
  // stacks/Pulumi.northwind-logistics.yaml writes nwl-web01, whose extension has real-time protection off, at line 107.
  const web01 = { file: "stacks/Pulumi.northwind-logistics.yaml", line: 107, column: 7 };

  it("json: each finding on a declared endpoint carries its entry, relative to the working directory", () => {
    const report = JSON.parse(gate("json"));
    const located = report.findings.map((finding: { policy: string; urn: string; location?: unknown }) => [finding.policy, finding.urn.split(/::|\//).pop(), finding.location]);
    expect(located).toEqual([
      ["antivirus-protection-on", "northwind-logistics-nwl-web01-antivirus", web01],
      ["patch-orchestration-unverified", "nwl-api01", { ...web01, line: 113 }],
      ["patch-orchestration-unverified", "nwl-api02", { ...web01, line: 95 }],
      ["patch-orchestration-unverified", "nwl-jump01", { ...web01, line: 77 }],
      ["patch-orchestration-unverified", "nwl-web01", web01],
      ["patch-orchestration-unverified", "nwl-web02", { ...web01, line: 89 }],
      ["patch-orchestration-unverified", "nwl-etl01", { ...web01, line: 83 }],
      ["patch-orchestration-unverified", "nwl-sql01", { ...web01, line: 119 }],
      ["patch-orchestration-unverified", "nwl-sql02", { ...web01, line: 101 }],
    ]);
    expect(readFileSync(join(root, web01.file), "utf8").split("\n")[web01.line - 1]).toBe("    - name: nwl-web01");
  });

  it("json: run from a folder the repository is not below, the path stays absolute", () => {
    // A scratch folder of its own: the system's temporary folder may hold the checkout itself.
    const report = JSON.parse(gate("json", scratch));
    expect(report.findings[0].location).toEqual({ ...web01, file: join(root, web01.file) });
  });

  it("sarif: the region code scanning marks, with the URN as the logical location", () => {
    const [result] = JSON.parse(gate("sarif")).runs[0].results;
    expect(result.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: "stacks/Pulumi.northwind-logistics.yaml" }, region: { startLine: 107, startColumn: 7 } },
        logicalLocations: [
          {
            fullyQualifiedName:
              "urn:pulumi:northwind-logistics::steward::steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:compute:VirtualMachineExtension::northwind-logistics-nwl-web01-antivirus",
            kind: "resource",
          },
        ],
      },
    ]);
  });

  it("github: the annotation sits on that line of the stack file", () => {
    expect(gate("github").split("\n")[0]).toBe(
      "::error file=stacks/Pulumi.northwind-logistics.yaml,line=107,col=7,title=antivirus-protection-on::" +
        'Microsoft Antimalware extension "northwind-logistics-nwl-web01-antivirus" on "nwl-web01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
    );
  });

  it("table: a stack file line under the resource", () => {
    expect(gate("table").split("\n").slice(0, 5)).toEqual([
      "New findings (1)",
      "  [mandatory] critical antivirus-protection-on",
      '    Microsoft Antimalware extension "northwind-logistics-nwl-web01-antivirus" on "nwl-web01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
      "    resource: urn:pulumi:northwind-logistics::steward::steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:compute:VirtualMachineExtension::northwind-logistics-nwl-web01-antivirus",
      "    stack file: stacks/Pulumi.northwind-logistics.yaml:107:7",
    ]);
  });
});

describe("every report says which policies are not fully enforced for the client", () => {
  // fixtures/stacks/Pulumi.exceptions-in-force.yaml: patch-orchestration disabled by a justified
  // override, antivirus-protection-on (critical) waived on every resource.
  const stack = ["--stacks-dir", fixtures("stacks"), "--stack", "exceptions-in-force"];
  const states = () => baselineStates(loadClientConfig(fixtures("stacks", "Pulumi.exceptions-in-force.yaml")), "exceptions-in-force", true);
  const preview = () => write("exceptions-in-force.json", digest(states(), states()));
  // Days from the instant the CLI judges as of (STEWARD_NOW, set in vitest.config.mts).
  const left = Math.floor(Date.parse("2027-02-24T00:00:00Z") / 86_400_000) - Math.floor(Date.parse(process.env.STEWARD_NOW as string) / 86_400_000);
  const APPROVER = "Dana Whitfield (Bluefin IT service manager)";
  const patching = `patch-orchestration (high): disabled instead of mandatory until 2027-02-24 (${left} days left); hides 0 findings; approved by ${APPROVER}: `;
  const scanning = `antivirus-protection-on (critical): waived on every resource (*) until 2027-02-24 (${left} days left); hides 2 findings; approved by ${APPROVER}: `;

  it("gate, table: first thing in the report", () => {
    const { code, stdout } = steward(["gate", preview(), ...stack]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Not fully enforced for this client (2)");
    expect(lines[1]?.startsWith(`  ${patching}`)).toBe(true);
    expect(lines[2]?.startsWith(`  ${scanning}`)).toBe(true);
  });

  it("gate, json: the list in the report", () => {
    const report = JSON.parse(steward(["gate", preview(), ...stack, "--format", "json"]).stdout);
    expect(report.notFullyEnforced.map((entry: Record<string, unknown>) => [entry.policy, entry.level, entry.resource, entry.daysLeft, entry.findings])).toEqual([
      ["patch-orchestration", "disabled", null, left, 0],
      ["antivirus-protection-on", "waived", "*", left, 2],
    ]);
    expect(report.summary).toEqual({ blocking: 0, advisory: 2, waived: 2, resources: 22 });
  });

  it("gate, sarif: configuration notifications and run.properties", () => {
    const [run] = JSON.parse(steward(["gate", preview(), ...stack, "--format", "sarif"]).stdout).runs;
    expect(run.properties.notFullyEnforced.map((entry: { policy: string }) => entry.policy)).toEqual(["patch-orchestration", "antivirus-protection-on"]);
    const notifications = run.invocations[0].toolConfigurationNotifications as Array<{ message: { text: string }; associatedRule: { id: string; index: number } }>;
    expect(notifications.map((n) => [n.associatedRule.id, run.tool.driver.rules[n.associatedRule.index].id, n.message.text.startsWith(`Not fully enforced for this client: ${n.associatedRule.id} (`)])).toEqual([
      ["patch-orchestration", "patch-orchestration", true],
      ["antivirus-protection-on", "antivirus-protection-on", true],
    ]);
  });

  it("gate, junit: properties and system-out of a suite of its own", () => {
    const xml = steward(["gate", preview(), ...stack, "--format", "junit"]).stdout;
    expect(xml).toContain('  <testsuite name="Not fully enforced for this client" tests="0" failures="0" errors="0" skipped="0">\n    <properties>\n');
    expect(xml).toContain(`      <property name="not-fully-enforced" value="${patching}`);
    expect(xml).toContain(`<system-out>Not fully enforced for this client:\n${patching}`);
  });

  it("gate, github: a notice annotation each, and the step summary line", () => {
    const summary = join(scratch, "weakened-summary.md");
    writeFileSync(summary, "");
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", preview(), ...stack, "--format", "github"], {
      encoding: "utf8",
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.status).toBe(0);
    const notices = result.stdout.split("\n").filter((line) => line.startsWith("::notice title=Not fully enforced"));
    expect(notices.map((line) => line.slice(0, line.indexOf("::", 2) + 2))).toEqual([
      "::notice title=Not fully enforced for this client%3A patch-orchestration::",
      "::notice title=Not fully enforced for this client%3A antivirus-protection-on::",
    ]);
    expect(readFileSync(summary, "utf8")).toContain("**Not fully enforced for this client: patch-orchestration, antivirus-protection-on**");
  });

  it("drift: in the text and in the JSON report", () => {
    const refresh = write("exceptions-in-force-refresh.json", refreshDigest(states(), states()));
    const text = steward(["drift", refresh, ...stack]);
    expect(text.code).toBe(0);
    expect(text.stdout.startsWith(`Not fully enforced for this client (2):\n  ${patching}`)).toBe(true);
    expect(text.stdout).toContain(`\n  ${scanning}`);
    const json = JSON.parse(steward(["drift", refresh, ...stack, "--format", "json"]).stdout);
    expect(json.policies.notFullyEnforced.map((entry: { policy: string }) => entry.policy)).toEqual(["patch-orchestration", "antivirus-protection-on"]);
  });
});

describe("steward gate and drift run Pulumi when given only a stack", () => {
  /** A `pulumi` on PATH that records its arguments and prints a recorded document. */
  function stubPulumi(document: unknown, exitCode = 0): string {
    const bin = join(scratch, `bin-${Math.random().toString(36).slice(2)}`);
    mkdirSync(bin);
    writeFileSync(join(bin, "recorded.json"), JSON.stringify(document));
    writeFileSync(
      join(bin, "pulumi"),
      `#!/bin/sh\necho "$@" > "${bin}/args"\npwd > "${bin}/cwd"\necho "$PULUMI_HOME $PULUMI_BACKEND_URL" > "${bin}/env"\n` +
        `cat "${bin}/recorded.json"\necho "error: stub failure" >&2\nexit ${exitCode}\n`,
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    return bin;
  }
  const run = (args: string[], bin: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], {
      encoding: "utf8",
      env: { ...process.env, STEWARD_PULUMI_CWD: "", ...env, PATH: `${bin}:/usr/bin:/bin` },
    });

  it("gate --stack runs `pulumi preview --json` for that stack and judges its output", () => {
    const bin = stubPulumi(brokenPreview());
    const result = run(["gate", "--stack", "harbor-dental", "--format", "json"], bin);
    expect(result.status).toBe(1);
    expect(readFileSync(join(bin, "args"), "utf8").trim()).toBe("preview --show-sames --json --non-interactive --stack harbor-dental");
    expect(JSON.parse(result.stdout).summary.blocking).toBe(1);
  });

  it("drift --stack runs `pulumi refresh --preview-only --json`", () => {
    const bin = stubPulumi(digest(deployed(), deployed()));
    const result = run(["drift", "--stack", "harbor-dental"], bin);
    expect(readFileSync(join(bin, "args"), "utf8").trim()).toBe("refresh --preview-only --json --non-interactive --stack harbor-dental");
    expect(result.status).toBe(0);
  });

  it("pulumi runs in the steward checkout, in --cwd, or in STEWARD_PULUMI_CWD, with steward's environment (PULUMI_HOME, PULUMI_BACKEND_URL)", () => {
    const bin = stubPulumi(digest(deployed(), deployed()));
    const project = mkdtempSync(join(scratch, "project-"));
    const other = mkdtempSync(join(scratch, "other-"));
    const env = { PULUMI_HOME: join(project, "home"), PULUMI_BACKEND_URL: `file://${join(project, "state")}` };
    const cwd = () => readFileSync(join(bin, "cwd"), "utf8").trim();

    expect(run(["gate", "--stack", "harbor-dental"], bin).status).toBe(0);
    expect(cwd()).toBe(root);
    expect(run(["gate", "--stack", "harbor-dental", "--cwd", project], bin, env).status).toBe(0);
    expect(cwd()).toBe(project);
    expect(readFileSync(join(bin, "env"), "utf8").trim()).toBe(`${env.PULUMI_HOME} ${env.PULUMI_BACKEND_URL}`);
    expect(run(["drift", "--stack", "harbor-dental"], bin, { STEWARD_PULUMI_CWD: other }).status).toBe(0);
    expect(cwd()).toBe(other);
    expect(run(["drift", "--stack", "harbor-dental", "--cwd", project], bin, { STEWARD_PULUMI_CWD: other }).status).toBe(0);
    expect(cwd()).toBe(project);
  });

  it("a --cwd or STEWARD_PULUMI_CWD that is not a folder is an input error (exit 2); pulumi never runs", () => {
    const bin = stubPulumi(digest(deployed(), deployed()));
    const missing = join(scratch, "no-such-project");
    const flag = run(["gate", "--stack", "harbor-dental", "--cwd", missing], bin);
    expect([flag.status, flag.stderr]).toEqual([2, `steward: --cwd names ${missing}, which is not a folder; name the folder holding the project's Pulumi.yaml\n`]);
    const variable = run(["drift", "--stack", "harbor-dental"], bin, { STEWARD_PULUMI_CWD: missing });
    expect([variable.status, variable.stderr]).toEqual([2, `steward: STEWARD_PULUMI_CWD names ${missing}, which is not a folder; name the folder holding the project's Pulumi.yaml\n`]);
    expect(existsSync(join(bin, "args"))).toBe(false);
  });

  it("a failing pulumi run is an input error (exit 2) with its message", () => {
    const result = run(["gate", "--stack", "harbor-dental"], stubPulumi({}, 255));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`\`pulumi preview --show-sames --json --non-interactive --stack harbor-dental\` failed in ${root} (exit 255):`);
    expect(result.stderr).toContain("error: stub failure");
  });

  it("without pulumi on PATH it says how to produce the document (exit 2)", () => {
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "gate", "--stack", "harbor-dental"], {
      encoding: "utf8",
      env: { ...process.env, PATH: "/nonexistent" },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^steward: no document given and `pulumi` is not on PATH; run `pulumi preview --show-sames --json --non-interactive --stack harbor-dental > preview.json`/);
  });

  it("with neither a document nor a stack it is a usage error (exit 2)", () => {
    const result = steward(["gate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give the Pulumi JSON document/);
  });
});
