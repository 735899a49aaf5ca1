// Fleet tasks for test/fleet.test.ts: cli/fleet.ts's runner on jobs whose timing and failures the
// tests choose. Built into dist/test/support/ with the rest of the support code, where the
// workers load them by name; the CLI names only its commands' own tasks, so no user input reaches these.
import { isMainThread, threadId } from "node:worker_threads";
import { checkTask } from "../../cli/commands/check";
import type { FleetTask } from "../../cli/fleet";
import { InputError } from "../../core/errors";

/** What a probe job does: pass; throw; end its worker (exit code 70); or hold its worker until every other job is done. */
export type ProbeAction = "pass" | "throw" | "exit" | "wait-for-others";

export interface ProbeJob {
  id: string;
  action: ProbeAction;
}

export interface ProbeResult {
  id: string;
  status: "pass" | "error";
  /** The thread that ran it: 0 is the main thread. */
  thread: number;
  /** How many times the task was prepared in that thread, by then. */
  prepared: number;
  message: string | null;
}

export interface ProbeShared {
  /** One Int32: how many jobs have finished, shared by every worker. */
  finished: SharedArrayBuffer;
  /** How many jobs a `wait-for-others` job waits for. */
  others: number;
  /** `prepare` throws an InputError with this message. */
  failPrepare?: string;
}

/** How long a `wait-for-others` job waits before it gives up (and fails the test). */
const WAIT_LIMIT_MS = 20_000;
let preparations = 0;

export const probeTask: FleetTask<ProbeShared, ProbeJob, ProbeResult, { finished: Int32Array; others: number }> = {
  ref: { module: "test/support/fleet-tasks", export: "probeTask" },
  prepare({ finished, others, failPrepare }) {
    if (failPrepare !== undefined) throw new InputError(failPrepare);
    preparations += 1;
    return { finished: new Int32Array(finished), others };
  },
  run({ finished, others }, { id, action }) {
    let message: string | null = null;
    if (action === "throw") throw new Error(`${id} failed`);
    if (action === "exit") {
      if (isMainThread) throw new Error("a probe ends only a worker thread");
      process.exit(70);
    }
    if (action === "wait-for-others") {
      const deadline = Date.now() + WAIT_LIMIT_MS;
      for (let seen = Atomics.load(finished, 0); seen < others; seen = Atomics.load(finished, 0)) {
        if (Date.now() > deadline) return { id, status: "error", thread: threadId, prepared: preparations, message: `only ${seen} of ${others} others finished` };
        Atomics.wait(finished, 0, seen, 100);
      }
      message = `released after ${others} others`;
    } else {
      Atomics.add(finished, 0, 1);
      Atomics.notify(finished, 0);
    }
    return { id, status: "pass", thread: threadId, prepared: preparations, message };
  },
  failed: ({ id }, message) => ({ id, status: "error", thread: -1, prepared: -1, message }),
};

/** `steward check`'s task, except that its worker dies under the client whose stack is `crash-me`. */
export const crashingCheckTask: typeof checkTask = {
  ...checkTask,
  ref: { module: "test/support/fleet-tasks", export: "crashingCheckTask" },
  run(context, job) {
    if (job.stack === "crash-me") process.exit(70);
    return checkTask.run(context, job);
  },
};
