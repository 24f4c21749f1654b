//! The operator actions without the console: the same rules (core::operator),
//! the same calls and the same audit log, confirmed by `--yes`.

use std::process::ExitCode;
use std::sync::Arc;

use jiff::Timestamp;

use crate::audit::AuditLog;
use crate::cli::{Command, GateArgs, WaveArgs};
use crate::core::action::ActionName;
use crate::core::intent::{CommentRule, Intent};
use crate::core::msg::OperateReport;
use crate::core::operator::{
    OperatorCtx, Proposal, Target, due_releases, propose_drain, propose_for, propose_restore,
};
use crate::core::recheck::guard_for;
use crate::domain::fleet::Fleet;
use crate::domain::hold_schedule::HoldScheduler;
use crate::domain::window::Windows;
use crate::headless_needs::{needs_of, unread_part};
use crate::headless_verdict::{approval_comment, approval_verdict};
use crate::protocol::{Observe, Operate, OperateCall, SourceError, UNKNOWN_IDENTITY};
use crate::runtime::clock::Clock;
use crate::runtime::executor::{Executor, Operation};
use crate::source::snapshot::{full_snapshot, poll_timeout};
use crate::{errln, outln};

pub struct Context {
    pub observe: Arc<dyn Observe>,
    pub operate: Arc<dyn Operate>,
    pub audit: Arc<AuditLog>,
    pub clock: Clock,
    pub windows: Windows,
    /// `[scheduler]`, when configured: holds until a window get a schedule.
    pub hold_scheduler: Option<HoldScheduler>,
    pub lag_warning_ms: f64,
}

impl Context {
    /// The executor the console uses too, on this command's backend and audit log.
    fn executor(&self) -> Executor {
        Executor {
            observe: self.observe.clone(),
            operate: self.operate.clone(),
            audit: self.audit.clone(),
            clock: self.clock.clone(),
        }
    }
}

