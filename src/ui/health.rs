//! Record sets by name and policy, each region's record with its health
//! check, and the per-checker observations of the selected check.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::columns::{self, Column};
use super::glyphs::{fmt_age, health_glyph, health_style};
use super::scroll::rows_note;
use super::text::{fit_spans, pad, selected_line, wrap};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Pane, Target};
use crate::core::panes::{HEALTH_SIDE_BY_SIDE_FROM, health_list_rows};
use crate::core::rows::{HealthRow, health_row_record, health_rows, selected_check_id};
use crate::domain::fleet::{HealthStatus, RoutingPolicy};
use crate::protocol::zone_source;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let [list, checkers] = if area.width >= HEALTH_SIDE_BY_SIDE_FROM {
        Layout::horizontal([Constraint::Min(70), Constraint::Length(62)]).areas(area)
    } else {
        // The rows the core scrolls the list by.
        let list = health_list_rows(area.width, area.height);
        Layout::vertical([Constraint::Length(list), Constraint::Fill(1)]).areas(area)
    };
    render_list(frame, list, model, theme, hits);
    render_checkers(frame, checkers, model, theme);
}

/// Widths of a record's region, routing detail, check state and check id
/// columns: each as wide as the widest it holds; the id and the routing
/// detail are left out first when the list is narrow.
fn record_columns(model: &Model, width: u16) -> Vec<Option<u16>> {
    let records = || {
        model
            .fleet
            .health
            .record_sets
            .iter()
            .flat_map(|s| &s.records)
    };
    let cols = [
        Column::fitting("", records().map(|r| r.region.as_str()), u16::MAX, 9),
        Column::fitting(
            "",
            records().filter_map(|r| r.routing_detail.as_deref()),
            u16::MAX,
            3,
        ),
        Column::fitting("", ["✖ UNHEALTHY"], u16::MAX, 8),
        // A check id is long; the checkers panel names it in full.
        Column {
            min: 9,
            max: 14,
            rank: 1,
        },
    ];
    // What follows the columns (flags, the check's target) takes the rest;
    // keep room for the flags that warn.
    columns::layout(&cols, width.saturating_sub(30), 1)
}

fn policy_name(p: RoutingPolicy) -> &'static str {
    match p {
        RoutingPolicy::Latency => "latency",
        RoutingPolicy::Failover => "failover",
        RoutingPolicy::Geolocation => "geolocation",
        RoutingPolicy::Weighted => "weighted",
        RoutingPolicy::Simple => "simple",
    }
}

