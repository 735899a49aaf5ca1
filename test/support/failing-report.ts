// Makes one client's report fail as a bug in steward would, for the tests of what `steward report`
// does then (exit 3, the stack file named, the other clients still reported). A run preloads it,
// `NODE_OPTIONS="--require dist/test/support/failing-report.js"` (fleet workers inherit the
// preload), with the stack to fail in STEWARD_TEST_FAILING_STACK. It replaces the export
// cli/report-client.js holds, which the report command reads at each call: no production code
// knows of it, and no input steward accepts can reach such a failure.
import * as reportClient from "../../cli/report-client";

const failing = process.env.STEWARD_TEST_FAILING_STACK;
const original = reportClient.clientReport;

Object.defineProperty(reportClient, "clientReport", {
  value: (...args: Parameters<typeof original>) => {
    if (args[0].stack === failing) throw new Error(`injected by test/support/failing-report.ts into the report of ${failing}`);
    return original(...args);
  },
});
