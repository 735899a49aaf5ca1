import { performance } from "node:perf_hooks";
import type { FleetObserver } from "./fleet";
import { progressText, summaryText } from "./formats/fleet";
import type { ComplianceFormat, ReportFormat } from "./options";

/** Where progress goes: standard error, or a test's stand-in. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A terminal's line is redrawn at most this often: a thousand redraws a second would only cost time. */
const REDRAW_MS = 100;
/** Outside a terminal, a run shorter than this writes no progress lines: its summary says it all. */
const QUIET_MS = 2000;

/**
 * A fleet run's progress on standard error, and its summary line at the end. On a terminal, one
 * line redrawn in place (`checked 412/1000 clients (3 blocking, 1 invalid)`) and cleared when the
 * last client is done, before the report is written; elsewhere (a CI log) a plain line each time
 * another tenth of the clients is done, once the run has taken a few seconds, the last tenth left
 * to the summary.
 */
export class FleetProgress<Status extends string> implements FleetObserver<{ status: Status }> {
  private readonly counts: Record<Status, number>;
  private total = 0;
  private done = 0;
  private workers = 0;
  private lastDrawn = -Infinity;

  constructor(
    private readonly stream: ProgressStream,
    private readonly statuses: readonly Status[],
    private readonly clock: () => number = () => performance.now(),
    /** When the command started: the summary's time is the whole run's. */
    private readonly startedAt = clock(),
  ) {
    this.counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<Status, number>;
  }

  started(jobs: number, workers: number): void {
    this.total = jobs;
    this.workers = workers;
    // Loading the workers takes a moment: the terminal shows the run has begun.
    if (this.stream.isTTY) this.redraw();
  }

  settled({ status }: { status: Status }): void {
    this.done += 1;
    this.counts[status] += 1;
    if (this.stream.isTTY) {
      if (this.done === this.total) this.stream.write("\r\x1b[K");
      else if (this.clock() - this.lastDrawn >= REDRAW_MS) this.redraw();
    } else if (
      this.done < this.total &&
      Math.floor((this.done * 10) / this.total) > Math.floor(((this.done - 1) * 10) / this.total) &&
      this.clock() - this.startedAt >= QUIET_MS
    ) {
      this.stream.write(`${this.line()}\n`);
    }
  }

  private line(): string {
    return progressText(this.done, this.total, this.statuses, this.counts);
  }

  private redraw(): void {
    this.lastDrawn = this.clock();
    this.stream.write(`\r${this.line()}\x1b[K`);
  }

  /** The summary line: `1000 clients: 990 pass, 8 blocking, 2 invalid (9.4 s, 2 workers)`. */
  finish(): void {
    this.stream.write(`${summaryText(this.done, this.statuses, this.counts, this.clock() - this.startedAt, this.workers)}\n`);
  }
}

/** The formats a person reads on a terminal; the others (JSON, an HTML page) are documents for a program or a browser. */
const READ_ON_A_TERMINAL: ReadonlySet<ReportFormat | ComplianceFormat> = new Set(["table", "markdown"]);

/**
 * The progress a command shows: none for one client (`--stack`), none when standard output is a
 * document (`--format json` or `html`: the output is the document alone and standard error stays
 * quiet), else on standard error.
 */
export function fleetProgress<Status extends string>(
  options: { stack?: string | undefined; format: ReportFormat | ComplianceFormat },
  statuses: readonly Status[],
): FleetProgress<Status> | undefined {
  if (options.stack !== undefined || !READ_ON_A_TERMINAL.has(options.format)) return undefined;
  return new FleetProgress(process.stderr, statuses);
}
