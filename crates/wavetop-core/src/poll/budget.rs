//! The poll budget: how many polls a minute the console spends on keys
//! nobody is watching, and how far their intervals stretch to stay within
//! it. A fleet of ten pipelines never reaches it and keeps its cadence; one
//! of two hundred is polled as often as the budget allows, slower the more
//! keys share it, while the pipeline on screen keeps its fast cadence.

/// Polls a minute a key costs at one poll every `secs`, in thousandths, so
/// that sums over many keys stay exact in integers.
pub(super) fn milli_rate(secs: i64) -> u64 {
    60_000 / secs.max(1).unsigned_abs()
}

/// The interval of a key whose tier asks for `base` seconds when the keys
/// sharing the budget ask for `demand` and the budget leaves them `room`
/// (both in thousandths of polls a minute): `base` while the demand fits,
/// else stretched by demand / room, never past `cap` (nor below `base`).
pub(super) fn stretched_secs(base: i64, demand: u64, room: u64, cap: i64) -> i64 {
    if demand <= room || base >= cap {
        return base;
    }
    let base = base.max(1).unsigned_abs();
    let stretched = (u128::from(base) * u128::from(demand)).div_ceil(u128::from(room.max(1)));
    i64::try_from(stretched).unwrap_or(cap).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demand_within_the_budget_keeps_the_tier_interval() {
        assert_eq!(stretched_secs(30, 100_000, 240_000, 300), 30);
    }

    #[test]
    fn a_demand_over_the_budget_stretches_by_its_ratio_up_to_the_cap() {
        // 400 polls a minute asked for, 200 available: intervals double.
        assert_eq!(stretched_secs(30, 400_000, 200_000, 300), 60);
        assert_eq!(stretched_secs(5, 400_000, 200_000, 300), 10);
        assert_eq!(stretched_secs(30, 40_000_000, 200_000, 300), 300);
        assert_eq!(stretched_secs(30, 400_000, 0, 300), 300);
    }

    #[test]
    fn a_rate_is_counted_in_thousandths_of_polls_a_minute() {
        assert_eq!(milli_rate(30), 2_000);
        assert_eq!(milli_rate(0), 60_000);
    }
}
