//! The frame around every view: header, view tabs, status line, key hints.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use unicode_width::UnicodeWidthStr;

use super::cells::put_bar;
use super::text::{fit_bar, fit_spans};
use crate::config::theme::Theme;
use crate::core::action::ActionName;
use crate::core::model::{Model, View};
use crate::core::mouse::{HitMap, Target};
use crate::domain::regions::region_time_zone;

pub(crate) fn header(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    // What the operator must not miss (read-only, stale, unread) ranks above
    // the clock; a narrow terminal leaves out the local time first.
    let sep = || Span::styled(" │ ", theme.dim);
    let mut pieces = vec![
        (
            255,
            vec![Span::styled(
                " wavetop",
                theme.title.add_modifier(Modifier::BOLD),
            )],
        ),
        (
            250,
            vec![
                sep(),
                Span::styled(
                    if model.fleet_label.is_empty() {
                        "connecting…".to_string()
                    } else {
                        model.fleet_label.clone()
                    },
                    theme.header.add_modifier(Modifier::BOLD),
                ),
            ],
        ),
        (
            100,
            vec![
                sep(),
                Span::styled(
                    model.now.strftime("%Y-%m-%d %H:%M UTC").to_string(),
                    theme.header,
                ),
            ],
        ),
    ];
    pieces.extend(super::chrome_credentials::header_pieces(model, theme));
    if let Some(region) = model.selected_region() {
        pieces.push((
            90,
            vec![sep(), Span::styled(local_time(model, region), theme.header)],
        ));
    }
    if model.read_only {
        pieces.push((
            240,
            vec![
                sep(),
                Span::styled(
                    "🔒 READ-ONLY",
                    theme.header_readonly.add_modifier(Modifier::BOLD),
                ),
            ],
        ));
    }
    let stale = crate::core::credentials::stale_keys(model);
    if !stale.is_empty() {
        let names: Vec<String> = stale.iter().map(|k| k.label()).collect();
        pieces.push((
            230,
            vec![
                sep(),
                Span::styled(
                    format!("⚠ STALE: {}", names.join(", ")),
                    theme.stale.add_modifier(Modifier::BOLD),
                ),
            ],
        ));
    }
    if !model.discovery_errors.is_empty() {
        let names: Vec<&str> = model
            .discovery_errors
            .iter()
            .map(|e| e.source.as_str())
            .collect();
        pieces.push((
            220,
            vec![
                sep(),
                Span::styled(
                    format!("⚠ UNREAD: {}", names.join(", ")),
                    theme.stale.add_modifier(Modifier::BOLD),
                ),
            ],
        ));
    }
    if let Some(label) = crate::core::stream::stream_label(model) {
        // A failed stream means more requests and slower news: said in the
        // colours of staleness, above the clock.
        let failed = !model.stream.as_ref().is_some_and(|s| s.is_live());
        let style = match failed {
            true => theme.stale.add_modifier(Modifier::BOLD),
            false => theme.header,
        };
        pieces.push((
            if failed { 225 } else { 95 },
            vec![sep(), Span::styled(label, style)],
        ));
    }
    let line = fit_bar(pieces, area.width.into());
    put_bar(frame.buffer_mut(), area, &line, theme.header);
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

const TABS: [(View, ActionName); 7] = [
    (View::Grid, ActionName::ViewGrid),
    (View::Pipelines, ActionName::ViewPipelines),
    (View::Health, ActionName::ViewHealth),
    (View::Replication, ActionName::ViewReplication),
    (View::Executions, ActionName::ViewExecutions),
    (View::Activity, ActionName::ViewActivity),
    (View::Revisions, ActionName::ViewRevisions),
];

pub(crate) fn tabs(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme, hits: &mut HitMap) {
    let current = if model.view == View::CellDetail {
        View::Grid
    } else {
        model.view
    };
    // The current tab stays; others are left out whole from the right, and
    // the flow's name takes what room is left, elided at a word boundary.
    // Where the tabs padded on both sides do not all fit (80 columns), one
    // space between them keeps every tab whole rather than eliding the last.
    let padded: usize = TABS
        .iter()
        .map(|(view, action)| model.bindings.label(*action).width() + view.title().width() + 3)
        .sum();
    let compact = padded > usize::from(area.width);
    let mut pieces = Vec::new();
    let mut texts = Vec::new();
    for (view, action) in TABS {
        let key = model.bindings.label(action);
        let text = if compact {
            format!(" {key} {}", view.title())
        } else {
            format!(" {key} {} ", view.title())
        };
        let (rank, style) = if view == current {
            (255, theme.selected.add_modifier(Modifier::BOLD))
        } else {
            (100, theme.dim)
        };
        texts.push((view, text.clone()));
        pieces.push((rank, vec![Span::styled(text, style)]));
    }
    if let Some(flow) = model.selected_flow() {
        pieces.push((
            50,
            vec![
                Span::styled("  ◆ ", theme.title),
                Span::styled(flow.name.clone(), theme.title),
            ],
        ));
    }
    let bar = fit_bar(pieces, area.width.into());
    record_tabs(&bar, &texts, area, hits);
    put_bar(frame.buffer_mut(), area, &bar, Style::default());
}

/// Where each tab landed in the bar as drawn: the bar leaves tabs out
/// whole (and may elide one), so each is found among its spans in order.
fn record_tabs(bar: &Line, texts: &[(View, String)], area: Rect, hits: &mut HitMap) {
    let mut x = area.x;
    let mut tabs = texts.iter();
    for span in &bar.spans {
        let width = u16::try_from(span.width()).unwrap_or(u16::MAX);
        let content = span.content.trim_end_matches('…');
        if !content.trim().is_empty()
            && let Some((view, _)) = tabs.clone().find(|(_, text)| text.starts_with(content))
        {
            // Tabs before the one found were left out; none comes back.
            while tabs.next().is_some_and(|(v, _)| v != view) {}
            let tab = Rect {
                x,
                width: width.min((area.x + area.width).saturating_sub(x)),
                ..area
            };
            hits.add(super::hits::area(tab), Target::Tab(*view));
        }
        x = x.saturating_add(width);
    }
}

/// The command line or filter while typing; otherwise the latest message.
/// A message too long for the line loses whole trailing words, marked `…`;
/// what is being typed is drawn as typed.
pub(crate) fn status_line(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let width = usize::from(area.width);
    let line = if let Some(cmd) = &model.command {
        let input = Span::styled(format!(":{}█", cmd.input), theme.command_line);
        let room = width.saturating_sub(input.width());
        let mut spans = vec![input];
        if !cmd.completions.is_empty() {
            let hint = format!(
                "   ⇥ {}",
                cmd.completions
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("  ")
            );
            spans.extend(fit_spans(vec![Span::styled(hint, theme.dim)], room).spans);
        }
        Line::from(spans)
    } else if model.filter_editing {
        Line::from(Span::styled(
            format!("/{}█", model.filter),
            theme.command_line,
        ))
    } else if let Some((_, text)) = &model.flash {
        fit_spans(
            vec![Span::styled(
                format!(" {text}"),
                theme.status_awaiting_approval,
            )],
            width,
        )
    } else if let Some(banner) = super::chrome_credentials::banner(model, theme, width) {
        // Under a message for ten seconds, above everything else.
        banner
    } else if !model.filter.is_empty() {
        fit_spans(
            vec![Span::styled(
                format!(" filter: {}  (esc clears)", model.filter),
                theme.dim,
            )],
            width,
        )
    } else if let Some(note) = model.team.copy.note() {
        // Lines waiting for the team's log group: quiet while they go out,
        // marked once sending them fails.
        let style = match model.team.copy.last_error {
            Some(_) => theme.status_awaiting_approval,
            None => theme.dim,
        };
        fit_spans(vec![Span::styled(format!(" {note}"), style)], width)
    } else {
        Line::from("")
    };
    put_bar(frame.buffer_mut(), area, &line, Style::default());
}

const READ_ONLY_HINT: &str = " (read-only)";

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
    // Hints in order of use; those that no longer fit are left out whole.
    let mut room = usize::from(area.width);
    if model.read_only {
        room = room.saturating_sub(READ_ONLY_HINT.width());
    }
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
        let key = Span::styled(format!(" {key}"), key_style);
        let name = Span::styled(format!(" {} ", action.as_str()), text_style);
        let Some(left) = room.checked_sub(key.width() + name.width()) else {
            break;
        };
        room = left;
        spans.push(key);
        spans.push(name);
    }
    if model.read_only {
        spans.push(Span::styled(READ_ONLY_HINT, theme.header_readonly));
    }
    put_bar(
        frame.buffer_mut(),
        area,
        &Line::from(spans),
        Style::default(),
    );
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::core::bindings::Bindings;
    use crate::domain::window::Windows;

    /// The status line drawn `width` cells wide, as text.
    fn status_text(model: &Model, width: u16) -> String {
        let theme = Theme::preset("dark").unwrap();
        let mut terminal = Terminal::new(TestBackend::new(width, 1)).unwrap();
        terminal
            .draw(|f| status_line(f, f.area(), model, &theme))
            .unwrap();
        let text = crate::ui::buffer_text(terminal.backend().buffer());
        text.trim_end().to_string()
    }

    fn model() -> Model {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        Model::new(now, Bindings::default(), Windows::default(), false)
    }

    #[test]
    fn a_message_too_long_for_the_line_loses_whole_words() {
        let mut model = model();
        model
            .flash("refused: draining us-east-1 would leave orders.example.com. no healthy region");
        assert_eq!(
            status_text(&model, 40),
            " refused: draining us-east-1 would…"
        );
        model.flash = None;
        model.filter = "checkout-service".into();
        assert_eq!(status_text(&model, 24), " filter: checkout…");
        assert_eq!(
            status_text(&model, 80),
            " filter: checkout-service  (esc clears)"
        );
    }

    #[test]
    fn typed_text_stays_and_completions_are_left_out_whole() {
        let mut model = model();
        model.command = Some(crate::core::model::CommandLine {
            input: "hold".into(),
            completions: vec!["hold".into(), "hold-until-window".into()],
        });
        assert_eq!(status_text(&model, 20), ":hold█   ⇥ hold…");
        assert_eq!(
            status_text(&model, 40),
            ":hold█   ⇥ hold  hold-until-window"
        );
    }

    #[test]
    fn lines_waiting_for_the_team_log_are_shown_until_delivered() {
        use crate::core::msg::Msg;
        use crate::core::team::CopyStatus;
        let mut model = model();
        let now = model.now;
        let status = |waiting, error: Option<&str>| {
            Msg::TeamCopy(CopyStatus {
                waiting,
                last_error: error.map(str::to_string),
            })
        };
        crate::core::update::update(&mut model, status(3, Some("throttled")), now);
        assert_eq!(
            status_text(&model, 60),
            " audit copy: 3 lines not delivered, retrying"
        );
        crate::core::update::update(&mut model, status(0, None), now);
        assert_eq!(status_text(&model, 60), "");
    }
}
