//! What flows into update() and what comes out of it.

use crate::core::key::Key;
use crate::core::op_target::OpTarget;
use crate::core::recheck::Guard;
use crate::domain::verdict::Verdict;
use crate::protocol::{
    Discovery, Observation, OperateCall, OperateOutcome, Pace, PollKey, SourceError, StreamBatch,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    Resize {
        width: u16,
        height: u16,
    },
    /// A timer fired: poll what is due, expire what has expired, release what is scheduled.
    Tick,
    Discovered(Result<Discovery, SourceError>),
    Polled {
        key: PollKey,
        generation: u64,
        result: Result<Observation, SourceError>,
        /// What a good answer could not include (see [`crate::protocol::Observe::incomplete`]).
        incomplete: Option<SourceError>,
    },
    Identity(Result<String, SourceError>),
    /// What the backend's credentials providers said of each account's credentials.
    Credentials(Vec<crate::protocol::CredentialsStatus>),
    /// The answer to an [`Effect::ReadStream`].
    Streamed {
        generation: u64,
        result: Result<StreamBatch, SourceError>,
    },
    /// Endpoints whose pace changed: slowed by a throttle, or back at full rate.
    Paced(Vec<Pace>),
    /// The answer to an [`Effect::Operate`].
    Operated {
        op_id: u64,
        report: OperateReport,
    },
    /// An [`Effect::RecordRefusal`] could not be written to the audit log.
    RefusalNotRecorded(String),
    /// Other operators' actions, read from the team's audit log group.
    TeamActions(Vec<crate::core::team::TeamAction>),
    /// The team's audit log group could not be read; read again at `retry_at`.
    TeamReadFailed {
        message: String,
        retry_at: jiff::Timestamp,
    },
    /// How the copy of this session's lines to the team's log group is doing.
    TeamCopy(crate::core::team::CopyStatus),
    /// An [`Effect::OpenUrl`] could not start the browser: why.
    OpenFailed(String),
    /// The terminal gained (true) or lost (false) focus.
    Focus(bool),
    /// A click or a turn of the wheel, resolved against the last [`Msg::Laid`].
    Mouse(crate::core::mouse::Mouse),
    /// Where the frame just drawn put what the pointer can pick, and what
    /// it measured: the core pages by it. Redrawn for only when a measure
    /// moves a scroll (see [`crate::core::laid`]).
    Laid(crate::core::laid::Laid),
}

/// What the executor did with the calls of one [`Effect::Operate`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperateReport {
    /// One result per call, in order, never more than there are calls: the
    /// executor stops at the first error, so a failure is the last entry. A
    /// decision that no longer held on the fresh read answers one
    /// [`SourceError::NotDone`] and no call.
    pub results: Vec<Result<OperateOutcome, SourceError>>,
    /// The outcome of a call that went out could not be written to the
    /// audit log; nothing after that call was made.
    pub audit_error: Option<SourceError>,
    /// What the guard read right before the calls: fresher than the last
    /// poll, so it is merged too.
    pub fresh: Option<Observation>,
}

impl OperateReport {
    /// What went wrong first: a call's error, else the audit log's.
    pub fn first_error(&self) -> Option<&SourceError> {
        self.results
            .iter()
            .find_map(|r| r.as_ref().err())
            .or(self.audit_error.as_ref())
    }
}

/// Work for the runtime. update() never does I/O itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Discover,
    Poll {
        key: PollKey,
        generation: u64,
    },
    FetchIdentity,
    /// Read what the change stream brought since its last read.
    ReadStream {
        generation: u64,
    },
    /// The change stream went live (`true`) or failed (`false`): while it
    /// is live, the backend's stack reconciliations may leave out the
    /// resource events the stream already brought.
    StreamCoverage {
        live: bool,
    },
    /// Calls that change AWS, already confirmed by the operator. The executor
    /// writes the audit line before each call, makes it, writes the outcome.
    Operate {
        op_id: u64,
        /// What the operator asked for, in words, for the audit log.
        intent: String,
        /// The region or wave the calls act on.
        target: OpTarget,
        calls: Vec<OperateCall>,
        /// What the decision rests on: read again right before the first
        /// call, which goes out only if it still holds. Boxed: it is by far
        /// the largest part of any effect.
        guard: Box<Guard>,
    },
    /// A call wavetop decided not to make: an approval at the window whose
    /// verdict was NO-GO when the window opened. The runtime writes it to
    /// the audit log as a refusal, as whom and when it knows.
    RecordRefusal {
        /// What the operator had asked for, in words.
        intent: String,
        target: OpTarget,
        /// The call that would have been made.
        call: OperateCall,
        verdict: Verdict,
    },
    /// Open a console link in the browser, without waiting for it.
    OpenUrl {
        url: String,
    },
    /// Put `text` on the terminal's clipboard (OSC 52); `what` names it.
    Copy {
        text: String,
        what: String,
    },
    /// Ring the bell and send a desktop notification, as `[notify]` says.
    Notify(crate::core::notify::Notification),
    Quit,
}
