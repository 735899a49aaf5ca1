// The preflight (components/preflight/), re-exported. This module sits beside its folder instead of
// inside it as index.ts: a dist/ built before the folder existed holds preflight.js, which Node loads
// for "./preflight" ahead of preflight/index.js, so the old code would shadow the new.
export { planDocument, planResources, referencedNames, urnOf, type PlanContext, type StackIdentity } from "./preflight/document";
export { Judgement, clientContext, judgeBaseline } from "./preflight/judgement";
export { BaselineRefusedError, formatFinding } from "./preflight/refusal";
