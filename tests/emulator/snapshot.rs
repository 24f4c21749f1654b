//! The binary's snapshot, field for field against the aws CLI.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn the_binarys_snapshot_agrees_with_the_aws_cli() {
    let url = emulator();
    let exe = aws_cli();
    let tag = format!("s{}", unique());
    // A home region no other test lists pipelines in: what ListPipelines
    // returns there is this test's alone.
    let home = "ca-central-1";
    let pipeline = format!("web-{tag}");
    seed_pipeline(&url, home, &pipeline, &pipeline).await;
    let ireland = format!("{pipeline}-eu-west-1");
    let oregon = format!("{pipeline}-us-west-2");
    seed_stack(&url, "eu-west-1", &ireland).await;
    update_stack(&url, "eu-west-1", &ireland).await;
    seed_stack(&url, "us-west-2", &oregon).await;
    let billing = format!("billing-{tag}");
    seed_stack(&url, "ap-southeast-2", &billing).await;
    let zone = seed_zone(&url, &tag).await;

    let sandbox = Sandbox::new(&tag);
    let config = sandbox.config(&format!(
        r#"[aws]
home_regions = ["{home}"]
hosted_zones = ["{zone}"]

[[aws.stacks]]
flow = "{billing}"
region = "ap-southeast-2"
name = "{billing}"
"#,
        zone = zone.name.trim_end_matches('.'),
    ));
    let out = sandbox.wavetop(&url, &config, &["snapshot", "--json"]);
    // moto lacks GetPipelineState, and its CloudWatch does not speak the
    // SDK's protocol: the snapshot is partial and says exactly that.
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    let snapshot: Value = serde_json::from_slice(&out.stdout).expect("snapshot JSON");
    assert_eq!(snapshot["version"], 2);
    let errors: Vec<(&str, &str, &str)> = items(&snapshot["errors"])
        .iter()
        .map(|e| (text(&e["source"]), text(&e["call"]), text(&e["region"])))
        .collect();
    let source = format!("pipeline {pipeline}");
    assert_eq!(
        errors,
        [
            (source.as_str(), "codepipeline:GetPipelineState", home),
            ("health", "cloudwatch:GetMetricData", "us-east-1"),
        ]
    );

    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    pipelines_agree(&cli, home, &snapshot, &pipeline);
    stacks_agree(
        &cli,
        &snapshot,
        &[
            ("eu-west-1", ireland.as_str()),
            ("us-west-2", oregon.as_str()),
        ],
        ("ap-southeast-2", billing.as_str()),
    );
    health_checks_agree(&cli, &snapshot, &zone);
    record_sets_agree(&cli, &snapshot, &zone);
}

