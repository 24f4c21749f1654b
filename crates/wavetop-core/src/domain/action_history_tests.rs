use super::*;
use crate::domain::fleet::{Execution, ExecutionStatus, FlowKind};

fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(minute * 60).unwrap()
}

fn run(
    execution: &str,
    category: &str,
    status: &str,
    region: Option<&str>,
    minute: i64,
) -> ActionRunRecord {
    ActionRunRecord {
        pipeline_execution_id: execution.to_string(),
        category: category.to_string(),
        status: status.to_string(),
        region: region.map(str::to_string),
        updated_at: Some(at(minute)),
        commit_id: None,
        commit_message: None,
    }
}

fn source(execution: &str, commit: &str, message: &str, minute: i64) -> ActionRunRecord {
    ActionRunRecord {
        commit_id: Some(commit.to_string()),
        commit_message: Some(message.to_string()),
        ..run(execution, "Source", "Succeeded", None, minute)
    }
}

fn regions() -> Vec<String> {
    vec!["eu-west-1".into(), "us-east-1".into(), "ap-south-1".into()]
}

#[test]
fn each_region_runs_what_its_newest_successful_deploy_run_deployed() {
    let history = vec![
        // e3 reached eu-west-1 and failed in us-east-1.
        run("e3", "Deploy", "Succeeded", Some("eu-west-1"), 31),
        run("e3", "Deploy", "Failed", Some("us-east-1"), 32),
        source("e3", "c3", "Raise the cache TTL\n\nLonger body", 30),
        run("e2", "Deploy", "Succeeded", Some("eu-west-1"), 21),
        run("e2", "Deploy", "Succeeded", Some("us-east-1"), 22),
        run("e2", "Approval", "Succeeded", Some("ap-south-1"), 23),
        source("e2", "c2", "Fix the health path", 20),
    ];
    let live = live_from_history(&history, "eu-west-1");
    assert_eq!(live.len(), 2, "{live:?}");
    let eu = live.iter().find(|l| l.region == "eu-west-1").unwrap();
    assert_eq!(eu.execution_id, "e3");
    assert_eq!(eu.revision_id.as_deref(), Some("c3"));
    assert_eq!(eu.summary.as_deref(), Some("Raise the cache TTL"));
    assert_eq!(eu.live_since, Some(at(31)));
    let us = live.iter().find(|l| l.region == "us-east-1").unwrap();
    assert_eq!(us.execution_id, "e2", "e3 failed there");
    assert_eq!(us.summary.as_deref(), Some("Fix the health path"));
    assert!(
        !live.iter().any(|l| l.region == "ap-south-1"),
        "an approval deploys nothing"
    );
}

#[test]
fn a_deploy_run_without_a_region_ran_in_the_home_region() {
    let history = vec![run("e1", "Deploy", "Succeeded", None, 5)];
    let live = live_from_history(&history, "ap-south-1");
    assert_eq!(live[0].region, "ap-south-1");
    assert_eq!(live[0].revision_id, None, "its source run was not read");
}

fn execution(id: &str, minute: i64) -> Execution {
    Execution {
        pipeline: "api".into(),
        id: id.into(),
        status: ExecutionStatus::Succeeded,
        trigger: "Webhook".into(),
        revision_id: Some(format!("{id}-commit").into()),
        revision_summary: Some(format!("{id} message").into()),
        started_at: at(minute),
        updated_at: at(minute),
        rollback: None,
    }
}

fn live(region: &str, execution: &str, minute: Option<i64>) -> LiveRevision {
    LiveRevision {
        region: region.into(),
        execution_id: execution.into(),
        revision_id: None,
        summary: None,
        author: None,
        live_since: minute.map(at),
    }
}

fn flow(live: Vec<LiveRevision>) -> Flow {
    Flow {
        name: "api".to_string(),
        kind: FlowKind::Pipeline,
        pipelines: Vec::new(),
        regions: regions(),
        waves: Vec::new(),
        executions: vec![execution("e3", 30), execution("e2", 20)],
        live,
        fetched_at: Timestamp::UNIX_EPOCH,
    }
}

#[test]
fn the_history_places_regions_the_state_could_not_and_never_undoes_a_newer_one() {
    let mut f = flow(vec![live("eu-west-1", "e3", Some(31))]);
    let changed = f.fold_history(vec![
        // Older than what the state placed: the state's stays.
        live("eu-west-1", "e2", Some(21)),
        live("us-east-1", "e2", Some(22)),
        live("ap-south-1", "e1", Some(12)),
        live("gone-1", "e2", Some(22)),
    ]);
    assert!(changed);
    let placed: Vec<(&str, &str)> = f
        .live
        .iter()
        .map(|l| (l.region.as_str(), l.execution_id.as_str()))
        .collect();
    assert_eq!(
        placed,
        vec![
            ("eu-west-1", "e3"),
            ("us-east-1", "e2"),
            ("ap-south-1", "e1")
        ]
    );
    let us = f.live_revision("us-east-1").unwrap();
    assert_eq!(
        us.revision_id.as_deref(),
        Some("e2-commit"),
        "from the listed executions"
    );
    assert_eq!(us.summary.as_deref(), Some("e2 message"));
    let ap = f.live_revision("ap-south-1").unwrap();
    assert_eq!(ap.revision_id, None, "e1 is not listed");
    assert!(
        !f.fold_history(vec![live("us-east-1", "e2", Some(22))]),
        "read again: no change"
    );
}

#[test]
fn a_newer_history_run_replaces_the_state_and_the_same_execution_fills_in() {
    let mut f = flow(vec![
        live("eu-west-1", "e2", Some(21)),
        live("us-east-1", "e3", None),
    ]);
    let mut read = live("us-east-1", "e3", Some(33));
    read.summary = Some("from the source run".into());
    f.fold_history(vec![live("eu-west-1", "e3", Some(31)), read]);
    assert_eq!(f.live_revision("eu-west-1").unwrap().execution_id, "e3");
    let us = f.live_revision("us-east-1").unwrap();
    assert_eq!(us.summary.as_deref(), Some("from the source run"));
    assert_eq!(us.live_since, Some(at(33)));
}
