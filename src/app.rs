//! Wiring: configuration first (before the terminal is touched), then the
//! backend, then the console or a headless command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

use crate::audit::{self, AuditLog};
use crate::cli::{BackendArgs, Cli, Command, ConfigCommand, UiArgs};
use crate::config::{self, Choices, Loaded, wants_no_color};
use crate::core::key_guard::KeyGuard;
use crate::core::model::{ActivityKind, Model};
use crate::core::mouse::MouseState;
use crate::core::stream::enable_stream;
use crate::domain::window::Windows;
use crate::headless;
use crate::protocol::{Observe, Operate, ReadStream};
use crate::runtime::audit_sink::{AuditSink, RefusingAudit};
use crate::runtime::event_loop::{self, Backends, Clock, Ended};
use crate::runtime::executor::Executor;
use crate::runtime::signals;
use crate::runtime::terminal::console_refusal;
use crate::sim::stream::SimStream;
use crate::sim::{DEMO_EPOCH, SimBackend};
use crate::snapshot_text;
use crate::snapshot_verdicts::Judging;
use crate::source::ReadOnly;
use crate::source::aws::credentials::{check_profile, credentials_label, profile_files};
use crate::source::aws::structure_cache::StructureCache;
use crate::source::aws::{AwsBackend, AwsOptions};
use crate::source::snapshot::{
    Completeness, Snapshot, full_snapshot, poll_timeout, read_hold_schedules,
};
use crate::team_audit::{self, ListArgs};
use crate::{errln, out, outln};

/// Exit status for bad input: flags, config, theme, keymap.
pub const EXIT_USAGE: u8 = 2;
/// Exit status of a snapshot that read part of the fleet (the rest is in its errors).
pub const EXIT_PARTIAL: u8 = 3;

pub async fn run(cli: Cli) -> color_eyre::Result<ExitCode> {
    let choices = cli.backend.choices();
    match cli.command {
        // Documentation needs neither AWS nor a config file.
        Some(Command::Completions { shell }) => Ok(crate::cli::completions::print(shell)),
        Some(Command::Man) => Ok(crate::cli::man_page::print()),
        Some(Command::Config {
            action: ConfigCommand::Check { path },
        }) => Ok(check_config(
            path.as_deref().or(cli.backend.config.as_deref()),
            &choices,
        )),
        Some(Command::Audit {
            check: true,
            path,
            json,
            ..
        }) => Ok(check_audit(path, json, &cli.backend)),
        Some(Command::Audit {
            local,
            since,
            path,
            json,
            ..
        }) => Ok(list_audit(
            ListArgs {
                local,
                since,
                path,
                json,
            },
            &cli.backend,
        )
        .await),
        Some(Command::Snapshot { json }) => run_snapshot(&cli.backend, json).await,
        Some(command) => run_headless(command, &cli.backend).await,
        None => run_console(&cli.backend, &cli.ui).await,
    }
}

