//! `wavetop audit --check`: does the log read, and is every call in it
//! accounted for?
//!
//! Exit status 0 when clean; 1 when some call's outcome was never recorded,
//! the last line is torn, or a line meant for the team log never got there; 2 when the file cannot be read or a line before
//! the last is not a record.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{ReadError, TornLine, read_log, unfinished};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_ATTENTION: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

/// What a check of one log found.
#[derive(Debug)]
pub struct CheckReport {
    pub path: PathBuf,
    pub records: usize,
    /// `before` lines: calls wavetop set out to make.
    pub calls: usize,
    /// `refused` lines: calls wavetop decided not to make. Each is whole on
    /// its own, never unfinished.
    pub refused: usize,
    pub unfinished: Vec<UnfinishedCall>,
    pub torn: Option<TornLine>,
    /// Lines meant for the team's log group that never landed there (see `delivery`).
    pub undelivered: Vec<String>,
}

/// A `before` line with no `after`: wavetop stopped between recording the
/// call and learning its outcome, so the call may or may not have been made.
#[derive(Debug, Clone, PartialEq)]
pub struct UnfinishedCall {
    pub id: String,
    pub ts: Timestamp,
    pub api: String,
    pub target: String,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.unfinished.is_empty() && self.torn.is_none() && self.undelivered.is_empty()
    }

    pub fn exit_status(&self) -> u8 {
        if self.is_clean() {
            EXIT_CLEAN
        } else {
            EXIT_ATTENTION
        }
    }

    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: {}, {}",
            self.path.display(),
            counted(self.records, "record"),
            counted(self.calls, "call")
        );
        if self.refused > 0 {
            out.push_str(&format!(", {} refused", self.refused));
        }
        if self.is_clean() {
            out.push_str(": clean, every call has its outcome\n");
            return out;
        }
        out.push('\n');
        if !self.unfinished.is_empty() {
            out.push_str(&format!(
                "unfinished: {} whose outcome was never recorded (made or not, wavetop never learned)\n",
                counted(self.unfinished.len(), "call")
            ));
            for call in &self.unfinished {
                out.push_str(&format!(
                    "  {}  {}  {}  {}\n",
                    call.id, call.ts, call.api, call.target
                ));
            }
        }
        if !self.undelivered.is_empty() {
            out.push_str(&format!(
                "not in the team log: {} recorded here but never copied to its log group\n",
                counted(self.undelivered.len(), "line")
            ));
            for key in &self.undelivered {
                out.push_str(&format!("  {key}\n"));
            }
        }
        if let Some(torn) = &self.torn {
            out.push_str(&format!(
                "torn: line {} is not a whole record ({}, {} bytes): {}\n",
                torn.line,
                if torn.has_newline {
                    "does not parse"
                } else {
                    "no newline"
                },
                torn.bytes,
                torn.excerpt
            ));
        }
        out
    }

    pub fn json(&self) -> Value {
        json!({
            "path": self.path.display().to_string(),
            "clean": self.is_clean(),
            "records": self.records,
            "calls": self.calls,
            "refused": self.refused,
            "unfinished": self.unfinished.iter().map(|c| json!({
                "id": c.id,
                "ts": c.ts.to_string(),
                "api": c.api,
                "target": c.target,
            })).collect::<Vec<_>>(),
            "torn": self.torn.as_ref().map(|t| json!({
                "line": t.line,
                "bytes": t.bytes,
                "has_newline": t.has_newline,
                "excerpt": t.excerpt,
            })),
            "undelivered": self.undelivered,
        })
    }
}

/// `1 call`, `2 calls`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Reads the log at `path` and reports what needs a person's attention.
pub fn check(path: &Path) -> Result<CheckReport, ReadError> {
    let read = read_log(path)?;
    let delivered = super::delivery::delivered_keys(path).map_err(|source| ReadError::Io {
        path: super::delivery::sidecar_path(path),
        source,
    })?;
    let undelivered = super::delivery::undelivered(&read.lines, &delivered)
        .into_iter()
        .map(|line| line.key())
        .collect();
    let unfinished = unfinished(&read.lines)
        .into_iter()
        .map(|line| UnfinishedCall {
            id: line.id.to_string(),
            ts: line.ts,
            api: line.api.clone().unwrap_or_default(),
            target: line.target.clone().unwrap_or_default(),
        })
        .collect();
    Ok(CheckReport {
        path: path.to_path_buf(),
        records: read.lines.len(),
        calls: read
            .lines
            .iter()
            .filter(|l| l.phase == super::Phase::Before)
            .count(),
        refused: read
            .lines
            .iter()
            .filter(|l| l.phase == super::Phase::Refused)
            .count(),
        unfinished,
        torn: read.torn,
        undelivered,
    })
}

/// The `audit --check` command: prints the report (text or JSON) and
/// returns the exit status.
pub fn run(path: &Path, as_json: bool) -> u8 {
    match check(path) {
        Ok(report) => {
            if as_json {
                crate::outln!("{:#}", report.json());
            } else {
                crate::out!("{}", report.text());
            }
            report.exit_status()
        }
        Err(error) => {
            if as_json {
                let line = match &error {
                    ReadError::Corrupt { line, .. } => Some(*line),
                    _ => None,
                };
                crate::outln!(
                    "{:#}",
                    json!({
                        "path": path.display().to_string(),
                        "clean": false,
                        "error": error.to_string(),
                        "line": line,
                    })
                );
            }
            crate::errln!("wavetop: {error}");
            EXIT_UNREADABLE
        }
    }
}
