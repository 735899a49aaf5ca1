// The HTML compliance report as a person sees it: the pages `steward report --format html --out`
// writes, opened from disk in Debian's Chromium (apt-get install chromium) driven by playwright-core,
// never a browser Playwright downloads. Each page must load nothing but itself, log nothing, show
// its key elements, print on A4 and have no serious accessibility violation (axe-core). The
// screenshots land in build/screenshots/ for a person to look at; docs/images/ keeps one.
//
// `npm run test:browser` (vitest.browser.config.mts), after `npm run build`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AxeResults } from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientHtml } from "../../cli/formats/report-html";
import { QUESTIONS } from "../../core/compliance";
import { fixtures, root } from "../support";
import { hostileReport } from "../support/reports";

const WORK = join(root, "build", "browser");
const SCREENSHOTS = join(root, "build", "screenshots");
const DESKTOP = { width: 1280, height: 900 };
// A4 at 96 dpi: 210 mm × 297 mm.
const A4 = { width: 794, height: 1123 };

/** Debian's Chromium on the PATH; without it the test fails, saying how to install it. */
function findChromium(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, "chromium");
    if (dir !== "" && existsSync(file)) return file;
  }
  throw new Error("Chromium is not installed: the browser test uses Debian's, never a downloaded one. Install it with `apt-get update && apt-get install -y chromium` (as root).");
}

function steward(args: string[], now: string): string {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), "report", ...args], { encoding: "utf8", cwd: root, env: { ...process.env, STEWARD_NOW: now } });
  expect([result.status, result.stderr], `steward report ${args.join(" ")}`).toEqual([0, ""]);
  return result.stdout;
}

const HOSTILE_NAME = 'Harbor <script>document.title = "owned"</script> & "Sons"';

/**
 * The pages under test: a week after a first run (the previous overview), every client's report
 * with its trend, deployed state, northwind's drift, an inventory with problems and Update
 * Manager's patch assessment (the previous run had none, so question 6 changes); a stack file
 * whose client name is markup; and a report with waivers, exceptions and markup everywhere.
 */
function writePages(): void {
  rmSync(WORK, { recursive: true, force: true });
  const deployed = join(WORK, "deployed");
  const refresh = join(WORK, "refresh");
  const stacks = join(WORK, "stacks");
  for (const dir of [deployed, refresh, stacks, SCREENSHOTS]) mkdirSync(dir, { recursive: true });
  copyFileSync(fixtures("pulumi", "northwind-logistics.compliant.preview.json"), join(deployed, "northwind-logistics.json"));
  copyFileSync(fixtures("pulumi", "harbor-dental.stack-export.json"), join(deployed, "harbor-dental.json"));
  copyFileSync(fixtures("pulumi", "contoso-legal.brownfield.preview.json"), join(deployed, "contoso-legal.json"));
  copyFileSync(fixtures("pulumi", "northwind-logistics.drifted.refresh.json"), join(refresh, "northwind-logistics.json"));
  steward(["--format", "json", "--out", join(WORK, "previous"), "--deployed-dir", deployed, "--inventory", "fixtures/inventory/compliant.json"], "2026-11-23T12:00:00Z");
  const args = ["--deployed-dir", deployed, "--refresh-dir", refresh, "--inventory", "fixtures/inventory/problems.json", "--patch-assessment", "fixtures/patch-assessment/fleet.json", "--previous", join(WORK, "previous", "fleet", "2026-11-23.json")];
  steward(["--format", "html", "--out", join(WORK, "reports"), ...args], "2026-11-30T12:00:00Z");

  for (const file of readdirSync(join(root, "stacks"))) copyFileSync(join(root, "stacks", file), join(stacks, file));
  const harbor = join(stacks, "Pulumi.harbor-dental.yaml");
  writeFileSync(harbor, readFileSync(harbor, "utf8").replace("displayName: Harbor Dental Practice", `displayName: '${HOSTILE_NAME}'`));
  writeFileSync(join(WORK, "hostile-stack.html"), steward(["--stack", "harbor-dental", "--stacks-dir", stacks, "--format", "html"], "2026-11-30T12:00:00Z"));
  writeFileSync(join(WORK, "hostile-report.html"), clientHtml(hostileReport()));
}

