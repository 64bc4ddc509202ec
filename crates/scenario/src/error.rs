//! Scenario errors: each names the file, the line (when known) and the key, says what is
//! wrong as an [`ErrorKind`] (which renders the sentence a person reads, saying what is
//! allowed), and carries the text it points into so that a caller can show the line with a
//! caret (it is a [`miette::Diagnostic`]).

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of the scenario file, if the key was found there.
    File {
        /// 1-based.
        line: Option<usize>,
    },
    /// A `--set KEY=VALUE` on the command line.
    Set {
        /// The argument, `KEY=VALUE`.
        arg: String,
    },
    /// A `--vary KEY=START:END:STEPS` of a sweep, at one of its values.
    Vary {
        /// The argument, `KEY=START:END:STEPS`.
        arg: String,
    },
}

/// A scenario that cannot be run as written.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct ScenarioError {
    /// The scenario's file (or built-in) name.
    pub file: String,
    /// Where the key was set.
    pub origin: Origin,
    /// Dotted key (`virus.bite_rate_per_hour`), empty for whole-file problems.
    pub key: String,
    /// What is wrong (boxed: it is the largest part, and errors travel in `Result`s).
    pub kind: Box<ErrorKind>,
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
        (&self.file, &self.origin, &self.key, &self.kind)
            == (&other.file, &other.origin, &other.key, &other.kind)
    }
}

impl ScenarioError {
    /// An error at `span` (bytes) of the scenario file `file` whose text is `src`.
    pub fn in_file(
        file: &str,
        src: &str,
        span: Option<Range<usize>>,
        key: &str,
        kind: ErrorKind,
    ) -> Self {
        let line = span
            .as_ref()
            .map(|s| crate::locate::line_of_offset(src, s.start));
        // A line too long to show is not shown (the message names it, clipped).
        let shown = |span: &Range<usize>| {
            let bytes = src.as_bytes();
            let at = span.start.min(bytes.len());
            let start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let end = bytes[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| at + i);
            end - start <= MAX_SHOWN_LINE_BYTES
        };
        let snippet = span.filter(shown).map(|span| Snippet {
            source: Arc::new(NamedSource::new(file, src.to_string())),
            span: clamp(span, src.len()),
        });
        ScenarioError {
            file: file.into(),
            origin: Origin::File { line },
            key: key.into(),
            kind: Box::new(kind),
            snippet,
        }
    }

    /// An error in the command-line argument `--set {arg}`; the caret goes under the value.
    pub fn in_set(file: &str, arg: &str, key: &str, kind: ErrorKind) -> Self {
        let origin = Origin::Set { arg: arg.into() };
        Self::in_arg(file, ("--set", arg), origin, key, kind)
    }

    /// An error in the command-line argument `--vary {arg}` of a sweep (the scenario with
    /// one of its values set does not read); the caret goes under the values.
    pub fn in_vary(file: &str, arg: &str, key: &str, kind: ErrorKind) -> Self {
        let origin = Origin::Vary { arg: arg.into() };
        Self::in_arg(file, ("--vary", arg), origin, key, kind)
    }

    /// An error in the command-line argument `flag arg` (`--set` or `--vary`).
    fn in_arg(
        file: &str,
        (flag, arg): (&str, &str),
        origin: Origin,
        key: &str,
        kind: ErrorKind,
    ) -> Self {
        let text = format!("{flag} {arg}");
        let start = flag.len() + 1 + arg.find('=').map_or(0, |i| i + 1);
        let span = clamp(start..text.len().max(start + 1), text.len());
        // An argument too long to show is not shown, as a line of the file.
        let snippet = (text.len() <= MAX_SHOWN_LINE_BYTES).then(|| Snippet {
            source: Arc::new(NamedSource::new("command line", text)),
            span,
        });
        ScenarioError {
            file: file.into(),
            origin,
            key: key.into(),
            kind: Box::new(kind),
            snippet,
        }
    }

