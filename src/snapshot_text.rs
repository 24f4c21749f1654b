//! `wavetop snapshot`: the fleet as a readable table, or as stable JSON.

use crate::domain::revisions::Behind;
use std::fmt::Write as _;
use std::io::Write;

use jiff::Timestamp;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;

use crate::domain::fleet::{Flow, FlowKind, GlobalTable, Health, Stack};
use crate::domain::verdict::CellVerdict;
use crate::protocol::ReadError;
use crate::snapshot_alarms::{RegionAlarms, region_alarms};
use crate::snapshot_verdicts::{Judging, snapshot_verdicts};
use crate::source::snapshot::Snapshot;
use crate::ui::glyphs::{cell_glyph, execution_glyph, fmt_age, fmt_elapsed, fmt_ms, health_glyph};

/// Version of the JSON shape; bumped on any incompatible change. Version 2
/// added `errors`: a document may describe part of the fleet, and an item
/// missing from it is no longer proof that it does not exist.
pub const JSON_VERSION: u32 = 2;

/// The JSON document: the fleet model as serialized, with each cell's derived
/// status added so consumers need not re-derive it, and what could not be
/// read. Serialized straight to the output ([`JsonDoc::write_pretty`]): the
/// whole document never exists in memory at once.
#[derive(Serialize)]
pub struct JsonDoc<'a> {
    version: u32,
    fleet: &'a str,
    at: Timestamp,
    pipelines: FlowsWithStatus<'a>,
    stacks: &'a [Stack],
    health: &'a Health,
    replication: &'a [GlobalTable],
    /// Each (flow, region)'s alarms and bake clocks.
    alarms: Vec<RegionAlarms<'a>>,
    errors: &'a [ReadError],
}

impl<'a> JsonDoc<'a> {
    pub fn new(snapshot: &'a Snapshot, now: Timestamp, label: &'a str) -> Self {
        let fleet = &snapshot.fleet;
        Self {
            version: JSON_VERSION,
            fleet: label,
            at: now,
            pipelines: FlowsWithStatus(&fleet.flows, Vec::new()),
            stacks: &fleet.stacks,
            health: &fleet.health,
            replication: &fleet.tables,
            alarms: region_alarms(fleet, now),
            errors: &snapshot.errors,
        }
        .judged(snapshot, now, Judging::default())
    }

    /// The document with each judged cell's verdict, on the configuration's
    /// windows and lag warning.
    pub fn judged(mut self, snapshot: &Snapshot, now: Timestamp, judging: Judging<'_>) -> Self {
        self.pipelines.1 = snapshot_verdicts(snapshot, now, judging);
        self
    }

    /// The document, indented, then a line break.
    pub fn write_pretty(&self, out: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }
}

/// The document as a value, for callers that look into it.
pub fn json(snapshot: &Snapshot, now: Timestamp, label: &str) -> Value {
    serde_json::to_value(JsonDoc::new(snapshot, now, label)).unwrap_or(Value::Null)
}

/// The flows, each written with its cells' derived status: one flow is
/// made a value at a time, so memory follows the largest flow, not the fleet.
struct FlowsWithStatus<'a>(&'a [Flow], Vec<CellVerdict>);

impl Serialize for FlowsWithStatus<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for flow in self.0 {
            seq.serialize_element(&flow_with_status(flow, &self.1))?;
        }
        seq.end()
    }
}

fn flow_with_status(flow: &Flow, verdicts: &[CellVerdict]) -> Value {
    let mut flow_json = serde_json::to_value(flow).unwrap_or(Value::Null);
    with_behind(&mut flow_json, flow);
    let Some(Value::Array(waves)) = flow_json.get_mut("waves") else {
        return flow_json;
    };
    for (wave_json, wave) in waves.iter_mut().zip(&flow.waves) {
        let Some(Value::Array(cells)) = wave_json.get_mut("cells") else {
            continue;
        };
        for (cell_json, cell) in cells.iter_mut().zip(&wave.cells) {
            if let Value::Object(map) = cell_json {
                map.insert(
                    "status".into(),
                    serde_json::to_value(cell.status()).unwrap_or(Value::Null),
                );
                let judged = verdicts.iter().find(|v| {
                    v.flow == flow.name && v.wave == wave.name && v.region == cell.region
                });
                if let Some(v) = judged {
                    map.insert(
                        "verdict".into(),
                        serde_json::to_value(&v.verdict).unwrap_or(Value::Null),
                    );
                }
            }
        }
    }
    flow_json
}

