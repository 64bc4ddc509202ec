//! What the command-line tests share: running the binary and reading what it printed.
#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs `outbreak` with these arguments and waits for it.
pub fn outbreak(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outbreak"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Bytes printed, as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What a run printed on stderr.
pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}
