//! The gap rule: which feeds stopped posting, or fell sharply, against their own history.
//!
//! A feed is judged on its dated posts in the selection, in wall-clock seconds, up to
//! the selection's end `T` (its newest dated post, ignoring dates after
//! [`super::Options::not_after`], so that one post dated 2099 does not make every feed
//! look silent). `P` is the timeline's period and the recent window `W` is
//! [`RECENT_PERIODS`] periods.
//!
//! - **Too new to judge**: fewer than [`MIN_POSTS`] posts, or a history (first to last
//!   post) shorter than `W`. A brand-new feed is never reported.
//! - **Stopped**: its pace until its last post is `λ = (n − 1) / (last − first)`; the
//!   silence `s = T − last` would have held `λ·s` posts. It is reported when `λ·s ≥`
//!   [`STOP_EXPECTED`] (a feed posting at random at its pace stays that silent with
//!   probability below e⁻⁵ < 1 %) **and** `s` is longer than any silence the feed had
//!   before. The second condition is what keeps seasonal and bursty feeds quiet: a feed
//!   that posts every spring and was silent from April to December last year is not
//!   reported in June, only once its silence outlasts last year's.
//! - **Dropped**: it still posts, but the window `(T − W, T]` holds `r` posts where its
//!   pace before the window (from its first post, over at least `W`, with at least
//!   [`MIN_POSTS`] posts) predicts `e`: reported when `e ≥` [`DROP_EXPECTED`] and
//!   `r ≤ e ·` [`DROP_FACTOR`] (a fall to a quarter, with enough volume that noise
//!   rarely does it: P(r ≤ 2 | e = 8) ≈ 1.4 %), unless the same window a year earlier
//!   held at most `e ·` [`SEASON_FACTOR`] posts too: a dip that recurs every year is a
//!   season, not a drop.
//!
//! `expected_per_period` is the pace the feed is judged against, `λ · P` (a month is a
//! twelfth of the mean Gregorian year).

/// The recent window, in periods.
pub const RECENT_PERIODS: f64 = 4.0;
/// Fewer posts than this are too few to know a feed's pace.
pub const MIN_POSTS: usize = 5;
/// A silence is a stop when the feed's pace would have filled it with this many posts.
pub const STOP_EXPECTED: f64 = 5.0;
/// A drop is judged only when the window should hold this many posts.
pub const DROP_EXPECTED: f64 = 8.0;
/// A window holding at most this share of its expected posts is a drop.
pub const DROP_FACTOR: f64 = 0.25;
/// A year-earlier window holding at most this share of the expected posts makes a drop
/// seasonal.
pub const SEASON_FACTOR: f64 = 0.5;

const YEAR_SECS: f64 = 365.2425 * 86_400.0;

/// How a feed fell silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapKind {
    /// No post for far longer than its pace and its own longest silence allow.
    Stopped,
    /// Still posting, at a quarter or less of its pace, and not every year at this time.
    Dropped,
}

impl GapKind {
    /// `stopped` or `dropped`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Stopped => "stopped",
            Self::Dropped => "dropped",
        }
    }
}

/// The rule's answer for one feed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Verdict {
    pub(crate) kind: GapKind,
    /// Posts per period at the pace the feed is judged against.
    pub(crate) expected_per_period: f64,
    /// Posts in the silence (0) or in the recent window.
    pub(crate) recent_posts: u32,
    /// Posts the pace predicts for the silence or the window.
    pub(crate) expected_recent: f64,
}

/// Judges a feed from its post times (wall-clock seconds, sorted ascending) against the
/// selection's end `end` with periods of `period_secs`.
pub(crate) fn judge(times: &[i64], end: i64, period_secs: f64) -> Option<Verdict> {
    let (&first, &last) = (times.first()?, times.last()?);
    let window = RECENT_PERIODS * period_secs;
    let span = (last - first) as f64;
    if times.len() < MIN_POSTS || span < window {
        return None;
    }
    let silence = (end - last) as f64;
    let pace = (times.len() - 1) as f64 / span;
    let longest_before = times
        .windows(2)
        .map(|w| match w {
            [a, b] => b - a,
            _ => 0,
        })
        .max()
        .unwrap_or(0) as f64;
    if pace * silence >= STOP_EXPECTED && silence > longest_before {
        return Some(Verdict {
            kind: GapKind::Stopped,
            expected_per_period: pace * period_secs,
            recent_posts: 0,
            expected_recent: pace * silence,
        });
    }
    dropped(times, first, end, window, period_secs)
}