    /// What is wrong, as a sentence (without the file, line and key).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// One line a person can act on: `file:line: key: message` or `--set ...: message`.
    pub fn render(&self) -> String {
        // What is too long to show is shown clipped, as a line too long is not shown.
        let whole = |text: &str| {
            if text.len() <= MAX_SHOWN_LINE_BYTES {
                text.to_string()
            } else {
                Clipped(text).to_string()
            }
        };
        let key = if self.key.is_empty() {
            String::new()
        } else {
            format!("`{}`: ", whole(&self.key))
        };
        let message = &self.kind;
        match &self.origin {
            Origin::File { line: Some(l) } => format!("{}:{}: {key}{message}", self.file, l),
            Origin::File { line: None } => format!("{}: {key}{message}", self.file),
            Origin::Set { arg } => {
                let arg = whole(arg);
                format!("--set {arg}: {key}{message} (scenario {})", self.file)
            }
            Origin::Vary { arg } => {
                let arg = whole(arg);
                format!("--vary {arg}: {key}{message} (scenario {})", self.file)
            }
        }
    }
}

/// The longest line shown under a message, in bytes.
const MAX_SHOWN_LINE_BYTES: usize = 400;

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

/// What is wrong with a scenario. Its `Display` is the sentence shown after the key.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not TOML.
    #[error("{message}")]
    Syntax {
        /// The parser's own words.
        message: String,
    },
    /// A key its table does not have.
    #[error(
        "unknown field `{}`, {}{}",
        Clipped(key),
        KeyList(expected),
        did_you_mean(suggestion)
    )]
    UnknownKey {
        /// The key given.
        key: String,
        /// The keys the table has.
        expected: Vec<String>,
        /// The one closest to `key`, a likely typo.
        suggestion: Option<String>,
    },
    /// A value of the wrong type, or one its type cannot hold (a negative count).
    #[error("{message}")]
    WrongType {
        /// The parser's words, with the type said in words.
        message: String,
    },
    /// A value outside what is allowed.
    #[error(transparent)]
    OutOfRange(#[from] Limit),
    /// A name that names nothing of its kind.
    #[error(transparent)]
    UnknownName(#[from] Unknown),
    /// Something the scenario needs and does not give.
    #[error(transparent)]
    Missing(#[from] Missing),
    /// A setting given where it does not belong, or settings that contradict each other.
    #[error(transparent)]
    NotAllowed(#[from] NotAllowed),
    /// A file the scenario names that cannot be read or used.
    #[error(transparent)]
    File(#[from] FileProblem),
    /// The world's generator refused its settings.
    #[error("{message}")]
    World {
        /// The generator's own words.
        message: String,
    },
    /// A `--set` argument that is not a `KEY=VALUE` or does not fit the file.
    #[error(transparent)]
    Override(#[from] OverrideProblem),
    /// Anything else the parser refuses.
    #[error("{message}")]
    Malformed {
        /// The parser's own words.
        message: String,
    },
}

/// A value outside what is allowed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Limit {
    /// A number outside `min` to `max`.
    #[error("{value} is out of range: allowed {min} to {max}")]
    Between {
        /// The number given (or the default it replaces).
        value: f64,
        /// The least allowed.
        min: f64,
        /// The most allowed.
        max: f64,
    },
    /// A number over 0 and at most `max`.
    #[error("{value} is out of range: allowed more than 0, up to {max}")]
    Positive {
        /// The number given.
        value: f64,
        /// The most allowed.
        max: f64,
    },
    /// A number that must be 0 or more.
    #[error("{value} must be 0 or more")]
    NonNegative {
        /// The number given.
        value: f64,
    },
    /// A duration that is not a whole number of ticks.
    #[error("{hours} hours is not a whole number of {tick_minutes}-minute ticks")]
    WholeTicks {
        /// The duration given.
        hours: f64,
        /// The run's tick.
        tick_minutes: f64,
    },
    /// A run shorter than one tick.
    #[error("{hours} hours is less than one tick ({tick_minutes} min)")]
    NoTicks {
        /// The duration given.
        hours: f64,
        /// The run's tick.
        tick_minutes: f64,
    },
    /// A duration of more ticks than a run may have.
    #[error("{hours} hours is too many ticks")]
    TooManyTicks {
        /// The duration given.
        hours: f64,
    },
    /// `population.size` × `population.scale` rounds to no one.
    #[error("the population is empty ({size} × scale {scale} rounds to 0)")]
    EmptyPopulation {
        /// `population.size`.
        size: u64,
        /// `population.scale`.
        scale: f64,
    },
    /// More people than a run may have.
    #[error("{people} people is more than the {} allowed", Grouped(*max))]
    TooManyPeople {
        /// The people asked for (after `scale`).
        people: u64,
        /// The most allowed.
        max: u64,
    },
    /// More initial zombies and infected than people.
    #[error("{seeded} initial zombies and infected but only {people} people")]
    TooManySeeded {
        /// Initial zombies and infected.
        seeded: u64,
        /// The people (after `scale`).
        people: u64,
    },
    /// A grid city of more places than a world may have.
    #[error("a {side}×{side} city of {rooms_per_building} rooms a building has {places} places, more than the {max} allowed")]
    TooManyPlaces {
        /// `world.side`.
        side: u32,
        /// `world.rooms_per_building`.
        rooms_per_building: u32,
        /// The places of such a city.
        places: u64,
        /// The most allowed.
        max: u64,
    },
    /// More people than sites on a lattice.
    #[error("{people} people do not fit on a {side}×{side} lattice (one a site)")]
    LatticeFull {
        /// The people (after `scale`).
        people: u64,
        /// `world.side`.
        side: u32,
    },
    /// A daily schedule of other than 24 hours.
    #[error("{given} hours given: the schedule needs one anchor for each of the 24 hours")]
    ScheduleLength {
        /// The hours given.
        given: usize,
    },
    /// A schedule's anchor that is none of the four.
    #[error("anchor {anchor} is out of range: allowed 0 (home), 1 (morning), 2 (lunch) or 3 (afternoon)")]
    ScheduleAnchor {
        /// The anchor given.
        anchor: u8,
    },
    /// An empty list of highway kinds, or one with a blank entry.
    #[error("a list of highway kinds, e.g. [\"footway\", \"residential\"]")]
    HighwayKinds,
}

/// A name that names nothing of its kind.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Unknown {
    /// A name that is none of a fixed list.
    #[error(
        "unknown {what} `{}`: expected {allowed}{}",
        Clipped(name),
        did_you_mean(suggestion)
    )]
    Choice {
        /// What the list is of: generator, action, role, health, distribution, state.
        what: &'static str,
        /// The name given.
        name: String,
        /// The names allowed, as the sentence lists them.
        allowed: String,
        /// The allowed name closest to `name`, a likely typo.
        suggestion: Option<String>,
    },
    /// No place of this name in the world.
    #[error(
        "no place named `{}` in this world{}",
        Clipped(name),
        did_you_mean(suggestion)
    )]
    Place {
        /// The name given.
        name: String,
        /// The place name closest to it, a likely typo.
        suggestion: Option<String>,
    },
    /// No zone of this name in the world.
    #[error("no zone named `{}`{}", Clipped(name), ZoneHint { suggestion, zones })]
    Zone {
        /// The name given.
        name: String,
        /// The zone name closest to it, a likely typo.
        suggestion: Option<String>,
        /// Without a `suggestion`, the first few zones the world has.
        zones: Vec<String>,
    },
    /// The off-map place where squads wait, named as a place in the world.
    #[error("`{name}` is where squads wait off the map; name a place in the world")]
    Staging {
        /// The name given.
        name: String,
    },
    /// A squad that characters serve in but no order deploys.
    #[error("no `squad` order deploys a squad named `{squad}`")]
    Squad {
        /// The squad's name.
        squad: String,
    },
}