/// Pipeline names, each pipeline's version, stages (waves) and actions with
/// their regions, providers, run orders and stacks, and its executions.
fn pipelines_agree(cli: &AwsCli, home: &str, snapshot: &Value, seeded: &str) {
    let listing = cli.call(home, &["codepipeline", "list-pipelines"]);
    let listed: BTreeSet<&str> = items(&listing["pipelines"])
        .iter()
        .map(|p| text(&p["name"]))
        .collect();
    let flows: Vec<&Value> = items(&snapshot["pipelines"])
        .iter()
        .filter(|f| f["kind"] == "pipeline")
        .collect();
    let reported: BTreeSet<&str> = flows
        .iter()
        .flat_map(|f| items(&f["pipelines"]))
        .map(|p| text(&p["name"]))
        .collect();
    assert_eq!(reported, listed, "pipeline names");
    assert!(reported.contains(seeded));

    let caller = cli.call(home, &["sts", "get-caller-identity"]);
    for flow in flows {
        for meta in items(&flow["pipelines"]) {
            let name = text(&meta["name"]);
            assert_eq!(meta["home_region"], home);
            assert_eq!(meta["account"], caller["Account"], "{name} account");
            let doc = cli.call(home, &["codepipeline", "get-pipeline", "--name", name]);
            let decl = &doc["pipeline"];
            assert_eq!(meta["version"], decl["version"], "{name} version");
            if let Some(kind) = decl.get("pipelineType") {
                assert_eq!(&meta["pipeline_type"], kind, "{name} type");
            }
            if let Some(mode) = decl.get("executionMode") {
                assert_eq!(&meta["execution_mode"], mode, "{name} execution mode");
            }
            let waves: Vec<&Value> = items(&flow["waves"])
                .iter()
                .filter(|w| w["pipeline"] == name)
                .collect();
            let stages = items(&decl["stages"]);
            assert_eq!(
                waves.iter().map(|w| text(&w["name"])).collect::<Vec<_>>(),
                stages.iter().map(|s| text(&s["name"])).collect::<Vec<_>>(),
                "{name}: waves are its stages in order"
            );
            for (wave, stage) in waves.iter().zip(stages) {
                let mut declared: Vec<(String, String, String, String, i64, String)> =
                    items(&stage["actions"])
                        .iter()
                        .map(|a| {
                            (
                                text(&a["name"]).to_string(),
                                a["region"].as_str().unwrap_or(home).to_string(),
                                text(&a["actionTypeId"]["provider"]).to_string(),
                                text(&a["actionTypeId"]["category"]).to_string(),
                                a["runOrder"].as_i64().unwrap_or(1),
                                text(&a["configuration"]["StackName"]).to_string(),
                            )
                        })
                        .collect();
                let mut shown: Vec<(String, String, String, String, i64, String)> =
                    items(&wave["cells"])
                        .iter()
                        .flat_map(|cell| {
                            items(&cell["actions"]).iter().map(move |a| {
                                assert_eq!(
                                    a["region"], cell["region"],
                                    "an action sits in its region's column"
                                );
                                (
                                    text(&a["name"]).to_string(),
                                    text(&a["region"]).to_string(),
                                    text(&a["provider"]).to_string(),
                                    text(&a["category"]).to_string(),
                                    a["run_order"].as_i64().unwrap_or(-1),
                                    text(&a["stack_name"]).to_string(),
                                )
                            })
                        })
                        .collect();
                declared.sort();
                shown.sort();
                assert_eq!(shown, declared, "{name}/{}", text(&stage["name"]));
            }

            let runs = cli.call(
                home,
                &[
                    "codepipeline",
                    "list-pipeline-executions",
                    "--pipeline-name",
                    name,
                ],
            );
            let mut listed: Vec<(&str, &str, &str)> = items(&runs["pipelineExecutionSummaries"])
                .iter()
                .map(|e| {
                    (
                        text(&e["pipelineExecutionId"]),
                        text(&e["status"]),
                        text(&e["trigger"]["triggerType"]),
                    )
                })
                .collect();
            let mut shown: Vec<(&str, &str, &str)> = items(&flow["executions"])
                .iter()
                .filter(|e| e["pipeline"] == name)
                .map(|e| (text(&e["id"]), text(&e["status"]), text(&e["trigger"])))
                .collect();
            assert!(!listed.is_empty(), "{name} was started once");
            listed.sort();
            shown.sort();
            assert_eq!(shown, listed, "{name} executions");
            for theirs in items(&runs["pipelineExecutionSummaries"]) {
                let ours = items(&flow["executions"])
                    .iter()
                    .find(|e| e["id"] == theirs["pipelineExecutionId"])
                    .expect("the execution");
                // moto's ISO times reach wavetop as epoch seconds: equal to the millisecond.
                for (mine, cli_field) in [
                    ("started_at", "startTime"),
                    ("updated_at", "lastUpdateTime"),
                ] {
                    let gap = instant(&ours[mine]).duration_since(instant(&theirs[cli_field]));
                    assert!(
                        gap.abs() < jiff::SignedDuration::from_millis(1),
                        "{name} {mine}: {gap}"
                    );
                }
            }
        }
    }
}

