import { writeFileSync } from "node:fs";
import { InputError, asError } from "../core/errors";

/** Writes a command's rendered report: into `file` when one is given (`--output`), else to standard output. */
export function writeOutput(text: string, file?: string): void {
  // An empty --output names no file.
  if (!file) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${asError(error).message}`);
  }
}
