// Fleet runs (cli/fleet.ts): every client on a pool of worker threads, results in stack order, a
// broken client reported as such while the rest still run, the worst client's exit code, and the
// progress and summary on standard error. The workers run the built code (dist/), as the CLI does.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkExitCode, checkReport, checkTask } from "../cli/commands/check";
import { coverageReport, coverageTask } from "../cli/commands/coverage";
import { fleetDriftReport } from "../cli/commands/drift";
import { refuseSharedClientIds, runFleet, worstExitCode, type FleetObserver } from "../cli/fleet";
import { FleetProgress } from "../cli/fleet-progress";
import { renderCheck } from "../cli/formats/check";
import { uncheckedMessage } from "../cli/formats/coverage";
import { progressText, summaryText } from "../cli/formats/fleet";
import { CHECK_STATUSES, type CheckStatus, type ClientCheck } from "../cli/reports";
import { ExitCode, InputError, StewardError } from "../core/errors";
import { crashingCheckTask, probeTask, type ProbeAction, type ProbeJob, type ProbeResult, type ProbeShared } from "./support/fleet-tasks";
import { failingReport, fixtures, root } from "./support";

const shared = (others = 0, failPrepare?: string): ProbeShared => ({ finished: new SharedArrayBuffer(4), others, ...(failPrepare === undefined ? {} : { failPrepare }) });
const probes = (...actions: ProbeAction[]): ProbeJob[] => actions.map((action, index) => ({ id: `job-${index}`, action }));
const summaryOf = (results: Array<{ id: string; status: string; message: string | null }>) => results.map(({ id, status, message }) => [id, status, message]);

function recorder<Result>() {
  const events: Array<[string, ...number[]]> = [];
  const observer: FleetObserver<Result> = {
    started: (jobs, workers) => events.push(["started", jobs, workers]),
    settled: () => events.push(["settled"]),
  };
  return { events, observer };
}

describe("runFleet", () => {
  it("takes jobs from one queue: while a worker is held by a slow job the other takes every other job; results in job order", async () => {
    const jobs = probes("wait-for-others", "pass", "pass", "pass", "pass", "pass");
    const results = await runFleet(probeTask, shared(5), jobs, { jobs: 2 });
    expect(summaryOf(results)).toEqual([
      ["job-0", "pass", "released after 5 others"],
      ...jobs.slice(1).map(({ id }) => [id, "pass", null]),
    ]);
    const [held, ...rest] = results.map((result) => result.thread);
    expect(new Set(rest).size).toBe(1);
    expect(rest[0]).not.toBe(held);
    expect([held, rest[0]]).not.toContain(threadId);
    // Each worker prepared the task once, however many jobs it ran.
    expect(new Set(results.map((result) => result.prepared))).toEqual(new Set([1]));
  });

  it("a job that throws is that job's failure, with its message; the others still run", async () => {
    const results = await runFleet(probeTask, shared(), probes("pass", "throw", "pass"), { jobs: 2 });
    expect(results.map(({ id, status }) => [id, status])).toEqual([
      ["job-0", "pass"],
      ["job-1", "error"],
      ["job-2", "pass"],
    ]);
    expect(results[1]?.message).toMatch(/^internal error: Error: job-1 failed\n {4}at /);
  });

  it("a worker that dies under a job: that job is an internal error, and a new worker runs the rest", async () => {
    const results = await runFleet(probeTask, shared(), probes("pass", "exit", "pass", "pass", "pass"), { jobs: 2 });
    expect(summaryOf(results)).toEqual([
      ["job-0", "pass", null],
      ["job-1", "error", "internal error: the worker running it stopped: it exited with code 70"],
      ["job-2", "pass", null],
      ["job-3", "pass", null],
      ["job-4", "pass", null],
    ]);
  });

  it("does not hang when every worker dies: each job is reported", async () => {
    const { events, observer } = recorder<ProbeResult>();
    const results = await runFleet(probeTask, shared(), probes("exit", "exit", "exit"), { jobs: 2 }, observer);
    expect(results.map((result) => result.status)).toEqual(["error", "error", "error"]);
    expect(events).toEqual([["started", 3, 2], ["settled"], ["settled"], ["settled"]]);
  });

  it("a task that cannot be prepared fails the whole run with its error's exit code", async () => {
    const failing = runFleet(probeTask, shared(0, "no inventory"), probes("pass", "pass"), { jobs: 2 });
    await expect(failing).rejects.toThrow(new StewardError("no inventory", ExitCode.BAD_INPUT));
    await expect(failing).rejects.toMatchObject({ exitCode: ExitCode.BAD_INPUT });
    await expect(runFleet(probeTask, shared(0, "no inventory"), probes("pass"), { jobs: 1 })).rejects.toMatchObject({ message: "no inventory", exitCode: ExitCode.BAD_INPUT });
  });

  it("--jobs 1, or a single job, runs in this thread: the same results, the task prepared once", async () => {
    const { events, observer } = recorder<ProbeResult>();
    const results = await runFleet(probeTask, shared(), probes("pass", "throw", "pass"), { jobs: 1 }, observer);
    expect(results.map(({ id, status, thread }) => [id, status, thread])).toEqual([
      ["job-0", "pass", threadId],
      ["job-1", "error", -1],
      ["job-2", "pass", threadId],
    ]);
    expect(results[2]?.prepared).toBe((results[0]?.prepared ?? 0));
    expect(events).toEqual([["started", 3, 0], ["settled"], ["settled"], ["settled"]]);
    const single = recorder<ProbeResult>();
    expect((await runFleet(probeTask, shared(), probes("pass"), { jobs: 8 }, single.observer)).map((result) => result.thread)).toEqual([threadId]);
    expect(single.events[0]).toEqual(["started", 1, 0]);
  });

  it("starts no more workers than there are jobs", async () => {
    const { events, observer } = recorder<ProbeResult>();
    await runFleet(probeTask, shared(), probes("pass", "pass", "pass"), { jobs: 8 }, observer);
    expect(events[0]).toEqual(["started", 3, 3]);
  });
});

