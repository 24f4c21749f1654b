//! CodePipeline's `revisionSummary` as an operator reads it. For CodeStar
//! connections (GitHub, GitLab, Bitbucket) it is a JSON document,
//! `{"ProviderType":"GitHub","CommitMessage":"…"}`, not text; shown as it
//! comes, the executions and revisions views would print braces and quotes.

/// The commit message inside a JSON summary, else the summary unchanged.
pub(crate) fn readable(summary: &str) -> String {
    let trimmed = summary.trim_start();
    if trimmed.starts_with('{')
        && let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(trimmed)
        && let Some(serde_json::Value::String(message)) = doc.get("CommitMessage")
    {
        return message.clone();
    }
    summary.to_string()
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn a_connection_s_json_summary_gives_its_commit_message() {
        let summary =
            r#"{"ProviderType":"GitHub","CommitMessage":"Fix the EU cache key\n\nLonger body"}"#;
        assert_eq!(readable(summary), "Fix the EU cache key\n\nLonger body");
    }

    #[test]
    fn text_and_json_without_a_message_are_kept_as_they_are() {
        assert_eq!(readable("Fix the EU cache key"), "Fix the EU cache key");
        let other = r#"{"ProviderType":"GitHub"}"#;
        assert_eq!(readable(other), other);
        assert_eq!(readable("{not json"), "{not json");
    }
}
