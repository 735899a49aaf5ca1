// The Pulumi program: one client per stack. `pulumi up --stack <client>` reads
// stacks/Pulumi.<client>.yaml with the same loader as `steward check` (so a bad setting fails
// with its file, line and column) and deploys that client's baseline, which refuses itself —
// before creating anything — when any policy blocks it. Pulumi runs the compiled dist/index.js
// (Pulumi.yaml); `npm run build` compiles it with the rest.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { ClientBaseline } from "./components/baseline";
import { loadClientConfig } from "./core/config-loader";
import { StewardError } from "./core/errors";
import { packageRoot } from "./core/policy-sources";

/** steward's own errors (a bad stack file, a stale policy bundle) are the user's to fix: Pulumi
 *  shows their message without a stack trace. */
function deploy(): ClientBaseline {
  try {
    // From index.ts (tests) or dist/index.js (Pulumi) alike: the stack files live at the root.
    const config = loadClientConfig(join(packageRoot(__dirname), "stacks", `Pulumi.${pulumi.getStack()}.yaml`));
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
