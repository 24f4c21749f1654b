//! The promotion verdict as text lines: its glyph and word, then each
//! reason with the call it makes alone. Shared by the cell detail and the
//! approve dialog, so both say the same thing the same way.

use ratatui::text::{Line, Span};

use super::glyphs::{verdict_glyph, verdict_style};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::verdicts::flow_verdicts;
use crate::domain::fleet::Flow;
use crate::domain::verdict::Verdict;

/// `Verdict: ✘ NO-GO`, then one line per reason.
pub(crate) fn verdict_lines<'a>(verdict: &Verdict, theme: &Theme) -> Vec<Line<'a>> {
    let (g, w) = verdict_glyph(verdict.call);
    let mut lines = vec![Line::from(vec![
        Span::styled("Verdict: ", theme.dim),
        Span::styled(format!("{g} {w}"), verdict_style(theme, verdict.call)),
    ])];
    for r in &verdict.reasons {
        let (g, _) = verdict_glyph(r.call);
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(g, verdict_style(theme, r.call)),
            Span::raw(" "),
            Span::raw(r.text.clone()),
        ]));
    }
    lines
}

/// The verdict lines of the cell under the cursor, when it is judged.
pub(crate) fn selected_cell_lines<'a>(model: &Model, flow: &Flow, theme: &Theme) -> Vec<Line<'a>> {
    let Some((wave, region)) = model.selected_cell() else {
        return Vec::new();
    };
    flow_verdicts(model, flow)
        .into_iter()
        .find(|(w, r, _)| *w == wave && r == region)
        .map(|(_, _, v)| verdict_lines(&v, theme))
        .unwrap_or_default()
}
