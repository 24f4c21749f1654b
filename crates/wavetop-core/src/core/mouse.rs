//! The mouse in the core's terms. The view reports where it drew what can be
//! pointed at (a [`HitMap`], sent back as [`Msg::Laid`](super::msg::Msg::Laid)
//! after each frame); a pointer event is resolved against the last one here.
//!
//! The pointer only does what keys do that change nothing in AWS: pick a
//! tab, a row or a cell, scroll, open (a double click is Enter). While a
//! confirmation is open it does nothing at all, so no click can confirm,
//! cancel or type into a dialog: every call that changes AWS still goes
//! through the same dialog, confirmed with the keyboard.

use std::ops::Range;

use jiff::{SignedDuration, Timestamp};

use super::action::ActionName;
use super::model::{Model, View};
use super::msg::Effect;
use super::nav;
use super::panes::ActivityPane;
use super::update::dispatch;
use super::viewport::Viewport;

/// Two clicks on the same target at most this far apart are a double click.
pub const DOUBLE_CLICK_MS: i64 = 400;
/// Rows one notch of the wheel moves a list's selection or a text's top line.
pub const WHEEL_ROWS: usize = 3;

/// A rectangle of terminal cells, in the terminal's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(&self, column: u16, row: u16) -> bool {
        column >= self.x
            && row >= self.y
            && u32::from(column) < u32::from(self.x) + u32::from(self.width)
            && u32::from(row) < u32::from(self.y) + u32::from(self.height)
    }
}

/// A part of the screen that scrolls on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Pipelines,
    /// The grid's waves.
    Grid,
    /// The cell detail's text.
    Detail,
    Health,
    Replication,
    Executions,
    Revisions,
    /// The activity log.
    Activity,
    /// The sources panel under the activity log.
    Sources,
}

impl Pane {
    /// The view that draws this pane.
    pub fn view(self) -> View {
        match self {
            Pane::Pipelines => View::Pipelines,
            Pane::Grid => View::Grid,
            Pane::Detail => View::CellDetail,
            Pane::Health => View::Health,
            Pane::Replication => View::Replication,
            Pane::Executions => View::Executions,
            Pane::Revisions => View::Revisions,
            Pane::Activity | Pane::Sources => View::Activity,
        }
    }
}

/// What was drawn at a place on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A view's tab in the tab bar.
    Tab(View),
    /// Row `index` of a list (its index in the whole list, not on screen).
    Row { pane: Pane, index: usize },
    /// A grid cell: wave row and region column, by index in the flow.
    Cell { wave: usize, region: usize },
    /// A pane's area where no row is: the wheel scrolls it.
    Pane(Pane),
}

impl Target {
    fn pane(self) -> Option<Pane> {
        match self {
            Target::Tab(_) => None,
            Target::Row { pane, .. } | Target::Pane(pane) => Some(pane),
            Target::Cell { .. } => Some(Pane::Grid),
        }
    }
}

/// Where the last frame drew each target. Later entries were drawn over
/// earlier ones (a row over its pane), so they win.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HitMap {
    hits: Vec<(Area, Target)>,
}

impl HitMap {
    pub fn add(&mut self, area: Area, target: Target) {
        if area.width > 0 && area.height > 0 {
            self.hits.push((area, target));
        }
    }

    /// The rows `shown` of a list drawn one per line from `first_line` down:
    /// row `shown.start` on `first_line`.
    pub fn rows(&mut self, pane: Pane, first_line: Area, shown: Range<usize>) {
        for (line, index) in (first_line.y..).zip(shown) {
            self.add(
                Area {
                    y: line,
                    height: 1,
                    ..first_line
                },
                Target::Row { pane, index },
            );
        }
    }

    /// What is drawn on top at a cell of the screen.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        self.hits
            .iter()
            .rev()
            .find(|(area, _)| area.contains(column, row))
            .map(|(_, target)| *target)
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// The left button went down.
    Click,
    WheelUp,
    WheelDown,
}

/// One pointer event at a terminal cell (0-based column and row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

