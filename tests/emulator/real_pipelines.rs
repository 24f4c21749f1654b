//! The real pipeline definitions created in moto exactly as their templates
//! declare them (CreatePipeline through the aws CLI, in each one's home
//! region, artifact stores per region and all), then the binary's snapshot
//! compared with the grids read off the templates by hand.

use super::*;

#[path = "../real_pipelines/expected.rs"]
mod expected;

/// The snapshot's grid of one flow, as plain names (see `expected::Shape`).
fn shape_of(flow: &Value) -> expected::Shape {
    let regions = items(&flow["regions"])
        .iter()
        .map(|r| text(r).to_string())
        .collect();
    let waves = items(&flow["waves"])
        .iter()
        .map(|w| {
            let cells = items(&w["cells"])
                .iter()
                .map(|c| {
                    let actions = items(&c["actions"])
                        .iter()
                        .map(|a| text(&a["name"]).to_string())
                        .collect();
                    (text(&c["region"]).to_string(), actions)
                })
                .collect();
            (text(&w["name"]).to_string(), flag(&w["pre_deploy"]), cells)
        })
        .collect();
    (regions, waves)
}

fn toml_list<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values
        .into_iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
fn real_pipelines_are_drawn_as_their_templates_say() {
    let url = emulator();
    let exe = aws_cli();
    let tag = format!("r{}", unique());
    let sandbox = Sandbox::new(&tag);
    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    let role = create_pipeline_role(&url, &format!("real-pipelines-{tag}"));
    let mut names = Vec::new();
    for pipeline in expected::ALL {
        let mut doc: Value =
            serde_json::from_str(&fs::read_to_string(pipeline.path()).unwrap()).unwrap();
        let name = format!("{}-{tag}", text(&doc["pipeline"]["name"]));
        doc["pipeline"]["name"] = Value::from(name.as_str());
        doc["pipeline"]["roleArn"] = Value::from(role.as_str());
        let input = sandbox.root.join(format!("{}.json", pipeline.file));
        fs::write(&input, doc.to_string()).unwrap();
        let input_arg = format!("file://{}", input.display());
        cli.call(
            pipeline.home_region,
            &[
                "codepipeline",
                "create-pipeline",
                "--cli-input-json",
                &input_arg,
            ],
        );
        names.push(name);
    }

    let homes: BTreeSet<&str> = expected::ALL.iter().map(|p| p.home_region).collect();
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [{}]\npipelines = [{}]\n",
        toml_list(homes),
        toml_list(names.iter().map(String::as_str)),
    ));
    let out = sandbox.wavetop(&url, &config, &["snapshot", "--json"]);
    // moto has no GetPipelineState (the states are unknown, the structure is
    // whole) and its CloudWatch does not speak the SDK's protocol.
    let snapshot = snapshot_within_gaps(
        &out,
        &[
            "codepipeline:GetPipelineState",
            "cloudwatch:GetMetricData",
            "source:health",
        ],
    );

    let stacks: BTreeSet<(&str, &str)> = items(&snapshot["stacks"])
        .iter()
        .map(|s| (text(&s["region"]), text(&s["name"])))
        .collect();
    for (pipeline, name) in expected::ALL.iter().zip(&names) {
        let flow = items(&snapshot["pipelines"])
            .iter()
            .find(|f| f["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} is in the snapshot"));
        assert_eq!(
            flow["pipelines"][0]["home_region"], pipeline.home_region,
            "{name}"
        );
        assert_eq!(shape_of(flow), pipeline.shape(), "{}", pipeline.file);
        // The stacks polled are the ones the grid draws, where they run.
        for action in items(&flow["waves"])
            .iter()
            .flat_map(|w| items(&w["cells"]))
            .flat_map(|c| items(&c["actions"]))
            .filter(|a| a["stack_name"].is_string())
        {
            let at = (text(&action["region"]), text(&action["stack_name"]));
            assert!(stacks.contains(&at), "{name}: stack {at:?} is polled");
        }
    }
}
