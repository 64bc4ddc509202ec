//! `--set KEY=VALUE`: overrides applied to the parsed file before it is read as a scenario.

use crate::error::{OverrideProblem, ScenarioError};
use toml::Value;

/// One parsed `--set`.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The argument as given.
    pub arg: String,
    /// The dotted key.
    pub key: String,
    /// The value, as TOML.
    pub value: Value,
}

/// Parses `KEY=VALUE`. The value is read as a TOML value (`0.02`, `true`, `"text"`,
/// `{ distribution = "fixed", minutes = 5 }`); anything that is not is taken as a string.
pub fn parse(arg: &str, file: &str) -> Result<Override, ScenarioError> {
    let err = |problem: OverrideProblem| ScenarioError::in_set(file, arg, "", problem.into());
    let (key, value) = arg
        .split_once('=')
        .ok_or_else(|| err(OverrideProblem::NotKeyValue))?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(err(OverrideProblem::NotDotted { key: key.into() }));
    }
    let value = value.trim();
    let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| Value::String(value.to_string()));
    Ok(Override {
        arg: arg.into(),
        key: key.into(),
        value: parsed,
    })
}

/// Sets a dotted key in a TOML document. Numeric parts index arrays of tables
/// (`authorities.0.at_hours`). Missing tables are created; a missing array entry is an error.
pub fn apply(doc: &mut Value, o: &Override, file: &str) -> Result<(), ScenarioError> {
    let err =
        |problem: OverrideProblem| ScenarioError::in_set(file, &o.arg, &o.key, problem.into());
    let parts: Vec<&str> = o.key.split('.').collect();
    let mut at = doc;
    for (k, part) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        at = match at {
            Value::Table(t) => {
                if last {
                    t.insert(part.to_string(), o.value.clone());
                    return Ok(());
                }
                t.entry(part.to_string())
                    .or_insert_with(|| Value::Table(Default::default()))
            }
            Value::Array(a) => {
                let index: usize = part.parse().map_err(|_| {
                    err(OverrideProblem::NotAnIndex {
                        part: part.to_string(),
                    })
                })?;
                let len = a.len();
                let slot = a
                    .get_mut(index)
                    .ok_or_else(|| err(OverrideProblem::NoEntry { index, len }))?;
                if last {
                    *slot = o.value.clone();
                    return Ok(());
                }
                slot
            }
            _ => {
                return Err(err(OverrideProblem::NotATable {
                    path: parts[..k].join("."),
                }))
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_typed_and_keys_nest() {
        let mut doc: Value =
            toml::from_str("[virus]\nbite_rate_per_hour = 1.0\n[[authorities]]\nat_hours = 1\n")
                .unwrap();
        for arg in [
            "virus.bite_rate_per_hour=0.25",
            "authorities.0.at_hours=4",
            "population.size=10",
            "world.generator=campus",
        ] {
            apply(&mut doc, &parse(arg, "f").unwrap(), "f").unwrap();
        }
        assert_eq!(doc["virus"]["bite_rate_per_hour"].as_float(), Some(0.25));
        assert_eq!(doc["authorities"][0]["at_hours"].as_integer(), Some(4));
        assert_eq!(doc["population"]["size"].as_integer(), Some(10));
        assert_eq!(doc["world"]["generator"].as_str(), Some("campus"));
        assert!(apply(
            &mut doc,
            &parse("authorities.3.at_hours=1", "f").unwrap(),
            "f"
        )
        .is_err());
        assert!(parse("novalue", "f").is_err());
    }
}
