import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The end-to-end suite runs the real Pulumi CLI: `npm run test:e2e` (vitest.e2e.config.mts);
    // the browser test, Chromium: `npm run test:browser` (vitest.browser.config.mts).
    exclude: [...configDefaults.exclude, "test/e2e/**", "test/browser/**"],
    // The wasm engine and `opa eval` runs are CPU-bound; two workers fit the 2-core machines.
    maxWorkers: 2,
    testTimeout: 30_000,
    // Every steward the tests start judges as of this instant (cli/clock.ts), so that waivers
    // and overrides in the example stacks expire in the tests only when their dates say so.
    env: { STEWARD_NOW: "2026-11-30T12:00:00Z" },
  },
});
