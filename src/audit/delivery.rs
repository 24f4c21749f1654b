//! Which audit lines reached the team's log group, kept beside the log.
//!
//! Every line meant for the team log names its group (`team_log`) in the
//! log itself, written before the call as always. Once a batch lands, one
//! record listing its lines is appended to `<log>.delivered`, the same way
//! the log is appended to (whole or not at all, under a lock). A line that
//! names a group and is in no delivery record never got there;
//! `wavetop audit --check` lists it.

use std::collections::HashSet;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{AuditLine, append, regular_file};

/// One batch that landed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivered {
    pub ts: Timestamp,
    pub group: String,
    pub stream: String,
    /// [`AuditLine::key`] of each line in the batch.
    pub lines: Vec<String>,
}

/// `<log>.delivered`, beside the log.
pub fn sidecar_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".delivered");
    PathBuf::from(name)
}

/// Appends the record of a batch that landed.
pub fn record(log: &Path, delivered: &Delivered) -> io::Result<()> {
    let path = sidecar_path(log);
    let mut file = regular_file::open_for_append(&path)?;
    let mut bytes = serde_json::to_vec(delivered).map_err(io::Error::other)?;
    bytes.push(b'\n');
    let _turn = append::Turn::take(&file)?;
    append::append_record(&mut file, &bytes)
}

/// The keys of every line delivered so far; none when nothing ever was.
/// A torn or foreign line is skipped: at worst a delivered line is
/// reported as not delivered, never the other way round.
pub fn delivered_keys(log: &Path) -> io::Result<HashSet<String>> {
    let path = sidecar_path(log);
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(e) => return Err(e),
    };
    let mut keys = HashSet::new();
    for line in BufReader::new(file).lines() {
        if let Ok(record) = serde_json::from_str::<Delivered>(&line?) {
            keys.extend(record.lines);
        }
    }
    Ok(keys)
}

/// Lines meant for a team log that are in no delivery record.
pub fn undelivered<'a>(lines: &'a [AuditLine], delivered: &HashSet<String>) -> Vec<&'a AuditLine> {
    lines
        .iter()
        .filter(|l| l.team_log.is_some() && !delivered.contains(&l.key()))
        .collect()
}

/// The lines an earlier run meant for `group` that never got there, oldest
/// first: the next run with the same group sends them again.
pub fn backlog(log: &Path, group: &str) -> Result<Vec<AuditLine>, String> {
    let read = match super::read_log(log) {
        Ok(read) => read,
        // No log yet: nothing was ever meant for the group.
        Err(super::ReadError::Open(super::regular_file::OpenError::Io { source, .. }))
            if source.kind() == io::ErrorKind::NotFound =>
        {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e.to_string()),
    };
    let delivered =
        delivered_keys(log).map_err(|e| format!("{}: {e}", sidecar_path(log).display()))?;
    let mut lines: Vec<AuditLine> = undelivered(&read.lines, &delivered)
        .into_iter()
        .filter(|l| l.team_log.as_deref() == Some(group))
        .cloned()
        .collect();
    lines.sort_by_key(|l| l.ts);
    Ok(lines)
}