fn dropped(times: &[i64], first: i64, end: i64, window: f64, period_secs: f64) -> Option<Verdict> {
    let window_start = end - window.round() as i64;
    let before = times.partition_point(|&t| t <= window_start);
    let recent = count_in(times, window_start, end);
    let baseline_span = (window_start - first) as f64;
    if recent == 0 || before < MIN_POSTS || baseline_span < window {
        return None;
    }
    let pace = before as f64 / baseline_span;
    let expected = pace * window;
    if expected < DROP_EXPECTED || recent as f64 > expected * DROP_FACTOR {
        return None;
    }
    let year = YEAR_SECS.round() as i64;
    if first <= window_start - year {
        let year_before = count_in(times, window_start - year, end - year);
        if year_before as f64 <= expected * SEASON_FACTOR {
            return None;
        }
    }
    Some(Verdict {
        kind: GapKind::Dropped,
        expected_per_period: pace * period_secs,
        recent_posts: u32::try_from(recent).unwrap_or(u32::MAX),
        expected_recent: expected,
    })
}

/// Posts in `(from, to]`.
fn count_in(times: &[i64], from: i64, to: i64) -> usize {
    times.partition_point(|&t| t <= to) - times.partition_point(|&t| t <= from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const WEEK: f64 = 7.0 * 86_400.0;

    /// `per_day` posts a day (at even hours) on days `from..to`.
    fn daily(from: i64, to: i64, per_day: i64) -> Vec<i64> {
        (from..to)
            .flat_map(|d| (0..per_day).map(move |k| d * DAY + k * (DAY / per_day)))
            .collect()
    }

    #[test]
    fn steady_then_silent_is_stopped() {
        // One post a day for a year, then nothing for the last 30 days.
        let times = daily(0, 365, 1);
        let v = judge(&times, 395 * DAY, WEEK).unwrap();
        assert_eq!(v.kind, GapKind::Stopped);
        assert!((v.expected_per_period - 7.0).abs() < 0.1, "{v:?}");
        assert_eq!(v.recent_posts, 0);
        // Three silent days are within its pace's noise.
        assert_eq!(judge(&times, 367 * DAY, WEEK), None);
    }

    #[test]
    fn a_seasonal_feed_is_not_stopped_before_its_usual_silence_is_over() {
        // Posts every day from January to March, three years running; the selection
        // ends in June (other feeds post on).
        let mut times = Vec::new();
        for year in 0..3 {
            times.extend(daily(year * 365, year * 365 + 90, 2));
        }
        let june = 2 * 365 + 180;
        assert_eq!(judge(&times, june * DAY, WEEK), None);
        // A whole year without its season is a stop.
        let next_june = june + 365;
        let v = judge(&times, next_june * DAY, WEEK).unwrap();
        assert_eq!(v.kind, GapKind::Stopped);
    }

    #[test]
    fn a_yearly_dip_is_a_season_and_a_new_dip_is_a_drop() {
        // Three years of 10 posts a day, but 1 a day in days 180..240 of every year.
        let mut seasonal = Vec::new();
        for year in 0..3 {
            let y = year * 365;
            seasonal.extend(daily(y, y + 180, 10));
            seasonal.extend(daily(y + 180, y + 240, 1));
            seasonal.extend(daily(y + 240, y + 365, 10));
        }
        let end = (2 * 365 + 239) * DAY;
        seasonal.retain(|&t| t <= end);
        assert_eq!(judge(&seasonal, end, WEEK), None);
        // The same dip without a history of it is a drop.
        let mut fresh: Vec<i64> = daily(0, 2 * 365 + 200, 10);
        fresh.extend(daily(2 * 365 + 200, 2 * 365 + 240, 1));
        fresh.retain(|&t| t <= end);
        let v = judge(&fresh, end, WEEK).unwrap();
        assert_eq!(v.kind, GapKind::Dropped);
        assert_eq!(v.recent_posts, 28);
        assert!((v.expected_per_period - 70.0).abs() < 1.0, "{v:?}");
        assert!((v.expected_recent - 280.0).abs() < 4.0, "{v:?}");
    }

    #[test]
    fn new_and_small_feeds_are_not_judged() {
        // Ten posts in its first two weeks, then a month of silence: too short a history
        // for weekly periods (four weeks), and fine for daily ones.
        let new = daily(0, 10, 1);
        assert_eq!(judge(&new, 40 * DAY, WEEK), None);
        assert_eq!(
            judge(&new, 40 * DAY, DAY as f64).map(|v| v.kind),
            Some(GapKind::Stopped)
        );
        // Four posts are too few, however long the silence.
        let few = [0, 30 * DAY, 60 * DAY, 90 * DAY];
        assert_eq!(judge(&few, 900 * DAY, WEEK), None);
        assert_eq!(judge(&[], 900 * DAY, WEEK), None);
    }

    #[test]
    fn a_slow_feed_is_allowed_its_slowness() {
        // One post a month for two years, silent for the last two months: its pace
        // predicts two posts, not enough to call it stopped.
        let times: Vec<i64> = (0..24).map(|m| m * 30 * DAY).collect();
        assert_eq!(judge(&times, (23 * 30 + 60) * DAY, WEEK), None);
        // Silent for seven months, it has stopped.
        let v = judge(&times, (23 * 30 + 210) * DAY, WEEK).unwrap();
        assert_eq!(v.kind, GapKind::Stopped);
    }
}
