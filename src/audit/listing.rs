//! `wavetop audit`: recent actions, one per call, its `before` and `after`
//! lines joined. A call with a `before` line and no `after` line is shown
//! as unfinished: it may or may not have been made. A call refused before
//! it was made (approve-at-window on a NO-GO verdict) is listed as refused.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::{AuditLine, Outcome, Phase};

/// One call, as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedCall {
    pub ts: Timestamp,
    pub id: String,
    pub identity: String,
    pub api: String,
    pub target: String,
    /// `ok`, `error`, `unfinished` or `refused`.
    pub outcome: &'static str,
    pub detail: String,
    /// The team-log stream it came from (who and which session); empty locally.
    pub stream: String,
}

/// Joins lines (each with the stream it came from) into calls, oldest first.
/// An `after` line without its `before` (the `before` fell outside the
/// time asked for) is left out.
pub fn calls<'a>(lines: impl IntoIterator<Item = (&'a str, &'a AuditLine)>) -> Vec<ListedCall> {
    let mut afters: HashMap<&str, &AuditLine> = HashMap::new();
    let mut befores = Vec::new();
    for (stream, line) in lines {
        match line.phase {
            Phase::Before | Phase::Refused => befores.push((stream, line)),
            Phase::After => {
                afters.insert(line.id.as_str(), line);
            }
        }
    }
    let mut listed: Vec<ListedCall> = befores
        .into_iter()
        .map(|(stream, before)| {
            let after = afters.get(before.id.as_str());
            let (outcome, detail) = if before.phase == Phase::Refused {
                ("refused", before.detail.clone())
            } else {
                let outcome = match after.and_then(|a| a.outcome) {
                    Some(Outcome::Ok) => "ok",
                    Some(Outcome::Error) => "error",
                    None => "unfinished",
                };
                (outcome, after.and_then(|a| a.detail.clone()))
            };
            ListedCall {
                ts: before.ts,
                id: before.id.to_string(),
                identity: before.identity.clone().unwrap_or_default(),
                api: before.api.clone().unwrap_or_default(),
                target: before.target.clone().unwrap_or_default(),
                outcome,
                detail: detail.unwrap_or_default(),
                stream: stream.to_string(),
            }
        })
        .collect();
    listed.sort_by(|a, b| (a.ts, &a.id).cmp(&(b.ts, &b.id)));
    listed
}

/// One line per call: time, outcome, API, target, who.
pub fn text(calls: &[ListedCall], source: &str) -> String {
    if calls.is_empty() {
        return format!("no actions in {source} in that time\n");
    }
    let mut out = format!("{} in {source}:\n", counted(calls.len()));
    for call in calls {
        out.push_str(&format!(
            "{}  {:<10}  {}  {}  by {}",
            call.ts.strftime("%Y-%m-%d %H:%M:%SZ"),
            call.outcome,
            call.api,
            call.target,
            call.identity
        ));
        if !call.detail.is_empty() {
            out.push_str(&format!("  ({})", call.detail));
        }
        out.push('\n');
    }
    out
}

pub fn json(calls: &[ListedCall], source: &str) -> Value {
    json!({
        "source": source,
        "calls": calls.iter().map(|c| json!({
            "ts": c.ts.to_string(),
            "id": c.id,
            "identity": c.identity,
            "api": c.api,
            "target": c.target,
            "outcome": c.outcome,
            "detail": c.detail,
            "stream": c.stream,
        })).collect::<Vec<_>>(),
    })
}

fn counted(n: usize) -> String {
    if n == 1 {
        "1 action".to_string()
    } else {
        format!("{n} actions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(json: &str) -> AuditLine {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn made_refused_and_unfinished_calls_are_each_listed_as_what_they_were() {
        let lines = [
            line(
                r#"{"ts":"2026-11-30T10:00:00Z","phase":"before","id":"a","identity":"ana","target":"api/EU eu-west-1","api":"codepipeline:PutApprovalResult"}"#,
            ),
            line(
                r#"{"ts":"2026-11-30T10:00:01Z","phase":"after","id":"a","outcome":"ok","detail":"approved"}"#,
            ),
            line(
                r#"{"ts":"2026-11-30T10:01:00Z","phase":"refused","id":"b","identity":"ana","target":"api/NA us-west-2","api":"codepipeline:PutApprovalResult","detail":"NO-GO: alarm api-5xx in ALARM"}"#,
            ),
            line(
                r#"{"ts":"2026-11-30T10:02:00Z","phase":"before","id":"c","identity":"bo","target":"eu-west-1","api":"route53:UpdateHealthCheck"}"#,
            ),
        ];
        let listed = calls(lines.iter().map(|l| ("", l)));
        let got: Vec<(&str, &str, &str)> = listed
            .iter()
            .map(|c| (c.id.as_str(), c.outcome, c.detail.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "ok", "approved"),
                ("b", "refused", "NO-GO: alarm api-5xx in ALARM"),
                ("c", "unfinished", ""),
            ]
        );
    }
}
