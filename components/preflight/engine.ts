import { PolicyEngine } from "../../core/engine";

let bundled: PolicyEngine | undefined;

/**
 * The engine a preflight judges with when it is given none: the bundle in build/policy, loaded on
 * first use and kept for the life of the process. A program may judge many components (one per
 * endpoint when they are not under a ClientBaseline), and loading compiles the wasm module each
 * time; evaluations share nothing but the compiled module and its memory, so one engine serves
 * them all. A test or caller that wants another bundle passes its own engine instead.
 */
export function bundledEngine(): PolicyEngine {
  bundled ??= PolicyEngine.loadSync();
  return bundled;
}
