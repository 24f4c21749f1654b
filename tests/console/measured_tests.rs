//! The core pages and scrolls by what the view measured in the frame it
//! drew (`Msg::Laid`): the cell detail's wrapped lines and the grid
//! columns' widths. Driven as the console is, a frame after each key.

use jiff::SignedDuration;
use wavetop::domain::fleet::{Stack, StackEvent, StackEventRecord};

use crate::large_fleet::LargeConsole;

/// Rows above the body: the header and the tab bar.
const BODY_TOP: usize = 2;

fn rows(screen: &str) -> Vec<&str> {
    screen.lines().collect()
}

/// Gives the selected cell's stack 120 events, so its detail runs to
/// several screens.
fn with_a_long_stack(c: &mut LargeConsole) {
    let flow = c.model.selected_flow().unwrap().name.clone();
    let region = c.model.selected_flow().unwrap().regions[0].clone();
    let now = c.model.now;
    let events = (0..120)
        .map(|i| {
            StackEvent::new(StackEventRecord {
                event_id: format!("e{i}").into(),
                timestamp: now - SignedDuration::from_secs(i * 30),
                logical_id: format!("Resource{i:03}").into(),
                resource_type: "AWS::Lambda::Function".into(),
                status: "UPDATE_COMPLETE".into(),
                reason: None,
            })
        })
        .collect();
    c.model.fleet.stacks.push(Stack {
        name: format!("app-{region}").into(),
        region: region.into(),
        flow: flow.into(),
        status: "UPDATE_COMPLETE".into(),
        status_reason: None,
        events,
        fetched_at: now,
    });
}

#[test]
fn end_in_the_cell_detail_shows_its_last_line_and_page_up_moves_a_page() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut c = LargeConsole::new(w, h);
        with_a_long_stack(&mut c);
        c.keys_drawn("enter");
        let pane = c
            .model
            .cursors
            .measured
            .detail
            .expect("the detail measured");
        assert!(pane.lines > 2 * pane.height, "{w}x{h}: {pane:?}");
        // The same text on a screen tall enough for all of it: its last
        // line, under the block's top border.
        let mut tall = LargeConsole::new(w, u16::try_from(pane.lines + 10).unwrap());
        with_a_long_stack(&mut tall);
        let full = tall.keys_drawn("enter");
        let last_line = rows(&full)[BODY_TOP + pane.lines].to_string();
        // Events come newest first: the oldest is the last line.
        assert!(last_line.contains("Resource119"), "{w}x{h}:\n{full}");

        let end = c.keys_drawn("end");
        let bottom = pane.lines - pane.height;
        assert_eq!(c.model.cursors.detail.offset, bottom, "{w}x{h}");
        // The pane's last row is the detail's last line.
        assert_eq!(
            rows(&end)[BODY_TOP + pane.height],
            last_line,
            "{w}x{h}:\n{end}"
        );

        let up = c.keys_drawn("pageup");
        let page = pane.height - 1;
        assert_eq!(c.model.cursors.detail.offset, bottom - page, "{w}x{h}");
        // The top line after End is a page further down now: the page
        // moved exactly one screen less the line kept for context.
        assert_eq!(
            rows(&up)[BODY_TOP + 1 + page],
            rows(&end)[BODY_TOP + 1],
            "{w}x{h}:\n{up}"
        );
        let down = c.keys_drawn("pagedown");
        assert_eq!(rows(&down), rows(&end), "{w}x{h}: back at the bottom");
        // Down at the bottom stays there rather than running past it.
        c.keys_drawn("down down");
        assert_eq!(c.model.cursors.detail.offset, bottom, "{w}x{h}");

        let home = c.keys_drawn("home");
        assert_eq!(c.model.cursors.detail.offset, 0);
        assert_eq!(rows(&home)[BODY_TOP + 1], rows(&full)[BODY_TOP + 1]);
        assert!(rows(&home)[BODY_TOP + 1].contains(" svc-000 / "), "{home}");
    }
}

/// The region names on the grid's header row, in the order drawn.
fn drawn_regions(c: &LargeConsole, screen: &str) -> Vec<String> {
    let flow = c.model.selected_flow().unwrap();
    let header = rows(screen)[BODY_TOP + 1];
    header
        .split_whitespace()
        .filter(|t| flow.regions.iter().any(|r| r == t))
        .map(str::to_string)
        .collect()
}

