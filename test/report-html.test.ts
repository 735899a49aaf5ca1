// The compliance report as an HTML page (cli/formats/report-html.ts), parsed as a browser would
// (parse5, the WHATWG parser): valid HTML5 with its landmarks, headings in order and table headers
// with a scope; nothing that runs or loads; every value escaped; the exact words, charts and links
// of the example clients' pages. Northwind's whole page is committed as
// fixtures/reports/northwind-logistics.html and compared byte for byte; after a deliberate change,
// regenerate it with `STEWARD_WRITE_FIXTURES=1 npx vitest run test/report-html.test.ts` and review
// the diff. test/browser/ looks at the same pages in Chromium.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
// parse5 is an ES module only, so this CommonJS test loads it with import().
import type * as Parse5 from "parse5" with { "resolution-mode": "import" };
import type { DefaultTreeAdapterTypes } from "parse5" with { "resolution-mode": "import" };
import { beforeAll, describe, expect, it } from "vitest";
import { digestOf, fleetOverview, type FleetOverview, type ReportManifest } from "../core/compliance";
import { clientHtml, fleetHtml, manifestHtml, overviewHtml } from "../cli/formats/report-html";
import { escapeHtml, html } from "../cli/formats/report-html/markup";
import { fixtures, readJson, root } from "./support";
import { exampleReport, hostileReport } from "./support/reports";

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

let parse5: typeof Parse5;
beforeAll(async () => {
  parse5 = await import("parse5");
});

const CLIENTS = ["northwind-logistics", "contoso-legal", "harbor-dental"] as const;

/** The page as a browser's parser builds it; any parse error (a stray tag, a bad attribute) fails the test. */
function parsePage(text: string): DefaultTreeAdapterTypes.Document {
  const errors: string[] = [];
  const document = parse5.parse(text, { onParseError: (error) => errors.push(`${error.code} at line ${error.startLine}`) });
  expect(errors).toEqual([]);
  return document;
}

/** Every element below `node`, in document order. */
function elements(node: ParentNode): Element[] {
  return node.childNodes.flatMap((child) => ("tagName" in child ? [child, ...elements(child), ...("content" in child ? elements(child.content) : [])] : []));
}

const all = (node: ParentNode, tag: string) => elements(node).filter((element) => element.tagName === tag);
const attribute = (element: Element, name: string) => element.attrs.find((entry) => entry.name === name)?.value;

