//! One grid cell: what its two lines say, how wide they are, and drawing
//! them straight into the buffer. What a column's cells share (the region's
//! health, replication lag, stacks) is looked up once a frame, not per cell.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::alarm_marks::CellMark;
use super::cells::{put_str, text_width};
use super::glyphs::{
    BEHIND, CHANGED_ELSEWHERE, action_glyph, cell_glyph, cell_style, condition_glyph,
    condition_style, fmt_age, fmt_ms, health_glyph, health_style, lag_style, stack_short,
    verdict_glyph, verdict_style,
};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::domain::conditions::ConditionMark;
use crate::domain::fleet::{Cell, CellStatus, Flow, RegionHealth, Stack, Wave};
use crate::domain::revisions::Behind;
use crate::domain::verdict::Call;

/// What every cell of one region's column shares.
pub(crate) struct ColumnFacts<'m> {
    pub(crate) health: Option<RegionHealth>,
    /// The replication lag into the region, and as shown: written once for
    /// the column rather than in every cell of it.
    lag: Option<(f64, String)>,
    stacks: Vec<&'m Stack>,
    /// Set only when the region's live revision is behind the newest.
    behind: Option<Behind>,
}

impl<'m> ColumnFacts<'m> {
    /// The facts of every region of `flow`, in column order.
    pub(crate) fn of_flow(model: &'m Model, flow: &Flow) -> Vec<ColumnFacts<'m>> {
        let mut by_region: HashMap<&str, Vec<&'m Stack>> = HashMap::new();
        for stack in &model.fleet.stacks {
            by_region.entry(&stack.region).or_default().push(stack);
        }
        flow.regions
            .iter()
            .map(|region| ColumnFacts {
                health: model.fleet.health.region_summary_for(&flow.name, region),
                lag: model
                    .fleet
                    .lag_into(&flow.name, region)
                    .map(|l| (l, fmt_ms(l))),
                stacks: by_region.remove(region.as_str()).unwrap_or_default(),
                behind: flow.behind(region).filter(|b| b.is_behind()),
            })
            .collect()
    }
}

/// The first line: state glyph and word, how long it has waited or run, and
/// greyed, the earlier execution's result of a cell not yet reached.
pub(crate) struct FirstLine {
    status: CellStatus,
    elapsed: Option<String>,
    earlier: Option<&'static str>,
    /// Alarms firing or flapped during the bake, and the bake time left.
    mark: Option<CellMark>,
    /// The wave's stage conditions, when they hold it or failed.
    condition: Option<ConditionMark>,
    /// The promotion verdict of a waiting gate or of a moving wave's next region.
    verdict: Option<Call>,
}

impl FirstLine {
    pub(crate) fn of(model: &Model, cell: &Cell) -> FirstLine {
        let status = cell.status();
        let elapsed = match status {
            CellStatus::InProgress | CellStatus::AwaitingApproval => cell
                .in_progress_since()
                .map(|t| fmt_age(model.now.as_second() - t.as_second())),
            _ => None,
        };
        let earlier = cell
            .earlier_status()
            .filter(|_| matches!(status, CellStatus::NotStarted | CellStatus::Held))
            .map(action_glyph);
        FirstLine {
            status,
            elapsed,
            earlier,
            mark: None,
            condition: None,
            verdict: None,
        }
    }

    /// The line with the cell's promotion verdict, when it is judged.
    pub(crate) fn judged(self, verdict: Option<Call>) -> FirstLine {
        FirstLine { verdict, ..self }
    }

    /// The line with the cell's alarm and bake mark.
    pub(crate) fn with_mark(self, mark: Option<CellMark>) -> FirstLine {
        FirstLine { mark, ..self }
    }

    /// Marks the line with the wave's condition state, if it needs a mark.
    pub(crate) fn gated_by(mut self, wave: &Wave) -> FirstLine {
        self.condition = wave.conditions.as_ref().and_then(|c| c.mark());
        self
    }

