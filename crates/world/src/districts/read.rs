//! Districts from CSV text: a name, a population and a centre each, with the line and
//! column of any error.

use serde::Deserialize;

/// Seoul's 25 districts (`data/seoul_districts.csv`): approximate registered populations
/// (about 2023, rounded to the thousand; 9.46 million in all) and approximate centres (WGS84).
pub const SEOUL_CSV: &str = include_str!("../../../../data/seoul_districts.csv");

/// One district as read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    /// English name, e.g. `Gwanak-gu`; also the name of its zone.
    pub name: String,
    /// Korean name, e.g. `관악구`.
    pub name_ko: String,
    /// Residents.
    pub population: u64,
    /// Latitude of its approximate centre, degrees north (WGS84).
    pub lat: f64,
    /// Longitude of its approximate centre, degrees east (WGS84).
    pub lon: f64,
}

/// A district file that cannot be used: the 1-based line and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DistrictError {
    /// Line of the file, from 1 (the header).
    pub line: u64,
    /// What is wrong there.
    pub message: String,
}

/// The columns a district file must have (in any order; others are ignored).
pub const COLUMNS: [&str; 5] = ["district", "name_ko", "population", "lat", "lon"];

#[derive(Deserialize)]
struct Row {
    district: String,
    name_ko: String,
    population: u64,
    lat: f64,
    lon: f64,
}

/// Reads districts from CSV text with the header `district,name_ko,population,lat,lon`.
///
/// ```
/// use outbreak_world::districts::{parse_csv, SEOUL_CSV};
/// let seoul = parse_csv(SEOUL_CSV).unwrap();
/// assert_eq!(seoul.len(), 25);
/// let err = parse_csv("district,name_ko,population,lat,lon\nA,가,0,37.5,127.0\n").unwrap_err();
/// assert_eq!(err.line, 2);
/// ```
pub fn parse_csv(text: &str) -> Result<Vec<District>, DistrictError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
    for column in COLUMNS {
        if !headers.iter().any(|h| h == column) {
            return Err(DistrictError {
                line: 1,
                message: format!(
                    "missing column `{column}` (the header must name {})",
                    COLUMNS.join(",")
                ),
            });
        }
    }
    let mut out: Vec<District> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&e, before)),
        }
        let line = record.position().map_or(before, |p| p.line());
        let fail = |message: String| Err(DistrictError { line, message });
        let row: Row = match record.deserialize(Some(&headers)) {
            Ok(row) => row,
            Err(e) => return fail(field_error(&e, &headers, &record)),
        };
        if row.district.is_empty() {
            return fail("`district` is empty".into());
        }
        if row.population == 0 {
            return fail(format!(
                "`population` of {} must be at least 1 (got 0)",
                row.district
            ));
        }
        if !(-90.0..=90.0).contains(&row.lat) {
            return fail(format!(
                "`lat` of {} must be between -90 and 90 degrees (got {})",
                row.district, row.lat
            ));
        }
        if !(-180.0..=180.0).contains(&row.lon) {
            return fail(format!(
                "`lon` of {} must be between -180 and 180 degrees (got {})",
                row.district, row.lon
            ));
        }
        if let Some(i) = out.iter().position(|d| d.name == row.district) {
            return fail(format!(
                "district `{}` is listed twice (first on line {})",
                row.district, lines[i]
            ));
        }
        lines.push(line);
        out.push(District {
            name: row.district,
            name_ko: row.name_ko,
            population: row.population,
            lat: row.lat,
            lon: row.lon,
        });
    }
    if out.is_empty() {
        return Err(DistrictError {
            line: 1,
            message: "no districts: the file has no rows after its header".into(),
        });
    }
    Ok(out)
}

fn csv_error(e: &csv::Error, fallback_line: u64) -> DistrictError {
    let line = e.position().map_or(fallback_line, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => e.to_string(),
    };
    DistrictError { line, message }
}

fn field_error(e: &csv::Error, headers: &csv::StringRecord, record: &csv::StringRecord) -> String {
    let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
        return e.to_string();
    };
    let field = err.field().map(|f| f as usize);
    let column = field.and_then(|f| headers.get(f)).unwrap_or("?");
    let value = field.and_then(|f| record.get(f)).unwrap_or("");
    match err.kind() {
        csv::DeserializeErrorKind::ParseInt(_) => {
            format!("`{column}` must be a whole number of people (got `{value}`)")
        }
        csv::DeserializeErrorKind::ParseFloat(_) => {
            format!("`{column}` must be a number of degrees (got `{value}`)")
        }
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::districts::fixtures::seoul;

    const HEADER: &str = "district,name_ko,population,lat,lon\n";

    fn parse_error(body: &str) -> DistrictError {
        parse_csv(&format!("{HEADER}{body}")).unwrap_err()
    }

    #[test]
    fn seoul_has_25_districts_and_9_4_million_people() {
        let s = seoul();
        assert_eq!(s.len(), 25);
        let sum: u64 = s.iter().map(|d| d.population).sum();
        assert!(sum.abs_diff(9_400_000) <= 100_000, "{sum}");
        let gwanak = s.iter().find(|d| d.name == "Gwanak-gu").unwrap();
        assert_eq!(gwanak.name_ko, "관악구");
        assert!(gwanak.population > 400_000);
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = parse_csv("district,name_ko,population,lat\nA,가,1,37.5\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("missing column `lon`"), "{e}");
        assert_eq!(parse_csv("").unwrap_err().line, 1);
    }

    #[test]
    fn a_bad_number_is_named_with_its_line() {
        let e = parse_error("A,가,1000,37.5,127.0\nB,나,12x,37.5,127.0\n");
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("`population`") && e.message.contains("12x"),
            "{e}"
        );
        let e = parse_error("A,가,1000,north,127.0\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`lat`") && e.message.contains("north"),
            "{e}"
        );
        let e = parse_error("A,가,1000,37.5\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("expected 5 fields, found 4"), "{e}");
    }

    #[test]
    fn an_empty_district_is_refused() {
        let e = parse_error("A,가,1000,37.5,127.0\nB,나,0,37.5,127.0\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("at least 1"), "{e}");
    }

    #[test]
    fn a_centre_off_the_globe_is_refused() {
        let e = parse_error("A,가,1000,137.5,127.0\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`lat`") && e.message.contains("137.5"),
            "{e}"
        );
        let e = parse_error("A,가,1000,37.5,227.0\n");
        assert!(e.message.contains("`lon`"), "{e}");
        let e = parse_error("A,가,1000,NaN,127.0\n");
        assert!(e.message.contains("`lat`"), "{e}");
    }

    #[test]
    fn a_district_listed_twice_is_refused() {
        let e = parse_error("A,가,1000,37.5,127.0\nB,나,10,37.5,127.0\nA,다,5,37.6,127.1\n");
        assert_eq!(e.line, 4);
        assert!(
            e.message.contains("`A` is listed twice (first on line 2)"),
            "{e}"
        );
    }

    #[test]
    fn a_file_without_rows_is_refused() {
        let e = parse_csv(HEADER).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("no districts"), "{e}");
    }

    #[test]
    fn columns_may_come_in_any_order() {
        let d =
            parse_csv("lon,lat,population,district,name_ko,note\n127,37.5,10, A ,가,x\n").unwrap();
        assert_eq!(d[0].name, "A");
        assert_eq!(d[0].population, 10);
        assert_eq!(d[0].lon, 127.0);
    }
}
