#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by function, top N.
//   node bench/profile-summary.mjs FILE.cpuprofile [N]
import { readFileSync } from "node:fs";

const [file, top = "25"] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${lineNumber + 1}` : "";
  const key = `${functionName || "(anonymous)"} ${where}`.trim();
  const ms = (deltas[index] ?? 0) / 1000;
  total += ms;
  self.set(key, (self.get(key) ?? 0) + ms);
});
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
process.stdout.write(`total ${total.toFixed(0)} ms\n`);
for (const [key, ms] of rows) process.stdout.write(`${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}\n`);
