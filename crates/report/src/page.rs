//! The page: one HTML document with its style and script inline, so that it opens from
//! disk, names no address and prints on A4.

use std::fmt::Write;

pub(crate) use outbreak_plot::svg::escape as esc;

/// The style of every report: readable on a screen, on A4 paper and in grey.
const STYLE: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --panel: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1000px; padding: 24px 28px 48px; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", sans-serif; }
header h1 { margin: 0 0 2px; font-size: 26px; }
header .subtitle { margin: 0 0 18px; color: var(--muted); }
h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.stat { background: var(--panel); border-radius: 8px; padding: 10px 12px; }
.stat .value { display: block; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.stat .label { display: block; color: var(--muted); font-size: 13px; }
figure { margin: 8px 0 16px; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.switch { font-size: 13px; color: var(--muted); user-select: none; }
.curves .log-chart { display: none; }
.curves.log .log-chart { display: block; }
.curves.log .linear-chart { display: none; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 12px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.manifest td { word-break: break-word; font-size: 13px; }
table.order-effects td:nth-child(2) { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ol.orders { padding-left: 0; list-style: none; }
ol.orders li { margin: 2px 0; }
ol.orders .n { display: inline-block; width: 20px; height: 20px; border-radius: 10px; background: #333;
  color: #fff; font-size: 11px; text-align: center; line-height: 20px; margin-right: 6px; }
.story { margin: 8px 0; }
.story .who { font-weight: 650; }
.story .role { color: var(--muted); }
.none { color: var(--muted); font-style: italic; }
pre { background: var(--panel); padding: 10px; overflow-x: auto; font-size: 12px; line-height: 1.4; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .switch { display: none; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  pre { white-space: pre-wrap; }
}
"#;

/// The page's script: the log-scale switch, details opened for printing, and the `ready`
/// signal a browser test waits for.
const SCRIPT: &str = r#"
(function () {
  document.querySelectorAll('input.log-switch').forEach(function (box) {
    var fig = box.closest('.curves');
    box.addEventListener('change', function () { fig.classList.toggle('log', box.checked); });
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
  document.body.dataset.ready = '1';
})();
"#;

/// The first script of every page: errors of later scripts are written on the document,
/// where a test (or a reader of the page's source) finds them.
const ERROR_TRAP: &str = "window.addEventListener('error',function(e){var d=document.documentElement;d.setAttribute('data-errors',(d.getAttribute('data-errors')||'')+e.message+';');});";

/// A page being written: a header, then sections in order.
pub(crate) struct Page {
    title: String,
    subtitle: String,
    kind: &'static str,
    body: String,
}

impl Page {
    /// A page for a folder of `kind` (`run`, `ensemble`, `sweep`).
    pub(crate) fn new(kind: &'static str, title: &str, subtitle: &str) -> Self {
        Self {
            title: title.to_string(),
            subtitle: subtitle.to_string(),
            kind,
            body: String::new(),
        }
    }

    /// Adds a section with an `id`, a heading and its HTML.
    pub(crate) fn section(&mut self, id: &str, heading: &str, html: &str) {
        let _ = writeln!(
            self.body,
            "<section id=\"{}\"><h2>{}</h2>{html}</section>",
            esc(id),
            esc(heading)
        );
    }

    /// The whole document.
    pub(crate) fn finish(self, footer: &str) -> String {
        let mut out = String::with_capacity(self.body.len() + 8192);
        let _ = write!(
            out,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} — outbreak report</title>\n<script>{ERROR_TRAP}</script>\n<style>{STYLE}</style>\n</head>\n\
             <body data-kind=\"{}\" data-ready=\"0\">\n<header><h1>{}</h1><p class=\"subtitle\">{}</p></header>\n{}\
             <footer>{}</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            esc(&self.title),
            self.kind,
            esc(&self.title),
            esc(&self.subtitle),
            self.body,
            esc(footer)
        );
        out
    }
}

/// A headline number: its key (for tests and scripts), its value as written and raw, and
/// what it means.
pub(crate) fn stat(key: &str, raw: f64, shown: &str, label: &str) -> String {
    format!(
        "<div class=\"stat\" data-key=\"{}\" data-value=\"{}\"><span class=\"value\">{}</span><span class=\"label\">{}</span></div>",
        esc(key),
        if raw.is_finite() { raw.to_string() } else { String::new() },
        esc(shown),
        esc(label)
    )
}

/// A figure holding an SVG with a caption.
pub(crate) fn figure(class: &str, svg: &str, caption: &str) -> String {
    format!(
        "<figure class=\"{}\">{svg}<figcaption>{}</figcaption></figure>",
        esc(class),
        esc(caption)
    )
}
