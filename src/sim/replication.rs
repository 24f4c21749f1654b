//! DynamoDB global table replication: `ReplicationLatency` per (source,
//! receiving) pair, one point a minute, the last hour kept. A region that
//! takes a drained region's traffic writes more and replicates slower.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::rng::SimRng;
use super::spec::TableSpec;
use crate::domain::fleet::{GlobalTable, LatencySeries, Replica};

const POINTS_KEPT: usize = 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSim {
    pub name: String,
    pub flow: String,
    pub source_region: String,
    pub replicas: Vec<String>,
    pub series: Vec<LatencySeries>,
}

impl TableSim {
    /// A table with an hour of history ending at `now`.
    pub fn new(spec: &TableSpec, now: Timestamp, rng: &mut SimRng) -> Self {
        let mut series = Vec::new();
        for source in &spec.replicas {
            for receiving in &spec.replicas {
                if source != receiving {
                    series.push(LatencySeries {
                        source_region: source.to_string(),
                        receiving_region: receiving.to_string(),
                        points: Vec::new(),
                    });
                }
            }
        }
        let mut table = Self {
            name: spec.name.to_string(),
            flow: spec.flow.to_string(),
            source_region: spec.source_region.to_string(),
            replicas: spec.replicas.iter().map(|r| r.to_string()).collect(),
            series,
        };
        let last_minute = minute_floor(now);
        for back in (0..POINTS_KEPT as i64).rev() {
            table.record(last_minute - SignedDuration::from_mins(back), &[], rng);
        }
        table
    }

    /// Adds a point per pair when a new minute starts.
    pub fn tick(&mut self, now: Timestamp, drained: &[String], rng: &mut SimRng) {
        if now.as_second().rem_euclid(60) == 0 {
            self.record(now, drained, rng);
        }
    }

    fn record(&mut self, at: Timestamp, drained: &[String], rng: &mut SimRng) {
        let drained_here = self.replicas.iter().filter(|r| drained.contains(r)).count();
        for s in &mut self.series {
            let base = base_latency_ms(&s.source_region, &s.receiving_region);
            let jitter = 0.75 + rng.unit() * 0.6;
            // Drawn every time so that draining does not shift later draws.
            let surge = rng.unit();
            // Writes of a drained region land in the others, which then ship more.
            let load = if drained_here > 0 && !drained.contains(&s.source_region) {
                1.8 + surge * 1.2
            } else {
                1.0
            };
            let ms = (base * jitter * load * 10.0).round() / 10.0;
            s.points.push((at, ms));
            if s.points.len() > POINTS_KEPT {
                s.points.remove(0);
            }
        }
    }

    pub fn to_table(&self, now: Timestamp) -> GlobalTable {
        GlobalTable {
            name: self.name.clone(),
            flow: Some(self.flow.clone()),
            replicas: self
                .replicas
                .iter()
                .map(|r| Replica {
                    region: r.clone(),
                    status: "ACTIVE".to_string(),
                })
                .collect(),
            latency: self.series.clone(),
            fetched_at: now,
        }
    }
}

fn minute_floor(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second() - t.as_second().rem_euclid(60)).unwrap_or(t)
}

/// Typical replication latency between two regions, by distance.
fn base_latency_ms(a: &str, b: &str) -> f64 {
    let continent = |r: &str| r.split('-').next().unwrap_or("").to_string();
    match (continent(a).as_str(), continent(b).as_str()) {
        (x, y) if x == y => 40.0,
        ("us", "eu") | ("eu", "us") => 85.0,
        ("us", "ap") | ("ap", "us") => 160.0,
        ("eu", "ap") | ("ap", "eu") => 230.0,
        _ => 120.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TableSpec {
        TableSpec {
            name: "orders".into(),
            flow: "orders-active-active".into(),
            source_region: "us-east-1".into(),
            replicas: ["us-east-1", "eu-west-1", "ap-southeast-2"]
                .map(String::from)
                .to_vec(),
        }
    }

    fn t0() -> Timestamp {
        "2026-11-20T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn every_ordered_pair_has_an_hour_of_minutely_points() {
        let mut rng = SimRng::new(1);
        let t = TableSim::new(&spec(), t0(), &mut rng);
        assert_eq!(t.series.len(), 6);
        for s in &t.series {
            assert_eq!(s.points.len(), 60);
            assert_eq!(s.points.last().unwrap().0, t0());
            assert!(s.points.iter().all(|(_, v)| (10.0..1000.0).contains(v)));
            for w in s.points.windows(2) {
                assert_eq!(w[1].0.as_second() - w[0].0.as_second(), 60);
            }
        }
    }

    #[test]
    fn draining_a_region_raises_latency_out_of_the_others() {
        let mut calm = TableSim::new(&spec(), t0(), &mut SimRng::new(5));
        let mut busy = calm.clone();
        let drained = vec!["eu-west-1".to_string()];
        let mut rng_a = SimRng::new(6);
        let mut rng_b = SimRng::new(6);
        for m in 1..=10 {
            let at = t0() + SignedDuration::from_mins(m);
            calm.tick(at, &[], &mut rng_a);
            busy.tick(at, &drained, &mut rng_b);
        }
        let recent = |t: &TableSim, src: &str| -> f64 {
            t.series
                .iter()
                .filter(|s| s.source_region == src)
                .flat_map(|s| s.points.iter().rev().take(10).map(|(_, v)| *v))
                .sum()
        };
        assert!(recent(&busy, "us-east-1") > recent(&calm, "us-east-1") * 1.5);
        assert_eq!(recent(&busy, "eu-west-1"), recent(&calm, "eu-west-1"));
    }
}
