//! What is live where: the merge of live revisions through update(), the
//! behind count, the revisions view and the grid's behind mark.

use ratatui::style::{Color, Modifier};

use wavetop::core::model::View;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::update;
use wavetop::domain::fleet::Flow;
use wavetop::domain::revisions::{Behind, LiveRevision};
use wavetop::protocol::{Observation, PollKey};

use crate::large_fleet::LargeConsole;
use crate::render_tests::render;
use crate::support::{Console, screen_text};

fn live(region: &str, execution: &str) -> LiveRevision {
    LiveRevision {
        region: region.into(),
        execution_id: execution.into(),
        revision_id: Some(format!("{execution}0123456789").into()),
        summary: Some("Cache JWKS for ten minutes".into()),
        author: Some("Grace Okafor".into()),
        live_since: None,
    }
}

/// The selected flow as the console holds it, to answer its poll with.
fn selected(c: &Console) -> Flow {
    c.model.selected_flow().expect("a selected flow").clone()
}

/// Answers the flow's next poll with `flow`, as the backend would.
fn answer(c: &mut Console, flow: Flow) {
    let key = PollKey::Flow {
        flow: flow.name.clone(),
    };
    let now = c.now();
    c.model.poll.expedite(&key, now);
    let generation = update(&mut c.model, Msg::Tick, now)
        .into_iter()
        .find_map(|effect| match effect {
            Effect::Poll { key: k, generation } if k == key => Some(generation),
            _ => None,
        })
        .expect("the flow is polled");
    c.send(Msg::Polled {
        key,
        generation,
        result: Ok(Observation::Flow(flow)),
        incomplete: None,
    });
}

#[test]
fn a_poll_that_cannot_place_a_region_keeps_its_revision_and_the_count_follows() {
    let mut c = Console::at_minutes(10);
    let mut flow = selected(&c);
    let [newest, older, ..] = [flow.executions[0].id.clone(), flow.executions[1].id.clone()];
    let (first, second) = (flow.regions[0].clone(), flow.regions[1].clone());
    flow.live = vec![live(&first, &newest), live(&second, &older)];
    answer(&mut c, flow.clone());
    // The next poll places only the first region (the second deploys now).
    flow.live = vec![live(&first, &newest)];
    answer(&mut c, flow);
    let held = selected(&c);
    assert_eq!(
        held.live_revision(&second).map(|l| l.execution_id.as_str()),
        Some(older.as_str()),
        "the region the poll could not place keeps what was known"
    );
    assert_eq!(held.behind(&first), Some(Behind::Exactly(0)));
    assert!(
        held.behind(&second).is_some_and(Behind::is_behind),
        "{:?}",
        held.behind(&second)
    );
}

#[test]
fn the_demo_has_regions_on_different_revisions() {
    let c = Console::at_minutes(10);
    let mixed = c.model.fleet.flows.iter().any(|f| {
        let ids: std::collections::BTreeSet<&str> =
            f.live.iter().map(|l| l.execution_id.as_str()).collect();
        ids.len() > 1
            && f.regions
                .iter()
                .any(|r| f.behind(r).is_some_and(Behind::is_behind))
    });
    assert!(mixed, "no flow of the demo has a region behind");
    let authored = c.model.fleet.flows.iter().flat_map(|f| &f.live);
    assert!(
        authored
            .clone()
            .all(|l| l.author.is_some() && l.summary.is_some())
    );
}

#[test]
fn the_view_lists_every_region_with_its_revision_and_marks_the_ones_behind() {
    let mut c = Console::at_minutes(10);
    c.keys("7");
    assert_eq!(c.model.view, View::Revisions);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = screen_text(&c.model, w, h);
        assert!(screen.contains("Revisions ·"), "{w}x{h}:\n{screen}");
        assert!(screen.contains("region"), "{w}x{h}:\n{screen}");
        assert!(screen.contains("behind"), "{w}x{h}:\n{screen}");
    }
    let screen = screen_text(&c.model, 120, 40);
    let flow = &c.model.fleet.flows[0];
    let live = flow
        .live
        .first()
        .expect("a live revision in the first flow");
    let short: String = live
        .revision_id
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(8)
        .collect();
    assert!(screen.contains(&short), "{short} is not drawn:\n{screen}");
    // At 120 columns the author is drawn; at 80 the commit message goes first.
    assert!(screen.contains(live.author.as_deref().unwrap_or("?")));
}

#[test]
fn the_behind_word_carries_the_theme_style_and_a_glyph_without_colour() {
    let mut c = Console::at_minutes(10);
    c.keys("7");
    for preset in ["dark", "light", "high-contrast"] {
        let theme = wavetop::config::Theme::preset(preset).unwrap();
        for theme in [theme, theme.no_color()] {
            let terminal = render(&c.model, &theme, 120, 40);
            let buffer = terminal.backend().buffer();
            let marks: Vec<_> = (0..buffer.area.height)
                .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
                .filter(|&xy| buffer[xy].symbol() == "↓")
                .map(|xy| buffer[xy].style())
                .collect();
            assert!(!marks.is_empty(), "{preset}: no ↓ drawn");
            // The selected row is drawn in the selection's style; the others
            // in the theme's, underlined so the mark reads without colour.
            assert!(
                marks.iter().any(|s| s.fg
                    == Some(theme.revision_behind.fg.unwrap_or(Color::Reset))
                    && s.add_modifier.contains(Modifier::UNDERLINED)),
                "{preset}: {marks:?}"
            );
        }
    }
}

#[test]
fn the_grid_marks_a_region_behind_in_its_deploy_cells() {
    let c = Console::at_minutes(10);
    let behind_somewhere = c.model.fleet.flows.iter().find(|f| {
        f.regions
            .iter()
            .any(|r| f.behind(r).is_some_and(Behind::is_behind))
    });
    let flow = behind_somewhere
        .expect("a flow with a region behind")
        .name
        .clone();
    let mut c = c;
    c.model.selected_flow = Some(flow);
    c.keys("1");
    let screen = screen_text(&c.model, 160, 48);
    assert!(
        screen.contains('↓'),
        "no behind mark in the grid:\n{screen}"
    );
}

#[test]
fn the_last_row_of_a_large_fleet_is_drawn() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut c = LargeConsole::new(w, h);
        c.keys("7 end");
        let last = c.model.fleet.flows.last().unwrap();
        let region = last.regions.last().unwrap().clone();
        let name = last.name.clone();
        let screen = c.screen();
        assert!(
            screen
                .lines()
                .any(|l| l.contains(&name) && l.contains(&region)),
            "{w}x{h}: {name} {region} is not drawn:\n{screen}"
        );
    }
}
