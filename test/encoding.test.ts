// Files as Windows writes them (core/encoding.ts): a UTF-8 byte order mark, or UTF-16 with one
// (Windows PowerShell 5.1's `>`), are read wherever steward reads JSON or YAML; what it cannot
// read as text is refused naming the encoding and the fix.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UTF8_FIX, utf8Bytes } from "../core/encoding";
import { loadClientConfig } from "../core/config";
import { parseInventory } from "../core/coverage";
import { parseJsonBuffer } from "../core/large-json";
import { parsePulumiText } from "../core/sources/pulumi";
import { fixtures, inputError, root } from "./support";

const scratch = mkdtempSync(join(tmpdir(), "steward-encoding-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const encodings = {
  "UTF-8 with a BOM": (text: string) => Buffer.concat([UTF8_BOM, Buffer.from(text, "utf8")]),
  "UTF-16 LE with a BOM": (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
  "UTF-16 BE with a BOM": (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]),
};
type Encoding = keyof typeof encodings;
const ENCODINGS = Object.keys(encodings) as Encoding[];

function write(name: string, bytes: Buffer | string): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

function steward(args: string[], input?: Buffer) {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("utf8Bytes", () => {
  const text = '{"name": "Zürich \u{1F600}", "n": 1}';

  it("returns UTF-8 without a BOM as it is, the very same buffer", () => {
    const bytes = Buffer.from(text, "utf8");
    expect(utf8Bytes(bytes, "x.json")).toBe(bytes);
  });

  it("drops a UTF-8 BOM without copying the bytes", () => {
    const bytes = encodings["UTF-8 with a BOM"](text);
    const result = utf8Bytes(bytes, "x.json");
    expect(result.toString("utf8")).toBe(text);
    expect(result.buffer).toBe(bytes.buffer);
    expect(result.byteOffset).toBe(bytes.byteOffset + 3);
  });

  it.each(["UTF-16 LE with a BOM", "UTF-16 BE with a BOM"] as const)("decodes %s to UTF-8, leaving the caller's bytes alone", (encoding) => {
    const bytes = encodings[encoding](text);
    const copy = Buffer.from(bytes);
    expect(utf8Bytes(bytes, "x.json").toString("utf8")).toBe(text);
    expect(bytes.equals(copy)).toBe(true);
  });

  it("keeps a surrogate pair split across two decoding pieces", () => {
    // "a" then the emoji's two UTF-16 units: with 4-byte pieces the pair straddles the first boundary.
    const bytes = encodings["UTF-16 LE with a BOM"]("ab\u{1F600}c");
    expect(utf8Bytes(bytes, "x.json", 6).toString("utf8")).toBe("ab\u{1F600}c");
    expect(utf8Bytes(bytes, "x.json", 4).toString("utf8")).toBe("ab\u{1F600}c");
  });

  it.each<[string, Buffer, string]>([
    ["UTF-32 LE", Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from("{\0\0\0}\0\0\0")]), `x.json is UTF-32 (little-endian, with a byte order mark), which steward does not read: ${UTF8_FIX}`],
    ["UTF-32 BE", Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), Buffer.from("\0\0\0{\0\0\0}")]), `x.json is UTF-32 (big-endian, with a byte order mark), which steward does not read: ${UTF8_FIX}`],
    ["UTF-16 LE without a BOM", Buffer.from("{}", "utf16le"), `x.json is UTF-16 or UTF-32 without a byte order mark (it has NUL bytes), which steward does not read: ${UTF8_FIX}`],
    ["UTF-16 BE without a BOM", Buffer.from("{}", "utf16le").swap16(), `x.json is UTF-16 or UTF-32 without a byte order mark (it has NUL bytes), which steward does not read: ${UTF8_FIX}`],
    ["UTF-16 with an odd number of bytes", Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d]), `x.json is not valid UTF-16 LE (an odd number of bytes): ${UTF8_FIX}`],
    [
      "UTF-16 with a lone surrogate",
      Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x00, 0xd8, 0x7d, 0x00]),
      `x.json is not valid UTF-16 LE (The encoded data was not valid for encoding utf-16le): ${UTF8_FIX}`,
    ],
    ["UTF-16 ending in half a surrogate pair", Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0xd8, 0x3d]), `x.json is not valid UTF-16 BE (The encoded data was not valid for encoding utf-16le): ${UTF8_FIX}`],
  ])("refuses %s, naming the encoding and the fix", (_case, bytes, message) => {
    expect(inputError(() => utf8Bytes(bytes, "x.json"))).toBe(message);
  });

  it("the fix is the PowerShell way to write UTF-8", () => {
    expect(UTF8_FIX).toBe("write it as UTF-8 (Windows PowerShell: `... | Out-File -Encoding utf8 FILE` instead of `... > FILE`)");
  });
});

