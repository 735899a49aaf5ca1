import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/**
 * Collects garbage now. The gate and drift call it once (`pulumiStates`, cli/input.ts), between
 * reading a preview and evaluating it: the parsed preview (most of the heap at that point) is
 * garbage by then, and collecting it before the wasm evaluation grows memory lowers the peak RSS
 * (BENCHMARKS.md, second round); V8 would otherwise collect it only while the evaluation grows
 * the heap. V8 hands out its collector only behind --expose-gc,
 * which can be set at run time.
 */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}
