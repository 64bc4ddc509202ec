//! Parquet files (zstd-compressed, one row group per million rows or so) for the large
//! tables: a run's map data, an ensemble's members' time series and events. Unsigned integers carry Parquet's
//! unsigned logical types, text is UTF-8 strings (dictionary-encoded), so pandas, polars,
//! R's arrow and DuckDB read the columns with their proper types.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;

use crate::error::OutputError;

/// The type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An unsigned 32-bit integer (Parquet `INT32`, unsigned).
    U32,
    /// An unsigned 64-bit integer (Parquet `INT64`, unsigned).
    U64,
    /// A 64-bit float (Parquet `DOUBLE`).
    F64,
    /// UTF-8 text (Parquet `BINARY`, `STRING`).
    Text,
    /// A `u32` that may be missing (null).
    OptU32,
    /// Text that may be missing (null).
    OptText,
}

/// Values of one column, buffered until a row group is written.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Values of a [`Kind::U32`] column.
    U32(Vec<u32>),
    /// Values of a [`Kind::U64`] column.
    U64(Vec<u64>),
    /// Values of a [`Kind::F64`] column.
    F64(Vec<f64>),
    /// Values of a [`Kind::Text`] column.
    Text(Vec<String>),
    /// Values of a [`Kind::OptU32`] column, `None` for null.
    OptU32(Vec<Option<u32>>),
    /// Values of a [`Kind::OptText`] column, `None` for null.
    OptText(Vec<Option<String>>),
}