/// Each live revision with how far behind the newest it is: `behind` the
/// count, `behind_at_least` when its execution is older than every listed
/// one, so the count is a floor.
fn with_behind(flow_json: &mut Value, flow: &Flow) {
    let Some(Value::Array(live)) = flow_json.get_mut("live") else {
        return;
    };
    for (live_json, live) in live.iter_mut().zip(&flow.live) {
        let (Value::Object(map), Some(behind)) = (live_json, flow.behind(&live.region)) else {
            continue;
        };
        map.insert("behind".into(), behind.count().into());
        map.insert(
            "behind_at_least".into(),
            matches!(behind, Behind::AtLeast(_)).into(),
        );
    }
}

pub fn table(snapshot: &Snapshot, now: Timestamp, label: &str) -> String {
    table_judged(snapshot, now, label, Judging::default())
}

/// The table, with the verdicts judged on the configuration's windows and lag warning.
pub fn table_judged(
    snapshot: &Snapshot,
    now: Timestamp,
    label: &str,
    judging: Judging<'_>,
) -> String {
    let fleet = &snapshot.fleet;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "wavetop snapshot · {label} · {}",
        now.strftime("%Y-%m-%d %H:%M:%S UTC")
    );
    for flow in &fleet.flows {
        let kind = match flow.kind {
            FlowKind::Pipeline => "pipeline",
            FlowKind::Chained => "chained pipelines",
            FlowKind::Unmanaged => "stacks outside any pipeline",
        };
        let _ = writeln!(out, "\n{} ({kind}, home {})", flow.name, flow.home_region());
        let _ = write!(out, "  {:<18}", "wave");
        for r in &flow.regions {
            let _ = write!(out, "{r:<16}");
        }
        out.push('\n');
        let mut schedules = Vec::new();
        for wave in &flow.waves {
            let held = if wave.transition.enabled { "" } else { " ⏸" };
            if !wave.transition.enabled {
                schedules.push(format!(
                    "  {} held · {}",
                    wave.name,
                    wave.schedule.describe(!wave.schedule.is_not_read())
                ));
            }
            let _ = write!(out, "  {:<18}", format!("{}{held}", wave.name));
            if wave.pre_deploy {
                if let Some(cell) = wave.cells.first() {
                    let (g, w) = cell_glyph(cell.status());
                    let _ = write!(out, "{g} {w} ({})", cell.region);
                }
            } else {
                for r in &flow.regions {
                    let text = match wave.cell(r) {
                        Some(cell) => {
                            let (g, w) = cell_glyph(cell.status());
                            format!("{g} {w}")
                        }
                        None => "·".to_string(),
                    };
                    let _ = write!(out, "{text:<16}");
                }
            }
            out.push('\n');
        }
        for line in schedules {
            let _ = writeln!(out, "{line}");
        }
        for e in flow.executions.iter().take(5) {
            let (g, w) = execution_glyph(e.status);
            let _ = writeln!(
                out,
                "  {g} {w:<11} {:<10} {:<22} {} {} ago, took {}",
                e.id.chars().take(8).collect::<String>(),
                e.trigger,
                e.revision_summary.as_deref().unwrap_or(""),
                fmt_age(now.as_second() - e.started_at.as_second()),
                fmt_elapsed(e.duration_secs(now)),
            );
        }
    }
    let _ = writeln!(out, "\nstacks");
    for s in &fleet.stacks {
        let newest = s
            .events
            .first()
            .map(|e| {
                format!(
                    "{} {} {}",
                    crate::core::shown_time::clock_text(
                        e.timestamp,
                        now,
                        &jiff::tz::TimeZone::UTC,
                        true
                    ),
                    e.logical_id,
                    e.status
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<16} {:<26} {:<32} {newest}",
            s.region, s.name, s.status
        );
    }
    let _ = writeln!(out, "\nhealth");
    for rs in &fleet.health.record_sets {
        let _ = writeln!(out, "  {} {} {:?}", rs.name, rs.record_type, rs.policy);
        for r in &rs.records {
            let check = r
                .health_check_id
                .as_deref()
                .and_then(|id| fleet.health.check(id));
            let status = match check {
                Some(c) => {
                    let (g, w) = health_glyph(c.status, c.inverted);
                    format!("{g} {w}{}", if c.disabled { " (disabled)" } else { "" })
                }
                None => "no check".to_string(),
            };
            let _ = writeln!(
                out,
                "    {:<16} {:<12} {:<14} {status}",
                r.region,
                r.routing_detail.as_deref().unwrap_or(""),
                r.health_check_id.as_deref().unwrap_or("-")
            );
        }
    }
    let _ = writeln!(out, "\nreplication");
    for t in &fleet.tables {
        let _ = writeln!(out, "  {}", t.name);
        for s in &t.latency {
            let latest = s.latest().map(fmt_ms).unwrap_or_else(|| "no data".into());
            let _ = writeln!(
                out,
                "    {} -> {:<16} {latest}",
                s.source_region, s.receiving_region
            );
        }
    }
    let alarms = crate::snapshot_alarms::text_lines(fleet, now);
    if !alarms.is_empty() {
        let _ = writeln!(out, "\nalarms");
        out.push_str(&alarms);
    }
    let verdicts = crate::snapshot_verdicts::text_lines(&snapshot_verdicts(snapshot, now, judging));
    if !verdicts.is_empty() {
        let _ = writeln!(out, "\nverdicts (waiting gates, next regions)");
        out.push_str(&verdicts);
    }
    if !snapshot.errors.is_empty() {
        let _ = writeln!(out, "\nerrors (not read, or read in part)");
        for e in &snapshot.errors {
            let _ = writeln!(
                out,
                "  ✖ {:<30} {:<16} {:<36} {}",
                e.source,
                e.region.as_deref().unwrap_or("-"),
                e.call.as_deref().unwrap_or("-"),
                e.message
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{DEMO_EPOCH, FleetSize, snapshot_at};
    use jiff::SignedDuration;

    #[test]
    fn the_streamed_document_is_the_value_written_pretty_byte_for_byte() {
        let at = SignedDuration::from_mins(95);
        let snapshot = snapshot_at(FleetSize::Demo, 7, at);
        let now = DEMO_EPOCH + at;
        let mut streamed = Vec::new();
        JsonDoc::new(&snapshot, now, "demo \u{1b}[2J")
            .write_pretty(&mut streamed)
            .unwrap();
        let value = json(&snapshot, now, "demo \u{1b}[2J");
        let whole = format!("{}\n", serde_json::to_string_pretty(&value).unwrap());
        assert!(value["pipelines"][0]["waves"][0]["cells"][0]["status"].is_string());
        assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    }

    #[test]
    fn each_live_revision_says_how_far_behind_it_is() {
        let at = SignedDuration::from_mins(95);
        let snapshot = snapshot_at(FleetSize::Demo, 7, at);
        let value = json(&snapshot, DEMO_EPOCH + at, "demo");
        let live: Vec<&Value> = value["pipelines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["live"].as_array().unwrap())
            .collect();
        assert!(!live.is_empty(), "no live revision in the snapshot");
        for l in &live {
            assert!(l["region"].is_string() && l["execution_id"].is_string());
            assert!(l["behind"].is_u64(), "{l}");
            assert!(l["behind_at_least"].is_boolean(), "{l}");
        }
    }
}
