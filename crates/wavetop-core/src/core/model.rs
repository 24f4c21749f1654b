//! Everything the console knows and shows, in one value that update() changes
//! and view() reads.

use jiff::Timestamp;

use super::bindings::Bindings;
use super::confirm::Confirmation;
use super::key_guard::KeyGuard;
use super::op_target::OpTarget;
use super::panes::ActivityPane;
use super::ring::{Limits, Ring};
use super::viewport::Viewport;
use crate::domain::fleet::{Fleet, Flow};
use crate::domain::window::Windows;
use crate::poll::scheduler::{Cadence, PollScheduler};
use crate::protocol::ReadError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Pipelines,
    Grid,
    CellDetail,
    Health,
    Replication,
    Executions,
    Revisions,
    Activity,
}

impl View {
    pub fn title(self) -> &'static str {
        match self {
            View::Pipelines => "Pipelines",
            View::Grid => "Grid",
            View::CellDetail => "Cell",
            View::Health => "Health",
            View::Replication => "Replication",
            View::Executions => "Executions",
            View::Revisions => "Revisions",
            View::Activity => "Activity",
        }
    }
}

/// The text line at the bottom: the `:` command line or the `/` filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub input: String,
    /// Candidates for the word being typed, refreshed on every keystroke.
    pub completions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    /// An operator action was sent.
    Sent,
    /// An operator action succeeded.
    Done,
    /// An operator action or a poll failed.
    Error,
    /// Something the operator should know that is not an error.
    Info,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEntry {
    pub at: Timestamp,
    pub kind: ActivityKind,
    pub text: String,
}

/// The selection and scroll position of every scrollable pane, kept inside
/// its rows and on screen by [`crate::core::panes::fit_viewports`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cursors {
    pub pipeline: Viewport,
    /// The grid's rows.
    pub wave: Viewport,
    /// The grid's columns.
    pub region: Viewport,
    /// The cell detail's text, by its top line.
    pub detail: Viewport,
    pub health: Viewport,
    pub replication: Viewport,
    pub execution: Viewport,
    /// The revisions view's rows: every visible flow's regions.
    pub revision: Viewport,
    pub activity: Viewport,
    /// The sources panel under the activity log.
    pub sources: Viewport,
    /// The help's rows, by the top one shown.
    pub help: Viewport,
    /// What the view measured in the frames it drew (see `core::laid`).
    pub measured: crate::core::laid::Measures,
}

/// The smallest terminal the console draws itself in: one region column of
/// the grid beside the wave names, and one wave under the region headers.
/// Below it nothing but "too small" is drawn, so nothing may be confirmed.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct InFlightOp {
    pub id: u64,
    pub target: OpTarget,
    pub calls: Vec<crate::protocol::OperateCall>,
    /// What the operator confirmed, to propose again if the fleet changed.
    pub intent: crate::core::intent::Intent,
}

/// An approval deferred until the region's window opens.
#[derive(Debug, Clone, PartialEq)]
pub struct DeferredApproval {
    pub pipeline: String,
    pub stage: String,
    pub action: String,
    pub region: String,
    pub comment: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub now: Timestamp,
    pub fleet: Fleet,
    /// "DEMO", or the account and profile.
    pub fleet_label: String,
    pub discovered: bool,
    /// When discovery failed or read the fleet in part, the moment to try again.
    pub discover_retry_at: Option<Timestamp>,
    /// Discoveries failed in a row: the retry backs off with each.
    pub discover_failures: u32,
    /// Spreads this console's discovery retries from other consoles' (from
    /// the moment it started, as its clock tells: reproducible under a test clock).
    pub discover_salt: u64,
    /// The hosted zones the configuration names, as written there.
    pub hosted_zones: Vec<String>,
    /// What the last discovery could not read, shown until one reads it.
    pub discovery_errors: Vec<ReadError>,
    pub read_only: bool,
    pub auto_release: bool,
    pub lag_warning_ms: f64,
    pub identity: Option<String>,
    pub bindings: Bindings,
    pub windows: Windows,
    /// `[scheduler]`: holds until a window get a schedule that releases them.
    pub hold_scheduler: Option<crate::domain::hold_schedule::HoldScheduler>,
    pub poll: PollScheduler,
    /// The change stream, when `[stream]` is configured.
    pub stream: Option<crate::poll::stream::StreamState>,

