//! What is live where, from each pipeline's action history
//! (ListActionExecutions filtered by pipeline only, newest first): read at
//! the idle cadence by the flow's revisions key.

use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::types as sdk;

use super::AwsBackend;
use super::errors::map_sdk_error;
use super::time::to_timestamp;
use crate::domain::action_history::{ActionRunRecord, live_from_history};
use crate::domain::revisions::LiveRevision;
use crate::protocol::{Observation, PollKey, SourceError};

/// Action runs asked for per page (the API's maximum).
const RUNS_PER_PAGE: i32 = 100;
/// Pages of history read at most per pipeline: about the last eight
/// executions of a pipeline of 25 actions. A region not deployed within
/// them stays as the console knew it (or unknown).
const MAX_HISTORY_PAGES: usize = 2;

/// The pipeline's newest action runs, at most [`MAX_HISTORY_PAGES`] pages,
/// and how many pages that took.
async fn action_history(
    client: &Client,
    pipeline: &str,
) -> Result<(Vec<ActionRunRecord>, u32), SourceError> {
    let mut runs = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    for _ in 0..MAX_HISTORY_PAGES {
        let out = client
            .list_action_executions()
            .pipeline_name(pipeline)
            .max_results(RUNS_PER_PAGE)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("codepipeline:ListActionExecutions", e))?;
        pages += 1;
        runs.extend(out.action_execution_details().iter().filter_map(record));
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok((runs, pages))
}

fn record(d: &sdk::ActionExecutionDetail) -> Option<ActionRunRecord> {
    let input = d.input();
    let variables = d.output().and_then(|o| o.output_variables());
    let variable = |name: &str| variables.and_then(|v| v.get(name)).cloned();
    Some(ActionRunRecord {
        pipeline_execution_id: d.pipeline_execution_id()?.to_string(),
        category: input
            .and_then(|i| i.action_type_id())
            .map(|t| t.category().as_str().to_string())
            .unwrap_or_default(),
        status: d
            .status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        region: input.and_then(|i| i.region()).map(str::to_string),
        updated_at: d.last_update_time().map(to_timestamp),
        commit_id: variable("CommitId"),
        commit_message: variable("CommitMessage"),
    })
}

/// Whether a failed history read fails the poll. Only what no later read
/// can mend does; anything else (throttling, a missing permission) leaves
/// that pipeline's regions as the console knew them until the next idle
/// read, rather than a backoff that would ask again sooner than the
/// idle cadence.
fn fails_the_poll(e: &SourceError) -> bool {
    matches!(
        e,
        SourceError::ExpiredCredentials(_) | SourceError::NotFound(_)
    )
}

impl AwsBackend {
    pub(super) async fn poll_revisions(
        &self,
        flow: &str,
        poll_key: &PollKey,
    ) -> Result<Observation, SourceError> {
        let pipelines: Vec<(String, String, String)> = {
            let st = self.lock_state();
            let def = st
                .flow(flow)
                .ok_or_else(|| SourceError::NotFound(format!("flow {flow} was not discovered")))?;
            def.pipelines
                .iter()
                .filter_map(|key| st.pipelines.get(key))
                .map(|e| (e.account.clone(), e.region.clone(), e.name.clone()))
                .collect()
        };
        let mut live: Vec<LiveRevision> = Vec::new();
        let mut partial = None;
        let mut requests = 0;
        for (account, region, name) in pipelines {
            let client = self.pool.codepipeline(&account, &region).await?;
            let call = action_history(&client, &name);
            match self.paced_pipeline_call(&account, &region, call).await {
                Ok((history, pages)) => {
                    requests += pages;
                    // A chain's later pipeline deployed its regions later.
                    for placed in live_from_history(&history, &region) {
                        live.retain(|l| l.region != placed.region);
                        live.push(placed);
                    }
                }
                Err(e) if fails_the_poll(&e) => return Err(e),
                Err(e) => {
                    requests += 1;
                    partial = Some(e);
                }
            }
        }
        self.lock_state().record_partial(poll_key, partial);
        Ok(Observation::Revisions {
            flow: flow.to_string(),
            live,
            requests: requests.max(1),
        })
    }
}
