//! A console on the seeded simulated fleet, driven only through update():
//! effects are carried out against the simulator synchronously, so a test
//! sees exactly what the runtime would feed back.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use jiff::{SignedDuration, Timestamp};

use wavetop::audit::AuditLog;
use wavetop::config::keymap;
use wavetop::core::bindings::Bindings;
use wavetop::core::key::Key;
use wavetop::core::key_guard::KEY_GUARD;
use wavetop::core::model::Model;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::{start, update};
use wavetop::domain::window::Windows;
use wavetop::protocol::{BoxFuture, Observe, Operate, OperateCall, OperateOutcome, SourceError};
use wavetop::runtime::executor::{Executor, Operation};
use wavetop::sim::{DEMO_EPOCH, ManualClock, SimBackend, SimWorld};

/// Passes calls to the simulator and remembers each one, with the number
/// of lines the audit log held when it arrived.
struct Recording {
    backend: SimBackend,
    audit_log: PathBuf,
    sent: Arc<Mutex<Vec<(OperateCall, usize)>>>,
}

impl Operate for Recording {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        self.backend.identity()
    }

    fn execute(&self, call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        let logged = std::fs::read_to_string(&self.audit_log)
            .map(|text| text.lines().count())
            .unwrap_or(0);
        self.sent.lock().unwrap().push((call.clone(), logged));
        self.backend.execute(call)
    }
}

static NEXT_LOG_DIR: AtomicU64 = AtomicU64::new(0);

/// A directory of its own for one console's audit log, removed with it.
struct LogDir(PathBuf);

impl LogDir {
    fn new() -> LogDir {
        let n = NEXT_LOG_DIR.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("wavetop-console-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        LogDir(dir)
    }
}

impl Drop for LogDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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
    /// Where the executor records operations, as the console does.
    pub audit_log: PathBuf,
    /// For each call in `sent`, how many lines the audit log held when the
    /// call reached the backend.
    pub audit_lines_at_call: Vec<usize>,
    executor: Executor,
    sent_by_executor: Arc<Mutex<Vec<(OperateCall, usize)>>>,
    _log_dir: LogDir,
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
        let backend = SimBackend::new(world, Arc::new(move || c.now()));
        let mut model = Model::new(now, bindings("default"), windows, read_only);
        model.width = 160;
        model.height = 48;
        let log_dir = LogDir::new();
        let audit_log = log_dir.0.join("audit.jsonl");
        let sent_by_executor = Arc::new(Mutex::new(Vec::new()));
        let c = clock.clone();
        let executor = Executor {
            observe: Arc::new(backend.clone()),
            operate: Arc::new(Recording {
                backend: backend.clone(),
                audit_log: audit_log.clone(),
                sent: sent_by_executor.clone(),
            }),
            audit: Arc::new(AuditLog::open(&audit_log).expect("an audit log")),
            clock: Arc::new(move || c.now()),
        };
        let mut console = Console {
            model,
            backend,
            clock,
            sent: Vec::new(),
            held_back: Vec::new(),
            run_operations: true,
            audit_log,
            audit_lines_at_call: Vec::new(),
            executor,
            sent_by_executor,
            _log_dir: log_dir,
        };
        let fx = start(&mut console.model);
        console.run(fx);
        // The first polls are spread over a few seconds: ask them all now,
        // so that every test starts from a fleet read in full.
        console.model.poll.expedite_all(now);
        console.send(Msg::Tick);
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
                    Effect::Operate { .. } => self.operate(effect),
                    Effect::RecordRefusal { .. } => match self.record_refusal(effect) {
                        Some(msg) => msg,
                        None => continue,
                    },
                    Effect::StreamCoverage { live } => {
                        self.backend.stream_covers_stacks(live);
                        continue;
                    }
                    // A test answers the stream's reads itself, and reads the links it asked for.
                    Effect::ReadStream { .. }
                    | Effect::Quit
                    | Effect::OpenUrl { .. }
                    | Effect::Copy { .. }
                    | Effect::Notify(_) => {
                        self.held_back.push(effect);
                        continue;
                    }
                };
                let now = self.now();
                next.extend(update(&mut self.model, msg, now));
            }
            queue = next;
        }
    }

    /// Carries out an operate effect on the runtime's own path: the
    /// executor's fresh read, audit lines and calls, the calls recorded as
    /// they reach the backend.
    fn operate(&mut self, effect: Effect) -> Msg {
        let (op_id, op) =
            Operation::asked_by(effect, self.model.identity.as_deref()).expect("an operate effect");
        // The guard's read has a timeout, which needs tokio's timer; the
        // audit lines are written on its blocking pool.
        let answer = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime")
            .block_on(self.executor.answer(op_id, &op));
        for (call, logged) in self.sent_by_executor.lock().unwrap().drain(..) {
            self.sent.push(call);
            self.audit_lines_at_call.push(logged);
        }
        answer
    }

    /// Records a refusal on the runtime's own path, into the audit log.
    fn record_refusal(&mut self, effect: Effect) -> Option<Msg> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(
                self.executor
                    .record_refusal(effect, self.model.identity.as_deref()),
            )
    }

    /// The console at 10 minutes with its approval of the global-api
    /// Europe gate in eu-west-1 confirmed but not yet carried out (the
    /// effect returned), and the gate since approved by another operator.
    pub fn approval_overtaken() -> (Console, Effect) {
        // A gate whose verdict is GO: approving it takes today's confirmation.
        let mut c = Console::at_minutes(45);
        c.navigate("global-api", "SouthAmerica", "sa-east-1");
        c.run_operations = false;
        c.keys("a tab right enter");
        let ours = c.held_back.pop().expect("our approval, not yet sent");
        c.backend
            .execute(OperateCall::PutApprovalResult {
                pipeline: "global-api".into(),
                stage: "SouthAmerica".into(),
                action: "Approve".into(),
                approved: true,
                summary: "approved elsewhere".into(),
            })
            .now_or_never()
            .unwrap()
            .expect("the first answer goes through");
        (c, ours)
    }

    /// The audit log's lines, parsed.
    pub fn audit_lines(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.audit_log)
            .expect("the audit log")
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
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
        assert_eq!(self.model.cursors.wave.selected, row);
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
    buffer_lines(terminal.backend().buffer())
}

/// Draws the model at its own size with the real view and hands the frame's
/// report back to update() (`Msg::Laid`), as the console's event loop does
/// after each frame: once more while a report moves a scroll, twice at most.
/// Returns the last frame, as text.
pub fn draw_and_report(model: &mut Model, now: Timestamp) -> String {
    let theme = wavetop::config::Theme::preset("dark").unwrap();
    let mut text = String::new();
    for _ in 0..2 {
        let backend = ratatui::backend::TestBackend::new(model.width, model.height);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        let mut laid = wavetop::core::laid::Laid::default();
        terminal
            .draw(|f| laid = wavetop::ui::view_laid(f, &*model, &theme))
            .unwrap();
        text = buffer_lines(terminal.backend().buffer());
        model.needs_render = false;
        update(model, Msg::Laid(laid), now);
        if !model.needs_render {
            break;
        }
    }
    text
}

/// A drawn buffer as text, a line per row.
fn buffer_lines(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
