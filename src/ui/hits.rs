//! What the views tell the hit map: ratatui's rectangles in the core's terms.

use ratatui::layout::Rect;

use crate::core::model::View;
use crate::core::mouse::{Area, Target, view_pane};

pub(crate) fn area(rect: Rect) -> Area {
    Area {
        x: rect.x,
        y: rect.y,
        width: rect.width,
        height: rect.height,
    }
}

/// The line `offset` rows below the top of `rect`, as wide as it; empty
/// when that is below its bottom.
pub(crate) fn line(rect: Rect, offset: u16) -> Area {
    Area {
        x: rect.x,
        y: rect.y.saturating_add(offset),
        width: rect.width,
        height: u16::from(offset < rect.height),
    }
}

/// The body of a view, where the wheel scrolls its pane.
pub(crate) fn front_pane(view: View) -> Target {
    Target::Pane(view_pane(view))
}
