// The built `steward` binary, as pipelines run it: exit codes and output formats. The commands
// in-process (their reports and exit codes, no output). `npm run check:cycles` holds cli/ and the
// rest of the repository to having no import cycle.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackYaml } from "./support/synthetic";
import { describe, expect, it } from "vitest";
import { checkReport } from "../cli/commands/check";
import { coverageReport } from "../cli/commands/coverage";
import { driftReport } from "../cli/commands/drift";
import { evaluateReport } from "../cli/commands/evaluate";
import { gateReport } from "../cli/commands/gate";
import { policiesReport } from "../cli/commands/policies";
import { renderCheck } from "../cli/formats/check";
import type { StewardInput } from "../core/document";
import { ExitCode } from "../core/errors";
import { fixtures, readJson, root } from "./support";

/** Days from today (UTC) to a date's day, as the reports count them. */
/** Days from the instant the CLI judges as of (STEWARD_NOW, set in vitest.config.mts) to a date. */
const daysLeft = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000) - Math.floor(Date.parse(process.env.STEWARD_NOW as string) / 86_400_000);

const PATCHING_REASON =
  "The POS vendor patches the tills from its own image pipeline; Azure Update Manager must not reboot them during trading hours until the vendor supports it (CHG-3107).";
const SCANNING_REASON =
  "The POS vendor certifies its till software only without real-time scanning (CERT-2026-114); the weekly scan stays on and the tills are replaced in February.";

