//! The IAM policies name exactly the actions the adapters call: read-only
//! for observing, read-only plus the operator calls for operating.

use std::collections::BTreeSet;

use wavetop::domain::conditions::ConditionKind;
use wavetop::protocol::{OperateCall, RetryMode};

const SERVICES: [&str; 8] = [
    "codepipeline",
    "cloudformation",
    "route53",
    "cloudwatch",
    "dynamodb",
    "scheduler",
    "sts",
    "logs",
];

/// Permissions no adapter calls, needed for a call that is made: CreateSchedule
/// hands Scheduler the role its schedule runs as.
const PASSED_ROLES: [&str; 1] = ["iam:PassRole"];

/// Every `service:Operation` named in the AWS adapters' sources (each call
/// names its API in the errors it maps).
fn actions_in_sources() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/source/aws");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for service in SERVICES {
            let needle = format!("\"{service}:");
            for (at, _) in text.match_indices(&needle) {
                let rest = &text[at + needle.len()..];
                let op: String = rest
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if op.starts_with(|c: char| c.is_ascii_uppercase()) {
                    found.insert(format!("{service}:{op}"));
                }
            }
        }
    }
    found
}

/// The fleet's actions: every statement but those of the optional team
/// pieces, whose Sids name them and which are checked on their own.
fn policy_actions(file: &str) -> BTreeSet<String> {
    piece_actions(file, |sid| !sid.starts_with("WavetopAudit"))
}

fn piece_actions(file: &str, wanted: impl Fn(&str) -> bool) -> BTreeSet<String> {
    let path = format!("{}/iam/{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| wanted(s["Sid"].as_str().unwrap_or_default()))
        .flat_map(|s| {
            s["Action"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
        })
        .collect()
}

fn operator_calls() -> BTreeSet<String> {
    let s = String::new;
    [
        OperateCall::PutApprovalResult {
            pipeline: s(),
            stage: s(),
            action: s(),
            approved: true,
            summary: s(),
        },
        OperateCall::RetryStageExecution {
            pipeline: s(),
            stage: s(),
            execution_id: s(),
            mode: RetryMode::FailedActions,
        },
        OperateCall::DisableStageTransition {
            pipeline: s(),
            stage: s(),
            reason: s(),
        },
        OperateCall::EnableStageTransition {
            pipeline: s(),
            stage: s(),
        },
        OperateCall::StopPipelineExecution {
            pipeline: s(),
            execution_id: s(),
            abandon: false,
            reason: s(),
        },
        OperateCall::RollbackStage {
            pipeline: s(),
            stage: s(),
            target_execution_id: s(),
        },
        OperateCall::OverrideStageCondition {
            pipeline: s(),
            stage: s(),
            execution_id: s(),
            condition: ConditionKind::OnSuccess,
        },
        OperateCall::SetHealthCheckInverted {
            health_check_id: s(),
            inverted: true,
        },
        OperateCall::CreateHoldSchedule {
            pipeline: s(),
            stage: s(),
            name: s(),
            group: s(),
            role_arn: s(),
            at_local: s(),
            time_zone: s(),
        },
        OperateCall::DeleteHoldSchedule {
            pipeline: s(),
            name: s(),
            group: s(),
        },
    ]
    .iter()
    .map(|c| c.api_name().to_string())
    .collect()
}

#[test]
fn policies_name_exactly_the_calls_made() {
    let used = actions_in_sources();
    let mut operator_only = operator_calls();
    // CreateHoldSchedule replaces a schedule of the same name with UpdateSchedule.
    operator_only.insert("scheduler:UpdateSchedule".to_string());
    let observe: BTreeSet<String> = used.difference(&operator_only).cloned().collect();
    assert!(observe.contains("sts:GetCallerIdentity"));
    assert!(observe.contains("cloudwatch:GetMetricData"));
    assert_eq!(policy_actions("wavetop-readonly.json"), observe);
    let mut operator = used.clone();
    operator.extend(PASSED_ROLES.map(String::from));
    assert_eq!(policy_actions("wavetop-operator.json"), operator);
    assert!(
        operator_only.is_subset(&used),
        "every operator call is implemented"
    );
}

/// The team audit trail's statements name exactly the CloudWatch Logs calls
/// it makes: reading the group for everyone, writing to it for operators.
#[test]
fn the_team_audit_statements_name_exactly_its_calls() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/audit/team/logs.rs"
    ))
    .unwrap();
    let used: BTreeSet<String> = source
        .match_indices("\"logs:")
        .map(|(at, _)| {
            let op: String = source[at + 6..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            format!("logs:{op}")
        })
        .collect();
    assert!(used.contains("logs:PutLogEvents"), "{used:?}");
    let audit = |file| piece_actions(file, |sid| sid.starts_with("WavetopAudit"));
    assert_eq!(audit("wavetop-operator.json"), used);
    assert_eq!(
        audit("wavetop-readonly.json"),
        BTreeSet::from(["logs:FilterLogEvents".to_string()])
    );
}