/// `config check`: the config, theme and keymap validated, nothing connected.
fn check_config(path: Option<&Path>, choices: &Choices) -> ExitCode {
    match config::check(path, choices) {
        Ok(summary) => {
            outln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            errln!("{e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `audit --check`: the named log, else the one operations would write.
fn check_audit(path: Option<PathBuf>, json: bool, args: &BackendArgs) -> ExitCode {
    let path = path
        .or_else(|| args.audit_log.clone())
        .unwrap_or_else(AuditLog::default_path);
    ExitCode::from(audit::check::run(&path, json))
}

/// `audit` without `--check`: recent actions, from the team's log group or
/// the local log.
async fn list_audit(list: ListArgs, args: &BackendArgs) -> ExitCode {
    match config::load_with(args.config.as_deref(), &args.choices()) {
        Ok(loaded) => team_audit::list(list, args, &loaded).await,
        Err(e) => {
            errln!("{e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// What every mode that looks at the fleet starts from.
struct Setup {
    loaded: Loaded,
    windows: Windows,
    read_only: bool,
    fleet: Fleet,
    /// The fleet's operations, refused at this boundary when read-only.
    operate: Arc<dyn Operate>,
}

/// Loads the configuration and connects to the fleet, in that order; on
/// failure says why and gives the exit status.
async fn prepare(args: &BackendArgs) -> Result<Setup, ExitCode> {
    let loaded = config::load_with(args.config.as_deref(), &args.choices()).map_err(|e| {
        errln!("{e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    let windows = loaded.windows.clone();
    let read_only = args.read_only || loaded.config.read_only;
    let fleet = connect(args, &loaded).await.map_err(|e| match e {
        Unconnected::BadInput(message) => {
            errln!("wavetop: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Unconnected::Failed(message) => {
            errln!("wavetop: {message}");
            ExitCode::from(1)
        }
    })?;
    if args.at.is_some() && !fleet.simulated {
        errln!("wavetop: --at applies to the simulated fleet only (add --demo)");
        return Err(ExitCode::from(EXIT_USAGE));
    }
    let operate: Arc<dyn Operate> = if read_only {
        Arc::new(ReadOnly::new(fleet.operate.clone()))
    } else {
        fleet.operate.clone()
    };
    Ok(Setup {
        loaded,
        windows,
        read_only,
        fleet,
        operate,
    })
}

/// `snapshot`: the fleet read once and printed.
async fn run_snapshot(args: &BackendArgs, json: bool) -> color_eyre::Result<ExitCode> {
    let (fleet, windows, lag_warning_ms, scheduler) = match prepare(args).await {
        Ok(setup) => {
            let lag = setup.loaded.config.lag_warning_ms.map(|v| v as f64);
            let scheduler = config::scheduler::hold_scheduler(&setup.loaded.config);
            (
                setup.fleet,
                setup.windows,
                lag.unwrap_or(5_000.0),
                scheduler,
            )
        }
        Err(code) => return Ok(code),
    };
    let judging = Judging {
        windows: &windows,
        lag_warning_ms,
    };
    // The simulated fleet is looked at on a fixed clock, so the same seed
    // and --at give the same snapshot byte for byte.
    let (now, snapshot) = if fleet.simulated {
        let at = args.at.unwrap_or(SignedDuration::ZERO);
        let size = args.fleet.unwrap_or_default();
        (
            DEMO_EPOCH + at,
            crate::sim::snapshot_at(size, args.seed, at),
        )
    } else {
        let now = (fleet.clock)();
        if let Some(aws) = &fleet.aws {
            aws.read_once();
        }
        let mut read = full_snapshot(&*fleet.observe, now, Some(poll_timeout())).await;
        if let Some(scheduler) = &scheduler {
            read_hold_schedules(&*fleet.observe, &mut read, scheduler, Some(poll_timeout())).await;
        }
        for note in fleet.aws.iter().flat_map(|aws| aws.cache_notes()) {
            errln!("wavetop: note: {note}");
        }
        (now, read)
    };
    report_snapshot(&snapshot, now, (&fleet.label, judging), json)
}

/// An operator command without the console (approve, hold, drain, ...).
async fn run_headless(command: Command, args: &BackendArgs) -> color_eyre::Result<ExitCode> {
    let setup = match prepare(args).await {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    let audit = match open_audit(args, &setup).await {
        Ok(a) => a,
        Err(e) => {
            errln!("wavetop: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let ctx = headless::Context {
        observe: setup.fleet.observe.clone(),
        operate: setup.operate,
        audit: audit.clone(),
        clock: setup.fleet.clock.clone(),
        windows: setup.windows,
        hold_scheduler: config::scheduler::hold_scheduler(&setup.loaded.config),
        lag_warning_ms: setup
            .loaded
            .config
            .lag_warning_ms
            .map(|v| v as f64)
            .unwrap_or(5_000.0),
    };
    let code = headless::run(command, ctx).await;
    team_audit::settle(&audit, team_audit::SETTLE_HEADLESS).await;
    Ok(code)
}

/// The interactive console, until the operator quits or a signal ends it.
async fn run_console(args: &BackendArgs, ui: &UiArgs) -> color_eyre::Result<ExitCode> {
    let setup = match prepare(args).await {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    // Every flag is checked before the terminal: a bad audit log path is
    // named whatever the output is connected to. Read-only, no call can be
    // made, so there is nothing to record: the console starts without the
    // log and says so.
    let mut audit_note = None;
    let mut team_log = None;
    let audit: Arc<dyn AuditSink> = match open_audit(args, &setup).await {
        Ok(a) => {
            team_log = Some(a.clone());
            a
        }
        Err(e) if setup.read_only => {
            let note = format!("audit log unavailable: {e} (read-only: no call can be made)");
            audit_note = Some(note.clone());
            Arc::new(RefusingAudit(note))
        }
        Err(e) => {
            errln!("wavetop: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    // After every check of the input, before a single byte goes to
    // standard output.
    if let Some(refusal) = console_refusal() {
        errln!("wavetop: {refusal}");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let Setup {
        loaded,
        windows,
        read_only,
        fleet,
        operate,
    } = setup;
    let mut theme = loaded.theme;
    if wants_no_color(ui.no_color) {
        theme = theme.no_color();
    }
    let bindings = loaded.keymap.clone();
    let now = (fleet.clock)();
    let mut model = Model::new(now, bindings, windows, read_only);
    model.auto_release = loaded.config.auto_release;
    model.hold_scheduler = config::scheduler::hold_scheduler(&loaded.config);
    model.set_limits(loaded.limits);
    model.notify.settings = loaded.notify.clone();
    model.key_guard = KeyGuard::for_clock_speed(fleet.speed);
    model.mouse = MouseState::for_clock_speed(fleet.speed);
    model.mouse.captured = loaded.config.ui.mouse;
    if let Some(ms) = loaded.config.lag_warning_ms {
        model.lag_warning_ms = ms as f64;
    }
    if let Some(note) = fleet.note {
        model.flash(note);
    }
    if let Some(note) = audit_note {
        model.log(ActivityKind::Error, note.clone());
        model.flash(note);
    }
    let stream = match (&loaded.config.stream, &fleet.aws) {
        (Some(config), Some(aws)) => {
            enable_stream(&mut model, config.cadence());
            let regions = aws.stream_regions(config);
            if let Some(stream) = model.stream.as_mut() {
                stream.regions = Some(regions);
            }
            match aws.open_stream(config, now).await {
                Ok(reader) => Some(Arc::new(reader) as Arc<dyn ReadStream>),
                Err(e) => {
                    errln!("wavetop: [stream]: {e}");
                    return Ok(ExitCode::from(EXIT_USAGE));
                }
            }
        }
        // The simulated fleet's own stream: what its changes would send.
        (Some(config), None) => fleet.sim.as_ref().map(|sim| {
            enable_stream(&mut model, config.cadence());
            Arc::new(SimStream::new(sim.clone())) as Arc<dyn ReadStream>
        }),
        _ => None,
    };
    let backends = Backends {
        executor: Executor {
            observe: fleet.observe,
            operate,
            audit,
            clock: fleet.clock,
        },
        speed: fleet.speed,
        team: team_log.as_ref().and_then(|log| log.team_copy().cloned()),
        stream,
    };
    let ended = event_loop::run(model, theme, backends).await?;
    if let Some(log) = team_log {
        team_audit::settle(&log, team_audit::SETTLE_CONSOLE).await;
    }
    Ok(match ended {
        Ended::Quit => ExitCode::SUCCESS,
        Ended::Signal(signal) => ExitCode::from(signals::exit_status(signal)),
    })
}

/// Prints what the snapshot read, and says on standard error what it could
/// not: exit 0 complete, [`EXIT_PARTIAL`] partial, 1 nothing read.
fn report_snapshot(
    snapshot: &Snapshot,
    now: Timestamp,
    (label, judging): (&str, Judging<'_>),
    json: bool,
) -> color_eyre::Result<ExitCode> {
    if json {
        let doc = snapshot_text::JsonDoc::new(snapshot, now, label).judged(snapshot, now, judging);
        crate::output::stream_out(|out| doc.write_pretty(out));
    } else {
        out!(
            "{}",
            snapshot_text::table_judged(snapshot, now, label, judging)
        );
    }
    Ok(match snapshot.completeness() {
        Completeness::Complete => ExitCode::SUCCESS,
        Completeness::Partial => {
            errln!(
                "wavetop: snapshot incomplete: {} part(s) of the fleet could not be read (listed under errors)",
                snapshot.errors.len()
            );
            ExitCode::from(EXIT_PARTIAL)
        }
        Completeness::NothingRead => {
            for e in &snapshot.errors {
                errln!("wavetop: snapshot failed: {e}");
            }
            ExitCode::from(1)
        }
    })
}

/// An audit log that cannot be used is bad input (exit 2): no operator
/// action may run without its record. With `[audit] log_group`, its lines
/// are also copied to the team's group; the simulated fleet's never are.
async fn open_audit(args: &BackendArgs, setup: &Setup) -> Result<Arc<AuditLog>, String> {
    let path = args
        .audit_log
        .clone()
        .unwrap_or_else(AuditLog::default_path);
    let log = AuditLog::open(&path).map_err(|e| format!("{e}; name another with --audit-log"))?;
    Ok(Arc::new(match setup.fleet.simulated {
        true => log,
        false => team_audit::attach(log, args, &setup.loaded).await,
    }))
}

/// The backend chosen from the flags and config.
struct Fleet {
    observe: Arc<dyn Observe>,
    operate: Arc<dyn Operate>,
    clock: Clock,
    speed: f64,
    simulated: bool,
    label: String,
    /// Shown once at start.
    note: Option<String>,
    /// The AWS backend itself, for what it has to say after a snapshot.
    aws: Option<Arc<AwsBackend>>,
    /// The simulated world, whose changes make the simulated stream.
    sim: Option<Arc<SimBackend>>,
}

/// Why no fleet could be had: bad input (exit 2), or AWS could not be set up.
enum Unconnected {
    BadInput(String),
    Failed(String),
}

async fn connect(args: &BackendArgs, loaded: &Loaded) -> Result<Fleet, Unconnected> {
    let aws_configured = args.profile.is_some()
        || args.endpoint_url.is_some()
        || loaded.config.aws.is_some()
        || std::env::var_os("AWS_PROFILE").is_some()
        || std::env::var_os("AWS_ACCESS_KEY_ID").is_some();
    if args.demo || !aws_configured {
        let start = DEMO_EPOCH;
        let offset = args.at.unwrap_or(SignedDuration::ZERO);
        let origin = Instant::now();
        let speed = args.speed;
        // The simulated fleet's clock: the demo epoch, plus --at, plus real
        // time elapsed times --speed.
        let clock: Clock = Arc::new(move || {
            let ms = (origin.elapsed().as_secs_f64() * 1000.0 * speed) as i64;
            start + offset + SignedDuration::from_millis(ms)
        });
        // The world starts where the clock does, at a cost that does not
        // grow with --at (see sim::days).
        let size = args.fleet.unwrap_or_default();
        let backend = Arc::new(SimBackend::new(
            crate::sim::fleet_world_at(size, args.seed, offset),
            clock.clone(),
        ));
        return Ok(Fleet {
            observe: backend.clone(),
            operate: backend.clone(),
            sim: Some(backend),
            clock,
            speed,
            simulated: true,
            label: size.label().to_string(),
            note: (!args.demo).then(|| {
                "no AWS configuration found: showing the simulated fleet (--demo)".to_string()
            }),
            aws: None,
        });
    }
    if args.fleet.is_some() {
        return Err(Unconnected::BadInput(
            "--fleet applies to the simulated fleet only (add --demo)".to_string(),
        ));
    }
    let mut aws_config = loaded.config.aws.clone().unwrap_or_default();
    if !args.home_regions.is_empty() {
        aws_config.home_regions = args.home_regions.clone();
    }
    let options = AwsOptions {
        profile: args.profile.clone().or_else(|| aws_config.profile.clone()),
        endpoint_url: args.endpoint_url.clone(),
        home_regions: aws_config.home_regions.clone(),
    };
    // A named profile must exist: it is the only source of its account's
    // credentials (see source::aws::credentials).
    let env = |k: &str| std::env::var(k).ok();
    let (config_file, credentials_file) = profile_files(&env);
    let named = options
        .profile
        .iter()
        .chain(aws_config.accounts.iter().map(|a| &a.profile));
    for profile in named {
        check_profile(profile, &config_file, &credentials_file)
            .map_err(|e| Unconnected::BadInput(format!("--profile / aws.profile: {e}")))?;
    }
    let label = format!(
        "AWS ({})",
        credentials_label(options.profile.as_deref(), &env)
    );
    let endpoint_url = options.endpoint_url.clone();
    let mut backend = AwsBackend::connect(options, aws_config)
        .await
        .map_err(|e| Unconnected::Failed(e.to_string()))?
        .with_alarms(loaded.alarms.clone());
    let cache_root = StructureCache::default_root(
        std::env::var_os("XDG_CACHE_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    );
    if let Some(root) = cache_root.filter(|_| !args.no_cache) {
        backend = backend.with_structure_cache(StructureCache::new(root, endpoint_url.as_deref()));
    }
    let backend = Arc::new(backend);
    let clock: Clock = Arc::new(Timestamp::now);
    Ok(Fleet {
        observe: backend.clone(),
        operate: backend.clone(),
        clock,
        speed: 1.0,
        simulated: false,
        label,
        note: None,
        aws: Some(backend),
        sim: None,
    })
}