function steward(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("steward CLI", () => {
  it("lists the policy catalog as JSON", () => {
    const { code, stdout } = steward(["policies", "--format", "json"]);
    expect(code).toBe(0);
    const { version, policies } = JSON.parse(stdout);
    expect(version).toBe(1);
    expect(policies.map((policy: { id: string }) => policy.id)).toContain("antivirus-installed");
  });

  it("passes a compliant document with exit 0", () => {
    const { code, stdout } = steward(["evaluate", fixtures("policies", "patch_orchestration_unverified", "allowed", "every-machine-visible.json")]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: "No findings.\n0 blocking, 0 advisory, 0 waived\n" });
  });

  it("an advisory finding is shown but does not fail: exit 0", () => {
    const { code, stdout } = steward(["evaluate", fixtures("policies", "compliant-base.json")]);
    expect(code).toBe(0);
    expect(stdout).toContain('advisory  low       patch-orchestration-unverified  Arc machine "files-01" is not managed by this stack');
    expect(stdout).toContain("0 blocking, 1 advisory, 0 waived");
  });

  it("evaluate: a document whose settings lower a policy says so first, and in JSON", () => {
    const document = readJson<StewardInput>(fixtures("policies", "compliant-base.json"));
    document.settings.enforcement["patch-orchestration-unverified"] = {
      level: "disabled",
      reason: "Arc machines are patched by the client",
      approver: "ciso@msp.example",
      created: "2026-11-20",
      expires: "2026-12-31",
    };
    const { code, stdout } = steward(["evaluate", "-"], JSON.stringify(document));
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout:
        "Not fully enforced for this client (1):\n" +
        "  patch-orchestration-unverified (low): disabled instead of advisory until 2026-12-31 (34 days left); hides 1 finding; approved by ciso@msp.example: Arc machines are patched by the client\n\n" +
        "No findings.\n0 blocking, 0 advisory, 0 waived\n",
    });
    const json = JSON.parse(steward(["evaluate", "-", "--format", "json"], JSON.stringify(document)).stdout);
    expect(json.notFullyEnforced.map((entry: { policy: string; findings: number }) => [entry.policy, entry.findings])).toEqual([["patch-orchestration-unverified", 1]]);
    expect(json.exceptions.enforcement["patch-orchestration-unverified"]).toBe("disabled");
  });

  it("exits 1 on a blocking finding and prints it", () => {
    const { code, stdout } = steward(["evaluate", fixtures("policies", "antivirus_installed", "disallowed", "windows-vm-without-antivirus.json")]);
    expect(code).toBe(1);
    expect(stdout).toContain('mandatory  critical  antivirus-installed             Azure VM "web-01" has no antivirus extension');
    expect(stdout).toContain("1 blocking, 1 advisory, 0 waived");
  });

  it("check: one client's text, its repeated advisory finding as one line (every finding stays in the JSON)", () => {
    const { code, stdout } = steward(["check", "--stack", "harbor-dental"]);
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: [
        "CLIENT         STATUS  ENDPOINTS  RINGS              CRITICAL  HIGH  MEDIUM  LOW  ADVISORY  WAIVED  NOT FULLY ENFORCED",
        "-------------  ------  ---------  -----------------  --------  ----  ------  ---  --------  ------  ------------------",
        "harbor-dental  pass    3          pilot(2) broad(1)  0         0     0       3    3         0       -",
        "",
        "harbor-dental: findings",
        "  warn  [patch-orchestration-unverified] 3 resources: hd-backup01, hd-fs01, hd-pms01",
        "",
      ].join("\n"),
    });
    const [client] = JSON.parse(steward(["check", "--stack", "harbor-dental", "--format", "json"]).stdout).clients;
    expect(client.findings.map((finding: { policy: string; message: string }) => `${finding.policy}: ${finding.message}`)).toEqual(
      ["hd-backup01", "HD-FS01", "HD-PMS01"].map(
        (name) => `patch-orchestration-unverified: Arc machine "${name}" is not managed by this stack, so its patch orchestration (patchMode, assessmentMode) is not verified here`,
      ),
    );
  });

  it("check: every example client passes, per-client table, exit 0", () => {
    const { code, stdout } = steward(["check"]);
    expect(code).toBe(0);
    const rows = stdout.split("\n").slice(2, 5).map((line) => line.split(/\s{2,}/).slice(0, 3));
    expect(rows).toEqual([
      ["contoso-legal", "pass", "5"],
      ["harbor-dental", "pass", "3"],
      ["northwind-logistics", "pass", "8"],
    ]);
  });

  it("check: blocking findings exit 1, with the findings in the JSON report", () => {
    const { code, stdout } = steward(["check", "--stacks-dir", fixtures("stacks"), "--stack", "risky-exclusions", "--format", "json"]);
    expect(code).toBe(1);
    const { version, clients } = JSON.parse(stdout);
    expect(version).toBe(1);
    expect(clients.map((client: { status: string; summary: { blocking: number } }) => [client.status, client.summary.blocking])).toEqual([["blocking", 6]]);
  });

  it("check: the policies not fully enforced for a client, in the table and the JSON report", () => {
    const args = ["check", "--stacks-dir", fixtures("stacks"), "--stack", "exceptions-in-force"];
    const { code, stdout } = steward(args);
    expect(code).toBe(0);
    const left = daysLeft("2027-02-24");
    const [header, , row] = stdout.split("\n");
    expect(header?.split(/\s{2,}/).at(-1)).toBe("NOT FULLY ENFORCED");
    expect(row?.split(/\s{2,}/)).toEqual(["wingtip-toys", "pass", "2", "pilot(1) broad(1)", "0", "0", "0", "2", "2", "2", "patch-orchestration antivirus-protection-on"]);
    expect(stdout).toContain(
      [
        "wingtip-toys: not fully enforced",
        `  patch-orchestration (high): disabled instead of mandatory until 2027-02-24 (${left} days left); hides 0 findings; approved by Dana Whitfield (Bluefin IT service manager): ${PATCHING_REASON}`,
        `  antivirus-protection-on (critical): waived on every resource (*) until 2027-02-24 (${left} days left); hides 2 findings; approved by Dana Whitfield (Bluefin IT service manager): ${SCANNING_REASON}`,
        "",
      ].join("\n"),
    );
    const json = JSON.parse(steward([...args, "--format", "json"]).stdout);
    expect(json.clients[0].notFullyEnforced).toEqual([
      {
        policy: "patch-orchestration",
        title: "Patch orchestration follows the update ring",
        severity: "high",
        defaultEnforcement: "mandatory",
        level: "disabled",
        resource: null,
        reason: PATCHING_REASON,
        approver: "Dana Whitfield (Bluefin IT service manager)",
        created: "2026-11-27",
        expires: "2027-02-24",
        daysLeft: left,
        findings: 0,
      },
      {
        policy: "antivirus-protection-on",
        title: "Antivirus real-time protection and weekly scans on",
        severity: "critical",
        defaultEnforcement: "mandatory",
        level: "waived",
        resource: "*",
        reason: SCANNING_REASON,
        approver: "Dana Whitfield (Bluefin IT service manager)",
        created: "2026-11-27",
        expires: "2027-02-24",
        daysLeft: left,
        findings: 2,
      },
    ]);
    // A client with nothing weakened has an empty list and no section.
    const plain = steward(["check", "--stack", "harbor-dental", "--format", "json"]);
    expect(JSON.parse(plain.stdout).clients[0].notFullyEnforced).toEqual([]);
    expect(steward(["check", "--stack", "harbor-dental"]).stdout).not.toContain("not fully enforced");
  });

  it("check: an override that is not justified does not lower the policy; it blocks (exit 1) and the loader refuses a bare advisory (exit 2)", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-overrides-"));
    try {
      const fixture = readFileSync(fixtures("stacks", "Pulumi.exceptions-in-force.yaml"), "utf8");
      writeFileSync(join(dir, "Pulumi.expired.yaml"), fixture.replace('        created: "2026-11-27"\n        expires: "2027-02-24"', '        created: "2026-08-01"\n        expires: "2026-10-30"'));
      const expired = steward(["check", "--stacks-dir", dir, "--stack", "expired", "--format", "json"]);
      expect(expired.code).toBe(1);
      const [client] = JSON.parse(expired.stdout).clients;
      expect(client.notFullyEnforced.map((entry: { policy: string }) => entry.policy)).toEqual(["antivirus-protection-on"]);
      expect(client.findings.filter((f: { policy: string }) => f.policy === "waivers-valid").map((f: { urn: string; message: string }) => [f.urn, f.message])).toEqual([
        ["enforcement:patch-orchestration", 'enforcement override of "patch-orchestration" to "disabled" is not applied (the policy stays mandatory): it expired on 2026-10-30'],
      ]);

      writeFileSync(join(dir, "Pulumi.bare.yaml"), fixture.replace(/ {6}patch-orchestration:\n( {8}.*\n)+/, "      patch-orchestration: advisory\n"));
      const bare = steward(["check", "--stacks-dir", dir, "--stack", "bare"]);
      expect(bare.code).toBe(2);
      expect(bare.stdout).toContain(
        `Pulumi.bare.yaml:50:28: config."steward:policy".enforcement."patch-orchestration": expected mandatory or a mapping: lowering a policy needs the justification a waiver has, written { level: advisory, reason: why, approver: who, created: YYYY-MM-DD, expires: YYYY-MM-DD } (found "advisory")`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("check and gate: antivirus settings Defender for Endpoint would not get are refused (exit 2), naming the machines", () => {
    const MDE =
      "is not deployed: Defender for Endpoint's extensions (MDE.Windows, MDE.Linux) take no antivirus settings, so LV-PMS01 and lv-xray01 would not get it; " +
      "set it where Defender for Endpoint's settings live (security settings management in the Defender portal or Intune, Group Policy, " +
      "or mdatp managed configuration on Linux) and remove it here, or use engine: antimalware (Microsoft Antimalware, Windows only)";
    const file = fixtures("stacks", "Pulumi.defender-settings.yaml");
    const check = steward(["check", "--stacks-dir", fixtures("stacks"), "--stack", "defender-settings", "--format", "json"]);
    expect(check.code).toBe(2);
    expect(JSON.parse(check.stdout).clients[0].problems).toEqual([
      `${file}:25:5: config."steward:antivirus".realtimeProtection: ${MDE}`,
      `${file}:26:5: config."steward:antivirus".exclusions: ${MDE}`,
    ]);
    const gate = steward(["gate", "-", "--stacks-dir", fixtures("stacks"), "--stack", "defender-settings"], JSON.stringify({ steps: [], changeSummary: {} }));
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain(`${file}:25:5: config."steward:antivirus".realtimeProtection: ${MDE}\n`);
  });

  it("check: an invalid stack file exits 2 and lists every problem with its position", () => {
    const { code, stdout } = steward(["check", "--stacks-dir", fixtures("stacks"), "--stack", "broken-typos"]);
    expect(code).toBe(2);
    expect(stdout).toContain("Pulumi.broken-typos.yaml:23:5: config.\"steward:antivirus\".realtimeProtecton: is not a known setting; did you mean realtimeProtection?");
    expect(stdout.match(/Pulumi\.broken-typos\.yaml:\d+:\d+: /g)).toHaveLength(7);
  });

  it.each([
    ["an unknown stack", ["check", "--stack", "nope"], undefined, /^steward: no stack "nope" in .*stacks \(have: contoso-legal, harbor-dental, northwind-logistics\)/],
    ["a missing file", ["evaluate", "/nonexistent/steward.json"], undefined, /^steward: cannot read \/nonexistent\/steward.json: ENOENT/],
    ["an empty document", ["evaluate", "-"], "", /^steward: standard input is empty; expected a normalized document \(JSON\)/],
    ["truncated JSON", ["evaluate", "-"], '{"version": 1', /^steward: standard input is not valid JSON: /],
    ["a document of another shape", ["evaluate", "-"], "{}", /^steward: standard input does not match the steward input schema \(version 1\):\n {2}\(document\): must have required property 'version'/],
    [
      "a document whose resource has no type",
      ["evaluate", "-"],
      JSON.stringify({ ...readJson<StewardInput>(fixtures("policies", "compliant-base.json")), resources: [{ urn: "urn:x" }] }),
      /^steward: standard input does not match the steward input schema \(version 1\):\n {2}\/resources\/0: must have required property 'type'/,
    ],
    ["an unknown command", ["bogus"], undefined, /error: unknown command 'bogus'/],
  ])("exits 2 on %s", (_case, args, input, message) => {
    const { code, stderr } = steward(args, input);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("writes a JSON report larger than a pipe's buffer out whole before exiting", () => {
    // spawnSync reads stdout through a pipe, where writes are asynchronous: exiting right after
    // the write used to cut the report at 64 KiB.
    const dir = mkdtempSync(join(tmpdir(), "steward-large-"));
    try {
      writeFileSync(join(dir, "Pulumi.large-client.yaml"), stackYaml("large-client", 150, 7));
      const { code, stdout } = steward(["check", "--stacks-dir", dir, "--format", "json"]);
      expect(stdout.length).toBeGreaterThan(65_536);
      const report = JSON.parse(stdout) as { clients: Array<{ endpoints: number }> };
      expect(report.clients.map((client) => client.endpoints)).toEqual([150]);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("STEWARD_NOW", () => {
  it("judges as of the instant it names: contoso-legal's waiver has lapsed by March 2027", () => {
    const at = (now: string) => spawnSync(process.execPath, [join(root, "bin", "steward.js"), "check", "--stack", "contoso-legal", "--format", "json"], { encoding: "utf8", env: { ...process.env, STEWARD_NOW: now } });
    const before = at("2027-02-19T23:00:00Z");
    const after = at("2027-03-01");
    const waiverFindings = (stdout: string) =>
      (JSON.parse(stdout) as { clients: Array<{ findings: Array<{ policy: string }> }> }).clients.flatMap((client) => client.findings).filter((finding) => finding.policy === "waivers-valid").length;
    expect([before.status, waiverFindings(before.stdout)]).toEqual([0, 0]);
    expect(after.status).toBe(1);
    expect(waiverFindings(after.stdout)).toBe(1);
  });

  it("is refused when it is not a date", () => {
    const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "check"], { encoding: "utf8", env: { ...process.env, STEWARD_NOW: "next tuesday" } });
    expect([result.status, result.stderr.trim()]).toEqual([2, 'steward: STEWARD_NOW is "next tuesday"; expected an RFC 3339 date or time such as 2026-11-30 or 2026-11-30T12:00:00Z']);
  });
});

describe("commands return their report and exit code, without writing anything", () => {
  it("check: blocking findings exit 1; an invalid stack file outranks them (exit 2)", async () => {
    const blocking = await checkReport({ stacksDir: fixtures("stacks"), stack: "risky-exclusions" });
    expect([blocking.exitCode, blocking.report.clients.map((client) => [client.stack, client.client, client.status, client.summary.blocking])]).toEqual([
      ExitCode.BLOCKING_FINDINGS,
      [["risky-exclusions", "tailspin-travel", "blocking", 6]],
    ]);
    const invalid = await checkReport({ stacksDir: fixtures("stacks") });
    expect(invalid.exitCode).toBe(ExitCode.BAD_INPUT);
    expect(invalid.report.clients.filter((client) => client.status === "invalid").map((client) => client.stack)).toEqual(["broken-typos", "defender-settings"]);
    expect(await checkReport({ stack: "harbor-dental" })).toMatchObject({ exitCode: ExitCode.PASS, report: { version: 1, clients: [{ client: "harbor-dental", status: "pass" }] } });
  });

  it("check: each finding points at the stack-file entry behind it (the exclusion, the endpoint), relative to the working directory", async () => {
    const { report } = await checkReport({ stacksDir: fixtures("stacks"), stack: "risky-exclusions" });
    const at = (line: number, column: number) => ({ file: "fixtures/stacks/Pulumi.risky-exclusions.yaml", line, column });
    // fixtures/stacks/Pulumi.risky-exclusions.yaml: paths at 26, extensions at 28, processes at 30; TT-APP01 at 32, TT-APP02 at 37.
    expect(report.clients[0]?.findings.map((finding) => [finding.policy, finding.message.replace(/^.* on "(TT-APP0\d)".*$/, "$1").replace(/^Azure VM "(TT-APP0\d)".*$/, "$1"), finding.location])).toEqual([
      ["antivirus-safe-exclusions", "TT-APP01", at(28, 11)],
      ["antivirus-safe-exclusions", "TT-APP01", at(26, 11)],
      ["antivirus-safe-exclusions", "TT-APP01", at(30, 11)],
      ["antivirus-safe-exclusions", "TT-APP02", at(28, 11)],
      ["antivirus-safe-exclusions", "TT-APP02", at(26, 11)],
      ["antivirus-safe-exclusions", "TT-APP02", at(30, 11)],
      ["patch-orchestration-unverified", "TT-APP01", at(32, 7)],
      ["patch-orchestration-unverified", "TT-APP02", at(37, 7)],
    ]);
    const text = renderCheck(report, "table").split("\n");
    const first = text.findIndex((line) => line.startsWith("  BLOCK"));
    expect(text.slice(first, first + 2)).toEqual([
      '  BLOCK [antivirus-safe-exclusions] Microsoft Antimalware extension "tailspin-travel-TT-APP01-antivirus" on "TT-APP01" excludes file extension ".ps1": never exclude a file type used in attacks',
      "        stack file: fixtures/stacks/Pulumi.risky-exclusions.yaml:28:11",
    ]);
  });

  it("coverage: a client the inventory does not cover cannot pass (exit 2); blocking machines exit 1", async () => {
    const problems = await coverageReport({ inventory: fixtures("inventory", "problems.json") });
    expect([problems.exitCode, problems.report.clients.map((client) => client.status), problems.report.outsideEveryScope]).toEqual([
      ExitCode.BLOCKING_FINDINGS,
      ["blocking", "pass", "blocking"],
      2,
    ]);
    const oneClient = await coverageReport({ inventory: fixtures("inventory", "scale-sets.json"), stack: "harbor-dental" });
    expect([oneClient.exitCode, oneClient.report.clients.map((client) => client.status)]).toEqual([ExitCode.BAD_INPUT, ["not-covered"]]);
  });

  it("evaluate and policies", () => {
    const evaluated = evaluateReport(fixtures("policies", "antivirus_installed", "disallowed", "windows-vm-without-antivirus.json"));
    expect([evaluated.exitCode, evaluated.report.version, evaluated.report.summary]).toEqual([ExitCode.BLOCKING_FINDINGS, 1, { blocking: 1, advisory: 1, waived: 0 }]);
    const { report, exitCode } = policiesReport();
    expect([exitCode, report.policies.length, report.policies[0]?.id]).toEqual([ExitCode.PASS, 14, "antivirus-installed"]);
  });

  it("gate and drift: the verdict on a recorded preview, and the catalog SARIF lists as rules", () => {
    const gated = gateReport(fixtures("pulumi", "northwind-logistics.noncompliant.preview.json"), { stack: "northwind-logistics", failOn: "any" });
    expect([gated.exitCode, gated.report.summary, gated.rules.length]).toEqual([ExitCode.BLOCKING_FINDINGS, { blocking: 1, advisory: 8, waived: 0, resources: 55 }, 14]);
    const drifted = driftReport(fixtures("pulumi", "northwind-logistics.drifted.refresh.json"), { stack: "northwind-logistics" });
    expect([drifted.exitCode, drifted.report.policies.summary, drifted.report.drifted.map((d) => d.urn.slice(d.urn.lastIndexOf("::") + 2))]).toEqual([
      ExitCode.BLOCKING_FINDINGS,
      { blocking: 2, advisory: 8, waived: 0, resources: 54 },
      ["northwind-logistics-nwl-web01-antivirus", "northwind-logistics-nwl-sql01-ring-assignment"],
    ]);
  });
});
