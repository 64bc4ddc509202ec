//! Where a scenario's settings came from: its file (name and text) and the `--set`
//! arguments applied on top, so that an error about a key points at the line or the
//! argument that set it.

use crate::error::{ErrorKind, ScenarioError};
use crate::locate;
use crate::overrides::Override;

/// The text a scenario was read from.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub file: String,
    pub src: String,
    /// The `--set` arguments, in the order given.
    pub sets: Vec<Override>,
}

impl Source {
    /// An error about `key`: in the last `--set` that set it (or a table holding it), else
    /// at its place in the file.
    pub fn error(&self, key: &str, kind: impl Into<ErrorKind>) -> ScenarioError {
        let kind = kind.into();
        match self
            .sets
            .iter()
            .rev()
            .find(|o| key == o.key || key.starts_with(&format!("{}.", o.key)))
        {
            Some(o) => ScenarioError::in_set(&self.file, &o.arg, key, kind),
            None => ScenarioError::in_file(
                &self.file,
                &self.src,
                locate::span_of(&self.src, key),
                key,
                kind,
            ),
        }
    }
}
