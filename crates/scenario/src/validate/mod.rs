//! Validation: from the text and its `--set` arguments to a checked [`Scenario`], one module
//! a section of the file. Each default is stated once, in the section that reads its key
//! (behaviour's and the generators' own settings come from the engine's and the world's
//! `Default`s), and every check that does not need the generated world is made here:
//! ranges, which settings each generator, latent-time distribution and action takes, roles
//! and health, squads.

mod authorities;
mod behaviour;
mod population;
mod run;
mod virus;
mod world;

pub use authorities::ACTIONS;
pub use world::{DISTRICT_SETTINGS, GENERATORS, KOTKA};

use crate::error::{ErrorKind, Limit, Missing, ScenarioError};
use crate::locate;
use crate::overrides::{self, Override};
use crate::raw::RawScenario;
use crate::source::Source;
use crate::spec::{Scenario, WorldSpec};
use outbreak_engine::params::Params;

impl Scenario {
    /// Reads a scenario from its text. `file` names it in messages; `sets` are `--set`
    /// arguments (`KEY=VALUE`) applied on top of the file.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(src: &str, file: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
        let whole = |e: toml::de::Error, kind: ErrorKind| {
            // A value of the wrong type: name its key, found from where it is.
            let key = e
                .span()
                .and_then(|s| locate::key_at(src, s.start))
                .unwrap_or_default();
            ScenarioError::in_file(file, src, e.span(), &key, kind)
        };
        let mut doc: toml::Value = toml::from_str(src).map_err(|e| {
            let kind = ErrorKind::Syntax {
                message: e.message().to_string(),
            };
            whole(e, kind)
        })?;
        // The file alone must be a scenario (read from the text, so errors know their line);
        // then each override in turn.
        toml::from_str::<RawScenario>(src).map_err(|e| {
            let kind = form_error(e.message());
            whole(e, kind)
        })?;
        let file_only = Source {
            file: file.into(),
            src: src.into(),
            sets: Vec::new(),
        };
        let mut parsed = Vec::new();
        for arg in sets {
            let o = overrides::parse(arg, file)?;
            overrides::apply(&mut doc, &o, file)?;
            read_raw(doc.clone(), &file_only, Some(&o))?;
            parsed.push(o);
        }
        let source = Source {
            sets: parsed,
            ..file_only
        };
        let raw = read_raw(doc, &source, None)?;
        validate(raw, source)
    }
}

/// The raw scenario of a parsed document; an error points at `set`, the override just
/// applied, when there is one.
fn read_raw(
    doc: toml::Value,
    source: &Source,
    set: Option<&Override>,
) -> Result<RawScenario, ScenarioError> {
    use serde::Deserialize;
    RawScenario::deserialize(doc).map_err(|e| {
        let kind = form_error(e.message());
        match set {
            Some(o) => ScenarioError::in_set(&source.file, &o.arg, &o.key, kind),
            None => ScenarioError::in_file(&source.file, &source.src, None, "", kind),
        }
    })
}

/// The parser's refusal of the file's form (serde's words) as a kind, with Rust's type
/// names said in words.
fn form_error(message: &str) -> ErrorKind {
    let mut message = message.to_string();
    for (rust, words) in [
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected f64", "expected a number"),
    ] {
        message = message.replace(rust, words);
    }
    if let Some(kind) = unknown_key(&message) {
        return kind;
    }
    if message.starts_with("invalid type: ") || message.starts_with("invalid value: ") {
        return ErrorKind::WrongType { message };
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return Missing::Field {
            field: field.into(),
        }
        .into();
    }
    ErrorKind::Malformed { message }
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" taken apart, with the key the
/// unknown one is closest to. `None` for other messages, and for one that does not read
/// back the same (a key with a backtick in it).
fn unknown_key(message: &str) -> Option<ErrorKind> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let expected: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    // Compared with the key whole (a message shows a long one clipped).
    let plain = format!(
        "unknown field `{key}`, {}",
        crate::error::KeyList(&expected)
    );
    if plain != message {
        return None;
    }
    let suggestion = crate::error::nearest(key, expected.iter().map(String::as_str));
    Some(ErrorKind::UnknownKey {
        key: key.into(),
        suggestion: suggestion.map(str::to_string),
        expected,
    })
}

/// The largest rate a scenario may give, per hour.
const MAX_RATE: f64 = 1e6;

/// Names as a sentence lists them: `a, b, c or d`.
fn or_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The checks every section makes of its values, each error pointing at its key.
struct Check<'a> {
    source: &'a Source,
}

