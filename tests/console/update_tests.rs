//! update() driven by synthetic keys and a passed-in clock.

use wavetop::core::action::ActionName;
use wavetop::core::intent::Intent;
use wavetop::core::model::{ActivityKind, View};
use wavetop::core::msg::{Effect, Msg};
use wavetop::domain::fleet::{CellStatus, Flow};
use wavetop::protocol::{OperateCall, PollKey, SourceError};

use crate::support::Console;

/// The first (wave, region) of a flow whose cell shows `status`.
fn find_cell(flow: &Flow, status: CellStatus) -> Option<(String, String)> {
    flow.waves.iter().filter(|w| !w.pre_deploy).find_map(|w| {
        w.cells
            .iter()
            .find(|c| c.status() == status)
            .map(|c| (w.name.clone(), c.region.to_string()))
    })
}

#[test]
fn start_discovers_then_polls_every_key_once() {
    let c = Console::at_minutes(10);
    assert!(c.model.discovered);
    assert_eq!(c.model.fleet_label, "DEMO");
    let keys: Vec<&PollKey> = c.model.poll.keys().map(|(k, _)| k).collect();
    for flow in [
        "global-api",
        "service-x",
        "orders-active-active",
        "billing-failover",
        "edge-relay",
    ] {
        assert!(
            keys.contains(&&PollKey::Flow { flow: flow.into() }),
            "{flow} is polled"
        );
    }
    assert!(keys.contains(&&PollKey::Health));
    assert!(keys.contains(&&PollKey::Replication {
        table: "orders".into()
    }));
    assert!(
        keys.iter()
            .any(|k| matches!(k, PollKey::Stacks { region } if region == "ap-south-1"))
    );
    // Every key answered: nothing is stale, nothing in flight.
    assert!(
        c.model
            .poll
            .keys()
            .all(|(_, s)| s.in_flight.is_none() && s.last_ok.is_some())
    );
    assert!(!c.model.any_stale());
    assert!(
        c.model
            .identity
            .as_deref()
            .is_some_and(|i| i.starts_with("arn:aws:sts::"))
    );
}

#[test]
fn arrows_move_the_grid_cursor_and_stop_at_the_edges() {
    let mut c = Console::at_minutes(10);
    assert_eq!(c.model.view, View::Grid);
    c.keys("down down right");
    assert_eq!(
        (
            c.model.cursors.wave.selected,
            c.model.cursors.region.selected
        ),
        (2, 1)
    );
    c.keys("up up up up left left left");
    assert_eq!(
        (
            c.model.cursors.wave.selected,
            c.model.cursors.region.selected
        ),
        (0, 0)
    );
    let flow = c.model.selected_flow().unwrap().clone();
    for _ in 0..40 {
        c.keys("down right");
    }
    assert_eq!(c.model.cursors.wave.selected, flow.waves.len() - 1);
    assert_eq!(c.model.cursors.region.selected, flow.regions.len() - 1);
}

#[test]
fn tab_cycles_pipelines_and_enter_opens_the_cell_and_esc_goes_back() {
    let mut c = Console::at_minutes(10);
    let first = c.model.selected_flow().unwrap().name.clone();
    c.keys("tab");
    let second = c.model.selected_flow().unwrap().name.clone();
    assert_ne!(first, second);
    c.keys("shift-tab");
    assert_eq!(c.model.selected_flow().unwrap().name, first);
    c.keys("enter");
    assert_eq!(c.model.view, View::CellDetail);
    c.keys("esc");
    assert_eq!(c.model.view, View::Grid);
}

#[test]
fn number_keys_switch_views_and_esc_walks_back_through_them() {
    let mut c = Console::at_minutes(10);
    c.keys("3");
    assert_eq!(c.model.view, View::Health);
    c.keys("4");
    assert_eq!(c.model.view, View::Replication);
    c.keys("5 6 2");
    assert_eq!(c.model.view, View::Pipelines);
    c.keys("esc esc");
    assert_eq!(c.model.view, View::Executions);
}

#[test]
fn slash_filters_the_pipeline_list_and_esc_clears_it() {
    let mut c = Console::at_minutes(10);
    c.keys("/");
    assert_eq!(c.model.view, View::Pipelines);
    assert!(c.model.filter_editing);
    c.type_text("bill");
    let names: Vec<&str> = c
        .model
        .visible_flows()
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["billing-failover"]);
    c.keys("enter");
    assert!(!c.model.filter_editing);
    c.keys("enter");
    assert_eq!(c.model.view, View::Grid);
    assert_eq!(c.model.selected_flow().unwrap().name, "billing-failover");
    c.keys("/");
    c.type_text("zzz");
    assert!(c.model.visible_flows().is_empty());
    c.keys("esc");
    assert!(c.model.filter.is_empty());
    assert_eq!(c.model.visible_flows().len(), 7);
}

