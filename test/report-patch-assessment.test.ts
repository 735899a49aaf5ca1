// Question 6 from Azure Update Manager's patch assessment: `steward report --patch-assessment` as
// the CLI runs it, on the example clients (northwind-logistics: Azure VMs; harbor-dental: Arc
// machines) and fixtures/patch-assessment/fleet.json (what each machine there shows: its
// README.md). The rules are core/compliance/patching.ts's; the report is judged at STEWARD_NOW,
// 2026-11-30T12:00:00Z (vitest.config.mts).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPatchAssessment, reportProblems, type Answer, type ClientComplianceReport, type FleetOverview, type PatchAssessmentInput } from "../core/compliance";
import { parsePatchAssessment } from "../core/patch-assessment";
import { fixtures, root } from "./support";

const EXPORT = "fixtures/patch-assessment/fleet.json";
const NWL = "/subscriptions/8b1f6d2a-7c4e-4a39-b5d0-3e9c1f7a6d24";
const HD = "/subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourceGroups/rg-harbor-arc/providers/Microsoft.HybridCompute/machines";

function steward(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "report", ...args], { encoding: "utf8", cwd: root, env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CLIENT_ARGS = {
  "northwind-logistics": ["--deployed", "fixtures/pulumi/northwind-logistics.compliant.preview.json", "--inventory", "fixtures/inventory/compliant.json"],
  "harbor-dental": ["--deployed", "fixtures/pulumi/harbor-dental.stack-export.json", "--inventory", "fixtures/inventory/compliant.json"],
};

function report(client: keyof typeof CLIENT_ARGS, file = EXPORT, env: Record<string, string> = {}): ClientComplianceReport {
  const { code, stdout, stderr } = steward(["--stack", client, "--format", "json", ...CLIENT_ARGS[client], "--patch-assessment", file], env);
  expect([code, stderr]).toEqual([0, ""]);
  const parsed = JSON.parse(stdout) as ClientComplianceReport;
  expect(reportProblems(parsed)).toEqual([]);
  return parsed;
}

/** Question 6 on every machine: verdict, why, who knows. */
const patched = (parsed: ClientComplianceReport) =>
  Object.fromEntries(parsed.endpoints.map((row) => [row.name, [row.answers.patched.verdict, row.answers.patched.why, row.answers.patched.whoKnows]]));
const answerOf = (parsed: ClientComplianceReport, name: string) => parsed.endpoints.find((row) => row.name === name)?.answers.patched as Answer;

type Row = { id: string; type: string; properties: Record<string, unknown> };

/** fleet.json with its records edited, written to a scratch file. */
function variant(edit: (records: Row[]) => void): string {
  const document = JSON.parse(readFileSync(fixtures("patch-assessment", "fleet.json"), "utf8")) as { data: Row[]; count: number; total_records: number };
  edit(document.data);
  document.count = document.data.length;
  document.total_records = document.data.length;
  const file = join(mkdtempSync(join(tmpdir(), "steward-patch-")), "patch-assessment.json");
  writeFileSync(file, JSON.stringify(document));
  return file;
}
const summaryOf = (records: Row[], machine: string) => records.find((record) => record.id.toLowerCase().endsWith(`/${machine.toLowerCase()}/patchassessmentresults/latest`)) as Row;

const NO_ASSESSMENT_WHO = "Azure Update Manager: is periodic assessment on for it (assessmentMode AutomaticByPlatform)?";
const RUN_WHO = "Azure Update Manager (the machine's update history), once an assessment has finished";
const INSTALLATION_WHO = "Azure Update Manager's installation history (Resource Graph patchinstallationresources) for the ring's last window";

describe("steward report --patch-assessment: the verdicts", () => {
  it("Azure VMs: none missing, overdue, pending, failed, stale, no assessment, no per-update records, a restart pending", () => {
    expect(patched(report("northwind-logistics"))).toEqual({
      "nwl-jump01": ["yes", "its patch assessment of 2026-11-30T03:14:52.1234567Z finds no security or critical update missing", null],
      "nwl-web01": [
        "no",
        "1 security or critical update published before ring broad's window of 2026-11-18 22:00 (GMT Standard Time) still missing (its patch assessment of 2026-11-30T02:40:11.7300000Z): KB5068787",
        null,
      ],
      "nwl-web02": [
        "yes",
        "its patch assessment of 2026-11-30T01:05:33.9000000Z finds 1 security or critical update missing, published after ring fast's window of 2026-11-14 22:00 (GMT Standard Time) and pending until its next window, 2026-12-12 22:00: KB5070881",
        null,
      ],
      "nwl-sql01": [
        "no",
        "its patch assessment of 2026-11-30T04:31:02.4000000Z failed: AssessmentFailed: 1 error reported.; WindowsUpdateError: Windows Update failed to search for updates: 0x8024402C (the update service could not be reached).",
        null,
      ],
      "nwl-sql02": [
        "no",
        "its patch assessment of 2026-11-24T03:02:18.6000000Z is 6 days old: Update Manager assesses every 24 hours, so assessment has stopped and what it misses now is not known",
        null,
      ],
      "nwl-api01": ["not-verifiable", "the patch assessment export has no assessment of it", NO_ASSESSMENT_WHO],
      "nwl-api02": [
        "not-verifiable",
        "its patch assessment of 2026-11-30T00:46:40.0000000Z counts 2 security or critical updates missing and the export holds no per-update record of them, so whether they are overdue is not known",
        "Azure Resource Graph: export the patchassessmentresults/softwarepatches records with the summaries (the query in the README)",
      ],
      "nwl-etl01": ["no", "a restart is pending (its patch assessment of 2026-11-30T05:11:30.0000000Z): updates installed are not in effect until it restarts", null],
    });
  });

  it("Arc machines: none missing, pending, a Linux update without a publish date", () => {
    expect(patched(report("harbor-dental"))).toEqual({
      "HD-FS01": ["yes", "its patch assessment of 2026-11-30T02:07:44.0000000Z finds no security or critical update missing", null],
      "HD-PMS01": [
        "yes",
        "its patch assessment of 2026-11-30T02:16:06.9740000Z finds 1 security or critical update missing, published after ring broad's window of 2026-11-17 02:00 (UTC) and pending until its next window, 2026-12-15 02:00: KB5070881",
        null,
      ],
      "hd-backup01": [
        "not-verifiable",
        "1 missing security or critical update has no publish date (openssl 3.0.13-0ubuntu3.6), so whether it was due in ring pilot's window of 2026-11-11 02:00 (UTC) is not known",
        INSTALLATION_WHO,
      ],
    });
  });

  it("an Arc machine's update published before its ring's last window is overdue", () => {
    const file = variant((records) => {
      const update = records.find((record) => record.id.startsWith(`${HD}/HD-PMS01/`) && record.properties.kbId === "5070881") as Row;
      update.properties.publishedDateTime = "2026-11-10T18:00:00Z";
    });
    expect(patched(report("harbor-dental", file))["HD-PMS01"]).toEqual([
      "no",
      "1 security or critical update published before ring broad's window of 2026-11-17 02:00 (UTC) still missing (its patch assessment of 2026-11-30T02:16:06.9740000Z): KB5070881",
      null,
    ]);
  });

  it("an assessment still in progress, or completed with warnings, is not verifiable; with warnings an overdue update is still no", () => {
    const file = variant((records) => {
      summaryOf(records, "nwl-jump01").properties.status = "InProgress";
      Object.assign(summaryOf(records, "nwl-web02").properties, { status: "CompletedWithWarnings", errorDetails: { code: "PartialAssessment", message: "2 updates could not be assessed." } });
      summaryOf(records, "nwl-web01").properties.status = "CompletedWithWarnings";
    });
    const verdicts = patched(report("northwind-logistics", file));
    expect([verdicts["nwl-jump01"], verdicts["nwl-web02"], verdicts["nwl-web01"]?.[0]]).toEqual([
      ["not-verifiable", "its patch assessment of 2026-11-30T03:14:52.1234567Z is still in progress, so it gives no result", RUN_WHO],
      ["not-verifiable", "its patch assessment of 2026-11-30T01:05:33.9000000Z completed with warnings (PartialAssessment: 2 updates could not be assessed.), so the updates it counts may be incomplete", RUN_WHO],
      "no",
    ]);
  });

  it("an assessment is stale when it finished more than three days before the report", () => {
    // nwl-sql02's assessment finished at 2026-11-24T03:02:18.6Z.
    const at = (now: string) => patched(report("northwind-logistics", EXPORT, { STEWARD_NOW: now }))["nwl-sql02"]?.slice(0, 2);
    expect(at("2026-11-27T03:02:18Z")).toEqual(["yes", "its patch assessment of 2026-11-24T03:02:18.6000000Z finds no security or critical update missing"]);
    expect(at("2026-11-27T03:02:19Z")).toEqual([
      "no",
      "its patch assessment of 2026-11-24T03:02:18.6000000Z is 3 days old: Update Manager assesses every 24 hours, so assessment has stopped and what it misses now is not known",
    ]);
  });

  it("an assessment dated after the report is not one it rests on", () => {
    expect(patched(report("northwind-logistics", EXPORT, { STEWARD_NOW: "2026-11-24T03:02:18Z" }))["nwl-sql02"]).toEqual([
      "not-verifiable",
      "its patch assessment of 2026-11-24T03:02:18.6000000Z is dated after the report was judged (2026-11-24T03:02:18Z), so it is not a result the report can rest on",
      RUN_WHO,
    ]);
  });

  it("a summary counting no security or critical update beside per-update records of one is not a yes", () => {
    const file = variant((records) => {
      const counts = summaryOf(records, "nwl-web01").properties.availablePatchCountByClassification as Record<string, number>;
      counts.security = 0;
      counts.critical = 0;
    });
    expect(patched(report("northwind-logistics", file))["nwl-web01"]).toEqual([
      "not-verifiable",
      "its patch assessment of 2026-11-30T02:40:11.7300000Z counts 0 security or critical updates missing but the export holds per-update records of 1: the assessment and its records disagree, so neither is believed",
      RUN_WHO,
    ]);
  });

  it("a yes shows the assessment it rests on, and what no assessment covers", () => {
    const answer = answerOf(report("harbor-dental"), "HD-PMS01");
    const summary = `${HD}/HD-PMS01/patchAssessmentResults/latest`;
    expect(answer.evidence.filter((entry) => entry.policy === "patch-assessment")).toEqual([
      { resource: summary, setting: "properties.status", value: "Succeeded", policy: "patch-assessment" },
      { resource: summary, setting: "properties.lastModifiedDateTime", value: "2026-11-30T02:16:06.9740000Z", policy: "patch-assessment" },
      { resource: summary, setting: "properties.availablePatchCountByClassification.security", value: 1, policy: "patch-assessment" },
      { resource: summary, setting: "properties.availablePatchCountByClassification.critical", value: 0, policy: "patch-assessment" },
      { resource: summary, setting: "properties.rebootPending", value: false, policy: "patch-assessment" },
      {
        resource: `${HD}/HD-PMS01/patchAssessmentResults/latest/softwarePatches/661f7573-f070-55ec-9188-fdedf9a1431c`,
        setting: "properties.publishedDateTime",
        value: "2026-11-20T17:00:00Z",
        policy: "patch-assessment",
      },
    ]);
    expect([answer.waived, answer.limits]).toEqual([
      false,
      [
        {
          what: "software the OS vendor's update service or package manager does not offer the machine (applications, updates held back by its update source)",
          whoKnows: "a vulnerability assessment (Microsoft Defender Vulnerability Management)",
        },
      ],
    ]);
  });

  it("a failed assessment's evidence carries its errors' codes and messages", () => {
    const answer = answerOf(report("northwind-logistics"), "nwl-sql01");
    expect(answer.evidence.filter((entry) => entry.setting === "properties.errorDetails")).toEqual([
      {
        resource: `${NWL}/resourceGroups/RG-NWL-DATA-PROD/providers/Microsoft.Compute/virtualMachines/nwl-sql01/patchAssessmentResults/latest`,
        setting: "properties.errorDetails",
        value: ["AssessmentFailed: 1 error reported.", "WindowsUpdateError: Windows Update failed to search for updates: 0x8024402C (the update service could not be reached)."],
        policy: "patch-assessment",
      },
    ]);
  });

  it("records the export's sha256 among the report's inputs", () => {
    const inputs = report("harbor-dental").provenance.inputs;
    expect(inputs.find((input) => input.role === "patch-assessment")).toEqual({
      role: "patch-assessment",
      path: EXPORT,
      sha256: createHash("sha256").update(readFileSync(join(root, EXPORT))).digest("hex"),
    });
  });
});

describe("steward report --patch-assessment over the fleet", () => {
  it("gives every client's workers the same export: each finds its own machines, and the others' are ignored", () => {
    const deployed = mkdtempSync(join(tmpdir(), "steward-deployed-"));
    copyFileSync(fixtures("pulumi", "harbor-dental.stack-export.json"), join(deployed, "harbor-dental.json"));
    copyFileSync(fixtures("pulumi", "northwind-logistics.compliant.preview.json"), join(deployed, "northwind-logistics.json"));
    const { code, stdout, stderr } = steward(["--format", "json", "--deployed-dir", deployed, "--inventory", "fixtures/inventory/compliant.json", "--patch-assessment", EXPORT]);
    expect([code, stderr]).toEqual([0, ""]);
    const { reports } = JSON.parse(stdout) as { overview: FleetOverview; reports: ClientComplianceReport[] };
    expect(Object.fromEntries(reports.map((client) => [client.client.id, client.endpoints.map((row) => `${row.name} ${row.answers.patched.verdict}`)]))).toEqual({
      // The export has no assessment of contoso's machines.
      "contoso-legal": ["CTL-RDS01", "CTL-DMS01", "CTL-SQL01", "CTL-FS01", "ctl-scan01"].map((name) => `${name} not-verifiable`),
      "harbor-dental": ["HD-FS01 yes", "hd-backup01 not-verifiable", "HD-PMS01 yes"],
      // Worst first, as the report lists them.
      "northwind-logistics": ["nwl-etl01 no", "nwl-sql02 no", "nwl-web01 no", "nwl-sql01 no", "nwl-api02 not-verifiable", "nwl-api01 not-verifiable", "nwl-jump01 yes", "nwl-web02 yes"],
    });
  });

  it("writes the reports due with it (--due)", () => {
    const out = mkdtempSync(join(tmpdir(), "steward-due-"));
    const { code, stderr } = steward(["--due", "--date", "2026-11-30", "--out", out, "--format", "json", "--inventory", "fixtures/inventory/compliant.json", "--patch-assessment", EXPORT]);
    expect([code, stderr]).toEqual([0, ""]);
    const written = JSON.parse(readFileSync(join(out, "northwind-logistics", "2026-W48.json"), "utf8")) as ClientComplianceReport;
    // Judged from the plan: a yes of the assessment is not shown deployed; its no stands.
    expect([answerOf(written, "nwl-web01").verdict, answerOf(written, "nwl-jump01").why]).toEqual([
      "no",
      "planned, not shown deployed: the plan gives it what it needs (its patch assessment of 2026-11-30T03:14:52.1234567Z finds no security or critical update missing); nothing deployed was read",
    ]);
  });
});

describe("steward report --patch-assessment: failing closed", () => {
  it("refuses one page of a larger result", () => {
    const { code, stdout, stderr } = steward(["--stack", "harbor-dental", "--patch-assessment", "fixtures/patch-assessment/paged.json"]);
    expect([code, stdout, stderr]).toEqual([
      2,
      "",
      "steward: fixtures/patch-assessment/paged.json is one page of a larger Resource Graph result: skip_token is set (5 of 18 records); an incomplete export would leave machines' assessments or missing updates out. " +
        'Export every page (az graph query -q "..." --first 1000, then again with --skip-token <skip_token> until it is null) and combine the data arrays into one file\n',
    ]);
  });

  it("refuses malformed records, naming the file and each record's index, every problem at once", () => {
    const vm = `${NWL}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-jump01`;
    const type = "microsoft.compute/virtualmachines/patchassessmentresults";
    const file = variant((records) => {
      const good = structuredClone(summaryOf(records, "nwl-jump01"));
      const update = structuredClone(records.find((record) => record.type.endsWith("/softwarepatches")) as Row);
      records.splice(
        0,
        records.length,
        { id: `${vm}/patchAssessmentResults/latest`, type } as Row,
        { ...good, type: "microsoft.compute/virtualmachines/patchinstallationresults" },
        { ...good, properties: { ...good.properties, lastModifiedDateTime: "30/11/2026 03:14" } },
        { ...good, properties: { ...good.properties, rebootPending: "false", availablePatchCountByClassification: { security: 0, updates: -1 } } },
        { ...good, type: "microsoft.hybridcompute/machines/patchassessmentresults" },
        { ...good, properties: { ...good.properties, status: "Completed" } },
        { ...update, properties: { patchName: "KB5069012", publishedDateTime: "yesterday" } },
        { ...good, id: `${vm}/patchAssessmentResults/latest/softwarePatches/x` },
        "a record" as unknown as Row,
      );
    });
    const { code, stdout, stderr } = steward(["--stack", "northwind-logistics", "--patch-assessment", file]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      [
        `steward: 12 problems in the Resource Graph export ${file}:`,
        "  data[0]: missing properties",
        '  data[1].type: "microsoft.compute/virtualmachines/patchinstallationresults" is not a patch assessment record (expected microsoft.compute/virtualmachines/patchassessmentresults, ' +
          "microsoft.compute/virtualmachines/patchassessmentresults/softwarepatches, microsoft.hybridcompute/machines/patchassessmentresults, microsoft.hybridcompute/machines/patchassessmentresults/softwarepatches)",
        '  data[2].properties.lastModifiedDateTime: expected an RFC 3339 date and time (2026-11-10T18:00:00Z), got string "30/11/2026 03:14"',
        '  data[3].properties.rebootPending: expected true or false, got string "false"',
        "  data[3].properties.availablePatchCountByClassification.updates: expected a number of updates, got number -1",
        "  data[3].properties.availablePatchCountByClassification: missing critical",
        `  data[4].id: "${vm}/patchAssessmentResults/latest" is not <machine id>/patchAssessmentResults/latest of a microsoft.hybridcompute/machines machine`,
        '  data[5].properties.status: expected one of Succeeded, Failed, CompletedWithWarnings, InProgress, Unknown, got string "Completed"',
        "  data[6].properties.classifications: expected an array of classification names, got nothing",
        '  data[6].properties.publishedDateTime: expected an RFC 3339 date and time (2026-11-10T18:00:00Z), got string "yesterday"',
        "  ... and 2 more",
        "",
      ].join("\n"),
    );
  });

  it("reads counts by classification whatever their case, and refuses one classification written twice", () => {
    const capitalized = variant((records) => {
      const counts = summaryOf(records, "nwl-web01").properties.availablePatchCountByClassification as Record<string, number>;
      summaryOf(records, "nwl-web01").properties.availablePatchCountByClassification = Object.fromEntries(
        Object.entries(counts).map(([classification, count]) => [classification.charAt(0).toUpperCase() + classification.slice(1), count]),
      );
    });
    expect(answerOf(report("northwind-logistics", capitalized), "nwl-web01")).toEqual(answerOf(report("northwind-logistics"), "nwl-web01"));

    const twice = variant((records) => {
      summaryOf(records, "nwl-jump01").properties.availablePatchCountByClassification = { security: 0, Security: 1, critical: 0 };
    });
    const { code, stderr } = steward(["--stack", "northwind-logistics", "--patch-assessment", twice]);
    expect([code, stderr]).toEqual([
      2,
      `steward: 1 problem in the Resource Graph export ${twice}:\n  data[0].properties.availablePatchCountByClassification: security and Security are one classification written twice\n`,
    ]);
  });

  it("refuses an update's id on a summary, a record without id, type or properties, and one that is not an object", () => {
    const file = variant((records) => {
      records.splice(
        0,
        records.length,
        { ...summaryOf(records, "nwl-jump01"), id: `${NWL}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/patchAssessmentResults/latest/softwarePatches/x` },
        {} as Row,
        "a record" as unknown as Row,
      );
    });
    const { code, stdout, stderr } = steward(["--stack", "northwind-logistics", "--patch-assessment", file]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      [
        `steward: 5 problems in the Resource Graph export ${file}:`,
        `  data[0].id: "${NWL}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/patchAssessmentResults/latest/softwarePatches/x" is not <machine id>/patchAssessmentResults/latest of a microsoft.compute/virtualmachines machine`,
        "  data[1]: missing id",
        "  data[1]: missing type",
        "  data[1]: missing properties",
        '  data[2]: expected a record (object), got string "a record"',
        "",
      ].join("\n"),
    );
  });

  it("refuses two different assessments of one machine", () => {
    const file = variant((records) => {
      const again = structuredClone(summaryOf(records, "nwl-jump01"));
      again.properties.status = "Failed";
      records.push(again);
    });
    expect(steward(["--stack", "northwind-logistics", "--patch-assessment", file]).stderr).toBe(
      `steward: 1 problem in the Resource Graph export ${file}:\n` +
        `  data[18].id: "${NWL}/resourceGroups/rg-nwl-app-prod/providers/Microsoft.Compute/virtualMachines/nwl-jump01/patchAssessmentResults/latest" is also the id of an earlier, different record; export one assessment per machine\n`,
    );
  });

  it("counts a record repeated by combined pages once", () => {
    const file = variant((records) => {
      records.push(structuredClone(records[0] as Row));
    });
    expect(parsePatchAssessment(readFileSync(file, "utf8"), file)).toEqual(parsePatchAssessment(readFileSync(fixtures("patch-assessment", "fleet.json"), "utf8"), EXPORT));
  });
});

describe("readPatchAssessment: what it cannot decide", () => {
  const machines = parsePatchAssessment(readFileSync(fixtures("patch-assessment", "fleet.json"), "utf8"), EXPORT);
  const web01 = { id: `${NWL}/resourcegroups/rg-nwl-app-prod/providers/microsoft.compute/virtualmachines/nwl-web01`, urn: "urn:pulumi:northwind-logistics::steward::nwl-web01" };
  const broad = { name: "broad", order: 3, patchTuesdayOffsetDays: 8, startTime: "22:00", duration: "03:55", timeZone: "GMT Standard Time", exclusions: { kbNumbers: [], packages: [] } };
  const input = (rings: unknown[]): PatchAssessmentInput => ({ machines, rings: rings as PatchAssessmentInput["rings"], judgedAt: "2026-11-30T12:00:00Z" });

  it("an update the ring excludes is never installed by it: no, whenever it was published", () => {
    const excluding = (exclusions: { kbNumbers?: string[]; packages?: string[] }) => ({ ...broad, exclusions: { kbNumbers: [], packages: [], ...exclusions } });
    // nwl-web01: KB5068787, overdue in ring broad; written with or without "KB".
    for (const kb of ["KB5068787", "5068787", "kb5068787"]) {
      expect(readPatchAssessment(web01, "broad", input([excluding({ kbNumbers: [kb] })])).no).toEqual([
        "1 security or critical update missing (its patch assessment of 2026-11-30T02:40:11.7300000Z) that ring broad excludes (exclusions), so it never installs it: KB5068787",
      ]);
    }
    // hd-backup01 (Linux): openssl, with no publish date, left out by a package mask.
    const backup = { id: "/subscriptions/5c3e9a4f-2d71-4b8e-9f16-0a7d3c2e8b51/resourcegroups/rg-harbor-arc/providers/microsoft.hybridcompute/machines/hd-backup01", urn: "urn:pulumi:harbor-dental::steward::hd-backup01" };
    const masked = readPatchAssessment(backup, "broad", input([excluding({ packages: ["open*"] })]));
    expect([masked.no, masked.unknown]).toEqual([["1 security or critical update missing (its patch assessment of 2026-11-30T01:41:12.0000000Z) that ring broad excludes (exclusions), so it never installs it: openssl 3.0.13-0ubuntu3.6"], []]);
    // A mask is matched whole: "open" does not leave out "openssl".
    expect(readPatchAssessment(backup, "broad", input([excluding({ packages: ["open"] })])).no).toEqual([]);
  });

  it("without a ring, or a time zone steward knows, when an update was due is not known", () => {
    expect(readPatchAssessment(web01, null, input([broad])).unknown).toEqual([
      {
        what: "its patch assessment of 2026-11-30T02:40:11.7300000Z counts 1 security or critical update missing, and it is in no update ring steward knows, so when they were due is not known",
        whoKnows: INSTALLATION_WHO,
      },
    ]);
    expect(readPatchAssessment(web01, "broad", input([{ ...broad, timeZone: "Atlantis Standard Time" }])).unknown).toEqual([
      {
        what: 'its patch assessment of 2026-11-30T02:40:11.7300000Z counts 1 security or critical update missing, and steward does not know ring broad\'s time zone "Atlantis Standard Time", so when they were due is not known',
        whoKnows: INSTALLATION_WHO,
      },
    ]);
  });

  it("an export holding fewer per-update records than the assessment counts decides nothing", () => {
    const fewer = new Map(
      [...machines].map(([id, machine]) => [
        id,
        machine.machineId.endsWith("/nwl-web01") && machine.summary !== null
          ? { ...machine, summary: { ...machine.summary, availablePatchCountByClassification: { security: 1, critical: 2 } } }
          : machine,
      ]),
    );
    const reading = readPatchAssessment(web01, "broad", { ...input([broad]), machines: fewer });
    expect([reading.no, reading.unknown.map((limit) => limit.what)]).toEqual([
      [],
      ["its patch assessment of 2026-11-30T02:40:11.7300000Z counts 3 security or critical updates missing and the export holds per-update records of 1, so whether they are overdue is not known"],
    ]);
  });
});
