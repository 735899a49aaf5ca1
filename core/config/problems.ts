/** What is wrong with a stack file, and where: collected from every pass, reported at once. */
import { InputError } from "../errors";
import type { Anchor, Segment, YamlSource } from "./yaml-source";

/** One thing wrong with a stack file. `line` and `column` are 1-based. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Key path, e.g. `config."steward:endpoints"[1].ring`; `(document)` for the file as a whole. */
  path: string;
  message: string;
}

/** `file:line:col: path: message`, the form editors and terminals turn into links. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.path}: ${problem.message}`;
}

/** A stack file with problems (exit 2). The message lists every problem, one per line. */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const count = `${problems.length} ${problems.length === 1 ? "problem" : "problems"}`;
    super([`${count} in ${file}:`, ...problems.map(formatProblem)].join("\n"));
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `config."steward:endpoints"[1].ring`: keys that are not plain names are quoted. */
function formatPath(path: readonly Segment[]): string {
  if (path.length === 0) return "(document)";
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      const key = IDENTIFIER.test(segment) ? segment : JSON.stringify(segment);
      return index === 0 ? key : `.${key}`;
    })
    .join("");
}

/** The problems of one file as the passes find them, each placed in the file by its key path. */
export class Problems {
  private readonly found: Array<{ offset: number; path: Segment[]; message: string }> = [];

  constructor(
    private readonly file: string,
    readonly source: YamlSource,
  ) {}

  add(path: Segment[], anchor: Anchor, message: string): void {
    this.addAt(this.source.offset(path, anchor), path, message);
  }

  addAt(offset: number, path: Segment[], message: string): void {
    this.found.push({ offset, path, message });
  }

  any(): boolean {
    return this.found.length > 0;
  }

  /** Every problem once, in file order (problems at the same place keep the order they were found). */
  error(): ConfigError {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const { offset, path, message } of [...this.found].sort((a, b) => a.offset - b.offset)) {
      const problem = { file: this.file, ...this.source.position(offset), path: formatPath(path), message };
      const line = formatProblem(problem);
      if (seen.has(line)) continue;
      seen.add(line);
      problems.push(problem);
    }
    return new ConfigError(this.file, problems);
  }
}
