//! A console model on a fleet far larger than the demo: 200 pipelines of
//! 12 waves over 24 regions, 40 executions each, a poll key per pipeline and
//! 120 activity entries. Driven through update() like the real console.

use jiff::{SignedDuration, Timestamp};

use wavetop::core::key::Key;
use wavetop::core::model::{ActivityKind, Model};
use wavetop::core::msg::Msg;
use wavetop::core::update::update;
use wavetop::domain::fleet::Execution;
use wavetop::domain::synthetic;
use wavetop::domain::window::Windows;
use wavetop::protocol::PollKey;

use crate::support::{bindings, draw_and_report, screen_text};

pub const PIPELINES: usize = 200;
pub const EXECUTIONS: usize = 40;
pub const ACTIVITY: usize = 120;

pub struct LargeConsole {
    pub model: Model,
    now: Timestamp,
}

impl LargeConsole {
    pub fn new(width: u16, height: u16) -> LargeConsole {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let mut fleet = synthetic::fleet(12, 24, now);
        let base = fleet.flows.remove(0);
        for i in 0..PIPELINES {
            let mut flow = base.clone();
            flow.name = format!("svc-{i:03}");
            let first = base.executions[0].clone();
            flow.executions = (0..EXECUTIONS)
                .map(|n| Execution {
                    id: format!("exec-{n:03}").into(),
                    started_at: first.started_at - SignedDuration::from_hours(n as i64),
                    ..first.clone()
                })
                .collect();
            fleet.flows.push(flow);
        }
        let mut model = Model::new(now, bindings("default"), Windows::default(), false);
        for flow in &fleet.flows {
            model.poll.register(
                PollKey::Flow {
                    flow: flow.name.clone(),
                },
                now,
            );
        }
        model.poll.register(PollKey::Health, now);
        model.fleet = fleet;
        model.fleet_label = "large".into();
        model.discovered = true;
        model.selected_flow = Some("svc-000".into());
        for i in 0..ACTIVITY {
            model.log(ActivityKind::Info, format!("entry {i:03}"));
        }
        let mut c = LargeConsole { model, now };
        c.resize(width, height);
        c
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        update(&mut self.model, Msg::Resize { width, height }, self.now);
    }

    pub fn keys(&mut self, keys: &str) {
        for k in keys.split(' ').filter(|k| !k.is_empty()) {
            let key = Key::parse(k).expect("key notation");
            update(&mut self.model, Msg::Key(key), self.now);
        }
    }

    /// Each key, then a frame whose report goes back to the core, as in the
    /// console's event loop; returns the last frame, as text.
    pub fn keys_drawn(&mut self, keys: &str) -> String {
        let mut screen = draw_and_report(&mut self.model, self.now);
        for k in keys.split(' ').filter(|k| !k.is_empty()) {
            self.keys(k);
            screen = draw_and_report(&mut self.model, self.now);
        }
        screen
    }

    /// The frame at the model's own size, as text.
    pub fn screen(&self) -> String {
        screen_text(&self.model, self.model.width, self.model.height)
    }

    /// The label of the last source in the sources panel.
    pub fn last_source(&self) -> String {
        let (key, _) = self.model.poll.keys().last().expect("poll keys");
        key.label()
    }
}
