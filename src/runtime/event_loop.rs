//! The console's event loop: terminal input, backend answers and timers in,
//! update() in the middle, effects out. Draws only when the model says
//! something visible changed; never awaits a backend on this path.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::executor::{Executor, Operation};
use super::keys::{from_crossterm, is_suspend, mouse_from_crossterm};
use super::pace_watch::PaceWatch;
use super::signals::{Request, Signals};
use super::terminal::TerminalGuard;
use crate::config::theme::Theme;
use crate::core::laid::Laid;
use crate::core::model::Model;
use crate::core::msg::{Effect, Msg};
use crate::core::update::{start, update};
use crate::output::osc_link;
use crate::output::osc_notify;
use crate::protocol::{ReadStream, SourceError};
use crate::source::poll_within;
use crate::ui::view_laid;

pub use super::clock::Clock;

pub struct Backends {
    /// The backend, the audit log and the clock, as operations need them.
    pub executor: Executor,
    /// How much faster than real time the clock runs (the simulator's --speed).
    pub speed: f64,
    /// The team's audit log group, read for other operators' actions.
    pub team: Option<crate::audit::team::TeamCopy>,
    /// The change stream, when `[stream]` is configured.
    pub stream: Option<Arc<dyn ReadStream>>,
}

/// How the console ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The operator quit (`q`, ctrl-c), or the terminal went away.
    Quit,
    /// A terminating signal, by number: the exit status is 128 + it.
    Signal(libc::c_int),
}

pub async fn run(mut model: Model, theme: Theme, backends: Backends) -> color_eyre::Result<Ended> {
    // Caught before the terminal is taken, so none can leave it in raw mode.
    let mut signals = Signals::install()?;
    let mouse = model.mouse.captured;
    let mut guard = TerminalGuard::enter(mouse)?;
    let size = guard.terminal.size()?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut events = EventStream::new();
    if let Some(team) = &backends.team {
        tokio::spawn(super::team_watch::run(team.clone(), tx.clone()));
    }
    tokio::spawn(super::creds_watch::run(
        backends.executor.observe.clone(),
        tx.clone(),
    ));

    let now = (backends.executor.clock)();
    let mut effects = update(
        &mut model,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        now,
    );
    effects.extend(start(&mut model));
    let mut paces = PaceWatch::default();
    let hyperlinks = hyperlinks_wanted();
    // Escape sequences for the terminal itself, written after the next frame.
    let mut to_terminal: Vec<String> = Vec::new();
    let in_tmux = osc_notify::in_tmux();
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Quit => return Ok(Ended::Quit),
                Effect::Copy { text, .. } => to_terminal.push(osc_link::clipboard(&text)),
                Effect::OpenUrl { url } => super::browser::open(&url, tx.clone()),
                // Between frames, on the writer the frames go through.
                Effect::Notify(notification) => {
                    osc_notify::write(guard.terminal.backend_mut(), &notification, in_tmux)?
                }
                effect => spawn_effect(effect, &backends, &model, tx.clone()),
            }
        }
        if model.should_quit {
            return Ok(Ended::Quit);
        }
        // Clicks are resolved, and pages turned, against what the last
        // frame drew. A frame whose measures moved a scroll (the first of a
        // grid, a detail grown shorter) is drawn again at once: the second
        // measures the same, so two frames suffice.
        let mut last_links = None;
        for _ in 0..2 {
            if !model.needs_render {
                break;
            }
            let mut links = Vec::new();
            let mut laid = Laid::default();
            let frame = guard
                .terminal
                .draw(|frame| laid = view_laid(frame, &model, &theme))?;
            if hyperlinks {
                osc_link::overlay(frame.buffer, &crate::ui::hyperlinks(&model), &mut links)?;
            }
            last_links = Some(String::from_utf8_lossy(&links).into_owned());
            model.needs_render = false;
            let now = (backends.executor.clock)();
            update(&mut model, Msg::Laid(laid), now);
        }
        // The links of the frame left on screen.
        to_terminal.extend(last_links);
        if to_terminal.iter().any(|s| !s.is_empty()) {
            let out = guard.terminal.backend_mut();
            for sequence in to_terminal.drain(..) {
                out.write_all(sequence.as_bytes())?;
            }
            out.flush()?;
        }
        to_terminal.clear();
        let wait = next_wait(&model, backends.speed);
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if is_suspend(&key) => {
                    guard.suspend()?;
                    redraw_whole(&guard)?
                }
                Some(Ok(Event::Key(key))) => match from_crossterm(key) {
                    Some(key) => Msg::Key(key),
                    None => continue,
                },
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(Event::FocusGained)) => Msg::Focus(true),
                Some(Ok(Event::FocusLost)) => Msg::Focus(false),
                // With the mouse off, reports typed or pasted in are dropped.
                Some(Ok(Event::Mouse(event))) if mouse => match mouse_from_crossterm(event) {
                    Some(mouse) => Msg::Mouse(mouse),
                    None => continue,
                },
                Some(Ok(_)) => continue,
                // The terminal went away: nothing left to show.
                Some(Err(_)) | None => return Ok(Ended::Quit),
            },
            Some(msg) = rx.recv() => msg,
            _ = tokio::time::sleep(wait) => Msg::Tick,
            request = signals.recv() => match request {
                // Returning drops the guard, which restores the terminal.
                Request::Exit(signal) => return Ok(Ended::Signal(signal)),
                Request::Suspend => {
                    guard.suspend()?;
                    redraw_whole(&guard)?
                }
                // After our own suspend this repaints a second time; after
                // a stop by anyone else it is what brings the screen back.
                Request::Continued => {
                    guard.reenter()?;
                    redraw_whole(&guard)?
                }
            },
        };
        // A poll's answer may have changed how fast its endpoint is read.
        let polled = matches!(msg, Msg::Polled { .. });
        effects = update(&mut model, msg, (backends.executor.clock)());
        if polled {
            let changed = paces.changes(backends.executor.observe.pacing());
            if !changed.is_empty() {
                let now = (backends.executor.clock)();
                effects.extend(update(&mut model, Msg::Paced(changed), now));
            }
        }
    }
}

