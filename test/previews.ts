// The preview digest builder lives in bench/previews.ts (the benchmarks generate their inputs with
// it too); tests import it from here.
export * from "../bench/previews";
