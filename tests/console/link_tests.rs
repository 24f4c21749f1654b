//! `open-link`, `copy-url` and `copy-id` through update(): which console
//! link each view's selection gives, and the footer that says so.

use wavetop::core::msg::Effect;

use crate::support::Console;

/// The effects of one key press.
fn press(c: &mut Console, key: &str) -> Vec<Effect> {
    let before = c.held_back.len();
    c.keys(key);
    c.held_back.split_off(before)
}

fn flash(c: &Console) -> &str {
    &c.model.flash.as_ref().expect("a footer message").1
}

fn demo_account(c: &Console) -> String {
    c.model.fleet.flow("search").unwrap().pipelines[0]
        .account
        .clone()
}

#[test]
fn in_the_grid_y_copies_the_url_of_the_cells_stack_and_capital_y_its_name() {
    let mut c = Console::at_minutes(0);
    c.navigate("search", "Europe", "eu-west-1");
    let stack = c
        .model
        .fleet
        .flow("search")
        .unwrap()
        .wave("Europe")
        .unwrap()
        .cell("eu-west-1")
        .unwrap()
        .stack_names()[0]
        .to_string();
    let url = format!(
        "https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/events?stackId={stack}"
    );
    assert_eq!(
        press(&mut c, "y"),
        [Effect::Copy {
            text: url.clone(),
            what: format!("URL of stack {stack}")
        }]
    );
    assert_eq!(flash(&c), format!("copied URL of stack {stack}"));
    assert_eq!(
        press(&mut c, "Y"),
        [Effect::Copy {
            text: stack.clone(),
            what: format!("id of stack {stack}")
        }]
    );
    assert_eq!(flash(&c), format!("copied id of stack {stack}"));
    assert_eq!(press(&mut c, "o"), [Effect::OpenUrl { url }]);
    assert_eq!(flash(&c), format!("opening stack {stack} in the browser"));
}

#[test]
fn the_cell_detail_links_the_same_stack_as_the_grid() {
    let mut c = Console::at_minutes(0);
    c.navigate("search", "Europe", "eu-west-1");
    let in_grid = press(&mut c, "y");
    c.keys("enter");
    assert_eq!(press(&mut c, "y"), in_grid);
}

#[test]
fn in_the_pipelines_list_capital_y_copies_the_pipeline_arn() {
    let mut c = Console::at_minutes(0);
    c.keys("2 home");
    let flow = c.model.visible_flows()[0].pipelines[0].clone();
    let account = demo_account(&c);
    let arn = format!(
        "arn:aws:codepipeline:{}:{account}:{}",
        flow.home_region, flow.name
    );
    assert_eq!(
        press(&mut c, "Y"),
        [Effect::Copy {
            text: arn,
            what: format!("ARN of pipeline {}", flow.name)
        }]
    );
    assert_eq!(flash(&c), format!("copied ARN of pipeline {}", flow.name));
}

#[test]
fn in_the_executions_view_y_copies_the_execution_diagram_url() {
    let mut c = Console::at_minutes(0);
    c.navigate("search", "Europe", "eu-west-1");
    c.keys("5 home");
    let e = c.model.fleet.flow("search").unwrap().executions[0].clone();
    let effects = press(&mut c, "y");
    let [Effect::Copy { text, .. }] = effects.as_slice() else {
        panic!("one copy: {effects:?}");
    };
    assert_eq!(
        text,
        &format!(
            "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/search/executions/{}/visualization?region=eu-west-1",
            e.id
        )
    );
}

#[test]
fn in_the_health_view_capital_y_copies_the_health_check_id() {
    let mut c = Console::at_minutes(0);
    c.keys("3 home");
    // The first rows are a record set's title; the first record has a check.
    let check_row = (0..10)
        .find(|&row| wavetop::core::rows::selected_check_id(&c.model.fleet, row).is_some())
        .expect("a row with a health check");
    for _ in 0..check_row {
        c.keys("down");
    }
    let id =
        wavetop::core::rows::selected_check_id(&c.model.fleet, c.model.cursors.health.selected)
            .expect("the selected row's check");
    assert_eq!(
        press(&mut c, "Y"),
        [Effect::Copy {
            text: id.clone(),
            what: format!("id of health check {id}")
        }]
    );
}

#[test]
fn in_the_replication_view_y_copies_the_table_url() {
    let mut c = Console::at_minutes(0);
    c.keys("4 home");
    let table = c.model.fleet.tables[0].clone();
    let region = &table.replicas[0].region;
    let effects = press(&mut c, "y");
    let [Effect::Copy { text, .. }] = effects.as_slice() else {
        panic!("one copy: {effects:?}");
    };
    assert_eq!(
        text,
        &format!(
            "https://{region}.console.aws.amazon.com/dynamodbv2/home?region={region}#table?name={}",
            table.name
        )
    );
}

#[test]
fn where_nothing_has_a_link_the_footer_says_so_and_nothing_is_copied() {
    let mut c = Console::at_minutes(0);
    c.keys("6");
    assert!(press(&mut c, "y").is_empty());
    assert!(press(&mut c, "o").is_empty());
    assert_eq!(flash(&c), "nothing here has a console link (Activity view)");
}

#[test]
fn a_browser_that_cannot_start_is_said_in_the_footer_and_the_activity_log() {
    let mut c = Console::at_minutes(0);
    c.send(wavetop::core::msg::Msg::OpenFailed(
        "cannot start nobrowser: not found".into(),
    ));
    assert_eq!(
        flash(&c),
        "could not open the link: cannot start nobrowser: not found"
    );
    let last = c.model.activity.iter().last().expect("an activity entry");
    assert_eq!(last.text, "open link: cannot start nobrowser: not found");
}

#[test]
fn the_cell_detail_lists_the_alarms_of_the_region_with_their_arns() {
    let mut c = Console::at_minutes(0);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    let links = wavetop::core::links::cell_links(&c.model);
    let alarm = links
        .iter()
        .find(|l| l.what == "alarm global-api-sa-east-1-5xx")
        .expect("the region's alarm is linked");
    assert_eq!(
        alarm.url,
        "https://sa-east-1.console.aws.amazon.com/cloudwatch/home?region=sa-east-1#alarmsV2:alarm/global-api-sa-east-1-5xx"
    );
    assert!(
        alarm.id.starts_with("arn:aws:cloudwatch:sa-east-1:")
            && alarm.id.ends_with(":alarm:global-api-sa-east-1-5xx"),
        "{}",
        alarm.id
    );
}
