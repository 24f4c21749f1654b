//! A pipeline state's fingerprint: whether GetPipelineState answered the
//! same as last time, so the reads that follow from a change (executions
//! listed, rule runs) can be skipped when nothing moved. A hash of the
//! answer's serialized form, fed as it is written: the console of a large
//! fleet keeps one per pipeline for hours, and the whole text of a
//! 25-region pipeline's state is kilobytes where the hash is eight bytes.

use std::hash::{DefaultHasher, Hasher};
use std::io;

use serde::Serialize;

/// The fingerprint of `state`; None when it cannot be serialized (then it
/// never equals an earlier one, and everything is read again).
pub(crate) fn fingerprint(state: &impl Serialize) -> Option<u64> {
    let mut sink = HashSink(DefaultHasher::new());
    serde_json::to_writer(&mut sink, state).ok()?;
    Some(sink.0.finish())
}

/// Bytes written go into the hasher and nowhere else.
struct HashSink(DefaultHasher);

impl io::Write for HashSink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;
    use crate::domain::pipeline_doc::GetPipelineStateOutput;

    fn state(version: i64) -> GetPipelineStateOutput {
        GetPipelineStateOutput {
            pipeline_name: "checkout".into(),
            pipeline_version: Some(version),
            stage_states: Vec::new(),
            created: None,
            updated: None,
        }
    }

    #[test]
    fn the_same_state_has_the_same_fingerprint_and_a_changed_one_another() {
        assert_eq!(fingerprint(&state(3)), fingerprint(&state(3)));
        assert!(fingerprint(&state(3)).is_some());
        assert_ne!(fingerprint(&state(3)), fingerprint(&state(4)));
    }
}
