//! Placeholder until the drain safety rule lands.

use super::fleet::{GlobalTable, Health};

pub struct Refusal {
    pub record_set: String,
    pub reason: String,
}

pub struct DrainPlan {
    pub invert: Vec<String>,
    pub refusals: Vec<Refusal>,
    pub warnings: Vec<String>,
    pub receiving_regions: Vec<String>,
}

pub struct RestorePlan {
    pub revert: Vec<String>,
}

pub fn plan_drain(health: &Health, region: &str) -> DrainPlan {
    DrainPlan {
        invert: health.checks_in(region).filter(|c| !c.inverted).map(|c| c.id.clone()).collect(),
        refusals: Vec::new(),
        warnings: Vec::new(),
        receiving_regions: Vec::new(),
    }
}

pub fn plan_restore(health: &Health, region: &str) -> RestorePlan {
    RestorePlan {
        revert: health.checks_in(region).filter(|c| c.inverted).map(|c| c.id.clone()).collect(),
    }
}

pub fn lag_warnings(_tables: &[GlobalTable], _receiving: &[String], _threshold_ms: f64) -> Vec<String> {
    Vec::new()
}
