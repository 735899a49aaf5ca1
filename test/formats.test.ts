// The CLI's renderers (cli/formats): the gate report as SARIF, JUnit, GitHub Actions and a
// terminal table; the text of check, drift and evaluate; repeated advisory findings grouped.
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import type { Log, ReportingDescriptor, Result, Run } from "sarif";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import type { DriftReport } from "../core/drift";
import type { Finding, PolicyDescriptor } from "../core/engine";
import { exceptionText, type NotFullyEnforced } from "../core/exceptions";
import type { GateFinding, GateReport } from "../core/gate-report";
import {
  artifactUri,
  escapeData,
  escapeProperty,
  findingLines,
  groupRepeatedAdvisories,
  groupText,
  json,
  markdownCell,
  renderCheck,
  renderDrift,
  renderEvaluate,
  renderGate,
  resourceName,
  toGitHub,
  toJUnit,
  toSarif,
  toTable,
  wantsColor,
} from "../cli/formats";
import type { CheckReport, EvaluateReport } from "../cli/reports";
import { engine, readJson, root } from "./support";

const VM = "urn:pulumi:prod::msp::azure-native:compute:VirtualMachine::web-01";
const ARC = "urn:pulumi:prod::msp::azure-native:hybridcompute:Machine::files-01";
const RING = "urn:pulumi:prod::msp::azure-native:maintenance:MaintenanceConfiguration::broad";

const finding = (fields: Partial<GateFinding> & Pick<GateFinding, "policy" | "status" | "urn" | "message">): GateFinding => ({
  title: `${fields.policy} title`,
  severity: "high",
  enforcement: "mandatory",
  type: "azure-native:compute:VirtualMachine",
  remediation: `Fix ${fields.policy}.`,
  waiver: null,
  // As the gate decides under --fail-on any.
  blocking: (fields.enforcement ?? "mandatory") === "mandatory" && fields.status !== "resolved" && (fields.waiver ?? null) === null,
  ...fields,
});

/** Every kind of finding, with text that each format must escape. */
const report: GateReport = {
  version: 1,
  summary: { blocking: 2, advisory: 1, waived: 1, resources: 7 },
  findings: [
    finding({
      policy: "antivirus-installed",
      title: "Endpoint runs antivirus",
      severity: "critical",
      status: "new",
      urn: VM,
      message: 'Azure VM "web-01" <prod> & co has no antivirus extension',
      remediation: "Add the Microsoft Antimalware extension\nto the VM.\n\nOr Defender for Endpoint.\n",
    }),
    finding({
      policy: "patch-orchestration-unverified",
      title: "Patch orchestration unverified",
      severity: "low",
      enforcement: "advisory",
      status: "new",
      urn: ARC,
      type: "azure-native:hybridcompute:Machine",
      message: 'Arc machine "files-01" is 100% unverified\nsecond line | piped',
      remediation: "Own the machine in the stack.",
    }),
    finding({
      policy: "antivirus-up-to-date",
      status: "existing",
      urn: VM,
      message: "Antivirus handler 1.5 is older than 1.7",
      waiver: {
        policy: "antivirus-up-to-date",
        resource: VM,
        reason: 'Vendor "X" pins 1.5, see ticket: OPS-42 & <more>',
        approver: "ciso@msp.example",
        created: "2026-01-05",
        expires: "2026-03-31",
      },
    }),
    finding({
      policy: "managed-tags",
      severity: "medium",
      status: "existing",
      urn: VM,
      message: 'Tag "owner" is [secret]\u0007\u001b[31m; tag "ring" is missing',
      remediation: "Tag it.",
    }),
    finding({
      policy: "rings-staged",
      severity: "medium",
      status: "resolved",
      urn: RING,
      type: "azure-native:maintenance:MaintenanceConfiguration",
      message: 'Ring "broad" starts before ring "pilot"',
    }),
  ],
  notFullyEnforced: [],
};

/** A justified override and a waiver on every resource of a critical policy, with text to escape. */
const weakenedEntries: NotFullyEnforced[] = [
  {
    policy: "patch-orchestration",
    title: "Patch orchestration",
    severity: "high",
    defaultEnforcement: "mandatory",
    level: "advisory",
    resource: null,
    reason: "Client IT patches | until CHG-88",
    approver: "Dana Whitfield",
    created: "2026-11-20",
    expires: "2027-02-15",
    daysLeft: 80,
    findings: 3,
  },
  {
    policy: "antivirus-installed",
    title: "Endpoint runs antivirus",
    severity: "critical",
    defaultEnforcement: "mandatory",
    level: "waived",
    resource: "*",
    reason: "Vendor appliances <x> & more",
    approver: "ciso@msp.example",
    created: "2026-11-01",
    expires: "2026-11-27",
    daysLeft: 0,
    findings: 1,
  },
];
const weakened: GateReport = { ...report, notFullyEnforced: weakenedEntries };
const WEAKENED_LINES = [
  "patch-orchestration (high): advisory instead of mandatory until 2027-02-15 (80 days left); 3 findings do not block; approved by Dana Whitfield: Client IT patches | until CHG-88",
  "antivirus-installed (critical): waived on every resource (*) until 2026-11-27 (its last day); hides 1 finding; approved by ciso@msp.example: Vendor appliances <x> & more",
];

const catalog: PolicyDescriptor[] = [
  {
    id: "rings-staged",
    title: "Rings are staged",
    description: "Rings run pilot first.",
    severity: "medium",
    enforcement: "mandatory",
    remediation: "Order the rings.",
    references: ["https://learn.microsoft.com/en-us/azure/update-manager/scheduled-patching"],
  },
  {
    id: "antivirus-installed",
    title: "Endpoint runs antivirus",
    description: "Every endpoint runs Microsoft Antimalware\nor Defender for Endpoint.\n\nLinux always gets MDE.\n",
    severity: "critical",
    enforcement: "mandatory",
    remediation: "Add the Microsoft Antimalware extension\nto the VM.\n",
    references: ["not a uri", "https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions/Azure%20Update%20Manager", "https://example.org/b"],
  },
  {
    id: "antivirus-up-to-date",
    title: "Antivirus is up to date",
    description: "Automatic upgrades on.",
    severity: "high",
    enforcement: "mandatory",
    remediation: "Turn on automatic minor version upgrades.",
    references: [],
  },
  {
    id: "managed-tags",
    title: "Managed resources are tagged",
    description: "client, managed-by and ring tags.",
    severity: "medium",
    enforcement: "mandatory",
    remediation: "Tag it.",
    references: [],
  },
  {
    id: "patch-orchestration-unverified",
    title: "Patch orchestration unverified",
    description: "Machines the stack does not own.",
    severity: "low",
    enforcement: "advisory",
    remediation: "Own the machine in the stack.",
    references: [],
  },
];

