//! Reading a results folder back: CSV tables by column name (small ones whole, the event
//! log as a stream), JSON, and the numeric columns of a Parquet file. Every error names the
//! file, and the line where there is one.

use std::path::{Path, PathBuf};

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

use crate::error::ReportError;

/// A CSV table held whole, with its columns found by name.
pub(crate) struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

fn open_csv(path: &Path) -> Result<csv::Reader<std::fs::File>, ReportError> {
    let file = std::fs::File::open(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file))
}

fn csv_error(path: &Path, e: &csv::Error) -> ReportError {
    let line = e
        .position()
        .map(|p| format!("line {}: ", p.line()))
        .unwrap_or_default();
    ReportError::content(path, format!("{line}{e}"))
}

impl Table {
    /// Reads a whole table.
    pub(crate) fn read(path: &Path) -> Result<Table, ReportError> {
        let mut r = open_csv(path)?;
        let header = r
            .headers()
            .map_err(|e| csv_error(path, &e))?
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = r
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| csv_error(path, &e))?;
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    /// The header.
    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// Number of rows (the header aside).
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The index of a column.
    pub(crate) fn col(&self, name: &str) -> Result<usize, ReportError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| ReportError::content(&self.path, format!("no column `{name}`")))
    }

    /// A cell as text.
    pub(crate) fn text(&self, row: usize, col: usize) -> &str {
        self.rows[row].get(col).unwrap_or("")
    }

    /// A cell as a number (NaN where it is empty).
    pub(crate) fn num(&self, row: usize, col: usize) -> Result<f64, ReportError> {
        number(&self.path, row + 2, self.text(row, col))
    }

    /// A whole column as numbers.
    pub(crate) fn column(&self, name: &str) -> Result<Vec<f64>, ReportError> {
        let c = self.col(name)?;
        (0..self.len()).map(|r| self.num(r, c)).collect()
    }
}

/// A number read from line `line` of a file (NaN where the field is empty).
fn number(path: &Path, line: usize, text: &str) -> Result<f64, ReportError> {
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    match text {
        "true" => return Ok(1.0),
        "false" => return Ok(0.0),
        _ => {}
    }
    text.parse::<f64>()
        .map_err(|_| ReportError::content(path, format!("line {line}: `{text}` is not a number")))
}

/// One row of a streamed table: its fields by the indices of the columns asked for.
pub(crate) struct Row<'a> {
    path: &'a Path,
    line: usize,
    record: &'a csv::StringRecord,
    cols: &'a [usize],
}

impl Row<'_> {
    /// The `k`-th column asked for, as text.
    pub(crate) fn text(&self, k: usize) -> &str {
        self.record.get(self.cols[k]).unwrap_or("")
    }
    /// The `k`-th column asked for, as a number (NaN where empty).
    pub(crate) fn num(&self, k: usize) -> Result<f64, ReportError> {
        number(self.path, self.line, self.text(k))
    }
}

/// Reads a table row by row, handing `each` the columns named in `columns`; for tables too
/// large to hold (the event log of a city).
pub(crate) fn stream(
    path: &Path,
    columns: &[&str],
    mut each: impl FnMut(&Row) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let mut r = open_csv(path)?;
    let header = r.headers().map_err(|e| csv_error(path, &e))?.clone();
    let cols: Vec<usize> = columns
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == *c)
                .ok_or_else(|| ReportError::content(path, format!("no column `{c}`")))
        })
        .collect::<Result<_, _>>()?;
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match r.read_record(&mut record) {
            Ok(true) => {
                line += 1;
                each(&Row {
                    path,
                    line,
                    record: &record,
                    cols: &cols,
                })?;
            }
            Ok(false) => return Ok(()),
            Err(e) => return Err(csv_error(path, &e)),
        }
    }
}

/// A JSON document.
pub(crate) fn json(path: &Path) -> Result<serde_json::Value, ReportError> {
    let text = text(path)?;
    serde_json::from_str(&text).map_err(|e| ReportError::content(path, format!("not JSON: {e}")))
}

/// A text file.
pub(crate) fn text(path: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// A column read from a Parquet file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Column {
    /// Numbers (nulls are NaN).
    Num(Vec<f64>),
    /// Text (nulls are empty).
    Text(Vec<String>),
}