describe("worstExitCode", () => {
  it("internal error over bad input over blocking findings over pass", () => {
    expect(worstExitCode([])).toBe(ExitCode.PASS);
    expect(worstExitCode([ExitCode.PASS, ExitCode.BLOCKING_FINDINGS, ExitCode.PASS])).toBe(ExitCode.BLOCKING_FINDINGS);
    expect(worstExitCode([ExitCode.BAD_INPUT, ExitCode.BLOCKING_FINDINGS])).toBe(ExitCode.BAD_INPUT);
    expect(worstExitCode([ExitCode.BLOCKING_FINDINGS, ExitCode.INTERNAL, ExitCode.BAD_INPUT])).toBe(ExitCode.INTERNAL);
  });
});

describe("refuseSharedClientIds", () => {
  it("names every client id declared more than once, with each file declaring it; a file that could not be read declares none", () => {
    const files = (...entries: Array<[string, string | null]>) => entries.map(([file, client]) => ({ file: join(tmpdir(), file), client }));
    expect(() => refuseSharedClientIds(files(["a.yaml", "alpha"], ["b.yaml", null], ["c.yaml", "beta"], ["d.yaml", null]))).not.toThrow();
    let refusal: unknown;
    try {
      refuseSharedClientIds(files(["a.yaml", "alpha"], ["b.yaml", "beta"], ["c.yaml", "alpha"], ["d.yaml", "gamma"], ["e.yaml", "beta"], ["f.yaml", "alpha"]));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as InputError).message).toBe(
      [
        "more than one stack file declares the same client id; give each client one stack file:",
        `  "alpha": ${join(tmpdir(), "a.yaml")}, ${join(tmpdir(), "c.yaml")}, ${join(tmpdir(), "f.yaml")}`,
        `  "beta": ${join(tmpdir(), "b.yaml")}, ${join(tmpdir(), "e.yaml")}`,
      ].join("\n"),
    );
  });
});

