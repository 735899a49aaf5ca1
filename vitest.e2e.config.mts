import { defineConfig } from "vitest/config";

// `npm run test:e2e`: the real Pulumi CLI (built from Go modules on first use, several minutes)
// runs steward's program offline against the azure-native stand-in. One file at a time: each
// `pulumi` run keeps a core busy.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    // The first run builds the Pulumi CLI (about 7 minutes on two cores).
    hookTimeout: 1_200_000,
    // Every steward the tests start, and steward's policy pack under the engine, judges as of this
    // instant (cli/clock.ts), as in the unit tests.
    env: { STEWARD_NOW: "2026-11-30T12:00:00Z" },
  },
});