    pub view: View,
    /// Views to return to with `back`, the newest last.
    pub history: Ring<View>,
    pub cursors: Cursors,
    pub selected_flow: Option<String>,
    pub filter: String,
    pub filter_editing: bool,
    pub command: Option<CommandLine>,
    pub help: bool,
    /// Which pane of the activity view the keys move.
    pub activity_pane: ActivityPane,
    pub confirmation: Option<Confirmation>,
    /// Keeps characters typed just after a dialog closed off the grid.
    pub key_guard: KeyGuard,
    /// Operations sent and not yet answered, so the same target cannot be
    /// operated on twice at once.
    pub in_flight_ops: Vec<InFlightOp>,
    pub next_op_id: u64,
    /// When wavetop last tried to release each hold by itself, so a release
    /// that fails is tried again a minute later, not on every tick.
    pub auto_release_attempts: Vec<(OpTarget, Timestamp)>,
    pub deferred_approvals: Vec<DeferredApproval>,
    /// Gates, transitions and actions changed by another identity lately.
    pub foreign_changes: Vec<crate::core::foreign::ForeignChange>,
    /// This session's actions and errors, the newest last.
    pub activity: Ring<ActivityEntry>,
    /// Other operators' actions already in `activity`, by id and outcome.
    pub team_seen: std::collections::BTreeSet<String>,
    /// Reading the team's log group, and copying this session's lines to it.
    pub team: crate::core::team::TeamLogState,
    /// How much of the session is kept (activity, view history, stack events).
    pub limits: Limits,
    /// The credentials' time left and, once they ran out, the banner.
    pub credentials: super::credentials::CredentialsState,
    /// Whether times are shown in UTC or the selected region's zone.
    pub times: super::shown_time::ShownZone,
    /// `[notify]` and what notifications remember between messages.
    pub notify: super::notify::NotifyState,
    /// One-line message under the view (errors, refusals, hints).
    pub flash: Option<(Timestamp, String)>,
    /// Where the last frame drew what the pointer can pick, and the last click.
    pub mouse: super::mouse::MouseState,

    pub width: u16,
    pub height: u16,
    pub should_quit: bool,
    /// Set whenever something visible changed; the runtime draws and clears it.
    pub needs_render: bool,
}

impl Model {
    /// Whether the terminal is too small for the console to show itself.
    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    pub fn new(now: Timestamp, bindings: Bindings, windows: Windows, read_only: bool) -> Self {
        Self {
            now,
            fleet: Fleet::empty(),
            fleet_label: String::new(),
            discovered: false,
            discover_retry_at: None,
            discover_failures: 0,
            discover_salt: now.as_nanosecond() as u64,
            hosted_zones: Vec::new(),
            discovery_errors: Vec::new(),
            read_only,
            auto_release: false,
            lag_warning_ms: 5_000.0,
            identity: None,
            bindings,
            windows,
            hold_scheduler: None,
            poll: PollScheduler::new(Cadence::default()),
            stream: None,
            view: View::Grid,
            history: Ring::new(Limits::default().view_history),
            cursors: Cursors::default(),
            selected_flow: None,
            filter: String::new(),
            filter_editing: false,
            command: None,
            help: false,
            activity_pane: ActivityPane::default(),
            confirmation: None,
            key_guard: KeyGuard::default(),
            in_flight_ops: Vec::new(),
            next_op_id: 1,
            auto_release_attempts: Vec::new(),
            deferred_approvals: Vec::new(),
            foreign_changes: Vec::new(),
            activity: Ring::new(Limits::default().activity_entries),
            team_seen: Default::default(),
            team: Default::default(),
            limits: Limits::default(),
            credentials: Default::default(),
            times: Default::default(),
            notify: super::notify::NotifyState::new(super::notify::NotifySettings::off()),
            flash: None,
            mouse: Default::default(),
            width: 80,
            height: 24,
            should_quit: false,
            needs_render: true,
        }
    }

    /// Flows shown in the pipelines list: those whose name matches the filter.
    pub fn visible_flows(&self) -> Vec<&Flow> {
        let needle = self.filter.to_lowercase();
        self.fleet
            .flows
            .iter()
            .filter(|f| needle.is_empty() || f.name.to_lowercase().contains(&needle))
            .collect()
    }

    pub fn selected_flow(&self) -> Option<&Flow> {
        self.selected_flow
            .as_deref()
            .and_then(|name| self.fleet.flow(name))
            .or_else(|| self.fleet.flows.first())
    }

    /// The (wave index, region) under the grid cursor.
    /// Pre-deploy rows (Source, Build, ...) have one cell in the home region,
    /// whatever column the cursor is in.
    pub fn selected_cell(&self) -> Option<(usize, &str)> {
        let flow = self.selected_flow()?;
        let row = self.cursors.wave.selected;
        let wave = flow.waves.get(row)?;
        if wave.pre_deploy {
            return wave.cells.first().map(|c| (row, c.region.as_str()));
        }
        let region = flow.regions.get(self.cursors.region.selected)?;
        Some((row, region.as_str()))
    }

    pub fn selected_region(&self) -> Option<&str> {
        self.selected_cell().map(|(_, r)| r)
    }

    /// Keeps the session within `limits` from now on.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.activity.set_cap(limits.activity_entries);
        self.history.set_cap(limits.view_history);
    }

    pub fn log(&mut self, kind: ActivityKind, text: impl Into<String>) {
        self.activity.push(ActivityEntry {
            at: self.now,
            kind,
            text: text.into(),
        });
        self.needs_render = true;
    }

    pub fn flash(&mut self, text: impl Into<String>) {
        self.flash = Some((self.now, text.into()));
        self.needs_render = true;
    }

    pub fn any_stale(&self) -> bool {
        !self.poll.stale_keys(self.now).is_empty()
    }
}
