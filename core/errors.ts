/**
 * Every way steward can end, in one table (shared by all commands and documented in README.md).
 * Nothing that could not be checked ever ends with PASS.
 */
export const ExitCode = {
  /** Evaluated; no blocking finding. */
  PASS: 0,
  /** Evaluated; at least one mandatory finding that no valid waiver covers. */
  BLOCKING_FINDINGS: 1,
  /** Bad input or usage: unreadable file, wrong document, invalid configuration, unknown option. */
  BAD_INPUT: 2,
  /** Internal error: missing or stale build output (policy bundle, schema validators), engine failure, a bug. */
  INTERNAL: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that knows how steward should end because of it. */
export class StewardError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input (a file, a document, a configuration) is wrong: exit 2. */
export class InputError extends StewardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.BAD_INPUT, options);
  }
}

/** A build output (the policy bundle, a precompiled schema validator) is missing, stale or
 *  broken: exit 3, with how to rebuild. */
export class BuildOutputError extends StewardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}\n  Rebuild it with \`npm run build\`.`, ExitCode.INTERNAL, options);
  }
}

/** The compiled policy bundle is missing, stale or broken: exit 3, with how to rebuild. */
export class PolicyBundleError extends BuildOutputError {}

/** The policy engine failed while evaluating: exit 3. */
export class EvaluationError extends StewardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.INTERNAL, options);
  }
}

/** Turns whatever was thrown (the wasm SDK throws bare strings and objects) into an Error. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === "string") return new Error(thrown);
  if (typeof thrown === "object" && thrown !== null && "message" in thrown) return new Error(String(thrown.message));
  return new Error(`non-error value thrown: ${JSON.stringify(thrown)}`);
}
