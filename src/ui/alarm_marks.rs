//! How alarms and bake clocks look: a glyph for each alarm state (with its
//! word wherever there is room, so no state is told by colour alone), the
//! region's worst state beside its name in the grid's header, a cell's mark
//! (firing now, or flapped during its bake, and the bake time left), and the
//! cell detail's lines: each alarm, the bake, its flaps with their times.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::glyphs::fmt_age;
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::domain::alarms::{AlarmKind, AlarmState};
use crate::domain::bake::{BakeClock, bake_clock};
use crate::domain::fleet::{Cell, CellStatus, Flow, Wave};

pub(crate) fn alarm_glyph(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Alarm => "◆",
        AlarmState::InsufficientData => "◌",
        AlarmState::Ok => "◇",
    }
}

pub(crate) fn alarm_style(theme: &Theme, state: AlarmState) -> Style {
    match state {
        AlarmState::Alarm => theme.alarm_alarm,
        AlarmState::InsufficientData => theme.alarm_no_data,
        AlarmState::Ok => theme.alarm_ok,
    }
}

/// The glyph after a region's name in the grid's header: its worst alarm.
/// One glyph and a space, so the header's width grows by two at most.
pub(crate) fn header_mark(model: &Model, flow: &Flow, region: &str) -> Option<AlarmState> {
    model.fleet.alarms.worst(&flow.name, region)
}

/// What a cell shows of its alarms and bake on its first line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CellMark {
    /// `◆ALARM` when an alarm fires now, `◆flap` when one fired during the
    /// bake and recovered.
    alarm: Option<&'static str>,
    /// The bake time left (`◴12m`), while it runs.
    bake_left: Option<String>,
}

impl CellMark {
    /// The mark of a cell that bakes, or waits at a gate: None elsewhere,
    /// where the header already tells the region's alarms.
    pub(crate) fn of(model: &Model, flow: &Flow, wave: &Wave, cell: &Cell) -> Option<CellMark> {
        let clock = bake_clock(
            &model.fleet,
            &model.fleet.alarms,
            &flow.name,
            &wave.name,
            &cell.region,
            model.now,
        );
        let at_gate = cell.status() == CellStatus::AwaitingApproval;
        if clock.is_none() && !at_gate {
            return None;
        }
        let firing = model.fleet.alarms.worst(&flow.name, &cell.region) == Some(AlarmState::Alarm);
        let flapped = clock.as_ref().is_some_and(|c| !c.flaps.is_empty());
        let alarm = if firing {
            Some("◆ALARM")
        } else if flapped {
            Some("◆flap")
        } else {
            None
        };
        let bake_left = clock
            .filter(|c| !c.done())
            .map(|c| format!("◴{}", fmt_age(c.remaining_secs)));
        (alarm.is_some() || bake_left.is_some()).then_some(CellMark { alarm, bake_left })
    }

    /// Its width on the line, a space before each piece.
    pub(crate) fn width(&self) -> usize {
        use unicode_width::UnicodeWidthStr;
        self.alarm.map_or(0, |a| 1 + a.width())
            + self.bake_left.as_ref().map_or(0, |b| 1 + b.width())
    }

    /// The pieces in drawing order, each with its style.
    pub(crate) fn pieces(&self, theme: &Theme) -> Vec<(String, Style)> {
        let mut pieces = Vec::new();
        if let Some(alarm) = self.alarm {
            pieces.push((alarm.to_string(), theme.alarm_alarm));
        }
        if let Some(left) = &self.bake_left {
            pieces.push((left.clone(), theme.bake));
        }
        pieces
    }
}

/// The cell detail's alarm section: the bake, its flaps, then each alarm
/// of the region with its state, reason and since when. Empty when the
/// region has no alarms and the wave no bake.
pub(crate) fn detail_lines<'a>(
    model: &Model,
    flow: &Flow,
    wave: &Wave,
    cell: &Cell,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let clock = bake_clock(
        &model.fleet,
        &model.fleet.alarms,
        &flow.name,
        &wave.name,
        &cell.region,
        model.now,
    );
    let alarms: Vec<_> = model.fleet.alarms.of(&flow.name, &cell.region).collect();
    if clock.is_none() && alarms.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(Span::styled(
        format!(" Alarms in {}", cell.region),
        theme.title.add_modifier(Modifier::BOLD),
    ))];
    if let Some(clock) = &clock {
        lines.extend(bake_lines(clock, model, theme));
    }
    for alarm in alarms {
        let since = alarm
            .since
            .map(|t| {
                format!(
                    " since {} ({} ago)",
                    super::clock::clock(model, t),
                    fmt_age(model.now.as_second() - t.as_second())
                )
            })
            .unwrap_or_default();
        let kind = match alarm.kind {
            AlarmKind::Metric => "",
            AlarmKind::Composite => " (composite)",
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(
                format!("{} {}", alarm_glyph(alarm.state), alarm.state.word()),
                alarm_style(theme, alarm.state),
            ),
            Span::styled(format!(" {}{kind}", alarm.name), theme.base),
            Span::styled(since, theme.dim),
        ]));
        if !alarm.reason.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("      {}", alarm.reason),
                theme.dim,
            )));
        }
    }
    lines
}

fn bake_lines<'a>(clock: &BakeClock, model: &Model, theme: &Theme) -> Vec<Line<'a>> {
    let now = model.now;
    let clock_time = |t| super::clock::clock(model, t);
    let state = if clock.done() {
        format!("baked {} (done)", fmt_age(clock.duration_secs))
    } else {
        format!(
            "baking {} of {}, {} left",
            fmt_age(clock.elapsed_secs),
            fmt_age(clock.duration_secs),
            fmt_age(clock.remaining_secs)
        )
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("  ◴ {state}"), theme.bake),
        Span::styled(
            format!(
                " since the deploy finished at {}",
                clock_time(clock.started_at)
            ),
            theme.dim,
        ),
    ])];
    if clock.flaps.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no alarm fired during the bake",
            theme.dim,
        )));
    }
    for flap in &clock.flaps {
        let recovered = match flap.recovered_at {
            Some(at) => format!(
                ", recovered {} ({} later)",
                clock_time(at),
                fmt_age(at.as_second() - flap.fired_at.as_second())
            ),
            None => format!(
                ", still in ALARM ({})",
                fmt_age(now.as_second() - flap.fired_at.as_second())
            ),
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled("◆ fired during the bake", theme.alarm_alarm),
            Span::styled(
                format!(
                    " {} at {}{recovered}",
                    flap.alarm,
                    clock_time(flap.fired_at)
                ),
                theme.base,
            ),
        ]));
    }
    lines
}