/// Exit statuses: 0 done, 1 AWS refused or failed, 2 bad input or not confirmed.
pub async fn run(command: Command, ctx: Context) -> ExitCode {
    match execute(command, &ctx).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(text)) => {
            errln!("wavetop: {text}");
            ExitCode::from(2)
        }
        Err(Failure::Call(text)) => {
            errln!("wavetop: {text}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    Usage(String),
    Call(String),
}

/// What a command turned into: the proposals to carry out, the operator's
/// words for them, whether `--yes` confirmed them, and the fleet they were
/// decided on.
struct Plan {
    proposals: Vec<Proposal>,
    comment: String,
    yes: bool,
    fleet: Fleet,
}

async fn execute(command: Command, ctx: &Context) -> Result<(), Failure> {
    let (now, fleet) = read_fleet(&command, ctx).await?;
    let Some(plan) = plan(command, now, fleet, ctx)? else {
        return Ok(());
    };
    confirm(&plan)?;
    carry_out(plan, ctx).await
}

/// Reads the fleet once, and fails unless the part the command needs was read.
async fn read_fleet(command: &Command, ctx: &Context) -> Result<(Timestamp, Fleet), Failure> {
    let now = (ctx.clock)();
    let snapshot = full_snapshot(&*ctx.observe, now, Some(poll_timeout())).await;
    if let Some(why) = unread_part(&needs_of(command), &snapshot) {
        return Err(Failure::Call(format!("reading the fleet failed: {why}")));
    }
    Ok((now, snapshot.fleet))
}

/// Turns the command into proposals under the console's rules; None when
/// there is nothing to do.
fn plan(
    command: Command,
    now: Timestamp,
    fleet: Fleet,
    ctx: &Context,
) -> Result<Option<Plan>, Failure> {
    let rules = OperatorCtx {
        fleet: &fleet,
        windows: &ctx.windows,
        now,
        lag_warning_ms: ctx.lag_warning_ms,
        scheduler: ctx.hold_scheduler.as_ref(),
    };

    let (proposals, comment, yes) = match command {
        Command::Approve(gate) => {
            let (proposals, comment, yes) = gate_proposal(&rules, &gate, true)?;
            let verdict = proposals
                .first()
                .filter(|p| !p.intent.is_deferred())
                .and_then(|p| {
                    approval_verdict(&fleet, &ctx.windows, (now, ctx.lag_warning_ms), &p.intent)
                });
            let comment = approval_comment(verdict.as_ref(), &comment, &gate.override_reason)
                .map_err(Failure::Usage)?;
            (proposals, comment, yes)
        }
        Command::Reject(gate) => gate_proposal(&rules, &gate, false)?,
        Command::Retry { wave, all, yes } => {
            let action = if all {
                ActionName::RetryAll
            } else {
                ActionName::RetryFailed
            };
            (
                vec![wave_proposal(&rules, &wave, action)?],
                String::new(),
                yes,
            )
        }
        Command::Hold {
            wave,
            until_window,
            reason,
            yes,
        } => {
            let proposal = match until_window {
                Some(region) => {
                    let mut target = wave_target(&fleet, &wave)?;
                    target.region = region;
                    propose_for(&rules, ActionName::HoldUntilWindow, &target, false)
                        .map_err(Failure::Usage)?
                }
                None => wave_proposal(&rules, &wave, ActionName::Hold)?,
            };
            (vec![proposal], reason, yes)
        }
        Command::Release { wave, yes } => (
            vec![wave_proposal(&rules, &wave, ActionName::Release)?],
            String::new(),
            yes,
        ),
        Command::Stop {
            pipeline,
            abandon,
            reason,
            yes,
        } => {
            let action = if abandon {
                ActionName::StopAbandon
            } else {
                ActionName::Stop
            };
            let target = running_wave_target(&fleet, &pipeline)?;
            (
                vec![propose_for(&rules, action, &target, false).map_err(Failure::Usage)?],
                reason,
                yes,
            )
        }
        Command::Rollback { wave, to, yes } => {
            let mut proposal = wave_proposal(&rules, &wave, ActionName::Rollback)?;
            if let (
                Some(to),
                Intent::Rollback {
                    target_execution_id,
                    ..
                },
            ) = (to, &mut proposal.intent)
            {
                *target_execution_id = to;
            }
            (vec![proposal], String::new(), yes)
        }
        Command::OverrideCondition { wave, yes } => (
            vec![wave_proposal(&rules, &wave, ActionName::OverrideCondition)?],
            String::new(),
            yes,
        ),
        Command::Drain { region, force, yes } => (
            vec![propose_drain(&rules, &region, force).map_err(Failure::Usage)?],
            String::new(),
            yes,
        ),
        Command::Restore { region, yes } => (
            vec![propose_restore(&rules, &region).map_err(Failure::Usage)?],
            String::new(),
            yes,
        ),
        Command::Enforce { yes } => {
            let due: Vec<Proposal> = due_releases(&fleet, &ctx.windows, now)
                .into_iter()
                .map(Proposal::plain)
                .collect();
            if due.is_empty() {
                outln!("nothing to release: no hold placed until a window has reached its time");
                return Ok(None);
            }
            (due, String::new(), yes)
        }
        Command::Snapshot { .. }
        | Command::Config { .. }
        | Command::Audit { .. }
        | Command::Completions { .. }
        | Command::Man => {
            unreachable!("handled by the caller")
        }
    };

    Ok(Some(Plan {
        proposals,
        comment,
        yes,
        fleet,
    }))
}

/// Refuses a plan that lacks a required comment, shows what will be done,
/// and stops there unless `--yes` confirmed it.
fn confirm(plan: &Plan) -> Result<(), Failure> {
    for p in &plan.proposals {
        if let CommentRule::Required(label) = p.intent.comment_rule()
            && plan.comment.trim().is_empty()
        {
            return Err(Failure::Usage(format!(
                "{}: {label} (pass --comment or --reason)",
                p.intent.title()
            )));
        }
    }
    for p in &plan.proposals {
        outln!("{}:", p.intent.title());
        for line in p.intent.describe() {
            outln!("  {line}");
        }
        for w in &p.warnings {
            outln!("  WARNING: {w}");
        }
    }
    if !plan.yes {
        return Err(Failure::Usage(
            "not done: add --yes to make these calls".to_string(),
        ));
    }
    Ok(())
}

/// Makes each proposal's calls through the executor, in order, and stops at
/// the first that did not go through.
async fn carry_out(plan: Plan, ctx: &Context) -> Result<(), Failure> {
    let identity = ctx
        .operate
        .identity()
        .await
        .unwrap_or_else(|_| UNKNOWN_IDENTITY.to_string());
    let executor = ctx.executor();
    for p in plan.proposals {
        if let Intent::ApproveAtWindow { at, .. } = &p.intent {
            wait_until(ctx, *at).await;
            refuse_on_no_go(ctx, &p.intent, (&identity, &plan.comment)).await?;
        }
        // Decided on the fleet read above; another operator may act between
        // that read and these calls, so the guard reads it again first.
        let op = Operation {
            identity: identity.clone(),
            intent: p.intent.title().to_string(),
            target: p.intent.target(),
            calls: p.intent.calls(&plan.comment, &identity),
            guard: guard_for(&plan.fleet, &p.intent),
        };
        report_outcome(&op.calls, &executor.run(&op).await)?;
    }
    Ok(())
}

/// Prints each call that went through; the first failure, or an audit log
/// that could not record an outcome, ends the command.
fn report_outcome(calls: &[OperateCall], report: &OperateReport) -> Result<(), Failure> {
    if let Some(Err(e @ SourceError::NotDone(_))) = report.results.first() {
        return Err(Failure::Call(e.to_string()));
    }
    for (call, result) in calls.iter().zip(&report.results) {
        match result {
            Ok(o) => outln!("done: {} {}", call.api_name(), o.detail),
            Err(e) if matches!(call, OperateCall::CreateHoldSchedule { .. }) => {
                return Err(Failure::Call(format!(
                    "{} failed: {e}; the stage is held, but it now opens only while a console with auto_release or `wavetop enforce` runs",
                    call.api_name()
                )));
            }
            Err(e) => return Err(Failure::Call(format!("{} failed: {e}", call.api_name()))),
        }
    }
    match &report.audit_error {
        Some(e) => Err(Failure::Call(e.to_string())),
        None => Ok(()),
    }
}

/// An approval at the window, judged again on a fresh read as the window
/// opens: on NO-GO it is not sent, the gate stays waiting, and the audit
/// log records the refusal.
async fn refuse_on_no_go(
    ctx: &Context,
    intent: &Intent,
    (identity, comment): (&str, &str),
) -> Result<(), Failure> {
    let now = (ctx.clock)();
    let fleet = full_snapshot(&*ctx.observe, now, Some(poll_timeout()))
        .await
        .fleet;
    let judged = (now, ctx.lag_warning_ms);
    let verdict = match approval_verdict(&fleet, &ctx.windows, judged, intent) {
        Some(v) if v.call == crate::domain::verdict::Call::NoGo => v,
        _ => return Ok(()),
    };
    let refused = format!(
        "approval at the window not sent, the gate stays waiting: {}",
        verdict.summary()
    );
    let Some(call) = intent.calls(comment, identity).into_iter().next() else {
        return Err(Failure::Call(refused));
    };
    let entry = crate::audit::AuditRefusal::on_verdict(
        ((ctx.clock)(), identity),
        intent.target().to_string(),
        call,
        intent.title(),
        &verdict,
    );
    match ctx.audit.refused(&entry) {
        Ok(_) => Err(Failure::Call(refused)),
        Err(e) => Err(Failure::Call(format!(
            "{refused} (the audit log could not record it: {e})"
        ))),
    }
}

async fn wait_until(ctx: &Context, at: jiff::Timestamp) {
    outln!("waiting until {at} to approve…");
    loop {
        let now = (ctx.clock)();
        if now >= at {
            return;
        }
        // At most a second at a time: the simulator's clock may run faster
        // than real time (--speed), and its time is what is waited for.
        let ms = (at.as_millisecond() - now.as_millisecond()).clamp(100, 1_000);
        tokio::time::sleep(std::time::Duration::from_millis(ms as u64)).await;
    }
}

/// Finds the flow and wave a pipeline/wave pair names; the pipeline may be a
/// flow name or the CodePipeline name of one of its pipelines.
fn wave_target(fleet: &Fleet, args: &WaveArgs) -> Result<Target, Failure> {
    let flow = fleet
        .flows
        .iter()
        .find(|f| f.name == args.pipeline || f.pipelines.iter().any(|p| p.name == args.pipeline))
        .ok_or_else(|| Failure::Usage(format!("no pipeline named {}", args.pipeline)))?;
    let (wave, found) = flow
        .waves
        .iter()
        .enumerate()
        .find(|(_, w)| {
            w.name == args.wave && (flow.name == args.pipeline || w.pipeline == args.pipeline)
        })
        .ok_or_else(|| {
            let names: Vec<&str> = flow.waves.iter().map(|w| w.name.as_str()).collect();
            Failure::Usage(format!(
                "{} has no wave {} (waves: {})",
                flow.name,
                args.wave,
                names.join(", ")
            ))
        })?;
    let region = found
        .cells
        .first()
        .map(|c| c.region.to_string())
        .unwrap_or_default();
    Ok(Target {
        flow: flow.name.clone(),
        wave,
        region,
    })
}

fn wave_proposal(
    rules: &OperatorCtx,
    args: &WaveArgs,
    action: ActionName,
) -> Result<Proposal, Failure> {
    let target = wave_target(rules.fleet, args)?;
    propose_for(rules, action, &target, false).map_err(Failure::Usage)
}

fn gate_proposal(
    rules: &OperatorCtx,
    gate: &GateArgs,
    approve: bool,
) -> Result<(Vec<Proposal>, String, bool), Failure> {
    let mut target = wave_target(rules.fleet, &gate.wave)?;
    target.region = gate.region.clone();
    let action = match (approve, gate.at_window) {
        (true, false) => ActionName::Approve,
        (true, true) => ActionName::ApproveAtWindow,
        (false, false) => ActionName::Reject,
        (false, true) => return Err(Failure::Usage("--at-window applies to approve only".into())),
    };
    let proposal = propose_for(rules, action, &target, false).map_err(Failure::Usage)?;
    Ok((vec![proposal], gate.comment.clone(), gate.yes))
}

/// The wave of a pipeline that is running now, for stop.
fn running_wave_target(fleet: &Fleet, pipeline: &str) -> Result<Target, Failure> {
    let flow = fleet
        .flows
        .iter()
        .find(|f| f.name == pipeline || f.pipelines.iter().any(|p| p.name == pipeline))
        .ok_or_else(|| Failure::Usage(format!("no pipeline named {pipeline}")))?;
    let wave = flow
        .waves
        .iter()
        .position(|w| (flow.name == pipeline || w.pipeline == pipeline) && w.execution_id.is_some())
        .unwrap_or(0);
    Ok(Target {
        flow: flow.name.clone(),
        wave,
        region: String::new(),
    })
}