    pub(crate) fn width(&self) -> usize {
        let (glyph, word) = cell_glyph(self.status);
        text_width(glyph)
            + 1
            + text_width(word)
            + self.elapsed.as_ref().map_or(0, |e| 1 + text_width(e))
            + self.verdict.map_or(0, |c| {
                let (g, w) = verdict_glyph(c);
                2 + text_width(g) + text_width(w)
            })
            + self.earlier.map_or(0, |g| 3 + text_width(g))
            + self.mark.as_ref().map_or(0, CellMark::width)
            + self.condition.map_or(0, |m| {
                let (g, w) = condition_glyph(m);
                2 + text_width(g) + text_width(w)
            })
    }
}

/// The second line: changed by someone else, the stack's state, the
/// region's health and the replication lag into it.
pub(crate) struct SecondLine<'f> {
    changed_elsewhere: bool,
    /// `↓2`: the region runs a revision two deployed executions old; on
    /// the cells that deploy to it.
    behind: Option<String>,
    stack: Option<(&'static str, bool)>,
    health: Option<RegionHealth>,
    /// The lag, as shown, and the threshold above which it is a warning.
    lag: Option<(f64, &'f str, f64)>,
}

impl<'f> SecondLine<'f> {
    pub(crate) fn of(
        model: &Model,
        flow: &Flow,
        wave: &Wave,
        cell: &Cell,
        facts: &'f ColumnFacts,
    ) -> SecondLine<'f> {
        let changed_elsewhere = model
            .foreign_changes
            .iter()
            .any(|c| c.touches(&flow.name, &wave.pipeline, &wave.name, &cell.region));
        let named = cell.actions.iter().find_map(|a| a.stack_name.as_deref());
        let stack = match named {
            Some(name) => facts.stacks.iter().find(|s| s.name == name).map(|s| {
                (
                    stack_short(&s.status),
                    s.rollback_in_progress() || s.status.is_failed(),
                )
            }),
            None => None,
        }
        .or_else(|| {
            // A cell whose stack is not known shows the flow's stack in the
            // region, in grey.
            facts
                .stacks
                .iter()
                .find(|s| s.flow == flow.name)
                .map(|s| (stack_short(&s.status), false))
        });
        let deploys = cell.actions.iter().any(|a| a.category == "Deploy");
        SecondLine {
            changed_elsewhere,
            behind: facts.behind.filter(|_| deploys).map(behind_mark),
            stack,
            health: facts.health,
            lag: facts
                .lag
                .as_ref()
                .map(|(l, text)| (*l, text.as_str(), model.lag_warning_ms)),
        }
    }

    pub(crate) fn width(&self) -> usize {
        (if self.changed_elsewhere {
            text_width(CHANGED_ELSEWHERE) + 1
        } else {
            0
        }) + self.behind.as_ref().map_or(0, |b| text_width(b) + 1)
            + self.stack.map_or(0, |(s, _)| text_width(s))
            + self.health.map_or(0, |_| 2)
            + self.lag.map_or(0, |(_, text, _)| 1 + text_width(text))
    }
}

/// `↓2`, or `↓10+` when the live execution is older than every listed one.
fn behind_mark(behind: Behind) -> String {
    match behind {
        Behind::Exactly(n) => format!("{BEHIND}{n}"),
        Behind::AtLeast(n) => format!("{BEHIND}{n}+"),
    }
}

/// Writes `text` at `x` if it fits whole before `end`; returns where the
/// next text goes. A piece that does not fit is left out, never cut.
fn put(buf: &mut Buffer, x: u16, y: u16, end: u16, text: &str, style: Style) -> u16 {
    let w = u16::try_from(text_width(text)).unwrap_or(u16::MAX);
    if x.saturating_add(w) > end {
        return end;
    }
    put_str(buf, x, y, text, w.into(), style);
    x + w
}

/// Writes `glyph word`, a space between, if all three fit before `end`;
/// returns where the next text goes, or `None` (and writes nothing) when
/// they do not fit.
fn put_pair(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    end: u16,
    (glyph, word): (&str, &str),
    style: Style,
) -> Option<u16> {
    let w = text_width(glyph) + 1 + text_width(word);
    if usize::from(end.saturating_sub(x)) < w {
        return None;
    }
    let x = put(buf, x, y, end, glyph, style);
    let x = put(buf, x, y, end, " ", style);
    Some(put(buf, x, y, end, word, style))
}

/// Draws a cell's two lines in `area` (two rows, or one at the bottom edge).
pub(crate) fn draw(
    buf: &mut Buffer,
    area: Rect,
    (first, second): (&FirstLine, &SecondLine<'_>),
    selected: bool,
    theme: &Theme,
) {
    let end = area.x + area.width;
    let mut line1 = Style::default().patch(cell_style(theme, first.status));
    if selected {
        line1 = line1.patch(theme.selected).add_modifier(Modifier::REVERSED);
        buf.set_style(Rect { height: 1, ..area }, line1);
    }
    let (glyph, word) = cell_glyph(first.status);
    let mut x = put(buf, area.x, area.y, end, glyph, line1);
    x = put(buf, x, area.y, end, " ", line1);
    x = put(buf, x, area.y, end, word, line1);
    if let Some(elapsed) = &first.elapsed {
        x = put(buf, x, area.y, end, " ", line1);
        x = put(buf, x, area.y, end, elapsed, line1);
    }
    if let Some(call) = first.verdict {
        let style = if selected {
            line1
        } else {
            verdict_style(theme, call)
        };
        let (g, w) = verdict_glyph(call);
        x = put(buf, x, area.y, end, " ", line1);
        // The word when it fits, else the glyph alone (a narrow column).
        x = put_pair(buf, x, area.y, end, (g, w), style)
            .unwrap_or_else(|| put(buf, x, area.y, end, g, style));
    }
    if let Some(mark) = &first.mark {
        for (text, style) in mark.pieces(theme) {
            let style = if selected { line1 } else { style };
            x = put(buf, x, area.y, end, " ", line1);
            x = put(buf, x, area.y, end, &text, style);
        }
    }
    if let Some(mark) = first.condition {
        let (g, w) = condition_glyph(mark);
        let style = if selected {
            line1
        } else {
            condition_style(theme, mark)
        };
        x = put(buf, x, area.y, end, " ", line1);
        // Glyph and word together or not at all: a lone glyph says too little.
        x = put_pair(buf, x, area.y, end, (g, w), style).unwrap_or(end);
    }
    if let Some(earlier) = first.earlier {
        let style = if selected { line1 } else { theme.dim };
        x = put(buf, x, area.y, end, " (", style);
        x = put(buf, x, area.y, end, earlier, style);
        put(buf, x, area.y, end, ")", style);
    }
    if area.height < 2 {
        return;
    }
    let y = area.y + 1;
    // The selected cell is one uniform reverse-video bar: per-span colours
    // reversed would make a patchwork.
    let bar = theme
        .selected
        .add_modifier(Modifier::REVERSED | Modifier::BOLD);
    if selected {
        buf.set_style(
            Rect {
                y,
                height: 1,
                ..area
            },
            bar,
        );
    }
    let pick = |style: Style| if selected { bar } else { style };
    let mut x = area.x;
    if second.changed_elsewhere {
        let style = pick(theme.status_held.add_modifier(Modifier::BOLD));
        x = put(buf, x, y, end, CHANGED_ELSEWHERE, style);
        x = put(buf, x, y, end, " ", style);
    }
    if let Some(mark) = &second.behind {
        let style = pick(theme.revision_behind);
        x = put(buf, x, y, end, mark, style);
        x = put(buf, x, y, end, " ", pick(Style::default()));
    }
    if let Some((short, bad)) = second.stack {
        let style = if bad { theme.status_failed } else { theme.dim };
        x = put(buf, x, y, end, short, pick(style));
    }
    if let Some(summary) = second.health {
        let status = summary.status();
        let (g, _) = health_glyph(status, summary.drained);
        x = put(buf, x, y, end, " ", pick(Style::default()));
        x = put(
            buf,
            x,
            y,
            end,
            g,
            pick(health_style(theme, status, summary.drained)),
        );
    }
    if let Some((lag, text, warn)) = second.lag
        && x + 1 + u16::try_from(text_width(text)).unwrap_or(u16::MAX) <= end
    {
        x = put(buf, x, y, end, " ", pick(Style::default()));
        put(buf, x, y, end, text, pick(lag_style(theme, lag, warn)));
    }
}
