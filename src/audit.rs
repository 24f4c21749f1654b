//! The append-only record of every operator action.
//!
//! One JSON object per line. Each call to AWS is framed by two lines: a
//! `before` line written and flushed to disk before the call is made, and
//! an `after` line with its outcome. A `before` without its `after` is a call
//! that may or may not have happened (wavetop stopped in between); the log
//! keeps it visible rather than guessing.
//!
//! ```text
//! {"ts":"2026-11-21T22:00:00Z","phase":"before","id":"1795298400000-4242-0","identity":"...","target":"...","api":"route53:UpdateHealthCheck","call":{"call":"set_health_check_inverted",...},"params":{...}}
//! {"ts":"2026-11-21T22:00:01Z","phase":"after","id":"1795298400000-4242-0","outcome":"ok","detail":"..."}
//! ```
//!
//! The file is a regular file, created `0600` in a `0700` directory and
//! opened in append mode. Each line goes out in one write, whole or not at
//! all (`append`), under an exclusive lock, so lines from threads or from
//! several wavetop processes never interleave. Before each line the open file
//! is checked to still be the one at the path: a log deleted or rotated while
//! wavetop runs is created again there instead of being written into a file
//! nobody can reach.

mod append;
pub mod check;
pub mod delivery;
pub mod listing;
mod read;
mod refusal;
pub(crate) mod regular_file;
pub mod team;

pub use read::{AuditRead, ReadError, TornLine, read_log};
pub use refusal::AuditRefusal;
pub use regular_file::OpenError;

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::protocol::OperateCall;

/// Process-wide, so two logs opened on the same file by one process still
/// hand out distinct ids.
static NEXT_SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// What the operator is about to do, recorded before it is done.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditIntent {
    pub ts: Timestamp,
    /// Who the call is made as (the STS caller identity).
    pub identity: String,
    /// What the call acts on, as the operator named it (e.g. `payments/Deploy-EU eu-west-1`).
    pub target: String,
    pub call: OperateCall,
    /// Context the line carries beside the call; the executor writes the
    /// intent's title (`intent`) and what the guard read right before the
    /// call (`state_read`).
    pub params: serde_json::Value,
}

/// Ties an `after` line to its `before` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AuditId(String);

impl AuditId {
    /// A new id, unique across the processes writing one log.
    fn next(ts: Timestamp) -> AuditId {
        let sequence = NEXT_SEQUENCE.fetch_add(1, Ordering::Relaxed);
        AuditId(format!(
            "{}-{}-{sequence}",
            ts.as_millisecond(),
            std::process::id()
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AuditId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    After,
    /// A call wavetop decided not to make (see `refusal`): no call, no outcome.
    Refused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Error,
}

/// One line of the log, as written and as read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub ts: Timestamp,
    pub phase: Phase,
    pub id: AuditId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The AWS API, e.g. `codepipeline:PutApprovalResult`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<OperateCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The team's CloudWatch Logs group this line is copied to, when one is
    /// configured; whether it got there is kept beside the log (`delivery`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_log: Option<String>,
}

impl AuditLine {
    /// Names this line among all lines of the log: its call and its phase.
    pub fn key(&self) -> String {
        let phase = match self.phase {
            Phase::Before => "before",
            Phase::After => "after",
            Phase::Refused => "refused",
        };
        format!("{}/{phase}", self.id)
    }
}

/// The open audit log, shared by everything that operates.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
    /// Where each line is also copied once it is on disk; None without `[audit]`.
    team: Option<team::TeamCopy>,
}

impl AuditLog {
    /// Opens (creating when needed) the log at `path` for appending. A new
    /// directory is made `0700`, a new file `0600`; an existing file that
    /// others can read is narrowed to `0600`. Symbolic links are followed;
    /// anything but a regular file is refused and left untouched.
    pub fn open(path: &Path) -> Result<AuditLog, OpenError> {
        Ok(AuditLog {
            path: path.to_path_buf(),
            file: Mutex::new(regular_file::open_for_append(path)?),
            team: None,
        })
    }

    /// Also offers every line, once it is on disk, to `copy` for the team's
    /// log group. The copy never holds up or refuses a line.
    pub fn with_team_copy(mut self, copy: team::TeamCopy) -> AuditLog {
        self.team = Some(copy);
        self
    }