/// Something the scenario needs and does not give.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Missing {
    /// A key its table needs.
    #[error("missing field `{field}`")]
    Field {
        /// The key, in the parser's words.
        field: String,
    },
    /// A required setting.
    #[error("missing: {what}")]
    Setting {
        /// What the setting gives.
        what: &'static str,
    },
    /// A parameter the latent-time distribution needs.
    #[error("the {distribution} distribution needs `{parameter}`")]
    Parameter {
        /// The distribution.
        distribution: String,
        /// The parameter it needs.
        parameter: &'static str,
    },
    /// A setting the order's action needs.
    #[error("a `{action}` order needs `{setting}`")]
    OrderSetting {
        /// The action.
        action: String,
        /// The setting it needs.
        setting: &'static str,
    },
    /// An order that needs at least one of some settings.
    #[error("a `{action}` order needs at least one of {}", Backticked(settings))]
    OneOf {
        /// The action.
        action: String,
        /// The settings it needs one of.
        settings: &'static [&'static str],
    },
    /// An order with neither `at_hours` nor `when`.
    #[error("an order needs `at_hours` or `when`")]
    Trigger,
    /// A character with an empty name.
    #[error("a character needs a name")]
    Name,
}

/// A setting given where it does not belong, or settings that contradict each other.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NotAllowed {
    /// A `[world]` setting of another generator.
    #[error("`{setting}` is not a setting of the `{generator}` generator (it takes: {})", takes.join(", "))]
    GeneratorSetting {
        /// The setting given.
        setting: &'static str,
        /// The generator.
        generator: String,
        /// The settings it takes.
        takes: &'static [&'static str],
    },
    /// A setting of another action.
    #[error("`{setting}` is not a setting of a `{action}` order (it takes: {})", takes.join(", "))]
    OrderSetting {
        /// The setting given.
        setting: &'static str,
        /// The order's action.
        action: String,
        /// The settings it takes.
        takes: &'static [&'static str],
    },
    /// A parameter of another latent-time distribution.
    #[error(
        "`{parameter}` is not a parameter of the {distribution} distribution (it takes: {})",
        Takes(takes)
    )]
    Parameter {
        /// The parameter given.
        parameter: &'static str,
        /// The distribution.
        distribution: String,
        /// The parameters it takes.
        takes: &'static [&'static str],
    },
    /// A `[population]` setting of other worlds.
    #[error("`{setting}` does not apply to a `{generator}` world")]
    PopulationSetting {
        /// The setting given.
        setting: &'static str,
        /// The world's generator.
        generator: String,
    },
    /// A grid city's setting given with `districts`.
    #[error("`{setting}` sizes a grid city; a city of districts is sized by `people_per_block`")]
    GridCitySetting {
        /// The setting given.
        setting: &'static str,
    },
    /// A city of districts' setting given without `districts`.
    #[error("`{setting}` is a setting of a city of districts; give `districts` too")]
    DistrictSetting {
        /// The setting given.
        setting: &'static str,
    },
    /// Both `at_hours` and `when`.
    #[error("give either `at_hours` or `when`, not both")]
    TwoTriggers,
    /// `delay_hours` without `when`.
    #[error("`delay_hours` delays a `when` trigger; with `at_hours`, add the delay to it")]
    DelayWithoutWhen,
    /// A rescue opened by a trigger, given a duration.
    #[error("a rescue opened by a trigger (`when`) cannot take `duration_hours`; close it with a `close-rescue` order")]
    TriggeredRescueDuration,
    /// A squad member given a place, another health or another role.
    #[error("a squad member waits off the map as a healthy fighter until `{squad}` is deployed: drop `{setting}` or `squad`")]
    SquadMember {
        /// The squad.
        squad: String,
        /// The setting given.
        setting: &'static str,
    },
    /// `record_zones` with `record = false`, or empty.
    #[error("`record_zones` names the zones whose people the replay records: give at least one, and leave `record` out or true")]
    RecordZones,
    /// Two characters of one name.
    #[error("`{name}` is already the name of character {first}: fates are reported by name")]
    DuplicateName {
        /// The name.
        name: String,
        /// The index of the character who has it first.
        first: usize,
    },
}