const ESC = "\u001b";
const SGR = new RegExp(`${ESC}\\[\\d+m`, "g");

// The official schema is not written for ajv's strict mode (`required` inside `anyOf` without
// `properties`, union types): those checks of the schema's own style are off, the rest stay on.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
addFormats(ajv);
const validateSarif = ajv.compile(readJson<object>(join(root, "test", "schemas", "sarif-schema-2.1.0.json")));

function assertValidSarif(log: unknown) {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

/** A run as toSarif writes it: results and rules are always there (@types/sarif has them optional). */
type StewardRun = Run & { results: Result[]; tool: { driver: { rules: ReportingDescriptor[] } } };

/** The one run of a log toSarif wrote. */
function sarifRun(log: Log): StewardRun {
  const [run, ...more] = log.runs;
  if (!run?.results || !run.tool.driver.rules || more.length > 0) throw new Error("expected one run with results and rules");
  return run as StewardRun;
}

const location = (urn: string, uri = "Pulumi.yaml") => [
  {
    physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
    logicalLocations: [{ fullyQualifiedName: urn, kind: "resource" }],
  },
];
const fingerprints = (hash: string) => ({ primaryLocationLineHash: hash, "stewardFinding/v1": hash });

describe("toSarif", () => {
  const log = toSarif(report, { toolVersion: "0.1.0", rules: catalog });
  const run = sarifRun(log);

  it("is valid against the OASIS SARIF 2.1.0 schema: one run, steward as the driver, the catalog as rules", () => {
    assertValidSarif(log);
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const { rules, ...driver } = run.tool.driver;
    expect(driver).toEqual({ name: "steward", informationUri: "https://steward.dev/", semanticVersion: "0.1.0" });
    expect(rules.map((rule) => rule.id)).toEqual(["antivirus-installed", "antivirus-up-to-date", "managed-tags", "patch-orchestration-unverified", "rings-staged"]);
  });

  it("describes each rule from the catalog: title, description, remediation, first web reference, level, tags", () => {
    const rules = run.tool.driver.rules;
    expect(rules[0]).toEqual({
      id: "antivirus-installed",
      name: "AntivirusInstalled",
      shortDescription: { text: "Endpoint runs antivirus" },
      fullDescription: { text: "Every endpoint runs Microsoft Antimalware or Defender for Endpoint.\n\nLinux always gets MDE." },
      help: {
        text: "Add the Microsoft Antimalware extension to the VM.",
        markdown:
          "Add the Microsoft Antimalware extension to the VM.\n\nReferences:\n\n" +
          "- <https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions/Azure%20Update%20Manager>\n" +
          "- <https://example.org/b>",
      },
      helpUri: "https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions/Azure%20Update%20Manager",
      defaultConfiguration: { level: "error" },
      properties: { tags: ["security", "critical"], precision: "very-high", "security-severity": "9.5" },
    });
    // No reference: no helpUri. Advisory and low: a note by default.
    expect(rules[3]).toEqual({
      id: "patch-orchestration-unverified",
      name: "PatchOrchestrationUnverified",
      shortDescription: { text: "Patch orchestration unverified" },
      fullDescription: { text: "Machines the stack does not own." },
      help: { text: "Own the machine in the stack.", markdown: "Own the machine in the stack." },
      defaultConfiguration: { level: "note" },
      properties: { tags: ["security", "low"], precision: "very-high", "security-severity": "3.0" },
    });
    expect(rules.map((rule) => rule.defaultConfiguration?.level)).toEqual(["error", "error", "error", "note", "error"]);
  });

  it("reports every finding the change leaves in place, none that it resolves: levels, suppressions, locations, fingerprints", () => {
    expect(run.results).toEqual([
      {
        ruleId: "antivirus-installed",
        ruleIndex: 0,
        level: "error",
        message: { text: 'Azure VM "web-01" <prod> & co has no antivirus extension' },
        locations: location(VM),
        partialFingerprints: fingerprints("8818c4f7b3ff9d53831854dbc8012bc0148e67483c3465d453323ba307e79c90"),
        baselineState: "new",
      },
      {
        ruleId: "patch-orchestration-unverified",
        ruleIndex: 3,
        level: "warning",
        message: { text: 'Arc machine "files-01" is 100% unverified\nsecond line | piped' },
        locations: location(ARC),
        partialFingerprints: fingerprints("0f3b154dd9947c236e18d124b10a16049089ab7a65cbdef95c6e4118f4de59d4"),
        baselineState: "new",
      },
      {
        ruleId: "antivirus-up-to-date",
        ruleIndex: 1,
        level: "error",
        message: { text: "Antivirus handler 1.5 is older than 1.7" },
        locations: location(VM),
        partialFingerprints: fingerprints("b019bdf9d6d83a95f5dd40383c903b283838c958a6a7d0349dfa3544bf866f8b"),
        baselineState: "unchanged",
        suppressions: [{ kind: "external", justification: 'Vendor "X" pins 1.5, see ticket: OPS-42 & <more>' }],
      },
      {
        ruleId: "managed-tags",
        ruleIndex: 2,
        level: "error",
        message: { text: 'Tag "owner" is [secret]\u0007\u001b[31m; tag "ring" is missing' },
        locations: location(VM),
        partialFingerprints: fingerprints("e3f588bf671b82f9131d7426515dcc967af431520337a8e8bfc8c6365ca446b9"),
        baselineState: "unchanged",
      },
    ]);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
  });

  it("fingerprints are sha256(policy, urn, message): the same on every run, whatever the status or artifact", () => {
    const again = toSarif(structuredClone(report), { toolVersion: "9.9.9", rules: [...catalog].reverse(), artifact: "preview.json" });
    expect(sarifRun(again).results.map((result) => result.partialFingerprints)).toEqual(run.results.map((result) => result.partialFingerprints));
    const nowExisting = { ...report, findings: report.findings.map((f) => ({ ...f, status: f.status === "new" ? ("existing" as const) : f.status })) };
    expect(sarifRun(toSarif(nowExisting, { toolVersion: "0.1.0", rules: catalog })).results.map((r) => r.partialFingerprints)).toEqual(
      run.results.map((r) => r.partialFingerprints),
    );
  });

  it("points results at the artifact it is given, as a URI reference", () => {
    const preview = toSarif(report, { toolVersion: "0.1.0", rules: catalog, artifact: "./out/preview one.json" });
    assertValidSarif(preview);
    expect(sarifRun(preview).results[0]?.locations?.[0]?.physicalLocation?.artifactLocation).toEqual({ uri: "out/preview%20one.json" });
    expect(artifactUri("Pulumi.yaml")).toBe("Pulumi.yaml");
    expect(artifactUri("ci\\preview#1.json")).toBe("ci/preview%231.json");
    expect(artifactUri("/home/runner/work/msp/preview.json")).toBe("file:///home/runner/work/msp/preview.json");
    expect(artifactUri("C:\\agent\\_work\\1\\s\\preview.json")).toBe("file:///C:/agent/_work/1/s/preview.json");
    expect(artifactUri("https://example.org/preview.json")).toBe("https://example.org/preview.json");
  });

  it("gives a finding whose policy is not in the catalog a rule of its own", () => {
    const unknown = finding({ policy: "custom-policy", status: "new", urn: VM, message: "custom" });
    const sarif = toSarif({ ...report, findings: [unknown] }, { toolVersion: "0.1.0", rules: catalog });
    assertValidSarif(sarif);
    const [only] = sarifRun(sarif).results;
    expect(only?.ruleIndex).toBe(5);
    expect(sarifRun(sarif).tool.driver.rules[5]).toMatchObject({ id: "custom-policy", shortDescription: { text: "custom-policy title" }, help: { text: "Fix custom-policy." } });
  });

  it("renders the real policy catalog as valid rules", () => {
    const rules = Object.values(engine().catalog);
    const sarif = toSarif(report, { toolVersion: "0.1.0", rules });
    assertValidSarif(sarif);
    expect(sarifRun(sarif).tool.driver.rules).toHaveLength(rules.length);
    for (const rule of sarifRun(sarif).tool.driver.rules) {
      expect(rule.fullDescription?.text.length).toBeLessThanOrEqual(1024);
      expect(rule.helpUri).toMatch(/^https:\/\//);
    }
  });

  it("the schema check bites: a wrong level, suppression kind or URI is refused", () => {
    const broken = (edit: (copy: StewardRun) => void) => {
      const copy = structuredClone(log);
      edit(sarifRun(copy));
      return validateSarif(copy);
    };
    expect(broken(() => undefined)).toBe(true);
    expect(broken((copy) => Object.assign(copy.results[0] ?? {}, { level: "fatal" }))).toBe(false);
    expect(broken((copy) => Object.assign(copy.results[2]?.suppressions?.[0] ?? {}, { kind: "waiver" }))).toBe(false);
    expect(broken((copy) => Object.assign(copy.tool.driver.rules[0] ?? {}, { helpUri: "not a uri" }))).toBe(false);
    expect(broken((copy) => Object.assign(copy.results[0] ?? {}, { rank: 1000 }))).toBe(false);
  });

  it("an empty report is a valid log with no results", () => {
    const empty = toSarif({ ...report, findings: [] }, { toolVersion: "0.1.0", rules: catalog });
    assertValidSarif(empty);
    expect(sarifRun(empty).results).toEqual([]);
  });
});

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** Parses with saxes, a strict XML 1.0 parser: any well-formedness error throws. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [{ name: "#document", attributes: {}, text: "", children: [] }];
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, text: "", children: [] };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on("text", (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on("closetag", () => void stack.pop());
  parser.write(xml).close();
  const [document] = stack;
  expect(document?.children).toHaveLength(1);
  return document?.children[0] as XmlElement;
}

describe("toJUnit", () => {
  const xml = toJUnit(report);

  it("renders one suite per policy and one case per finding: mandatory fails, advisory and waived are skipped, resolved passes", () => {
    const vm = "urn:pulumi:prod::msp::azure-native:compute:VirtualMachine::web-01";
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="steward gate" tests="5" failures="2" errors="0" skipped="2">',
        '  <testsuite name="antivirus-installed" tests="1" failures="1" errors="0" skipped="0">',
        `    <testcase classname="antivirus-installed" name="${vm}">`,
        '      <failure message="Azure VM &quot;web-01&quot; &lt;prod&gt; &amp; co has no antivirus extension" type="critical">Azure VM "web-01" &lt;prod&gt; &amp; co has no antivirus extension',
        "",
        "Policy: antivirus-installed (Endpoint runs antivirus); critical, mandatory",
        "Status: new",
        `Resource: ${vm} (azure-native:compute:VirtualMachine)`,
        "Remediation: Add the Microsoft Antimalware extension to the VM.",
        "",
        "Or Defender for Endpoint.</failure>",
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="antivirus-up-to-date" tests="1" failures="0" errors="0" skipped="1">',
        `    <testcase classname="antivirus-up-to-date" name="${vm}">`,
        '      <skipped message="waived by ciso@msp.example until 2026-03-31: Vendor &quot;X&quot; pins 1.5, see ticket: OPS-42 &amp; &lt;more&gt;">Antivirus handler 1.5 is older than 1.7',
        "",
        "Policy: antivirus-up-to-date (antivirus-up-to-date title); high, mandatory",
        "Status: existing",
        `Resource: ${vm} (azure-native:compute:VirtualMachine)`,
        "Remediation: Fix antivirus-up-to-date.</skipped>",
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="managed-tags" tests="1" failures="1" errors="0" skipped="0">',
        `    <testcase classname="managed-tags" name="${vm}">`,
        '      <failure message="Tag &quot;owner&quot; is [secret][31m; tag &quot;ring&quot; is missing" type="medium">Tag "owner" is [secret][31m; tag "ring" is missing',
        "",
        "Policy: managed-tags (managed-tags title); medium, mandatory",
        "Status: existing",
        `Resource: ${vm} (azure-native:compute:VirtualMachine)`,
        "Remediation: Tag it.</failure>",
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="patch-orchestration-unverified" tests="1" failures="0" errors="0" skipped="1">',
        `    <testcase classname="patch-orchestration-unverified" name="${ARC}">`,
        '      <skipped message="advisory: Arc machine &quot;files-01&quot; is 100% unverified&#10;second line | piped">Arc machine "files-01" is 100% unverified',
        "second line | piped",
        "",
        "Policy: patch-orchestration-unverified (Patch orchestration unverified); low, advisory",
        "Status: new",
        `Resource: ${ARC} (azure-native:hybridcompute:Machine)`,
        "Remediation: Own the machine in the stack.</skipped>",
        "    </testcase>",
        "  </testsuite>",
        '  <testsuite name="rings-staged" tests="1" failures="0" errors="0" skipped="0">',
        `    <testcase classname="rings-staged" name="${RING}"/>`,
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });

  it("is well-formed XML whose attributes read back as the report's text (control characters dropped)", () => {
    const suites = parseXml(xml);
    expect(suites.name).toBe("testsuites");
    expect(suites.children.map((suite) => [suite.attributes.name, suite.attributes.tests, suite.attributes.failures, suite.attributes.skipped])).toEqual([
      ["antivirus-installed", "1", "1", "0"],
      ["antivirus-up-to-date", "1", "0", "1"],
      ["managed-tags", "1", "1", "0"],
      ["patch-orchestration-unverified", "1", "0", "1"],
      ["rings-staged", "1", "0", "0"],
    ]);
    const cases = suites.children.flatMap((suite) => suite.children);
    expect(cases.map((c) => [c.attributes.classname, c.attributes.name, c.children.map((child) => child.name)])).toEqual([
      ["antivirus-installed", VM, ["failure"]],
      ["antivirus-up-to-date", VM, ["skipped"]],
      ["managed-tags", VM, ["failure"]],
      ["patch-orchestration-unverified", ARC, ["skipped"]],
      ["rings-staged", RING, []],
    ]);
    const outcomes = cases.map((c) => c.children[0]?.attributes.message);
    expect(outcomes).toEqual([
      'Azure VM "web-01" <prod> & co has no antivirus extension',
      'waived by ciso@msp.example until 2026-03-31: Vendor "X" pins 1.5, see ticket: OPS-42 & <more>',
      'Tag "owner" is [secret][31m; tag "ring" is missing',
      'advisory: Arc machine "files-01" is 100% unverified\nsecond line | piped',
      undefined,
    ]);
    expect(cases[0]?.children[0]?.attributes.type).toBe("critical");
    expect(cases[0]?.children[0]?.text.split("\n")[0]).toBe('Azure VM "web-01" <prod> & co has no antivirus extension');
  });

  it("escapes every attribute and text, and drops what XML cannot carry", () => {
    const nasty = "a\"b'c<d>e&f\tg\nh\ri\u0000j\u0001k\u001bl\u007fm\u0085n\ud800o\ufffep😀q]]>r";
    const junit = toJUnit({ ...report, findings: [finding({ policy: 'p"<&>', status: "new", urn: nasty, message: nasty, remediation: nasty })] });
    const testcase = parseXml(junit).children[0]?.children[0];
    const kept = "a\"b'c<d>e&f\tg\nh\rijklmnop😀q]]>r";
    expect(testcase?.attributes).toEqual({ classname: 'p"<&>', name: kept });
    expect(testcase?.children[0]?.attributes.message).toBe(kept);
    expect(junit).toContain('name="a&quot;b&apos;c&lt;d&gt;e&amp;f&#9;g&#10;h&#13;ijklmnop😀q]]&gt;r"');
    expect(junit).toContain(">a\"b'c&lt;d&gt;e&amp;f\tg\nh&#13;ijklmnop😀q]]&gt;r\n");
  });

  it("an empty report is an empty, well-formed test run", () => {
    const empty = toJUnit({ ...report, summary: { blocking: 0, advisory: 0, waived: 0, resources: 3 }, findings: [] });
    expect(empty).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="steward gate" tests="0" failures="0" errors="0" skipped="0"/>\n');
    expect(parseXml(empty).attributes.tests).toBe("0");
  });
});

describe("toGitHub", () => {
  const { annotations, summary } = toGitHub(report);

  it("writes one workflow command per finding the change leaves in place: error, warning, notice for waived", () => {
    expect(annotations).toBe(
      [
        '::error title=antivirus-installed::Azure VM "web-01" <prod> & co has no antivirus extension',
        '::warning title=patch-orchestration-unverified::Arc machine "files-01" is 100%25 unverified%0Asecond line | piped',
        '::notice title=antivirus-up-to-date::Antivirus handler 1.5 is older than 1.7 (waived by ciso@msp.example until 2026-03-31: Vendor "X" pins 1.5, see ticket: OPS-42 & <more>)',
        '::error title=managed-tags::Tag "owner" is [secret][31m; tag "ring" is missing',
        "",
      ].join("\n"),
    );
  });

  it("escapes data and properties exactly as @actions/core does, so report text cannot start a command", () => {
    expect(escapeData("100% a\r\nb: c, d")).toBe("100%25 a%0D%0Ab: c, d");
    expect(escapeProperty("100% a\r\nb: c, d")).toBe("100%25 a%0D%0Ab%3A c%2C d");
    const injected = finding({ policy: "x:y,z", status: "new", urn: VM, message: "bad\n::add-mask::value\r\n::error::fake" });
    const { annotations: lines } = toGitHub({ ...report, findings: [injected] });
    expect(lines).toBe("::error title=x%3Ay%2Cz::bad%0A::add-mask::value%0D%0A::error::fake\n");
    expect(lines.trimEnd().split("\n")).toHaveLength(1);
  });

  it("summarizes for $GITHUB_STEP_SUMMARY: verdict, counts, every finding with cells escaped", () => {
    expect(summary).toBe(
      [
        "## ❌ steward gate failed",
        "",
        "| blocking | advisory | waived | resolved | resources |",
        "| ---: | ---: | ---: | ---: | ---: |",
        "| 2 | 1 | 1 | 1 | 7 |",
        "",
        "### Findings",
        "",
        "| status | severity | policy | resource | message |",
        "| --- | --- | --- | --- | --- |",
        `| new | critical | antivirus-installed | ${VM} | Azure VM "web-01" \\<prod\\> \\& co has no antivirus extension |`,
        `| new | low (advisory) | patch-orchestration-unverified | ${ARC} | Arc machine "files-01" is 100% unverified<br>second line \\| piped |`,
        `| existing, waived | high | antivirus-up-to-date | ${VM} | Antivirus handler 1.5 is older than 1.7 |`,
        `| existing | medium | managed-tags | ${VM} | Tag "owner" is \\[secret\\]\\[31m; tag "ring" is missing |`,
        `| resolved | medium | rings-staged | ${RING} | Ring "broad" starts before ring "pilot" |`,
        "",
      ].join("\n"),
    );
  });

  it("a passing gate with no findings", () => {
    const passed = toGitHub({ ...report, summary: { blocking: 0, advisory: 0, waived: 0, resources: 3 }, findings: [] });
    expect(passed).toEqual({
      annotations: "",
      summary: [
        "## ✅ steward gate passed",
        "",
        "| blocking | advisory | waived | resolved | resources |",
        "| ---: | ---: | ---: | ---: | ---: |",
        "| 0 | 0 | 0 | 0 | 3 |",
        "",
        "No findings.",
        "",
      ].join("\n"),
    });
    expect(markdownCell("a|b\\|c")).toBe("a\\|b\\\\\\|c");
  });
});

describe("toTable", () => {
  const plain = [
    "New findings (2)",
    "  [mandatory] critical antivirus-installed",
    '    Azure VM "web-01" <prod> & co has no antivirus extension',
    `    resource: ${VM}`,
    "    fix: Add the Microsoft Antimalware extension to the VM.",
    "",
    "    Or Defender for Endpoint.",
    "",
    "  [advisory]  low      patch-orchestration-unverified",
    '    Arc machine "files-01" is 100% unverified',
    "    second line | piped",
    `    resource: ${ARC}`,
    "    fix: Own the machine in the stack.",
    "",
    "Existing findings (2)",
    "  [waived]    high     antivirus-up-to-date",
    "    Antivirus handler 1.5 is older than 1.7",
    `    resource: ${VM}`,
    '    waived by ciso@msp.example until 2026-03-31: Vendor "X" pins 1.5, see ticket: OPS-42 & <more>',
    "",
    "  [mandatory] medium   managed-tags",
    '    Tag "owner" is [secret][31m; tag "ring" is missing',
    `    resource: ${VM}`,
    "    fix: Tag it.",
    "",
    "Resolved by this change (1)",
    "  [resolved]  medium   rings-staged",
    '    Ring "broad" starts before ring "pilot"',
    `    resource: ${RING}`,
    "",
    "Gate failed: 2 blocking, 1 advisory, 1 waived, 1 resolved; 7 resources evaluated",
    "",
  ].join("\n");

  it("groups findings by status, without colour when asked (and report text cannot colour it either)", () => {
    const text = toTable(report, { color: false });
    expect(text).toBe(plain);
    expect(text).not.toContain(ESC);
  });

  it("with colour: the same text with ANSI styles", () => {
    const text = toTable(report, { color: true });
    expect(text).toContain(`${ESC}[1m${ESC}[31m[mandatory]${ESC}[39m${ESC}[22m critical`);
    expect(text).toContain(`${ESC}[1m${ESC}[31mGate failed${ESC}[39m${ESC}[22m: 2 blocking`);
    expect(text.replace(SGR, "")).toBe(plain);
  });

  it("no findings", () => {
    const empty = { ...report, summary: { blocking: 0, advisory: 0, waived: 0, resources: 3 }, findings: [] };
    expect(toTable(empty, { color: false })).toBe("No findings.\n\nGate passed: 0 blocking, 0 advisory, 0 waived, 0 resolved; 3 resources evaluated\n");
  });
});

describe("policies not fully enforced, in every format", () => {
  it("read the same everywhere: what, until when, what it does to the findings, who approved it, why", () => {
    expect(weakenedEntries.map(exceptionText)).toEqual(WEAKENED_LINES);
    expect(exceptionText({ ...weakenedEntries[0], level: "disabled", daysLeft: 1, findings: 1 } as NotFullyEnforced)).toBe(
      "patch-orchestration (high): disabled instead of mandatory until 2027-02-15 (1 day left); hides 1 finding; approved by Dana Whitfield: Client IT patches | until CHG-88",
    );
    expect(exceptionText({ ...weakenedEntries[0], findings: 1 } as NotFullyEnforced)).toContain("; 1 finding does not block;");
  });

  it("table: first, before the findings", () => {
    const text = toTable(weakened, { color: false });
    expect(text).toBe(`Not fully enforced for this client (2)\n  ${WEAKENED_LINES[0]}\n  ${WEAKENED_LINES[1]}\n\n${toTable(report, { color: false })}`);
    expect(toTable(weakened, { color: true })).toContain(`${ESC}[1m${ESC}[33mNot fully enforced for this client (2)${ESC}[39m${ESC}[22m`);
    const clean = { ...report, summary: { blocking: 0, advisory: 0, waived: 0, resources: 3 }, findings: [], notFullyEnforced: weakenedEntries };
    expect(toTable(clean, { color: false })).toBe(
      `Not fully enforced for this client (2)\n  ${WEAKENED_LINES[0]}\n  ${WEAKENED_LINES[1]}\n\nNo findings.\n\nGate passed: 0 blocking, 0 advisory, 0 waived, 0 resolved; 3 resources evaluated\n`,
    );
  });

  it("sarif: a tool configuration notification on each weakened rule, and the list in run.properties", () => {
    const log = toSarif(weakened, { toolVersion: "0.1.0", rules: catalog });
    assertValidSarif(log);
    const run = sarifRun(log);
    const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
    // patch-orchestration is not in this catalog: it gets a rule of its own, after the catalog's.
    expect(ruleIds).toEqual(["antivirus-installed", "antivirus-up-to-date", "managed-tags", "patch-orchestration-unverified", "rings-staged", "patch-orchestration"]);
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolConfigurationNotifications: [
          { level: "warning", message: { text: `Not fully enforced for this client: ${WEAKENED_LINES[0]}` }, associatedRule: { id: "patch-orchestration", index: 5 } },
          { level: "warning", message: { text: `Not fully enforced for this client: ${WEAKENED_LINES[1]}` }, associatedRule: { id: "antivirus-installed", index: 0 } },
        ],
      },
    ]);
    expect(run.properties).toEqual({ notFullyEnforced: weakenedEntries });
    expect(run.results).toEqual(sarifRun(toSarif(report, { toolVersion: "0.1.0", rules: catalog })).results);
    const plainRun = sarifRun(toSarif(report, { toolVersion: "0.1.0", rules: catalog }));
    expect("invocations" in plainRun || "properties" in plainRun).toBe(false);
  });

  it("junit: a suite of no tests, first, with a property each and the lines as system-out", () => {
    const xml = toJUnit(weakened);
    expect(xml).toBe(
      toJUnit(report).replace(
        '<testsuites name="steward gate" tests="5" failures="2" errors="0" skipped="2">\n',
        [
          '<testsuites name="steward gate" tests="5" failures="2" errors="0" skipped="2">',
          '  <testsuite name="Not fully enforced for this client" tests="0" failures="0" errors="0" skipped="0">',
          "    <properties>",
          `      <property name="not-fully-enforced" value="${WEAKENED_LINES[0]}"/>`,
          '      <property name="not-fully-enforced" value="antivirus-installed (critical): waived on every resource (*) until 2026-11-27 (its last day); hides 1 finding; approved by ciso@msp.example: Vendor appliances &lt;x&gt; &amp; more"/>',
          "    </properties>",
          `    <system-out>Not fully enforced for this client:\n${WEAKENED_LINES[0]}\nantivirus-installed (critical): waived on every resource (*) until 2026-11-27 (its last day); hides 1 finding; approved by ciso@msp.example: Vendor appliances &lt;x&gt; &amp; more</system-out>`,
          "  </testsuite>",
          "",
        ].join("\n"),
      ),
    );
    const suite = parseXml(xml).children[0];
    expect(suite?.attributes.name).toBe("Not fully enforced for this client");
    expect(suite?.children.map((child) => child.name)).toEqual(["properties", "system-out"]);
    expect(suite?.children[0]?.children.map((property) => property.attributes.value)).toEqual(WEAKENED_LINES);
  });

  it("github: a notice each, first, and a line and table under the summary's verdict", () => {
    const { annotations, summary } = toGitHub(weakened);
    expect(annotations).toBe(
      [
        `::notice title=Not fully enforced for this client%3A patch-orchestration::${WEAKENED_LINES[0]}`,
        `::notice title=Not fully enforced for this client%3A antivirus-installed::${WEAKENED_LINES[1]}`,
        toGitHub(report).annotations,
      ].join("\n"),
    );
    expect(summary).toBe(
      toGitHub(report).summary.replace(
        "| 2 | 1 | 1 | 1 | 7 |\n\n",
        [
          "| 2 | 1 | 1 | 1 | 7 |",
          "",
          "**Not fully enforced for this client: patch-orchestration, antivirus-installed**",
          "",
          "| policy | severity | enforcement | until | findings | approved by | reason |",
          "| --- | --- | --- | --- | --- | --- | --- |",
          "| patch-orchestration | high | advisory instead of mandatory | 2027-02-15 (80 days left) | 3 findings do not block | Dana Whitfield | Client IT patches \\| until CHG-88 |",
          "| antivirus-installed | critical | waived on every resource (\\*) | 2026-11-27 (its last day) | hides 1 finding | ciso@msp.example | Vendor appliances \\<x\\> \\& more |",
          "",
          "",
        ].join("\n"),
      ),
    );
  });
});

