//! Every scrollable pane through update() with synthetic keys: End, Home,
//! PageUp and PageDown move the selection and keep it on screen, and so
//! does a terminal that shrinks.

use wavetop::core::viewport::Viewport;

use crate::large_fleet::{ACTIVITY, EXECUTIONS, LargeConsole, PIPELINES};

/// The selection lies in the rows the core scrolled to.
fn assert_on_screen(pane: &Viewport, what: &str) {
    assert!(pane.height > 0, "{what}: a height is known: {pane:?}");
    assert!(
        pane.offset <= pane.selected && pane.selected < pane.offset + pane.height,
        "{what}: selection off screen: {pane:?}"
    );
}

/// End selects the last row, PageUp moves a page up, Home the first row,
/// PageDown a page down; each time the selection stays on screen.
fn walk(c: &mut LargeConsole, pane: fn(&LargeConsole) -> Viewport, len: usize, what: &str) {
    c.keys("end");
    let p = pane(c);
    assert_eq!((p.len, p.selected), (len, len - 1), "{what}: end");
    assert_eq!(
        p.offset,
        len.saturating_sub(p.height),
        "{what}: the last row at the bottom"
    );
    assert_on_screen(&p, what);
    c.keys("pageup");
    let up = pane(c);
    assert_eq!(
        up.selected,
        (len - 1).saturating_sub(p.page()),
        "{what}: pageup"
    );
    assert_on_screen(&up, what);
    c.keys("home");
    let p = pane(c);
    assert_eq!((p.selected, p.offset), (0, 0), "{what}: home");
    c.keys("pagedown pagedown");
    let down = pane(c);
    assert_eq!(
        down.selected,
        (2 * p.page()).min(len - 1),
        "{what}: pagedown"
    );
    assert_on_screen(&down, what);
}

#[test]
fn every_list_pages_and_jumps_to_its_ends() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut c = LargeConsole::new(w, h);
        c.keys("2");
        walk(&mut c, |c| c.model.cursors.pipeline, PIPELINES, "pipelines");
        c.keys("1");
        walk(&mut c, |c| c.model.cursors.wave, 12, "grid waves");
        c.keys("5");
        walk(
            &mut c,
            |c| c.model.cursors.execution,
            EXECUTIONS,
            "executions",
        );
        c.keys("3");
        // One record set over 24 regions: its title row and a row each.
        walk(&mut c, |c| c.model.cursors.health, 25, "health");
        c.keys("6");
        walk(&mut c, |c| c.model.cursors.activity, ACTIVITY, "activity");
        let sources = c.model.poll.keys().count();
        c.keys("right");
        walk(&mut c, |c| c.model.cursors.sources, sources, "sources");
        let log = c.model.cursors.activity;
        assert_eq!(
            log.selected,
            2 * log.page(),
            "the log keeps its place while the sources move"
        );
    }
}

#[test]
fn the_grid_scrolls_its_columns_to_the_selected_region() {
    let mut c = LargeConsole::new(80, 24);
    c.keys(&"right ".repeat(30));
    let region = c.model.cursors.region;
    assert_eq!(region.selected, 23, "stops at the last region");
    assert_on_screen(&region, "regions");
    c.keys(&"left ".repeat(region.height - 1));
    let back = c.model.cursors.region;
    assert_eq!(
        back.offset, region.offset,
        "moving inside the screen does not scroll"
    );
    c.keys("left");
    assert_eq!(c.model.cursors.region.offset, region.offset - 1);
}

#[test]
fn help_and_cell_detail_scroll_their_text() {
    let mut c = LargeConsole::new(80, 24);
    c.keys("?");
    c.keys("end");
    let help = c.model.cursors.help;
    assert_eq!(
        help.offset,
        help.len - help.height,
        "end shows the last rows"
    );
    c.keys("pageup");
    assert_eq!(c.model.cursors.help.offset, help.offset - help.page());
    c.keys("home");
    assert_eq!(c.model.cursors.help.offset, 0);
    c.keys("esc enter pagedown");
    let detail = c.model.cursors.detail;
    assert_eq!(detail.offset, detail.page(), "a page of the cell detail");
    c.keys("home");
    assert_eq!(c.model.cursors.detail.offset, 0);
}

#[test]
fn the_selection_stays_on_screen_when_the_terminal_shrinks() {
    let mut c = LargeConsole::new(120, 40);
    c.keys("2 end 1 end 5 end 3 end 6 end");
    c.resize(80, 24);
    let cursors = &c.model.cursors;
    for (pane, what) in [
        (cursors.pipeline, "pipelines"),
        (cursors.wave, "waves"),
        (cursors.execution, "executions"),
        (cursors.health, "health"),
        (cursors.activity, "activity"),
    ] {
        assert_eq!(pane.selected, pane.len - 1, "{what}: still the last row");
        assert_on_screen(&pane, what);
    }
    // Shrinking to the smallest console and back keeps it too.
    c.resize(40, 10);
    assert_on_screen(&c.model.cursors.activity, "activity at 40x10");
    c.keys("2");
    c.resize(100, 30);
    assert_on_screen(&c.model.cursors.pipeline, "pipelines at 100x30");
    assert!(c.screen().contains("svc-199"), "the last pipeline is drawn");
}

#[test]
fn a_filter_that_shrinks_the_list_brings_the_selection_back() {
    let mut c = LargeConsole::new(80, 24);
    c.keys("2 end");
    c.keys("/ 1 9 enter");
    let p = c.model.cursors.pipeline;
    // svc-019, svc-119 and svc-190..svc-199.
    assert_eq!(p.len, 12);
    assert_eq!((p.selected, p.offset), (0, 0));
    c.keys("end");
    assert!(c.screen().contains("svc-199"));
}