// Elements that break a line (or stand apart) where a reader sees them: their text is set apart by a space.
const SEPARATE = new Set(["br", "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "tr", "th", "td", "svg", "title", "text", "h1", "h2", "h3", "h4", "h5", "h6"]);

/** The text a reader sees, with whitespace collapsed. */
function text(node: ParentNode): string {
  const parts: string[] = [];
  const walk = (parent: ParentNode) => {
    for (const child of parent.childNodes) {
      if (child.nodeName === "#text") parts.push((child as DefaultTreeAdapterTypes.TextNode).value);
      else if ("tagName" in child) {
        const apart = SEPARATE.has(child.tagName) ? " " : "";
        parts.push(apart);
        walk(child);
        parts.push(apart);
      }
    }
  };
  walk(node);
  return parts.join("").replace(/\s+/g, " ").trim();
}

const headings = (node: ParentNode) => elements(node).flatMap((element) => (/^h[1-6]$/.test(element.tagName) ? [`${element.tagName} ${text(element)}`] : []));

/** What every page must be, whatever it shows. */
function expectWellFormedPage(page: string): DefaultTreeAdapterTypes.Document {
  const document = parsePage(page);
  expect(document.mode).toBe("no-quirks");
  const root = all(document, "html")[0] as Element;
  expect(attribute(root, "lang")).toBe("en");
  const head = all(document, "head")[0] as Element;
  expect(attribute(all(head, "meta")[0] as Element, "charset")).toBe("utf-8");
  expect(all(head, "title")).toHaveLength(1);
  expect(all(document, "main")).toHaveLength(1);
  expect(all(document, "h1")).toHaveLength(1);
  // Headings never skip a level going down.
  const levels = headings(document).map((entry) => Number(entry[1]));
  levels.forEach((level, index) => expect(level - (levels[index - 1] ?? 0), `heading ${index} skips a level`).toBeLessThanOrEqual(1));
  for (const cell of all(document, "th")) expect(["col", "row"]).toContain(attribute(cell, "scope"));
  // Nothing runs, nothing loads: no script, no event handler, no address outside the page and
  // its archive, no style that fetches.
  expect(all(document, "script")).toEqual([]);
  for (const element of elements(document)) {
    expect(element.attrs.filter((entry) => entry.name.startsWith("on")).map((entry) => entry.name)).toEqual([]);
    expect(element.attrs.filter((entry) => ["src", "srcset", "xlink:href", "action", "poster", "data"].includes(entry.name))).toEqual([]);
  }
  for (const link of all(document, "a")) expect(attribute(link, "href")).toMatch(/^(#[\w-]+|(\.\.\/)?[\w-]+(\/[\w-]+)*\.(html|json|md))$/);
  const style = all(document, "style").map(text).join("\n");
  expect(style).not.toMatch(/@import|url\((?!#)/);
  for (const element of elements(document)) if (attribute(element, "href") !== undefined) expect(element.tagName).toBe("a");
  // Ids are unique, and every link within the page lands on one.
  const ids = elements(document).flatMap((element) => attribute(element, "id") ?? []);
  expect(ids.length).toBe(new Set(ids).size);
  for (const link of all(document, "a")) {
    const href = attribute(link, "href") as string;
    if (href.startsWith("#")) expect(ids).toContain(href.slice(1));
  }
  // Every chart is an image with a name in words.
  for (const chart of all(document, "svg").filter((element) => attribute(element, "role") === "img")) {
    const title = chart.childNodes[0] as Element;
    expect(title.tagName).toBe("title");
    expect(text(title)).not.toBe("");
  }
  return document;
}

const chartNames = (node: ParentNode) => all(node, "svg").flatMap((chart) => (attribute(chart, "role") === "img" ? [text(all(chart, "title")[0] as Element)] : []));
const rows = (table: Element) => all(table, "tr").map((row) => row.childNodes.filter((cell): cell is Element => "tagName" in cell).map(text));
const byId = (node: ParentNode, id: string) => elements(node).find((element) => attribute(element, "id") === id) as Element;

describe("one client's page", () => {
  it("is northwind-logistics's page, byte for byte", () => {
    const page = clientHtml(exampleReport("northwind-logistics"));
    const path = fixtures("reports", "northwind-logistics.html");
    if (process.env.STEWARD_WRITE_FIXTURES === "1") writeFileSync(path, page);
    expect(page).toBe(readFileSync(path, "utf8"));
  });

  it.each(CLIENTS)("%s's page is valid HTML5 that runs and loads nothing", (client) => {
    const page = clientHtml(exampleReport(client));
    expectWellFormedPage(page);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it("reads top-down: the verdict, the six questions, then the engineer's details", () => {
    const document = expectWellFormedPage(clientHtml(exampleReport("northwind-logistics")));
    expect(text(all(document, "title")[0] as Element)).toBe("Compliance report: Northwind Logistics Ltd, 2026-W49");
    expect(headings(document).filter((entry) => !entry.startsWith("h5"))).toEqual([
      "h1 Northwind Logistics Ltd",
      "h2 Summary",
      "h2 The six questions",
      "h3 1. Is antivirus installed on all computers?",
      "h3 2. Is it working right now (real-time protection on, scans scheduled)?",
      "h3 3. Is it kept up to date?",
      "h3 4. Is it set up to catch threats (safe exclusions, alerts routed, machines reporting)?",
      "h3 5. Is it at the latest release?",
      "h3 6. Are security patches applied on schedule?",
      "h2 Details for engineers",
      "h3 Machines and their answers",
      "h4 The evidence, machine by machine",
      "h3 Findings",
      "h4 critical (4)",
      "h4 high (2)",
      "h4 low (8)",
      "h3 Waivers and enforcement exceptions",
      "h3 Drift since the last update",
      "h3 Patch windows from 30 November 2026 to 29 December 2026",
      "h3 Who answers for what",
      "h3 Provenance",
    ]);
    // One h5 per machine, under "The evidence, machine by machine".
    expect(headings(document).filter((entry) => entry.startsWith("h5"))).toEqual(exampleReport("northwind-logistics").endpoints.map((row) => `h5 ${row.name}`));
    expect(all(document, "header").map((element) => text(all(element, "h1")[0] as Element))).toEqual(["Northwind Logistics Ltd"]);
    expect(all(document, "nav").map((element) => attribute(element, "aria-label"))).toEqual(["Contents"]);
    expect(all(document, "footer").map(text)).toEqual(["Generated 30 November 2026, 12:00 UTC by steward 0.1.0. This page is self-contained: it loads nothing and prints on A4."]);
  });

  it("says the verdict in words, with the machines as a chart and a legend", () => {
    const summary = byId(expectWellFormedPage(clientHtml(exampleReport("northwind-logistics"))), "summary");
    const overall = elements(summary).find((element) => attribute(element, "class") === "overall overall-no") as Element;
    expect(all(overall, "p").map(text)).toEqual([
      "✗ No Action needed: some answers are no.",
      "Of the 10 machines, 7 have at least one answer no, 2 have answers that cannot be verified from here (each question below says who would know) and 1 has every answer yes.",
    ]);
    expect(chartNames(summary)[0]).toBe("Machines by status, of 10 machines: 1 yes, 7 no, 2 not verifiable here");
    expect(text(elements(summary).find((element) => attribute(element, "class") === "summary-chart") as Element)).toBe(
      "Machines by status, of 10 machines: 1 yes, 7 no, 2 not verifiable here 1/10 all yes Machines with every answer yes: 1 of 10. ✓ 1 yes ✗ 7 no ? 2 not verifiable here",
    );
  });

  it("answers the six questions at a glance, each with its chart", () => {
    const summary = byId(expectWellFormedPage(clientHtml(exampleReport("northwind-logistics"))), "summary");
    const glance = all(summary, "table")[0] as Element;
    expect(text(all(glance, "caption")[0] as Element)).toBe("The six questions at a glance");
    expect(rows(glance)).toEqual([
      ["Question", "Answer", "Who answers for it", "Machines"],
      ["1. Is antivirus installed on all computers?", "✗ No", "the MSP antivirus", "Question 1, on 10 machines: 8 yes, 2 no ✓ 8 yes ✗ 2 no"],
      ["2. Is it working right now (real-time protection on, scans scheduled)?", "✗ No", "the MSP antivirus", "Question 2, on 10 machines: 4 yes, 3 no, 3 not verifiable here ✓ 4 yes ✗ 3 no ? 3 not verifiable here"],
      ["3. Is it kept up to date?", "✗ No", "the MSP antivirus", "Question 3, on 10 machines: 8 yes, 2 no ✓ 8 yes ✗ 2 no"],
      ["4. Is it set up to catch threats (safe exclusions, alerts routed, machines reporting)?", "✗ No", "the MSP antivirus", "Question 4, on 10 machines: 8 yes, 2 no ✓ 8 yes ✗ 2 no"],
      ["5. Is it at the latest release?", "✗ No", "the MSP antivirus", "Question 5, on 10 machines: 8 yes, 2 no ✓ 8 yes ✗ 2 no"],
      ["6. Are security patches applied on schedule?", "✗ No", "the MSP patching", "Question 6, on 10 machines: 1 yes, 7 no, 2 not verifiable here ✓ 1 yes ✗ 7 no ? 2 not verifiable here"],
    ]);
    // Each bar's parts are the counts' shares of its 240 units: question 2 is 4 yes, 3 no, 3 not verifiable.
    const bar = all(all(glance, "tr")[2] as Element, "rect").map((rect) => [attribute(rect, "class"), attribute(rect, "x"), attribute(rect, "width"), attribute(rect, "fill")]);
    expect(bar).toEqual([
      ["part-yes", "0", "96", "#2da44e"],
      ["part-no", "96", "72", "#cf222e"],
      ["part-notVerifiable", "168", "72", "url(#hatch-not-verifiable-bar)"],
      [undefined, "0.5", "239", "none"],
    ]);
  });

  it("gives each question's reasons: the machines, why, and who would know", () => {
    const document = expectWellFormedPage(clientHtml(exampleReport("northwind-logistics")));
    const working = byId(document, "question-working");
    expect(all(working, "p").map(text)).toEqual(["✗ No on 10 machines: 4 yes, 3 no, 3 not verifiable here.", "Not covered by these answers:"]);
    expect(all(working, "li").map(text)).toEqual([
      '✗ No on nwl-web01: Microsoft Antimalware extension "northwind-logistics-nwl-web01-antivirus" on "nwl-web01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true).',
      "✗ No on nwl-test03, nwl-build01: nothing manages this machine (question 1).",
      "? Not verifiable here on nwl-etl01, nwl-api02, nwl-api01: Defender for Endpoint's real-time protection and scans are set in Defender for Endpoint (security settings management, Intune, Group Policy, or on Linux its managed configuration), not in its extension, so Pulumi does not show them. Who would know: the Microsoft Defender portal (device health and antivirus settings).",
      "whether the engine is running and protecting right now. Who knows: Microsoft Defender for Cloud and the client's Log Analytics workspace (Microsoft Antimalware events).",
    ]);
    // Code in the model's words is set as code.
    const latest = byId(document, "question-latest-release");
    expect(all(latest, "code").map(text)).toEqual(["az vm extension show"]);
  });

  it("lays out each machine's answers and evidence", () => {
    const document = expectWellFormedPage(clientHtml(exampleReport("northwind-logistics")));
    const matrix = all(byId(document, "machines"), "table")[0] as Element;
    expect(rows(matrix).slice(0, 5)).toEqual([
      ["Machine", "Ring", "1. Installed", "2. Working", "3. Up to date", "4. Catching threats", "5. Latest release", "6. Patched"],
      ["nwl-etl01", "pilot", "✓ Yes", "? Not verifiable", "✓ Yes", "✓ Yes", "✓ Yes", "✗ No"],
      ["nwl-web02", "fast", "✓ Yes", "✓ Yes", "✓ Yes", "✓ Yes", "✓ Yes", "✗ No"],
      ["nwl-sql02", "fast", "✓ Yes", "✓ Yes", "✓ Yes", "✓ Yes", "✓ Yes", "✗ No"],
      ["nwl-web01", "broad", "✓ Yes", "✗ No", "✓ Yes", "✓ Yes", "✓ Yes", "✗ No"],
    ]);
    expect(all(matrix, "a").map((link) => attribute(link, "href"))).toEqual(exampleReport("northwind-logistics").endpoints.map((_, index) => `#machine-${index + 1}`));
    const web01 = byId(document, "machine-4");
    expect(text(all(web01, "p")[0] as Element)).toBe(
      "Azure VM · Windows · order portal (IIS) · update ring broad · declared in the stack file. Resource: /subscriptions/8b1f6d2a-7c4e-4a39-b5d0-3e9c1f7a6d24/resourcegroups/rg-nwl-app-prod/providers/microsoft.compute/virtualmachines/nwl-web01",
    );
    expect(rows(all(web01, "table")[0] as Element)[2]).toEqual([
      "2. Working",
      "✗ No",
      'Microsoft Antimalware extension "northwind-logistics-nwl-web01-antivirus" on "nwl-web01" has RealtimeProtectionEnabled "false"; real-time protection must be on (true)',
      'northwind-logistics-nwl-web01-antivirus (antivirus-protection-on): settings.AntimalwareEnabled = true; settings.RealtimeProtectionEnabled = "false"; settings.ScheduledScanSettings.isEnabled = "true"; settings.ScheduledScanSettings.day = "1"',
    ]);
  });

  it("lists findings by severity, each policy with how to fix it", () => {
    const findings = byId(expectWellFormedPage(clientHtml(exampleReport("northwind-logistics"))), "findings");
    expect(text(all(findings, "p")[0] as Element)).toBe("Open findings: 4 critical, 2 high, 0 medium, 8 low; 0 waived.");
    const high = all(findings, "div").filter((element) => attribute(element, "class") === "policy-findings")[4] as Element;
    expect(text(all(high, "p")[0] as Element)).toBe("Patch settings the update ring needs, as Azure shows them coverage:patch-orchestration (advisory, 2 findings)");
    expect(rows(all(high, "table")[0] as Element)).toEqual([
      ["Machine", "Finding", "Waiver"],
      ["nwl-web02", 'Azure VM "nwl-web02" bypassPlatformSafetyChecksOnUserSchedule is not set; it must be true so its update ring patches it', "none"],
      ["nwl-web02", 'Azure VM "nwl-web02" patchMode is "AutomaticByOS"; it must be "AutomaticByPlatform" so its update ring patches it', "none"],
    ]);
    expect(text(all(high, "div")[0] as Element)).toBe(
      "How to fix: Set the machine's patchMode and assessmentMode to AutomaticByPlatform (and, on an Azure VM, bypassPlatformSafetyChecksOnUserSchedule to true); a scale set upgrades its OS image automatically.",
    );
  });

  it("shows drift, the patch windows in local time and UTC, who answers for what, and the provenance", () => {
    const document = expectWellFormedPage(clientHtml(exampleReport("northwind-logistics")));
    expect(rows(all(byId(document, "drift"), "table")[0] as Element)).toEqual([
      ["Affects", "Change", "Resource", "What changed", "What pulumi up does"],
      ["antivirus", "changed outside Pulumi", "northwind-logistics-nwl-web01-antivirus", 'settings.RealtimeProtectionEnabled: "true" → "false"', 'pulumi up would set settings.RealtimeProtectionEnabled back to "true"'],
      ["patching", "deleted outside Pulumi", "northwind-logistics-nwl-sql01-ring-assignment", "the resource is gone", "pulumi up would create it again"],
    ]);
    expect(rows(all(byId(document, "schedule"), "table")[0] as Element)).toEqual([
      ["Ring", "Machines", "Starts", "Ends", "Time zone"],
      ["1. pilot", "nwl-jump01, nwl-etl01", "Wednesday 9 December 2026, 22:00 2026-12-09 22:00 UTC", "Thursday 10 December 2026, 01:00 2026-12-10 01:00 UTC", "GMT Standard Time (UTC+00:00) Europe/London"],
      ["2. fast", "nwl-web02, nwl-api02, nwl-sql02", "Saturday 12 December 2026, 22:00 2026-12-12 22:00 UTC", "Sunday 13 December 2026, 01:00 2026-12-13 01:00 UTC", "GMT Standard Time (UTC+00:00) Europe/London"],
      ["3. broad", "nwl-web01, nwl-api01, nwl-sql01", "Wednesday 16 December 2026, 22:00 2026-12-16 22:00 UTC", "Thursday 17 December 2026, 01:55 2026-12-17 01:55 UTC", "GMT Standard Time (UTC+00:00) Europe/London"],
    ]);
    const responsibilities = byId(document, "responsibilities");
    expect(rows(all(responsibilities, "table")[0] as Element)).toEqual([
      ["Service", "MSP", "Client", "Shared", "Questions"],
      ["antivirus", "✓ Yes", "", "", "1, 2, 3, 4, 5"],
      ["patching", "✓ Yes", "", "", "6"],
      ["monitoring", "✓ Yes", "", "", "none"],
      ["reporting", "✓ Yes", "", "", "none"],
    ]);
    expect(all(responsibilities, "li").map(text)).toEqual([
      "Bluefin IT service desk, servicedesk@bluefin-it.example, +44 20 7946 0321",
      "Priya Raman (account engineer), priya.raman@bluefin-it.example",
      "Tomasz Nowak (head of IT), tomasz.nowak@northwind-logistics.example, +353 1 555 0147",
    ]);
    const provenance = byId(document, "provenance");
    expect(text(all(provenance, "dl")[0] as Element)).toBe(
      "Generated 2026-11-30T12:00:00Z By steward 0.1.0 Policy bundle built from Rego sources with sha256 01ad1b106cb6d2f84614cc647e2d0a91996dcd2cba07d5614f6dd95bc486b0d4 Judged state refreshed",
    );
    expect(rows(all(provenance, "table")[0] as Element)).toEqual([
      ["Input", "File", "sha256"],
      ["stack-file", "stacks/Pulumi.northwind-logistics.yaml", "3d33893783699d426899c59d03c752fb12cbf6d29e3eec84a6416bc18fdd8ab2"],
      ["deployed", "fixtures/pulumi/northwind-logistics.compliant.preview.json", "1c213edfeaad307231527f4ae4df2a5b91b48566ae0943eb9d4247cc7cff8b80"],
      ["refresh", "fixtures/pulumi/northwind-logistics.drifted.refresh.json", "214b5f36eb6f689f777fcc32a81ab6976aa376878592543bb9931272cc61857d"],
      ["inventory", "fixtures/inventory/problems.json", "ce2ff586d9e715482f72636c687fd1929069878cd3c7bb6492f49d946cd5e1c4"],
      ["patch-assessment", "fixtures/patch-assessment/fleet.json", "311d468820fa9735d7f1de94ff660f244854451e8ced813141cf23f034026919"],
    ]);
  });

  it("says why nothing could be shown yes when only the plan was judged", () => {
    const document = expectWellFormedPage(clientHtml(exampleReport("contoso-legal")));
    expect(all(elements(document).find((element) => attribute(element, "class") === "overall overall-not-verifiable") as Element, "p").map(text)).toEqual([
      "? Not verifiable here Nothing was found wrong, but not everything can be verified here.",
      "Of the 5 machines, 5 have answers that cannot be verified from here (each question below says who would know) and 0 have every answer yes.",
    ]);
    expect(all(byId(document, "question-installed"), "li").map(text)).toEqual([
      "? Not verifiable here on CTL-RDS01, CTL-DMS01, CTL-SQL01, CTL-FS01: planned, not shown deployed: the plan gives it what it needs (Defender for Endpoint (MDE.Windows) is attached); nothing deployed was read. Who would know: the stack's deployed state (pulumi stack export, given with --deployed).",
      "? Not verifiable here on ctl-scan01: planned, not shown deployed: the plan gives it what it needs (Defender for Endpoint (MDE.Linux) is attached); nothing deployed was read. Who would know: the stack's deployed state (pulumi stack export, given with --deployed).",
      // What no answer covers: the question's own limit (no inventory given), then the answers'.
      "machines in the client's subscriptions that the stack file does not declare were not looked for. Who knows: Azure Resource Graph (give --inventory).",
      "whether the Defender for Endpoint sensor onboarded and reports. Who knows: the Microsoft Defender portal (device inventory).",
    ]);
    expect(rows(all(byId(document, "exceptions"), "table")[0] as Element)).toEqual([
      ["Policy and resource", "Approved by", "Expires", "Applies", "Reason"],
      [
        "endpoint-reports ctl-scan01",
        "Dana Whitfield (Bluefin IT service manager)",
        "2027-02-19 81 days left",
        "✓ Valid covers 0 findings",
        "The office proxy blocks the Azure Monitor Agent's endpoints until the firewall change CHG-2291 (scheduled for 2027-01-15) opens them; the scanner's logs go to the firm's syslog server meanwhile.",
      ],
    ]);
  });
});

describe("one client's page, for what the examples do not show", () => {
  it("escapes every value: markup in a name, a reason or an approver reads as text", () => {
    const page = clientHtml(hostileReport());
    const document = expectWellFormedPage(page);
    expect(text(all(document, "h1")[0] as Element)).toBe('<script>alert("owned")</script> & "quotes"');
    expect(text(all(document, "title")[0] as Element)).toBe('Compliance report: <script>alert("owned")</script> & "quotes", 2026-11');
    expect(all(document, "img")).toEqual([]);
    expect(all(document, "b")).toEqual([]);
    expect(page).toContain("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;");
    expect(page).toContain('<meta name="description" content="Antivirus and patching compliance of &lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; for 2026-11: not verifiable here.">');
    expect(text(byId(document, "machine-1-title"))).toBe('<img src=x onerror="alert(1)">');
  });

  it("shows a waived answer as yes (waived), with who waived it until when", () => {
    const document = expectWellFormedPage(clientHtml(hostileReport()));
    const reasons = all(byId(document, "question-catching-threats"), "ul")[0] as Element;
    expect(all(reasons, "li").map(text)).toEqual([
      '✓ Yes (waived) on <img src=x onerror="alert(1)">: it reports to Azure Monitor only because a waiver covers endpoint-reports. Waived by Dana <Whitfield> until 2027-02-19: proxy <b>blocks</b> the agent.',
    ]);
    expect(rows(all(byId(document, "machine-1"), "table")[0] as Element)[4]).toEqual([
      "4. Catching threats",
      "✓ Yes (waived)",
      "it reports to Azure Monitor only because a waiver covers endpoint-reports Waived by Dana <Whitfield> until 2027-02-19: proxy <b>blocks</b> the agent",
      "hd-fs01 (endpoint-reports): monitoring agent = (unknown until apply)",
    ]);
  });

  it("lists waivers with their days left, expired ones too, and the policies not fully enforced", () => {
    const exceptions = byId(expectWellFormedPage(clientHtml(hostileReport())), "exceptions");
    const [waivers, enforcement] = all(exceptions, "table") as [Element, Element];
    expect(rows(waivers).slice(1)).toEqual([
      ["endpoint-reports hd-fs01", "Dana <Whitfield>", "2027-02-19 81 days left", "✓ Valid covers 1 finding", "proxy <b>blocks</b> the agent"],
      ["antivirus-installed * (every resource)", "Sam", "2026-11-27 expired 3 days ago", "✗ Not valid covers 0 findings", "migration"],
    ]);
    expect(rows(enforcement)).toEqual([
      ["Policy", "Instead", "Approved by", "Expires", "Effect", "Reason"],
      ["Patch orchestration by the platform patch-orchestration (high)", "advisory instead of mandatory", "Dana Whitfield", "2027-02-15 77 days left", "3 findings do not block", "Arc machines patched by the practice's vendor"],
    ]);
    expect(all(exceptions, "li").map(text)).toEqual(["✗ No waiver for antivirus-installed on * expired on 2026-11-27"]);
  });

  it("compares with the previous report in the summary and in its own section", () => {
    const document = expectWellFormedPage(clientHtml(hostileReport()));
    expect(all(byId(document, "summary"), "p").map(text)).toContain("Since the previous report (2026-10): overall no then, not verifiable here now; open findings 5 → 3 (2 fewer); 2 answers changed.");
    const trend = byId(document, "trend");
    expect(text(all(trend, "p")[0] as Element)).toBe(
      "Compared with the report for 2026-10, generated 1 November 2026, 06:00 UTC: overall no then, not verifiable here now; open findings 5 → 3 (2 fewer); 2 answers changed.",
    );
    expect(rows(all(trend, "table")[0] as Element)).toEqual([
      ["Machine", "Question", "Then", "Now"],
      ["HD-PMS01", "1. Installed", "✗ No", "✓ Yes"],
      ["HD-OLD01", "1. Installed", "✗ No", "no longer reported"],
    ]);
    expect(all(all(document, "nav")[0] as Element, "a").map(text)).toContain("Since the previous report");
  });

  it.each([
    ["yes", "✓ Yes Every question is answered yes on every machine."],
    ["no", "✗ No Action needed: some answers are no."],
    ["not-verifiable", "? Not verifiable here Nothing was found wrong, but not everything can be verified here."],
  ] as const)("heads a %s report with its verdict in words", (status, headline) => {
    const document = parsePage(clientHtml({ ...exampleReport("harbor-dental"), status }));
    expect(text(elements(document).find((element) => attribute(element, "class") === "headline") as Element)).toBe(headline);
  });

  it("says so when the client has no machines", () => {
    const empty = { ...exampleReport("harbor-dental"), endpoints: [], questions: exampleReport("harbor-dental").questions.map((question) => ({ ...question, counts: { yes: 0, waived: 0, no: 0, notVerifiable: 0 } })) };
    const document = expectWellFormedPage(clientHtml(empty));
    expect(text(elements(document).find((element) => attribute(element, "class") === "overall overall-not-verifiable") as Element)).toBe(
      "? Not verifiable here Nothing was found wrong, but not everything can be verified here. The client has no machines, so none of the six questions can be answered for any.",
    );
    expect(text(byId(document, "machines"))).toBe("Machines and their answers The client has no machines.");
    expect(chartNames(document)[1]).toBe("Question 1, no machines to answer for");
  });
});

describe("the markup helper", () => {
  it("escapes text and attribute values, and keeps markup it made", () => {
    const name = `a<b>&"c'`;
    expect(escapeHtml(name)).toBe("a&lt;b&gt;&amp;&quot;c&#39;");
    expect(html`<p title="${name}">${name} ${html`<em>${name}</em>`} ${[name, 1]}${null}${false}</p>`.text).toBe(
      '<p title="a&lt;b&gt;&amp;&quot;c&#39;">a&lt;b&gt;&amp;&quot;c&#39; <em>a&lt;b&gt;&amp;&quot;c&#39;</em> a&lt;b&gt;&amp;&quot;c&#39;1</p>',
    );
  });
});

const overviewOf = () =>
  fleetOverview(
    CLIENTS.map(exampleReport).map(digestOf),
    [{ stack: "acme<x>", problem: "invalid stack file stacks/Pulumi.acme.yaml: client.id is missing" }],
    { generatedAt: "2026-11-30T12:00:00Z", date: "2026-11-30", previous: new Map() },
  );

describe("the fleet", () => {
  it("lists every client worst first, each linking to its page, with the clients that could not be reported", () => {
    const overview: FleetOverview = overviewOf();
    const document = expectWellFormedPage(overviewHtml(overview, (client) => `../${client.client}/${client.period}.html`));
    expect(headings(document)).toEqual(["h1 30 November 2026", "h2 Clients, worst first", "h2 Clients that could not be reported"]);
    expect(rows(all(document, "table")[0] as Element)).toEqual([
      ["Client", "Status", "Period", "Machines", "Answers", "Open findings", "Since the previous report"],
      ["Northwind Logistics Ltd", "✗ No", "2026-W49 weekly", "10", "Northwind Logistics Ltd, answers: 37 yes, 18 no, 5 not verifiable here 37 yes, 18 no, 5 not verifiable here", "4 critical, 2 high, 0 medium, 8 low", "no previous report"],
      ["Contoso Legal LLP", "? Not verifiable here", "2026-11 monthly", "5", "Contoso Legal LLP, answers: 30 not verifiable here 30 not verifiable here", "0 critical, 0 high, 0 medium, 5 low", "no previous report"],
      ["Harbor Dental Practice", "? Not verifiable here", "2026-11 monthly", "3", "Harbor Dental Practice, answers: 14 yes, 4 not verifiable here 14 yes, 4 not verifiable here", "0 critical, 0 high, 0 medium, 3 low", "no previous report"],
    ]);
    expect(all(document, "a").map((link) => attribute(link, "href"))).toEqual(["../northwind-logistics/2026-W49.html", "../contoso-legal/2026-11.html", "../harbor-dental/2026-11.html"]);
    expect(all(byId(document, "problems"), "li").map(text)).toEqual(["✗ Not reported acme<x>: invalid stack file stacks/Pulumi.acme.yaml: client.id is missing"]);
    expect(chartNames(document)[0]).toBe("Clients by status, of 3: 1 no, 2 not verifiable here");
  });

  it("shows each client's trend against the previous overview", () => {
    const previous = overviewOf().clients.map((client) => [client.client, { ...client, status: "no" as const, findings: { ...client.findings, critical: client.findings.critical + 1 } }] as const);
    const overview = fleetOverview(CLIENTS.map(exampleReport).map(digestOf), [], { generatedAt: "2026-11-30T12:00:00Z", date: "2026-11-30", previous: new Map(previous) });
    const document = expectWellFormedPage(overviewHtml(overview, (client) => `../${client.client}/${client.period}.html`));
    expect(rows(all(document, "table")[0] as Element).map((row) => row[6])).toEqual([
      "Since the previous report",
      "open findings 15 → 14 (1 fewer); 0 answers changed",
      "status no → not verifiable here; open findings 6 → 5 (1 fewer); 0 answers changed",
      "status no → not verifiable here; open findings 4 → 3 (1 fewer); 0 answers changed",
    ]);
  });

  it("puts the overview and every report on one page, the overview linking down to each", () => {
    const reports = CLIENTS.map(exampleReport);
    const document = expectWellFormedPage(fleetHtml(overviewOf(), reports));
    expect(all(all(document, "table")[0] as Element, "a").map((link) => attribute(link, "href"))).toEqual(["#client-northwind-logistics", "#client-contoso-legal", "#client-harbor-dental"]);
    expect(all(document, "article").map((article) => [attribute(article, "id"), text(all(article, "h2")[0] as Element)])).toEqual([
      ["client-northwind-logistics", "Northwind Logistics Ltd"],
      ["client-contoso-legal", "Contoso Legal LLP"],
      ["client-harbor-dental", "Harbor Dental Practice"],
    ]);
    // Each report sits one heading level down, its machines at the deepest level there is.
    expect(headings(byId(document, "client-harbor-dental")).slice(0, 4)).toEqual(["h2 Harbor Dental Practice", "h3 Summary", "h3 The six questions", "h4 1. Is antivirus installed on all computers?"]);
    expect(headings(byId(document, "client-harbor-dental-machine-1"))).toEqual(["h6 HD-FS01"]);
    expect(all(document, "nav").map((nav) => attribute(nav, "aria-label"))).toEqual(["Contents: Northwind Logistics Ltd", "Contents: Contoso Legal LLP", "Contents: Harbor Dental Practice"]);
  });

  it("lists what a run wrote, each file linked from the output folder", () => {
    const manifest: ReportManifest = {
      version: 1,
      kind: "steward-report-manifest",
      generatedAt: "2026-12-01T06:00:00Z",
      date: "2026-12-01",
      due: true,
      reports: [{ client: "harbor-dental", stack: "harbor-dental", schedule: "monthly", period: "2026-11", status: "not-verifiable", recipients: ["maria.okafor@harbordental.example"], files: ["harbor-dental/2026-11.md", "harbor-dental/2026-11.html"] }],
      overview: [],
      problems: [],
    };
    const document = expectWellFormedPage(manifestHtml(manifest));
    expect(headings(document)).toEqual(["h1 Reports due on 1 December 2026", "h2 Reports"]);
    expect(rows(all(document, "table")[0] as Element)).toEqual([
      ["Client", "Period", "Status", "Recipients", "Files"],
      ["harbor-dental", "2026-11 monthly", "? Not verifiable here", "maria.okafor@harbordental.example", "harbor-dental/2026-11.md, harbor-dental/2026-11.html"],
    ]);
    expect(all(document, "a").map((link) => attribute(link, "href"))).toEqual(["harbor-dental/2026-11.md", "harbor-dental/2026-11.html"]);
  });
});

describe("steward report --format html", () => {
  const steward = (args: string[]) => spawnSync(process.execPath, [join(root, "bin", "steward.js"), "report", ...args], { encoding: "utf8", cwd: root });

  it("writes the page of the report the JSON format writes", () => {
    const args = ["--stack", "harbor-dental", "--deployed", "fixtures/pulumi/harbor-dental.stack-export.json", "--inventory", "fixtures/inventory/compliant.json"];
    const page = steward([...args, "--format", "html"]);
    expect([page.status, page.stderr]).toEqual([0, ""]);
    expect(page.stdout).toBe(clientHtml(JSON.parse(steward([...args, "--format", "json"]).stdout)));
  });

  it("archives every client's page with --out, and the overview links to exactly those files", () => {
    const out = mkdtempSync(join(tmpdir(), "steward-html-"));
    const run = steward(["--format", "html", "--out", out]);
    expect([run.status, run.stderr]).toEqual([0, ""]);
    const manifest = readJson<ReportManifest>(join(out, "manifest.json"));
    expect(manifest.overview).toEqual(["fleet/2026-11-30.md", "fleet/2026-11-30.json", "fleet/2026-11-30.html"]);
    // The overview's links, resolved from its folder, are the client pages the run wrote, worst client first.
    const overview = parsePage(readFileSync(join(out, "fleet", "2026-11-30.html"), "utf8"));
    const links = all(overview, "a").map((link) => relative(out, join(out, "fleet", attribute(link, "href") as string)));
    expect(links).toEqual(["northwind-logistics/2026-W49.html", "contoso-legal/2026-11.html", "harbor-dental/2026-11.html"]);
    expect([...links].sort()).toEqual(manifest.reports.flatMap((entry) => entry.files.filter((file) => file.endsWith(".html"))).sort());
    expect(links.filter((file) => !existsSync(join(out, file)))).toEqual([]);
    // The manifest's page (standard output) links each file relative to the output folder.
    const written = all(parsePage(run.stdout), "a").map((link) => attribute(link, "href") as string);
    expect(written).toEqual([...manifest.reports.flatMap((entry) => entry.files), ...manifest.overview]);
    expect(written.filter((file) => !existsSync(join(out, file)))).toEqual([]);
  });
});
