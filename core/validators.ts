/**
 * The JSON Schema validators, compiled when steward is built rather than on every run.
 *
 * Compiling a schema with ajv costs more than validating a document with it (see BENCHMARKS.md,
 * first round), and the CLI runs on every pull request.
 * `npm run build` (scripts/build-validators.mjs) compiles each schema below with ajv's standalone
 * code generation into `dist/validators/<name>.js`, with exactly the options written here, and
 * records in the module a hash of the schema and options it was built from. Loading refuses a
 * module that is missing or was built from another schema or other options, and says to rebuild:
 * validation is never skipped, and a stale validator never judges a document.
 *
 * The generated code needs ajv's small runtime helpers (`ajv/dist/runtime/*`), not ajv itself.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Options, ValidateFunction } from "ajv";
import { BuildOutputError, asError } from "./errors";
import { packageRoot } from "./paths";
import clientConfigSchema from "./schema/client-config.schema.json";
import complianceReportSchema from "./schema/compliance-report.schema.json";
import fleetOverviewSchema from "./schema/fleet-overview.schema.json";
import stewardInputSchema from "./schema/steward-input.schema.json";

/** One schema and the Ajv2020 options it is compiled with. */
export interface ValidatorSpec {
  /** The schema is `core/schema/<name>.schema.json`; its validator `dist/validators/<name>.js`. */
  name: string;
  schema: object;
  /** The build adds only the code generation options (`code: { source: true, esm: false }`). */
  options: Options;
}

/** The normalized input document (core/validate.ts). */
export const STEWARD_INPUT: ValidatorSpec = {
  name: "steward-input",
  schema: stewardInputSchema,
  options: { allErrors: true, strict: true },
};

/** A client's stack file (core/config/). */
export const CLIENT_CONFIG: ValidatorSpec = {
  name: "client-config",
  schema: clientConfigSchema,
  // verbose: errors carry the failing value and the schema around the keyword, for the wording.
  // patternErrorMessage and errorMessage are the editors' extension keywords for a message in words.
  options: { allErrors: true, strict: true, verbose: true, keywords: ["patternErrorMessage", "errorMessage"] },
};

/** A client's compliance report (core/compliance/), as `steward report` writes and reads it back (`--previous`). */
export const COMPLIANCE_REPORT: ValidatorSpec = {
  name: "compliance-report",
  schema: complianceReportSchema,
  options: { allErrors: true, strict: true },
};

/** The fleet overview (core/compliance/fleet.ts), as `steward report` writes it and reads it back (`--previous`). */
export const FLEET_OVERVIEW: ValidatorSpec = {
  name: "fleet-overview",
  schema: fleetOverviewSchema,
  // Its verdicts, counts and trend are the compliance report's ($ref to compliance-report.v1.json):
  // that schema is added to resolve them, and being among the options it is in the hash, so a
  // change to it makes this validator stale too.
  options: { allErrors: true, strict: true, schemas: [complianceReportSchema] },
};

/** Every validator the build generates. */
export const VALIDATORS: readonly ValidatorSpec[] = [STEWARD_INPUT, CLIENT_CONFIG, COMPLIANCE_REPORT, FLEET_OVERVIEW];

/** Where the build writes the generated validators. */
export const validatorsDir = (root = packageRoot()) => join(root, "dist", "validators");

/** sha256 of the schema and the options: what a generated validator records at build time. */
export function schemaHash(spec: ValidatorSpec): string {
  return createHash("sha256")
    .update(JSON.stringify({ schema: spec.schema, options: spec.options }))
    .digest("hex");
}

interface GeneratedModule {
  (data: unknown): boolean;
  schemaHash?: unknown;
}

/** The precompiled validator of `spec`; throws BuildOutputError (exit 3) when it is missing,
 *  cannot be loaded, or was generated from another schema or other options. */
export function loadValidator<T = unknown>(spec: ValidatorSpec, dir: string = validatorsDir()): ValidateFunction<T> {
  const file = join(dir, `${spec.name}.js`);
  const source = `core/schema/${spec.name}.schema.json`;
  if (!existsSync(file)) {
    throw new BuildOutputError(`The precompiled schema validator ${file} is missing (it is generated from ${source}).`);
  }
  let generated: GeneratedModule;
  try {
    generated = createRequire(file)(file) as GeneratedModule;
  } catch (error) {
    throw new BuildOutputError(`The precompiled schema validator ${file} could not be loaded: ${asError(error).message}.`, { cause: error });
  }
  const expected = schemaHash(spec);
  if (typeof generated !== "function" || generated.schemaHash !== expected) {
    const built = typeof generated === "function" && typeof generated.schemaHash === "string" ? generated.schemaHash.slice(0, 12) : "none";
    throw new BuildOutputError(
      `The precompiled schema validator ${file} is stale: it was generated from another version of ${source} ` +
        `or with other options (validator ${built}, schema ${expected.slice(0, 12)}).`,
    );
  }
  return generated as ValidateFunction<T>;
}