/// What the pointer needs to remember between events.
#[derive(Debug, Clone, PartialEq)]
pub struct MouseState {
    /// What the last frame drew where.
    pub hits: HitMap,
    /// The last single click, to tell a double click.
    last_click: Option<(Target, Timestamp)>,
    /// How far apart, on the console's clock, two clicks still make a pair.
    double_click: SignedDuration,
    /// Whether the terminal is asked to report the mouse (`[ui] mouse`):
    /// the runtime takes it, the help says what it does. Off until the
    /// app turns it on, as the core knows no terminal.
    pub captured: bool,
}

impl Default for MouseState {
    fn default() -> Self {
        Self::for_clock_speed(1.0)
    }
}

impl MouseState {
    /// A double click is about how fast a hand clicks, so it is measured in
    /// the operator's time: on a simulated clock running `speed` times
    /// faster than the wall clock, it spans `speed` times as much clock time.
    pub fn for_clock_speed(speed: f64) -> Self {
        let ms = DOUBLE_CLICK_MS as f64 * speed.max(1e-3);
        Self {
            hits: HitMap::default(),
            last_click: None,
            double_click: SignedDuration::from_millis(ms.round() as i64),
            captured: false,
        }
    }
}

/// A pointer event as the console takes it: ignored wherever keys type
/// text or confirm (a dialog, the command line, the filter) and where the
/// screen is too small to show what would be clicked.
pub(crate) fn on_mouse(model: &mut Model, mouse: Mouse, fx: &mut Vec<Effect>) {
    if model.confirmation.is_some()
        || model.command.is_some()
        || model.filter_editing
        || model.too_small()
    {
        model.mouse.last_click = None;
        return;
    }
    let target = model.mouse.hits.at(mouse.column, mouse.row);
    if model.help {
        // The help covers the view: the wheel scrolls it, clicks do nothing.
        let action = match mouse.kind {
            MouseKind::Click => return,
            MouseKind::WheelUp => ActionName::Up,
            MouseKind::WheelDown => ActionName::Down,
        };
        for _ in 0..WHEEL_ROWS {
            nav::scroll_help(model, action);
        }
        model.needs_render = true;
        return;
    }
    match mouse.kind {
        MouseKind::Click => {
            if let Some(target) = target {
                click(model, target, fx);
            }
        }
        MouseKind::WheelUp | MouseKind::WheelDown => {
            let down = mouse.kind == MouseKind::WheelDown;
            // The pane under the pointer, or else the view in front.
            let pane = target.and_then(Target::pane).or_else(|| front_pane(model));
            if let Some(pane) = pane {
                wheel(model, pane, down);
            }
        }
    }
}

fn click(model: &mut Model, target: Target, fx: &mut Vec<Effect>) {
    let now = model.now;
    let span = model.mouse.double_click;
    let double = model
        .mouse
        .last_click
        .is_some_and(|(last, at)| last == target && now.duration_since(at) <= span);
    // A third click starts a new pair rather than opening twice.
    model.mouse.last_click = (!double).then_some((target, now));
    match target {
        Target::Tab(view) => {
            if let Some(action) = view_action(view) {
                dispatch(model, action, false, fx);
            }
            return;
        }
        Target::Pane(_) => return,
        Target::Row { pane, index } => {
            if pane.view() != model.view {
                return;
            }
            let Some(list) = focus(model, pane) else {
                return;
            };
            list.select(index);
            if pane == Pane::Health {
                nav::follow_selected_check(model);
            }
        }
        Target::Cell { wave, region } => {
            if model.view != View::Grid {
                return;
            }
            model.cursors.wave.select(wave);
            model.cursors.region.select(region);
        }
    }
    model.needs_render = true;
    if double {
        dispatch(model, ActionName::Open, false, fx);
    }
}

fn wheel(model: &mut Model, pane: Pane, down: bool) {
    if pane.view() != model.view {
        return;
    }
    let Some(viewport) = focus(model, pane) else {
        return;
    };
    if pane == Pane::Detail {
        let rows = isize::try_from(WHEEL_ROWS).unwrap_or(1);
        viewport.scroll(if down { rows } else { -rows });
    } else if down {
        viewport.down(WHEEL_ROWS);
    } else {
        viewport.up(WHEEL_ROWS);
    }
    if pane == Pane::Health {
        nav::follow_selected_check(model);
    }
    model.needs_render = true;
}

