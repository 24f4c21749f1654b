//! The name of this console's stream in the team log:
//! `<who>/<host>/<start>-<pid>`, so each identity and session has its own,
//! and a person reading the group sees who wrote what.

use jiff::Timestamp;

/// This process: where it runs and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub host: String,
    pub started: Timestamp,
    pub pid: u32,
}

impl Session {
    pub fn this_process(started: Timestamp) -> Session {
        Session {
            host: host_name(),
            started,
            pid: std::process::id(),
        }
    }

    /// The stream for lines made as `identity` (a caller ARN).
    pub fn stream_name(&self, identity: Option<&str>) -> String {
        let who = identity
            .map(who_of)
            .unwrap_or_else(|| "unknown".to_string());
        format!("{who}{}", self.suffix())
    }

    /// How every stream of this session ends: `/<host>/<start>-<pid>`.
    pub fn suffix(&self) -> String {
        format!(
            "/{}/{}-{}",
            clean(&self.host),
            self.started.strftime("%Y%m%dT%H%M%SZ"),
            self.pid
        )
    }
}

/// `arn:aws:sts::123456789012:assumed-role/Oncall/alice` → `123456789012/assumed-role/Oncall/alice`.
pub fn who_of(identity: &str) -> String {
    let mut parts = identity.splitn(6, ':');
    match (parts.next(), parts.nth(3), parts.next()) {
        (Some("arn"), Some(account), Some(resource)) => clean(&format!("{account}/{resource}")),
        _ => clean(identity),
    }
}

/// Stream names may not hold `:` or `*`; anything outside a plain set is `_`.
fn clean(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-/@=+,".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "unknown".to_string()
    } else {
        name
    }
}

fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`.
    let got = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    match (got, buf.get(..end)) {
        (0, Some(name)) if !name.is_empty() => String::from_utf8_lossy(name).into_owned(),
        _ => "localhost".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_names_the_caller_host_and_session_without_colons() {
        let session = Session {
            host: "laptop 7".to_string(),
            started: "2026-11-30T09:46:00Z".parse().unwrap(),
            pid: 4242,
        };
        assert_eq!(
            session.stream_name(Some("arn:aws:sts::123456789012:assumed-role/Oncall/alice")),
            "123456789012/assumed-role/Oncall/alice/laptop_7/20261130T094600Z-4242"
        );
        assert_eq!(
            session.stream_name(None),
            "unknown/laptop_7/20261130T094600Z-4242"
        );
        assert_eq!(who_of("sim:operator"), "sim_operator");
    }
}
