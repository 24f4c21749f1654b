//! Which text of a frame is a console link: what the runtime writes again
//! as OSC 8 hyperlinks after drawing it (see `output::osc_link`).

use crate::core::links::{cell_links, selected_link};
use crate::core::model::{Model, View};

/// (text on screen, URL) for each console link the frame of `model` shows:
/// every link the cell detail lists, and in the other views the selected
/// item's name wherever it stands alone on a row. Nothing while help or a
/// dialog covers the view.
pub fn hyperlinks(model: &Model) -> Vec<(String, String)> {
    if model.help || model.confirmation.is_some() {
        return Vec::new();
    }
    match model.view {
        View::CellDetail => cell_links(model)
            .into_iter()
            .map(|link| (super::detail::label(&link), link.url))
            .collect(),
        _ => selected_link(model)
            .map(|link| vec![(link.name, link.url)])
            .unwrap_or_default(),
    }
}
