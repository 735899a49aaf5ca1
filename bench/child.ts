// The benchmarks' in-process measurements, each run in its own Node process by bench/run.ts
// (`node dist/bench/child.js <what> ...`); every one prints one JSON object on stdout.
//   normalize FILE DOC WASM         the normalized after-document, exactly as the gate builds it,
//                                   and the part of it the engine sends to wasm
//   rss SCRIPT ARGS...              runs a Node script here and prints its peak RSS on exit
//   phases FILE                     the gate's phases, timed one by one in one process
//   preflight ENDPOINTS REPS        judgeBaseline on a synthetic client, in a component's process
//   preview RESOURCES SEED OUT      writes a synthetic `pulumi preview --json` document
//   fleet DIR CLIENTS ENDPOINTS     writes CLIENTS synthetic stack files into DIR
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { judgeBaseline } from "../components/preflight";
import { PolicyEngine, policyInputText } from "../core/engine";
import { MAX_PIECE_BYTES, parseJsonBuffer } from "../core/large-json";
import { readInputBytes } from "../cli/input";
import { gateDocument, runGate } from "../core/gate";
import { beforeFindings, partition } from "../core/partition";
import { parsePulumiText, resourceStates } from "../core/sources/pulumi";
import { assertValidDocument } from "../core/validate";
import { json } from "../cli/formats/json";
import { endpointsFor, stackYaml, syntheticClient, syntheticPreview } from "../test/support/synthetic";

/** A fixed evaluation time, so every tool judges waivers and ring expiry at the same instant. */
export const EVALUATED_AT = new Date("2026-11-27T12:00:00Z");

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;

function time<T>(phases: Record<string, number>, name: string, work: () => T): T {
  const start = performance.now();
  const result = work();
  phases[name] = (phases[name] ?? 0) + performance.now() - start;
  return result;
}

function normalizeTo(file: string, documentOut: string, wasmOut: string) {
  const states = resourceStates(parseJsonBuffer(readFileSync(file)), file);
  const document = gateDocument({ states, config: null, evaluatedAt: EVALUATED_AT }, states.after);
  const text = JSON.stringify(document);
  writeFileSync(documentOut, text);
  const wasmInput = policyInputText(document);
  writeFileSync(wasmOut, wasmInput);
  return { documentBytes: Buffer.byteLength(text), wasmInputBytes: Buffer.byteLength(wasmInput), endpoints: document.endpoints.length };
}

/** `rss SCRIPT ARGS...`: runs a Node script in this process and reports the peak RSS on exit
 *  (the fallback when /usr/bin/time is not installed). */
function rss(script: string, args: string[]) {
  process.on("exit", () => writeSync(2, `BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`));
  process.argv = [process.argv[0] as string, script, ...args];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs a CommonJS script in this process
  require(resolve(script));
}

async function phases(file: string) {
  const phases: Record<string, number> = {};
  const engine = await time(phases, "load engine", () => PolicyEngine.load());
  const bytes = time(phases, "read", () => readInputBytes(file));
  const parsed = time(phases, "decode + JSON.parse", () =>
    bytes.length <= MAX_PIECE_BYTES ? parsePulumiText(bytes.toString("utf8"), file) : parseJsonBuffer(bytes),
  );
  const states = time(phases, "resourceStates", () => resourceStates(parsed, file));
  const request = { states, config: null, evaluatedAt: EVALUATED_AT };
  const after = time(phases, "normalize (after)", () => gateDocument(request, states.after));
  // The parts of one evaluation, measured apart (evaluate repeats them).
  time(phases, "[schema validation, after]", () => assertValidDocument({ ...after, resources: [] }));
  const sent = time(phases, "[serialize for wasm, after]", () => policyInputText(after));
  const afterFindings = time(phases, "evaluate (after): validate + serialize + wasm", () => engine.evaluate(after).findings);
  const before = time(phases, "normalize (before)", () => gateDocument(request, states.before));
  time(phases, "[partition before and after]", () => [partition(before), partition(after)]);
  time(phases, "before-state findings: partition + evaluate the touched endpoints", () =>
    beforeFindings(engine, before, { document: after, findings: afterFindings }),
  );
  const report = time(phases, "runGate (all of the above again, + labels)", () => runGate({ ...request, engine, failOn: "any" }));
  const rendered = time(phases, "render json", () => json(report));
  return {
    phases,
    inputBytes: bytes.length,
    documentBytes: Buffer.byteLength(JSON.stringify(after)),
    wasmInputBytes: Buffer.byteLength(sent),
    findings: report.findings.length,
    reportBytes: Buffer.byteLength(rendered),
    maxRssMiB: maxRssMiB(),
  };
}