/// Whether console links are drawn as OSC 8 hyperlinks: yes unless
/// `WAVETOP_HYPERLINKS` is `0` or `off`, for a terminal that shows the
/// sequence instead of ignoring it.
fn hyperlinks_wanted() -> bool {
    !matches!(
        std::env::var("WAVETOP_HYPERLINKS").as_deref(),
        Ok("0" | "off" | "no" | "false")
    )
}

/// The message that makes the next frame be drawn, at the terminal's size
/// now (it may have been resized while the console was stopped).
fn redraw_whole(guard: &TerminalGuard) -> std::io::Result<Msg> {
    let size = guard.terminal.size()?;
    Ok(Msg::Resize {
        width: size.width,
        height: size.height,
    })
}

/// Sleeps until the next poll is due or the next minute starts, at most a
/// second (so timers shown to the second move), scaled by the clock's speed.
fn next_wait(model: &Model, speed: f64) -> Duration {
    let now = model.now;
    let until_poll = crate::core::stream::next_wakeup(model)
        .map(|t| (t.as_millisecond() - now.as_millisecond()).max(0))
        .unwrap_or(1_000);
    let until_minute = 60_000 - now.as_millisecond().rem_euclid(60_000);
    let virtual_ms = until_poll.min(until_minute).clamp(50, 1_000) as f64;
    Duration::from_millis((virtual_ms / speed).max(20.0) as u64)
}

fn spawn_effect(
    effect: Effect,
    backends: &Backends,
    model: &Model,
    tx: mpsc::UnboundedSender<Msg>,
) {
    match effect {
        Effect::Discover => {
            let observe = backends.executor.observe.clone();
            tokio::spawn(async move {
                let _ = tx.send(Msg::Discovered(observe.discover().await));
            });
        }
        Effect::Poll { key, generation } => {
            let observe = backends.executor.observe.clone();
            let timeout = Duration::from_secs(model.poll.cadence().timeout_secs as u64);
            tokio::spawn(async move {
                let result = poll_within(&*observe, key.clone(), timeout).await;
                let incomplete = match &result {
                    Ok(_) => observe.incomplete(&key),
                    Err(_) => None,
                };
                let _ = tx.send(Msg::Polled {
                    key,
                    generation,
                    result,
                    incomplete,
                });
            });
        }
        Effect::StreamCoverage { live } => {
            backends.executor.observe.stream_covers_stacks(live);
        }
        Effect::ReadStream { generation } => {
            let Some(stream) = backends.stream.clone() else {
                return;
            };
            let timeout = Duration::from_secs(model.poll.cadence().timeout_secs.unsigned_abs());
            tokio::spawn(async move {
                let result = match tokio::time::timeout(timeout, stream.read()).await {
                    Ok(result) => result,
                    Err(_) => Err(SourceError::timed_out("stream", timeout)),
                };
                let _ = tx.send(Msg::Streamed { generation, result });
            });
        }
        Effect::FetchIdentity => {
            let operate = backends.executor.operate.clone();
            tokio::spawn(async move {
                let _ = tx.send(Msg::Identity(operate.identity().await));
            });
        }
        Effect::Operate { .. } => {
            let executor = backends.executor.clone();
            let Some((op_id, op)) = Operation::asked_by(effect, model.identity.as_deref()) else {
                unreachable!("an operate effect asks for an operation");
            };
            tokio::spawn(async move {
                let _ = tx.send(executor.answer(op_id, &op).await);
            });
        }
        Effect::RecordRefusal { .. } => {
            let executor = backends.executor.clone();
            let identity = model.identity.clone();
            tokio::spawn(async move {
                if let Some(msg) = executor.record_refusal(effect, identity.as_deref()).await {
                    let _ = tx.send(msg);
                }
            });
        }
        // Carried out by the loop itself, on the terminal.
        Effect::Quit | Effect::Copy { .. } | Effect::OpenUrl { .. } | Effect::Notify(_) => {}
    }
}
