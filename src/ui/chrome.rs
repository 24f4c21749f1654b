//! The frame around every view: header, view tabs, status line, key hints.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::core::action::ActionName;
use crate::core::model::{Model, View};
use crate::domain::regions::region_time_zone;

pub(crate) fn header(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let mut spans = vec![
        Span::styled(" wavetop ", theme.title.add_modifier(Modifier::BOLD)),
        Span::styled("│ ", theme.dim),
        Span::styled(
            if model.fleet_label.is_empty() {
                "connecting…".to_string()
            } else {
                model.fleet_label.clone()
            },
            theme.header.add_modifier(Modifier::BOLD),
        ),
        Span::styled(" │ ", theme.dim),
        Span::styled(
            model.now.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            theme.header,
        ),
    ];
    if let Some(region) = model.selected_region() {
        spans.push(Span::styled(" │ ", theme.dim));
        spans.push(Span::styled(local_time(model, region), theme.header));
    }
    if model.read_only {
        spans.push(Span::styled(" │ ", theme.dim));
        spans.push(Span::styled(
            "🔒 READ-ONLY",
            theme.header_readonly.add_modifier(Modifier::BOLD),
        ));
    }
    let stale = model.poll.stale_keys(model.now);
    if !stale.is_empty() {
        spans.push(Span::styled(" │ ", theme.dim));
        let names: Vec<String> = stale.iter().map(|k| k.label()).collect();
        spans.push(Span::styled(
            format!("⚠ STALE: {}", names.join(", ")),
            theme.stale.add_modifier(Modifier::BOLD),
        ));
    }
    if !model.discovery_errors.is_empty() {
        spans.push(Span::styled(" │ ", theme.dim));
        let names: Vec<&str> = model
            .discovery_errors
            .iter()
            .map(|e| e.source.as_str())
            .collect();
        spans.push(Span::styled(
            format!("⚠ UNREAD: {}", names.join(", ")),
            theme.stale.add_modifier(Modifier::BOLD),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.header), area);
}

/// `us-west-2 19:10 PST`: the selected region's wall-clock time.
fn local_time(model: &Model, region: &str) -> String {
    let zone = model
        .windows
        .time_zone(region)
        .or_else(|| region_time_zone(region).map(str::to_string));
    match zone.and_then(|z| TimeZone::get(&z).ok()) {
        Some(tz) => format!("{region} {}", model.now.to_zoned(tz).strftime("%H:%M %Z")),
        None => format!("{region} (zone unknown)"),
    }
}

const TABS: [(View, ActionName); 6] = [
    (View::Grid, ActionName::ViewGrid),
    (View::Pipelines, ActionName::ViewPipelines),
    (View::Health, ActionName::ViewHealth),
    (View::Replication, ActionName::ViewReplication),
    (View::Executions, ActionName::ViewExecutions),
    (View::Activity, ActionName::ViewActivity),
];

pub(crate) fn tabs(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let current = if model.view == View::CellDetail {
        View::Grid
    } else {
        model.view
    };
    let mut spans = Vec::new();
    for (view, action) in TABS {
        let key = model.bindings.label(action);
        let text = format!(" {key} {} ", view.title());
        let style = if view == current {
            theme.selected.add_modifier(Modifier::BOLD)
        } else {
            theme.dim
        };
        spans.push(Span::styled(text, style));
    }
    if let Some(flow) = model.selected_flow() {
        spans.push(Span::styled("  ", theme.base));
        spans.push(Span::styled(format!("◆ {}", flow.name), theme.title));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The command line or filter while typing; otherwise the latest message.
pub(crate) fn status_line(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let line = if let Some(cmd) = &model.command {
        let hint = if cmd.completions.is_empty() {
            String::new()
        } else {
            format!(
                "   ⇥ {}",
                cmd.completions
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("  ")
            )
        };
        Line::from(vec![
            Span::styled(format!(":{}█", cmd.input), theme.command_line),
            Span::styled(hint, theme.dim),
        ])
    } else if model.filter_editing {
        Line::from(Span::styled(
            format!("/{}█", model.filter),
            theme.command_line,
        ))
    } else if let Some((_, text)) = &model.flash {
        Line::from(Span::styled(
            format!(" {text}"),
            theme.status_awaiting_approval,
        ))
    } else if !model.filter.is_empty() {
        Line::from(Span::styled(
            format!(" filter: {}  (esc clears)", model.filter),
            theme.dim,
        ))
    } else {
        Line::from("")
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Key hints for the view; operator keys are greyed in read-only mode.
pub(crate) fn footer(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let actions: &[ActionName] = match model.view {
        View::Grid | View::CellDetail => &[
            ActionName::Help,
            ActionName::Quit,
            ActionName::Open,
            ActionName::Approve,
            ActionName::Reject,
            ActionName::RetryFailed,
            ActionName::Hold,
            ActionName::HoldUntilWindow,
            ActionName::Release,
            ActionName::Stop,
            ActionName::Rollback,
            ActionName::Drain,
            ActionName::Restore,
        ],
        View::Health => &[
            ActionName::Help,
            ActionName::Quit,
            ActionName::Drain,
            ActionName::Restore,
        ],
        View::Pipelines => &[
            ActionName::Help,
            ActionName::Quit,
            ActionName::Open,
            ActionName::Filter,
        ],
        _ => &[
            ActionName::Help,
            ActionName::Quit,
            ActionName::Back,
            ActionName::CommandLine,
        ],
    };
    let mut spans = Vec::new();
    for action in actions {
        let keys = model.bindings.keys_for(*action);
        let Some(key) = keys.first() else { continue };
        let greyed = model.read_only && action.is_operate();
        let (key_style, text_style) = if greyed {
            (
                theme.dim.add_modifier(Modifier::CROSSED_OUT),
                theme.dim.add_modifier(Modifier::CROSSED_OUT),
            )
        } else {
            (theme.help_key, theme.base)
        };
        spans.push(Span::styled(format!(" {key}"), key_style));
        spans.push(Span::styled(format!(" {} ", action.as_str()), text_style));
    }
    if model.read_only {
        spans.push(Span::styled(" (read-only)", theme.header_readonly));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
