//! Asks the backend about its credentials once a minute and hands the
//! answer to update(): the header's time left and the expired-credentials
//! banner come from it. The backend's providers cache what they hand out, so
//! a check is cheap; a backend without credentials (the simulator) answers
//! nothing and the watch stops.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::core::msg::Msg;
use crate::protocol::Observe;

/// How often the credentials are checked: the time left is shown to the minute.
const EVERY: Duration = Duration::from_secs(60);

/// Runs until the console stops listening.
pub(super) async fn run(observe: Arc<dyn Observe>, tx: mpsc::UnboundedSender<Msg>) {
    loop {
        let statuses = observe.credentials().await;
        if statuses.is_empty() || tx.send(Msg::Credentials(statuses)).is_err() {
            return;
        }
        tokio::time::sleep(EVERY).await;
    }
}
