// The page's one style sheet, inline so the page loads nothing. The reader's own system fonts; dark
// text on white with colour only as a second signal (every verdict has its icon and word); on
// paper (A4) no backgrounds beyond the light verdict badges, and no row or question split across
// pages where it can be helped.
export const STYLE = `
:root {
  --text: #1f2328;
  --muted: #57606a;
  --line: #d0d7de;
  --soft: #f6f8fa;
  --yes: #116329;
  --yes-bg: #dafbe1;
  --no: #a40e26;
  --no-bg: #ffebe9;
  --unknown: #7d4e00;
  --unknown-bg: #fff8c5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  color: var(--text);
  background: #ffffff;
  line-height: 1.45;
}
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 3rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 2rem; margin-top: 0.2em; }
h2 { font-size: 1.5rem; border-bottom: 2px solid var(--line); padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
h4 { font-size: 1.05rem; }
h5, h6 { font-size: 1rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.88em; overflow-wrap: anywhere; }
.hash { font-size: 0.8em; }
.note, .kicker { color: var(--muted); font-size: 0.9em; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; margin: 0; }
a { color: #0550ae; }
.chart-defs { position: absolute; width: 0; height: 0; overflow: hidden; }

.report-header { border-bottom: 4px solid var(--text); margin-bottom: 1rem; padding-bottom: 0.5rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.75rem 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.contents ol { display: flex; flex-wrap: wrap; gap: 0.2rem 1.5rem; list-style: none; margin: 0.5rem 0 1rem; padding: 0; }

.verdict { display: inline-block; border-radius: 0.3em; padding: 0 0.4em; font-weight: 600; white-space: nowrap; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.verdict-yes, .verdict-waived { color: var(--yes); background: var(--yes-bg); }
.verdict-no { color: var(--no); background: var(--no-bg); }
.verdict-not-verifiable { color: var(--unknown); background: var(--unknown-bg); }
.overall { border: 2px solid var(--line); border-left-width: 0.6rem; border-radius: 0.4rem; padding: 0.5rem 1rem; }
.overall-yes { border-left-color: #2da44e; }
.overall-no { border-left-color: #cf222e; }
.overall-not-verifiable { border-left-color: #d4a72c; }
.headline { font-size: 1.2rem; }
.summary-chart { display: flex; align-items: center; gap: 1.5rem; margin: 1rem 0; }
.chart-caption { font-weight: 600; margin: 0 0 0.4rem; }
.donut-value { font-size: 8px; font-weight: 700; fill: var(--text); }
.donut-caption { font-size: 4px; fill: var(--text); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; margin: 0.3rem 0; padding: 0; }

.glance { table-layout: fixed; }
.glance thead th:nth-child(1) { width: 38%; }
.glance thead th:nth-child(2) { width: 17%; }
.glance thead th:nth-child(3) { width: 15%; }
.glance a { color: inherit; text-decoration: none; }
.question { border-top: 1px solid var(--line); padding-top: 0.2rem; }
.question h3, .question h4 { margin-top: 0.8em; }
.answer { margin: 0.3rem 0; }
.bar { display: block; width: 15rem; max-width: 100%; height: auto; margin: 0.2rem 0; }
.reasons { padding-left: 1.2rem; }
.reasons li { margin: 0.3rem 0; }
.who-knows { font-style: italic; }
.limits { color: var(--muted); font-size: 0.92em; }
.limits p { margin: 0.5rem 0 0.2rem; }

table { border-collapse: collapse; width: 100%; margin: 0.75rem 0 1rem; font-size: 0.92em; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
tbody th { font-weight: 600; }
.matrix td, td.name { white-space: nowrap; }
.evidence-list { margin: 0; padding-left: 1rem; }
.evidence { table-layout: fixed; }
.evidence thead th:nth-child(1) { width: 12%; }
.evidence thead th:nth-child(2) { width: 13%; }
.evidence thead th:nth-child(3) { width: 27%; }
.fleet .bar { width: 10rem; }
.severity { text-transform: capitalize; }
.policy-title { margin: 1rem 0 0; }
.policy-findings table { margin: 0.4rem 0; }
.fix p { margin: 0.3rem 0; }
.contacts { display: flex; flex-wrap: wrap; gap: 0 3rem; }
.client-report { border-top: 4px solid var(--text); margin-top: 3rem; padding-top: 1rem; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9em; margin-top: 2rem; }

@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  :root { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .contents { display: none; }
  thead th { background: none; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; }
  tr, .glance, .facts, .question, .summary-chart, .overall, .machine > p, .limits, .fix { break-inside: avoid; }
  .details, .client-report { break-before: page; }
  .matrix td { white-space: normal; }
  .evidence, .policy-findings table { font-size: 8.5pt; }
  .donut { width: 120px; height: 120px; }
}
`.trimStart();
