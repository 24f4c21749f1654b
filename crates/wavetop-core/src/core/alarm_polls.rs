//! Which alarm polls run: every region with watched alarms is read at the
//! idle cadence of the health checks; its alarm history only while a bake
//! runs there, from the earliest running bake's start. A fleet without
//! alarm watches registers nothing and pays nothing.

use super::model::Model;
use crate::domain::bake::history_to_read;
use crate::poll::endpoint::Endpoint;
use crate::protocol::PollKey;

/// Registers each watched region's alarms key, then the history keys.
pub(super) fn register_alarm_keys(model: &mut Model) {
    let now = model.now;
    for region in model.fleet.alarms.watched.regions() {
        let key = PollKey::Alarms { region };
        let endpoint = Endpoint::of_key(&key);
        model.poll.register_spread(key, endpoint, now);
    }
    follow_bakes(model);
}

/// Keeps one history key per watched region inside a bake, starting at its
/// earliest running bake; drops the keys of bakes that ended or moved on.
pub(super) fn follow_bakes(model: &mut Model) {
    let watched = model.fleet.alarms.watched.regions();
    if watched.is_empty() {
        return;
    }
    let wanted: Vec<PollKey> = history_to_read(&model.fleet, &model.fleet.alarms, model.now)
        .into_iter()
        .filter(|(region, _)| watched.contains(region))
        .map(|(region, since)| PollKey::AlarmHistory { region, since })
        .collect();
    model
        .poll
        .unregister_unwanted(|key| matches!(key, PollKey::AlarmHistory { .. }), &wanted);
    for key in wanted {
        if model.poll.state(&key).is_none() {
            model.poll.register(key, model.now);
        }
    }
}