describe("the readers that take text or bytes from elsewhere skip a UTF-8 BOM", () => {
  it("parseJsonBuffer, whole and in pieces (the path for documents over 512 MiB)", () => {
    const document = { steps: [{ op: "same", urn: "u", detail: "x".repeat(200) }], tail: [1, 2, 3] };
    const bytes = encodings["UTF-8 with a BOM"](JSON.stringify(document, null, 4));
    expect(parseJsonBuffer(bytes)).toEqual(document);
    expect(parseJsonBuffer(bytes, 64)).toEqual(document);
  });

  it("parsePulumiText and parseInventory", () => {
    expect(parsePulumiText("\uFEFF{\"steps\": []}", "p.json")).toEqual({ steps: [] });
    expect(parseInventory("\uFEFF{\"count\": 0, \"data\": [], \"skip_token\": null, \"total_records\": 0}", "i.json")).toEqual([]);
  });
});

describe("every file steward reads, in each encoding, reads as the UTF-8 original", () => {
  const original = (path: string) => readFileSync(path, "utf8");

  it.each(ENCODINGS)("stack file (YAML), %s", (encoding) => {
    const source = join(root, "stacks", "Pulumi.northwind-logistics.yaml");
    const file = write(`Pulumi.${encoding.replaceAll(" ", "-")}.yaml`, encodings[encoding](original(source)));
    expect({ ...loadClientConfig(file), file: source }).toEqual(loadClientConfig(source));
  });

  it.each(ENCODINGS)("stack file with problems, %s: the same problems at the same lines and columns", (encoding) => {
    const source = fixtures("stacks", "Pulumi.broken-typos.yaml");
    const file = write(`Pulumi.broken-${encoding.replaceAll(" ", "-")}.yaml`, encodings[encoding](original(source)));
    const expected = inputError(() => loadClientConfig(source));
    expect(expected).toMatch(/problems? in /);
    expect(inputError(() => loadClientConfig(file)).replaceAll(file, source)).toBe(expected);
  });

  it("a stack file in UTF-32 is refused naming the file", () => {
    const file = write("Pulumi.utf32.yaml", Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from("c\0\0\0")]));
    expect(inputError(() => loadClientConfig(file))).toBe(`${file} is UTF-32 (little-endian, with a byte order mark), which steward does not read: ${UTF8_FIX}`);
  });

  it.each<[string, string, string[]]>([
    ["preview (digest)", fixtures("pulumi", "northwind-logistics.noncompliant.preview.json"), ["gate", "--stack", "northwind-logistics", "--format", "json"]],
    ["stack export", fixtures("pulumi", "harbor-dental.stack-export.json"), ["gate", "--stack", "harbor-dental", "--format", "json"]],
    ["event log", fixtures("reference", "pulumi-recordings", "engine", "replace-create-before-delete.preview.json"), ["gate", "--format", "json"]],
    ["refresh preview", fixtures("pulumi", "northwind-logistics.drifted.refresh.json"), ["drift", "--stack", "northwind-logistics", "--format", "json"]],
    ["normalized document", fixtures("policies", "compliant-base.json"), ["evaluate", "--format", "json"]],
  ])("%s: the same verdict and report in every encoding", (_kind, source, [command, ...options]) => {
    const expected = steward([command as string, source, ...options]);
    expect(expected.stderr).toBe("");
    for (const encoding of ENCODINGS) {
      const file = write(`${encoding.replaceAll(" ", "-")}-${source.split("/").pop()}`, encodings[encoding](original(source)));
      expect(steward([command as string, file, ...options]), encoding).toEqual(expected);
    }
  });

  it("inventory: the same coverage report in every encoding, also from standard input", () => {
    const source = fixtures("inventory", "problems.json");
    const expected = steward(["coverage", "-i", "-", "--format", "json"], readFileSync(source));
    expect(expected.code).toBe(1);
    for (const encoding of ENCODINGS) {
      expect(steward(["coverage", "-i", "-", "--format", "json"], encodings[encoding](original(source))), encoding).toEqual(expected);
    }
  });

  it("a preview from standard input with a BOM", () => {
    const source = fixtures("pulumi", "northwind-logistics.noncompliant.preview.json");
    const expected = steward(["gate", "-", "--stack", "northwind-logistics", "--format", "json"], readFileSync(source));
    expect(expected.code).toBe(1);
    expect(steward(["gate", "-", "--stack", "northwind-logistics", "--format", "json"], encodings["UTF-8 with a BOM"](original(source)))).toEqual(expected);
  });

  it("a UTF-16 preview without a BOM is refused (exit 2) naming the file, the encoding and the fix", () => {
    const file = write("no-bom-utf16.json", Buffer.from(original(fixtures("pulumi", "northwind-logistics.noncompliant.preview.json")), "utf16le"));
    const { code, stdout, stderr } = steward(["gate", file]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`steward: ${file} is UTF-16 or UTF-32 without a byte order mark (it has NUL bytes), which steward does not read: ${UTF8_FIX}\n`);
  });
});