impl Column {
    fn new(kind: Kind) -> Self {
        match kind {
            Kind::U32 => Column::U32(Vec::new()),
            Kind::U64 => Column::U64(Vec::new()),
            Kind::F64 => Column::F64(Vec::new()),
            Kind::Text => Column::Text(Vec::new()),
            Kind::OptU32 => Column::OptU32(Vec::new()),
            Kind::OptText => Column::OptText(Vec::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::U32(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::F64(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::OptU32(v) => v.len(),
            Column::OptText(v) => v.len(),
        }
    }

    fn clear(&mut self) {
        match self {
            Column::U32(v) => v.clear(),
            Column::U64(v) => v.clear(),
            Column::F64(v) => v.clear(),
            Column::Text(v) => v.clear(),
            Column::OptU32(v) => v.clear(),
            Column::OptText(v) => v.clear(),
        }
    }
}

/// One value of a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A value for a [`Kind::U32`] column.
    U32(u32),
    /// A value for a [`Kind::U64`] column.
    U64(u64),
    /// A value for a [`Kind::F64`] column.
    F64(f64),
    /// A value for a [`Kind::Text`] column.
    Text(&'a str),
    /// A value for a [`Kind::OptU32`] column, `None` for null.
    OptU32(Option<u32>),
    /// A value for a [`Kind::OptText`] column, `None` for null.
    OptText(Option<&'a str>),
}

/// A whole column of a row group, borrowed ([`Writer::write_group`]).
#[derive(Clone, Copy, Debug)]
pub enum Borrowed<'a> {
    /// A `U32` column.
    U32(&'a [u32]),
    /// An `OptU32` column: `u32::MAX` is written as null.
    OptU32(&'a [u32]),
    /// A `Text` column of few distinct values: each row's code into the labels.
    Labels(&'a [u8], &'a [&'a str]),
}

impl Borrowed<'_> {
    fn len(&self) -> usize {
        match self {
            Borrowed::U32(v) | Borrowed::OptU32(v) => v.len(),
            Borrowed::Labels(v, _) => v.len(),
        }
    }
}

/// Rows buffered before a row group is written.
const ROW_GROUP: usize = 1 << 20;

/// A Parquet file written column by column, row group by row group: to a file, or into
/// memory ([`Writer::in_memory`]).
pub struct Writer<W: Write + Send = File> {
    /// The file, or what the bytes are, for messages.
    path: PathBuf,
    inner: SerializedFileWriter<W>,
    /// The buffered rows, a column each.
    columns: Vec<Column>,
}

impl Writer {
    /// Creates `path` with the named columns (`message` names the schema).
    pub fn create(
        path: &Path,
        message: &str,
        schema: &[(&str, Kind)],
    ) -> Result<Writer, OutputError> {
        let file = File::create(path).map_err(OutputError::io("create", path))?;
        Writer::new(file, path, message, schema, true)
    }
}

impl Writer<Vec<u8>> {
    /// A Parquet file built in memory, its number columns without dictionaries (for columns
    /// of ids, where a dictionary costs time and saves little after zstd); `label` says what
    /// it is in messages.
    pub fn in_memory(
        label: &Path,
        message: &str,
        schema: &[(&str, Kind)],
    ) -> Result<Writer<Vec<u8>>, OutputError> {
        Writer::new(Vec::new(), label, message, schema, false)
    }

    /// Writes the last rows and the footer, and gives the file's bytes.
    pub fn into_bytes(mut self) -> Result<Vec<u8>, OutputError> {
        self.flush()?;
        let path = self.path.clone();
        self.inner
            .into_inner()
            .map_err(|e| OutputError::write(&path, e))
    }
}

impl<W: Write + Send> Writer<W> {
    /// A writer into `sink`; `number_dictionaries` says whether number columns are
    /// dictionary-encoded (text columns always are).
    fn new(
        sink: W,
        path: &Path,
        message: &str,
        schema: &[(&str, Kind)],
        number_dictionaries: bool,
    ) -> Result<Writer<W>, OutputError> {
        let fields: String = schema
            .iter()
            .map(|(name, kind)| {
                let ty = match kind {
                    Kind::U32 => "required int32 {} (INTEGER(32,false))",
                    Kind::U64 => "required int64 {} (INTEGER(64,false))",
                    Kind::F64 => "required double {}",
                    Kind::Text => "required binary {} (STRING)",
                    Kind::OptU32 => "optional int32 {} (INTEGER(32,false))",
                    Kind::OptText => "optional binary {} (STRING)",
                };
                format!("  {};\n", ty.replace("{}", name))
            })
            .collect();
        let text = format!("message {message} {{\n{fields}}}");
        let err = |e: parquet::errors::ParquetError| OutputError::write(path, e);
        let schema_type = Arc::new(parse_message_type(&text).map_err(err)?);
        let level = ZstdLevel::try_new(3).map_err(err)?;
        let mut props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_created_by(format!("outbreak {}", env!("CARGO_PKG_VERSION")));
        if !number_dictionaries {
            for (name, kind) in schema {
                if !matches!(kind, Kind::Text | Kind::OptText) {
                    props = props.set_column_dictionary_enabled(ColumnPath::from(*name), false);
                }
            }
        }
        let props = Arc::new(props.build());
        let inner = SerializedFileWriter::new(sink, schema_type, props).map_err(err)?;
        Ok(Writer {
            path: path.to_path_buf(),
            inner,
            columns: schema.iter().map(|(_, k)| Column::new(*k)).collect(),
        })
    }

    /// Adds a row: one value a column, in schema order. Writes a row group when enough
    /// rows are buffered.
    pub fn push(&mut self, row: &[Value]) -> Result<(), OutputError> {
        if row.len() != self.columns.len() {
            return Err(OutputError::write(&self.path, "a row of the wrong length"));
        }
        for (column, value) in self.columns.iter_mut().zip(row) {
            match (column, value) {
                (Column::U32(c), Value::U32(v)) => c.push(*v),
                (Column::U64(c), Value::U64(v)) => c.push(*v),
                (Column::F64(c), Value::F64(v)) => c.push(*v),
                (Column::Text(c), Value::Text(v)) => c.push(v.to_string()),
                (Column::OptU32(c), Value::OptU32(v)) => c.push(*v),
                (Column::OptText(c), Value::OptText(v)) => c.push(v.map(str::to_string)),
                _ => return Err(OutputError::write(&self.path, "a value of the wrong type")),
            }
        }
        if self.columns.first().map_or(0, Column::len) >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        let rows = self.columns.first().map_or(0, Column::len);
        if rows == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |e: parquet::errors::ParquetError| OutputError::write(&path, e);
        let mut group = self.inner.next_row_group().map_err(err)?;
        for column in &mut self.columns {
            let Some(mut w) = group.next_column().map_err(err)? else {
                return Err(OutputError::write(&path, "more columns than the schema"));
            };
            match column {
                Column::U32(v) => {
                    let bits: Vec<i32> = v.iter().map(|&x| x as i32).collect();
                    w.typed::<Int32Type>().write_batch(&bits, None, None)
                }
                Column::U64(v) => {
                    let bits: Vec<i64> = v.iter().map(|&x| x as i64).collect();
                    w.typed::<Int64Type>().write_batch(&bits, None, None)
                }
                Column::F64(v) => w.typed::<DoubleType>().write_batch(v, None, None),
                Column::Text(v) => {
                    let bytes: Vec<ByteArray> =
                        v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    w.typed::<ByteArrayType>().write_batch(&bytes, None, None)
                }
                Column::OptU32(v) => {
                    let (bits, levels) = present(v, |&x| x as i32);
                    w.typed::<Int32Type>()
                        .write_batch(&bits, Some(&levels), None)
                }
                Column::OptText(v) => {
                    let (bytes, levels) = present(v, |x| ByteArray::from(x.as_str()));
                    w.typed::<ByteArrayType>()
                        .write_batch(&bytes, Some(&levels), None)
                }
            }
            .map_err(err)?;
            w.close().map_err(err)?;
            column.clear();
        }
        group.close().map_err(err)?;
        Ok(())
    }

    /// Writes whole columns as one row group (after any rows pushed before), without
    /// copying them into rows: one column a schema column, in order, all of one length,
    /// each of the kind its schema column is (`U32`, `OptU32`, `Text` for labels).
    pub fn write_group(&mut self, columns: &[Borrowed]) -> Result<(), OutputError> {
        self.flush()?;
        let path = self.path.clone();
        let rows = columns.first().map_or(0, Borrowed::len);
        if columns.len() != self.columns.len() || columns.iter().any(|c| c.len() != rows) {
            return Err(OutputError::write(
                &path,
                "columns of the wrong number or length",
            ));
        }
        let err = |e: parquet::errors::ParquetError| OutputError::write(&path, e);
        let mut group = self.inner.next_row_group().map_err(err)?;
        for (column, kind) in columns.iter().zip(&self.columns) {
            let Some(mut w) = group.next_column().map_err(err)? else {
                return Err(OutputError::write(&path, "more columns than the schema"));
            };
            match (column, kind) {
                (Borrowed::U32(v), Column::U32(_)) => {
                    let bits: Vec<i32> = v.iter().map(|&x| x as i32).collect();
                    w.typed::<Int32Type>().write_batch(&bits, None, None)
                }
                (Borrowed::OptU32(v), Column::OptU32(_)) => {
                    let bits: Vec<i32> = v
                        .iter()
                        .filter(|&&x| x != u32::MAX)
                        .map(|&x| x as i32)
                        .collect();
                    let levels: Vec<i16> = v.iter().map(|&x| i16::from(x != u32::MAX)).collect();
                    w.typed::<Int32Type>()
                        .write_batch(&bits, Some(&levels), None)
                }
                (Borrowed::Labels(codes, labels), Column::Text(_)) => {
                    let table: Vec<ByteArray> =
                        labels.iter().map(|l| ByteArray::from(*l)).collect();
                    let mut bytes = Vec::with_capacity(codes.len());
                    for &c in *codes {
                        let Some(label) = table.get(usize::from(c)) else {
                            return Err(OutputError::write(&path, "a code without a label"));
                        };
                        bytes.push(label.clone());
                    }
                    w.typed::<ByteArrayType>().write_batch(&bytes, None, None)
                }
                _ => return Err(OutputError::write(&path, "a column of the wrong kind")),
            }
            .map_err(err)?;
            w.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        Ok(())
    }

    /// Writes the last rows and the footer.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.flush()?;
        let path = self.path.clone();
        self.inner
            .close()
            .map_err(|e| OutputError::write(&path, e))?;
        Ok(())
    }
}

/// The values present and the definition levels (1 present, 0 null) of an optional column.
fn present<T, U>(v: &[Option<T>], f: impl Fn(&T) -> U) -> (Vec<U>, Vec<i16>) {
    let values = v.iter().flatten().map(f).collect();
    let levels = v.iter().map(|x| i16::from(x.is_some())).collect();
    (values, levels)
}
