/**
 * The six questions a managed endpoint must answer, and which policy answers which: the one table
 * every compliance output reads (the report, and the components' stack outputs). A policy added to
 * the catalog without an entry here fails test/compliance-questions.test.ts.
 */
import type { CoverageFindingKind } from "../coverage";
import type { QuestionId, Service, Verdict } from "./types";

export interface Question {
  id: QuestionId;
  /** 1-6: the order the report asks them. */
  number: number;
  /** As the report asks it. */
  text: string;
  /** A column heading: two words at most. */
  heading: string;
  /** Whose responsible party answers for it (the stack file's `responsibilities`). */
  service: Service;
}

export const QUESTIONS: readonly Question[] = [
  { id: "installed", number: 1, text: "Is antivirus installed on all computers?", heading: "Installed", service: "antivirus" },
  { id: "working", number: 2, text: "Is it working right now (real-time protection on, scans scheduled)?", heading: "Working", service: "antivirus" },
  { id: "up-to-date", number: 3, text: "Is it kept up to date?", heading: "Up to date", service: "antivirus" },
  {
    id: "catching-threats",
    number: 4,
    text: "Is it set up to catch threats (safe exclusions, alerts routed, machines reporting)?",
    heading: "Catching threats",
    service: "antivirus",
  },
  { id: "latest-release", number: 5, text: "Is it at the latest release?", heading: "Latest release", service: "antivirus" },
  { id: "patched", number: 6, text: "Are security patches applied on schedule?", heading: "Patched", service: "patching" },
];

/**
 * Where a policy's findings go in the report: the question they answer, with what an open (not
 * waived) finding makes the answer — `no`, or `not-verifiable` for a policy that only says the
 * stack cannot see something — or the section they belong to when they answer no question.
 */
export type PolicyTopic = { question: QuestionId; openFinding: Exclude<Verdict, "yes"> } | { section: "responsibilities" | "exceptions" };

export const POLICY_TOPICS: Readonly<Record<string, PolicyTopic>> = {
  "antivirus-installed": { question: "installed", openFinding: "no" },
  "machine-type-recognized": { question: "installed", openFinding: "no" },
  "antivirus-protection-on": { question: "working", openFinding: "no" },
  "antivirus-up-to-date": { question: "up-to-date", openFinding: "no" },
  "antivirus-safe-exclusions": { question: "catching-threats", openFinding: "no" },
  "threat-alerts-routed": { question: "catching-threats", openFinding: "no" },
  "endpoint-reports": { question: "catching-threats", openFinding: "no" },
  "endpoint-in-one-ring": { question: "patched", openFinding: "no" },
  "ring-installs-security-fixes": { question: "patched", openFinding: "no" },
  "rings-staged": { question: "patched", openFinding: "no" },
  "patch-orchestration": { question: "patched", openFinding: "no" },
  // It names a machine whose patch settings the stack cannot see: unknown, never compliant.
  "patch-orchestration-unverified": { question: "patched", openFinding: "not-verifiable" },
  // The client and managed-by tags say whose a resource is and who manages it.
  "managed-tags": { section: "responsibilities" },
  "waivers-valid": { section: "exceptions" },
};

/** The same for what the Resource Graph inventory shows (core/coverage.ts), by kind of finding. */
export const COVERAGE_TOPICS: Readonly<Record<CoverageFindingKind, { question: QuestionId; openFinding: Exclude<Verdict, "yes"> }>> = {
  unmanaged: { question: "installed", openFinding: "no" },
  "outside-scope": { question: "installed", openFinding: "no" },
  "foreign-tag": { question: "installed", openFinding: "no" },
  // A declared machine Azure does not list: gone, renamed or moved; its antivirus cannot be shown.
  missing: { question: "installed", openFinding: "not-verifiable" },
  "patch-orchestration": { question: "patched", openFinding: "no" },
};

/** The topic of a policy's findings; a policy the table does not know is an error, never dropped. */
export function policyTopic(policy: string): PolicyTopic {
  const topic = Object.hasOwn(POLICY_TOPICS, policy) ? POLICY_TOPICS[policy] : undefined;
  if (topic === undefined) throw new Error(`policy "${policy}" has no entry in core/compliance/questions.ts POLICY_TOPICS`);
  return topic;
}

/** The questions a service's responsible party answers for. */
export const questionsOf = (service: Service): QuestionId[] => QUESTIONS.filter((question) => question.service === service).map((question) => question.id);

const RANK: Readonly<Record<Verdict, number>> = { no: 0, "not-verifiable": 1, yes: 2 };

/** The worse of verdicts: no, then not-verifiable, then yes; yes for none. */
export function worst(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = "yes";
  for (const verdict of verdicts) if (RANK[verdict] < RANK[result]) result = verdict;
  return result;
}

/** Orders verdicts worst first. */
export const verdictRank = (verdict: Verdict): number => RANK[verdict];
