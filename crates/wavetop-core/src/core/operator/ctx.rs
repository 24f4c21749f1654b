//! What the operator rules read, and nothing more.

use jiff::Timestamp;

use crate::domain::fleet::Fleet;
use crate::domain::hold_schedule::HoldScheduler;
use crate::domain::window::Windows;

/// The rules' view of the world: the fleet as last read, the regions'
/// off-hours windows, the time to decide at, the replication lag above
/// which a drain warns, and where hold schedules go.
#[derive(Debug, Clone, Copy)]
pub struct OperatorCtx<'a> {
    pub fleet: &'a Fleet,
    pub windows: &'a Windows,
    pub now: Timestamp,
    pub lag_warning_ms: f64,
    /// `[scheduler]`: holds until a window get a schedule that releases them.
    pub scheduler: Option<&'a HoldScheduler>,
}
