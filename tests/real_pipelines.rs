//! Pipelines that CDK Pipelines, hand-written CloudFormation, SAM and the
//! Serverless Framework declared in public repositories, drawn as their
//! templates say: each GetPipeline document under
//! `tests/fixtures/codepipeline/real/` against the waves and columns read
//! off its template by hand (`real_pipelines/expected.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

#[path = "real_pipelines/expected.rs"]
mod expected;

use std::collections::BTreeMap;

use expected::{RealPipeline, Shape};
use jiff::Timestamp;
use wavetop::domain::current_run::{ActionRun, RunEvidence};
use wavetop::domain::fleet::{ActionStatus, CellStatus, EarlierRun};
use wavetop::domain::grid::{DerivedGrid, derive_grid, derive_grid_with};
use wavetop::domain::pipeline_doc::{
    ActionExecution, ActionState, GetPipelineOutput, GetPipelineStateOutput, PipelineDeclaration,
    StageExecution, StageState,
};

fn declaration(pipeline: &RealPipeline) -> PipelineDeclaration {
    let path = pipeline.path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: GetPipelineOutput =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.pipeline
}

fn shape(grid: &DerivedGrid) -> Shape {
    let waves = grid
        .waves
        .iter()
        .map(|w| {
            let cells = w
                .cells
                .iter()
                .map(|c| {
                    (
                        c.region.to_string(),
                        c.actions.iter().map(|a| a.name.to_string()).collect(),
                    )
                })
                .collect();
            (w.name.clone(), w.pre_deploy, cells)
        })
        .collect();
    (grid.regions.clone(), waves)
}

fn assert_drawn_as_declared(pipeline: &RealPipeline) -> DerivedGrid {
    let decl = declaration(pipeline);
    let grid = derive_grid(&decl, None, pipeline.home_region);
    assert_eq!(shape(&grid), pipeline.shape(), "{}", pipeline.file);
    // Every action says where it runs: its own region, or the home region.
    for (stage, wave) in decl.stages.iter().zip(&grid.waves) {
        for declared in &stage.actions {
            let drawn = wave
                .cells
                .iter()
                .flat_map(|c| &c.actions)
                .find(|a| a.name == declared.name)
                .expect("every declared action is drawn");
            let runs_in = declared.region.as_deref().unwrap_or(pipeline.home_region);
            assert_eq!(drawn.region, runs_in, "{}/{}", stage.name, declared.name);
        }
    }
    grid
}

#[test]
fn a_cloud_assembly_lookup_before_the_first_deploy_is_no_wave() {
    let grid = assert_drawn_as_declared(&expected::LIFLIG_CLOUD_ASSEMBLY);
    let prepare = &grid.waves[1];
    assert_eq!(prepare.cells[0].actions[0].category, "Invoke");
}

#[test]
fn legacy_cdkpipeline_gates_and_shell_steps_follow_their_stage() {
    let grid = assert_drawn_as_declared(&expected::PETSTORE);
    let prod = grid.waves.last().unwrap();
    let cell = &prod.cells[0];
    // Drawn in us-east-1, run by CodePipeline at home.
    let gate = cell.actions.iter().find(|a| a.approval.is_some()).unwrap();
    assert_eq!(
        (cell.region.as_str(), gate.region.as_str()),
        ("us-east-1", "eu-central-1")
    );
}

#[test]
fn a_wave_stage_at_home_names_no_region_and_stays_at_home() {
    assert_drawn_as_declared(&expected::CDK_MULTI_REGION_WAVE);
}

#[test]
fn hand_written_cloudformation_naming_every_region() {
    assert_drawn_as_declared(&expected::SYMPHONIA);
}

#[test]
fn build_stages_before_the_first_deploy_are_pre_deploy_whatever_their_names() {
    assert_drawn_as_declared(&expected::AURORA);
}

#[test]
fn cdk_actions_naming_their_home_region_and_a_backup_region() {
    let grid = assert_drawn_as_declared(&expected::SERVICE_BACKUP_REGION);
    let test = grid.waves.iter().find(|w| w.name == "Test").unwrap();
    assert_eq!(test.cells[0].actions[1].category, "Test");
}

#[test]
fn sam_pipelines_deploy_through_codebuild_at_home() {
    assert_drawn_as_declared(&expected::SAM_TWO_STAGE);
}

