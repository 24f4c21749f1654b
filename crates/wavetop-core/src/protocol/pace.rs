//! How fast a backend is asking one service endpoint right now: the rate it
//! lowers when the endpoint throttles and raises again while it answers, so
//! the operator can see why reads slowed down.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    /// The service and where it is reached, e.g. `codepipeline us-east-1`
    /// (with the account when it is not the default one).
    pub endpoint: String,
    /// Requests a second the backend allows itself now.
    pub per_second: f64,
    /// The rate it returns to after a throttle.
    pub ceiling: f64,
    /// Throttle answers this endpoint gave so far.
    pub throttles: u64,
}

impl Pace {
    /// Below its ceiling because of a throttle.
    pub fn slowed(&self) -> bool {
        self.per_second < self.ceiling
    }

    /// One activity line: the new rate and why.
    pub fn describe(&self) -> String {
        if self.slowed() {
            format!(
                "{} throttled: reads slowed to {:.1}/s (up to {:.1}/s again while it answers)",
                self.endpoint, self.per_second, self.ceiling
            )
        } else {
            format!(
                "{} answers again: reads back at {:.1}/s",
                self.endpoint, self.per_second
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_whether_reads_slowed_or_recovered() {
        let mut pace = Pace {
            endpoint: "codepipeline us-east-1".into(),
            per_second: 2.5,
            ceiling: 10.0,
            throttles: 1,
        };
        assert!(pace.slowed());
        assert_eq!(
            pace.describe(),
            "codepipeline us-east-1 throttled: reads slowed to 2.5/s (up to 10.0/s again while it answers)"
        );
        pace.per_second = 10.0;
        assert!(!pace.slowed());
        assert_eq!(
            pace.describe(),
            "codepipeline us-east-1 answers again: reads back at 10.0/s"
        );
    }
}
