//! A console on the seeded simulated fleet, driven only through update():
//! effects are carried out against the simulator synchronously, so a test
//! sees exactly what the runtime would feed back.

use std::io;
use std::sync::Mutex;

use futures_util::FutureExt;
use jiff::{SignedDuration, Timestamp};

use wavetop::audit::AuditId;
use wavetop::config::keymap;
use wavetop::core::bindings::Bindings;
use wavetop::core::key::Key;
use wavetop::core::key_guard::KEY_GUARD;
use wavetop::core::model::Model;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::{start, update};
use wavetop::domain::window::Windows;
use wavetop::protocol::{BoxFuture, Observe, Operate, OperateCall, OperateOutcome, SourceError};
use wavetop::runtime::executor::{AuditSink, Operation, run_guarded};
use wavetop::sim::{DEMO_EPOCH, ManualClock, SimBackend, SimWorld};

/// Passes calls to the simulator and remembers each one.
struct Recording<'a> {
    backend: &'a SimBackend,
    sent: Mutex<Vec<OperateCall>>,
}

impl Operate for Recording<'_> {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        self.backend.identity()
    }

    fn execute(&self, call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        self.sent.lock().unwrap().push(call.clone());
        self.backend.execute(call)
    }
}

/// The console tests read calls from `sent`; the audit log has its own tests.
struct NoAudit;

impl AuditSink for NoAudit {
    fn before(
        &self,
        _: Timestamp,
        _: &str,
        _: &str,
        _: &str,
        _: &OperateCall,
        _: &serde_json::Value,
    ) -> io::Result<AuditId> {
        Ok(serde_json::from_value(serde_json::json!("test")).expect("an audit id"))
    }

    fn after(&self, _: Timestamp, _: AuditId, _: Result<&str, &str>) -> io::Result<()> {
        Ok(())
    }
}

pub struct Console {
    pub model: Model,
    pub backend: SimBackend,
    pub clock: ManualClock,
    /// Every operate call that reached the backend, in order.
    pub sent: Vec<OperateCall>,
    /// Effects update() returned that the harness has not carried out.
    pub held_back: Vec<Effect>,
    /// When false, Operate effects are kept in `held_back` instead of run.
    pub run_operations: bool,
}

pub fn bindings(preset: &str) -> Bindings {
    keymap::preset(preset).expect("preset keymap")
}

impl Console {
    /// The demo fleet (seed 1) `minutes` after its start, discovered and
    /// polled once through update().
    pub fn at_minutes(minutes: i64) -> Console {
        Console::with(minutes, Windows::default(), false)
    }

    pub fn with(minutes: i64, windows: Windows, read_only: bool) -> Console {
        let now = DEMO_EPOCH + SignedDuration::from_mins(minutes);
        let mut world = SimWorld::new(1, DEMO_EPOCH);
        world.advance_to(now);
        let clock = ManualClock::new(now);
        let c = clock.clone();
        let backend = SimBackend::new(world, std::sync::Arc::new(move || c.now()));
        let mut model = Model::new(now, bindings("default"), windows, read_only);
        model.width = 160;
        model.height = 48;
        let mut console = Console {
            model,
            backend,
            clock,
            sent: Vec::new(),
            held_back: Vec::new(),
            run_operations: true,
        };
        let fx = start(&mut console.model);
        console.run(fx);
        console
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Sends one message and carries out every effect it causes, recursively.
    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let now = self.now();
        let fx = update(&mut self.model, msg, now);
        self.run(fx.clone());
        fx
    }

