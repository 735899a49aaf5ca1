// A fleet run's worker thread (cli/fleet.ts): loads its task once, then runs the jobs the main
// thread sends, one at a time, and posts each result back with the job's index.
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { ExitCode, StewardError, asError } from "../core/errors";
import { failureMessage, type FleetTask, type JobMessage, type TaskRef, type WorkerMessage } from "./fleet";

const port = parentPort;
if (!port) throw new Error("cli/fleet-worker.js runs only as a worker thread of a fleet run");
const post = (message: WorkerMessage) => port.postMessage(message);

const { ref, shared } = workerData as { ref: TaskRef; shared: unknown };

/** The task `ref` names. This file is dist/cli/fleet-worker.js: the task's module is under dist/ too. */
function loadTask(): FleetTask<unknown, unknown, unknown, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the task is named at run time
  const task = (require(join(__dirname, "..", ref.module)) as Record<string, FleetTask<unknown, unknown, unknown, unknown> | undefined>)[ref.export];
  if (!task) throw new Error(`${ref.module} exports no task ${ref.export}`);
  return task;
}

try {
  const task = loadTask();
  const context = task.prepare(shared);
  port.on("message", ({ index, job }: JobMessage) => {
    let result: unknown;
    try {
      result = task.run(context, job);
    } catch (error) {
      result = task.failed(job, failureMessage(error));
    }
    post({ kind: "result", index, result });
  });
  post({ kind: "ready" });
} catch (error) {
  post({ kind: "fatal", message: asError(error).message, exitCode: error instanceof StewardError ? error.exitCode : ExitCode.INTERNAL });
}
