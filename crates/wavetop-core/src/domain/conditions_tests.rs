use jiff::Timestamp;

use super::*;
use crate::domain::condition_doc::{
    ConditionStateDoc, FailureConditionsDoc, RetryConfigurationDoc, RuleExecutionDoc,
};
use crate::domain::pipeline_doc::StageExecution;

fn rule(name: &str, provider: &str, config: &[(&str, &str)]) -> RuleDeclarationDoc {
    RuleDeclarationDoc::aws(name, provider, config)
}

fn declared() -> StageConditionsDoc {
    StageConditionsDoc {
        before_entry: Some(one_condition(
            "FAIL",
            vec![rule(
                "OffHours",
                "DeploymentWindow",
                &[("Cron", "* 22-23 ? * * *"), ("TimeZone", "UTC")],
            )],
        )),
        on_success: Some(one_condition(
            "ROLLBACK",
            vec![rule(
                "Quiet",
                "CloudWatchAlarm",
                &[("AlarmName", "api-5xx, api-latency"), ("WaitTime", "15")],
            )],
        )),
        on_failure: Some(FailureConditionsDoc {
            result: Some("RETRY".into()),
            retry_configuration: Some(RetryConfigurationDoc {
                retry_mode: Some("FAILED_ACTIONS".into()),
            }),
            conditions: Vec::new(),
        }),
    }
}

fn set_state(status: &str, rule: &str, rule_status: &str, at: f64) -> StageConditionStateDoc {
    StageConditionStateDoc {
        latest_execution: Some(ConditionExecutionDoc {
            status: status.into(),
            summary: None,
            last_status_change: Some(at),
        }),
        condition_states: vec![ConditionStateDoc {
            latest_execution: None,
            rule_states: vec![RuleStateDoc {
                rule_name: rule.into(),
                latest_execution: Some(RuleExecutionDoc {
                    status: rule_status.into(),
                    summary: Some(format!("{rule} says {rule_status}")),
                    last_status_change: Some(at),
                    ..RuleExecutionDoc::default()
                }),
                entity_url: None,
            }],
        }],
    }
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap()
}

#[test]
fn every_rule_kind_keeps_what_an_operator_reads() {
    let c = WaveConditions::from_docs(&declared(), None, Some("e-1")).unwrap();
    let before = c.set(ConditionKind::BeforeEntry).unwrap();
    assert_eq!(
        before.conditions[0].rules[0].kind,
        RuleKind::DeploymentWindow {
            cron: "* 22-23 ? * * *".into(),
            time_zone: Some("UTC".into())
        }
    );
    let alarms: Vec<_> = c.alarm_rules().collect();
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0].1, ["api-5xx", "api-latency"]);
    assert_eq!(alarms[0].2, Some(15));
    let policy = c.on_failure.as_ref().unwrap();
    assert_eq!(policy.retry_mode.as_deref(), Some("FAILED_ACTIONS"));
    assert!(!policy.rolls_back());
    assert_eq!(
        RuleKind::from_doc(&rule("Gate", "Acme", &[])),
        RuleKind::Other {
            provider: "Acme".into()
        }
    );
    assert_eq!(
        RuleKind::from_doc(&rule("L", "LambdaInvoke", &[("FunctionName", "smoke")])).describe(),
        "lambda smoke"
    );
}

#[test]
fn a_failed_set_outranks_an_evaluating_one() {
    let mut state = StageConditionStatesDoc {
        before_entry_condition_state: Some(set_state(
            "InProgress",
            "OffHours",
            "InProgress",
            1_000.0,
        )),
        ..StageConditionStatesDoc::default()
    };
    let blocking = WaveConditions::from_docs(&declared(), Some(&state), Some("e-1")).unwrap();
    assert_eq!(blocking.mark(), Some(ConditionMark::Blocking));
    state.on_success_condition_state = Some(set_state("Failed", "Quiet", "Failed", 1_000.0));
    let failed = WaveConditions::from_docs(&declared(), Some(&state), Some("e-1")).unwrap();
    assert_eq!(failed.mark(), Some(ConditionMark::Failed));
    let evidence = failed.evidence(at(1_000));
    assert_eq!(evidence.len(), 2);
    assert!(evidence.iter().any(|e| e.rule == "Quiet" && e.failed));
    assert!(evidence.iter().any(|e| e.rule == "OffHours" && !e.failed));
}

#[test]
fn passed_conditions_leave_no_mark_and_no_evidence() {
    let state = StageConditionStatesDoc {
        on_success_condition_state: Some(set_state("Succeeded", "Quiet", "Succeeded", 1_000.0)),
        ..StageConditionStatesDoc::default()
    };
    let c = WaveConditions::from_docs(&declared(), Some(&state), Some("e-1")).unwrap();
    assert_eq!(c.mark(), None);
    assert!(c.evidence(at(2_000)).is_empty());
    assert!(c.overridable().is_none());
}

