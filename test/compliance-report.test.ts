// `steward report` as the CLI runs it, on the example clients and the fixtures in fixtures/pulumi/
// and fixtures/inventory/. The whole reports are committed under fixtures/reports/ and compared
// byte for byte; after a deliberate change, regenerate them with
// `STEWARD_WRITE_FIXTURES=1 npx vitest run test/compliance-report.test.ts` and review the diff.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedOverview, overviewProblems, reportProblems, type ClientComplianceReport, type FleetOverview } from "../core/compliance";
import { ExitCode, StewardError } from "../core/errors";
import { failingReport, fixtures, root } from "./support";

function steward(args: string[], env: NodeJS.ProcessEnv = {}) {
  // From the checkout, so that the reports name their inputs by paths relative to it.
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "report", ...args], { encoding: "utf8", cwd: root, env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function snapshot(name: string, text: string): void {
  const path = fixtures("reports", name);
  if (process.env.STEWARD_WRITE_FIXTURES === "1") writeFileSync(path, text);
  expect(existsSync(path), `${name} is not recorded; run STEWARD_WRITE_FIXTURES=1 npx vitest run test/compliance-report.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(path, "utf8"));
}

const CLIENTS: Record<string, string[]> = {
  // Deployed (a stack export), every machine in the inventory, Update Manager's patch assessment.
  "harbor-dental": [
    "--deployed",
    "fixtures/pulumi/harbor-dental.stack-export.json",
    "--inventory",
    "fixtures/inventory/compliant.json",
    "--patch-assessment",
    "fixtures/patch-assessment/fleet.json",
  ],
  // Deployed (a preview's state before its change), refreshed with drift, an inventory with
  // problems, Update Manager's patch assessment (fixtures/patch-assessment/README.md).
  "northwind-logistics": [
    "--deployed",
    "fixtures/pulumi/northwind-logistics.compliant.preview.json",
    "--refresh",
    "fixtures/pulumi/northwind-logistics.drifted.refresh.json",
    "--inventory",
    "fixtures/inventory/problems.json",
    "--patch-assessment",
    "fixtures/patch-assessment/fleet.json",
  ],
  // Nothing deployed given: the plan, so nothing can be shown to be yes.
  "contoso-legal": [],
};

describe("steward report, one client", () => {
  it.each(Object.keys(CLIENTS))("writes %s's whole JSON report, valid against the published schema", (client) => {
    const { code, stdout, stderr } = steward(["--stack", client, "--format", "json", ...(CLIENTS[client] as string[])]);
    expect([code, stderr]).toEqual([0, ""]);
    expect(reportProblems(JSON.parse(stdout))).toEqual([]);
    snapshot(`${client}.json`, stdout);
  });

  it("writes northwind-logistics's report as Markdown", () => {
    const { code, stdout } = steward(["--stack", "northwind-logistics", ...(CLIENTS["northwind-logistics"] as string[])]);
    expect(code).toBe(0);
    snapshot("northwind-logistics.md", stdout);
  });

  it("answers each question per machine from the evidence", () => {
    const report = JSON.parse(steward(["--stack", "northwind-logistics", "--format", "json", ...(CLIENTS["northwind-logistics"] as string[])]).stdout) as ClientComplianceReport;
    const verdicts = Object.fromEntries(report.endpoints.map((row) => [row.name, Object.values(row.answers).map((answer) => answer.verdict).join(" ")]));
    expect(verdicts).toEqual({
      // real-time protection switched off in the portal (the refresh); a security update overdue
      "nwl-web01": "yes no yes yes yes no",
      // Resource Graph shows patchMode AutomaticByOS
      "nwl-web02": "yes yes yes yes yes no",
      // its ring assignment deleted outside Pulumi (and its assessment failed)
      "nwl-sql01": "yes yes yes yes yes no",
      // in the inventory, declared by nobody
      "nwl-test03": "no no no no no no",
      "nwl-build01": "no no no no no no",
      // assessed today, nothing security or critical missing
      "nwl-jump01": "yes yes yes yes yes yes",
      // Linux: Defender for Endpoint, whose real-time protection Pulumi does not show; a restart pending
      "nwl-etl01": "yes not-verifiable yes yes yes no",
      // two security updates counted, none of their records exported
      "nwl-api02": "yes not-verifiable yes yes yes not-verifiable",
      // its last assessment six days old
      "nwl-sql02": "yes yes yes yes yes no",
      // no assessment in the export
      "nwl-api01": "yes not-verifiable yes yes yes not-verifiable",
    });
    const working = report.endpoints.find((row) => row.name === "nwl-web01")?.answers.working;
    expect(working?.evidence.find((entry) => entry.setting === "settings.RealtimeProtectionEnabled")).toEqual({
      resource: "urn:pulumi:northwind-logistics::steward::steward:index:ClientBaseline$steward:index:ManagedEndpoint$azure-native:compute:VirtualMachineExtension::northwind-logistics-nwl-web01-antivirus",
      setting: "settings.RealtimeProtectionEnabled",
      value: "false",
      policy: "antivirus-protection-on",
    });
    expect(report.drift.resources.map((resource) => [resource.question, resource.kind, resource.urn.slice(resource.urn.lastIndexOf("::") + 2)])).toEqual([
      ["antivirus", "changed", "northwind-logistics-nwl-web01-antivirus"],
      ["patching", "deleted", "northwind-logistics-nwl-sql01-ring-assignment"],
    ]);
  });

  it("judges the plan when nothing deployed is given, and says so", () => {
    const report = JSON.parse(steward(["--stack", "contoso-legal", "--format", "json"]).stdout) as ClientComplianceReport;
    expect([report.basis.state, report.status, report.summary.answers]).toEqual(["planned", "not-verifiable", { yes: 0, waived: 0, no: 0, notVerifiable: 30 }]);
    expect(report.endpoints[0]?.answers.installed.whoKnows).toBe("the stack's deployed state (`pulumi stack export`, given with --deployed)");
    expect(report.questions[0]?.limits).toEqual([
      { what: "machines in the client's subscriptions that the stack file does not declare were not looked for", whoKnows: "Azure Resource Graph (give --inventory)" },
    ]);
  });

  it("shows the trend against a previous report", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-report-"));
    const previous = join(dir, "previous.json");
    writeFileSync(previous, steward(["--stack", "northwind-logistics", "--format", "json", "--deployed", "fixtures/pulumi/northwind-logistics.compliant.preview.json"]).stdout);
    const report = JSON.parse(steward(["--stack", "northwind-logistics", "--format", "json", ...(CLIENTS["northwind-logistics"] as string[]), "--previous", previous]).stdout) as ClientComplianceReport;
    expect(report.trend?.status).toEqual({ from: "not-verifiable", to: "no" });
    expect(report.trend?.findings.from).toBe(8);
    expect(report.trend?.findings.to).toBe(14);
    // The previous report had no patch assessment: question 6 was not verifiable on every machine.
    expect(report.trend?.changes).toEqual([
      { endpoint: "nwl-etl01", question: "patched", from: "not-verifiable", to: "no" },
      { endpoint: "nwl-web02", question: "patched", from: "not-verifiable", to: "no" },
      { endpoint: "nwl-sql02", question: "patched", from: "not-verifiable", to: "no" },
      { endpoint: "nwl-web01", question: "working", from: "yes", to: "no" },
      { endpoint: "nwl-web01", question: "patched", from: "not-verifiable", to: "no" },
      { endpoint: "nwl-sql01", question: "patched", from: "not-verifiable", to: "no" },
      ...["installed", "working", "up-to-date", "catching-threats", "latest-release", "patched"].map((question) => ({ endpoint: "nwl-test03", question, from: null, to: "no" })),
      ...["installed", "working", "up-to-date", "catching-threats", "latest-release", "patched"].map((question) => ({ endpoint: "nwl-build01", question, from: null, to: "no" })),
      { endpoint: "nwl-jump01", question: "patched", from: "not-verifiable", to: "yes" },
    ]);
  });
});

describe("steward report, reading a report made before patchAssessment was added", () => {
  it("takes it as the previous report: the schema only ever adds fields, and this one is optional", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-report-"));
    const previous = join(dir, "previous.json");
    const { patchAssessment, ...older } = JSON.parse(readFileSync(fixtures("reports", "northwind-logistics.json"), "utf8")) as ClientComplianceReport;
    expect(patchAssessment.checked).toBe(true);
    writeFileSync(previous, JSON.stringify(older));
    const { code, stdout, stderr } = steward(["--stack", "northwind-logistics", "--format", "json", ...(CLIENTS["northwind-logistics"] as string[]), "--previous", previous]);
    expect([code, stderr]).toEqual([0, ""]);
    expect((JSON.parse(stdout) as ClientComplianceReport).trend?.changes).toEqual([]);
  });
});

describe("steward report, failing closed", () => {
  it("refuses another stack's deployed state, naming the file", () => {
    const { code, stdout, stderr } = steward(["--stack", "contoso-legal", "--deployed", "fixtures/pulumi/harbor-dental.stack-export.json"]);
    expect([code, stdout, stderr]).toEqual([2, "", 'steward: fixtures/pulumi/harbor-dental.stack-export.json is the Pulumi state of stack "harbor-dental", not of "contoso-legal"\n']);
  });

  it("refuses an input it cannot read, naming the file", () => {
    const { code, stderr } = steward(["--stack", "contoso-legal", "--inventory", "fixtures/inventory/absent.json"]);
    expect([code, stderr]).toEqual([2, "steward: cannot read fixtures/inventory/absent.json: ENOENT: no such file or directory, open 'fixtures/inventory/absent.json'\n"]);
  });

  it("refuses a stack export as a refresh preview", () => {
    const { code, stderr } = steward(["--stack", "harbor-dental", "--refresh", "fixtures/pulumi/harbor-dental.stack-export.json"]);
    expect([code, stderr]).toEqual([2, "steward: fixtures/pulumi/harbor-dental.stack-export.json is a stack export; --refresh takes a refresh preview (`pulumi refresh --preview-only --json`)\n"]);
  });

  it("ends with exit 3 when making the report fails (a bug), naming the stack file", () => {
    const { code, stdout, stderr } = steward(["--stack", "harbor-dental"], failingReport("harbor-dental"));
    expect([code, stdout]).toEqual([ExitCode.INTERNAL, ""]);
    const [message, ...trace] = stderr.trimEnd().split("\n");
    expect(message).toBe(
      "steward: the report of stacks/Pulumi.harbor-dental.yaml could not be made: internal error: Error: injected by test/support/failing-report.ts into the report of harbor-dental",
    );
    // Where it failed, for the bug report.
    expect(trace.length).toBeGreaterThan(0);
    expect(trace.filter((line) => !line.startsWith("    at "))).toEqual([]);
  });

  it("reports every other client when one client's input is another stack's, and exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-report-"));
    copyFileSync(fixtures("pulumi", "harbor-dental.stack-export.json"), join(dir, "contoso-legal.json"));
    const { code, stdout, stderr } = steward(["--deployed-dir", dir, "--format", "json"]);
    expect(code).toBe(2);
    expect(stderr).toBe(`steward: 1 client(s) could not be reported:\n  contoso-legal: ${join(dir, "contoso-legal.json")} is the Pulumi state of stack "harbor-dental", not of "contoso-legal"\n`);
    const { overview, reports } = JSON.parse(stdout);
    expect(reports.map((report: ClientComplianceReport) => [report.client.id, report.basis.state])).toEqual([
      ["harbor-dental", "planned"],
      ["northwind-logistics", "planned"],
    ]);
    expect(overview.problems).toEqual([{ stack: "contoso-legal", problem: `${join(dir, "contoso-legal.json")} is the Pulumi state of stack "harbor-dental", not of "contoso-legal"` }]);
  });
});

describe("steward report --due", () => {
  const run = (date: string, stacksDir?: string) => {
    const out = mkdtempSync(join(tmpdir(), "steward-due-"));
    const result = steward(["--due", "--date", date, "--out", out, "--format", "json", ...(stacksDir ? ["--stacks-dir", stacksDir] : [])]);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(JSON.parse(result.stdout)).toEqual(manifest);
    const written = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(out.length + 1))
      .sort();
    return { manifest, written, out };
  };

  it("writes the weekly reports on a Monday, for the week before", () => {
    const { manifest, written } = run("2026-11-30");
    expect(manifest).toEqual({
      version: 1,
      kind: "steward-report-manifest",
      generatedAt: "2026-11-30T12:00:00Z",
      date: "2026-11-30",
      due: true,
      reports: [
        {
          client: "northwind-logistics",
          stack: "northwind-logistics",
          schedule: "weekly",
          period: "2026-W48",
          status: "not-verifiable",
          recipients: ["it-leads@northwind-logistics.example", "priya.raman@bluefin-it.example"],
          files: ["northwind-logistics/2026-W48.md", "northwind-logistics/2026-W48.json", "northwind-logistics/2026-W48.html"],
        },
      ],
      overview: [],
      problems: [],
    });
    expect(written).toEqual(["manifest.json", "northwind-logistics/2026-W48.html", "northwind-logistics/2026-W48.json", "northwind-logistics/2026-W48.md"]);
  });

  it("writes the monthly reports on the 1st, for the month before", () => {
    const { manifest, written, out } = run("2026-12-01");
    expect(manifest.reports.map((entry: { client: string; period: string; recipients: string[] }) => [entry.client, entry.period, entry.recipients])).toEqual([
      ["contoso-legal", "2026-11", ["jordan.ellis@contoso-legal.example", "compliance@contoso-legal.example"]],
      ["harbor-dental", "2026-11", ["maria.okafor@harbordental.example"]],
    ]);
    expect(written).toEqual([
      "contoso-legal/2026-11.html",
      "contoso-legal/2026-11.json",
      "contoso-legal/2026-11.md",
      "harbor-dental/2026-11.html",
      "harbor-dental/2026-11.json",
      "harbor-dental/2026-11.md",
      "manifest.json",
    ]);
    const report = JSON.parse(readFileSync(join(out, "harbor-dental", "2026-11.json"), "utf8")) as ClientComplianceReport;
    expect([report.period, report.schedule.from, report.schedule.to]).toEqual([
      { schedule: "monthly", label: "2026-11", start: "2026-11-01", end: "2026-11-30", due: "2026-12-01", complete: true },
      "2026-12-01",
      "2026-12-31",
    ]);
  });

  it("writes the monthly and quarterly reports on 1 January", () => {
    const stacks = mkdtempSync(join(tmpdir(), "steward-stacks-"));
    for (const client of ["contoso-legal", "northwind-logistics"]) copyFileSync(join(root, "stacks", `Pulumi.${client}.yaml`), join(stacks, `Pulumi.${client}.yaml`));
    const harbor = readFileSync(join(root, "stacks", "Pulumi.harbor-dental.yaml"), "utf8").replace("    reporting:\n", "    reporting:\n      schedule: quarterly\n");
    writeFileSync(join(stacks, "Pulumi.harbor-dental.yaml"), harbor);
    const { manifest } = run("2027-01-01", stacks);
    expect(manifest.reports.map((entry: { client: string; schedule: string; period: string }) => [entry.client, entry.schedule, entry.period])).toEqual([
      ["contoso-legal", "monthly", "2026-12"],
      ["harbor-dental", "quarterly", "2026-Q4"],
    ]);
  });

  it("writes nothing but the manifest on a day nothing is due", () => {
    const { manifest, written } = run("2026-12-02");
    expect([manifest.reports, written]).toEqual([[], ["manifest.json"]]);
  });

  it("needs a folder to write into", () => {
    const { code, stderr } = steward(["--due"]);
    expect([code, stderr]).toEqual([2, "steward: --due writes the reports due that day: give --out DIR to archive them in\n"]);
  });
});

describe("steward report, the fleet", () => {
  it("writes every client's current report and the overview, worst first, linking to each", () => {
    const out = mkdtempSync(join(tmpdir(), "steward-fleet-"));
    const deployed = mkdtempSync(join(tmpdir(), "steward-deployed-"));
    copyFileSync(fixtures("pulumi", "harbor-dental.stack-export.json"), join(deployed, "harbor-dental.json"));
    copyFileSync(fixtures("pulumi", "contoso-legal.brownfield.preview.json"), join(deployed, "contoso-legal.json"));
    const { code, stdout } = steward(["--out", out, "--deployed-dir", deployed, "--inventory", "fixtures/inventory/compliant.json"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "# Reports written on 2026-11-30",
        "",
        "| Client | Period | Status | Recipients | Files |",
        "| --- | --- | --- | --- | --- |",
        "| contoso-legal | 2026-11 | ❌ no | jordan.ellis@contoso-legal.example, compliance@contoso-legal.example | contoso-legal/2026-11.md, contoso-legal/2026-11.json, contoso-legal/2026-11.html |",
        "| harbor-dental | 2026-11 | ➖ not verifiable | maria.okafor@harbordental.example | harbor-dental/2026-11.md, harbor-dental/2026-11.json, harbor-dental/2026-11.html |",
        "| northwind-logistics | 2026-W49 | ➖ not verifiable | it-leads@northwind-logistics.example, priya.raman@bluefin-it.example | northwind-logistics/2026-W49.md, northwind-logistics/2026-W49.json, northwind-logistics/2026-W49.html |",
        "",
        "Fleet overview: fleet/2026-11-30.md, fleet/2026-11-30.json, fleet/2026-11-30.html",
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(out, "fleet", "2026-11-30.md"), "utf8")).toBe(
      [
        "# Compliance overview, 2026-11-30",
        "",
        "3 clients, worst first: ❌ no 1, ➖ not verifiable 2, ✅ yes 0.",
        "",
        "| Client | Status | Period | Machines | ❌ no | ➖ not verifiable | ✅ yes | Open findings | Trend |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| [Contoso Legal LLP](../contoso-legal/2026-11.md) | ❌ no | 2026-11 | 5 | 5 | 9 | 16 | 1 critical, 0 high, 0 medium, 5 low | - |",
        "| [Northwind Logistics Ltd](../northwind-logistics/2026-W49.md) | ➖ not verifiable | 2026-W49 | 8 | 0 | 48 | 0 | 0 critical, 0 high, 0 medium, 8 low | - |",
        "| [Harbor Dental Practice](../harbor-dental/2026-11.md) | ➖ not verifiable | 2026-11 | 3 | 0 | 6 | 12 | 0 critical, 0 high, 0 medium, 3 low | - |",
        "",
      ].join("\n"),
    );
  });
});

describe("the fleet overview's published schema (core/schema/fleet-overview.schema.json)", () => {
  let printed: FleetOverview;
  let written: FleetOverview;
  let scratch: string;
  /** A copy of the written overview, changed by `edit`, in a file. */
  const broken = (edit: (overview: FleetOverview & Record<string, unknown>) => void) => {
    const overview = structuredClone(written) as FleetOverview & Record<string, unknown>;
    edit(overview);
    return overview;
  };
  beforeAll(() => {
    // The example fleet's overview on standard output (no trend), then as --out writes it, deployed
    // states given and with the trend against the first.
    scratch = mkdtempSync(join(tmpdir(), "steward-overview-"));
    const first = steward(["--format", "json"]);
    expect([first.code, first.stderr]).toEqual([0, ""]);
    const previous = join(scratch, "previous.json");
    writeFileSync(previous, first.stdout);
    const deployed = join(scratch, "deployed");
    mkdirSync(deployed);
    copyFileSync(fixtures("pulumi", "harbor-dental.stack-export.json"), join(deployed, "harbor-dental.json"));
    copyFileSync(fixtures("pulumi", "contoso-legal.brownfield.preview.json"), join(deployed, "contoso-legal.json"));
    const out = join(scratch, "out");
    const again = steward(["--out", out, "--previous", previous, "--deployed-dir", deployed, "--format", "json"]);
    expect([again.code, again.stderr]).toEqual([0, ""]);
    printed = (JSON.parse(first.stdout) as { overview: FleetOverview }).overview;
    written = JSON.parse(readFileSync(join(out, "fleet", "2026-11-30.json"), "utf8")) as FleetOverview;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("the example fleet's overview matches it: printed, and written with every client's trend", () => {
    expect(printed.clients.map((client) => [client.client, client.status, client.trend])).toEqual([
      ["northwind-logistics", "not-verifiable", null],
      ["contoso-legal", "not-verifiable", null],
      ["harbor-dental", "not-verifiable", null],
    ]);
    expect(written.clients.map((client) => [client.client, client.status, client.trend?.status, client.trend?.changes.length])).toEqual([
      ["contoso-legal", "no", { from: "not-verifiable", to: "no" }, 21],
      ["northwind-logistics", "not-verifiable", { from: "not-verifiable", to: "not-verifiable" }, 0],
      ["harbor-dental", "not-verifiable", { from: "not-verifiable", to: "not-verifiable" }, 12],
    ]);
    expect(overviewProblems(printed)).toEqual([]);
    expect(overviewProblems(written)).toEqual([]);
    expect(checkedOverview(written)).toBe(written);
  });

  it("refuses an overview whose verdict is not one (exit 3: steward made it), saying where", () => {
    const maybe = broken((overview) => {
      (overview.clients[1] as { status: string }).status = "maybe";
    });
    expect(overviewProblems(maybe)).toEqual(["/clients/1/status: must be equal to one of the allowed values"]);
    let refusal: unknown;
    try {
      checkedOverview(maybe);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StewardError);
    expect([(refusal as StewardError).exitCode, (refusal as StewardError).message]).toEqual([
      ExitCode.INTERNAL,
      "the fleet overview does not match its own schema (a bug):\n  /clients/1/status: must be equal to one of the allowed values",
    ]);
  });

  it("is closed: an unknown field, a missing one and a trend's wrong verdict are each refused", () => {
    const problems = overviewProblems(
      broken((overview) => {
        overview.owner = "nobody";
        delete (overview.clients[0] as Partial<FleetOverview["clients"][number]>).endpoints;
        (overview.clients[2]?.trend?.status as { to: string }).to = "fine";
      }),
    );
    expect(problems).toEqual([
      "(overview): must NOT have additional properties",
      "/clients/0: must have required property 'endpoints'",
      "/clients/2/trend/status/to: must be equal to one of the allowed values",
      "/clients/2/trend: must be null",
      "/clients/2/trend: must match a schema in anyOf",
    ]);
  });

  it("refuses a previous overview that does not match it, naming the file (exit 2)", () => {
    const previous = join(scratch, "broken-previous.json");
    writeFileSync(previous, JSON.stringify(broken((overview) => delete (overview.clients[0] as Partial<FleetOverview["clients"][number]>).endpoints)));
    const { code, stdout, stderr } = steward(["--previous", previous]);
    expect([code, stdout, stderr]).toEqual([2, "", `steward: ${previous} does not match the fleet overview schema (version 1):\n  /clients/0: must have required property 'endpoints'\n`]);
  });
});
