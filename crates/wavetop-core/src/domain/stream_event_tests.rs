use super::*;

fn envelope(source: &str, detail_type: &str, detail: &str) -> String {
    format!(
        r#"{{"version":"0","id":"ev-1","detail-type":"{detail_type}","source":"{source}","account":"111122223333","time":"2026-11-30T09:00:05Z","region":"eu-west-1","resources":[],"detail":{detail}}}"#
    )
}

#[test]
fn an_action_state_change_names_the_pipeline_stage_action_and_state() {
    let text = envelope(
        "aws.codepipeline",
        "CodePipeline Action Execution State Change",
        r#"{"pipeline":"checkout","execution-id":"e-42","stage":"Prod","action":"Deploy.eu-west-1","state":"SUCCEEDED","region":"eu-west-1"}"#,
    );
    let event = parse_event(&text).unwrap();
    assert_eq!(event.id, "ev-1");
    assert_eq!(event.region, "eu-west-1");
    assert_eq!(
        event.time,
        "2026-11-30T09:00:05Z".parse::<Timestamp>().unwrap()
    );
    assert_eq!(
        event.change,
        Change::Pipeline {
            pipeline: "checkout".into(),
            execution_id: Some("e-42".into()),
            stage: Some("Prod".into()),
            action: Some("Deploy.eu-west-1".into()),
            state: "SUCCEEDED".into(),
        }
    );
}

#[test]
fn a_stack_event_names_the_stack_from_its_id_and_a_resource_event_its_resource() {
    let stack = envelope(
        "aws.cloudformation",
        "CloudFormation Stack Status Change",
        r#"{"stack-id":"arn:aws:cloudformation:eu-west-1:111122223333:stack/checkout-eu/1f2e","status-details":{"status":"UPDATE_IN_PROGRESS"}}"#,
    );
    assert_eq!(
        parse_event(&stack).unwrap().change,
        Change::Stack {
            stack: "checkout-eu".into(),
            resource: None,
            resource_type: None,
            status: "UPDATE_IN_PROGRESS".into(),
            reason: None,
        }
    );
    let resource = envelope(
        "aws.cloudformation",
        "CloudFormation Resource Status Change",
        r#"{"stack-id":"checkout-eu","logical-resource-id":"Bucket","resource-type":"AWS::S3::Bucket","status-details":{"status":"CREATE_FAILED","status-reason":"checkout-eu-bucket already exists"}}"#,
    );
    assert_eq!(
        parse_event(&resource).unwrap().change,
        Change::Stack {
            stack: "checkout-eu".into(),
            resource: Some("Bucket".into()),
            resource_type: Some("AWS::S3::Bucket".into()),
            status: "CREATE_FAILED".into(),
            reason: Some("checkout-eu-bucket already exists".into()),
        }
    );
}

#[test]
fn an_alarm_event_carries_its_new_state() {
    let text = envelope(
        "aws.cloudwatch",
        "CloudWatch Alarm State Change",
        r#"{"alarmName":"checkout-5xx","state":{"value":"ALARM"}}"#,
    );
    assert_eq!(
        parse_event(&text).unwrap().change,
        Change::Alarm {
            alarm: "checkout-5xx".into(),
            state: "ALARM".into()
        }
    );
}

#[test]
fn what_is_not_a_followed_event_is_an_error_that_says_why() {
    assert!(
        parse_event("hello")
            .unwrap_err()
            .contains("not an EventBridge event")
    );
    let other = envelope("aws.s3", "Object Created", "{}");
    assert!(parse_event(&other).unwrap_err().contains("aws.s3"));
    let missing = envelope(
        "aws.codepipeline",
        "CodePipeline Stage Execution State Change",
        r#"{"state":"STARTED"}"#,
    );
    assert!(
        parse_event(&missing)
            .unwrap_err()
            .contains("detail.pipeline")
    );
}

#[test]
fn a_read_in_the_second_of_an_event_s_stamp_has_not_seen_it() {
    let text = envelope(
        "aws.codepipeline",
        "CodePipeline Action Execution State Change",
        r#"{"pipeline":"checkout","execution-id":"e-1","stage":"Prod","action":"Deploy","state":"SUCCEEDED"}"#,
    );
    let event = parse_event(&text).unwrap();
    let stamp = event.time;
    let later_that_second = stamp + jiff::SignedDuration::from_millis(900);
    assert!(!event.seen_by_read_at(later_that_second));
    assert!(event.seen_by_read_at(stamp + jiff::SignedDuration::from_secs(1)));
}
