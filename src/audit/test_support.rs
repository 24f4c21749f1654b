//! What the audit tests share: a scratch directory, a sample intent, and
//! ways to look at a log file from outside.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde_json::json;

use super::AuditIntent;
use crate::protocol::OperateCall;

static NEXT_DIR: AtomicU64 = AtomicU64::new(0);

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    pub(crate) fn new() -> Scratch {
        let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("wavetop-audit-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Where the log goes, two directories down (neither exists yet).
    pub(crate) fn log_path(&self) -> PathBuf {
        self.0.join("state").join("wavetop").join("audit.jsonl")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub(crate) fn intent(at: &str) -> AuditIntent {
    AuditIntent {
        ts: ts(at),
        identity: "arn:aws:sts::111122223333:assumed-role/OnCall/alice".to_string(),
        target: "api.example.com. us-east-1".to_string(),
        call: OperateCall::SetHealthCheckInverted {
            health_check_id: "hc-use1".to_string(),
            inverted: true,
        },
        params: json!({ "receiving_regions": ["us-west-2"] }),
    }
}

pub(crate) fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every line parsed as JSON, read through a handle of its own as a reader
/// surviving a crash would.
pub(crate) fn raw_lines(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}
