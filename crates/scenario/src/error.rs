//! Scenario errors: each names the file, the line (when known), the key and what is allowed.

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of the scenario file (1-based), if the key was found there.
    File { line: Option<usize> },
    /// A `--set KEY=VALUE` on the command line.
    Set { arg: String },
}

/// A scenario that cannot be run as written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ScenarioError {
    pub file: String,
    pub origin: Origin,
    /// Dotted key (`virus.bite_rate_per_hour`), empty for whole-file problems.
    pub key: String,
    pub message: String,
}

impl ScenarioError {
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
