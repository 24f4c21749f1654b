//! No word on screen is cut: every view, at 80x24 and 120x40, on the demo
//! fleet. A region, pipeline, status word, header or key hint is drawn whole
//! or ends with `…`; a column or hint that has no room is left out.

use std::collections::BTreeSet;

use wavetop::core::action::ActionName;
use wavetop::core::model::{Model, View};
use wavetop::domain::fleet::{CellStatus, ExecutionStatus, HealthStatus};
use wavetop::ui::glyphs::{cell_glyph, execution_glyph, health_glyph};

use crate::support::{Console, screen_text};

/// Tokens of `screen` that are a proper start of a known word, ending inside
/// one of its segments (`hold-until-` of `hold-until-window`, `glob` of
/// `global-api`; not `page` of `page-down`), without the `…` that says it was
/// elided. Tokens under three characters are too common to judge.
fn cut_words(screen: &str, known: &BTreeSet<String>) -> Vec<String> {
    let mut cut = Vec::new();
    let is_frame = |c: char| c.is_whitespace() || "│─┌┐└┘├┤".contains(c);
    for token in screen.split(is_frame).filter(|t| !t.is_empty()) {
        let token = token.trim_start_matches(['(', '[', '“']);
        if token.ends_with('…') || token.chars().count() < 3 || known.contains(token) {
            continue;
        }
        let cut_inside = |k: &String| {
            k.strip_prefix(token)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_alphanumeric)
        };
        if known.iter().any(cut_inside) {
            cut.push(token.to_string());
        }
    }
    cut
}

/// The words the demo fleet puts on screen: regions, pipelines and flows,
/// state words, table headers, view titles and key hints.
fn known_words(model: &Model) -> BTreeSet<String> {
    let mut words: Vec<String> = Vec::new();
    for flow in &model.fleet.flows {
        words.push(flow.name.clone());
        words.extend(flow.regions.iter().cloned());
        words.extend(flow.pipelines.iter().map(|p| p.name.clone()));
        words.extend(flow.waves.iter().map(|w| w.name.clone()));
        // Commit messages are drawn too: their words are whole words.
        for e in &flow.executions {
            let summary = e.revision_summary.as_deref().unwrap_or("");
            words.extend(summary.split(' ').map(str::to_string));
            words.push(e.trigger.to_string());
        }
        for live in &flow.live {
            words.extend(
                live.author
                    .iter()
                    .flat_map(|a| a.split(' '))
                    .map(str::to_string),
            );
        }
    }
    words.extend(model.fleet.tables.iter().map(|t| t.name.clone()));
    for set in &model.fleet.health.record_sets {
        words.push(set.name.clone());
        words.extend(set.records.iter().map(|r| r.region.clone()));
    }
    for status in [
        CellStatus::Failed,
        CellStatus::AwaitingApproval,
        CellStatus::InProgress,
        CellStatus::Held,
        CellStatus::Succeeded,
        CellStatus::NotStarted,
    ] {
        words.push(cell_glyph(status).1.to_string());
    }
    for status in [
        ExecutionStatus::Cancelled,
        ExecutionStatus::InProgress,
        ExecutionStatus::Stopped,
        ExecutionStatus::Stopping,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Superseded,
        ExecutionStatus::Failed,
    ] {
        words.push(execution_glyph(status).1.to_string());
    }
    for status in [
        HealthStatus::Healthy,
        HealthStatus::Unhealthy,
        HealthStatus::Unknown,
    ] {
        words.push(health_glyph(status, false).1.to_string());
    }
    for view in [
        View::Grid,
        View::Pipelines,
        View::Health,
        View::Replication,
        View::Executions,
        View::Revisions,
        View::Activity,
    ] {
        words.push(view.title().to_string());
    }
    for action in ActionName::ALL {
        words.push(action.as_str().to_string());
        let keys = model.bindings.keys_for(*action);
        words.extend(keys.iter().map(|k| k.to_string()));
        // The help's prose is drawn too: its words are whole words.
        words.extend(action.help().split(' ').map(str::to_string));
    }
    for header in [
        "pipeline kind home latest age gates holds regions",
        "status execution pipeline trigger revision started (UTC) took",
        "flow region revision behind live since author commit current unknown Revisions regions",
        "ago waiting held pending done running APPROVE? stack region action no check checks next last poll end Cancel default",
        "select a record with a health check runs once in the home actions",
    ] {
        words.extend(header.split(' ').map(str::to_string));
    }
    words.into_iter().collect()
}