function preflight(endpoints: number, reps: number) {
  const { config } = syntheticClient(`preflight-${endpoints}`, endpoints, endpoints);
  const identity = { project: "steward", stack: config.client.id };
  const engine = PolicyEngine.loadSync();
  const once = () => {
    const start = performance.now();
    const result = judgeBaseline(config, identity, EVALUATED_AT, engine);
    return { ms: performance.now() - start, findings: result.evaluation.findings.length };
  };
  // The first call also grows the engine's wasm memory to the document's size.
  const first = once();
  const runs = Array.from({ length: reps }, () => once().ms);
  return { endpoints, firstMs: first.ms, findings: first.findings, runsMs: runs, maxRssMiB: maxRssMiB() };
}

/**
 * Writes the preview as the Pulumi CLI prints it (Go's MarshalIndent, four spaces), one step at a
 * time: the largest documents are longer than the longest string V8 can hold.
 */
function writePreview(resources: number, seed: number, out: string) {
  const { config } = syntheticClient("bench", endpointsFor(resources), seed);
  const { preview, shape } = syntheticPreview(config, "bench", seed);
  const indent = (value: unknown, depth: number) => JSON.stringify(value, null, 4).replace(/\n/g, `\n${" ".repeat(4 * depth)}`);
  const fd = openSync(out, "w");
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const write = (text: string) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength > 8_000_000) flush();
  };
  const flush = () => {
    bytes += writeSync(fd, pending.join(""));
    pending = [];
    pendingLength = 0;
  };
  write(`{\n    "config": ${indent(preview.config, 1)},\n    "steps": [\n`);
  preview.steps.forEach((step, index) => write(`        ${indent(step, 2)}${index === preview.steps.length - 1 ? "" : ","}\n`));
  write(`    ],\n    "duration": ${preview.duration},\n    "changeSummary": ${indent(preview.changeSummary, 1)}\n}\n`);
  flush();
  closeSync(fd);
  return { ...shape, bytes };
}

function writeFleet(dir: string, clients: number, endpoints: number) {
  mkdirSync(dir, { recursive: true });
  for (let index = 1; index <= clients; index += 1) {
    // Zero-padded to the widest index, so the stack order is the index order.
    const id = `client-${String(index).padStart(String(clients).length, "0")}`;
    writeFileSync(join(dir, `Pulumi.${id}.yaml`), stackYaml(id, endpoints, 1000 + index));
  }
  return { clients, endpoints };
}

async function main(argv: string[]) {
  const [what, ...args] = argv;
  let result: unknown;
  switch (what) {
    case "normalize":
      result = normalizeTo(args[0] as string, args[1] as string, args[2] as string);
      break;
    case "rss":
      rss(args[0] as string, args.slice(1));
      return;
    case "phases":
      result = await phases(args[0] as string);
      break;
    case "preflight":
      result = preflight(Number(args[0]), Number(args[1]));
      break;
    case "preview":
      result = writePreview(Number(args[0]), Number(args[1]), args[2] as string);
      break;
    case "fleet":
      result = writeFleet(args[0] as string, Number(args[1]), Number(args[2]));
      break;
    default:
      throw new Error(`unknown measurement "${what}"`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
