// HTML built so that escaping cannot be forgotten: the `html` template escapes every value it is
// given unless that value is itself markup made by `html`. A client name, a machine name or a
// waiver's reason written as `<script>` in a stack file therefore always reads as text.

/** A fragment of HTML that is already safe to place in a page. */
export class Markup {
  constructor(readonly text: string) {}
}

/** What a template takes: text (escaped), markup (kept), a list of either, or nothing (false, null). */
export type Content = Markup | string | number | false | null | undefined | readonly Content[];

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Text as HTML, safe in an element and in a double-quoted attribute value. Most text has nothing
 *  to escape, and a report has hundreds of thousands of values: those are returned as they are. */
export const escapeHtml = (text: string): string => (SPECIAL.test(text) ? text.replace(SPECIALS, (character) => ENTITIES[character] as string) : text);

function render(content: Content): string {
  if (content instanceof Markup) return content.text;
  if (Array.isArray(content)) return content.map(render).join("");
  if (content === false || content === null || content === undefined) return "";
  return escapeHtml(String(content));
}

export function html(strings: TemplateStringsArray, ...values: readonly Content[]): Markup {
  let text = strings[0] as string;
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] as string);
  });
  return new Markup(text);
}

/** Fragments one after the other, each on its own line. */
export const lines = (fragments: readonly Content[]): Markup => new Markup(fragments.map(render).filter((text) => text !== "").join("\n"));

/** Fragments separated by `separator` (escaped like any text). */
export const joined = (fragments: readonly Content[], separator: string): Markup => new Markup(fragments.map(render).join(escapeHtml(separator)));

/** A heading of the given level (1-6): a report embedded in the fleet page sits one level deeper. */
export function heading(level: number, id: string | null, content: Content): Markup {
  const tag = `h${Math.min(level, 6)}`;
  return new Markup(`<${tag}${id === null ? "" : ` id="${escapeHtml(id)}"`}>${render(content)}</${tag}>`);
}

/** A whole page: one document with its own style sheet, nothing loaded from anywhere else. */
export function page(options: { title: string; description: string; generator: string; style: string; body: Markup }): string {
  return `${lines([
    new Markup("<!DOCTYPE html>"),
    html`<html lang="en">`,
    html`<head>`,
    html`<meta charset="utf-8">`,
    html`<meta name="viewport" content="width=device-width, initial-scale=1">`,
    html`<meta name="generator" content="${options.generator}">`,
    html`<meta name="description" content="${options.description}">`,
    // Nothing on the page may load anything (the page is sent by e-mail, opened offline, archived).
    html`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    html`<title>${options.title}</title>`,
    html`<style>`,
    new Markup(options.style),
    html`</style>`,
    html`</head>`,
    html`<body>`,
    options.body,
    html`</body>`,
    html`</html>`,
  ]).text}\n`;
}