#[test]
fn the_command_line_completes_and_runs_views_and_pipelines() {
    let mut c = Console::at_minutes(10);
    c.keys(":");
    c.type_text("repl");
    c.keys("tab");
    assert_eq!(c.model.command.as_ref().unwrap().input, "replication");
    c.keys("enter");
    assert_eq!(c.model.view, View::Replication);
    assert!(c.model.command.is_none());

    c.keys(":");
    c.type_text("pipeline serv");
    c.keys("tab enter");
    assert_eq!(c.model.selected_flow().unwrap().name, "service-x");
    assert_eq!(c.model.view, View::Grid);

    c.keys(":");
    c.type_text("frobnicate");
    c.keys("enter");
    assert!(
        c.model
            .flash
            .as_ref()
            .unwrap()
            .1
            .contains("unknown command")
    );
}

#[test]
fn question_mark_toggles_help_and_keys_do_not_leak_through_it() {
    let mut c = Console::at_minutes(10);
    c.keys("?");
    assert!(c.model.help);
    c.keys("3");
    assert_eq!(c.model.view, View::Grid, "help swallows view keys");
    c.keys("esc");
    assert!(!c.model.help);
}

#[test]
fn approving_a_gate_goes_through_a_confirmation_with_cancel_as_default() {
    // At 45m the gate waiting is GO: today's confirmation approves it.
    let mut c = Console::at_minutes(45);
    let flow = c.model.fleet.flow("global-api").unwrap().clone();
    let (wave, region) =
        find_cell(&flow, CellStatus::AwaitingApproval).expect("a gate waits at 45m");
    c.navigate("global-api", &wave, &region);

    // Enter on the untouched dialog cancels.
    c.keys("a");
    assert!(c.model.confirmation.is_some());
    c.keys("tab enter");
    assert!(c.model.confirmation.is_none());
    assert!(c.sent.is_empty());

    c.pause_after_dialog();
    c.keys("a");
    c.type_text("canary looks good");
    c.keys("tab right enter");
    assert!(c.model.confirmation.is_none());
    let [
        OperateCall::PutApprovalResult {
            approved,
            summary,
            stage,
            ..
        },
    ] = c.sent.as_slice()
    else {
        panic!("one approval call expected, sent {:?}", c.sent);
    };
    assert!(*approved);
    assert_eq!(stage, &wave);
    assert!(
        summary.contains("arn:aws:sts::") && summary.contains("canary looks good"),
        "{summary}"
    );
    assert!(
        c.model
            .activity
            .iter()
            .any(|e| e.kind == ActivityKind::Done)
    );
    let cell_now = c
        .model
        .fleet
        .flow("global-api")
        .unwrap()
        .wave(&wave)
        .unwrap()
        .cell(&region)
        .unwrap()
        .clone();
    assert_ne!(
        cell_now.status(),
        CellStatus::AwaitingApproval,
        "the gate is answered after the refresh"
    );
}

#[test]
fn confirming_twice_while_the_first_call_is_in_flight_sends_one_call() {
    let mut c = Console::at_minutes(45);
    let flow = c.model.fleet.flow("global-api").unwrap().clone();
    let (wave, region) = find_cell(&flow, CellStatus::AwaitingApproval).unwrap();
    c.navigate("global-api", &wave, &region);
    c.run_operations = false;
    for _ in 0..2 {
        c.keys("a tab right enter");
        c.pause_after_dialog();
    }
    let operates = c
        .held_back
        .iter()
        .filter(|e| matches!(e, Effect::Operate { .. }))
        .count();
    assert_eq!(operates, 1);
    assert!(
        c.model
            .flash
            .as_ref()
            .unwrap()
            .1
            .contains("already in flight")
    );
}