#[test]
fn an_alarm_rule_counts_its_wait_down_from_when_it_began() {
    let state = StageConditionStatesDoc {
        on_success_condition_state: Some(set_state("InProgress", "Quiet", "InProgress", 1_000.0)),
        ..StageConditionStatesDoc::default()
    };
    let c = WaveConditions::from_docs(&declared(), Some(&state), Some("e-1")).unwrap();
    let rule = &c.set(ConditionKind::OnSuccess).unwrap().conditions[0].rules[0];
    assert_eq!(
        rule.time_left(at(1_000 + 5 * 60)).unwrap().as_secs(),
        10 * 60
    );
    assert_eq!(rule.time_left(at(1_000 + 20 * 60)).unwrap().as_secs(), 0);
    assert_eq!(c.evidence(at(1_060))[0].time_left_secs, Some(14 * 60));
}

#[test]
fn before_entry_is_overridden_for_the_execution_waiting_at_the_entrance() {
    let state = StageConditionStatesDoc {
        inbound_execution: Some(StageExecution {
            pipeline_execution_id: "e-2".into(),
            status: "InProgress".into(),
        }),
        before_entry_condition_state: Some(set_state(
            "InProgress",
            "OffHours",
            "InProgress",
            1_000.0,
        )),
        ..StageConditionStatesDoc::default()
    };
    let c = WaveConditions::from_docs(&declared(), Some(&state), Some("e-1")).unwrap();
    let (set, execution) = c.overridable().unwrap();
    assert_eq!((set.kind, execution), (ConditionKind::BeforeEntry, "e-2"));
}

#[test]
fn an_on_failure_condition_is_never_offered_for_override() {
    let mut decl = declared();
    decl.on_failure.as_mut().unwrap().conditions = declared().on_success.unwrap().conditions;
    let state = StageConditionStatesDoc {
        on_failure_condition_state: Some(set_state("InProgress", "Quiet", "InProgress", 1.0)),
        ..StageConditionStatesDoc::default()
    };
    let c = WaveConditions::from_docs(&decl, Some(&state), Some("e-1")).unwrap();
    assert_eq!(c.mark(), Some(ConditionMark::Blocking));
    assert!(c.overridable().is_none());
}

#[test]
fn rule_runs_of_the_sets_execution_replace_the_state_result() {
    let state = StageConditionStatesDoc {
        on_success_condition_state: Some(set_state("InProgress", "Quiet", "InProgress", 1_000.0)),
        ..StageConditionStatesDoc::default()
    };
    let mut c = WaveConditions::from_docs(&declared(), Some(&state), Some("e-1")).unwrap();
    let run = |execution: &str, started: i64, status| RuleRun {
        pipeline_execution_id: execution.into(),
        stage: "Prod".into(),
        rule: "Quiet".into(),
        status,
        summary: Some(format!("run of {execution} at {started}")),
        started_at: Some(at(started)),
        updated_at: None,
    };
    c.apply_rule_runs(
        "Prod",
        &[
            run("e-0", 5_000, RuleStatus::Failed),
            run("e-1", 900, RuleStatus::InProgress),
        ],
    );
    let rule = &c.set(ConditionKind::OnSuccess).unwrap().conditions[0].rules[0];
    let result = rule.result.as_ref().unwrap();
    assert_eq!(result.status, RuleStatus::InProgress);
    assert_eq!(result.since, Some(at(900)));
    assert_eq!(result.summary.as_deref(), Some("run of e-1 at 900"));
}

#[test]
fn getpipeline_json_parses_into_conditions_and_back() {
    let json = r#"{"name":"Prod","actions":[],
        "beforeEntry":{"conditions":[{"result":"FAIL","rules":[{"name":"W",
            "ruleTypeId":{"category":"Rule","owner":"AWS","provider":"DeploymentWindow","version":"1"},
            "configuration":{"Cron":"* 22 ? * * *"}}]}]},
        "onFailure":{"result":"ROLLBACK"}}"#;
    let stage: crate::domain::pipeline_doc::StageDeclaration = serde_json::from_str(json).unwrap();
    let c = WaveConditions::from_docs(&stage.conditions, None, None).unwrap();
    assert!(c.on_failure.as_ref().unwrap().rolls_back());
    assert_eq!(c.sets.len(), 1);
    let back = serde_json::to_value(&stage).unwrap();
    assert_eq!(back["onFailure"]["result"], "ROLLBACK");
    assert_eq!(
        back["beforeEntry"]["conditions"][0]["rules"][0]["name"],
        "W"
    );
}
