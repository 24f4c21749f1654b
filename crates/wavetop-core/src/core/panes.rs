//! How many rows each scrollable pane has and how many of them fit at the
//! terminal's size, worked out from the frame the console draws (src/ui).
//! The views draw each pane with `Viewport::shown` at the height they really
//! have, so where these sums are an estimate the selection is still on
//! screen. Two panes are measured by the view instead, once it has drawn
//! them (see [`super::laid`]): the grid's columns, as wide as their content,
//! and the cell detail's wrapped lines.

use super::laid::{GridColumns, TextPane};
use super::model::Model;
use super::region_pages::shown_columns;
use super::rows::health_rows;
use super::viewport::Viewport;

/// Rows the frame keeps around every view: header, tab bar, status line and
/// footer.
pub const CHROME_ROWS: u16 = 4;
/// Width of the grid's wave-name column, until the view has measured the grid.
pub const GRID_LABEL_COLUMNS: u16 = 16;
/// Width of a grid region column, until the view has measured the grid.
pub const GRID_MIN_COLUMN: u16 = 15;
/// From this width on the help lists its actions in two columns.
pub const HELP_TWO_COLUMNS_FROM: u16 = 200;
/// From this width on the health view puts the checkers beside the list.
pub const HEALTH_SIDE_BY_SIDE_FROM: u16 = 120;
/// Cell detail lines are wrapped by the view: until it has drawn the detail
/// and said how many there are, scrolling is bounded by what the view clamps.
pub const DETAIL_LINES_UNKNOWN: usize = usize::MAX / 2;

/// Which of the activity view's two panes the keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActivityPane {
    /// This session's actions and errors (above).
    #[default]
    Log,
    /// Every source's freshness (below).
    Sources,
}

/// Rows of the body, between the tab bar and the status line.
pub fn body_rows(height: u16) -> u16 {
    height.saturating_sub(CHROME_ROWS)
}

/// Rows of the sources panel under the activity log, its border included:
/// one per source and at most half the body.
pub fn sources_panel_rows(sources: usize, body: u16) -> u16 {
    u16::try_from(sources.saturating_add(1))
        .unwrap_or(u16::MAX)
        .min(body / 2)
}

/// The number of sources the panel lists: what discovery could not read,
/// then every poll key.
pub fn source_count(model: &Model) -> usize {
    model.discovery_errors.len()
        + usize::from(model.team.read_error.is_some())
        + model.poll.keys().count()
}

/// Rows of the health list: the whole body beside the checkers, or what the
/// checkers leave under it (a third of the body, at least 5 rows).
pub fn health_list_rows(width: u16, body: u16) -> u16 {
    if width >= HEALTH_SIDE_BY_SIDE_FROM {
        body
    } else {
        body.saturating_sub((body / 3).max(5)).max(3)
    }
}

/// Help rows: one per action, in two columns on wide terminals.
pub fn help_rows(actions: usize, width: u16) -> usize {
    if width >= HELP_TWO_COLUMNS_FROM {
        actions.div_ceil(2)
    } else {
        actions
    }
}

/// The revisions view's rows: one per region of every visible flow.
pub fn revision_rows(model: &Model) -> usize {
    model.visible_flows().iter().map(|f| f.regions.len()).sum()
}

/// Sets every pane's row count and height from the model's data and the
/// terminal's size, keeping each selection inside its rows and on screen.
/// Run after anything that changes either.
pub fn fit_viewports(model: &mut Model) {
    let body = body_rows(model.height);
    let rows = |n: u16| usize::from(n);
    let flows = model.visible_flows().len();
    let revisions = revision_rows(model);
    let (waves, regions, executions) = model.selected_flow().map_or((0, 0, 0), |f| {
        (f.waves.len(), f.regions.len(), f.executions.len())
    });
    let health = health_rows(&model.fleet).len();
    let unread_zones = model
        .hosted_zones
        .iter()
        .filter(|z| {
            let source = crate::protocol::zone_source(z);
            model.discovery_errors.iter().any(|e| e.source == source)
        })
        .count();
    let tables = model.fleet.tables.len();
    let table_rows = model
        .fleet
        .tables
        .iter()
        .map(|t| 3 + t.replicas.len() + t.latency.len())
        .max()
        .unwrap_or(1);
    let activity = model.activity.len();
    let sources = source_count(model);
    let sources_panel = sources_panel_rows(sources, body);
    let help = help_rows(model.bindings.all().count(), model.width);
    let width = model.width;
    let grid = measured_columns(model).cloned();

    let c = &mut model.cursors;
    // Title and table header above the rows.
    c.pipeline.fit(flows, rows(body.saturating_sub(2)));
    c.execution.fit(executions, rows(body.saturating_sub(2)));
    c.revision.fit(revisions, rows(body.saturating_sub(2)));
    // Title and two header rows; a wave takes two rows (a pre-deploy row
    // one, so counting two never lets the selected wave fall off).
    c.wave.fit(waves, rows(body.saturating_sub(3)) / 2);
    match &grid {
        Some(grid) => fit_region_columns(&mut c.region, grid),
        None => {
            let columns = width.saturating_sub(GRID_LABEL_COLUMNS) / GRID_MIN_COLUMN;
            c.region.fit(regions, rows(columns.max(1)));
        }
    }
    // The title, then two rows for each zone that could not be read (its
    // name and, mostly, one line of why).
    let health_height = rows(health_list_rows(width, body)).saturating_sub(1 + 2 * unread_zones);
    c.health.fit(health, health_height);
    c.replication.fit(tables, rows(body) / (table_rows + 1));
    c.activity.fit(
        activity,
        rows(body.saturating_sub(sources_panel)).saturating_sub(1),
    );
    c.sources
        .fit(sources, rows(sources_panel.saturating_sub(1)));
    // Inside the help's border.
    c.help.fit(help, rows(body.saturating_sub(2)));
    c.help.scroll_to(c.help.offset);
    let detail = c.measured.detail.unwrap_or(TextPane {
        lines: DETAIL_LINES_UNKNOWN,
        height: rows(body.saturating_sub(1)),
    });
    c.detail.fit(detail.lines, detail.height);
    c.detail.scroll_to(c.detail.offset);
}

/// The grid's columns as the view last measured them, when they are this
/// pipeline's (as many as its regions).
pub fn measured_columns(model: &Model) -> Option<&GridColumns> {
    let regions = model.selected_flow().map_or(0, |f| f.regions.len());
    let grid = model.cursors.measured.grid.as_ref()?;
    (grid.widths.len() == regions).then_some(grid)
}

/// The region cursor's count, offset and height set to the columns
/// [`shown_columns`] puts on screen: what the view draws.
pub(crate) fn fit_region_columns(pane: &mut Viewport, grid: &GridColumns) {
    pane.len = grid.widths.len();
    pane.selected = pane.selected.min(pane.len.saturating_sub(1));
    let shown = shown_columns(&grid.widths, grid.room, pane.offset, pane.selected);
    pane.offset = shown.start;
    pane.height = shown.len();
}