#[test]
fn v2_commands_pipeline_without_deploy_actions_is_judged_by_stage_names() {
    let grid = assert_drawn_as_declared(&expected::COMMANDS_V2_CONDITIONS);
    let decl = declaration(&expected::COMMANDS_V2_CONDITIONS);
    assert!(
        decl.stages[2].conditions.before_entry.is_some(),
        "conditions survive"
    );
    assert_eq!(grid.waves[1].cells[0].actions[0].category, "Compute");
}

#[test]
fn serverless_framework_deploying_from_one_codebuild_stage() {
    assert_drawn_as_declared(&expected::SERVERLESS_TERRAFORM);
}

#[test]
fn every_fixture_has_an_expectation_and_parses() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codepipeline/real");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    files.sort();
    let mut expected: Vec<&str> = expected::ALL.iter().map(|p| p.file).collect();
    expected.sort();
    assert_eq!(files, expected);
    assert!(files.len() >= 8);
}

/// The petstore prod stage after its approval was answered in a new
/// execution: the approval ran in exec-2, the change set and its execution
/// last ran in exec-1, before exec-2 started.
fn prod_state_after_approval() -> GetPipelineStateOutput {
    let run = |name: &str, id: &str, status: &str, at: f64| {
        ActionState::ran(
            name,
            ActionExecution {
                action_execution_id: Some(id.to_string()),
                ..ActionExecution::with_status(status, Some(at))
            },
        )
    };
    GetPipelineStateOutput {
        pipeline_name: "petstore-pipeline".to_string(),
        pipeline_version: Some(1),
        stage_states: vec![StageState {
            stage_name: "petstore-pipeline-prod".to_string(),
            inbound_transition_state: None,
            action_states: vec![
                run("ManualApproval", "ap-2", "Succeeded", 2_000_100.0),
                run("RunTestCommands", "t-1", "Succeeded", 1_000_400.0),
                run(
                    "petstore-stack-prod.Prepare",
                    "p-1",
                    "Succeeded",
                    1_000_100.0,
                ),
                run("petstore-stack-prod.Deploy", "d-1", "Failed", 1_000_300.0),
            ],
            latest_execution: Some(StageExecution {
                pipeline_execution_id: "exec-2".to_string(),
                status: "InProgress".to_string(),
            }),
            conditions: Default::default(),
        }],
        created: None,
        updated: None,
    }
}

#[test]
fn approving_a_gate_does_not_finish_a_cell_the_execution_has_not_reached() {
    let decl = declaration(&expected::PETSTORE);
    let state = prod_state_after_approval();
    // GetPipelineState alone: every latest run counts, the old failure too.
    let naive = derive_grid(&decl, Some(&state), "eu-central-1");
    let naive_cell = &naive.waves.last().unwrap().cells[0];
    assert_eq!(naive_cell.status(), CellStatus::Failed);

    let mut evidence = RunEvidence {
        execution_starts: BTreeMap::from([
            ("exec-1".into(), Timestamp::from_second(1_000_000).unwrap()),
            ("exec-2".into(), Timestamp::from_second(2_000_000).unwrap()),
        ]),
        action_runs: BTreeMap::new(),
    };
    // The approval finished after exec-2 started: only exec-2's own list of
    // runs can say it was exec-2's.
    assert_eq!(evidence.executions_to_list(&state), ["exec-2"]);
    evidence.action_runs.insert(
        "exec-2".to_string(),
        vec![ActionRun {
            stage: "petstore-pipeline-prod".to_string(),
            action: "ManualApproval".to_string(),
            action_execution_id: Some("ap-2".to_string()),
        }],
    );
    assert!(evidence.executions_to_list(&state).is_empty());
    let grid = derive_grid_with(&decl, Some(&state), &evidence, "eu-central-1");
    let cell = &grid.waves.last().unwrap().cells[0];
    assert_eq!(cell.status(), CellStatus::NotStarted);
    let by_name = |n: &str| cell.actions.iter().find(|a| a.name == n).unwrap();
    assert_eq!(by_name("ManualApproval").status, ActionStatus::Succeeded);
    assert_eq!(by_name("ManualApproval").earlier, None);
    let deploy = by_name("petstore-stack-prod.Deploy");
    assert_eq!(deploy.status, ActionStatus::NotStarted);
    assert_eq!(deploy.error, None);
    assert_eq!(
        deploy.earlier,
        Some(Box::new(EarlierRun {
            status: ActionStatus::Failed,
            at: Some(Timestamp::from_second(1_000_300).unwrap()),
        }))
    );
}
