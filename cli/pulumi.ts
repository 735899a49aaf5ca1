import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../core/errors";
import { packageRoot } from "../core/paths";

/** The variable naming the folder `pulumi` runs in when `--cwd` does not. */
export const PULUMI_CWD_VARIABLE = "STEWARD_PULUMI_CWD";

/**
 * Where `pulumi` runs for `steward gate --stack` and `steward drift --stack`: the folder holding the
 * project's Pulumi.yaml (pulumi looks there and above). `--cwd`, else STEWARD_PULUMI_CWD, else the
 * steward checkout (its own Pulumi.yaml: one client per stack).
 */
export function pulumiDirectory(cwd: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = cwd ?? (env[PULUMI_CWD_VARIABLE] || undefined);
  if (chosen === undefined) return packageRoot();
  const dir = resolve(chosen);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`${cwd !== undefined ? "--cwd" : PULUMI_CWD_VARIABLE} names ${dir}, which is not a folder; name the folder holding the project's Pulumi.yaml`);
  }
  return dir;
}

/**
 * Runs the Pulumi CLI for a command that was given a stack but no document: `pulumi preview`
 * for the gate, `pulumi refresh --preview-only` for drift. `pulumi` comes from PATH and runs in
 * `pulumiDirectory(cwd)` with steward's environment, so PULUMI_HOME, PULUMI_BACKEND_URL,
 * PULUMI_CONFIG_PASSPHRASE and the provider's credentials apply as they do to any pulumi run.
 * Returns what it printed on stdout.
 */
export function runPulumi(args: string[], stack: string, cwd?: string): { text: string; name: string } {
  const command = ["pulumi", ...args, "--json", "--non-interactive", "--stack", stack];
  const dir = pulumiDirectory(cwd);
  const result = spawnSync("pulumi", command.slice(1), { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new InputError(
      `no document given and \`pulumi\` is not on PATH; run \`${command.join(" ")} > preview.json\` where Pulumi is installed and pass the file`,
    );
  }
  if (result.error) throw new InputError(`\`${command.join(" ")}\` could not run in ${dir}: ${result.error.message}`);
  if (result.status !== 0) {
    const detail = (result.stderr || result.stdout || "").trim().split("\n").slice(-5).join("\n  ");
    throw new InputError(`\`${command.join(" ")}\` failed in ${dir} (exit ${result.status}):\n  ${detail}`);
  }
  return { text: result.stdout, name: `output of \`${command.join(" ")}\`` };
}
