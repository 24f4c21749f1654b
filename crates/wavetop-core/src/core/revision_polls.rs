//! Which revisions polls run: one per flow of pipelines, reading their
//! action history at the idle cadence whatever the flow does. The flow's
//! own poll places a region as soon as its deploy succeeds; the history
//! only tells what that poll cannot (regions whose stage ran again since,
//! or ran before the console started), which changes slowly.

use super::model::Model;
use crate::domain::fleet::FlowKind;
use crate::poll::endpoint::Endpoint;
use crate::protocol::PollKey;

pub(super) fn register_revision_keys(model: &mut Model) {
    let now = model.now;
    for flow in &model.fleet.flows {
        if flow.kind == FlowKind::Unmanaged {
            continue;
        }
        let key = PollKey::Revisions {
            flow: flow.name.clone(),
        };
        model
            .poll
            .register_spread(key, Endpoint::of_flow(flow), now);
    }
}

/// The revisions key of `flow`, moved to the endpoint the flow's poll
/// found: a pipeline's home region is known once it has been read.
pub(super) fn follow_flow_endpoint(model: &mut Model, flow: &str, endpoint: Endpoint) {
    let key = PollKey::Revisions {
        flow: flow.to_string(),
    };
    if model.poll.state(&key).is_some() {
        model.poll.register_spread(key, endpoint, model.now);
    }
}
