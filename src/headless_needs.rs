//! What a headless operator command rests on, and whether a snapshot read it.
//! A command proceeds on a fleet read in part only when its own part was
//! read: an approval does not wait for a hung health source, while a drain
//! refuses unless every hosted zone and the health checks were read, since a
//! record set that could not be read could be the one that fails open.

use crate::cli::Command;
use crate::protocol::PollKey;
use crate::source::snapshot::Snapshot;

/// The part of the fleet a command decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needs {
    /// The pipeline (a flow name, or a CodePipeline name within a flow).
    Pipeline(String),
    /// Every watched record set and every health check.
    Dns,
    /// Whatever was read: a command that only acts on what it finds.
    AnythingRead,
}

pub fn needs_of(command: &Command) -> Needs {
    match command {
        Command::Approve(gate) | Command::Reject(gate) => {
            Needs::Pipeline(gate.wave.pipeline.clone())
        }
        Command::Retry { wave, .. }
        | Command::Hold { wave, .. }
        | Command::Release { wave, .. } => Needs::Pipeline(wave.pipeline.clone()),
        Command::Rollback { wave, .. } | Command::OverrideCondition { wave, .. } => {
            Needs::Pipeline(wave.pipeline.clone())
        }
        Command::Stop { pipeline, .. } => Needs::Pipeline(pipeline.clone()),
        Command::Drain { .. } | Command::Restore { .. } => Needs::Dns,
        _ => Needs::AnythingRead,
    }
}

/// Why the snapshot cannot carry the command, if it cannot.
pub fn unread_part(needs: &Needs, snapshot: &Snapshot) -> Option<String> {
    if !snapshot.discovered {
        return Some(first_error(snapshot, |_| true));
    }
    match needs {
        Needs::AnythingRead => None,
        Needs::Pipeline(name) => {
            let flow = snapshot
                .fleet
                .flows
                .iter()
                .find(|f| f.name == *name || f.pipelines.iter().any(|p| p.name == *name))?;
            let label = PollKey::Flow {
                flow: flow.name.clone(),
            }
            .label();
            snapshot
                .unanswered
                .contains(&label)
                .then(|| first_error(snapshot, |source| source == label))
        }
        Needs::Dns => {
            let health = PollKey::Health.label();
            let unread = |source: &str| {
                source.starts_with("hosted zone")
                    || (source == health && snapshot.unanswered.contains(&health))
            };
            snapshot
                .errors
                .iter()
                .any(|e| unread(&e.source))
                .then(|| first_error(snapshot, unread))
        }
    }
}

fn first_error(snapshot: &Snapshot, wanted: impl Fn(&str) -> bool) -> String {
    snapshot
        .errors
        .iter()
        .find(|e| wanted(&e.source))
        .map(ToString::to_string)
        .unwrap_or_else(|| "nothing could be read".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fleet::{Fleet, Flow, FlowKind};
    use crate::protocol::{ReadError, SourceError};

    fn snapshot(unanswered: &[&str], errors: Vec<ReadError>) -> Snapshot {
        let mut fleet = Fleet::empty();
        fleet.flows.push(Flow {
            name: "api".into(),
            kind: FlowKind::Pipeline,
            pipelines: Vec::new(),
            regions: Vec::new(),
            waves: Vec::new(),
            executions: Vec::new(),
            live: Vec::new(),
            fetched_at: jiff::Timestamp::UNIX_EPOCH,
        });
        Snapshot {
            fleet,
            errors,
            discovered: true,
            unanswered: unanswered.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn timed_out(source: &str) -> ReadError {
        ReadError::new(source, "us-east-1", &SourceError::Timeout("20s".into()))
    }

    #[test]
    fn a_pipeline_command_needs_its_pipeline_not_the_health_checks() {
        let health_hung = snapshot(&["health"], vec![timed_out("health")]);
        let approve = Needs::Pipeline("api".into());
        assert_eq!(unread_part(&approve, &health_hung), None);
        let drain = unread_part(&Needs::Dns, &health_hung).expect("a drain refuses");
        assert!(drain.contains("health"), "{drain}");

        let api_hung = snapshot(&["pipeline api"], vec![timed_out("pipeline api")]);
        let why = unread_part(&approve, &api_hung).expect("an approval refuses");
        assert!(why.contains("pipeline api"), "{why}");
        assert_eq!(unread_part(&Needs::Dns, &api_hung), None);
    }

    #[test]
    fn a_drain_refuses_when_any_hosted_zone_was_not_read() {
        let zone = ReadError::new(
            "hosted zone /hostedzone/Z1",
            "us-east-1",
            &SourceError::NotFound("NoSuchHostedZone".into()),
        );
        let partial = snapshot(&[], vec![zone]);
        let why = unread_part(&Needs::Dns, &partial).expect("refused");
        assert!(why.contains("/hostedzone/Z1"), "{why}");
        assert_eq!(unread_part(&Needs::Pipeline("api".into()), &partial), None);
    }
}