describe("wantsColor", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ["a terminal", tty, {}, true],
    ["a terminal, NO_COLOR empty (does not count)", tty, { NO_COLOR: "" }, true],
    ["a terminal, NO_COLOR=1", tty, { NO_COLOR: "1" }, false],
    ["a terminal, NO_COLOR=0 (any non-empty value)", tty, { NO_COLOR: "0" }, false],
    ["a dumb terminal", tty, { TERM: "dumb" }, false],
    ["a terminal, TERM=xterm-256color", tty, { TERM: "xterm-256color" }, true],
    ["a pipe", pipe, {}, false],
    ["a stream without isTTY", {}, {}, false],
  ])("%s", (_case, stream, env, expected) => {
    expect(wantsColor(stream as NodeJS.WriteStream, env as NodeJS.ProcessEnv)).toBe(expected);
  });
});

describe("every renderer shows only the report's own fields", () => {
  it("fields that are not part of the contract (a raw input, a secret) never reach any output", () => {
    const raw = { adminPassword: "hunter2-raw-input", protectedSettings: { key: "hunter2-protected" } };
    const leaky = {
      ...weakened,
      input: raw,
      summary: { ...report.summary, raw },
      findings: report.findings.map((f) => ({ ...f, properties: raw, waiver: f.waiver && { ...f.waiver, raw } })),
      notFullyEnforced: weakenedEntries.map((entry) => ({ ...entry, raw })),
    } as unknown as GateReport;
    const outputs = [
      JSON.stringify(toSarif(leaky, { toolVersion: "0.1.0", rules: catalog })),
      toJUnit(leaky),
      JSON.stringify(toGitHub(leaky)),
      toTable(leaky, { color: false }),
      toTable(leaky, { color: true }),
    ];
    for (const output of outputs) expect(output).not.toContain("hunter2");
    // The same text as without them: nothing else changes either.
    expect(toJUnit(leaky)).toBe(toJUnit(weakened));
    expect(toGitHub(leaky)).toEqual(toGitHub(weakened));
    expect(toTable(leaky, { color: false })).toBe(toTable(weakened, { color: false }));
    expect(toSarif(leaky, { toolVersion: "0.1.0", rules: catalog })).toEqual(toSarif(weakened, { toolVersion: "0.1.0", rules: catalog }));
  });

  it("a redacted value stays the placeholder the report carries", () => {
    const outputs = [JSON.stringify(toSarif(report, { toolVersion: "0.1.0", rules: catalog })), toJUnit(report), toGitHub(report).annotations, toTable(report, { color: false })];
    for (const output of outputs) expect(output).toContain("[secret]");
  });
});