/// Every tracked stack: status, reason, and its events newest first. The
/// stacks tracked are the ones the pipelines' actions name (in the action's
/// region) and the configured one, and no others.
fn stacks_agree(cli: &AwsCli, snapshot: &Value, seeded: &[(&str, &str)], configured: (&str, &str)) {
    let stacks = items(&snapshot["stacks"]);
    let reported: BTreeSet<(&str, &str, &str)> = stacks
        .iter()
        .map(|s| (text(&s["flow"]), text(&s["region"]), text(&s["name"])))
        .collect();
    let mut deployed: BTreeSet<(&str, &str, &str)> = items(&snapshot["pipelines"])
        .iter()
        .flat_map(|f| {
            items(&f["waves"])
                .iter()
                .flat_map(|w| items(&w["cells"]))
                .flat_map(|c| items(&c["actions"]))
                .filter(|a| a["stack_name"].is_string())
                .map(move |a| (text(&f["name"]), text(&a["region"]), text(&a["stack_name"])))
        })
        .collect();
    deployed.insert((configured.1, configured.0, configured.1));
    assert_eq!(reported, deployed, "tracked stacks");
    for (region, name) in seeded.iter().chain([&configured]) {
        assert!(
            reported.iter().any(|(_, r, n)| r == region && n == name),
            "{name} in {region} is tracked"
        );
    }
    for stack in stacks {
        let (region, name) = (text(&stack["region"]), text(&stack["name"]));
        let describe_args = ["cloudformation", "describe-stacks", "--stack-name", name];
        if stack["status"] == "DOES_NOT_EXIST" {
            // A pipeline may name a stack not deployed yet.
            assert!(cli.refuses(region, &describe_args), "{name} exists");
            continue;
        }
        let described = cli.call(region, &describe_args);
        let described = &described["Stacks"][0];
        assert_eq!(stack["status"], described["StackStatus"], "{name} status");
        assert_eq!(
            stack["status_reason"].as_str(),
            described["StackStatusReason"].as_str(),
            "{name} status reason"
        );
        let listed = cli.call(
            region,
            &[
                "cloudformation",
                "describe-stack-events",
                "--stack-name",
                name,
            ],
        );
        let listed = items(&listed["StackEvents"]);
        let shown = items(&stack["events"]);
        assert!(!shown.is_empty(), "{name} has events");
        assert_eq!(
            shown
                .iter()
                .map(|e| text(&e["event_id"]))
                .collect::<Vec<_>>(),
            listed
                .iter()
                .map(|e| text(&e["EventId"]))
                .collect::<Vec<_>>(),
            "{name} event ids, newest first"
        );
        for (ours, theirs) in shown.iter().zip(listed) {
            assert_eq!(ours["logical_id"], theirs["LogicalResourceId"]);
            assert_eq!(ours["resource_type"], theirs["ResourceType"]);
            assert_eq!(ours["status"], theirs["ResourceStatus"]);
            assert_eq!(
                ours["reason"].as_str(),
                theirs["ResourceStatusReason"].as_str()
            );
            assert_eq!(instant(&ours["timestamp"]), instant(&theirs["Timestamp"]));
        }
    }
}

/// Every reported check exists; the seeded ones agree on their flags and target.
fn health_checks_agree(cli: &AwsCli, snapshot: &Value, zone: &Zone) {
    let listed = cli.call("us-east-1", &["route53", "list-health-checks"]);
    let listed: BTreeMap<&str, &Value> = items(&listed["HealthChecks"])
        .iter()
        .map(|h| (text(&h["Id"]), &h["HealthCheckConfig"]))
        .collect();
    let reported = items(&snapshot["health"]["checks"]);
    for check in reported {
        assert!(
            listed.contains_key(text(&check["id"])),
            "{} is not in Route53",
            check["id"]
        );
    }
    // Only the seeded checks: another test may flip its own checks meanwhile.
    for id in zone.api_checks.iter().chain([&zone.primary_check]) {
        let ours = reported
            .iter()
            .find(|c| c["id"] == id.as_str())
            .unwrap_or_else(|| panic!("check {id} missing from the snapshot"));
        let theirs = listed[id.as_str()];
        assert_eq!(
            flag(&ours["inverted"]),
            flag(&theirs["Inverted"]),
            "{id} Inverted"
        );
        assert_eq!(
            flag(&ours["disabled"]),
            flag(&theirs["Disabled"]),
            "{id} Disabled"
        );
        // CloudWatch holds no HealthCheckStatus point for these checks, so
        // their status is not known.
        assert_eq!(status_points(cli, id), Vec::<f64>::new());
        assert_eq!(ours["status"], "unknown", "{id}");
        assert_eq!(theirs["Type"], "HTTPS");
        assert_eq!(
            text(&ours["target"]),
            format!(
                "https://{}:{}{}",
                text(&theirs["FullyQualifiedDomainName"]),
                theirs["Port"],
                text(&theirs["ResourcePath"])
            ),
            "{id} target"
        );
    }
}