impl Column {
    /// The numbers of a numeric column (empty for a text column).
    pub(crate) fn nums(&self) -> &[f64] {
        match self {
            Column::Num(v) => v,
            Column::Text(_) => &[],
        }
    }
    /// The text of a text column (empty for a numeric column).
    pub(crate) fn texts(&self) -> &[String] {
        match self {
            Column::Text(v) => v,
            Column::Num(_) => &[],
        }
    }
}

/// The named columns of a Parquet file, whole. A column is numeric or text as the file
/// stores it.
pub(crate) fn parquet_columns(path: &Path, columns: &[&str]) -> Result<Vec<Column>, ReportError> {
    let file = std::fs::File::open(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let damaged = |e: parquet::errors::ParquetError| {
        ReportError::content(path, format!("not a readable Parquet file: {e}"))
    };
    let reader = SerializedFileReader::new(file).map_err(damaged)?;
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<String> = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let wanted: Vec<usize> = columns
        .iter()
        .map(|c| {
            names
                .iter()
                .position(|n| n == c)
                .ok_or_else(|| ReportError::content(path, format!("no column `{c}`")))
        })
        .collect::<Result<_, _>>()?;
    let mut out: Vec<Option<Column>> = vec![None; columns.len()];
    for row in reader.get_row_iter(None).map_err(damaged)? {
        let row = row.map_err(damaged)?;
        let fields: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        for (k, &c) in wanted.iter().enumerate() {
            let field = fields.get(c).copied().unwrap_or(&Field::Null);
            let col = out[k].get_or_insert_with(|| match field {
                Field::Str(_) => Column::Text(Vec::new()),
                _ => Column::Num(Vec::new()),
            });
            match (col, field) {
                (Column::Text(v), Field::Str(s)) => v.push(s.clone()),
                (Column::Text(v), Field::Null) => v.push(String::new()),
                (Column::Num(v), f) => v.push(numeric(f).ok_or_else(|| {
                    ReportError::content(
                        path,
                        format!("column `{}` mixes numbers and text", columns[k]),
                    )
                })?),
                (Column::Text(_), _) => {
                    return Err(ReportError::content(
                        path,
                        format!("column `{}` mixes numbers and text", columns[k]),
                    ))
                }
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|c| c.unwrap_or(Column::Num(Vec::new())))
        .collect())
}

/// A Parquet field as a number, if it is one (null is NaN).
fn numeric(f: &Field) -> Option<f64> {
    Some(match f {
        Field::Int(v) => f64::from(*v),
        Field::Long(v) => *v as f64,
        Field::UInt(v) => f64::from(*v),
        Field::ULong(v) => *v as f64,
        Field::Short(v) => f64::from(*v),
        Field::UShort(v) => f64::from(*v),
        Field::Byte(v) => f64::from(*v),
        Field::UByte(v) => f64::from(*v),
        Field::Float(v) => f64::from(*v),
        Field::Double(v) => *v,
        Field::Bool(v) => f64::from(u8::from(*v)),
        Field::Null => f64::NAN,
        _ => return None,
    })
}

/// The named numeric columns of a Parquet file, row by row without holding the file:
/// `each` gets one row's values in the order of `columns` (nulls are NaN).
pub(crate) fn parquet_rows(
    path: &Path,
    columns: &[&str],
    mut each: impl FnMut(&[f64]),
) -> Result<(), ReportError> {
    let file = std::fs::File::open(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let damaged = |e: parquet::errors::ParquetError| {
        ReportError::content(path, format!("not a readable Parquet file: {e}"))
    };
    let reader = SerializedFileReader::new(file).map_err(damaged)?;
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<String> = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let wanted: Vec<usize> = columns
        .iter()
        .map(|c| {
            names
                .iter()
                .position(|n| n == c)
                .ok_or_else(|| ReportError::content(path, format!("no column `{c}`")))
        })
        .collect::<Result<_, _>>()?;
    let mut values = vec![0.0; columns.len()];
    for row in reader.get_row_iter(None).map_err(damaged)? {
        let row = row.map_err(damaged)?;
        let fields: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        for (k, &c) in wanted.iter().enumerate() {
            values[k] =
                numeric(fields.get(c).copied().unwrap_or(&Field::Null)).ok_or_else(|| {
                    ReportError::content(path, format!("column `{}` is not numeric", columns[k]))
                })?;
        }
        each(&values);
    }
    Ok(())
}
