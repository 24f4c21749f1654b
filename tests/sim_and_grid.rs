//! The grid derived from CodePipeline documents in their wire shape, for
//! every deployment shape the demo fleet models, and the simulator's own
//! documents checked against the same expectations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use wavetop::domain::fleet::{ActionStatus, Cell, CellStatus, StageStatus, Wave};
use wavetop::domain::grid::{DerivedGrid, chain_grids, derive_grid};
use wavetop::domain::pipeline_doc::{GetPipelineOutput, GetPipelineStateOutput};
use wavetop::sim::{DEMO_EPOCH, SimWorld};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/codepipeline")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn grid_of(name: &str, home: &str) -> DerivedGrid {
    let decl: GetPipelineOutput = serde_json::from_str(&fixture(&format!("{name}.pipeline.json")))
        .expect("GetPipeline shape");
    let state: GetPipelineStateOutput =
        serde_json::from_str(&fixture(&format!("{name}.state.json")))
            .expect("GetPipelineState shape");
    derive_grid(&decl.pipeline, Some(&state), home)
}

fn wave<'a>(grid: &'a DerivedGrid, name: &str) -> &'a Wave {
    grid.waves
        .iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("wave {name}"))
}

fn cell<'a>(grid: &'a DerivedGrid, wave_name: &str, region: &str) -> &'a Cell {
    wave(grid, wave_name)
        .cell(region)
        .unwrap_or_else(|| panic!("cell {wave_name}/{region}"))
}

fn names(cell: &Cell) -> Vec<&str> {
    cell.actions.iter().map(|a| a.name.as_str()).collect()
}

fn at(epoch: i64) -> Timestamp {
    Timestamp::from_second(epoch).unwrap()
}

#[test]
fn global_api_waves_follow_cdk_naming() {
    let g = grid_of("global-api", "us-east-1");
    assert_eq!(
        g.regions,
        [
            "sa-east-1",
            "us-west-2",
            "us-east-2",
            "eu-west-1",
            "eu-central-1"
        ]
    );
    let order: Vec<&str> = g.waves.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "Source",
            "Build",
            "UpdatePipeline",
            "Assets",
            "SouthAmerica",
            "NorthAmerica",
            "Europe"
        ]
    );
    for pre in ["Source", "Build", "UpdatePipeline", "Assets"] {
        let w = wave(&g, pre);
        assert!(w.pre_deploy, "{pre} runs before any region");
        assert_eq!(w.regions(), ["us-east-1"]);
    }
    assert!(
        g.waves[4..]
            .iter()
            .all(|w| !w.pre_deploy && w.pipeline == "global-api")
    );

    // Single-stage wave: no prefix, the approval belongs to the only region.
    let sa = cell(&g, "SouthAmerica", "sa-east-1");
    assert_eq!(names(sa), ["Approve", "Api.Prepare", "Api.Deploy"]);
    assert_eq!(sa.status(), CellStatus::Succeeded);
    assert_eq!(sa.stack_names(), ["SaEast1-Api"]);
    assert_eq!(wave(&g, "SouthAmerica").regions(), ["sa-east-1"]);
}

