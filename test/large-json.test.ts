// parseJsonBuffer (core/large-json.ts): documents longer than V8's longest string, parsed in
// pieces. Exercised here with pieces of a few bytes, so every path (indentation guess, guess
// checked and rejected, exact scan, member-by-member recursion) runs on small documents.
import { describe, expect, it } from "vitest";
import { parseJsonBuffer } from "../core/large-json";
import { baselineStates, digest } from "./support/previews";
import { loadClientConfig } from "../core/config";
import { resourceStates } from "../core/sources/pulumi";
import { join } from "node:path";
import { root } from "./support";

const bytes = (text: string) => Buffer.from(text, "utf8");

/** A small seeded generator of JSON values with every kind of member and awkward strings. */
function randomValue(seed: number): unknown {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const strings = ["", "plain", 'quote " inside', "back\\slash\\", "brace } and ] and , and :", "line\nbreak", "tab\t", "ünïcödé ☃ 😀", "\\\"", "__proto__"];
  const build = (depth: number): unknown => {
    const pick = next();
    if (depth > 4 || pick < 0.3) {
      const scalar = next();
      if (scalar < 0.25) return strings[Math.floor(next() * strings.length)];
      if (scalar < 0.5) return Math.round((next() - 0.5) * 1e6) / 100;
      if (scalar < 0.65) return next() < 0.5;
      if (scalar < 0.75) return null;
      return -1.5e-7;
    }
    if (pick < 0.6) return Array.from({ length: Math.floor(next() * 5) }, () => build(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i > 0; i -= 1) {
      Object.defineProperty(object, strings[Math.floor(next() * strings.length)] + String(i), {
        value: build(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return object;
  };
  return { steps: Array.from({ length: 3 + Math.floor(next() * 5) }, () => build(1)), tail: build(1) };
}

describe("parseJsonBuffer", () => {
  it.each([0, 2, 4, "\t"])("parses what JSON.parse parses, in pieces of any size (indentation %s)", (indent) => {
    for (let seed = 1; seed <= 60; seed += 1) {
      const value = randomValue(seed);
      const text = JSON.stringify(value, null, indent);
      for (const piece of [1, 8, 64, 512]) {
        expect(parseJsonBuffer(bytes(text), piece), `seed ${seed}, piece ${piece}`).toEqual(JSON.parse(text));
      }
    }
  });

  it("keeps __proto__ as an ordinary key and the last of repeated keys, as JSON.parse does", () => {
    const text = '{\n  "__proto__": {"polluted": true},\n  "a": [1, 2],\n  "a": {"b": "second"}\n}';
    const parsed = parseJsonBuffer(bytes(text), 4) as Record<string, unknown>;
    expect(parsed).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(["__proto__", "a"]);
  });

  it("is not misled by indentation that does not match the structure", () => {
    // The inner object closes on a line indented like the outer array's element.
    const text = '[\n  {"a": {\n  "b": 1\n  }, "c": [\n  2\n  ]},\n  {"d": "}"}\n]';
    expect(parseJsonBuffer(bytes(text), 4)).toEqual(JSON.parse(text));
  });

  it.each([
    ["truncated", '{\n  "steps": [\n    {"op": "same"},\n'],
    ["a trailing comma", '{\n  "steps": [\n    {"op": "same"},\n  ]\n}'],
    ["a missing colon", '{\n  "steps" [\n    {"op": "same"}\n  ]\n}'],
    ["garbage after the document", '{\n  "steps": [\n    {"op": "same"}\n  ]\n} x'],
    ["an unterminated string", '{\n  "steps": [\n    {"op": "same}\n  ]\n}'],
    ["mismatched brackets", '{\n  "steps": [\n    {"op": "same"]\n  }\n}'],
    ["a bad literal", '{\n  "steps": [\n    tru\n  ]\n}'],
    ["an empty document", "   \n  "],
  ])("refuses %s with a SyntaxError, like JSON.parse", (_, text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonBuffer(bytes(text), 8)).toThrow(SyntaxError);
  });

  it("reads a real-format preview in pieces into the same resources", () => {
    const config = loadClientConfig(join(root, "stacks", "Pulumi.northwind-logistics.yaml"));
    const before = baselineStates(config, "northwind-logistics", true);
    const after = before.filter((state) => !state.urn.endsWith("-antivirus"));
    const text = JSON.stringify(digest(before, after), null, 4);
    const whole = resourceStates(JSON.parse(text), "preview.json");
    expect(resourceStates(parseJsonBuffer(bytes(text), 1024), "preview.json")).toEqual(whole);
  });
});