describe("a client whose worker dies", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "steward-crash-"));
    for (const stack of ["harbor-dental", "northwind-logistics"]) copyFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`));
    copyFileSync(join(root, "stacks", "Pulumi.harbor-dental.yaml"), join(dir, "Pulumi.crash-me.yaml"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is reported as `error` with why, the others are judged, and the check exits 3", async () => {
    const jobs = ["crash-me", "harbor-dental", "northwind-logistics"].map((stack) => ({ stack, file: join(dir, `Pulumi.${stack}.yaml`) }));
    const clients = await runFleet(crashingCheckTask, { now: new Date("2026-11-30T12:00:00Z") }, jobs, { jobs: 2 });
    expect(clients.map(({ stack, client, status, problems }) => [stack, client, status, problems])).toEqual([
      ["crash-me", null, "error", ["internal error: the worker running it stopped: it exited with code 70"]],
      ["harbor-dental", "harbor-dental", "pass", []],
      ["northwind-logistics", "northwind-logistics", "pass", []],
    ]);
    expect(checkExitCode(clients)).toBe(ExitCode.INTERNAL);
    expect(checkExitCode(clients.slice(1))).toBe(ExitCode.PASS);
  });
});

describe("a client that could not be judged, in the text formats", () => {
  const failure = "internal error: Error: wasm trap\n    at evaluate (core/engine.ts:1:1)";

  it("check: its own section, the message and its stack indented", async () => {
    const { report } = await checkReport({ stack: "harbor-dental", jobs: 1 });
    const [client] = report.clients;
    const failed = checkTask.failed({ stack: "acme", file: "stacks/Pulumi.acme.yaml" }, failure);
    const text = renderCheck({ ...report, clients: [failed, client as ClientCheck] }, "table");
    expect(text.split("\n").slice(2, 4).map((line) => line.split(/\s{2,}/).slice(0, 2))).toEqual([
      ["acme", "error"],
      ["harbor-dental", "pass"],
    ]);
    expect(text).toContain("\nacme: could not be checked\n  internal error: Error: wasm trap\n      at evaluate (core/engine.ts:1:1)\n");
  });

  it("coverage: standard error says which client and why, in one line", () => {
    const failed = coverageTask.failed({ stack: "acme", file: "stacks/Pulumi.acme.yaml" }, failure).coverage;
    const report = { version: 1 as const, inventory: { file: "inventory.json", machines: 0 }, clients: [failed], outsideEveryScope: 0, summary: { clients: 1, pass: 0, blocking: 0, "not-covered": 0, invalid: 0, error: 1 } };
    expect(uncheckedMessage(report)).toBe("coverage could not be checked for 1 client:\n  acme: could not be compared: internal error: Error: wasm trap");
  });
});

describe("progress and summary", () => {
  const statuses = CHECK_STATUSES;
  const counts = (pass: number, blocking: number, invalid: number, error: number): Record<CheckStatus, number> => ({ pass, blocking, invalid, error });

  it("reads as the issue asks", () => {
    expect(progressText(412, 1000, statuses, counts(408, 3, 1, 0))).toBe("checked 412/1000 clients (3 blocking, 1 invalid)");
    expect(progressText(5, 10, statuses, counts(5, 0, 0, 0))).toBe("checked 5/10 clients");
    expect(summaryText(1000, statuses, counts(990, 8, 2, 0), 9_412, 2)).toBe("1000 clients: 990 pass, 8 blocking, 2 invalid (9.4 s, 2 workers)");
    expect(summaryText(1, statuses, counts(0, 0, 0, 1), 350, 0)).toBe("1 client: 1 error (0.3 s, in-process)");
  });

  /** A stand-in for standard error, and a clock the test moves. */
  function harness(isTTY: boolean) {
    const writes: string[] = [];
    let now = 0;
    const progress = new FleetProgress({ isTTY, write: (text: string) => writes.push(text) }, statuses, () => now);
    return { writes, progress, at: (ms: number) => (now = ms) };
  }

  it("on a terminal: one line redrawn at most every 100 ms, cleared when the last client is done, then the summary", () => {
    const { writes, progress, at } = harness(true);
    progress.started(4, 2);
    at(150);
    progress.settled({ status: "pass" });
    at(200);
    progress.settled({ status: "blocking" });
    at(260);
    progress.settled({ status: "pass" });
    at(300);
    progress.settled({ status: "invalid" });
    progress.finish();
    expect(writes).toEqual([
      "\rchecked 0/4 clients\x1b[K",
      "\rchecked 1/4 clients\x1b[K",
      "\rchecked 3/4 clients (1 blocking)\x1b[K",
      "\r\x1b[K",
      "4 clients: 2 pass, 1 blocking, 1 invalid (0.3 s, 2 workers)\n",
    ]);
  });

  it("elsewhere: nothing for a short run; past two seconds a plain line each tenth, the last left to the summary", () => {
    const quick = harness(false);
    quick.progress.started(20, 2);
    for (let done = 1; done <= 20; done += 1) quick.progress.settled({ status: "pass" });
    quick.at(1_500);
    quick.progress.finish();
    expect(quick.writes).toEqual(["20 clients: 20 pass (1.5 s, 2 workers)\n"]);

    const slow = harness(false);
    slow.progress.started(20, 2);
    for (let done = 1; done <= 20; done += 1) {
      slow.at(done * 500);
      slow.progress.settled({ status: done === 7 ? "blocking" : "pass" });
    }
    slow.progress.finish();
    expect(slow.writes).toEqual([
      ...[4, 6].map((done) => `checked ${done}/20 clients\n`),
      ...[8, 10, 12, 14, 16, 18].map((done) => `checked ${done}/20 clients (1 blocking)\n`),
      "20 clients: 19 pass, 1 blocking (10.0 s, 2 workers)\n",
    ]);
  });
});

function steward(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("steward check over the fleet", () => {
  it("--jobs 2 and --jobs 1 write the same report, in stack order, with the fleet's summary; JSON leaves standard error quiet", () => {
    const args = ["check", "--stacks-dir", fixtures("stacks"), "--format", "json"];
    const workers = steward([...args, "--jobs", "2"]);
    const inProcess = steward([...args, "--jobs", "1"]);
    expect([workers.code, workers.stderr]).toEqual([ExitCode.BAD_INPUT, ""]);
    expect(inProcess).toEqual(workers);
    const report = JSON.parse(workers.stdout);
    expect(report.clients.map((client: { stack: string; status: string }) => [client.stack, client.status])).toEqual([
      ["broken-typos", "invalid"],
      ["defender-settings", "invalid"],
      ["exceptions-in-force", "pass"],
      ["risky-exclusions", "blocking"],
      ["scale-sets", "pass"],
    ]);
    expect(report.summary).toEqual({ clients: 5, pass: 2, blocking: 1, invalid: 2, error: 0 });
  });

  it("the table ends with the summary on standard error; one client (--stack) has none", () => {
    const fleet = steward(["check", "--stacks-dir", fixtures("stacks")]);
    expect(fleet.code).toBe(ExitCode.BAD_INPUT);
    expect(fleet.stderr).toMatch(/^5 clients: 2 pass, 1 blocking, 2 invalid \(\d+\.\d s, 2 workers\)\n$/);
    expect(steward(["check", "--stacks-dir", fixtures("stacks"), "--jobs", "1"]).stderr).toMatch(/^5 clients: 2 pass, 1 blocking, 2 invalid \(\d+\.\d s, in-process\)\n$/);
    expect(steward(["check", "--stack", "harbor-dental"]).stderr).toBe("");
  });

  it("a stack file that cannot be read is that client's problem; the others are judged", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-unreadable-"));
    try {
      copyFileSync(join(root, "stacks", "Pulumi.harbor-dental.yaml"), join(dir, "Pulumi.harbor-dental.yaml"));
      mkdirSync(join(dir, "Pulumi.a-folder.yaml"));
      const { code, stdout } = steward(["check", "--stacks-dir", dir, "--format", "json"]);
      expect(code).toBe(ExitCode.BAD_INPUT);
      expect(JSON.parse(stdout).clients.map((client: { stack: string; status: string; problems: string[] }) => [client.stack, client.status, client.problems])).toEqual([
        ["a-folder", "invalid", [`cannot read client configuration ${join(dir, "Pulumi.a-folder.yaml")}: EISDIR: illegal operation on a directory, read`]],
        ["harbor-dental", "pass", []],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([["0"], ["-1"], ["two"], ["1.5"]])("refuses --jobs %s (exit 2)", (jobs) => {
    const { code, stderr } = steward(["check", "--jobs", jobs]);
    expect(code).toBe(ExitCode.BAD_INPUT);
    expect(stderr).toContain(`error: option '-j, --jobs <n>' argument '${jobs}' is invalid. expected a whole number of at least 1`);
  });
});

describe("steward coverage over the fleet", () => {
  it("on workers as in this thread: the same clients, and the same machines outside every scope", async () => {
    const options = { inventory: fixtures("inventory", "problems.json") };
    const workers = await coverageReport({ ...options, jobs: 2 });
    expect(await coverageReport({ ...options, jobs: 1 })).toEqual(workers);
    expect([workers.exitCode, workers.report.outsideEveryScope, workers.report.summary]).toEqual([
      ExitCode.BLOCKING_FINDINGS,
      2,
      { clients: 3, pass: 1, blocking: 2, "not-covered": 0, invalid: 0, error: 0 },
    ]);
  });
});

describe("steward drift over the fleet", () => {
  let previews: string;
  beforeAll(() => {
    previews = mkdtempSync(join(tmpdir(), "steward-previews-"));
    copyFileSync(fixtures("pulumi", "northwind-logistics.drifted.refresh.json"), join(previews, "northwind-logistics.json"));
    writeFileSync(join(previews, "contoso-legal.json"), "{}");
  });
  afterAll(() => rmSync(previews, { recursive: true, force: true }));

  it("--previews-dir: each client's <stack>.json judged against its stack file; a missing or wrong preview is that client's problem", async () => {
    const { report, exitCode } = await fleetDriftReport({ previewsDir: previews });
    expect(exitCode).toBe(ExitCode.BAD_INPUT);
    expect(report.clients.map(({ stack, client, status, preview, problems }) => [stack, client, status, preview, problems])).toEqual([
      [
        "contoso-legal",
        null,
        "invalid",
        join(previews, "contoso-legal.json"),
        [
          `${join(previews, "contoso-legal.json")} is not a Pulumi document steward reads: expected \`pulumi preview --json\` (an object with "steps"), an engine event log (one JSON event per line) or \`pulumi stack export\` (an object with "deployment")`,
        ],
      ],
      [
        "harbor-dental",
        null,
        "invalid",
        join(previews, "harbor-dental.json"),
        [`no refresh preview ${join(previews, "harbor-dental.json")}: write it with \`pulumi refresh --preview-only --json --stack harbor-dental > ${join(previews, "harbor-dental.json")}\``],
      ],
      ["northwind-logistics", "northwind-logistics", "blocking", join(previews, "northwind-logistics.json"), []],
    ]);
    expect(report.summary).toEqual({ clients: 3, pass: 0, drifted: 0, blocking: 1, invalid: 2, error: 0 });
    // The client's report is the one `steward drift FILE --stack` gives.
    const single = steward(["drift", fixtures("pulumi", "northwind-logistics.drifted.refresh.json"), "--stack", "northwind-logistics", "--format", "json"]);
    expect(report.clients[2]?.report).toEqual(JSON.parse(single.stdout));
  });

  it("from the CLI: the table, then each drifted client's drift; --stack with --previews-dir reads that client's file", () => {
    const { code, stdout, stderr } = steward(["drift", "--previews-dir", previews]);
    expect(code).toBe(ExitCode.BAD_INPUT);
    expect(stdout.split("\n").slice(0, 5)).toEqual([
      "CLIENT               STATUS    DRIFTED  BLOCKING  ADVISORY  REFRESH PREVIEW",
      "-------------------  --------  -------  --------  --------  " + "-".repeat(join(previews, "northwind-logistics.json").length),
      `contoso-legal        invalid   0        0         0         ${join(previews, "contoso-legal.json")}`,
      `harbor-dental        invalid   0        0         0         ${join(previews, "harbor-dental.json")}`,
      `northwind-logistics  blocking  2        2         8         ${join(previews, "northwind-logistics.json")}`,
    ]);
    expect(stdout).toContain(
      [
        "northwind-logistics: drift",
        "  QUESTION   DRIFT    RESOURCE                                       WHAT CHANGED",
        "  ---------  -------  ---------------------------------------------  -----------------------------------------------------",
        '  antivirus  changed  northwind-logistics-nwl-web01-antivirus        settings.RealtimeProtectionEnabled: "true" -> "false"',
        "  patching   deleted  northwind-logistics-nwl-sql01-ring-assignment  deleted outside Pulumi",
      ].join("\n"),
    );
    expect(stderr).toMatch(/^3 clients: 1 blocking, 2 invalid \(\d+\.\d s, 2 workers\)\n$/);
    const one = steward(["drift", "--previews-dir", previews, "--stack", "northwind-logistics", "--format", "json"]);
    expect([one.code, JSON.parse(one.stdout).policies.summary.blocking]).toEqual([ExitCode.BLOCKING_FINDINGS, 2]);
  });

  it("refuses a file with --previews-dir, and a --previews-dir that is not a folder (exit 2)", () => {
    expect(steward(["drift", "x.json", "--previews-dir", previews])).toMatchObject({
      code: ExitCode.BAD_INPUT,
      stderr: "steward: --previews-dir takes the place of the file: give it with --stack for one client, or alone for every client\n",
    });
    const missing = join(previews, "nope");
    expect(steward(["drift", "--previews-dir", missing])).toMatchObject({ code: ExitCode.BAD_INPUT, stderr: `steward: --previews-dir ${missing} is not a folder\n` });
  });

  it("without --previews-dir runs `pulumi refresh --preview-only --json` for every stack, as child processes; a failing one is that client's problem", () => {
    const bin = mkdtempSync(join(tmpdir(), "steward-pulumi-"));
    try {
      // A stand-in `pulumi`: the recorded refresh preview for northwind-logistics, a failure for any other stack.
      const recorded = fixtures("pulumi", "northwind-logistics.drifted.refresh.json");
      writeFileSync(
        join(bin, "pulumi"),
        [
          "#!/bin/sh",
          'for last; do :; done',
          'case "$*" in',
          `  "refresh --preview-only --json --non-interactive --stack northwind-logistics") cat '${recorded}' ;;`,
          '  *) echo "error: no stack named $last" >&2; exit 255 ;;',
          "esac",
        ].join("\n"),
      );
      chmodSync(join(bin, "pulumi"), 0o755);
      const { code, stdout } = steward(["drift", "--format", "json", "--cwd", root], { PATH: `${bin}${delimiter}${process.env.PATH}` });
      expect(code).toBe(ExitCode.BAD_INPUT);
      const report = JSON.parse(stdout);
      expect(report.clients.map((client: { stack: string; status: string; preview: string }) => [client.stack, client.status, client.preview])).toEqual([
        ["contoso-legal", "invalid", "pulumi refresh --preview-only --stack contoso-legal"],
        ["harbor-dental", "invalid", "pulumi refresh --preview-only --stack harbor-dental"],
        ["northwind-logistics", "blocking", "pulumi refresh --preview-only --stack northwind-logistics"],
      ]);
      expect(report.clients[0].problems).toEqual([
        `\`pulumi refresh --preview-only --json --non-interactive --stack contoso-legal\` failed in ${root} (exit 255):\n  error: no stack named contoso-legal`,
      ]);
      expect(report.clients[2].report.drifted).toHaveLength(2);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

/** Every file an archive holds, by its path in it, with its bytes. */
function archive(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => join(entry.parentPath, entry.name)).sort().map((file) => [relative(dir, file), readFileSync(file)]));
}

describe("steward report over the fleet", () => {
  let deployed: string;
  let outs: string[] = [];
  const outFolder = () => {
    const out = mkdtempSync(join(tmpdir(), "steward-report-fleet-"));
    outs.push(out);
    return out;
  };
  beforeAll(() => {
    deployed = mkdtempSync(join(tmpdir(), "steward-deployed-"));
    copyFileSync(fixtures("pulumi", "harbor-dental.stack-export.json"), join(deployed, "harbor-dental.json"));
    copyFileSync(fixtures("pulumi", "contoso-legal.brownfield.preview.json"), join(deployed, "contoso-legal.json"));
  });
  afterAll(() => {
    for (const dir of [deployed, ...outs]) rmSync(dir, { recursive: true, force: true });
    outs = [];
  });

  it.each([
    ["every client's current report and the overview", [], ["contoso-legal/2026-11.md", "fleet/2026-11-30.md", "harbor-dental/2026-11.md", "northwind-logistics/2026-W49.md"], "3 clients: 2 not-verifiable, 1 non-compliant"],
    ["--due: the reports due on 1 December", ["--due", "--date", "2026-12-01"], ["contoso-legal/2026-11.md", "harbor-dental/2026-11.md"], "3 clients: 1 not-verifiable, 1 non-compliant, 1 not-due"],
  ])("%s: --jobs 2 writes the archive --jobs 1 writes, byte for byte, and says so on standard output", (_, extra, markdown, summary) => {
    const args = ["report", "--deployed-dir", deployed, "--inventory", fixtures("inventory", "compliant.json"), ...extra];
    const [workersOut, inProcessOut] = [outFolder(), outFolder()];
    const workers = steward([...args, "--out", workersOut, "--jobs", "2"]);
    const inProcess = steward([...args, "--out", inProcessOut, "--jobs", "1"]);
    expect([workers.code, workers.stderr]).toEqual([ExitCode.PASS, expect.stringMatching(new RegExp(`^${summary} \\(\\d+\\.\\d s, 2 workers\\)\n$`))]);
    expect([inProcess.code, inProcess.stderr]).toEqual([ExitCode.PASS, expect.stringMatching(new RegExp(`^${summary} \\(\\d+\\.\\d s, in-process\\)\n$`))]);
    expect(inProcess.stdout.replaceAll(inProcessOut, "OUT")).toBe(workers.stdout.replaceAll(workersOut, "OUT"));
    const written = archive(workersOut);
    expect([...written.keys()].filter((path) => path.endsWith(".md"))).toEqual(markdown);
    expect(archive(inProcessOut)).toEqual(written);
  });

  it.each([["2"], ["1"]])(
    "--jobs %s: a client whose report fails to be made (a bug) is reported as such (exit 3, naming its stack file); the others are still written",
    (jobs) => {
      const out = outFolder();
      const { code, stdout, stderr } = steward(["report", "--out", out, "--format", "json", "--jobs", jobs], failingReport("harbor-dental"));
      const problem = "the report of stacks/Pulumi.harbor-dental.yaml could not be made: internal error: Error: injected by test/support/failing-report.ts into the report of harbor-dental";
      expect(code).toBe(ExitCode.INTERNAL);
      const [summary, client, ...trace] = stderr.trimEnd().split("\n");
      expect([summary, client]).toEqual(["steward: 1 client(s) could not be reported:", `  harbor-dental: ${problem}`]);
      // Where it failed, for the bug report.
      expect(trace.length).toBeGreaterThan(0);
      expect(trace.filter((line) => !line.startsWith("    at "))).toEqual([]);
      const manifest = JSON.parse(stdout) as { reports: Array<{ stack: string; files: string[] }>; problems: Array<{ stack: string; problem: string }> };
      expect(manifest.reports.map((entry) => entry.stack)).toEqual(["contoso-legal", "northwind-logistics"]);
      expect(manifest.problems.map((entry) => [entry.stack, entry.problem.split("\n")[0]])).toEqual([["harbor-dental", problem]]);
      expect([...archive(out).keys()]).toEqual([...manifest.reports.flatMap((entry) => entry.files), "fleet/2026-11-30.html", "fleet/2026-11-30.json", "fleet/2026-11-30.md", "manifest.json"].sort());
      // The workers' staging folder is gone.
      expect(readdirSync(out).sort()).toEqual(["contoso-legal", "fleet", "manifest.json", "northwind-logistics"]);
    },
  );

  it("a client whose stack file is invalid is reported as such (exit 2, naming the file); the others are still written, in stack order", () => {
    const stacks = mkdtempSync(join(tmpdir(), "steward-stacks-"));
    outs.push(stacks);
    for (const client of ["contoso-legal", "harbor-dental", "northwind-logistics"]) copyFileSync(join(root, "stacks", `Pulumi.${client}.yaml`), join(stacks, `Pulumi.${client}.yaml`));
    const broken = join(stacks, "Pulumi.ducks.yaml");
    writeFileSync(broken, "config: {}\n");
    const out = outFolder();
    const { code, stdout, stderr } = steward(["report", "--stacks-dir", stacks, "--out", out, "--format", "json", "--jobs", "2"]);
    const problem = `invalid stack file ${broken}: ${broken}:1:1: config."steward:client": is required; ${broken}:1:1: config."steward:endpoints": is required`;
    // JSON on standard output: standard error holds the problem alone, no progress or summary.
    expect([code, stderr]).toEqual([ExitCode.BAD_INPUT, `steward: 1 client(s) could not be reported:\n  ducks: ${problem}\n`]);
    const manifest = JSON.parse(stdout) as { reports: Array<{ stack: string; files: string[] }>; problems: unknown[] };
    expect(manifest.reports.map((entry) => entry.stack)).toEqual(["contoso-legal", "harbor-dental", "northwind-logistics"]);
    expect(manifest.problems).toEqual([{ stack: "ducks", problem }]);
    expect([...archive(out).keys()]).toEqual([...manifest.reports.flatMap((entry) => entry.files), "fleet/2026-11-30.html", "fleet/2026-11-30.json", "fleet/2026-11-30.md", "manifest.json"].sort());
  });
});

describe("two stack files that declare the same client", () => {
  let stacks: string;
  let previews: string;
  /** Whatever the command, the same refusal: exit 2, nothing on standard output. */
  const refusal = () => ({
    code: ExitCode.BAD_INPUT,
    stdout: "",
    stderr:
      "steward: more than one stack file declares the same client id; give each client one stack file:\n" +
      `  "northwind-logistics": ${join(stacks, "Pulumi.northwind-logistics.yaml")}, ${join(stacks, "Pulumi.northwind-staging.yaml")}\n`,
  });
  beforeAll(() => {
    // A second stack for the client, its stack file copied without changing the id.
    stacks = mkdtempSync(join(tmpdir(), "steward-stacks-"));
    for (const stack of ["harbor-dental", "northwind-logistics"]) copyFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), join(stacks, `Pulumi.${stack}.yaml`));
    copyFileSync(join(root, "stacks", "Pulumi.northwind-logistics.yaml"), join(stacks, "Pulumi.northwind-staging.yaml"));
    previews = mkdtempSync(join(tmpdir(), "steward-previews-"));
    const refresh = readFileSync(fixtures("pulumi", "northwind-logistics.drifted.refresh.json"), "utf8");
    writeFileSync(join(previews, "northwind-logistics.json"), refresh);
    writeFileSync(join(previews, "northwind-staging.json"), refresh.replaceAll("urn:pulumi:northwind-logistics::", "urn:pulumi:northwind-staging::"));
  });
  afterAll(() => {
    for (const dir of [stacks, previews]) rmSync(dir, { recursive: true, force: true });
  });

  // Each judges both files; the client's findings, coverage (which claims machines by the client's
  // tag) and drift would be listed twice under one client, the one or the other file's.
  it.each([
    ["check", () => []],
    ["coverage", () => ["--inventory", fixtures("inventory", "problems.json")]],
    ["drift", () => ["--previews-dir", previews]],
  ])("%s refuses them, naming both files (exit 2)", (command, extra) => {
    expect(steward([command, "--stacks-dir", stacks, ...extra(), "--format", "json"])).toEqual(refusal());
  });

  // Both reports would be written to northwind-logistics/<period>.*: the last writer would win.
  it.each([
    ["--jobs 2", ["--jobs", "2"]],
    ["--jobs 1", ["--jobs", "1"]],
    ["--due, on a day neither is due", ["--due", "--date", "2026-12-02"]],
  ])("report %s refuses them, naming both files, and writes nothing (exit 2)", (_, extra) => {
    const out = mkdtempSync(join(tmpdir(), "steward-report-shared-"));
    try {
      expect(steward(["report", "--stacks-dir", stacks, "--out", out, "--format", "json", ...extra])).toEqual(refusal());
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