interface PageUnderTest {
  name: string;
  file: string;
  heading: string;
  /** The charts' accessible names, as a screen reader announces them. */
  charts: string[];
  /** How many A4 sheets its PDF may take. */
  sheets: [number, number];
}

const QUESTION_CHARTS = (machines: number, counts: string[]) => counts.map((words, index) => `Question ${index + 1}, on ${machines} machines: ${words}`);

const PAGES: PageUnderTest[] = [
  {
    name: "northwind-logistics",
    file: "reports/northwind-logistics/2026-W49.html",
    heading: "Northwind Logistics Ltd",
    charts: [
      "Machines by status, of 10 machines: 1 yes, 7 no, 2 not verifiable here",
      ...QUESTION_CHARTS(10, ["8 yes, 2 no", "4 yes, 3 no, 3 not verifiable here", "8 yes, 2 no", "8 yes, 2 no", "8 yes, 2 no", "1 yes, 7 no, 2 not verifiable here"]),
    ],
    sheets: [15, 30],
  },
  {
    name: "contoso-legal",
    file: "reports/contoso-legal/2026-11.html",
    heading: "Contoso Legal LLP",
    charts: [
      "Machines by status, of 5 machines: 3 no, 2 not verifiable here",
      ...QUESTION_CHARTS(5, ["3 yes, 2 no", "1 no, 4 not verifiable here", "4 yes, 1 no", "4 yes, 1 no", "4 yes, 1 no", "1 no, 4 not verifiable here"]),
    ],
    sheets: [6, 20],
  },
  {
    name: "harbor-dental",
    file: "reports/harbor-dental/2026-11.html",
    heading: "Harbor Dental Practice",
    charts: ["Machines by status, of 3 machines: 3 not verifiable here", ...QUESTION_CHARTS(3, ["2 yes, 1 not verifiable here", "3 not verifiable here", "3 yes", "3 yes", "3 yes", "2 yes, 1 not verifiable here"])],
    sheets: [4, 15],
  },
  {
    name: "fleet",
    file: "reports/fleet/2026-11-30.html",
    heading: "30 November 2026",
    charts: [
      "Clients by status, of 3: 2 no, 1 not verifiable here",
      "Northwind Logistics Ltd, answers: 37 yes, 18 no, 5 not verifiable here",
      "Contoso Legal LLP, answers: 15 yes, 7 no, 8 not verifiable here",
      "Harbor Dental Practice, answers: 13 yes, 5 not verifiable here",
    ],
    sheets: [1, 2],
  },
  {
    name: "hostile-report",
    file: "hostile-report.html",
    heading: '<script>alert("owned")</script> & "quotes"',
    charts: [
      "Machines by status, of 3 machines: 3 not verifiable here",
      ...QUESTION_CHARTS(3, ["3 yes", "3 not verifiable here", "3 yes", "2 yes, 1 yes (waived)", "3 yes", "2 yes, 1 not verifiable here"]),
    ],
    sheets: [4, 15],
  },
];

let browser: Browser;
let axeSource: string;

beforeAll(async () => {
  const executablePath = findChromium();
  writePages();
  axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  browser = await chromium.launch({ executablePath });
});

afterAll(async () => {
  await browser?.close();
});

