//! Phase diagrams: a grid of cells over two quantities, each cell coloured by a share
//! (with the share written in it when there is room), ticks at the cells' centres with
//! rounded values, and a colour scale beside the grid.

use crate::colour::{sequential, Colour};
use crate::scale;
use crate::svg::{Px, Svg};

/// A grid of shares over two quantities.
#[derive(Clone, Debug, PartialEq)]
pub struct Heat {
    /// The title, bold and centred above the grid.
    pub title: String,
    /// The quantity across and its values (left to right).
    pub x_label: String,
    /// One column of cells a value, left to right; ticks at the columns' centres.
    pub x_values: Vec<f64>,
    /// The quantity up and its values (bottom to top).
    pub y_label: String,
    /// One row of cells a value, bottom to top; ticks at the rows' centres.
    pub y_values: Vec<f64>,
    /// The share (0 to 1) at `[x index][y index]`; NaN for a cell with no data.
    pub shares: Vec<Vec<f64>>,
    /// What the share is, under the colour scale.
    pub scale_label: String,
    /// Width of the whole picture (grid, axes and colour scale), in pixels.
    pub width: f64,
    /// Height of the whole picture, in pixels.
    pub height: f64,
    /// Class of the root `<svg>` element.
    pub class: String,
    /// A file of its own (names the SVG namespace) rather than inlined in a page.
    pub standalone: bool,
}

impl Heat {
    /// The diagram as an SVG document.
    pub fn svg(&self) -> String {
        let (nx, ny) = (self.x_values.len().max(1), self.y_values.len().max(1));
        let y_labels: Vec<String> = self
            .y_values
            .iter()
            .map(|&v| scale::round_label(v, 3))
            .collect();
        let widest = y_labels
            .iter()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1);
        let left = 34.0 + 7.0 * widest as f64;
        let (top, bottom, scale_w) = (36.0, 48.0, 96.0);
        let plot_w = (self.width - left - scale_w - 16.0).max(40.0);
        let plot_h = (self.height - top - bottom).max(40.0);
        let (cw, ch) = (plot_w / nx as f64, plot_h / ny as f64);
        let mut s = Svg::new(self.width, self.height, &self.class, self.standalone);
        s.leaf(
            "rect",
            &[
                ("width", &Px(self.width)),
                ("height", &Px(self.height)),
                ("fill", &"#ffffff"),
            ],
        );
        s.text(
            self.width / 2.0,
            20.0,
            &[
                ("class", &"chart-title"),
                ("text-anchor", &"middle"),
                ("font-size", &15),
                ("font-weight", &"bold"),
            ],
            &self.title,
        );
        let room = cw >= 30.0 && ch >= 16.0;
        s.open("g", &[("class", &"cells")]);
        for (i, column) in self.shares.iter().enumerate() {
            for (j, &share) in column.iter().enumerate() {
                let (x, y) = (left + i as f64 * cw, top + plot_h - (j + 1) as f64 * ch);
                let fill = if share.is_nan() {
                    Colour(238, 238, 238)
                } else {
                    sequential(share)
                };
                let what = format!(
                    "{} = {}, {} = {}: {}",
                    self.x_label,
                    scale::round_label(self.x_values.get(i).copied().unwrap_or(f64::NAN), 6),
                    self.y_label,
                    scale::round_label(self.y_values.get(j).copied().unwrap_or(f64::NAN), 6),
                    percent(share)
                );
                s.open("g", &[("class", &"cell"), ("data-share", &share)]);
                s.title(&what);
                s.leaf(
                    "rect",
                    &[
                        ("x", &Px(x)),
                        ("y", &Px(y)),
                        ("width", &Px(cw + 0.5)),
                        ("height", &Px(ch + 0.5)),
                        ("fill", &fill),
                    ],
                );
                if room && !share.is_nan() {
                    s.text(
                        x + cw / 2.0,
                        y + ch / 2.0 + 4.0,
                        &[
                            ("text-anchor", &"middle"),
                            ("fill", &fill.ink()),
                            ("font-size", &11),
                        ],
                        &percent(share),
                    );
                }
                s.close("g");
            }
        }
        s.close("g");