fn render_list(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme, hits: &mut HitMap) {
    let rows = health_rows(&model.fleet);
    let zones = zone_lines(model, rows.is_empty(), area.width, theme);
    // Under the title and what could not be read.
    let room = usize::from(area.height).saturating_sub(1 + zones.len());
    let shown = model.cursors.health.shown(room);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            " {} record sets · {} health checks{}",
            model.fleet.health.record_sets.len(),
            model.fleet.health.checks.len(),
            rows_note(&shown, rows.len())
        ),
        theme.title,
    ))];
    lines.extend(zones);
    let widths = record_columns(model, area.width.saturating_sub(3));
    for (i, row) in rows.iter().enumerate().skip(shown.start).take(shown.len()) {
        let Some((set, record)) = health_row_record(&model.fleet, *row) else {
            continue;
        };
        let mut line = match (row, record) {
            (HealthRow::RecordSet { .. }, _) => Line::from(vec![
                Span::styled(
                    format!(" {} ", set.name),
                    theme.title.add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!("{} {}", set.record_type, policy_name(set.policy)),
                    theme.dim,
                ),
                Span::styled(
                    set.flow
                        .as_deref()
                        .map(|f| format!("  ({f})"))
                        .unwrap_or_default(),
                    theme.dim,
                ),
            ]),
            (_, Some(r)) => {
                let check = r
                    .health_check_id
                    .as_deref()
                    .and_then(|id| model.fleet.health.check(id));
                let (status, status_style, id) = match check {
                    Some(c) => {
                        let (g, w) = health_glyph(c.status, c.inverted);
                        (
                            format!("{g} {w}"),
                            health_style(theme, c.status, c.inverted),
                            c.id.clone(),
                        )
                    }
                    None => (String::new(), theme.dim, String::new()),
                };
                let mut spans = vec![Span::raw("   ")];
                spans.extend(columns::spans(
                    vec![
                        (r.region.clone(), theme.base),
                        (r.routing_detail.clone().unwrap_or_default(), theme.dim),
                        (status, status_style),
                        (id, theme.dim),
                    ],
                    &widths,
                    1,
                ));
                spans.push(Span::raw(" "));
                match r
                    .health_check_id
                    .as_deref()
                    .and_then(|id| model.fleet.health.check(id))
                {
                    Some(c) => {
                        if c.inverted {
                            // The metric follows an inversion minutes later.
                            let lag = if c.status == HealthStatus::Healthy {
                                " (metric still says healthy)"
                            } else {
                                ""
                            };
                            spans.push(Span::styled(
                                format!(" INVERTED{lag}"),
                                theme.health_drained.add_modifier(Modifier::BOLD),
                            ));
                        } else if c.metric_is_stale() {
                            spans.push(Span::styled(
                                " METRIC STALE (not counted)",
                                theme.health_unknown.add_modifier(Modifier::BOLD),
                            ));
                        }
                        if c.disabled {
                            spans.push(Span::styled(
                                " DISABLED(counts as healthy!)",
                                theme.status_failed.add_modifier(Modifier::BOLD),
                            ));
                        }
                        spans.push(Span::styled(format!("  {}", c.target), theme.dim));
                    }
                    None if r.health_check_id.is_some() => {
                        spans.push(Span::styled("? check not found", theme.health_unknown));
                    }
                    None => spans.push(Span::styled("no health check (always routed)", theme.dim)),
                }
                fit_spans(spans, area.width.into())
            }
            _ => continue,
        };
        if i == model.cursors.health.selected {
            line = selected_line(line, theme.selected);
        }
        let offset = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        hits.add(
            super::hits::line(area, offset),
            Target::Row {
                pane: Pane::Health,
                index: i,
            },
        );
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Each configured zone that could not be read, by name and why; and when
/// no record set is shown, why not.
fn zone_lines(model: &Model, no_rows: bool, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut failed = 0;
    for zone in &model.hosted_zones {
        let source = zone_source(zone);
        if let Some(e) = model.discovery_errors.iter().find(|e| e.source == source) {
            failed += 1;
            lines.push(Line::from(Span::styled(
                format!("  ✖ {source} could not be read:"),
                theme.activity_error,
            )));
            let indent = "      ";
            for part in wrap(&e.message, (width as usize).saturating_sub(indent.len())) {
                lines.push(Line::from(Span::styled(
                    format!("{indent}{part}"),
                    theme.activity_error,
                )));
            }
        }
    }
    if no_rows {
        let text = if model.hosted_zones.is_empty() {
            "  no record sets found (configure hosted zones)".to_string()
        } else if failed < model.hosted_zones.len() {
            format!(
                "  no routed record sets (with a set identifier) in {}",
                model.hosted_zones.join(", ")
            )
        } else {
            return lines;
        };
        lines.push(Line::from(Span::styled(text, theme.dim)));
    }
    lines
}

fn render_checkers(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border);
    let id = selected_check_id(&model.fleet, model.cursors.health.selected);
    let Some(check) = id.as_deref().and_then(|id| model.fleet.health.check(id)) else {
        frame.render_widget(
            Paragraph::new(Span::styled(
                " select a record with a health check",
                theme.dim,
            ))
            .block(block.title(" checkers ")),
            area,
        );
        return;
    };
    let mut lines = Vec::new();
    if check.checkers.is_empty() {
        lines.push(Line::from(Span::styled(
            " reading per-checker status…",
            theme.dim,
        )));
    }
    for obs in &check.checkers {
        let (g, style) = if obs.healthy {
            ("●", theme.health_healthy)
        } else {
            ("✖", theme.health_unhealthy)
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {g} {} ", pad(&obs.checker_region, 15)), style),
            Span::styled(
                format!(
                    "{} ago  {}",
                    fmt_age(model.now.as_second() - obs.observed_at.as_second()),
                    obs.reason
                ),
                theme.dim,
            ),
        ]));
    }
    let title = format!(" checkers of {} ({}) ", check.id, check.region);
    frame.render_widget(
        Paragraph::new(lines).block(block.title(Span::styled(title, theme.title))),
        area,
    );
}
