//! Holds released by EventBridge Scheduler, through the real binary against
//! moto (Scheduler) and the stand-in (CodePipeline): a hold until a window
//! creates the one-time schedule that opens the stage at the window's
//! opening on the region's wall clock, read back with the aws CLI; release
//! deletes it.

use jiff::tz::TimeZone;
use wavetop::domain::hold_schedule::schedule_name;

use super::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/wavetop-scheduler";

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_hold_until_a_window_creates_its_schedule_and_release_deletes_it() {
    let url = emulator();
    let mut bench = Bench::new(&url, "sched", "gates-waiting.json").await;
    let group = format!("wavetop-holds-{}", unique());
    // A daily window kept in Tokyo's time (UTC+9, no DST), opening two hours from now.
    let zone = "Asia/Tokyo";
    let at = |hours| {
        (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours))
            .to_zoned(TimeZone::get(zone).unwrap())
    };
    let (opens, closes) = (at(2), at(3));
    bench.configure(&format!(
        "[scheduler]\nrole_arn = \"{ROLE}\"\ngroup = \"{group}\"\n\
         [windows.us-west-2]\ntime_zone = \"{zone}\"\nopen = \"{}\"\nclose = \"{}\"\n",
        opens.strftime("%H:%M"),
        closes.strftime("%H:%M"),
    ));

    let cli = AwsCli::new(url.clone(), &bench.sandbox);
    cli.call(
        HOME,
        &["scheduler", "create-schedule-group", "--name", &group],
    );
    let out = bench.done("hold --wave America --until-window us-west-2 --yes", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("scheduler:CreateSchedule"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        bench.state().stage("America")["inboundTransitionState"]["enabled"],
        false
    );

    let name = schedule_name(&bench.pipeline, "America");
    let get_schedule = [
        "scheduler",
        "get-schedule",
        "--name",
        &name,
        "--group-name",
        &group,
    ];
    let schedule = cli.call(HOME, &get_schedule);
    assert_eq!(
        schedule["ScheduleExpression"],
        format!("at({})", opens.strftime("%Y-%m-%dT%H:%M:00")),
        "{schedule:#}"
    );
    assert_eq!(schedule["ScheduleExpressionTimezone"], zone);
    assert_eq!(schedule["ActionAfterCompletion"], "DELETE");
    assert_eq!(schedule["FlexibleTimeWindow"]["Mode"], "OFF");
    let target = &schedule["Target"];
    assert_eq!(
        target["Arn"],
        "arn:aws:scheduler:::aws-sdk:codepipeline:enableStageTransition"
    );
    assert_eq!(target["RoleArn"], ROLE);
    let input: Value = serde_json::from_str(text(&target["Input"])).unwrap();
    assert_eq!(
        input,
        json!({
            "PipelineName": bench.pipeline,
            "StageName": "America",
            "TransitionType": "Inbound",
        })
    );

    // `snapshot --json` reads the schedule back (ListSchedules, GetSchedule)
    // and puts it on the held wave.
    // Exit 3 (partial) is allowed: the emulator is shared with other tests,
    // and parts of the fleet they leave behind (health checks, whose metrics
    // moto cannot serve) may fail. The schedule read itself must not.
    let out = bench.wavetop(&["snapshot", "--json"]);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        describe(&out)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        items(&doc["errors"]).iter().all(|e| !e["source"]
            .as_str()
            .unwrap_or_default()
            .starts_with("hold schedules")),
        "{doc:#}"
    );
    let america = items(&doc["pipelines"])
        .iter()
        .flat_map(|f| items(&f["waves"]))
        .find(|w| w["name"] == "America")
        .cloned()
        .unwrap_or_else(|| panic!("the held wave: {doc:#}"));
    assert_eq!(
        america["schedule"],
        json!({
            "state": "scheduled",
            "name": name,
            "at": opens.strftime("%Y-%m-%dT%H:%M:00").to_string(),
            "time_zone": zone,
        }),
        "{america:#}"
    );
    let out = bench.wavetop(&["snapshot"]);
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        describe(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!(
            "America held · opens {} {zone} (scheduled)",
            opens.strftime("%H:%M")
        )),
        "{}",
        describe(&out)
    );

    bench.done("release --wave America --yes", &[]);
    assert_eq!(
        bench.state().stage("America")["inboundTransitionState"]["enabled"],
        true
    );
    let gone = cli.run(HOME, &get_schedule);
    assert!(!gone.status.success(), "deleted: {}", describe(&gone));
    assert!(
        String::from_utf8_lossy(&gone.stderr).contains("ResourceNotFound"),
        "{}",
        describe(&gone)
    );

    let pairs = assert_audited(
        &bench.audit(),
        &[
            "codepipeline:DisableStageTransition",
            "scheduler:CreateSchedule",
            "codepipeline:EnableStageTransition",
            "scheduler:DeleteSchedule",
        ],
        "ok",
    );
    assert_eq!(pairs[1].0["call"]["name"], name.as_str());
    assert_eq!(pairs[3].0["call"]["group"], group.as_str());
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn read_only_refuses_the_hold_and_its_schedule_before_either_reaches_aws() {
    let url = emulator();
    let mut bench = Bench::new(&url, "schedro", "gates-waiting.json").await;
    let group = format!("wavetop-holds-{}", unique());
    let at = |hours| {
        (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours)).to_zoned(TimeZone::UTC)
    };
    bench.configure(&format!(
        "read_only = true\n[scheduler]\nrole_arn = \"{ROLE}\"\ngroup = \"{group}\"\n\
         [windows.us-west-2]\ntime_zone = \"UTC\"\nopen = \"{}\"\nclose = \"{}\"\n",
        at(2).strftime("%H:%M"),
        at(3).strftime("%H:%M"),
    ));
    let out = bench.run("hold --wave America --until-window us-west-2 --yes", &[]);
    assert!(!out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("read-only"),
        "{}",
        describe(&out)
    );
    assert!(bench.operator_calls().is_empty());
    let cli = AwsCli::new(url.clone(), &bench.sandbox);
    let listed = cli.run(
        HOME,
        &["scheduler", "list-schedules", "--group-name", &group],
    );
    let none = !listed.status.success()
        || items(&serde_json::from_slice::<Value>(&listed.stdout).unwrap()["Schedules"]).is_empty();
    assert!(none, "no schedule: {}", describe(&listed));
}
