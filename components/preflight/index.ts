// The preflight: a plan as the document a first preview would give, judged before anything registers.
export { planDocument, planResources, referencedNames, urnOf, type PlanContext, type StackIdentity } from "./document";
export { Judgement, clientContext, judgeBaseline } from "./judgement";
export { BaselineRefusedError, formatFinding } from "./refusal";
