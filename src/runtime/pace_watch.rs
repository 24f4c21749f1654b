//! Which endpoints' pace changed since the console last said so: an endpoint
//! that throttled (again), and one back at its full rate. The climb in
//! between is not news; the operator hears about the slowdown and its end.

use std::collections::BTreeMap;

use crate::protocol::Pace;

#[derive(Debug, Default)]
pub(super) struct PaceWatch {
    /// Per endpoint: throttles counted and whether it was slowed, as last told.
    told: BTreeMap<String, (u64, bool)>,
}

impl PaceWatch {
    /// The paces worth a line in the activity log, remembered as told.
    pub(super) fn changes(&mut self, paces: Vec<Pace>) -> Vec<Pace> {
        paces
            .into_iter()
            .filter(|pace| {
                let now = (pace.throttles, pace.slowed());
                let before = self.told.insert(pace.endpoint.clone(), now);
                let (throttles_before, slowed_before) = before.unwrap_or((0, false));
                now.0 > throttles_before || (slowed_before && !now.1)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pace(per_second: f64, throttles: u64) -> Pace {
        Pace {
            endpoint: "codepipeline us-east-1".into(),
            per_second,
            ceiling: 50.0,
            throttles,
        }
    }

    #[test]
    fn a_throttle_and_the_recovery_are_told_the_climb_is_not() {
        let mut watch = PaceWatch::default();
        assert!(watch.changes(vec![pace(50.0, 0)]).is_empty());
        assert_eq!(watch.changes(vec![pace(25.0, 1)]), vec![pace(25.0, 1)]);
        assert!(watch.changes(vec![pace(30.0, 1)]).is_empty());
        assert_eq!(watch.changes(vec![pace(15.0, 2)]), vec![pace(15.0, 2)]);
        assert!(watch.changes(vec![pace(49.0, 2)]).is_empty());
        assert_eq!(watch.changes(vec![pace(50.0, 2)]), vec![pace(50.0, 2)]);
        assert!(watch.changes(vec![pace(50.0, 2)]).is_empty());
    }
}
