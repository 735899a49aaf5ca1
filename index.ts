// The Pulumi program: one client per stack. `pulumi up --stack <client>` reads
// stacks/Pulumi.<client>.yaml with the same loader as `steward check` (so a bad setting fails
// with its file, line and column) and deploys that client's baseline, which refuses itself —
// before creating anything — when any policy blocks it. Pulumi runs the compiled dist/index.js
// (Pulumi.yaml); `npm run build` compiles it with the rest.
import * as pulumi from "@pulumi/pulumi";
import { isAbsolute, join } from "node:path";
import { ClientBaseline } from "./components/baseline";
import { loadClientConfig } from "./core/config";
import { StewardError } from "./core/errors";
import { packageRoot } from "./core/paths";

/** steward's own errors (a bad stack file, a stale policy bundle) are the user's to fix: Pulumi
 *  shows their message without a stack trace. */
function deploy(): ClientBaseline {
  try {
    // The selected stack's file, in the project's stackConfigDir (Pulumi.yaml: stacks/): under the
    // engine, of the project it runs (an absolute path; scripts/pulumi-local.mjs runs a copy);
    // under the tests' mocks, where the SDK's root directory is a placeholder, of this repository.
    const engineRoot = pulumi.getRootDirectory();
    const projectRoot = isAbsolute(engineRoot) ? engineRoot : packageRoot(__dirname);
    const config = loadClientConfig(join(projectRoot, "stacks", `Pulumi.${pulumi.getStack()}.yaml`));
    return new ClientBaseline(config.client.id, { config });
  } catch (error) {
    if (error instanceof StewardError) throw new pulumi.RunError(error.message, { cause: error });
    throw error;
  }
}

const baseline = deploy();

export const rings = baseline.rings;
export const responsibilities = baseline.responsibilities;
export const preflight = baseline.preflight;
export const compliance = baseline.compliance;
