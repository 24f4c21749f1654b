use super::*;

/// One region of each partition, with the console origin its regional pages
/// use and the ARN partition.
const PARTITIONS: [(&str, &str, &str); 3] = [
    (
        "us-east-1",
        "https://us-east-1.console.aws.amazon.com",
        "aws",
    ),
    ("cn-north-1", "https://console.amazonaws.cn", "aws-cn"),
    (
        "us-gov-west-1",
        "https://console.amazonaws-us-gov.com",
        "aws-us-gov",
    ),
];

const ACCOUNT: &str = "111122223333";

#[test]
fn the_partition_follows_the_region_name() {
    assert_eq!(Partition::of_region("eu-west-1"), Partition::Aws);
    assert_eq!(Partition::of_region("cn-northwest-1"), Partition::China);
    assert_eq!(Partition::of_region("us-gov-east-1"), Partition::GovCloud);
    // A commercial region that merely starts like one is still commercial.
    assert_eq!(Partition::of_region("us-east-2"), Partition::Aws);
}

#[test]
fn a_pipeline_links_to_its_page_and_its_arn() {
    for (region, origin, partition) in PARTITIONS {
        let r = Resource::Pipeline {
            region,
            account: ACCOUNT,
            name: "search",
        };
        assert_eq!(
            r.url(),
            format!("{origin}/codesuite/codepipeline/pipelines/search/view?region={region}")
        );
        assert_eq!(
            r.arn_or_id(),
            format!("arn:{partition}:codepipeline:{region}:{ACCOUNT}:search")
        );
    }
}

#[test]
fn a_pipeline_of_an_unknown_account_copies_its_name() {
    let r = Resource::Pipeline {
        region: "us-east-1",
        account: "",
        name: "search",
    };
    assert_eq!(r.arn_or_id(), "search");
}

#[test]
fn an_execution_and_a_stage_link_to_the_execution_diagram() {
    for (region, origin, _) in PARTITIONS {
        let want = format!(
            "{origin}/codesuite/codepipeline/pipelines/search/executions/e-1/visualization?region={region}"
        );
        let execution = Resource::Execution {
            region,
            pipeline: "search",
            id: "e-1",
        };
        let stage = Resource::Stage {
            region,
            pipeline: "search",
            execution: "e-1",
            stage: "Americas",
        };
        assert_eq!(execution.url(), want);
        assert_eq!(stage.url(), want);
        assert_eq!(execution.arn_or_id(), "e-1");
        assert_eq!(stage.arn_or_id(), "e-1");
    }
}

#[test]
fn an_action_links_to_the_execution_timeline() {
    for (region, origin, _) in PARTITIONS {
        let r = Resource::Action {
            region,
            pipeline: "search",
            execution: "e-1",
            action: "Deploy",
        };
        assert_eq!(
            r.url(),
            format!(
                "{origin}/codesuite/codepipeline/pipelines/search/executions/e-1/timeline?region={region}"
            )
        );
        assert_eq!(r.arn_or_id(), "e-1");
    }
}

#[test]
fn a_stack_links_to_its_info_and_its_events_with_the_id_encoded() {
    for (region, origin, partition) in PARTITIONS {
        let id = format!("arn:{partition}:cloudformation:{region}:{ACCOUNT}:stack/web/abc");
        let encoded = format!(
            "arn%3A{partition}%3Acloudformation%3A{region}%3A{ACCOUNT}%3Astack%2Fweb%2Fabc"
        );
        let info = Resource::Stack { region, id: &id };
        let events = Resource::StackEvents { region, id: &id };
        assert_eq!(
            info.url(),
            format!(
                "{origin}/cloudformation/home?region={region}#/stacks/stackinfo?stackId={encoded}"
            )
        );
        assert_eq!(
            events.url(),
            format!(
                "{origin}/cloudformation/home?region={region}#/stacks/events?stackId={encoded}"
            )
        );
        assert_eq!(info.arn_or_id(), id);
    }
}

#[test]
fn a_health_check_links_to_the_global_route53_page_of_its_partition() {
    for (region, want) in [
        ("eu-west-1", "https://console.aws.amazon.com"),
        ("cn-north-1", "https://console.amazonaws.cn"),
        ("us-gov-west-1", "https://console.amazonaws-us-gov.com"),
    ] {
        let r = Resource::HealthCheck { region, id: "hc-1" };
        assert_eq!(
            r.url(),
            format!("{want}/route53/healthchecks/home#/details/hc-1")
        );
        assert_eq!(r.arn_or_id(), "hc-1");
    }
}

#[test]
fn an_alarm_links_to_its_page_and_its_arn_with_the_name_encoded() {
    for (region, origin, partition) in PARTITIONS {
        let r = Resource::Alarm {
            region,
            account: ACCOUNT,
            name: "p99 latency/web",
        };
        assert_eq!(
            r.url(),
            format!("{origin}/cloudwatch/home?region={region}#alarmsV2:alarm/p99%20latency%2Fweb")
        );
        assert_eq!(
            r.arn_or_id(),
            format!("arn:{partition}:cloudwatch:{region}:{ACCOUNT}:alarm:p99 latency/web")
        );
    }
}

#[test]
fn a_table_links_to_its_page_and_its_arn() {
    for (region, origin, partition) in PARTITIONS {
        let r = Resource::Table {
            region,
            account: ACCOUNT,
            name: "orders",
        };
        assert_eq!(
            r.url(),
            format!("{origin}/dynamodbv2/home?region={region}#table?name=orders")
        );
        assert_eq!(
            r.arn_or_id(),
            format!("arn:{partition}:dynamodb:{region}:{ACCOUNT}:table/orders")
        );
    }
}

#[test]
fn encoding_keeps_unreserved_characters_and_escapes_the_rest_by_byte() {
    assert_eq!(encode("a-Z_0.~"), "a-Z_0.~");
    assert_eq!(encode("a b/c:d?e#f&"), "a%20b%2Fc%3Ad%3Fe%23f%26");
    assert_eq!(encode("é"), "%C3%A9");
}
