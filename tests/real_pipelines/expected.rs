//! The grid each real pipeline definition must give, read off its template
//! by hand: the waves in order, whether each is a pre-deploy row, and per
//! wave the columns with the actions drawn in them by runOrder. Shared by
//! the derivation tests and the emulator tier.

/// One pipeline definition under `tests/fixtures/codepipeline/real/`.
pub struct RealPipeline {
    pub file: &'static str,
    pub home_region: &'static str,
    /// Column order of the grid.
    pub regions: &'static [&'static str],
    pub waves: &'static [ExpectedWave],
}

pub struct ExpectedWave {
    pub name: &'static str,
    pub pre_deploy: bool,
    /// Region -> action names, in the order the grid lists them.
    pub cells: &'static [(&'static str, &'static [&'static str])],
}

const fn wave(
    name: &'static str,
    pre_deploy: bool,
    cells: &'static [(&'static str, &'static [&'static str])],
) -> ExpectedWave {
    ExpectedWave {
        name,
        pre_deploy,
        cells,
    }
}

/// A Lambda invoke fetching the cloud assembly replaces the synth: a stage
/// before the first deploy, so pre-deploy whatever its name.
pub const LIFLIG_CLOUD_ASSEMBLY: RealPipeline = RealPipeline {
    file: "liflig-cdk-cloud-assembly",
    home_region: "eu-west-1",
    regions: &["eu-west-1"],
    waves: &[
        wave("Source", true, &[("eu-west-1", &["source"])]),
        wave(
            "PrepareCloudAssembly",
            true,
            &[("eu-west-1", &["cloud-assembly-lookup"])],
        ),
        wave("UpdatePipeline", true, &[("eu-west-1", &["SelfMutate"])]),
        wave("example", false, &[("eu-west-1", &["Deploy"])]),
    ],
};

/// Legacy CdkPipeline: dev at home (no `Region`), prod in us-east-1; each
/// stage's approval and shell step follow the one region its stack deploys to.
pub const PETSTORE: RealPipeline = RealPipeline {
    file: "petstore-legacy-cdkpipeline",
    home_region: "eu-central-1",
    regions: &["eu-central-1", "us-east-1"],
    waves: &[
        wave("Source", true, &[("eu-central-1", &["GithubSource"])]),
        wave("Build", true, &[("eu-central-1", &["Synth"])]),
        wave("UpdatePipeline", true, &[("eu-central-1", &["SelfMutate"])]),
        wave(
            "Assets",
            true,
            &[(
                "eu-central-1",
                &[
                    "FileAsset1",
                    "FileAsset2",
                    "FileAsset3",
                    "FileAsset4",
                    "FileAsset5",
                ],
            )],
        ),
        wave(
            "petstore-pipeline-dev",
            false,
            &[(
                "eu-central-1",
                &[
                    "petstore-stack-dev.Prepare",
                    "ManualApproval",
                    "petstore-stack-dev.Deploy",
                    "RunTestCommands",
                ],
            )],
        ),
        wave(
            "petstore-pipeline-prod",
            false,
            &[(
                "us-east-1",
                &[
                    "petstore-stack-prod.Prepare",
                    "ManualApproval",
                    "petstore-stack-prod.Deploy",
                    "RunTestCommands",
                ],
            )],
        ),
    ],
};

/// `addWave('MultiRegion')`: the us-east-1 stage runs at home without a
/// `Region`, the us-west-2 stage names its region.
pub const CDK_MULTI_REGION_WAVE: RealPipeline = RealPipeline {
    file: "cdk-multi-region-wave",
    home_region: "us-east-1",
    regions: &["us-east-1", "us-west-2"],
    waves: &[
        wave(
            "Source",
            true,
            &[("us-east-1", &["colifran_cdk-pipelines-demo"])],
        ),
        wave("Build", true, &[("us-east-1", &["Synth"])]),
        wave("UpdatePipeline", true, &[("us-east-1", &["SelfMutate"])]),
        wave(
            "MultiRegion",
            false,
            &[
                (
                    "us-east-1",
                    &["us-east-1.Queue1.Prepare", "us-east-1.Queue1.Deploy"],
                ),
                (
                    "us-west-2",
                    &["us-west-2.Queue1.Prepare", "us-west-2.Queue1.Deploy"],
                ),
            ],
        ),
    ],
};

/// Hand-written CloudFormation: one stage, two regions, both named.
pub const SYMPHONIA: RealPipeline = RealPipeline {
    file: "symphonia-multi-region",
    home_region: "us-east-1",
    regions: &["us-east-1", "us-west-2"],
    waves: &[
        wave("Source", true, &[("us-east-1", &["Source"])]),
        wave("Build", true, &[("us-east-1", &["Build"])]),
        wave(
            "Deploy",
            false,
            &[
                ("us-east-1", &["DeployToUsEast1"]),
                ("us-west-2", &["DeployToUsWest2"]),
            ],
        ),
    ],
};

