//! One part of the fleet that could not be read: which source, which AWS
//! call, where, and why. Snapshots list them; the console shows them beside
//! the sources that did answer.

use serde::{Deserialize, Serialize};

use super::SourceError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadError {
    /// What was being read, e.g. `pipeline api`, `stacks eu-west-3`,
    /// `hosted zone /hostedzone/D02I8FIJBFFD89L22D4Q6W`.
    pub source: String,
    /// The AWS API that failed, e.g. `codepipeline:GetPipelineState`; None
    /// when the failure is not one call's (a source that gave no answer in time).
    pub call: Option<String>,
    /// The region (or regions, comma-separated) the source is read in; None
    /// when no region is known (discovery itself failed).
    pub region: Option<String>,
    pub message: String,
}

impl ReadError {
    pub fn new(source: impl Into<String>, region: impl Into<String>, err: &SourceError) -> Self {
        let mut e = ReadError::unplaced(source, err);
        e.region = Some(region.into());
        e
    }

    /// An error of a source read in no region wavetop knows of.
    pub fn unplaced(source: impl Into<String>, err: &SourceError) -> Self {
        ReadError {
            source: source.into(),
            call: call_named_in(err.detail()).map(str::to_string),
            region: None,
            message: err.to_string(),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.region {
            Some(region) => write!(f, "{} ({region}): {}", self.source, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

/// Every SDK failure's text starts with the operation it came from
/// (`codepipeline:GetPipelineState: ...`, see `aws::errors`); this reads it back.
fn call_named_in(detail: &str) -> Option<&str> {
    let head = detail.split(": ").next()?;
    let (service, operation) = head.split_once(':')?;
    let service_ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let operation_ok = operation.starts_with(|c: char| c.is_ascii_uppercase())
        && operation.chars().all(|c| c.is_ascii_alphanumeric());
    (service_ok && operation_ok).then_some(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_is_read_from_the_failure_it_names() {
        let gone = SourceError::NotFound(
            "codepipeline:GetPipelineState: PipelineNotFoundException: no pipeline named web"
                .into(),
        );
        let e = ReadError::new("pipeline web", "us-east-1", &gone);
        assert_eq!(e.call.as_deref(), Some("codepipeline:GetPipelineState"));
        assert_eq!(
            e.message,
            "not found: codepipeline:GetPipelineState: PipelineNotFoundException: no pipeline named web"
        );
        assert_eq!(
            e.to_string(),
            format!("pipeline web (us-east-1): {}", e.message)
        );
    }

    #[test]
    fn a_failure_that_names_no_call_has_none() {
        for text in [
            "stacks ap-northeast-1 took longer than 20s",
            "asked for flow, the backend answered stacks",
            "",
            "http://x: y",
        ] {
            let e = ReadError::new("s", "r", &SourceError::Timeout(text.into()));
            assert_eq!(e.call, None, "{text}");
        }
        let e = ReadError::new("s", "r", &SourceError::ReadOnly);
        assert_eq!(e.call, None);
    }
}