        // Ticks at cell centres; when there are many cells, every k-th so labels do not touch.
        let every =
            |n: usize, px: f64, label_px: f64| ((label_px / px).ceil() as usize).clamp(1, n.max(1));
        let x_labels: Vec<String> = self
            .x_values
            .iter()
            .map(|&v| scale::round_label(v, 3))
            .collect();
        let x_widest = x_labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1) as f64
            * 7.0
            + 8.0;
        let base = top + plot_h;
        s.open("g", &[("class", &"x-axis"), ("fill", &"#444444")]);
        for (i, label) in x_labels.iter().enumerate().step_by(every(nx, cw, x_widest)) {
            let x = left + (i as f64 + 0.5) * cw;
            s.leaf(
                "line",
                &[
                    ("x1", &Px(x)),
                    ("x2", &Px(x)),
                    ("y1", &Px(base)),
                    ("y2", &Px(base + 5.0)),
                    ("stroke", &"#888888"),
                ],
            );
            s.text(
                x,
                base + 18.0,
                &[("text-anchor", &"middle"), ("class", &"tick")],
                label,
            );
        }
        s.text(
            left + plot_w / 2.0,
            base + 38.0,
            &[("text-anchor", &"middle"), ("class", &"axis-label")],
            &self.x_label,
        );
        s.close("g");
        s.open("g", &[("class", &"y-axis"), ("fill", &"#444444")]);
        for (j, label) in y_labels.iter().enumerate().step_by(every(ny, ch, 16.0)) {
            let y = top + plot_h - (j as f64 + 0.5) * ch;
            s.leaf(
                "line",
                &[
                    ("x1", &Px(left - 5.0)),
                    ("x2", &Px(left)),
                    ("y1", &Px(y)),
                    ("y2", &Px(y)),
                    ("stroke", &"#888888"),
                ],
            );
            s.text(
                left - 8.0,
                y + 4.0,
                &[("text-anchor", &"end"), ("class", &"tick")],
                label,
            );
        }
        let (mx, my) = (14.0, top + plot_h / 2.0);
        let rotate = format!("rotate(-90 {} {})", Px(mx), Px(my));
        s.text(
            mx,
            my,
            &[
                ("text-anchor", &"middle"),
                ("transform", &rotate),
                ("class", &"axis-label"),
            ],
            &self.y_label,
        );
        s.close("g");

        // The colour scale: a bar from 0 % (bottom) to 100 % (top).
        let (bx, bw) = (left + plot_w + 24.0, 16.0);
        s.open("g", &[("class", &"colour-scale")]);
        let steps = 50;
        for k in 0..steps {
            let t = (k as f64 + 0.5) / steps as f64;
            let y = top + plot_h * (1.0 - (k + 1) as f64 / steps as f64);
            s.leaf(
                "rect",
                &[
                    ("x", &Px(bx)),
                    ("y", &Px(y)),
                    ("width", &Px(bw)),
                    ("height", &Px(plot_h / steps as f64 + 0.5)),
                    ("fill", &sequential(t)),
                ],
            );
        }
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let y = top + plot_h * (1.0 - t);
            s.text(bx + bw + 4.0, y + 4.0, &[("class", &"tick")], &percent(t));
        }
        let (sx, sy) = (bx + bw + 44.0, top + plot_h / 2.0);
        let rotate = format!("rotate(-90 {} {})", Px(sx), Px(sy));
        s.text(
            sx,
            sy,
            &[
                ("text-anchor", &"middle"),
                ("transform", &rotate),
                ("class", &"axis-label"),
            ],
            &self.scale_label,
        );
        s.close("g");
        s.finish()
    }
}

/// A share as a whole percentage (`0.123` → `12 %`); a dash for no data.
fn percent(share: f64) -> String {
    if share.is_nan() {
        "–".into()
    } else {
        format!("{:.0} %", share * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heat(nx: usize, ny: usize) -> Heat {
        Heat {
            title: "share".into(),
            x_label: "virus.kill_rate_per_hour".into(),
            x_values: (0..nx)
                .map(|i| 0.001 + i as f64 * 0.0003333333333333)
                .collect(),
            y_label: "virus.bite_rate_per_hour".into(),
            y_values: (0..ny).map(|j| 0.01 * (j + 1) as f64).collect(),
            shares: (0..nx)
                .map(|i| (0..ny).map(|j| (i + j) as f64 / (nx + ny) as f64).collect())
                .collect(),
            scale_label: "runs in which humans survive".into(),
            width: 800.0,
            height: 480.0,
            class: "phase".into(),
            standalone: true,
        }
    }

    #[test]
    fn cells_ticks_and_scale() {
        let svg = heat(4, 3).svg();
        assert_eq!(svg.matches("class=\"cell\"").count(), 12);
        assert!(svg.contains(">0.00133<"), "rounded tick labels: {svg}");
        assert!(!svg.contains("0.0013333333"), "no 16-digit labels");
        assert!(svg.contains("class=\"colour-scale\""));
        assert!(svg.contains(">100 %<"));
        assert!(svg.starts_with("<svg xmlns="));
    }

    #[test]
    fn many_cells_thin_their_labels() {
        let svg = heat(100, 60).svg();
        let ticks = svg.matches("class=\"tick\"").count();
        assert!(ticks < 100 + 60, "{ticks} labels for 160 cells");
        assert!(
            !svg.contains("%</text></g><g class=\"cell\""),
            "no text in tiny cells"
        );
    }
}