/// Hand-written CloudFormation: Extract and Validate come before the first
/// deploy; each production stage gates its change set with an approval.
pub const AURORA: RealPipeline = RealPipeline {
    file: "aurora-multi-region",
    home_region: "ap-southeast-2",
    regions: &["us-east-1", "ap-southeast-2"],
    waves: &[
        wave(
            "CFNSource",
            true,
            &[("ap-southeast-2", &["CFNTemplateSource"])],
        ),
        wave("Extract", true, &[("ap-southeast-2", &["CodeBuild"])]),
        wave("Validate", true, &[("ap-southeast-2", &["CodeBuild"])]),
        wave(
            "Production-Predeployment-us-east-1",
            false,
            &[(
                "us-east-1",
                &[
                    "CreateProdPredeploymentChangeSet",
                    "ProdApproval",
                    "DeployProduction",
                ],
            )],
        ),
        wave(
            "Production-Deployment",
            false,
            &[(
                "ap-southeast-2",
                &["CreateProdChangeSet", "ProdApproval", "DeployProduction"],
            )],
        ),
        wave(
            "Production-Deployment-us-east-1",
            false,
            &[(
                "us-east-1",
                &["CreateProdChangeSet", "ProdApproval", "DeployProduction"],
            )],
        ),
    ],
};

/// CDK `aws-codepipeline` actions: deploys name the home region too; the
/// self-update deploys the pipeline's own stack, so it is the first deploy
/// stage; the backup deploys to eu-west-1.
pub const SERVICE_BACKUP_REGION: RealPipeline = RealPipeline {
    file: "service-backup-region",
    home_region: "us-east-1",
    regions: &["us-east-1", "eu-west-1"],
    waves: &[
        wave(
            "Source",
            true,
            &[("us-east-1", &["pipeline-source", "service-source"])],
        ),
        wave(
            "Build",
            true,
            &[("us-east-1", &["CDK_Build", "Service_Build"])],
        ),
        wave(
            "Pipeline_Update",
            false,
            &[("us-east-1", &["Pipeline_Update"])],
        ),
        wave(
            "Test",
            false,
            &[("us-east-1", &["Service_Update", "Integration_Test"])],
        ),
        wave(
            "CrossAccountTest",
            false,
            &[("us-east-1", &["Service_Update"])],
        ),
        wave("Prod", false, &[("us-east-1", &["Service_Update"])]),
        wave("ProdBackup", false, &[("eu-west-1", &["Service_Update"])]),
    ],
};

/// `sam pipeline init`: the self-update is the first stage deploying
/// anything; every later stage runs its CodeBuild projects at home.
pub const SAM_TWO_STAGE: RealPipeline = RealPipeline {
    file: "sam-two-stage",
    home_region: "eu-west-1",
    regions: &["eu-west-1"],
    waves: &[
        wave("Source", true, &[("eu-west-1", &["SourceCodeRepo"])]),
        wave(
            "UpdatePipeline",
            true,
            &[("eu-west-1", &["CreateChangeSet", "ExecuteChangeSet"])],
        ),
        wave("UnitTest", false, &[("eu-west-1", &["UnitTest"])]),
        wave("BuildAndPackage", false, &[("eu-west-1", &["CodeBuild"])]),
        wave(
            "DeployTestStage",
            false,
            &[("eu-west-1", &["DeployTestStage", "IntegrationTest"])],
        ),
        wave(
            "DeployProdStage",
            false,
            &[("eu-west-1", &["ManualApprovalAction", "DeployProdStage"])],
        ),
    ],
};

/// V2 `Commands` actions behind `beforeEntry` conditions and no deploy or
/// approval action anywhere: only the Source stage is pre-deploy.
pub const COMMANDS_V2_CONDITIONS: RealPipeline = RealPipeline {
    file: "commands-v2-conditions",
    home_region: "ap-south-1",
    regions: &["ap-south-1"],
    waves: &[
        wave("Source", true, &[("ap-south-1", &["Source"])]),
        wave("CodeCheck", false, &[("ap-south-1", &["Lint", "Test"])]),
        wave("SonarCheck", false, &[("ap-south-1", &["Sonarscan"])]),
        wave("Deploy", false, &[("ap-south-1", &["AppDeploy"])]),
    ],
};

/// Serverless Framework from Terraform: one CodeBuild stage runs the deploy.
pub const SERVERLESS_TERRAFORM: RealPipeline = RealPipeline {
    file: "serverless-framework-terraform",
    home_region: "us-east-1",
    regions: &["us-east-1"],
    waves: &[
        wave("Source", true, &[("us-east-1", &["Source"])]),
        wave("Build-and-Deploy", false, &[("us-east-1", &["Build"])]),
    ],
};

pub const ALL: [&RealPipeline; 9] = [
    &LIFLIG_CLOUD_ASSEMBLY,
    &PETSTORE,
    &CDK_MULTI_REGION_WAVE,
    &SYMPHONIA,
    &AURORA,
    &SERVICE_BACKUP_REGION,
    &SAM_TWO_STAGE,
    &COMMANDS_V2_CONDITIONS,
    &SERVERLESS_TERRAFORM,
];

/// A grid as plain names, to compare with an expectation: (column order,
/// per wave (name, pre-deploy, [(region, [action names])])).
pub type Shape = (Vec<String>, Vec<(String, bool, Vec<(String, Vec<String>)>)>);

impl RealPipeline {
    pub fn shape(&self) -> Shape {
        let waves = self
            .waves
            .iter()
            .map(|w| {
                let cells = w
                    .cells
                    .iter()
                    .map(|(region, actions)| {
                        (
                            region.to_string(),
                            actions.iter().map(|a| a.to_string()).collect(),
                        )
                    })
                    .collect();
                (w.name.to_string(), w.pre_deploy, cells)
            })
            .collect();
        (self.regions.iter().map(|r| r.to_string()).collect(), waves)
    }

    pub fn path(&self) -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/codepipeline/real")
            .join(format!("{}.json", self.file))
    }
}
