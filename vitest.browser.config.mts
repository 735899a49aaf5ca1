import { defineConfig } from "vitest/config";

// `npm run test:browser`: the HTML report in Debian's Chromium (test/browser/). One file at a time,
// one worker: a browser keeps a core busy.
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The reports the test writes judge as of this instant, as in the unit tests.
    env: { STEWARD_NOW: "2026-11-30T12:00:00Z" },
  },
});
