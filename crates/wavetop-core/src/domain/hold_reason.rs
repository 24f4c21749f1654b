//! The reason wavetop writes when it holds a wave, readable by any wavetop.
//!
//! CodePipeline keeps a disabled transition's reason (1-300 characters of
//! `[a-zA-Z0-9!@ ()\.\*\?\-]`) and shows it to everyone, so the hold carries
//! its own state there rather than in a local file:
//!
//! ```text
//! wavetop hold until 2026-11-22T0300Z by OnCall.alice (eu-west-1 us-east-1) note waiting for CAB
//! ```
//!
//! Grammar, in this order:
//! - `wavetop hold` (the marker; anything else is a hold placed by someone else)
//! - optionally ` until YYYY-MM-DDTHHMMZ` (UTC, to the minute, seconds dropped)
//! - ` by NAME` (one token: no spaces or parentheses)
//! - optionally ` (REGION REGION ...)`, ending in `...` when some did not fit
//! - optionally ` note TEXT` (the rest of the reason, cut to fit)
//!
//! The prefix up to the regions never exceeds 103 characters, so cutting a
//! long note or region list to the 300-character limit never damages it.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

use super::pipeline_limits::{MAX_TRANSITION_REASON, is_transition_reason_char};

/// Longest `by` kept: identities are cut to this many characters.
pub const MAX_BY_LEN: usize = 64;

const MARKER: &str = "wavetop hold";
const UNTIL: &str = " until ";
const BY: &str = " by ";
const NOTE: &str = " note ";
const MORE_REGIONS: &str = "...";

/// A hold read back from a transition's disabled reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldReason {
    /// When the hold should be released (to the minute); `None` for an open-ended hold.
    pub until: Option<Timestamp>,
    /// Who placed it, as sanitized by [`sanitize_by`].
    pub by: String,
    /// The regions the hold was placed for; may be cut short.
    pub regions: Vec<String>,
    pub note: String,
}

/// Builds the reason for a hold. Never fails: `by` and `note` are sanitized
/// and the result is cut to fit CodePipeline's rules.
pub fn encode_hold(until: Option<Timestamp>, by: &str, note: &str, regions: &[String]) -> String {
    let mut reason = String::from(MARKER);
    if let Some(until) = until {
        reason.push_str(UNTIL);
        reason.push_str(&format_until(until));
    }
    reason.push_str(BY);
    reason.push_str(&sanitize_by(by));

    let regions: Vec<String> = regions
        .iter()
        .map(|r| sanitize_region(r))
        .filter(|r| !r.is_empty())
        .collect();
    if !regions.is_empty() {
        reason.push_str(&fit_regions(&regions, MAX_TRANSITION_REASON - reason.len()));
    }

    let note = sanitize_note(note);
    let room = MAX_TRANSITION_REASON.saturating_sub(reason.len() + NOTE.len());
    let note = note[..note.len().min(room)].trim_end();
    if !note.is_empty() {
        reason.push_str(NOTE);
        reason.push_str(note);
    }
    reason
}

/// Reads a reason written by [`encode_hold`]; `None` when the reason was not
/// written by wavetop (or was edited beyond recognition).
pub fn decode_hold(reason: &str) -> Option<HoldReason> {
    let mut rest = reason.strip_prefix(MARKER)?;
    let mut until = None;
    if let Some(after) = rest.strip_prefix(UNTIL) {
        let (token, tail) = split_token(after);
        until = Some(parse_until(token)?);
        rest = tail;
    }
    let (by, tail) = split_token(rest.strip_prefix(BY)?);
    if by.is_empty() {
        return None;
    }
    rest = tail;

    let mut regions = Vec::new();
    if let Some(after) = rest.strip_prefix(" (") {
        let (inside, tail) = after.split_once(')')?;
        regions = inside
            .split_whitespace()
            .filter(|r| *r != MORE_REGIONS)
            .map(str::to_string)
            .collect();
        rest = tail;
    }
    // A tail that is not a note (a later format, a hand edit) is kept as one.
    let note = rest.strip_prefix(NOTE).unwrap_or(rest).trim().to_string();
    Some(HoldReason {
        until,
        by: by.to_string(),
        regions,
        note,
    })
}

/// A readable, reason-safe name for an identity: an IAM or STS ARN becomes
/// the role and session (`OnCall.alice`) or the user name; other text keeps
/// its letters, digits and `@.-`, with separators turned into dots.
pub fn sanitize_by(by: &str) -> String {
    let name = arn_name(by.trim()).unwrap_or_else(|| by.trim().to_string());
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let mapped = match c {
            '_' => '-',
            // One token: the grammar separates fields with spaces and
            // parentheses.
            c if is_transition_reason_char(c) && !matches!(c, ' ' | '(' | ')') => c,
            c if c.is_ascii() => '.',
            _ => '?',
        };
        if !(mapped == '.' && (out.is_empty() || out.ends_with('.'))) {
            out.push(mapped);
        }
    }
    out.truncate(MAX_BY_LEN);
    let out = out.trim_matches('.');
    if out.is_empty() {
        "unknown".to_string()
    } else {
        out.to_string()
    }
}

/// Free text made reason-safe: punctuation CodePipeline refuses becomes a
/// space, `_` a dash, other scripts `?`; runs of spaces collapse.
pub fn sanitize_note(note: &str) -> String {
    let mapped: String = note
        .chars()
        .map(|c| match c {
            '_' => '-',
            c if is_transition_reason_char(c) => c,
            c if c.is_ascii() || c.is_whitespace() => ' ',
            _ => '?',
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sanitize_region(region: &str) -> String {
    region
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// ` (a b c)` within `room` characters, ending in `...` when some are left out.
fn fit_regions(regions: &[String], room: usize) -> String {
    let all = format!(" ({})", regions.join(" "));
    if all.len() <= room {
        return all;
    }
    let mut kept = String::from(" (");
    for region in regions {
        // Keep space for the region, " ...)" after it.
        if kept.len() + region.len() + 1 + MORE_REGIONS.len() + 1 > room {
            break;
        }
        kept.push_str(region);
        kept.push(' ');
    }
    kept.push_str(MORE_REGIONS);
    kept.push(')');
    kept
}

/// The part of an ARN that names the caller, or `None` when `text` is not an ARN.
fn arn_name(text: &str) -> Option<String> {
    let resource = text.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    let segments: Vec<&str> = resource.split('/').filter(|s| !s.is_empty()).collect();
    let name = match segments.as_slice() {
        ["assumed-role", role, .., session] => format!("{role}.{session}"),
        ["user" | "role" | "federated-user", .., last] => last.to_string(),
        [] => return None,
        other => other.join("."),
    };
    Some(name)
}

fn split_token(text: &str) -> (&str, &str) {
    match text.find(' ') {
        Some(i) => text.split_at(i),
        None => (text, ""),
    }
}

fn format_until(until: Timestamp) -> String {
    until.strftime("%Y-%m-%dT%H%MZ").to_string()
}

fn parse_until(token: &str) -> Option<Timestamp> {
    let (date, time) = token.strip_suffix('Z')?.split_once('T')?;
    if date.len() != 10 || time.len() != 4 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date: Date = date.parse().ok()?;
    let time = Time::new(time[..2].parse().ok()?, time[2..].parse().ok()?, 0, 0).ok()?;
    TimeZone::UTC.to_timestamp(date.to_datetime(time)).ok()
}

#[cfg(test)]
#[path = "hold_reason_tests.rs"]
mod tests;
