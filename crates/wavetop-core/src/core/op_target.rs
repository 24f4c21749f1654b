//! What one operation acts on. Two operations on the same target may not be
//! in flight at once, and DNS changes are serialised among themselves; both
//! rules compare these values, never their text.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OpTarget {
    /// One region's manual gate of a wave (approve, reject).
    Gate {
        pipeline: String,
        stage: String,
        region: String,
    },
    /// A whole wave: retry, hold, release and roll back act on the stage.
    Stage { pipeline: String, stage: String },
    /// One pipeline execution (stop).
    Execution {
        pipeline: String,
        execution_id: String,
    },
    /// A region's place in DNS (drain, restore).
    Dns { region: String },
}

impl OpTarget {
    /// Whether the operation changes what DNS routes where.
    pub fn is_dns(&self) -> bool {
        matches!(self, OpTarget::Dns { .. })
    }
}

/// The text the activity view, flash messages and the audit log show
/// (`billing/Prod/us-east-1`, `billing/Prod`, `billing@<id>`, `dns/us-east-1`).
/// It is for people: a pipeline may be named `dns`, so the text is not parsed back.
impl fmt::Display for OpTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpTarget::Gate {
                pipeline,
                stage,
                region,
            } => write!(f, "{pipeline}/{stage}/{region}"),
            OpTarget::Stage { pipeline, stage } => write!(f, "{pipeline}/{stage}"),
            OpTarget::Execution {
                pipeline,
                execution_id,
            } => write!(f, "{pipeline}@{execution_id}"),
            OpTarget::Dns { region } => write!(f, "dns/{region}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> OpTarget {
        OpTarget::Gate {
            pipeline: "billing".into(),
            stage: "Prod".into(),
            region: "us-east-1".into(),
        }
    }

    #[test]
    fn each_target_shows_as_the_audit_log_has_always_written_it() {
        let stage = OpTarget::Stage {
            pipeline: "billing".into(),
            stage: "Prod".into(),
        };
        let execution = OpTarget::Execution {
            pipeline: "billing".into(),
            execution_id: "0f9c2d4e".into(),
        };
        let dns = OpTarget::Dns {
            region: "eu-west-1".into(),
        };
        assert_eq!(gate().to_string(), "billing/Prod/us-east-1");
        assert_eq!(stage.to_string(), "billing/Prod");
        assert_eq!(execution.to_string(), "billing@0f9c2d4e");
        assert_eq!(dns.to_string(), "dns/eu-west-1");
    }

    #[test]
    fn a_pipeline_named_dns_is_not_a_dns_change() {
        // As text, this stage reads like a DNS target; as a value it is not one.
        let stage = OpTarget::Stage {
            pipeline: "dns".into(),
            stage: "us-east-1".into(),
        };
        let dns = OpTarget::Dns {
            region: "us-east-1".into(),
        };
        assert_eq!(stage.to_string(), dns.to_string());
        assert!(!stage.is_dns());
        assert!(dns.is_dns());
        assert_ne!(stage, dns);
    }

    #[test]
    fn a_gate_is_not_its_wave() {
        let wave = OpTarget::Stage {
            pipeline: "billing".into(),
            stage: "Prod".into(),
        };
        assert_ne!(gate(), wave);
        assert_eq!(gate(), gate().clone());
    }
}