    pub fn team_copy(&self) -> Option<&team::TeamCopy> {
        self.team.as_ref()
    }

    /// `$XDG_STATE_HOME/wavetop/audit.jsonl`, else `$HOME/.local/state/wavetop/audit.jsonl`.
    pub fn default_path() -> PathBuf {
        Self::default_path_from(
            std::env::var_os("XDG_STATE_HOME").as_deref(),
            std::env::var_os("HOME").as_deref(),
        )
    }

    /// [`AuditLog::default_path`] for the given environment values. A
    /// relative `XDG_STATE_HOME` is ignored, as the XDG specification asks.
    pub fn default_path_from(xdg_state_home: Option<&OsStr>, home: Option<&OsStr>) -> PathBuf {
        let state = xdg_state_home
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| {
                home.map(PathBuf::from)
                    .unwrap_or_default()
                    .join(".local")
                    .join("state")
            });
        state.join("wavetop").join("audit.jsonl")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records the intent and makes sure it is on disk. Make the AWS call
    /// only after this returns `Ok`; on `Err` the call must not be made.
    pub fn before(&self, entry: &AuditIntent) -> io::Result<AuditId> {
        self.call_line(Phase::Before, entry, None)
    }

    /// A line that names its call in full (`before`, `refused`), under a new id.
    fn call_line(
        &self,
        phase: Phase,
        entry: &AuditIntent,
        detail: Option<String>,
    ) -> io::Result<AuditId> {
        let id = AuditId::next(entry.ts);
        self.append(AuditLine {
            ts: entry.ts,
            phase,
            id: id.clone(),
            identity: Some(entry.identity.clone()),
            target: Some(entry.target.clone()),
            api: Some(entry.call.api_name().to_string()),
            call: Some(entry.call.clone()),
            params: Some(entry.params.clone()),
            outcome: None,
            detail,
            team_log: None,
        })?;
        Ok(id)
    }

    /// Records how the call `id` ended: `Ok(detail)` or `Err(error message)`.
    pub fn after(&self, id: AuditId, at: Timestamp, outcome: Result<&str, &str>) -> io::Result<()> {
        let (outcome, detail) = match outcome {
            Ok(detail) => (Outcome::Ok, detail),
            Err(error) => (Outcome::Error, error),
        };
        self.append(AuditLine {
            ts: at,
            phase: Phase::After,
            id,
            identity: None,
            target: None,
            api: None,
            call: None,
            params: None,
            outcome: Some(outcome),
            detail: Some(detail.to_string()),
            team_log: None,
        })
    }

    /// Writes `line` to disk; only then, and only if it got there, offers
    /// it to the team copy.
    fn append(&self, mut line: AuditLine) -> io::Result<()> {
        line.team_log = self.team.as_ref().map(|t| t.group().to_string());
        let mut bytes = serde_json::to_vec(&line).map_err(io::Error::other)?;
        bytes.push(b'\n');
        {
            // A poisoned lock only means another writer panicked; the file is fine.
            let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
            self.follow_path(&mut file)?;
            write_in_turn(&mut file, &bytes)?;
        }
        if let Some(team) = &self.team {
            team.offer(line);
        }
        Ok(())
    }

    /// Makes `file` the file at the path again if the one open was deleted
    /// or moved away (rotated) since the last line.
    fn follow_path(&self, file: &mut File) -> io::Result<()> {
        let open = file.metadata()?;
        let same = fs::metadata(&self.path)
            .is_ok_and(|at_path| at_path.dev() == open.dev() && at_path.ino() == open.ino());
        if !same || open.nlink() == 0 {
            *file = regular_file::open_for_append(&self.path)?;
        }
        Ok(())
    }
}

fn write_in_turn(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    let _turn = append::Turn::take(file)?;
    append::append_record(file, bytes)
}

/// `before` lines without a matching `after`: calls whose fate is unknown.
pub fn unfinished(lines: &[AuditLine]) -> Vec<&AuditLine> {
    let finished: std::collections::HashSet<&AuditId> = lines
        .iter()
        .filter(|l| l.phase == Phase::After)
        .map(|l| &l.id)
        .collect();
    lines
        .iter()
        .filter(|l| l.phase == Phase::Before && !finished.contains(&l.id))
        .collect()
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
