//! Row lists shared by update() (to move a cursor over them) and the views (to
//! draw them), so both always agree on what row N is.

use crate::domain::fleet::{Fleet, Record, RecordSet};

/// One line of the health view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthRow {
    RecordSet { set: usize },
    Record { set: usize, record: usize },
}

pub fn health_rows(fleet: &Fleet) -> Vec<HealthRow> {
    let mut rows = Vec::new();
    for (set, rs) in fleet.health.record_sets.iter().enumerate() {
        rows.push(HealthRow::RecordSet { set });
        for record in 0..rs.records.len() {
            rows.push(HealthRow::Record { set, record });
        }
    }
    rows
}

pub fn health_row_record(fleet: &Fleet, row: HealthRow) -> Option<(&RecordSet, Option<&Record>)> {
    match row {
        HealthRow::RecordSet { set } => fleet.health.record_sets.get(set).map(|rs| (rs, None)),
        HealthRow::Record { set, record } => {
            let rs = fleet.health.record_sets.get(set)?;
            Some((rs, rs.records.get(record)))
        }
    }
}

/// The health check under the health view's cursor, if the row has one.
pub fn selected_check_id(fleet: &Fleet, cursor: usize) -> Option<String> {
    let row = *health_rows(fleet).get(cursor)?;
    let (_, record) = health_row_record(fleet, row)?;
    record?.health_check_id.clone()
}
