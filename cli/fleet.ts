// Fleet runs: one job per client, on a pool of worker threads, results in the order of the jobs.
// Generic over what a job does (check, coverage, drift, ...): a command hands the runner a task
// and its jobs; each worker loads the task once (the policy engine) and takes jobs from the
// main thread's queue one at a time, so a slow client holds up only the worker it is on.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { BuildOutputError, ExitCode, InputError, StewardError, asError } from "../core/errors";
import { packageRoot } from "../core/paths";
import type { FleetSummary } from "./reports";
import { fromHere } from "./stacks";

/**
 * Where a worker finds a task: the module that exports it, as a path from the package root
 * without an extension (a worker loads it from `dist/`), and the name it is exported under. The
 * CLI's commands name only their own tasks, so nothing a user types chooses the code a worker runs.
 */
export interface TaskRef {
  module: string;
  export: string;
}

/**
 * What one job of a fleet run does. `shared`, every job and every result cross between threads by
 * structured clone: plain data only (no functions or class instances; a Date is fine).
 */
export interface FleetTask<Shared, Job, Result, Context> {
  ref: TaskRef;
  /** Once per worker (and once for an in-process run): what every job needs, such as the policy engine. */
  prepare(shared: Shared): Context;
  /** One job; the errors it expects (an invalid stack file) are part of its result. */
  run(context: Context, job: Job): Result;
  /** The result of a job that threw, or whose worker stopped while running it. */
  failed(job: Job, message: string): Result;
}

/** What a fleet run tells a progress display (cli/fleet-progress.ts) as it goes. */
export interface FleetObserver<Result> {
  /** Before the first job: how many jobs, and on how many workers (0: in this thread). */
  started(jobs: number, workers: number): void;
  /** Each result, in the order the jobs finish. */
  settled(result: Result): void;
}

export interface FleetOptions {
  /** How many jobs run at once (`--jobs`); default: the cores available. 1 runs them in this thread. */
  jobs?: number | undefined;
}

/** The default of `--jobs`: one worker per core the process may use. */
export const defaultJobs = () => availableParallelism();

/**
 * The exit codes from least to most severe: the fleet's code is its worst client's. An internal
 * error outranks bad input, which outranks blocking findings (what could not be checked must not
 * read as a verdict on it).
 */
const SEVERITY: readonly ExitCode[] = [ExitCode.PASS, ExitCode.BLOCKING_FINDINGS, ExitCode.BAD_INPUT, ExitCode.INTERNAL];

export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = ExitCode.PASS;
  for (const code of codes) if (SEVERITY.indexOf(code) > SEVERITY.indexOf(worst)) worst = code;
  return worst;
}

/** How a job that threw reads in its result: steward's own errors say what went wrong; anything else is a bug. */
export function failureMessage(thrown: unknown): string {
  const error = asError(thrown);
  return error instanceof StewardError ? error.message : `internal error: ${error.stack ?? error.message}`;
}

/** The worker entry; built with the rest (`npm run build`), so tests run from source use it too. */
export const workerScript = (root = packageRoot()) => join(root, "dist", "cli", "fleet-worker.js");

/** What a worker posts to the main thread (cli/fleet-worker.ts). */
export type WorkerMessage =
  | { kind: "ready" }
  | { kind: "result"; index: number; result: unknown }
  /** `prepare` threw: nothing can run, so the whole run fails with this. */
  | { kind: "fatal"; message: string; exitCode: ExitCode };

/** What the main thread posts to a worker: the next job. */
export interface JobMessage {
  index: number;
  job: unknown;
}

/**
 * Runs every job and resolves with their results in the order of `jobs`. With more than one job
 * and `options.jobs` above 1, on that many worker threads (at most one per job); otherwise in this
 * thread. A job that throws, or whose worker dies under it, gets `task.failed`'s result, and the
 * others still run; only a task that cannot be prepared fails the whole run.
 */
export async function runFleet<Shared, Job, Result, Context>(
  task: FleetTask<Shared, Job, Result, Context>,
  shared: Shared,
  jobs: readonly Job[],
  options: FleetOptions = {},
  observer?: FleetObserver<Result>,
): Promise<Result[]> {
  const workers = Math.min(options.jobs ?? defaultJobs(), jobs.length);
  if (workers <= 1) return runInThread(task, shared, jobs, observer);
  return runOnWorkers(task, shared, jobs, workers, observer);
}

