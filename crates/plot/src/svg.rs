//! A minimal SVG writer: elements with escaped attributes and text, coordinates rounded to
//! a tenth of a pixel so that files stay small and identical on every machine.

use std::fmt::{self, Display, Write};

/// An SVG document being written.
///
/// ```
/// use outbreak_plot::svg::Svg;
/// let mut s = Svg::new(100.0, 50.0, "chart", true);
/// s.leaf("rect", &[("x", &0), ("y", &0), ("width", &100), ("height", &50), ("fill", &"#fff")]);
/// s.text(10.0, 20.0, &[("class", &"title")], "R & D <1>");
/// let doc = s.finish();
/// assert!(doc.starts_with("<svg"));
/// assert!(doc.contains("R &amp; D &lt;1&gt;"));
/// ```
pub struct Svg {
    out: String,
}

/// A coordinate or length in pixels, written with at most one decimal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Px(pub f64);

impl Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = (self.0 * 10.0).round() / 10.0;
        if v == v.trunc() {
            write!(f, "{}", v as i64)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

/// Escapes text for an attribute value or element content.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

/// One attribute: its name and value.
pub type Attr<'a> = (&'a str, &'a dyn Display);

impl Svg {
    /// Starts a document of `width` × `height` pixels whose root has `class`. A
    /// `standalone` document (an `.svg` file) names the SVG namespace; one inlined in an
    /// HTML page needs no namespace, so the page names no address at all.
    pub fn new(width: f64, height: f64, class: &str, standalone: bool) -> Self {
        let mut out = String::with_capacity(16 * 1024);
        let ns = if standalone {
            " xmlns=\"http://www.w3.org/2000/svg\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<svg{ns} class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" \
             font-family=\"sans-serif\" font-size=\"12\">",
            escape(class),
            Px(width),
            Px(height),
            Px(width),
            Px(height)
        );
        Self { out }
    }

    fn attrs(&mut self, attrs: &[Attr]) {
        for (name, value) in attrs {
            let _ = write!(self.out, " {name}=\"{}\"", escape(&value.to_string()));
        }
    }

    /// Opens an element that will hold others; close it with [`Svg::close`].
    pub fn open(&mut self, tag: &str, attrs: &[Attr]) {
        let _ = write!(self.out, "<{tag}");
        self.attrs(attrs);
        self.out.push('>');
    }

    /// Closes the element opened last with this tag.
    pub fn close(&mut self, tag: &str) {
        let _ = write!(self.out, "</{tag}>");
    }

    /// An element with no content.
    pub fn leaf(&mut self, tag: &str, attrs: &[Attr]) {
        let _ = write!(self.out, "<{tag}");
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    /// A `<text>` element at (`x`, `y`).
    pub fn text(&mut self, x: f64, y: f64, attrs: &[Attr], content: &str) {
        let _ = write!(self.out, "<text x=\"{}\" y=\"{}\"", Px(x), Px(y));
        self.attrs(attrs);
        let _ = write!(self.out, ">{}</text>", escape(content));
    }

    /// A `<title>`: the tooltip of the element it is in.
    pub fn title(&mut self, content: &str) {
        let _ = write!(self.out, "<title>{}</title>", escape(content));
    }

    /// A `<path>` through `points` (already in pixels), with these attributes.
    pub fn polyline(&mut self, points: &[(f64, f64)], attrs: &[Attr]) {
        if points.is_empty() {
            return;
        }
        let d = path_data(points, false);
        let mut all: Vec<Attr> = vec![("d", &d)];
        all.extend_from_slice(attrs);
        self.leaf("path", &all);
    }

    /// A closed, filled `<path>` around `points` (already in pixels).
    pub fn polygon(&mut self, points: &[(f64, f64)], attrs: &[Attr]) {
        if points.len() < 3 {
            return;
        }
        let d = path_data(points, true);
        let mut all: Vec<Attr> = vec![("d", &d)];
        all.extend_from_slice(attrs);
        self.leaf("path", &all);
    }

    /// Raw markup, already escaped (another writer's element).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// Closes the root and returns the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// Path data through points: `M x y L x y ...` (and `Z` when closed).
fn path_data(points: &[(f64, f64)], closed: bool) -> String {
    let mut d = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, Px(*x), Px(*y));
    }
    if closed {
        d.push('Z');
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_have_at_most_one_decimal() {
        assert_eq!(Px(3.0).to_string(), "3");
        assert_eq!(Px(3.125).to_string(), "3.1");
        assert_eq!(Px(-0.04).to_string(), "0");
        assert_eq!(Px(12.96).to_string(), "13");
    }

    #[test]
    fn attributes_and_text_are_escaped() {
        let mut s = Svg::new(10.0, 10.0, "a\"b", false);
        s.open("g", &[("data-name", &"<x>")]);
        s.title("a & b");
        s.close("g");
        let doc = s.finish();
        assert!(doc.contains("class=\"a&quot;b\""));
        assert!(doc.contains("data-name=\"&lt;x&gt;\""));
        assert!(doc.contains("<title>a &amp; b</title>"));
        assert!(!doc.contains("xmlns"), "inline SVG names no address");
    }

    #[test]
    fn paths_join_their_points() {
        let mut s = Svg::new(10.0, 10.0, "c", true);
        s.polyline(&[(0.0, 0.0), (1.25, 2.0)], &[("class", &"line")]);
        s.polygon(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)], &[]);
        let doc = s.finish();
        assert!(doc.contains("d=\"M0 0L1.3 2\""), "{doc}");
        assert!(doc.contains("d=\"M0 0L1 0L1 1Z\""), "{doc}");
    }
}
