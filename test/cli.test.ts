// The built `steward` binary, as pipelines run it: exit codes and output formats.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtures, root } from "./support";

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
    const { code, stdout } = steward(["evaluate", fixtures("policies", "compliant-base.json")]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: "No findings.\n0 blocking, 0 advisory, 0 waived\n" });
  });

  it("exits 1 on a blocking finding and prints it", () => {
    const { code, stdout } = steward(["evaluate", fixtures("policies", "antivirus_installed", "disallowed", "windows-vm-without-antivirus.json")]);
    expect(code).toBe(1);
    expect(stdout).toContain('mandatory  critical  antivirus-installed  Azure VM "web-01" has no antivirus extension');
    expect(stdout).toContain("1 blocking, 0 advisory, 0 waived");
  });

  it.each([
    ["a missing file", ["evaluate", "/nonexistent/steward.json"], undefined, /^steward: cannot read \/nonexistent\/steward.json: ENOENT/],
    ["an empty document", ["evaluate", "-"], "", /^steward: standard input is empty; expected a normalized document \(JSON\)/],
    ["truncated JSON", ["evaluate", "-"], '{"version": 1', /^steward: standard input is not valid JSON: /],
    ["a document of another shape", ["evaluate", "-"], "{}", /^steward: standard input does not match the steward input schema \(version 1\):\n {2}\(document\): must have required property 'version'/],
    ["an unknown command", ["bogus"], undefined, /error: unknown command 'bogus'/],
  ])("exits 2 on %s", (_case, args, input, message) => {
    const { code, stderr } = steward(args, input);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
