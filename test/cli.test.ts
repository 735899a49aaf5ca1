// The built `steward` binary, as pipelines run it: exit codes and output formats.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackYaml } from "../bench/synthetic";
import { describe, expect, it } from "vitest";
import type { StewardInput } from "../core/document";
import { fixtures, readJson, root } from "./support";

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

  it("exits 1 on a blocking finding and prints it", () => {
    const { code, stdout } = steward(["evaluate", fixtures("policies", "antivirus_installed", "disallowed", "windows-vm-without-antivirus.json")]);
    expect(code).toBe(1);
    expect(stdout).toContain('mandatory  critical  antivirus-installed             Azure VM "web-01" has no antivirus extension');
    expect(stdout).toContain("1 blocking, 1 advisory, 0 waived");
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