#[test]
fn reject_needs_a_comment_and_the_region_typed() {
    let mut c = Console::at_minutes(10);
    let flow = c.model.fleet.flow("global-api").unwrap().clone();
    let (wave, region) = find_cell(&flow, CellStatus::AwaitingApproval).unwrap();
    c.navigate("global-api", &wave, &region);
    c.keys("x");
    let dialog = c.model.confirmation.as_ref().unwrap();
    assert!(matches!(dialog.intent, Intent::Reject { .. }));
    // No comment, no name: Confirm refuses.
    c.keys("tab tab right enter");
    assert!(c.dialog_problem().contains("needed"));
    c.keys("shift-tab shift-tab");
    c.type_text("error rate up");
    c.keys("tab");
    c.type_text(&region);
    c.keys("tab enter");
    assert!(c.sent.iter().any(|call| matches!(
        call,
        OperateCall::PutApprovalResult {
            approved: false,
            ..
        }
    )));
}

#[test]
fn read_only_refuses_operator_keys_before_any_dialog() {
    let mut c = Console::with(10, Default::default(), true);
    let flow = c.model.fleet.flow("global-api").unwrap().clone();
    let (wave, region) = find_cell(&flow, CellStatus::AwaitingApproval).unwrap();
    c.navigate("global-api", &wave, &region);
    for key in ["a", "x", "r", "h", "u", "s", "b", "d", "D"] {
        c.keys(key);
        assert!(
            c.model.confirmation.is_none(),
            "{key} opened a dialog in read-only mode"
        );
        assert!(
            c.model.flash.as_ref().unwrap().1.contains("read-only"),
            "{key}"
        );
    }
    assert!(c.sent.is_empty());
}

#[test]
fn an_action_that_does_not_apply_says_why() {
    let mut c = Console::at_minutes(10);
    c.navigate("service-x", "Source", "eu-west-1");
    c.keys("a");
    assert!(c.model.confirmation.is_none());
    assert!(c.model.flash.as_ref().unwrap().1.contains("no manual gate"));
}

#[test]
fn draining_the_last_healthy_region_of_a_record_set_is_refused_naming_it() {
    let mut c = Console::at_minutes(10);
    let flow = c.model.fleet.flow("orders-active-active").unwrap().clone();
    let wave = flow
        .waves
        .iter()
        .find(|w| !w.pre_deploy)
        .unwrap()
        .name
        .clone();
    let mut refused = None;
    for region in flow.regions.clone() {
        c.navigate("orders-active-active", &wave, &region);
        c.keys("d");
        if c.model.confirmation.is_some() {
            // Confirm the drain by typing the region.
            c.type_text(&region);
            c.keys("tab right enter");
            c.pause_after_dialog();
        } else {
            refused = Some((region.clone(), c.model.flash.clone().unwrap().1));
            break;
        }
    }
    let (region, message) = refused.expect("some drain is refused before every region is drained");
    assert!(
        message.contains("refused") && message.contains("orders.example.com."),
        "{region}: {message}"
    );
    // The drains that went through inverted checks, and never disabled any.
    assert!(c.sent.iter().all(|call| matches!(
        call,
        OperateCall::SetHealthCheckInverted { inverted: true, .. }
    )));
    assert!(!c.sent.is_empty());
}

#[test]
fn a_failing_poll_marks_its_source_stale_and_logs_the_error() {
    let mut c = Console::at_minutes(10);
    c.advance(120);
    let key = PollKey::Stacks {
        region: "ap-south-1".into(),
    };
    // Answer the next poll of that key with throttling, repeatedly.
    for _ in 0..6 {
        c.clock.set(c.now() + jiff::SignedDuration::from_secs(90));
        let now = c.now();
        let fx = wavetop::core::update::update(&mut c.model, Msg::Tick, now);
        for effect in fx {
            if let Effect::Poll { key: k, generation } = effect {
                let result = if k == key {
                    Err(SourceError::Throttled("Rate exceeded".into()))
                } else {
                    use futures_util::FutureExt;
                    use wavetop::protocol::Observe;
                    c.backend.poll(k.clone()).now_or_never().unwrap()
                };
                c.send(Msg::Polled {
                    key: k,
                    generation,
                    result,
                    incomplete: None,
                });
            }
        }
    }
    assert!(c.model.poll.is_stale(&key, c.now()));
    assert!(!c.model.poll.is_stale(&PollKey::Health, c.now()));
    assert!(
        c.model
            .activity
            .iter()
            .any(|e| e.kind == ActivityKind::Error && e.text.contains("throttled"))
    );
}

