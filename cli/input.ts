import { readFileSync, statSync } from "node:fs";
import { utf8Bytes } from "../core/encoding";
import { InputError, asError } from "../core/errors";
import { MAX_PIECE_BYTES, parseJsonBuffer } from "../core/large-json";
import { parseEventLog, parsePulumiText, resourceStates, type ResourceStates } from "../core/sources/pulumi";
import { collectGarbage } from "./memory";
import { runPulumi } from "./pulumi";

/** Inputs larger than this are refused with a message rather than read into memory. */
export const MAX_INPUT_BYTES = Number(process.env.STEWARD_MAX_INPUT_MB ?? 1024) * 1024 * 1024;

export const inputName = (file: string) => (file === "-" ? "standard input" : file);

/**
 * Reads a file (or standard input for `-`) as UTF-8 bytes without a byte order mark (UTF-16 with
 * one, as Windows PowerShell writes, is decoded: core/encoding.ts); every failure names the input.
 */
export function readInputBytes(file: string): Buffer {
  const name = inputName(file);
  try {
    if (file !== "-") {
      const size = statSync(file).size;
      if (size > MAX_INPUT_BYTES) {
        throw new InputError(
          `${name} is ${Math.ceil(size / 1048576)} MiB, over the ${MAX_INPUT_BYTES / 1048576} MiB limit; ` +
            "split the stack or raise STEWARD_MAX_INPUT_MB",
        );
      }
    }
    // Bytes, decoded by the caller, which is faster than readFileSync(file, "utf8") for large
    // files (BENCHMARKS.md, first round).
    const bytes = readFileSync(file === "-" ? 0 : file);
    if (bytes.length > MAX_INPUT_BYTES) throw new InputError(`${name} is over the ${MAX_INPUT_BYTES / 1048576} MiB limit; raise STEWARD_MAX_INPUT_MB`);
    return utf8Bytes(bytes, name);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${name}: ${asError(error).message}`);
  }
}

/** Reads a file (or standard input for `-`) as text; every failure names the input. */
export function readInput(file: string): string {
  return readInputBytes(file).toString("utf8");
}

/**
 * The resources before and after the change the Pulumi document a command works on describes
 * (`refresh`: a refresh preview, whose outputs are what is there). The parsed document is garbage
 * once they are read, and is collected before the caller goes on to evaluate (cli/memory.ts).
 */
export function pulumiStates(
  file: string | undefined,
  stack: string | undefined,
  pulumiArgs: string[],
  options: { refresh?: boolean; cwd?: string } = {},
): ResourceStates {
  const { document, name } = pulumiDocument(file, stack, pulumiArgs, options.cwd);
  const states = resourceStates(document, name, options);
  collectGarbage();
  return states;
}

/**
 * The Pulumi document a command works on, parsed: the file (or stdin) given, or, with only a
 * stack, what the Pulumi CLI prints for `pulumiArgs` on that stack (run in `cwd`, cli/pulumi.ts). A file too large to be one
 * JavaScript string (a preview of some 100,000 resources) is parsed in pieces from its bytes
 * (core/large-json.ts); an event log that large, line by line.
 */
function pulumiDocument(file: string | undefined, stack: string | undefined, pulumiArgs: string[], cwd: string | undefined): { document: unknown; name: string } {
  if (file === undefined) {
    if (stack === undefined) throw new InputError("give the Pulumi JSON document (a file, or - for stdin), or --stack NAME to run Pulumi for it");
    const { text, name } = runPulumi(pulumiArgs, stack, cwd);
    return { document: parsePulumiText(text, name), name };
  }
  const name = inputName(file);
  const input = readDocumentInput(file);
  return { document: typeof input === "string" ? parsePulumiText(input, name) : parseLargePulumiBytes(input, name), name };
}

/** A file short enough to be one string as text, else its bytes: nothing holds the bytes of the
 *  text while it is parsed, so their memory is free again by the time the parsed document peaks. */
function readDocumentInput(file: string): string | Buffer {
  const bytes = readInputBytes(file);
  return bytes.length <= MAX_PIECE_BYTES ? bytes.toString("utf8") : bytes;
}

function parseLargePulumiBytes(bytes: Buffer, name: string): unknown {
  try {
    return parseJsonBuffer(bytes);
  } catch (whole) {
    if (!(whole instanceof SyntaxError)) throw whole;
    const lines: string[] = [];
    for (let start = 0; start < bytes.length; ) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline < 0 ? bytes.length : newline;
      lines.push(bytes.toString("utf8", start, end));
      start = end + 1;
    }
    return parseEventLog(lines, name, whole);
  }
}
