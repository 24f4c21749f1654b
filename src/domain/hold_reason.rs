//! Placeholder until the hold-reason codec lands.

use jiff::Timestamp;

pub fn encode_hold(until: Option<Timestamp>, by: &str, note: &str, regions: &[String]) -> String {
    let _ = (until, regions);
    format!("wavetop hold by {by} {note}")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " !@().*?-".contains(*c))
        .take(300)
        .collect()
}

pub struct HoldReason {
    pub until: Option<Timestamp>,
    pub by: String,
    pub note: String,
}

pub fn decode_hold(_reason: &str) -> Option<HoldReason> {
    None
}
