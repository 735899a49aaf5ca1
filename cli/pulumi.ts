import { spawnSync } from "node:child_process";
import { InputError } from "../core/errors";
import { packageRoot } from "../core/policy-sources";

/**
 * Runs the Pulumi CLI for a command that was given a stack but no document: `pulumi preview`
 * for the gate, `pulumi refresh --preview-only` for drift. Returns what it printed on stdout.
 */
export function runPulumi(args: string[], stack: string): { text: string; name: string } {
  const command = ["pulumi", ...args, "--json", "--non-interactive", "--stack", stack];
  const result = spawnSync("pulumi", command.slice(1), { cwd: packageRoot(), encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new InputError(
      `no document given and \`pulumi\` is not on PATH; run \`${command.join(" ")} > preview.json\` where Pulumi is installed and pass the file`,
    );
  }
  if (result.error) throw new InputError(`\`${command.join(" ")}\` could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const detail = (result.stderr || result.stdout || "").trim().split("\n").slice(-5).join("\n  ");
    throw new InputError(`\`${command.join(" ")}\` failed (exit ${result.status}):\n  ${detail}`);
  }
  return { text: result.stdout, name: `output of \`${command.join(" ")}\`` };
}