impl Check<'_> {
    fn error(&self, key: &str, kind: impl Into<ErrorKind>) -> ScenarioError {
        self.source.error(key, kind)
    }

    /// An error about settings that act together, at the one that was set last.
    fn error_among(&self, keys: &[&str], kind: impl Into<ErrorKind>) -> ScenarioError {
        self.source.error_among(keys, kind)
    }

    /// `v` (or `default`) from `min` to `max`.
    fn num(
        &self,
        key: &str,
        v: Option<f64>,
        default: f64,
        min: f64,
        max: f64,
    ) -> Result<f64, ScenarioError> {
        let value = v.unwrap_or(default);
        if !value.is_finite() || value < min || value > max {
            return Err(self.error(key, Limit::Between { value, min, max }));
        }
        Ok(value)
    }

    /// `v`, if given, from `min` to `max`.
    fn given(
        &self,
        key: &str,
        v: Option<f64>,
        min: f64,
        max: f64,
    ) -> Result<Option<f64>, ScenarioError> {
        v.map(|x| self.num(key, Some(x), x, min, max)).transpose()
    }

    /// `v` (or `default`) over 0 and at most `max`.
    fn pos(&self, key: &str, v: Option<f64>, default: f64, max: f64) -> Result<f64, ScenarioError> {
        let value = v.unwrap_or(default);
        if !(value.is_finite() && value > 0.0 && value <= max) {
            return Err(self.error(key, Limit::Positive { value, max }));
        }
        Ok(value)
    }

    /// `v` (or `default`) 0 or more, with no upper bound.
    fn non_negative(&self, key: &str, v: Option<f64>, default: f64) -> Result<f64, ScenarioError> {
        let value = v.unwrap_or(default);
        if !value.is_finite() || value < 0.0 {
            return Err(self.error(key, Limit::NonNegative { value }));
        }
        Ok(value)
    }

    /// A whole number `v` (or `default`) from `min` to `max`.
    fn whole(
        &self,
        key: &str,
        v: Option<u32>,
        default: u32,
        min: u32,
        max: u32,
    ) -> Result<u32, ScenarioError> {
        let x = v.unwrap_or(default);
        if x < min || x > max {
            return Err(self.error(
                key,
                Limit::Between {
                    value: f64::from(x),
                    min: f64::from(min),
                    max: f64::from(max),
                },
            ));
        }
        Ok(x)
    }

    /// `hours` as ticks, refusing durations that are not a whole number of ticks.
    fn ticks(&self, key: &str, hours: f64, tick_minutes: f64) -> Result<u32, ScenarioError> {
        let ticks = hours * 60.0 / tick_minutes;
        if (ticks - ticks.round()).abs() > 1e-6 {
            return Err(self.error(
                key,
                Limit::WholeTicks {
                    hours,
                    tick_minutes,
                },
            ));
        }
        if ticks > f64::from(u32::MAX / 2) {
            return Err(self.error(key, Limit::TooManyTicks { hours }));
        }
        Ok(ticks.round() as u32)
    }

    /// [`ticks`](Self::ticks) of a duration, which must last at least one tick (a lure or
    /// a rescue of none would end as it starts).
    fn duration_ticks(
        &self,
        key: &str,
        hours: f64,
        tick_minutes: f64,
    ) -> Result<u32, ScenarioError> {
        if hours * 60.0 / tick_minutes < 0.5 {
            return Err(self.error(
                key,
                Limit::NoTicks {
                    hours,
                    tick_minutes,
                },
            ));
        }
        self.ticks(key, hours, tick_minutes)
    }
}

