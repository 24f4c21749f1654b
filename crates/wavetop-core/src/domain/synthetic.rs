//! A large, regular fleet built through the same path as a real one
//! (CodePipeline documents -> derive_grid), for benchmarks and layout tests.

use jiff::{SignedDuration, Timestamp};

use super::fleet::{
    Execution, ExecutionMode, ExecutionStatus, Fleet, Flow, FlowKind, GlobalTable, Health,
    HealthCheck, HealthStatus, LatencySeries, Pipeline, PipelineType, Record, RecordSet, Replica,
    RoutingPolicy,
};
use super::grid::{derive_grid, timestamp_to_epoch};
use super::pipeline_doc::{
    ActionDeclaration, ActionExecution, ActionState, ActionTypeId, GetPipelineStateOutput,
    PipelineDeclaration, StageDeclaration, StageExecution, StageState, TransitionState,
};

const REGIONS: [&str; 24] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "me-south-1",
    "af-south-1",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-east-1",
];

fn cfn(name: &str, region: &str, run_order: i32, stack: &str) -> ActionDeclaration {
    ActionDeclaration {
        name: name.into(),
        action_type_id: ActionTypeId {
            category: "Deploy".into(),
            owner: "AWS".into(),
            provider: "CloudFormation".into(),
            version: "1".into(),
        },
        run_order: Some(run_order),
        configuration: [("StackName".to_string(), stack.to_string())]
            .into_iter()
            .collect(),
        region: Some(region.into()),
        namespace: None,
    }
}

/// `waves` stages each deploying every one of `regions` regions (at most 24),
/// in a mix of states, with a health check per region and one global table.
pub fn fleet(waves: usize, regions: usize, now: Timestamp) -> Fleet {
    let regions: Vec<&str> = REGIONS.iter().copied().cycle().take(regions).collect();
    let stages: Vec<StageDeclaration> = (0..waves)
        .map(|w| StageDeclaration {
            name: format!("Wave{w:02}"),
            actions: regions
                .iter()
                .flat_map(|r| {
                    let stack = format!("app-{r}");
                    [
                        cfn(&format!("{r}.App.Prepare"), r, 1, &stack),
                        cfn(&format!("{r}.App.Deploy"), r, 2, &stack),
                    ]
                })
                .collect(),
            conditions: Default::default(),
        })
        .collect();
    let decl = PipelineDeclaration {
        name: "synthetic".into(),
        role_arn: None,
        stages,
        version: Some(1),
        pipeline_type: Some("V2".into()),
        execution_mode: Some("SUPERSEDED".into()),
    };
    let statuses = ["Succeeded", "InProgress", "Failed", "Succeeded"];
    let state = GetPipelineStateOutput {
        pipeline_name: "synthetic".into(),
        pipeline_version: Some(1),
        stage_states: decl
            .stages
            .iter()
            .enumerate()
            .map(|(w, s)| StageState {
                stage_name: s.name.clone(),
                inbound_transition_state: Some(TransitionState {
                    enabled: w % 5 != 4,
                    last_changed_by: None,
                    last_changed_at: None,
                    disabled_reason: None,
                }),
                action_states: s
                    .actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| ActionState {
                        action_name: a.name.to_string(),
                        latest_execution: (w < waves / 2).then(|| {
                            ActionExecution::with_status(
                                statuses
                                    .get((i + w) % statuses.len())
                                    .copied()
                                    .unwrap_or("Succeeded"),
                                Some(timestamp_to_epoch(now - SignedDuration::from_secs(90))),
                            )
                        }),
                        entity_url: None,
                        revision_url: None,
                    })
                    .collect(),
                latest_execution: Some(StageExecution {
                    pipeline_execution_id: "e-1".into(),
                    status: "InProgress".into(),
                }),
                conditions: Default::default(),
            })
            .collect(),
        created: None,
        updated: None,
    };
    let grid = derive_grid(&decl, Some(&state), "us-east-1");
    let flow = Flow {
        name: "synthetic".into(),
        kind: FlowKind::Pipeline,
        pipelines: vec![Pipeline {
            name: "synthetic".into(),
            home_region: "us-east-1".into(),
            account: "000000000000".into(),
            pipeline_type: PipelineType::V2,
            execution_mode: ExecutionMode::Superseded,
            version: 1,
        }],
        regions: grid.regions,
        waves: grid.waves,
        executions: vec![Execution {
            pipeline: "synthetic".into(),
            id: "e-1".into(),
            status: ExecutionStatus::InProgress,
            trigger: "Webhook".into(),
            revision_id: Some("0123456789abcdef".into()),
            revision_summary: Some("synthetic change".into()),
            started_at: now - SignedDuration::from_mins(20),
            updated_at: now,
            rollback: None,
        }],
        live: Vec::new(),
        fetched_at: now,
    };
    let checks: Vec<HealthCheck> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| HealthCheck {
            id: format!("hc-{r}"),
            region: r.to_string(),
            target: format!("https://{r}.api.example.com/health"),
            status: if i % 7 == 3 {
                HealthStatus::Unhealthy
            } else {
                HealthStatus::Healthy
            },
            inverted: false,
            disabled: false,
            checkers: Vec::new(),
            status_at: Some(now),
            fetched_at: now,
        })
        .collect();
    let record_set = RecordSet {
        name: "api.example.com.".into(),
        record_type: "A".into(),
        policy: RoutingPolicy::Latency,
        flow: Some("synthetic".into()),
        records: regions
            .iter()
            .map(|r| Record {
                set_identifier: r.to_string(),
                region: r.to_string(),
                routing_detail: None,
                health_check_id: Some(format!("hc-{r}")),
            })
            .collect(),
    };
    let table = GlobalTable {
        name: "synthetic-table".into(),
        flow: Some("synthetic".into()),
        replicas: regions
            .iter()
            .map(|r| Replica {
                region: r.to_string(),
                status: "ACTIVE".into(),
            })
            .collect(),
        latency: regions
            .iter()
            .skip(1)
            .map(|r| LatencySeries {
                source_region: regions.first().copied().unwrap_or_default().to_string(),
                receiving_region: r.to_string(),
                points: (0..60)
                    .map(|m| {
                        (
                            now - SignedDuration::from_mins(60 - m),
                            50.0 + (m * 7 % 40) as f64,
                        )
                    })
                    .collect(),
            })
            .collect(),
        fetched_at: now,
    };
    Fleet {
        flows: vec![flow],
        stacks: Vec::new(),
        health: Health {
            checks,
            record_sets: vec![record_set],
        },
        tables: vec![table],
        alarms: Default::default(),
    }
}