/// Polls every due key once (after `secs`), answering `key` with the
/// simulator's observation and `incomplete` as what that answer lacked.
fn poll_once_with(c: &mut Console, secs: i64, key: &PollKey, incomplete: Option<SourceError>) {
    use futures_util::FutureExt;
    use wavetop::protocol::Observe;
    c.clock.set(c.now() + jiff::SignedDuration::from_secs(secs));
    let now = c.now();
    let fx = wavetop::core::update::update(&mut c.model, Msg::Tick, now);
    for effect in fx {
        if let Effect::Poll { key: k, generation } = effect {
            let result = c.backend.poll(k.clone()).now_or_never().unwrap();
            let incomplete = if &k == key { incomplete.clone() } else { None };
            c.send(Msg::Polled {
                key: k,
                generation,
                result,
                incomplete,
            });
        }
    }
}

#[test]
fn an_answer_in_part_shows_as_its_sources_error_logged_once_and_not_stale() {
    let mut c = Console::at_minutes(10);
    let key = PollKey::Health;
    let lacking = SourceError::Unreachable("cloudwatch:GetMetricData: no such operation".into());
    let logged = |c: &Console| {
        c.model
            .activity
            .iter()
            .filter(|e| e.kind == ActivityKind::Error && e.text.contains("GetMetricData"))
            .count()
    };
    for _ in 0..3 {
        poll_once_with(&mut c, 90, &key, Some(lacking.clone()));
    }
    let state = c.model.poll.state(&key).unwrap();
    assert_eq!(state.last_error.as_ref().map(|(_, e)| e), Some(&lacking));
    assert_eq!(state.last_ok, Some(c.now()), "the answer itself was good");
    assert!(!c.model.poll.is_stale(&key, c.now()));
    assert_eq!(logged(&c), 1, "logged when it starts, not at every poll");

    // A whole answer clears it.
    poll_once_with(&mut c, 90, &key, None);
    assert!(c.model.poll.state(&key).unwrap().last_error.is_none());
    assert_eq!(logged(&c), 1);
}

#[test]
fn operator_action_names_are_all_bound_in_the_default_keymap() {
    let c = Console::at_minutes(0);
    for action in ActionName::ALL {
        assert!(
            !c.model.bindings.keys_for(*action).is_empty(),
            "{} has no key",
            action.as_str()
        );
    }
}

#[test]
fn a_failed_discovery_is_retried_on_a_timer_and_never_ends_the_console() {
    use jiff::SignedDuration;
    use wavetop::core::update::update;

    let mut c = Console::at_minutes(0);
    let mut model = wavetop::core::model::Model::new(
        c.now(),
        c.model.bindings.clone(),
        Default::default(),
        false,
    );
    let t0 = c.now();
    let fx = update(
        &mut model,
        Msg::Discovered(Err(SourceError::Unreachable("dns error".into()))),
        t0,
    );
    assert!(fx.is_empty());
    assert!(!model.should_quit);
    assert!(model.flash.as_ref().unwrap().1.contains("dns error"));
    let early = update(&mut model, Msg::Tick, t0 + SignedDuration::from_secs(5));
    assert!(!early.contains(&Effect::Discover));
    let due = update(&mut model, Msg::Tick, t0 + SignedDuration::from_secs(16));
    assert_eq!(due, vec![Effect::Discover]);
    // Once it answers, the fleet appears.
    use futures_util::FutureExt;
    use wavetop::protocol::Observe;
    let discovery = c.backend.discover().now_or_never().unwrap();
    update(
        &mut model,
        Msg::Discovered(discovery),
        t0 + SignedDuration::from_secs(17),
    );
    assert!(model.discovered);
    assert_eq!(model.fleet.flows.len(), 7);
    c.model = model;
}

#[test]
fn help_scrolls_when_it_does_not_fit() {
    let mut c = Console::at_minutes(10);
    c.send(Msg::Resize {
        width: 80,
        height: 24,
    });
    c.keys("? pagedown");
    assert!(c.model.help);
    let help = c.model.cursors.help;
    assert_eq!(help.offset, help.page(), "a page down");
    // Scrolling stops with the last row at the bottom.
    c.keys("pagedown pagedown down");
    let last_page = help.len - help.height;
    assert_eq!(c.model.cursors.help.offset, last_page);
    c.keys("up");
    assert_eq!(c.model.cursors.help.offset, last_page - 1);
    c.keys("home");
    assert_eq!(c.model.cursors.help.offset, 0);
    c.keys("end");
    assert_eq!(c.model.cursors.help.offset, last_page);
    c.keys("? ?");
    assert!(c.model.help, "? closes and reopens");
    assert_eq!(c.model.cursors.help.offset, 0);
}