/// The sections in file order; each reads its own table (the population also the world it
/// lives in, the timeline the characters who serve in squads).
fn validate(mut raw: RawScenario, source: Source) -> Result<Scenario, ScenarioError> {
    let c = Check { source: &source };
    let (run, duration_hours, record) = run::check(&c, &raw.run)?;
    raw.run.seed = Some(run.seed);
    let world = world::check(&c, &mut raw.world)?;
    let (people, population) = population::check(&c, &raw.population, &raw.world, &world)?;
    let virus = virus::check(&c, &raw.virus)?;
    let behaviour = behaviour::check(&c, &raw.behaviour)?;
    let (orders, mut warnings) = authorities::check(
        &c,
        &raw.authorities,
        &population.characters,
        run.tick_minutes,
        duration_hours,
    )?;
    let neighbours_meet = matches!(
        world,
        WorldSpec::Lattice {
            neighbour_contact: true,
            ..
        }
    );
    warnings.extend(virus::tick_warnings(
        &virus,
        run.tick_minutes,
        neighbours_meet,
    ));
    let name = raw.name.clone().unwrap_or_else(|| source.file.clone());
    Ok(Scenario {
        name,
        raw,
        world,
        people,
        population,
        orders,
        warnings,
        params: Params {
            run,
            virus,
            behaviour,
        },
        record,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NotAllowed;

    /// A well-mixed world of 100 with `extra` appended (a section, or keys of `[population]`).
    fn scenario(extra: &str) -> Result<Scenario, ScenarioError> {
        let src = format!("[world]\ngenerator = \"well-mixed\"\n[population]\nsize = 100\n{extra}");
        Scenario::from_str(&src, "t.toml", &[])
    }

    #[test]
    fn a_tick_coarse_for_the_latent_time_or_the_lattices_rates_is_warned_about() {
        let coarse = |extra: &str| scenario(extra).expect("valid").warnings;
        // The default latent time (median 15 minutes) at one-minute ticks: no warning.
        assert!(coarse("").is_empty());
        let w = coarse("[run]\ntick_minutes = 10\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("`run.tick_minutes`")
                && w[0].contains("33 %")
                && w[0].contains("at most 6 minutes"),
            "{}",
            w[0]
        );
        // Bites and kills in one place need none, however coarse the tick.
        assert!(coarse("[run]\ntick_minutes = 60\n[virus]\nlatent = { distribution = \"immediate\" }\nbite_rate_per_hour = 100\n").is_empty());
        let lattice = |tick: u32| {
            Scenario::from_str(
                &format!("[run]\ntick_minutes = {tick}\n[world]\ngenerator = \"lattice\"\nside = 5\n[population]\nsize = 25\n[virus]\nlatent = {{ distribution = \"immediate\" }}\nbite_rate_per_hour = 1\n"),
                "t.toml",
                &[],
            )
            .expect("valid")
            .warnings
        };
        assert!(lattice(1).is_empty());
        let w = lattice(6);
        assert!(
            w.len() == 1 && w[0].contains("neighbours meet") && w[0].contains("at most 3 minutes"),
            "{w:?}"
        );
    }

    #[test]
    fn the_replay_records_everyone_some_zones_or_no_one() {
        let record = |run: &str| scenario(&format!("[run]\n{run}\n")).map(|s| s.record);
        assert_eq!(record("").unwrap(), None);
        assert_eq!(record("record = true").unwrap(), Some(vec![]));
        let zones = record("record_zones = [\"a\", \"b\"]").unwrap();
        assert_eq!(zones, Some(vec!["a".to_string(), "b".to_string()]));
        for bad in [
            "record = false\nrecord_zones = [\"a\"]",
            "record_zones = []",
        ] {
            let e = record(bad).expect_err(bad);
            assert!(e.to_string().contains("record_zones"), "{e}");
        }
    }

    #[test]
    fn parser_refusals_get_their_kind() {
        let e = scenario("[virus]\nbite_rate_per_hou = 1\n").unwrap_err();
        match e.kind.as_ref() {
            ErrorKind::UnknownKey {
                key,
                expected,
                suggestion,
            } => {
                assert_eq!(key, "bite_rate_per_hou");
                assert_eq!(expected.len(), 7);
                assert_eq!(suggestion.as_deref(), Some("bite_rate_per_hour"));
            }
            other => panic!("{other:?}"),
        }
        let e = scenario("initial_zombies = -1\n").unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::WrongType { .. }), "{e}");
        assert!(
            e.message().ends_with("expected a whole number, 0 or more"),
            "{e}"
        );
        let e = Scenario::from_str("[population]\nsize = 1\n", "t.toml", &[]).unwrap_err();
        assert_eq!(
            *e.kind,
            ErrorKind::Missing(Missing::Field {
                field: "world".into()
            })
        );
        let e = Scenario::from_str("[world\n", "t.toml", &[]).unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Syntax { .. }), "{e}");
    }

    #[test]
    fn an_unknown_key_that_does_not_read_back_keeps_the_parsers_words() {
        let e = scenario("[virus]\n\"a`b\" = 1\n").unwrap_err();
        assert!(matches!(*e.kind, ErrorKind::Malformed { .. }), "{e:?}");
        assert!(e.message().starts_with("unknown field `a`b`"), "{e}");
    }

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(or_list(["a"]), "a");
        assert_eq!(or_list(["a", "b"]), "a or b");
        assert_eq!(or_list(["a", "b", "c"]), "a, b or c");
    }

    #[test]
    fn overrides_are_checked_where_they_are_given() {
        let src = "[world]\ngenerator = \"well-mixed\"\n[population]\nsize = 100\n";
        let sets = ["world.floors=3".to_string()];
        let e = Scenario::from_str(src, "t.toml", &sets).unwrap_err();
        assert_eq!(
            *e.kind,
            ErrorKind::NotAllowed(NotAllowed::GeneratorSetting {
                setting: "floors",
                generator: "well-mixed".into(),
                takes: &["contact_scale"],
            })
        );
        assert_eq!(
            e.origin,
            crate::error::Origin::Set {
                arg: "world.floors=3".into()
            }
        );
    }
}
