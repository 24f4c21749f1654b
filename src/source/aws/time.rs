//! Conversions between the SDK's `DateTime` and the fleet's `jiff` timestamps.

use aws_smithy_types::DateTime;
use jiff::Timestamp;

pub fn to_timestamp(t: &DateTime) -> Timestamp {
    Timestamp::new(t.secs(), t.subsec_nanos() as i32).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn to_epoch(t: &DateTime) -> f64 {
    t.as_secs_f64()
}

pub fn to_datetime(t: Timestamp) -> DateTime {
    DateTime::from_secs_and_nanos(t.as_second(), t.subsec_nanosecond().max(0) as u32)
}
