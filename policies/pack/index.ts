// steward's CrossGuard policy pack: `pulumi preview --policy-pack policies/pack` (and `pulumi up`).
// The engine runs it with the Node.js language host (@pulumi/pulumi/cmd/run-policy-pack) in this
// folder, which loads package.json's `main`: this file compiled by `npm run build` to
// dist/policies/pack/index.js. What the pack does is in pack.ts.
import { PolicyPack } from "@pulumi/policy";
import { StewardPack, PACK_NAME } from "./pack";
import { installAnalyzerInfoCache, installSecretRedaction } from "./sdk";

installSecretRedaction();
installAnalyzerInfoCache();
new PolicyPack(PACK_NAME, new StewardPack().args());