/// The aws CLI's reading of `HealthCheckStatus` for one check: its values
/// over the last ten minutes, as wavetop asks for them.
pub(crate) fn status_points(cli: &AwsCli, id: &str) -> Vec<f64> {
    let now = jiff::Timestamp::now();
    let query = serde_json::json!([{
        "Id": "h0",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/Route53",
                "MetricName": "HealthCheckStatus",
                "Dimensions": [{"Name": "HealthCheckId", "Value": id}],
            },
            "Period": 60,
            "Stat": "Minimum",
        },
    }]);
    let answer = cli.call(
        "us-east-1",
        &[
            "cloudwatch",
            "get-metric-data",
            "--metric-data-queries",
            &query.to_string(),
            "--start-time",
            &(now - jiff::SignedDuration::from_mins(10)).to_string(),
            "--end-time",
            &now.to_string(),
        ],
    );
    items(&answer["MetricDataResults"][0]["Values"])
        .iter()
        .filter_map(Value::as_f64)
        .collect()
}

/// The zone's routed records: identifier, policy, region or failover role,
/// health check; plain records (SOA, NS) carry no routing and are left out.
fn record_sets_agree(cli: &AwsCli, snapshot: &Value, zone: &Zone) {
    let zones = cli.call(
        "us-east-1",
        &[
            "route53",
            "list-hosted-zones-by-name",
            "--dns-name",
            &zone.name,
        ],
    );
    let zone_id = items(&zones["HostedZones"])
        .iter()
        .find(|z| z["Name"] == zone.name.as_str())
        .map(|z| text(&z["Id"]).to_string())
        .expect("the seeded zone");
    let sets = cli.call(
        "us-east-1",
        &[
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            &zone_id,
        ],
    );
    let routed: Vec<&Value> = items(&sets["ResourceRecordSets"])
        .iter()
        .filter(|s| s.get("SetIdentifier").is_some())
        .collect();
    assert_eq!(routed.len(), 4, "the seeded latency and failover records");
    let reported = items(&snapshot["health"]["record_sets"]);
    let checks = items(&snapshot["health"]["checks"]);
    assert_eq!(
        reported
            .iter()
            .map(|s| items(&s["records"]).len())
            .sum::<usize>(),
        routed.len(),
        "one reported record per routed record"
    );
    for theirs in routed {
        let set = reported
            .iter()
            .find(|s| s["name"] == theirs["Name"] && s["record_type"] == theirs["Type"])
            .unwrap_or_else(|| panic!("no record set {} {}", theirs["Name"], theirs["Type"]));
        let ours = items(&set["records"])
            .iter()
            .find(|r| r["set_identifier"] == theirs["SetIdentifier"])
            .unwrap_or_else(|| panic!("no record {}", theirs["SetIdentifier"]));
        assert_eq!(
            ours["health_check_id"].as_str(),
            theirs["HealthCheckId"].as_str(),
            "{} health check",
            theirs["SetIdentifier"]
        );
        match (theirs.get("Region"), theirs.get("Failover")) {
            (Some(region), None) => {
                assert_eq!(set["policy"], "latency");
                assert_eq!(&ours["routing_detail"], region);
                assert_eq!(&ours["region"], region);
                // The check guarding a latency record is that record's region's.
                let check = checks
                    .iter()
                    .find(|c| c["id"] == theirs["HealthCheckId"])
                    .expect("the guarding check");
                assert_eq!(&check["region"], region);
            }
            (None, Some(role)) => {
                assert_eq!(set["policy"], "failover");
                assert_eq!(&ours["routing_detail"], role);
                // Route53 names no region for a failover record; the one
                // reported is the region its identifier names.
                let region = text(&ours["region"]);
                assert!(
                    !region.is_empty() && text(&theirs["SetIdentifier"]).ends_with(region),
                    "{ours}"
                );
            }
            other => panic!("a seeded record is latency or failover: {other:?}"),
        }
    }
}
