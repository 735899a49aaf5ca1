// The lines a fleet run writes on standard error (cli/fleet-progress.ts): its progress and its summary.

/** `3 blocking, 1 invalid`: the statuses some clients are in, in the order given, zeros left out. */
function counted<Status extends string>(statuses: readonly Status[], counts: Readonly<Record<Status, number>>): string[] {
  return statuses.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${status}`);
}

/** `checked 412/1000 clients (3 blocking, 1 invalid)`: the clients done so far, and those not passing. */
export function progressText<Status extends string>(done: number, total: number, statuses: readonly Status[], counts: Readonly<Record<Status, number>>): string {
  const notPassing = counted(statuses.filter((status) => status !== "pass"), counts);
  return `checked ${done}/${total} clients${notPassing.length > 0 ? ` (${notPassing.join(", ")})` : ""}`;
}

/** `1000 clients: 990 pass, 8 blocking, 2 invalid (9.4 s, 2 workers)`; `in-process` when no worker ran. */
export function summaryText<Status extends string>(total: number, statuses: readonly Status[], counts: Readonly<Record<Status, number>>, elapsedMs: number, workers: number): string {
  const how = workers === 0 ? "in-process" : `${workers} worker${workers === 1 ? "" : "s"}`;
  return `${total} client${total === 1 ? "" : "s"}: ${counted(statuses, counts).join(", ")} (${(elapsedMs / 1000).toFixed(1)} s, ${how})`;
}