#[test]
fn paging_the_regions_moves_exactly_one_screenful() {
    for (w, h) in [(80, 24), (120, 40), (240, 70)] {
        let mut c = LargeConsole::new(w, h);
        let regions = c.model.selected_flow().unwrap().regions.clone();
        let mut screen = c.keys_drawn("");
        let mut before = drawn_regions(&c, &screen);
        assert_eq!(before.first(), regions.first(), "{w}x{h}");
        for page in 0.. {
            assert!(page < 25, "{w}x{h}: paging right never reached the end");
            let next = c.keys_drawn(">");
            let after = drawn_regions(&c, &next);
            let cursor = c.model.cursors.region;
            // Core and view agree on what is on screen.
            assert_eq!(
                after,
                regions[cursor.offset..cursor.offset + cursor.height],
                "{w}x{h}:\n{next}"
            );
            assert!(after.contains(&regions[cursor.selected]), "{w}x{h}");
            let header = rows(&next)[BODY_TOP + 1];
            assert!(
                header.starts_with(&format!("◀ {} more", cursor.offset)),
                "{w}x{h}: {header}"
            );
            if after.last() == regions.last() {
                assert!(!header.trim_end().ends_with('▶'), "{w}x{h}: {header}");
                // A page more on the last screen selects its last column.
                let again = c.keys_drawn(">");
                assert_eq!(c.model.cursors.region.selected, regions.len() - 1);
                assert_eq!(drawn_regions(&c, &again), after, "{w}x{h}");
                screen = again;
                break;
            }
            // The first region drawn now is the one after the last drawn before.
            let i = regions.iter().position(|r| Some(r) == before.last());
            assert_eq!(after.first(), regions.get(i.unwrap() + 1), "{w}x{h}");
            assert!(header.trim_end().ends_with('▶'), "{w}x{h}: {header}");
            before = after;
            screen = next;
        }
        // And back: nothing skipped on the way, each page before the last.
        while c.model.cursors.region.offset > 0 {
            let first_before = drawn_regions(&c, &screen)[0].clone();
            let next = c.keys_drawn("<");
            let after = drawn_regions(&c, &next);
            let cursor = c.model.cursors.region;
            assert!(after.contains(&regions[cursor.selected]), "{w}x{h}");
            let i = regions.iter().position(|r| *r == first_before).unwrap();
            let start = regions.iter().position(|r| *r == after[0]).unwrap();
            assert!(
                after.contains(&regions[i - 1]) && start < i,
                "{w}x{h}: {after:?} after a screen from {first_before}"
            );
            screen = next;
        }
        let first = c.keys_drawn("<");
        assert_eq!(c.model.cursors.region.selected, 0);
        assert!(!rows(&first)[BODY_TOP + 1].contains('◀'), "{first}");
    }
}

#[test]
fn at_240_columns_more_than_14_regions_are_drawn_and_paged_at_once() {
    let mut c = LargeConsole::new(240, 70);
    let screen = c.keys_drawn("");
    let cursor = c.model.cursors.region;
    assert!(cursor.height > 14, "{cursor:?}");
    assert_eq!(
        drawn_regions(&c, &screen).len(),
        cursor.height,
        "{}",
        rows(&screen)[BODY_TOP + 1]
    );
    // The 24 regions take two screens: the second is full, so it begins
    // before the 18th.
    let next = c.keys_drawn(">");
    let shown = drawn_regions(&c, &next);
    let regions = &c.model.selected_flow().unwrap().regions;
    assert_eq!(shown.last(), regions.last());
    assert!(shown.len() > 14 && shown.contains(&regions[cursor.height]));
}

#[test]
fn moving_left_inside_the_screen_keeps_the_columns_in_place() {
    let mut c = LargeConsole::new(120, 40);
    let end = c.keys_drawn(&"> ".repeat(10));
    let shown = drawn_regions(&c, &end);
    let cursor = c.model.cursors.region;
    let back = c.keys_drawn(&"left ".repeat(cursor.height - 1));
    assert_eq!(drawn_regions(&c, &back), shown, "no scroll while on screen");
    let past = c.keys_drawn("left");
    let moved = drawn_regions(&c, &past);
    assert_eq!(moved[1], shown[0], "one column further left: {moved:?}");
}
