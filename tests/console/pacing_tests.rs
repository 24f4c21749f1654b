//! An endpoint that slowed down, or came back to full rate, is a line of the
//! activity log: the operator sees why reads are slower, and when it ends.

use wavetop::core::model::{ActivityKind, Model};
use wavetop::core::msg::Msg;
use wavetop::core::update::update;
use wavetop::domain::window::Windows;
use wavetop::protocol::Pace;
use wavetop::sim::DEMO_EPOCH;

use crate::support::bindings;

#[test]
fn a_changed_pace_is_logged_as_information_and_nothing_else_changes() {
    let mut model = Model::new(DEMO_EPOCH, bindings("default"), Windows::default(), false);
    let before = model.activity.len();
    let slowed = Pace {
        endpoint: "cloudformation eu-west-1".into(),
        per_second: 25.0,
        ceiling: 50.0,
        throttles: 1,
    };
    let effects = update(&mut model, Msg::Paced(vec![slowed.clone()]), DEMO_EPOCH);
    assert!(effects.is_empty());
    let logged: Vec<_> = model.activity.iter().skip(before).collect();
    assert_eq!(logged.len(), 1);
    let entry = logged.first().unwrap();
    assert_eq!(entry.kind, ActivityKind::Info);
    assert_eq!(entry.text, slowed.describe());
    assert!(entry.text.contains("cloudformation eu-west-1"));
}
