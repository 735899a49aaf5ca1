// The floor under any JSON tool, in a Node process of its own: read the file and JSON.parse it,
// nothing else. Its own script, importing nothing it does not use, so that its start-up is
// Node's alone (bench/child.ts loads the engine and the components for its other measurements).
//   node dist/bench/floor.js FILE   prints {method, phases (ms), steps, maxRssMiB}
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseJsonBuffer } from "../core/large-json";

/** Longer than this, a document cannot be one JavaScript string (V8: 2^29 - 24 characters). */
const MAX_STRING = 0x1fffffe8;

function time<T>(phases: Record<string, number>, name: string, work: () => T): T {
  const start = performance.now();
  const result = work();
  phases[name] = performance.now() - start;
  return result;
}

function floor(file: string) {
  const phases: Record<string, number> = {};
  const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;
  const bytes = time(phases, "read", () => readFileSync(file));
  if (bytes.length <= MAX_STRING) {
    const text = time(phases, "decode", () => bytes.toString("utf8"));
    const document = time(phases, "parse", () => JSON.parse(text) as { steps?: unknown[] });
    return { method: "whole", phases, steps: document.steps?.length ?? 0, maxRssMiB: maxRssMiB() };
  }
  // Too long for one string: the same split parse the gate uses for such documents.
  const document = time(phases, "parse", () => parseJsonBuffer(bytes) as { steps?: unknown[] });
  return { method: "split", phases, steps: document.steps?.length ?? 0, maxRssMiB: maxRssMiB() };
}

process.stdout.write(`${JSON.stringify(floor(process.argv[2] as string))}\n`);