    pub fn run(&mut self, effects: Vec<Effect>) {
        let mut queue = effects;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for effect in queue {
                let msg = match effect {
                    Effect::Discover => Msg::Discovered(
                        self.backend
                            .discover()
                            .now_or_never()
                            .expect("sim is ready"),
                    ),
                    Effect::Poll { key, generation } => Msg::Polled {
                        result: self
                            .backend
                            .poll(key.clone())
                            .now_or_never()
                            .expect("sim is ready"),
                        key,
                        generation,
                        incomplete: None,
                    },
                    Effect::FetchIdentity => Msg::Identity(
                        self.backend
                            .identity()
                            .now_or_never()
                            .expect("sim is ready"),
                    ),
                    Effect::Operate { .. } if !self.run_operations => {
                        self.held_back.push(effect);
                        continue;
                    }
                    Effect::Operate {
                        op_id,
                        intent,
                        target,
                        calls,
                        guard,
                    } => {
                        // The runtime's own path: the guard's fresh read,
                        // then the calls, recorded as they reach the backend.
                        let recording = Recording {
                            backend: &self.backend,
                            sent: Mutex::new(Vec::new()),
                        };
                        let clock = self.clock.clone();
                        let now = move || clock.now();
                        let op = Operation {
                            identity: "test",
                            intent: &intent,
                            target: &target.to_string(),
                            calls: &calls,
                            guard: &guard,
                        };
                        // The guard's read has a timeout, which needs tokio's timer.
                        let done = tokio::runtime::Builder::new_current_thread()
                            .enable_time()
                            .build()
                            .expect("a runtime")
                            .block_on(run_guarded(&self.backend, &recording, &NoAudit, &now, &op));
                        self.sent.extend(recording.sent.into_inner().unwrap());
                        Msg::Operated {
                            op_id,
                            results: done.results,
                            fresh: done.fresh,
                        }
                    }
                    Effect::Quit => continue,
                };
                let now = self.now();
                next.extend(update(&mut self.model, msg, now));
            }
            queue = next;
        }
    }

    /// Presses keys given in keymap notation, separated by spaces.
    pub fn keys(&mut self, keys: &str) {
        for k in keys.split(' ').filter(|k| !k.is_empty()) {
            self.send(Msg::Key(Key::parse(k).expect("key notation")));
        }
    }

    /// Types text character by character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(Msg::Key(Key::char(c)));
        }
    }

    /// Why the open confirmation refused to confirm.
    pub fn dialog_problem(&self) -> &str {
        let dialog = self
            .model
            .confirmation
            .as_ref()
            .expect("a confirmation is open");
        dialog
            .problem
            .as_deref()
            .expect("the confirmation says why it refused")
    }

    /// Moves the clock by the time between two keystrokes; no timer fires.
    pub fn wait_ms(&mut self, ms: i64) {
        self.clock.set(self.now() + SignedDuration::from_millis(ms));
    }

    /// Lets the pause after a dialog closed run out, as an operator who
    /// reads the result before the next command does.
    pub fn pause_after_dialog(&mut self) {
        self.wait_ms(KEY_GUARD.as_millis() as i64);
    }

    /// Moves the simulated clock and lets timers fire.
    pub fn advance(&mut self, secs: i64) {
        let t = self.now() + SignedDuration::from_secs(secs);
        self.clock.set(t);
        self.send(Msg::Tick);
    }

    /// Moves the grid cursor to a pipeline's wave and region with keys, as
    /// an operator would: `:pipeline NAME`, then arrows.
    pub fn navigate(&mut self, flow: &str, wave: &str, region: &str) {
        self.keys(":");
        self.type_text(&format!("pipeline {flow}"));
        self.keys("enter");
        let f = self.model.fleet.flow(flow).expect("flow").clone();
        let row = f.waves.iter().position(|w| w.name == wave).expect("wave");
        let col = f.regions.iter().position(|r| r == region).expect("region");
        self.keys("home");
        for _ in 0..row {
            self.keys("down");
        }
        for _ in 0..f.regions.len() {
            self.keys("left");
        }
        for _ in 0..col {
            self.keys("right");
        }
        assert_eq!(
            self.model.selected_flow().map(|f| f.name.as_str()),
            Some(flow)
        );
        assert_eq!(self.model.cursors.wave, row);
    }
}

/// The model drawn on a TestBackend of the given size, as plain text.
pub fn screen_text(model: &Model, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    let theme = wavetop::config::Theme::preset("dark").unwrap();
    terminal
        .draw(|f| wavetop::ui::view(f, model, &theme))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