function runInThread<Shared, Job, Result, Context>(
  task: FleetTask<Shared, Job, Result, Context>,
  shared: Shared,
  jobs: readonly Job[],
  observer: FleetObserver<Result> | undefined,
): Result[] {
  const context = task.prepare(shared);
  observer?.started(jobs.length, 0);
  return jobs.map((job) => {
    let result: Result;
    try {
      result = task.run(context, job);
    } catch (error) {
      result = task.failed(job, failureMessage(error));
    }
    observer?.settled(result);
    return result;
  });
}

function runOnWorkers<Shared, Job, Result, Context>(
  task: FleetTask<Shared, Job, Result, Context>,
  shared: Shared,
  jobs: readonly Job[],
  size: number,
  observer: FleetObserver<Result> | undefined,
): Promise<Result[]> {
  const script = workerScript();
  if (!existsSync(script)) throw new BuildOutputError(`The fleet worker ${script} is missing.`);
  return new Promise((resolve, reject) => {
    const results: Result[] = new Array<Result>(jobs.length);
    let next = 0;
    let settled = 0;
    let finished = false;
    const live = new Set<Worker>();

    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      for (const worker of live) void worker.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const settle = (index: number, result: Result) => {
      results[index] = result;
      settled += 1;
      observer?.settled(result);
      if (settled === jobs.length) finish();
    };

    const start = () => {
      const worker = new Worker(script, { workerData: { ref: task.ref, shared } });
      live.add(worker);
      let ready = false;
      /** The job this worker is on, if any. */
      let current: number | null = null;
      let crash: Error | null = null;
      const feed = () => {
        if (next < jobs.length) {
          current = next;
          next += 1;
          worker.postMessage({ index: current, job: jobs[current] } satisfies JobMessage);
        } else {
          current = null;
          live.delete(worker);
          void worker.terminate();
        }
      };
      worker.on("message", (message: WorkerMessage) => {
        if (finished) return;
        if (message.kind === "fatal") return finish(new StewardError(message.message, message.exitCode));
        if (message.kind === "ready") ready = true;
        else settle(message.index, message.result as Result);
        feed();
      });
      // A result that cannot be read back counts as a crash on its job.
      worker.on("messageerror", (error) => {
        crash = error;
        void worker.terminate();
      });
      worker.on("error", (error) => {
        crash = error;
      });
      worker.on("exit", (code) => {
        const wasLive = live.delete(worker);
        if (finished || !wasLive) return;
        const why = crash ? asError(crash).message : `it exited with code ${code}`;
        // Before its first job a worker has only loaded the task: every replacement would fail the same way.
        if (!ready) return finish(new StewardError(`a fleet worker failed to start: ${why}`, ExitCode.INTERNAL));
        if (current !== null) settle(current, task.failed(jobs[current] as Job, `internal error: the worker running it stopped: ${why}`));
        if (!finished && next < jobs.length) startOrFail();
      });
    };
    const startOrFail = () => {
      try {
        start();
      } catch (error) {
        finish(asError(error));
      }
    };

    observer?.started(jobs.length, size);
    for (let index = 0; index < size; index += 1) startOrFail();
  });
}

/**
 * Refuses a fleet in which more than one stack file declares the same client id (exit 2), naming
 * the files. A client id is one client's: it names what its stack deploys and tags its machines
 * (which coverage claims by tag), its reports' archive (`report --out DIR/<client>/`) and the
 * entry a later report's trend reads. Two stack files declaring it would make that client's
 * evidence the one file's or the other's, depending on which was read (or written) last.
 * `clients`: each stack file with the id it declares, null when it could not be read.
 */
export function refuseSharedClientIds(clients: ReadonlyArray<{ file: string; client: string | null }>): void {
  const files = new Map<string, string[]>();
  for (const { file, client } of clients) if (client !== null) files.set(client, [...(files.get(client) ?? []), file]);
  const shared = [...files].filter(([, declaring]) => declaring.length > 1);
  if (shared.length === 0) return;
  throw new InputError(
    [
      "more than one stack file declares the same client id; give each client one stack file:",
      ...shared.map(([client, declaring]) => `  "${client}": ${declaring.map(fromHere).join(", ")}`),
    ].join("\n"),
  );
}

/** How many results ended in each status, every status listed (zeros too) in the order given. */
export function fleetSummary<Status extends string>(statuses: readonly Status[], results: ReadonlyArray<{ status: Status }>): FleetSummary<Status> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<Status, number>;
  for (const { status } of results) counts[status] += 1;
  return { clients: results.length, ...counts };
}
