//! Scenario errors: each names the file, the line (when known), the key and what is allowed,
//! and carries the text it points into so that a caller can show the line with a caret (it
//! is a [`miette::Diagnostic`]).

use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of the scenario file (1-based), if the key was found there.
    File { line: Option<usize> },
    /// A `--set KEY=VALUE` on the command line.
    Set { arg: String },
}

/// A scenario that cannot be run as written.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct ScenarioError {
    pub file: String,
    pub origin: Origin,
    /// Dotted key (`virus.bite_rate_per_hour`), empty for whole-file problems.
    pub key: String,
    pub message: String,
    /// The text pointed into (the file, or the `--set` argument) and the span in it.
    snippet: Option<Snippet>,
}

#[derive(Clone, Debug)]
struct Snippet {
    source: Arc<NamedSource<String>>,
    span: Range<usize>,
}

impl PartialEq for ScenarioError {
    fn eq(&self, other: &Self) -> bool {
        (&self.file, &self.origin, &self.key, &self.message)
            == (&other.file, &other.origin, &other.key, &other.message)
    }
}

impl ScenarioError {
    /// An error at `span` (bytes) of the scenario file `file` whose text is `src`.
    pub fn in_file(
        file: &str,
        src: &str,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
    ) -> Self {
        let line = span
            .as_ref()
            .map(|s| crate::locate::line_of_offset(src, s.start));
        let snippet = span.map(|span| Snippet {
            source: Arc::new(NamedSource::new(file, src.to_string())),
            span: clamp(span, src.len()),
        });
        ScenarioError {
            file: file.into(),
            origin: Origin::File { line },
            key: key.into(),
            message: message.into(),
            snippet,
        }
    }

    /// An error in the command-line argument `--set {arg}`; the caret goes under the value.
    pub fn in_set(file: &str, arg: &str, key: &str, message: impl Into<String>) -> Self {
        let text = format!("--set {arg}");
        let start = 6 + arg.find('=').map_or(0, |i| i + 1);
        let span = clamp(start..text.len().max(start + 1), text.len());
        ScenarioError {
            file: file.into(),
            origin: Origin::Set { arg: arg.into() },
            key: key.into(),
            message: message.into(),
            snippet: Some(Snippet {
                source: Arc::new(NamedSource::new("command line", text)),
                span,
            }),
        }
    }

    /// One line a person can act on: `file:line: key: message` or `--set ...: message`.
    pub fn render(&self) -> String {
        let key = if self.key.is_empty() {
            String::new()
        } else {
            format!("`{}`: ", self.key)
        };
        match &self.origin {
            Origin::File { line: Some(l) } => {
                format!("{}:{}: {}{}", self.file, l, key, self.message)
            }
            Origin::File { line: None } => format!("{}: {}{}", self.file, key, self.message),
            Origin::Set { arg } => format!(
                "--set {arg}: {}{} (scenario {})",
                key, self.message, self.file
            ),
        }
    }
}

/// A span inside a text of `len` bytes, at least one byte wide where the text allows.
fn clamp(span: Range<usize>, len: usize) -> Range<usize> {
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    start..end
}

impl Diagnostic for ScenarioError {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet
            .as_ref()
            .map(|s| s.source.as_ref() as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.snippet.as_ref()?;
        let label = if self.key.is_empty() {
            None
        } else {
            Some(self.key.clone())
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label,
            s.span.clone(),
        ))))
    }
}
