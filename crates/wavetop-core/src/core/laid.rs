//! What a frame tells the core after it is drawn ([`Msg::Laid`]): where it
//! put what the pointer can pick, and what only drawing can measure — the
//! width of each grid region column and how many lines the cell detail wraps
//! to. The core pages and clamps by these, so a page moves exactly what the
//! screen showed.
//!
//! [`Msg::Laid`]: super::msg::Msg::Laid

use super::model::Model;
use super::mouse::HitMap;
use super::panes::fit_viewports;

/// One frame's report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Laid {
    pub hits: HitMap,
    pub measures: Measures,
}

/// What the view measured while drawing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Measures {
    /// The grid's region columns, when the grid was drawn.
    pub grid: Option<GridColumns>,
    /// The cell detail's text, when the detail was drawn.
    pub detail: Option<TextPane>,
}

/// The grid's region columns as the view sized them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GridColumns {
    /// Each region's width, the gap after it included, in the flow's order.
    pub widths: Vec<u16>,
    /// The cells beside the wave names that the columns share.
    pub room: u16,
}

/// A text pane as drawn: its lines once wrapped, and the rows showing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextPane {
    pub lines: usize,
    pub height: usize,
}

impl Measures {
    /// These measures with a new frame's: the grid's last until the grid is
    /// drawn again (its columns keep their place while another view is in
    /// front); the detail's only hold for the frame that drew it, since the
    /// next detail opened may be another cell's.
    pub fn merged(&self, frame: Measures) -> Measures {
        Measures {
            grid: frame.grid.or_else(|| self.grid.clone()),
            detail: frame.detail,
        }
    }
}

/// Takes a frame's report. A measure that moves a scroll (the first frame
/// of a grid, a detail that got shorter) asks for one more frame, which
/// measures the same and stops there.
pub(crate) fn on_laid(model: &mut Model, laid: Laid) {
    model.mouse.hits = laid.hits;
    let measures = model.cursors.measured.merged(laid.measures);
    if measures == model.cursors.measured {
        return;
    }
    model.cursors.measured = measures;
    let before = model.cursors.clone();
    fit_viewports(model);
    if model.cursors != before {
        model.needs_render = true;
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::core::action::ActionName;
    use crate::core::bindings::Bindings;
    use crate::core::key::{Key, KeyCode};
    use crate::core::model::View;
    use crate::core::msg::Msg;
    use crate::core::update::update;
    use crate::domain::synthetic;
    use crate::domain::window::Windows;

    /// A console on one pipeline of 3 waves over 24 regions, at 120x40,
    /// whose keys page and move as the default keymap has them.
    fn console() -> (Model, Timestamp) {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let bindings = Bindings::from_pairs([
            (ActionName::PageLeft, vec![Key::char('<')]),
            (ActionName::PageRight, vec![Key::char('>')]),
            (ActionName::Right, vec![Key::plain(KeyCode::Right)]),
            (ActionName::Last, vec![Key::plain(KeyCode::End)]),
            (ActionName::PageUp, vec![Key::plain(KeyCode::PageUp)]),
            (ActionName::Down, vec![Key::plain(KeyCode::Down)]),
        ]);
        let mut model = Model::new(now, bindings, Windows::default(), false);
        model.fleet = synthetic::fleet(3, 24, now);
        model.selected_flow = model.fleet.flows.first().map(|f| f.name.clone());
        model.discovered = true;
        update(
            &mut model,
            Msg::Resize {
                width: 120,
                height: 40,
            },
            now,
        );
        (model, now)
    }

    fn key(model: &mut Model, key: Key, now: Timestamp) {
        update(model, Msg::Key(key), now);
    }

    fn report(model: &mut Model, measures: Measures, now: Timestamp) {
        model.needs_render = false;
        let hits = HitMap::default();
        update(model, Msg::Laid(Laid { hits, measures }), now);
    }

    fn grid(widths: Vec<u16>, room: u16) -> Measures {
        Measures {
            grid: Some(GridColumns { widths, room }),
            detail: None,
        }
    }

    #[test]
    fn regions_page_by_the_widths_the_view_measured() {
        let (mut model, now) = console();
        // Five columns of 20 fit in 104 cells: pages of five.
        report(&mut model, grid(vec![20; 24], 104), now);
        assert_eq!(model.cursors.region.height, 5);
        key(&mut model, Key::char('>'), now);
        let r = model.cursors.region;
        assert_eq!((r.offset, r.selected, r.height), (5, 5, 5));
        key(&mut model, Key::plain(KeyCode::Right), now);
        key(&mut model, Key::char('>'), now);
        let r = model.cursors.region;
        assert_eq!((r.offset, r.selected), (10, 11), "its place on screen kept");
        // Narrower columns measured: more of them to a page.
        report(&mut model, grid(vec![10; 24], 104), now);
        assert_eq!(model.cursors.region.height, 10);
        key(&mut model, Key::char('>'), now);
        let r = model.cursors.region;
        assert_eq!((r.offset, r.selected), (14, 15), "the last screen is full");
        key(&mut model, Key::char('>'), now);
        assert_eq!(model.cursors.region.selected, 23, "then its last column");
        key(&mut model, Key::char('<'), now);
        let r = model.cursors.region;
        assert_eq!((r.offset, r.selected), (4, 13));
        key(&mut model, Key::char('<'), now);
        key(&mut model, Key::char('<'), now);
        assert_eq!(model.cursors.region.selected, 0);
    }

    #[test]
    fn a_measure_that_moves_a_scroll_asks_for_another_frame() {
        let (mut model, now) = console();
        report(&mut model, grid(vec![20; 24], 104), now);
        for _ in 0..23 {
            key(&mut model, Key::plain(KeyCode::Right), now);
        }
        assert_eq!(model.cursors.region.offset, 19);
        // The columns grew wider: the last one alone fills more of the room.
        report(&mut model, grid(vec![40; 24], 104), now);
        assert!(model.needs_render);
        assert_eq!(model.cursors.region.offset, 22);
        // The frame drawn for it reports the same: nothing more to draw.
        report(&mut model, grid(vec![40; 24], 104), now);
        assert!(!model.needs_render);
    }

    #[test]
    fn the_detail_scrolls_by_its_measured_length() {
        let (mut model, now) = console();
        model.view = View::CellDetail;
        let text = TextPane {
            lines: 100,
            height: 30,
        };
        let detail = Measures {
            grid: None,
            detail: Some(text),
        };
        report(&mut model, detail.clone(), now);
        key(&mut model, Key::plain(KeyCode::End), now);
        assert_eq!(
            model.cursors.detail.offset, 70,
            "the last line at the bottom"
        );
        key(&mut model, Key::plain(KeyCode::PageUp), now);
        assert_eq!(model.cursors.detail.offset, 41, "a page, one line kept");
        report(&mut model, detail, now);
        key(&mut model, Key::plain(KeyCode::Down), now);
        assert_eq!(model.cursors.detail.offset, 42);
    }

    #[test]
    fn a_grid_measure_outlives_other_views_and_a_detail_one_does_not() {
        let grid = GridColumns {
            widths: vec![12, 14],
            room: 60,
        };
        let detail = TextPane {
            lines: 80,
            height: 19,
        };
        let m = Measures::default().merged(Measures {
            grid: Some(grid.clone()),
            detail: None,
        });
        let m = m.merged(Measures {
            grid: None,
            detail: Some(detail),
        });
        assert_eq!(m.grid, Some(grid));
        assert_eq!(m.detail, Some(detail));
        assert_eq!(m.merged(Measures::default()).detail, None);
    }
}
