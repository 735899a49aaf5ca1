import { describe, expect, it } from "vitest";
import { COVERAGE_TOPICS, POLICY_TOPICS, QUESTIONS, policyTopic, worst } from "../core/compliance";
import { QUESTION_IDS } from "../core/compliance/types";
import { engine } from "./support";

describe("the policy → question table", () => {
  it("maps every policy of the catalog, and nothing else", () => {
    expect(Object.keys(POLICY_TOPICS).sort()).toEqual(Object.keys(engine().catalog).sort());
  });

  it("puts the two policies that answer no question in their sections", () => {
    expect(Object.entries(POLICY_TOPICS).filter(([, topic]) => "section" in topic)).toEqual([
      ["managed-tags", { section: "responsibilities" }],
      ["waivers-valid", { section: "exceptions" }],
    ]);
  });

  it("counts only patch-orchestration-unverified's findings as not verifiable, and a missing machine's", () => {
    expect(Object.entries(POLICY_TOPICS).filter(([, topic]) => "openFinding" in topic && topic.openFinding === "not-verifiable").map(([id]) => id)).toEqual(["patch-orchestration-unverified"]);
    expect(Object.entries(COVERAGE_TOPICS).filter(([, topic]) => topic.openFinding === "not-verifiable").map(([kind]) => kind)).toEqual(["missing"]);
  });

  it("refuses a policy it does not know rather than dropping its findings", () => {
    expect(() => policyTopic("antivirus-everywhere")).toThrow('policy "antivirus-everywhere" has no entry in core/compliance/questions.ts POLICY_TOPICS');
  });

  it("asks the six questions in order, the patching one answered by whoever patches", () => {
    expect(QUESTIONS.map((question) => [question.number, question.id, question.service])).toEqual([
      [1, "installed", "antivirus"],
      [2, "working", "antivirus"],
      [3, "up-to-date", "antivirus"],
      [4, "catching-threats", "antivirus"],
      [5, "latest-release", "antivirus"],
      [6, "patched", "patching"],
    ]);
    expect(QUESTIONS.map((question) => question.id)).toEqual([...QUESTION_IDS]);
  });

  it("ranks no worst, then not verifiable, then yes", () => {
    expect(worst([])).toBe("yes");
    expect(worst(["yes", "not-verifiable", "yes"])).toBe("not-verifiable");
    expect(worst(["not-verifiable", "no", "yes"])).toBe("no");
  });
});