/// A file the scenario names that cannot be read or used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FileProblem {
    /// The file cannot be read.
    #[error("cannot read the {what} {path}: {error}")]
    Unreadable {
        /// What the file is: the districts file, the map.
        what: &'static str,
        /// Its path.
        path: String,
        /// Why it cannot be read.
        error: String,
    },
    /// The file is read but its contents cannot be used.
    #[error("{path}: {error}")]
    Unusable {
        /// Its path, as given.
        path: String,
        /// What is wrong with it, in its reader's words.
        error: String,
    },
}

/// A `--set` argument that is not a `KEY=VALUE` or does not fit the file.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OverrideProblem {
    /// No `=`.
    #[error("expected KEY=VALUE, for example virus.bite_rate_per_hour=0.5")]
    NotKeyValue,
    /// A key with an empty part.
    #[error("`{key}` is not a dotted key such as virus.bite_rate_per_hour")]
    NotDotted {
        /// The key given.
        key: String,
    },
    /// A part that should index a list and is not a number.
    #[error("`{part}` should be an index into the list")]
    NotAnIndex {
        /// The part given.
        part: String,
    },
    /// An index past the end of the list.
    #[error("index {index} is out of range: the list has {len} entries")]
    NoEntry {
        /// The index given.
        index: usize,
        /// The list's length.
        len: usize,
    },
    /// A key that goes on inside a value.
    #[error("`{path}` is a value, not a table")]
    NotATable {
        /// The key up to the value.
        path: String,
    },
}

