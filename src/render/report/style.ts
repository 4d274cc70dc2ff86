// The report's style sheet, inlined in the page: readable on a screen, in a mail client and on paper.
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d6d6d6; --chosen: #eaf4ec; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 40px; color: var(--ink); background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 6px; padding-top: 10px; border-top: 2px solid var(--ink); }
h3 { font-size: 1rem; margin: 14px 0 4px; }
code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
a { color: var(--accent); }
.meta, .facts, figcaption, caption, .note { color: var(--muted); }
.lede { font-size: 1.05rem; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 0; margin: 12px 0 0; list-style: none; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; margin: 10px 0 14px; font-size: 0.88rem; }
caption { caption-side: top; text-align: left; font-size: 0.85rem; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th, thead th.num { border-bottom: 2px solid var(--ink); font-weight: 600; white-space: normal; vertical-align: bottom; }
tfoot th, tfoot td { border-top: 2px solid var(--ink); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { font-weight: 500; }
tr.chosen { background: var(--chosen); }
tr.chosen th { font-weight: 700; }
.mark { color: #00704a; }
.chosen-label { font-weight: 400; color: var(--muted); }
tr.unavailable { color: var(--muted); }
.fits-no { color: #b00020; font-weight: 600; }
td.why { min-width: 12em; }
table.portfolio tbody th { white-space: nowrap; }
th code, td code { white-space: nowrap; overflow-wrap: normal; }
table.thresholds td, dl.sources dd { overflow-wrap: anywhere; }
dl.sources { font-size: 0.85rem; margin: 6px 0 14px; }
dl.sources dt { margin-top: 6px; }
dl.sources dd { margin-left: 18px; }
dl.sources .what { color: var(--muted); }
.reasons { margin: 6px 0; padding-left: 20px; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 6px; }
figure { margin: 8px 0; }
svg.chart { width: 100%; height: auto; max-width: 760px; display: block; }
figcaption { font-size: 0.85rem; max-width: 760px; }
.warning, .warnings { border-left: 4px solid #E69F00; background: #fff8e6; padding: 6px 10px; margin: 8px 0; }
.warnings h3 { margin-top: 0; }
.warnings ul { margin: 0; padding-left: 20px; }
details summary { cursor: pointer; font-weight: 600; margin-top: 10px; }
footer { margin-top: 36px; font-size: 0.85rem; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
@media (min-width: 1200px) { .charts { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } .charts table { grid-column: 1 / -1; } }
@media (max-width: 820px) {
  body { padding: 14px; }
  td.why { min-width: 0; }
  table.portfolio tbody th, th code, td code { white-space: normal; overflow-wrap: normal; }
  th, td { padding: 3px 5px; }
}
@media print {
  td.why { min-width: 0; }
  table.portfolio tbody th, th code, td code { white-space: normal; overflow-wrap: normal; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 5px; }
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.workload { break-before: page; page-break-before: always; }
  table, figure, .warnings, .warning { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr.chosen { background: none; outline: 2px solid #000; }
  a { color: inherit; text-decoration: none; }
  svg.chart { max-width: 100%; }
  details > summary { list-style: none; }
}
`;