/** A page opened from disk, with every request but its own refused and recorded, and everything it logs. */
async function open(file: string, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const url = pathToFileURL(join(WORK, file)).href;
  const requests: string[] = [];
  const logged: string[] = [];
  await page.route("**/*", (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  page.on("console", (message) => logged.push(`console ${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => logged.push(`page error: ${error.message}`));
  page.on("dialog", (dialog) => {
    logged.push(`dialog: ${dialog.message()}`);
    return dialog.dismiss();
  });
  await page.goto(url);
  return { page, requests, logged, close: () => context.close() };
}

const chartNames = (page: Page) => page.getByRole("img").evaluateAll((charts) => charts.map((chart) => chart.querySelector("title")?.textContent ?? ""));

describe.each(PAGES)("the $name page in Chromium", (subject) => {
  it("loads nothing but itself, logs nothing, and shows its heading, verdicts and charts on a desktop screen", async () => {
    const { page, requests, logged, close } = await open(subject.file, DESKTOP);
    try {
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(subject.heading);
      expect(await page.getByRole("heading", { level: 1 }).isVisible()).toBe(true);
      // Every chart is an image whose accessible name (from its <title>) says what it shows, and it is on screen.
      const charts = page.getByRole("img");
      expect(await chartNames(page)).toEqual(subject.charts);
      for (const name of subject.charts) {
        const chart = page.getByRole("img", { name, exact: true });
        expect(await chart.isVisible(), name).toBe(true);
        expect((await chart.boundingBox())?.width, name).toBeGreaterThan(0);
      }
      expect(await charts.count()).toBe(subject.charts.length);
      if (subject.name !== "fleet") {
        expect(await page.locator(".headline").isVisible()).toBe(true);
        // The six questions, each a row of the glance table, with its answer beside it.
        const glance = page.getByRole("table", { name: "The six questions at a glance" });
        expect(await glance.getByRole("row").count()).toBe(7);
        for (const row of await glance.getByRole("row").all()) expect(await row.isVisible()).toBe(true);
        // Then each question under its own heading, with its reasons.
        for (const question of QUESTIONS) expect(await page.getByRole("heading", { name: `${question.number}. ${question.text}`, exact: true }).isVisible(), question.text).toBe(true);
      }
      await page.screenshot({ path: join(SCREENSHOTS, `${subject.name}-desktop.png`), fullPage: true });
      // The top of the page as a manager first sees it: what README.md shows (docs/images/).
      if (subject.name === "northwind-logistics") await page.screenshot({ path: join(SCREENSHOTS, `${subject.name}-desktop-top.png`), clip: { x: 0, y: 0, width: DESKTOP.width, height: 1500 }, fullPage: true });
      expect(requests).toEqual([]);
      expect(logged).toEqual([]);
    } finally {
      await close();
    }
  });

  it("prints on A4: without the page's navigation, and as a PDF of the expected length", async () => {
    const { page, requests, logged, close } = await open(subject.file, A4);
    try {
      await page.emulateMedia({ media: "print" });
      expect(await page.getByRole("heading", { level: 1 }).isVisible()).toBe(true);
      expect(await page.locator("nav").evaluateAll((navs) => navs.map((nav) => nav.checkVisibility()))).toEqual(subject.name === "fleet" ? [] : [false]);
      await page.screenshot({ path: join(SCREENSHOTS, `${subject.name}-a4.png`), fullPage: true });
      const pdf = await page.pdf({ format: "A4", path: join(SCREENSHOTS, `${subject.name}.pdf`) });
      // Chromium writes each sheet as a /Type /Page object (the tree above them is /Type /Pages).
      const sheets = pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
      expect(sheets).toBeGreaterThanOrEqual(subject.sheets[0]);
      expect(sheets).toBeLessThanOrEqual(subject.sheets[1]);
      expect(requests).toEqual([]);
      expect(logged).toEqual([]);
    } finally {
      await close();
    }
  });

  it("has no serious or critical accessibility violation (axe-core)", async () => {
    const { page, close } = await open(subject.file, DESKTOP);
    try {
      // The test injects axe itself; the page has no script (and its Content-Security-Policy would refuse one).
      await page.evaluate(axeSource);
      const results = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as AxeResults;
      const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`)).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("a client name written as markup in the stack file", () => {
  it("reads as text: no script runs, the title and heading show it as written", async () => {
    const { page, requests, logged, close } = await open("hostile-stack.html", DESKTOP);
    try {
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(HOSTILE_NAME);
      expect(await page.title()).toBe(`Compliance report: ${HOSTILE_NAME}, 2026-11`);
      expect(await page.locator("script").count()).toBe(0);
      expect([requests, logged]).toEqual([[], []]);
    } finally {
      await close();
    }
  });
});
