// The Pulumi program: one client per stack. `pulumi up --stack <client>` reads
// stacks/Pulumi.<client>.yaml with the same loader as `steward check` (so a bad setting fails
// with its file, line and column) and deploys that client's baseline, which refuses itself —
// before creating anything — when any policy blocks it.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { ClientBaseline } from "./components/baseline";
import { loadClientConfig } from "./core/config-loader";

const config = loadClientConfig(join(__dirname, "stacks", `Pulumi.${pulumi.getStack()}.yaml`));
const baseline = new ClientBaseline(config.client.id, { config });

export const rings = baseline.rings;
export const responsibilities = baseline.responsibilities;
export const preflight = baseline.preflight;
