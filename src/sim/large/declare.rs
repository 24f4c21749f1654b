//! The large fleet's pipeline declarations, one function per deployment
//! shape, built from the same pieces as the demo's.

use super::WAVES;
use crate::domain::pipeline_doc::{PipelineDeclaration, StageDeclaration};
use crate::sim::declarations::{
    CdkApp, Place, Service, cdk_stage_name, cdk_wave, cfn, codebuild, codecommit_source,
    cross_region_cfn, decl, github_source, publish_artifact, replicated_source, stage,
    stage_per_region,
};

/// A service and the account its pipelines live in.
#[derive(Clone, Copy)]
pub struct Owner<'a> {
    pub service: &'a str,
    pub account_id: &'a str,
}

/// Where the wave-shaped pipelines live.
const CDK_HOME: &str = "us-east-1";
const CFN_HOME: &str = "eu-west-1";
/// Where a chained flow's second pipeline lives.
const CHAIN_HOME: &str = "eu-west-1";
/// How many waves a chained flow's build pipeline deploys itself.
const CHAIN_SPLIT: usize = 2;

/// CDK Pipelines, self-mutating, then one CDK wave per entry of [`WAVES`].
/// The CDK stack id is the service's name in CamelCase (`CatalogApi`), so
/// that each region's stack (`UsEast1-CatalogApi`) is the service's own.
pub fn cdk_waves(owner: Owner) -> PipelineDeclaration {
    let Owner {
        service,
        account_id,
    } = owner;
    let stack = cdk_stage_name(service);
    let app = CdkApp {
        service,
        stack: &stack,
        home: CDK_HOME,
        account: account_id,
    };
    let mut stages = vec![
        github_source(account_id, service),
        stage(
            "Build",
            vec![codebuild("Synth", &format!("{service}-synth"), 1)],
        ),
        stage(
            "UpdatePipeline",
            vec![codebuild("SelfMutate", &format!("{service}-selfupdate"), 1)],
        ),
        stage(
            "Assets",
            vec![codebuild("FileAsset1", &format!("{service}-asset-1"), 1)],
        ),
    ];
    stages.extend(
        WAVES
            .iter()
            .map(|(wave, regions)| cdk_wave(wave, regions, app)),
    );
    decl(account_id, service, "V2", "SUPERSEDED", stages)
}

/// A hand-written pipeline: one stage per wave, each region's
/// infrastructure, change set and execution side by side.
pub fn cfn_waves(owner: Owner) -> PipelineDeclaration {
    let Owner {
        service,
        account_id,
    } = owner;
    let mut stages = vec![codecommit_source(service)];
    for (wave, regions) in WAVES {
        let actions = regions
            .iter()
            .flat_map(|region| {
                let place = Place {
                    region,
                    home: CFN_HOME,
                    account: account_id,
                };
                cross_region_cfn(place, service)
            })
            .collect();
        stages.push(stage(wave, actions));
    }
    decl(account_id, service, "V1", "SUPERSEDED", stages)
}

/// An active-active service: a stage per replica region.
pub fn active_active(owner: Owner, regions: &[&str]) -> PipelineDeclaration {
    let svc = Service {
        account: owner.account_id,
        pipeline: owner.service,
        repo: owner.service,
        stack: owner.service,
    };
    stage_per_region(svc, regions, regions.first().copied().unwrap_or(CDK_HOME))
}

/// A chained flow: a build pipeline in us-east-1 deploys the first waves
/// and publishes its artifact; S3 replication and an event rule start the
/// second pipeline in eu-west-1, which deploys the rest.
pub fn chained(owner: Owner) -> (PipelineDeclaration, PipelineDeclaration) {
    let Owner {
        service,
        account_id,
    } = owner;
    let (ours, theirs) = WAVES.split_at(CHAIN_SPLIT);
    let mut build = vec![
        github_source(account_id, service),
        stage(
            "Build",
            vec![codebuild("Package", &format!("{service}-package"), 1)],
        ),
    ];
    build.extend(
        ours.iter()
            .map(|(wave, regions)| deploy_wave(wave, regions, CDK_HOME, owner)),
    );
    if let Some(last) = build.last_mut() {
        let home = Place {
            region: CDK_HOME,
            home: CDK_HOME,
            account: account_id,
        };
        last.actions.push(publish_artifact(home, service, 2));
    }
    let mut intl = vec![replicated_source(service, CHAIN_HOME)];
    intl.extend(
        theirs
            .iter()
            .map(|(wave, regions)| deploy_wave(wave, regions, CHAIN_HOME, owner)),
    );
    (
        decl(
            account_id,
            &format!("{service}-build"),
            "V2",
            "SUPERSEDED",
            build,
        ),
        decl(account_id, &format!("{service}-intl"), "V1", "QUEUED", intl),
    )
}

/// One stage deploying the service's stack in each of `regions` at once.
fn deploy_wave(wave: &str, regions: &[&str], home: &str, owner: Owner) -> StageDeclaration {
    let actions = regions
        .iter()
        .map(|region| {
            let place = Place {
                region,
                home,
                account: owner.account_id,
            };
            let name = format!("Deploy{}", cdk_stage_name(region));
            cfn(&name, 1, place, owner.service, "CREATE_UPDATE")
        })
        .collect();
    stage(wave, actions)
}
