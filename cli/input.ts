import { readFileSync, statSync } from "node:fs";
import { InputError, asError } from "../core/errors";
import { runPulumi } from "./pulumi";

/** Inputs larger than this are refused with a message rather than read into memory. */
export const MAX_INPUT_BYTES = Number(process.env.STEWARD_MAX_INPUT_MB ?? 512) * 1024 * 1024;

export const inputName = (file: string) => (file === "-" ? "standard input" : file);

/** Reads a file (or standard input for `-`) as text; every failure names the input. */
export function readInput(file: string): string {
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
    const text = readFileSync(file === "-" ? 0 : file, "utf8");
    if (text.length > MAX_INPUT_BYTES) throw new InputError(`${name} is over the ${MAX_INPUT_BYTES / 1048576} MiB limit; raise STEWARD_MAX_INPUT_MB`);
    return text;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${name}: ${asError(error).message}`);
  }
}

/** The Pulumi document a command works on: the file (or stdin) given, or, with only a stack,
 *  what the Pulumi CLI prints for `pulumiArgs` on that stack. */
export function documentText(file: string | undefined, stack: string | undefined, pulumiArgs: string[]): { text: string; name: string } {
  if (file !== undefined) return { text: readInput(file), name: inputName(file) };
  if (stack === undefined) throw new InputError("give the Pulumi JSON document (a file, or - for stdin), or --stack NAME to run Pulumi for it");
  return runPulumi(pulumiArgs, stack);
}
