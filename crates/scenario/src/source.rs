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
        self.error_among(&[key], kind)
    }

    /// An error about settings that act together (`population.size` × `scale`): in the last
    /// `--set` that set any of `keys`, about its key, else at the first key in the file.
    pub fn error_among(&self, keys: &[&str], kind: impl Into<ErrorKind>) -> ScenarioError {
        let kind = kind.into();
        let sets =
            |key: &str, o: &Override| key == o.key || key.starts_with(&format!("{}.", o.key));
        let last = self
            .sets
            .iter()
            .rev()
            .find_map(|o| keys.iter().find(|k| sets(k, o)).map(|k| (o, *k)));
        match last {
            Some((o, key)) => ScenarioError::in_set(&self.file, &o.arg, key, kind),
            None => {
                let key = keys.first().copied().unwrap_or_default();
                ScenarioError::in_file(
                    &self.file,
                    &self.src,
                    locate::span_of(&self.src, key),
                    key,
                    kind,
                )
            }
        }
    }
}
