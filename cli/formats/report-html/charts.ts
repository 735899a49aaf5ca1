// The page's charts: inline SVG, drawn from counts the model already holds. Each chart is an image
// with a name that says in words what it shows (its <title>), and each sits beside a legend with
// icons, words and numbers, so nothing is told by colour alone. The two verdicts that are not a
// plain yes or no are hatched, so they stay apart in a black-and-white print too.
import type { VerdictCounts } from "../../../core/compliance";
import { html, lines, type Markup } from "./markup";

/** The four kinds of answer a chart shows, in the order it stacks them. */
export type ChartPart = keyof VerdictCounts;
const CHART_PARTS: readonly ChartPart[] = ["yes", "waived", "no", "notVerifiable"];

/** Each part's fill; `size` picks the hatching drawn for the chart's scale (a bar's units are small, a donut's large). */
const fill = (part: ChartPart, size: "bar" | "donut"): string =>
  ({ yes: "#2da44e", waived: `url(#hatch-waived-${size})`, no: "#cf222e", notVerifiable: `url(#hatch-not-verifiable-${size})` })[part];

const hatch = (id: string, colour: string, size: number): Markup =>
  html`<pattern id="${id}" width="${size}" height="${size}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="${size}" height="${size}" fill="${colour}"/><rect width="${size / 3}" height="${size}" fill="#ffffff"/></pattern>`;

/** The patterns the charts fill with, once per page (an SVG hidden from assistive technology). */
export const CHART_DEFS: Markup = lines([
  html`<svg class="chart-defs" width="0" height="0" aria-hidden="true" focusable="false">`,
  html`<defs>`,
  hatch("hatch-waived-bar", "#2da44e", 6),
  hatch("hatch-not-verifiable-bar", "#d4a72c", 6),
  hatch("hatch-waived-donut", "#2da44e", 1.5),
  hatch("hatch-not-verifiable-donut", "#d4a72c", 1.5),
  html`</defs>`,
  html`</svg>`,
]);

/** Two decimals at most, so that the page's bytes do not depend on floating point noise. */
const number = (value: number): string => String(Math.round(value * 100) / 100);

const BAR_WIDTH = 240;
const BAR_HEIGHT = 16;

/** A horizontal bar split into the parts' shares of the total; an empty outline for none. */
export function stackedBar(title: string, counts: VerdictCounts): Markup {
  const total = CHART_PARTS.reduce((sum, part) => sum + counts[part], 0);
  let x = 0;
  const segments = CHART_PARTS.filter((part) => counts[part] > 0).map((part) => {
    const width = (counts[part] / total) * BAR_WIDTH;
    const segment = html`<rect class="part-${part}" x="${number(x)}" y="0" width="${number(width)}" height="${BAR_HEIGHT}" fill="${fill(part, "bar")}"/>`;
    x += width;
    return segment;
  });
  return html`<svg class="bar" role="img" viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" width="${BAR_WIDTH}" height="${BAR_HEIGHT}"><title>${title}</title>${segments}<rect x="0.5" y="0.5" width="${BAR_WIDTH - 1}" height="${BAR_HEIGHT - 1}" fill="none" stroke="#57606a"/></svg>`;
}

// A circle whose circumference is 100, so that a segment's dash length is its percentage.
const RADIUS = 15.9155;

/** A ring split into the parts' shares, with `centre` (a number and a word) written inside. */
export function donut(title: string, counts: VerdictCounts, centre: { value: string; caption: string }): Markup {
  const total = CHART_PARTS.reduce((sum, part) => sum + counts[part], 0);
  let start = 0;
  const segments = CHART_PARTS.filter((part) => counts[part] > 0).map((part) => {
    const length = (counts[part] / total) * 100;
    // The ring starts at twelve o'clock (offset 25) and runs clockwise.
    const segment = html`<circle class="part-${part}" cx="21" cy="21" r="${RADIUS}" fill="none" stroke="${fill(part, "donut")}" stroke-width="6" stroke-dasharray="${number(length)} ${number(100 - length)}" stroke-dashoffset="${number(25 - start)}"/>`;
    start += length;
    return segment;
  });
  return html`<svg class="donut" role="img" viewBox="0 0 42 42" width="168" height="168"><title>${title}</title><circle cx="21" cy="21" r="${RADIUS}" fill="none" stroke="#d0d7de" stroke-width="6"/>${segments}<text x="21" y="21" text-anchor="middle" class="donut-value">${centre.value}</text><text x="21" y="26.5" text-anchor="middle" class="donut-caption">${centre.caption}</text></svg>`;
}
