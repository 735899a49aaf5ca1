// Hand-written, not built with a JUnit library. There is no type package for JUnit XML as there
// is for SARIF (@types/sarif), and the best-known builder, junit-report-builder 5.1.2, was weighed
// (December 2026) and left out:
// - it installs 5 packages, 6.4 MB (lodash alone 4.9 MB), into the CLI's runtime dependencies,
//   for what is about a hundred lines here;
// - its `TestCase.skipped()` takes no message and no text, so an advisory or waived finding would
//   lose the `<skipped message="…">` and the details a pipeline shows;
// - the XML writer under it (xmlbuilder 15) throws on a character XML cannot carry unless told to
//   replace it, so a control character in a resource name or a waiver's reason would fail the
//   whole report; here such characters are dropped and everything else escaped, which
//   test/formats.test.ts holds to by parsing the output back with an XML parser (saxes).
// What it writes is the Ant JUnit report shape that Azure DevOps (`PublishTestResults@2`, JUnit)
// and GitLab (`artifacts:reports:junit`) read: <testsuites>, a <testsuite> per policy with
// tests/failures/errors/skipped counts, a <testcase> per finding with <failure> or <skipped>, and
// <properties> and <system-out> for the policies not fully enforced.
import type { GateFinding, GateReport } from "../../core/gate-report";
import { NOT_FULLY_ENFORCED, exceptionText, outcome, unwrap, waiverText } from "./common";

/**
 * Characters an XML document must not contain (every C0 control but tab, line feed and carriage
 * return; U+FFFE, U+FFFF; lone surrogates), plus DEL and the C1 controls, which XML 1.0 allows
 * but discourages and some readers reject. They are dropped, not escaped: XML 1.0 has no
 * escape for them (`&#1;` is not well-formed either).
 */
const CONTROL = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: markup characters escaped; CR escaped so a parser's line-end handling keeps it. */
export function escapeXmlText(text: string): string {
  return text.replace(CONTROL, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/**
 * An attribute value (always written between double quotes): markup characters and both quotes
 * escaped, and tab, LF and CR as character references, which attribute-value normalization would
 * otherwise turn into spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join("");

/** What a failed or skipped test case says beyond its message attribute. */
function details(finding: GateFinding): string {
  return [
    finding.message,
    "",
    `Policy: ${finding.policy} (${finding.title}); ${finding.severity}, ${finding.enforcement}`,
    `Status: ${finding.status}`,
    `Resource: ${finding.urn} (${finding.type})`,
    `Remediation: ${unwrap(finding.remediation)}`,
  ].join("\n");
}

function testcase(finding: GateFinding): string {
  const open = `    <testcase${attributes({ classname: finding.policy, name: finding.urn })}`;
  switch (outcome(finding)) {
    case "resolved":
      return `${open}/>`;
    case "mandatory":
      return `${open}>\n      <failure${attributes({ message: finding.message, type: finding.severity })}>${escapeXmlText(details(finding))}</failure>\n    </testcase>`;
    case "advisory":
      return `${open}>\n      <skipped${attributes({ message: `advisory: ${finding.message}` })}>${escapeXmlText(details(finding))}</skipped>\n    </testcase>`;
    case "waived":
      return `${open}>\n      <skipped${attributes({ message: finding.waiver ? waiverText(finding.waiver) : "waived" })}>${escapeXmlText(details(finding))}</skipped>\n    </testcase>`;
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(findings: GateFinding[]): Counts {
  const outcomes = findings.map(outcome);
  return {
    tests: findings.length,
    failures: outcomes.filter((o) => o === "mandatory").length,
    errors: 0,
    skipped: outcomes.filter((o) => o === "advisory" || o === "waived").length,
  };
}

/**
 * The gate report as JUnit XML, for Azure DevOps (`PublishTestResults@2`, `testResultsFormat:
 * JUnit`) and GitLab (`artifacts:reports:junit`): one test suite per policy with findings, one
 * test case per finding (class name = policy id, name = resource URN). A mandatory finding the
 * change leaves in place fails; an advisory or waived one is skipped, so it shows without failing
 * the build; a resolved one passes. The policies not fully enforced for the client come first, as
 * a suite of no tests named after them: one property each (`not-fully-enforced` → the policy and
 * why) and the same lines as the suite's standard output (system-out).
 */
export function toJUnit(report: GateReport): string {
  const byPolicy = new Map<string, GateFinding[]>();
  for (const finding of report.findings) {
    const findings = byPolicy.get(finding.policy);
    if (findings) findings.push(finding);
    else byPolicy.set(finding.policy, [finding]);
  }
  const suites = [...byPolicy.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([policy, findings]) =>
      [`  <testsuite${attributes({ name: policy, ...count(findings) })}>`, ...findings.map(testcase), "  </testsuite>"].join("\n"),
    );
  if (report.notFullyEnforced.length > 0) {
    const lines = report.notFullyEnforced.map(exceptionText);
    suites.unshift(
      [
        `  <testsuite${attributes({ name: NOT_FULLY_ENFORCED, tests: 0, failures: 0, errors: 0, skipped: 0 })}>`,
        "    <properties>",
        ...lines.map((line) => `      <property${attributes({ name: "not-fully-enforced", value: line })}/>`),
        "    </properties>",
        `    <system-out>${escapeXmlText([`${NOT_FULLY_ENFORCED}:`, ...lines].join("\n"))}</system-out>`,
        "  </testsuite>",
      ].join("\n"),
    );
  }
  const root = `<testsuites${attributes({ name: "steward gate", ...count(report.findings) })}`;
  const body = suites.length > 0 ? [`${root}>`, ...suites, "</testsuites>"] : [`${root}/>`];
  return ['<?xml version="1.0" encoding="UTF-8"?>', ...body].join("\n") + "\n";
}
