//! Rule runs read with a flow's poll: only for the executions a stage's
//! condition evaluates or failed for (see `conditions::executions_to_read`),
//! and only when the pipeline's state changed. They give each rule's start,
//! which the `WaitTime` left is counted from, and its own summary.

use super::AwsBackend;
use super::conditions::{executions_to_read, list_rule_runs};
use super::state::PipelineEntry;
use crate::domain::conditions::RuleRun;
use crate::domain::pipeline_doc::GetPipelineStateOutput;
use crate::protocol::SourceError;

impl AwsBackend {
    /// The rule runs of the executions `state` names as evaluating or
    /// failed. A read that fails in part of the poll's way (a permission
    /// missing) is said in `partial`; the conditions then show what the
    /// state alone tells.
    pub(super) async fn read_rule_runs(
        &self,
        client: &aws_sdk_codepipeline::Client,
        entry: &PipelineEntry,
        state: &GetPipelineStateOutput,
        partial: &mut Option<SourceError>,
    ) -> Result<Vec<RuleRun>, SourceError> {
        let mut runs = Vec::new();
        for id in executions_to_read(state) {
            let part = format!("ListRuleExecutions {}", entry.key);
            let call = list_rule_runs(client, &entry.name, &id);
            let answer = self
                .paced_pipeline_call(&entry.account, &entry.region, call)
                .await;
            if let Some(read) = self.read_part(&part, answer, partial)? {
                runs.extend(read);
            }
        }
        Ok(runs)
    }
}