describe("repeated advisory findings: one entry in text for people, every one in the machine formats", () => {
  const arc = (name: string) => `/subscriptions/5c3e9a4f/resourcegroups/rg-arc/providers/microsoft.hybridcompute/machines/${name}`;
  /** An advisory finding that a stack reports for every machine it does not own. */
  const unverified = (name: string, status: GateFinding["status"] = "new") =>
    finding({
      policy: "patch-orchestration-unverified",
      severity: "low",
      enforcement: "advisory",
      status,
      urn: arc(name),
      type: "azure-native:hybridcompute:Machine",
      message: `Arc machine "${name}" is not managed by this stack`,
      remediation: "Own the machine in the stack.",
    });
  const missingAntivirus = (name: string) =>
    finding({ policy: "antivirus-installed", severity: "critical", status: "new", urn: arc(name), message: `Arc machine "${name}" has no antivirus extension` });
  const engineFinding = ({ status: _status, blocking: _blocking, ...gate }: GateFinding): Finding => ({ ...gate, references: [] });

  it("groups the advisory findings of one policy and remediation from three resources on, where the first of them was", () => {
    const findings = [unverified("a-01"), missingAntivirus("a-02"), unverified("a-02"), unverified("a-03")];
    const advisory = (f: GateFinding) => f.enforcement === "advisory";
    expect(groupRepeatedAdvisories(findings, advisory)).toEqual([
      { group: [findings[0], findings[2], findings[3]], resources: ["a-01", "a-02", "a-03"] },
      { finding: findings[1] },
    ]);
    // Two resources read fine on their own.
    expect(groupRepeatedAdvisories(findings.slice(0, 3), advisory)).toEqual(findings.slice(0, 3).map((f) => ({ finding: f })));
    // Three findings on one resource are three causes there, not noise: not grouped.
    const oneMachine = ["patchMode", "assessmentMode", "bypass"].map((setting) => ({ ...unverified("a-01"), message: setting }));
    expect(groupRepeatedAdvisories(oneMachine, advisory)).toEqual(oneMachine.map((f) => ({ finding: f })));
    // Another remediation is another cause: two groups of two stay four findings.
    const otherCause = (name: string) => ({ ...unverified(name), remediation: "Import it." });
    const split = [unverified("a-01"), unverified("a-02"), otherCause("a-03"), otherCause("a-04")];
    expect(groupRepeatedAdvisories(split, advisory)).toEqual(split.map((f) => ({ finding: f })));
  });

  it("never groups a blocking finding, however often it repeats", () => {
    const blocking = ["a-01", "a-02", "a-03", "a-04"].map(missingAntivirus);
    expect(findingLines(blocking.map(engineFinding))).toEqual([
      '  BLOCK [antivirus-installed] Arc machine "a-01" has no antivirus extension',
      '  BLOCK [antivirus-installed] Arc machine "a-02" has no antivirus extension',
      '  BLOCK [antivirus-installed] Arc machine "a-03" has no antivirus extension',
      '  BLOCK [antivirus-installed] Arc machine "a-04" has no antivirus extension',
    ]);
  });

  it("names three resources and counts the rest, but names a fourth rather than count it", () => {
    expect(groupText(["a", "b", "c"])).toBe("3 resources: a, b, c");
    expect(groupText(["a", "b", "c", "d"])).toBe("4 resources: a, b, c, d");
    expect(groupText(["a", "b", "c", "d", "e"])).toBe("5 resources: a, b, c, … (+2 more)");
    expect(groupText(Array.from({ length: 12 }, (_, i) => `nwl-${i}`))).toBe("12 resources: nwl-0, nwl-1, nwl-2, … (+9 more)");
  });

  it("names a resource by a Pulumi URN's last part or an Azure resource id's last segment", () => {
    expect(resourceName(VM)).toBe("web-01");
    expect(resourceName(arc("hd-fs01"))).toBe("hd-fs01");
    expect(resourceName("enforcement:patch-orchestration")).toBe("enforcement:patch-orchestration");
  });

  const machines = ["hd-backup01", "hd-fs01", "hd-pms01", "hd-scan01", "hd-xray01"];
  const gate: GateReport = {
    version: 1,
    summary: { blocking: 1, advisory: 6, waived: 0, resources: 12 },
    findings: [missingAntivirus("hd-xray01"), ...machines.map((name) => unverified(name)), unverified("hd-old01", "existing")],
    notFullyEnforced: [],
  };

  it("gate, table: one entry per status for the repeated advisory finding, the blocking one whole", () => {
    expect(toTable(gate, { color: false })).toBe(
      [
        "New findings (6)",
        "  [mandatory] critical antivirus-installed",
        '    Arc machine "hd-xray01" has no antivirus extension',
        `    resource: ${arc("hd-xray01")}`,
        "    fix: Fix antivirus-installed.",
        "",
        "  [advisory]  low      patch-orchestration-unverified",
        "    5 resources: hd-backup01, hd-fs01, hd-pms01, … (+2 more)",
        "    fix: Own the machine in the stack.",
        "",
        "Existing findings (1)",
        "  [advisory]  low      patch-orchestration-unverified",
        '    Arc machine "hd-old01" is not managed by this stack',
        `    resource: ${arc("hd-old01")}`,
        "    fix: Own the machine in the stack.",
        "",
        "Gate failed: 1 blocking, 6 advisory, 0 waived, 0 resolved; 12 resources evaluated",
        "",
      ].join("\n"),
    );
    expect(toTable(gate, { color: true })).toContain(`  ${ESC}[33m[advisory] ${ESC}[39m low      ${ESC}[1mpatch-orchestration-unverified${ESC}[22m\n    5 resources: `);
  });

  it("gate, machine formats: every finding on its own", () => {
    const context = { rules: catalog, toolVersion: "0.1.0", color: false };
    expect(renderGate(gate, "json", context)).toEqual({ output: json(gate) });
    expect(JSON.parse(json(gate)).findings).toHaveLength(7);
    const sarif = JSON.parse(renderGate(gate, "sarif", context).output) as Log;
    expect(sarifRun(sarif).results.map((result) => [result.ruleId, resourceName(result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? "")])).toEqual([
      ["antivirus-installed", "hd-xray01"],
      ...machines.map((name) => ["patch-orchestration-unverified", name]),
      ["patch-orchestration-unverified", "hd-old01"],
    ]);
    expect(renderGate(gate, "junit", context).output.match(/<testcase classname="patch-orchestration-unverified"/g)).toHaveLength(6);
    const github = renderGate(gate, "github", context);
    expect(github.output.split("\n").filter((line) => line.startsWith("::warning title=patch-orchestration-unverified::"))).toHaveLength(6);
    expect(github.stepSummary?.match(/\| patch-orchestration-unverified \|/g)).toHaveLength(6);
  });

  it("check, text: the repeated advisory finding as one line per client, blocking lines whole", () => {
    const findings = [missingAntivirus("hd-xray01"), ...machines.map((name) => unverified(name))].map(engineFinding);
    const check: CheckReport = {
      version: 1,
      clients: [
        {
          stack: "harbor-dental",
          file: "stacks/Pulumi.harbor-dental.yaml",
          client: "harbor-dental",
          status: "blocking",
          endpoints: 6,
          rings: { pilot: ["hd-fs01"], broad: ["hd-pms01"] },
          findings,
          summary: { blocking: 1, advisory: 5, waived: 0, bySeverity: { critical: 1, low: 5 } },
          waivers: [],
          notFullyEnforced: [],
          problems: [],
        },
      ],
      summary: { clients: 1, pass: 0, blocking: 1, invalid: 0, error: 0 },
    };
    expect(renderCheck(check, "table")).toBe(
      [
        "CLIENT         STATUS    ENDPOINTS  RINGS              CRITICAL  HIGH  MEDIUM  LOW  ADVISORY  WAIVED  NOT FULLY ENFORCED",
        "-------------  --------  ---------  -----------------  --------  ----  ------  ---  --------  ------  ------------------",
        "harbor-dental  blocking  6          pilot(1) broad(1)  1         0     0       5    5         0       -",
        "",
        "harbor-dental: findings",
        '  BLOCK [antivirus-installed] Arc machine "hd-xray01" has no antivirus extension',
        "  warn  [patch-orchestration-unverified] 5 resources: hd-backup01, hd-fs01, hd-pms01, … (+2 more)",
        "",
      ].join("\n"),
    );
    expect(JSON.parse(renderCheck(check, "json")).clients[0].findings).toHaveLength(6);
  });

  it("drift, text: the findings the drift caused, the repeated advisory one grouped", () => {
    const drift: DriftReport = { version: 1, drifted: [], policies: { ...gate, findings: gate.findings.filter((f) => f.status === "new") } };
    expect(renderDrift(drift, "table")).toBe(
      [
        "No drift: the cloud matches Pulumi's state.",
        "",
        "Left unmanaged by the drift:",
        '  BLOCK [antivirus-installed] Arc machine "hd-xray01" has no antivirus extension',
        "  warn  [patch-orchestration-unverified] 5 resources: hd-backup01, hd-fs01, hd-pms01, … (+2 more)",
        "",
      ].join("\n"),
    );
  });

  it("evaluate, text: one row for the repeated advisory finding; a waived one stays its own row", () => {
    const waiver = { policy: "patch-orchestration-unverified", resource: arc("hd-scan01"), reason: "Scanner appliance", approver: "ciso@msp.example", created: "2026-11-01", expires: "2027-01-31" };
    const findings = [missingAntivirus("hd-xray01"), ...machines.map((name) => unverified(name))].map(engineFinding);
    findings[4] = { ...(findings[4] as Finding), waiver };
    const evaluation: EvaluateReport = {
      version: 1,
      findings,
      summary: { blocking: 1, advisory: 4, waived: 1 },
      exceptions: { enforcement: {}, validWaivers: [0], disabledFindings: {} },
      notFullyEnforced: [],
    };
    expect(renderEvaluate(evaluation, "table")).toBe(
      [
        "STATUS     SEVERITY  POLICY                          MESSAGE",
        "---------  --------  ------------------------------  ------------------------------------------------------",
        'mandatory  critical  antivirus-installed             Arc machine "hd-xray01" has no antivirus extension',
        "advisory   low       patch-orchestration-unverified  4 resources: hd-backup01, hd-fs01, hd-pms01, hd-xray01",
        'waived     low       patch-orchestration-unverified  Arc machine "hd-scan01" is not managed by this stack',
        "",
        "1 blocking, 4 advisory, 1 waived",
        "",
      ].join("\n"),
    );
  });
});
