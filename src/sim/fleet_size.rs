//! Which simulated fleet `--demo` shows: the small hand-declared one, or a
//! large generated one for trying wavetop at the scale of a big estate.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use super::days::DAY;
use super::large;
use super::shared_strings::share_declarations;
use super::spec::{self, FleetSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum FleetSize {
    /// Five flows, one of each shape: a few pipelines over a handful of regions.
    #[default]
    Demo,
    /// 200 pipelines over 25 regions in 3 accounts, 400 health checks, 10
    /// global tables.
    Large,
}

impl FleetSize {
    /// The fleet's flows, DNS and tables, repeated strings held once.
    pub fn spec(self) -> FleetSpec {
        let mut spec = match self {
            FleetSize::Demo => spec::demo(),
            FleetSize::Large => large::spec(),
        };
        share_declarations(&mut spec);
        spec
    }

    /// How long a world of this fleet lives before the next one opens (see
    /// `super::days`): reaching any `--at` steps at most one period plus the
    /// warm-up, so a fleet forty times the demo's lives in shorter periods.
    pub fn period(self) -> SignedDuration {
        match self {
            FleetSize::Demo => DAY,
            FleetSize::Large => large::PERIOD,
        }
    }

    /// How the fleet is labelled in the header and in snapshots.
    pub fn label(self) -> &'static str {
        match self {
            FleetSize::Demo => "DEMO",
            FleetSize::Large => "DEMO large",
        }
    }
}