#[test]
fn global_api_region_less_approvals_join_their_cdk_stage_group() {
    let g = grid_of("global-api", "us-east-1");
    let na = wave(&g, "NorthAmerica");
    assert_eq!(na.regions(), ["us-west-2", "us-east-2"]);
    // Declared out of order for us-east-2: the cell is sorted by runOrder.
    assert_eq!(
        names(cell(&g, "NorthAmerica", "us-east-2")),
        [
            "UsEast2.Approve",
            "UsEast2.Api.Prepare",
            "UsEast2.Api.Deploy"
        ]
    );
    assert_eq!(
        cell(&g, "NorthAmerica", "us-east-2")
            .actions
            .iter()
            .map(|a| a.run_order)
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let west = cell(&g, "NorthAmerica", "us-west-2");
    assert_eq!(
        names(west),
        [
            "UsWest2.Approve",
            "UsWest2.Api.Prepare",
            "UsWest2.Api.Deploy"
        ]
    );
    assert_eq!(west.status(), CellStatus::AwaitingApproval);
    let gate = west.pending_approval().expect("waiting approval");
    let approval = gate.approval.as_ref().unwrap();
    assert!(approval.token_present);
    assert_eq!(
        approval.custom_data.as_deref(),
        Some("Promote to us-west-2?")
    );
    assert_eq!(
        approval.review_url.as_deref(),
        Some("https://dashboards.example.com/global-api/us-west-2")
    );
    // Drawn in its group's column; CodePipeline runs an approval at home.
    assert_eq!(gate.region, "us-east-1");
    assert_eq!(gate.started_at, Some(at(1_795_139_760)));
    let east = cell(&g, "NorthAmerica", "us-east-2");
    assert_eq!(east.status(), CellStatus::InProgress);
    assert!(
        east.actions[0]
            .approval
            .as_ref()
            .is_some_and(|a| !a.token_present)
    );
    assert_eq!(na.stage_status, Some(StageStatus::InProgress));
    assert_eq!(
        na.execution_id.as_deref(),
        Some("6b0f3a57-2c1e-4d8b-9a7f-3e5d1c0b2a94")
    );
}

#[test]
fn disabled_transition_holds_every_region_of_the_wave() {
    let g = grid_of("global-api", "us-east-1");
    let eu = wave(&g, "Europe");
    assert!(!eu.transition.enabled);
    assert_eq!(
        eu.transition.disabled_reason.as_deref(),
        Some("Hold until off-hours in Europe (after 20.00 CET)")
    );
    assert_eq!(
        eu.transition.changed_by.as_deref(),
        Some("arn:aws:sts::111111111111:assumed-role/OnCall/jdoe")
    );
    assert_eq!(
        eu.transition.changed_at,
        Some(Timestamp::from_millisecond(1_795_139_900_250).unwrap())
    );
    assert_eq!(eu.regions(), ["eu-west-1", "eu-central-1"]);
    assert!(eu.cells.iter().all(|c| c.held));
    // eu-central-1 has an action that never ran: the cell shows the hold.
    let central = cell(&g, "Europe", "eu-central-1");
    assert_eq!(central.actions[2].status, ActionStatus::NotStarted);
    assert_eq!(central.status(), CellStatus::Held);
    // An open transition holds nothing.
    assert!(wave(&g, "NorthAmerica").cells.iter().all(|c| !c.held));
}

#[test]
fn service_x_deploy_stage_splits_by_region_and_run_order() {
    let g = grid_of("service-x", "eu-west-1");
    assert_eq!(g.regions, ["eu-west-1", "us-east-1", "ap-southeast-2"]);
    let deploy = wave(&g, "Deploy");
    assert!(!deploy.pre_deploy);
    assert!(wave(&g, "Source").pre_deploy);
    for (region, suffix) in [
        ("eu-west-1", "euw1"),
        ("us-east-1", "use1"),
        ("ap-southeast-2", "apse2"),
    ] {
        let c = deploy.cell(region).unwrap();
        assert_eq!(
            names(c),
            [
                format!("CreateInfra-{suffix}"),
                format!("CreateChangeSet-{suffix}"),
                format!("ExecuteChangeSet-{suffix}")
            ]
        );
        assert_eq!(
            c.actions.iter().map(|a| a.run_order).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert!(c.actions.iter().all(|a| a.region == region));
        assert_eq!(c.stack_names(), ["service-x-infra", "service-x-app"]);
    }
    let failed = deploy.cell("ap-southeast-2").unwrap();
    assert_eq!(failed.status(), CellStatus::Failed);
    let error = failed.actions[2].error.as_deref().unwrap();
    assert!(error.starts_with("Stack service-x-app failed"), "{error}");
    assert_eq!(failed.actions[2].ended_at, Some(at(1_795_139_420)));
    assert_eq!(
        deploy.cell("us-east-1").unwrap().status(),
        CellStatus::Succeeded
    );
    assert_eq!(deploy.stage_status, Some(StageStatus::Failed));
}

#[test]
fn orders_approvals_belong_to_their_single_region_stage() {
    let g = grid_of("orders", "us-east-1");
    assert_eq!(g.regions, ["us-east-1", "eu-west-1", "ap-southeast-2"]);
    let eu = cell(&g, "EuWest1", "eu-west-1");
    assert_eq!(names(eu), ["Approve", "Deploy"]);
    assert_eq!(eu.status(), CellStatus::AwaitingApproval);
    assert!(
        eu.pending_approval()
            .unwrap()
            .approval
            .as_ref()
            .unwrap()
            .token_present
    );
    let ap = cell(&g, "ApSoutheast2", "ap-southeast-2");
    assert_eq!(names(ap), ["Approve", "Deploy"]);
    assert_eq!(ap.status(), CellStatus::NotStarted);
    assert_eq!(wave(&g, "ApSoutheast2").stage_status, None);
    assert_eq!(wave(&g, "UsEast1").regions(), ["us-east-1"]);
}

#[test]
fn edge_relay_chains_both_pipelines_into_one_flow() {
    let build = grid_of("edge-relay-build", "us-east-1");
    let apse = grid_of("edge-relay-apse", "ap-south-1");
    let g = chain_grids([build, apse]);
    assert_eq!(g.regions, ["us-east-1", "ap-south-1"]);
    let rows: Vec<(&str, &str)> = g
        .waves
        .iter()
        .map(|w| (w.name.as_str(), w.pipeline.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Source", "edge-relay-build"),
            ("Build", "edge-relay-build"),
            ("DeployUsEast1", "edge-relay-build"),
            ("ReplicatedSource", "edge-relay-apse"),
            ("DeployApSouth1", "edge-relay-apse"),
        ]
    );
    assert!(
        wave(&g, "ReplicatedSource").pre_deploy,
        "an S3 source stage deploys nothing"
    );
    assert_eq!(
        names(cell(&g, "DeployUsEast1", "us-east-1")),
        ["Deploy", "PublishArtifact"]
    );
    let deploy = cell(&g, "DeployApSouth1", "ap-south-1");
    assert_eq!(deploy.status(), CellStatus::InProgress);
    assert_eq!(deploy.in_progress_since(), Some(at(1_795_139_320)));
    assert!(
        deploy.actions[0]
            .external_url
            .as_deref()
            .is_some_and(|u| u.contains("ap-south-1"))
    );
}

#[test]
fn fixtures_round_trip_through_the_document_types() {
    for name in [
        "global-api",
        "service-x",
        "orders",
        "edge-relay-build",
        "edge-relay-apse",
    ] {
        let raw: serde_json::Value =
            serde_json::from_str(&fixture(&format!("{name}.state.json"))).unwrap();
        let doc: GetPipelineStateOutput = serde_json::from_value(raw.clone()).unwrap();
        let again: GetPipelineStateOutput =
            serde_json::from_value(serde_json::to_value(&doc).unwrap()).unwrap();
        assert_eq!(doc, again, "{name}");
        assert_eq!(
            doc.stage_states.len(),
            raw["stageStates"].as_array().unwrap().len()
        );
    }
}

/// The simulator's documents yield the same cell layout as the hand-written ones.
#[test]
fn simulator_documents_derive_the_fixture_layout() {
    let world = SimWorld::new(1, DEMO_EPOCH);
    let sim_grid = |name: &str, home: &str| {
        let doc = world.pipeline_doc(name).unwrap();
        let state = world.pipeline_state_doc(name).unwrap();
        // Through the wire shape, as the AWS adapter would hand them over.
        let doc: GetPipelineOutput =
            serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        let state: GetPipelineStateOutput =
            serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
        derive_grid(&doc.pipeline, Some(&state), home)
    };
    let layout = |g: &DerivedGrid| -> Vec<(String, Vec<(String, usize)>)> {
        g.waves
            .iter()
            .map(|w| {
                (
                    w.name.clone(),
                    w.cells
                        .iter()
                        .map(|c| (c.region.to_string(), c.actions.len()))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        layout(&sim_grid("global-api", "us-east-1")),
        layout(&grid_of("global-api", "us-east-1"))
    );
    assert_eq!(
        layout(&sim_grid("orders-active-active", "us-east-1")),
        layout(&grid_of("orders", "us-east-1"))
    );
    assert_eq!(
        layout(&sim_grid("edge-relay-apse", "ap-south-1")),
        layout(&grid_of("edge-relay-apse", "ap-south-1"))
    );
    let sx = sim_grid("service-x", "eu-west-1");
    assert_eq!(layout(&sx), layout(&grid_of("service-x", "eu-west-1")));
    assert!(world.pipeline_doc("no-such-pipeline").is_none());
    let _ = SignedDuration::ZERO;
}

/// The simulator declares its pipelines as CDK does: an action running in
/// the pipeline's home region names no region, so a wave deploying at home
/// and elsewhere (service-x's Deploy) keeps its home column only because
/// CodePipeline runs region-less actions at home.
#[test]
fn simulated_pipelines_leave_the_home_region_unnamed_and_draw_it_at_home() {
    let world = SimWorld::new(1, DEMO_EPOCH);
    for flow in wavetop::sim::spec::flows() {
        for p in &flow.pipelines {
            for stage in &p.decl.stages {
                for a in &stage.actions {
                    assert_ne!(
                        a.region.as_deref(),
                        Some(p.home_region.as_str()),
                        "{}/{}/{} names its home region",
                        p.decl.name,
                        stage.name,
                        a.name
                    );
                }
            }
        }
    }
    let sx = world.flow("service-x").unwrap();
    let deploy = sx.wave("Deploy").unwrap();
    assert_eq!(
        deploy.regions(),
        ["eu-west-1", "us-east-1", "ap-southeast-2"]
    );
    let home = deploy.cell("eu-west-1").unwrap();
    assert!(home.actions.iter().all(|a| a.region == "eu-west-1"));
    assert_eq!(home.stack_names(), ["service-x-infra", "service-x-app"]);
    // The stacks deployed at home are the ones the simulator runs there.
    let discovery = world.discovery();
    for name in home.stack_names() {
        assert!(
            discovery
                .stacks
                .iter()
                .any(|s| s.flow == "service-x" && s.region == "eu-west-1" && s.name == name),
            "{name} in eu-west-1"
        );
    }
}
