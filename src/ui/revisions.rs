//! What is live where: one row per region of every visible flow, with the
//! revision deployed there, its commit message and author where the source
//! gives them, when it went live, and how far behind the newest it is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::columns::{TextRow, fitted_table, of_rows};
use super::glyphs::{BEHIND, fmt_age};
use super::scroll::rows_note;
use super::text::titled;
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Pane};
use crate::core::panes::revision_rows;
use crate::domain::fleet::Flow;
use crate::domain::revisions::Behind;
use crate::domain::shared_str::SharedStr;

/// Characters of a revision id shown, as `git log --oneline` shows them.
const SHORT_REVISION: usize = 8;

const HEADERS: [&str; 7] = [
    "flow",
    "region",
    "revision",
    "behind",
    "live since (UTC)",
    "author",
    "commit",
];

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let flows = model.visible_flows();
    let total = revision_rows(model);
    if total == 0 {
        frame.render_widget(Paragraph::new("No regions to show.").style(theme.dim), area);
        return;
    }
    // Under the title and the table's header.
    let shown = model
        .cursors
        .revision
        .shown(usize::from(area.height.saturating_sub(2)));
    let selected = model.cursors.revision.selected;
    let rows: Vec<TextRow> = flows
        .iter()
        .flat_map(|flow| flow.regions.iter().map(move |region| (*flow, region)))
        .enumerate()
        .skip(shown.start)
        .take(shown.len())
        .map(|(i, (flow, region))| (i == selected, row(model, theme, flow, region)))
        .collect();
    // The region and how far behind stay longest; the commit message goes
    // first, then the author, then when it went live.
    let column = |i, min, rank| of_rows(&HEADERS, &rows, i, min, rank);
    let columns = [
        column(0, 8, 6),
        column(1, u16::MAX, 9),
        column(2, u16::MAX, 7),
        column(3, u16::MAX, 8),
        column(4, u16::MAX, 4),
        column(5, 8, 3),
        column(6, 12, 2),
    ];
    let behind = flows
        .iter()
        .flat_map(|f| f.regions.iter().map(move |r| f.behind(r)))
        .filter(|b| b.is_some_and(Behind::is_behind))
        .count();
    let title = Line::from(Span::styled(
        format!(
            " Revisions · {behind} of {total} regions behind{}",
            rows_note(&shown, total)
        ),
        theme.title,
    ));
    let table_area = titled(frame, area, title);
    let table = fitted_table(
        &HEADERS,
        &columns,
        rows,
        table_area.width,
        (theme.dim, theme.selected),
    );
    frame.render_widget(table, table_area);
    // The rows start under the table's header.
    hits.rows(Pane::Revisions, super::hits::line(table_area, 1), shown);
}

/// One region's cells, in [`HEADERS`] order. A region with nothing known
/// live says so in its revision cell, dimmed.
fn row(model: &Model, theme: &Theme, flow: &Flow, region: &str) -> Vec<(String, Style)> {
    let unknown = || ("—".to_string(), theme.dim);
    let name = (flow.name.clone(), theme.base);
    let region_cell = (region.to_string(), theme.base);
    let Some(live) = flow.live_revision(region) else {
        let mut cells = vec![name, region_cell, ("unknown".to_string(), theme.dim)];
        cells.extend(std::iter::repeat_with(unknown).take(HEADERS.len() - 3));
        return cells;
    };
    let revision = match &live.revision_id {
        Some(id) => (id.chars().take(SHORT_REVISION).collect(), theme.base),
        None => unknown(),
    };
    let behind = match flow.behind(region) {
        Some(b) if b.is_behind() => (format!("{BEHIND} {}", b.label()), theme.revision_behind),
        Some(b) => (b.label(), theme.status_succeeded),
        None => unknown(),
    };
    let since = match live.live_since {
        Some(t) => (
            format!(
                "{} ({} ago)",
                super::clock::stamp(model, t, "%m-%d %H:%M"),
                fmt_age(model.now.as_second() - t.as_second())
            ),
            theme.base,
        ),
        None => unknown(),
    };
    let text = |v: &Option<SharedStr>| match v {
        Some(s) => (first_line(s).to_string(), theme.base),
        None => unknown(),
    };
    vec![
        name,
        region_cell,
        revision,
        behind,
        since,
        text(&live.author),
        text(&live.summary),
    ]
}

/// A commit message's subject: its first line.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}