/// `; did you mean `x`?` after a message, when there is a likely name.
fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_deref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// The keys a table has, in serde's words (so that the message reads as serde's own).
pub(crate) struct KeyList<'a>(pub &'a [String]);

impl fmt::Display for KeyList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("there are no fields"),
            [one] => write!(f, "expected `{one}`"),
            [a, b] => write!(f, "expected `{a}` or `{b}`"),
            names => write!(f, "expected one of {}", Backticked(names)),
        }
    }
}

/// Names in backticks, separated by commas.
struct Backticked<'a, S>(&'a [S]);

impl<S: AsRef<str>> fmt::Display for Backticked<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{}`", name.as_ref())?;
        }
        Ok(())
    }
}

/// The parameters a distribution takes, or `nothing`.
struct Takes<'a>(&'a [&'a str]);

impl fmt::Display for Takes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&self.0.join(", "))
        }
    }
}

/// A close zone name, or the first few zones.
struct ZoneHint<'a> {
    suggestion: &'a Option<String>,
    zones: &'a [String],
}

impl fmt::Display for ZoneHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.suggestion {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => write!(f, "; zones include: {}", self.zones.join(", ")),
        }
    }
}

/// A whole number with its thousands grouped by commas (50,000,000).
struct Grouped(u64);

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                f.write_str(",")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Names longer than this get no edit-distance suggestion (only a prefix): no one mistypes
/// a name that long, and comparing costs the product of the lengths.
const MAX_SUGGESTED_CHARS: usize = 200;

/// The candidate closest to `got`, if it is close enough to be a likely typo (a prefix,
/// or at most a third of its letters, and at least 3, different). Bounded in time: a
/// candidate whose length alone differs by more than that is not compared letter by letter.
pub(crate) fn nearest<'a>(got: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = 3.max(got.len() / 3);
    let got_chars = got.chars().count();
    candidates
        .filter_map(|c| {
            if c.starts_with(got) || got.starts_with(c) {
                return Some((0, c));
            }
            let c_chars = c.chars().count();
            // The distance is at least the difference of the lengths.
            let compared = got_chars.max(c_chars) <= MAX_SUGGESTED_CHARS
                && got_chars.abs_diff(c_chars) <= limit;
            compared.then(|| (strsim::damerau_levenshtein(got, c), c))
        })
        .min()
        .filter(|(d, _)| *d <= limit)
        .map(|(_, c)| c)
}

/// A name as a message shows it: whole up to 60 characters, else its start, an ellipsis
/// and its length.
pub(crate) struct Clipped<'a>(pub &'a str);

impl fmt::Display for Clipped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 60;
        match self.0.char_indices().nth(SHOWN) {
            None => f.write_str(self.0),
            Some((end, _)) => write!(
                f,
                "{}… ({} characters)",
                &self.0[..end],
                Grouped(self.0.chars().count() as u64)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lists_read_as_serde_writes_them() {
        let unknown = |expected: &[&str]| ErrorKind::UnknownKey {
            key: "x".into(),
            expected: expected.iter().map(|s| s.to_string()).collect(),
            suggestion: None,
        };
        assert_eq!(
            unknown(&[]).to_string(),
            "unknown field `x`, there are no fields"
        );
        assert_eq!(
            unknown(&["a"]).to_string(),
            "unknown field `x`, expected `a`"
        );
        assert_eq!(
            unknown(&["a", "b"]).to_string(),
            "unknown field `x`, expected `a` or `b`"
        );
        assert_eq!(
            unknown(&["a", "b", "c"]).to_string(),
            "unknown field `x`, expected one of `a`, `b`, `c`"
        );
    }

    #[test]
    fn thousands_are_grouped() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (50_000_000, "50,000,000"),
            (123_456_789_012, "123,456,789,012"),
        ] {
            assert_eq!(Grouped(n).to_string(), text);
        }
    }

    #[test]
    fn whole_numbers_read_without_a_decimal_point() {
        let r = Limit::Between {
            value: 250.0,
            min: 1.0,
            max: 200.0,
        };
        assert_eq!(r.to_string(), "250 is out of range: allowed 1 to 200");
        let r = Limit::Between {
            value: f64::NAN,
            min: 0.0,
            max: 1e6,
        };
        assert_eq!(r.to_string(), "NaN is out of range: allowed 0 to 1000000");
    }
}
