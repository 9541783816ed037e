/** The report's only stylesheet, inlined: system fonts, readable tables, figures that wrap. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0; color: #1d1d1f; background: #f6f6f4; }
header { background: #20324a; color: #ffffff; padding: 18px 28px; }
header h1 { margin: 0 0 6px; font-size: 22px; font-weight: 600; }
header p { margin: 2px 0; font-size: 13px; opacity: 0.9; }
main { padding: 8px 28px 40px; max-width: 1500px; }
section { margin-top: 22px; }
h2 { font-size: 17px; font-weight: 600; border-bottom: 1px solid #d0d0cc; padding-bottom: 4px; }
.row { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
table { border-collapse: collapse; background: #ffffff; font-size: 13px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #ececea; }
th { background: #eef1f5; text-align: left; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
tr.bounding td.latency { font-weight: 700; }
figure { margin: 0; background: #ffffff; padding: 10px; box-shadow: 0 1px 2px rgba(0,0,0,0.08); max-width: 100%; overflow-x: auto; }
figcaption { font-size: 12px; color: #555555; max-width: 520px; margin-top: 6px; }
figure.wide { width: 100%; box-sizing: border-box; }
figure[data-chart="workload-graph"] svg { max-width: 100%; height: auto; }
.note { font-size: 12px; color: #555555; }
footer { font-size: 11px; color: #777777; padding: 0 28px 20px; }
`
