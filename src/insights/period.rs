//! The timeline's periods: which one a post falls in, and how long a period is.
//!
//! Every dated post has a wall-clock day ([`super::keys`] decides it); a period is a
//! day, an ISO week (Monday to Sunday) or a calendar month of those days. The kind is
//! chosen from the selection's date range so that a chart has at most about a hundred
//! bars, and can be overridden; a requested kind that would need more than
//! [`MAX_PERIODS`] periods (a stray date in year 1900) is coarsened until it fits, and
//! `Year` exists only as that last resort, so that every dated post always has a period.

use chrono::{Datelike, NaiveDate};

/// A timeline never has more periods than this; a finer request is coarsened.
pub const MAX_PERIODS: i64 = 10_000;

/// The length of the periods of a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years: only when months would be more than [`MAX_PERIODS`].
    Year,
}

/// A post's day, precomputed: days from the common era (0001-01-01, a Monday, is 1) and
/// the month number `year * 12 + month0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DayKey {
    pub(crate) day: i32,
    pub(crate) month: i32,
}

impl DayKey {
    pub(crate) fn of(date: NaiveDate) -> Self {
        Self {
            day: date.num_days_from_ce(),
            month: date.year() * 12 + date.month0() as i32,
        }
    }
}

impl PeriodKind {
    /// `day`, `week`, `month` or `year`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    /// The nominal length in seconds (a month is a twelfth of the mean Gregorian year),
    /// used to state a rate "per period".
    pub fn nominal_secs(self) -> f64 {
        const DAY: f64 = 86_400.0;
        match self {
            Self::Day => DAY,
            Self::Week => 7.0 * DAY,
            Self::Month => 365.2425 / 12.0 * DAY,
            Self::Year => 365.2425 * DAY,
        }
    }

    /// The kind for a selection whose dated posts span `first..=last`: days up to three
    /// months, weeks up to two years, months up to fifty years, years beyond.
    pub(crate) fn automatic(first: DayKey, last: DayKey) -> Self {
        let days = i64::from(last.day) - i64::from(first.day) + 1;
        let months = i64::from(last.month) - i64::from(first.month) + 1;
        if days <= 92 {
            Self::Day
        } else if days <= 104 * 7 {
            Self::Week
        } else if months <= 600 {
            Self::Month
        } else {
            Self::Year
        }
    }

    /// This kind, or the first coarser one that covers `first..=last` in at most
    /// [`MAX_PERIODS`] periods.
    pub(crate) fn fitting(self, first: DayKey, last: DayKey) -> Self {
        let mut kind = self;
        while kind != Self::Year && kind.slot(last) - kind.slot(first) + 1 > MAX_PERIODS {
            kind = kind.coarser();
        }
        kind
    }

    fn coarser(self) -> Self {
        match self {
            Self::Day => Self::Week,
            Self::Week => Self::Month,
            Self::Month | Self::Year => Self::Year,
        }
    }

    /// A number for the period holding `key`; consecutive periods have consecutive slots.
    pub(crate) fn slot(self, key: DayKey) -> i64 {
        match self {
            Self::Day => i64::from(key.day),
            // Day 1 is a Monday, so weeks of `(day - 1) / 7` start on Mondays.
            Self::Week => (i64::from(key.day) - 1).div_euclid(7),
            Self::Month => i64::from(key.month),
            Self::Year => i64::from(key.month).div_euclid(12),
        }
    }

    /// The first day of the period numbered `slot`, `None` past chrono's range.
    pub(crate) fn start(self, slot: i64) -> Option<NaiveDate> {
        let from_days = |days: i64| NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?);
        match self {
            Self::Day => from_days(slot),
            Self::Week => from_days(slot.checked_mul(7)?.checked_add(1)?),
            Self::Month => {
                let year = i32::try_from(slot.div_euclid(12)).ok()?;
                let month0 = u32::try_from(slot.rem_euclid(12)).ok()?;
                NaiveDate::from_ymd_opt(year, month0 + 1, 1)
            }
            Self::Year => NaiveDate::from_ymd_opt(i32::try_from(slot).ok()?, 1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(y: i32, m: u32, d: u32) -> DayKey {
        DayKey::of(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn start(kind: PeriodKind, k: DayKey) -> String {
        kind.start(kind.slot(k)).unwrap().to_string()
    }

    #[test]
    fn periods_start_on_the_first_day_monday_and_first_of_month() {
        // 2022-01-01 is a Saturday: its ISO week starts on Monday 2021-12-27.
        let k = key(2022, 1, 1);
        assert_eq!(start(PeriodKind::Day, k), "2022-01-01");
        assert_eq!(start(PeriodKind::Week, k), "2021-12-27");
        assert_eq!(start(PeriodKind::Week, key(2022, 1, 3)), "2022-01-03");
        assert_eq!(start(PeriodKind::Week, key(2022, 1, 9)), "2022-01-03");
        assert_eq!(start(PeriodKind::Month, key(2022, 2, 28)), "2022-02-01");
        assert_eq!(start(PeriodKind::Year, key(2022, 2, 28)), "2022-01-01");
        assert_eq!(start(PeriodKind::Month, key(-5, 3, 1)), "-0005-03-01");
    }

    #[test]
    fn automatic_kind_follows_the_range() {
        let first = key(2021, 1, 1);
        assert_eq!(
            PeriodKind::automatic(first, key(2021, 3, 31)),
            PeriodKind::Day
        );
        assert_eq!(
            PeriodKind::automatic(first, key(2022, 6, 30)),
            PeriodKind::Week
        );
        assert_eq!(
            PeriodKind::automatic(first, key(2025, 1, 1)),
            PeriodKind::Month
        );
        assert_eq!(
            PeriodKind::automatic(key(1000, 1, 1), first),
            PeriodKind::Year
        );
    }

    #[test]
    fn a_request_too_fine_for_the_range_is_coarsened() {
        let last = key(2022, 1, 1);
        assert_eq!(
            PeriodKind::Day.fitting(key(1900, 1, 1), last),
            PeriodKind::Week
        );
        assert_eq!(
            PeriodKind::Day.fitting(key(1500, 1, 1), last),
            PeriodKind::Month
        );
        assert_eq!(
            PeriodKind::Day.fitting(key(2021, 1, 1), last),
            PeriodKind::Day
        );
        assert_eq!(
            PeriodKind::Day.fitting(key(-200_000, 1, 1), last),
            PeriodKind::Year
        );
    }
}