#[test]
fn the_checker_finds_a_cut_word_and_lets_an_elided_one_pass() {
    let known: BTreeSet<String> = ["global-api", "InProgress", "hold-until-window", "ago"]
        .map(str::to_string)
        .into();
    let screen = "◆ glob │ ▶ InProgr 30m ag\n w hold-until- global… ▶ InProgress 9m ago hold";
    assert_eq!(
        cut_words(screen, &known),
        ["glob", "InProgr", "hold-until-"]
    );
    assert!(cut_words("global-api InPro… ago", &known).is_empty());
}

#[test]
fn no_view_cuts_a_word_at_80x24_or_120x40() {
    let views = [
        ("grid", ""),
        (
            "grid of a chained flow",
            ": p i p e l i n e space e d g e - r e l a y enter",
        ),
        ("pipelines", "2"),
        ("cell detail", "down down down down enter"),
        ("health", "3 down"),
        ("replication", "4"),
        ("executions", "5"),
        ("activity", "6"),
        ("revisions", "7"),
        ("revisions, the last row", "7 end"),
        ("help", "?"),
        ("drain dialog", "down down down down d"),
    ];
    for (name, keys) in views {
        let mut c = Console::at_minutes(10);
        c.keys(keys);
        let known = known_words(&c.model);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = screen_text(&c.model, w, h);
            let cut = cut_words(&screen, &known);
            assert!(cut.is_empty(), "{name} at {w}x{h} cuts {cut:?}:\n{screen}");
        }
    }
}

#[test]
fn a_large_grid_cuts_no_region_or_state_word() {
    let mut c = Console::at_minutes(0);
    let now = c.model.now;
    c.model.fleet = wavetop::domain::synthetic::fleet(12, 25, now);
    c.model.selected_flow = Some("synthetic".into());
    c.keys("1");
    let known = known_words(&c.model);
    for (w, h) in [(80, 24), (120, 40), (240, 70)] {
        for _ in 0..12 {
            let screen = screen_text(&c.model, w, h);
            let cut = cut_words(&screen, &known);
            assert!(cut.is_empty(), "{w}x{h} cuts {cut:?}:\n{screen}");
            c.keys("right right");
        }
    }
}

#[test]
fn a_25_region_grid_at_240_columns_shows_more_than_14_regions() {
    let mut c = Console::at_minutes(0);
    let now = c.model.now;
    c.model.fleet = wavetop::domain::synthetic::fleet(5, 25, now);
    c.model.selected_flow = Some("synthetic".into());
    c.keys("1");
    let screen = screen_text(&c.model, 240, 70);
    let header = screen.lines().nth(3).expect("the region header row");
    let shown = c.model.fleet.flows[0]
        .regions
        .iter()
        .filter(|r| header.split_whitespace().any(|t| t == r.as_str()))
        .count();
    assert!(shown > 14, "{shown} regions in:\n{screen}");
}

/// The simulated large fleet, as `--demo --fleet large --at 10m` shows it:
/// every flow's grid, and each other view, at 80x24 and 120x40.
#[test]
fn no_view_of_the_simulated_large_fleet_cuts_a_word() {
    let at = jiff::SignedDuration::from_mins(10);
    let snapshot = wavetop::sim::snapshot_at(wavetop::sim::FleetSize::Large, 1, at);
    let mut c = Console::at_minutes(10);
    c.model.fleet = snapshot.fleet;
    let flows: Vec<String> = c.model.fleet.flows.iter().map(|f| f.name.clone()).collect();
    let known = known_words(&c.model);
    for flow in &flows {
        c.model.selected_flow = Some(flow.clone());
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = screen_text(&c.model, w, h);
            let cut = cut_words(&screen, &known);
            assert!(cut.is_empty(), "{flow} at {w}x{h} cuts {cut:?}:\n{screen}");
        }
    }
    c.model.selected_flow = flows.first().cloned();
    for keys in ["2", "3", "4", "5", "6", "7", "?"] {
        c.keys(keys);
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = screen_text(&c.model, w, h);
            let cut = cut_words(&screen, &known);
            assert!(
                cut.is_empty(),
                "view {keys} at {w}x{h} cuts {cut:?}:\n{screen}"
            );
        }
    }
}
