import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The wasm engine and `opa eval` runs are CPU-bound; two workers fit the 2-core machines.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
