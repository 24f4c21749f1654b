//! Frames of a fleet far larger than the screen: the last pipeline, wave,
//! region and source, once selected, are drawn, at 80x24 and 120x40.

use crate::large_fleet::LargeConsole;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The keys pressed at each size, the frame's snapshot, and the line that
/// shows the selection.
fn draws_selected(keys: &str, name: &str, selected_line: impl Fn(&LargeConsole, &str) -> bool) {
    for (w, h) in SIZES {
        let mut c = LargeConsole::new(w, h);
        c.keys(keys);
        let screen = c.screen();
        assert!(
            screen.lines().any(|line| selected_line(&c, line)),
            "{name} at {w}x{h}: the selection is not drawn:\n{screen}"
        );
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn the_last_pipeline_is_drawn() {
    draws_selected("2 end", "large_last_pipeline", |_, line| {
        line.contains("svc-199")
    });
}

#[test]
fn the_last_wave_is_drawn() {
    draws_selected("end", "large_last_wave", |_, line| line.contains("›Wave11"));
}

#[test]
fn the_last_region_is_drawn_with_the_hidden_ones_marked_left() {
    draws_selected(&"right ".repeat(23), "large_last_region", |c, line| {
        // The marker counts the regions left of the ones drawn.
        let regions = c.model.selected_flow().map_or(0, |f| f.regions.len());
        let drawn = line.split_whitespace().filter(|t| t.contains('-')).count();
        line.contains("ap-east-1")
            && line.starts_with(&format!("◀ {} more", regions.saturating_sub(drawn)))
    });
}

#[test]
fn the_last_source_is_drawn() {
    draws_selected("6 right end", "large_last_source", |c, line| {
        line.contains(&c.last_source()) && line.contains(" ok ")
    });
}

#[test]
fn the_first_region_marks_the_hidden_ones_on_the_right() {
    for (w, h) in SIZES {
        let c = LargeConsole::new(w, h);
        let screen = c.screen();
        let names = screen
            .lines()
            .find(|l| l.contains("us-east-1") && l.contains("us-east-2"))
            .expect("the region header");
        assert!(names.trim_end().ends_with('▶'), "{w}x{h}: {names}");
        assert!(!names.contains('◀'), "{w}x{h}: nothing hidden on the left");
    }
}

#[test]
fn at_240_columns_the_wave_names_take_only_the_room_they_need() {
    let mut c = LargeConsole::new(240, 70);
    c.keys("end");
    let screen = c.screen();
    let flow = c.model.selected_flow().expect("a pipeline");
    let longest = flow.waves.iter().map(|w| w.name.len()).max().unwrap();
    let last = flow.waves.last().unwrap().name.clone();
    let names = screen
        .lines()
        .find(|l| l.contains("us-east-1") && l.contains("us-east-2"))
        .expect("the region header");
    // The first region starts right after the longest name, its marker and
    // a gap (at least the column's least width).
    let first = names.find("us-east-1").unwrap();
    assert_eq!(first, (longest + 2).max(12), "{names}");
    assert!(
        screen.lines().any(|l| l.starts_with(&format!("›{last}"))),
        "the last wave is drawn whole:\n{screen}"
    );
}