/// The pane's viewport; in the activity view the pane pointed at is also
/// the one the keys move from then on.
fn focus(model: &mut Model, pane: Pane) -> Option<&mut Viewport> {
    match pane {
        Pane::Activity => model.activity_pane = ActivityPane::Log,
        Pane::Sources => model.activity_pane = ActivityPane::Sources,
        _ => {}
    }
    let c = &mut model.cursors;
    Some(match pane {
        Pane::Pipelines => &mut c.pipeline,
        Pane::Grid => &mut c.wave,
        Pane::Detail => &mut c.detail,
        Pane::Health => &mut c.health,
        Pane::Replication => &mut c.replication,
        Pane::Executions => &mut c.execution,
        Pane::Revisions => &mut c.revision,
        Pane::Activity => &mut c.activity,
        Pane::Sources => &mut c.sources,
    })
}

/// The pane that is a view's body (the activity view's log, of its two).
pub fn view_pane(view: View) -> Pane {
    match view {
        View::Pipelines => Pane::Pipelines,
        View::Grid => Pane::Grid,
        View::CellDetail => Pane::Detail,
        View::Health => Pane::Health,
        View::Replication => Pane::Replication,
        View::Executions => Pane::Executions,
        View::Revisions => Pane::Revisions,
        View::Activity => Pane::Activity,
    }
}

/// The pane the wheel scrolls in the view in front when the pointer is on
/// none: in the activity view, the one the keys move.
fn front_pane(model: &Model) -> Option<Pane> {
    Some(match (view_pane(model.view), model.activity_pane) {
        (Pane::Activity, ActivityPane::Sources) => Pane::Sources,
        (pane, _) => pane,
    })
}

/// The action a view's tab stands for.
fn view_action(view: View) -> Option<ActionName> {
    Some(match view {
        View::Pipelines => ActionName::ViewPipelines,
        View::Grid => ActionName::ViewGrid,
        View::CellDetail => return None,
        View::Health => ActionName::ViewHealth,
        View::Replication => ActionName::ViewReplication,
        View::Executions => ActionName::ViewExecutions,
        View::Revisions => ActionName::ViewRevisions,
        View::Activity => ActionName::ViewActivity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(x: u16, y: u16, width: u16, height: u16) -> Area {
        Area {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn what_was_drawn_last_at_a_place_is_what_is_hit() {
        let mut hits = HitMap::default();
        hits.add(area(0, 2, 80, 10), Target::Pane(Pane::Pipelines));
        hits.rows(Pane::Pipelines, area(0, 4, 80, 1), 5..8);
        assert_eq!(
            hits.at(10, 4),
            Some(Target::Row {
                pane: Pane::Pipelines,
                index: 5
            })
        );
        assert_eq!(
            hits.at(79, 6),
            Some(Target::Row {
                pane: Pane::Pipelines,
                index: 7
            })
        );
        // Below the rows, still in the pane.
        assert_eq!(hits.at(10, 7), Some(Target::Pane(Pane::Pipelines)));
        // Off the right edge and above the pane.
        assert_eq!(hits.at(80, 4), None);
        assert_eq!(hits.at(10, 1), None);
    }

    #[test]
    fn on_a_faster_clock_a_double_click_spans_as_much_of_the_operators_time() {
        let ms = |m| SignedDuration::from_millis(m);
        assert_eq!(MouseState::default().double_click, ms(DOUBLE_CLICK_MS));
        assert_eq!(MouseState::for_clock_speed(60.0).double_click, ms(24_000));
        assert!(!MouseState::default().captured, "the app turns it on");
    }

    #[test]
    fn empty_areas_are_not_recorded() {
        let mut hits = HitMap::default();
        hits.add(area(3, 3, 0, 1), Target::Tab(View::Grid));
        hits.add(area(3, 3, 1, 0), Target::Tab(View::Grid));
        assert!(hits.is_empty());
        assert!(!area(u16::MAX, u16::MAX, 1, 1).contains(0, 0));
        assert!(area(u16::MAX, u16::MAX, 1, 1).contains(u16::MAX, u16::MAX));
    }
}
