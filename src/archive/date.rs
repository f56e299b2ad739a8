//! Dates as archives write them.
//!
//! A date is kept exactly as written (`raw`) so that saving never reformats it, and is
//! also parsed so that it can be sorted, filtered and shown in local time. Accepted:
//! RFC 2822 with zone names (`Thu, 17 Jun 2021 08:02:32 GMT`), RFC 3339 / ISO 8601
//! (`2021-06-17T08:02:32+08:00`), `YYYY-MM-DD HH:MM[:SS[.fff]]`, `YYYY-MM-DD`, either with
//! a trailing offset (`+0800`, `+08:00`, `Z`, `UTC`, `GMT`), and `/` as a date separator.
//! A date without a zone is "floating": it is ordered as if it were UTC and shown as
//! written, never shifted to another zone.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};

/// A date value from the front matter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "StoredDate", from = "StoredDate")]
pub struct DateValue {
    /// The text as written in the file (without quotes).
    pub raw: String,
    /// The instant, when the text is a date we understand.
    pub parsed: Option<DateTime<FixedOffset>>,
    /// False for floating dates (no zone or offset in the text).
    pub has_zone: bool,
}

impl DateValue {
    pub fn parse(raw: &str) -> Self {
        let (parsed, has_zone) = match parse_date(raw) {
            Some((dt, zoned)) => (Some(dt), zoned),
            None => (None, false),
        };
        Self {
            raw: raw.to_owned(),
            parsed,
            has_zone,
        }
    }

    /// RFC 3339 in UTC (`2021-06-17T08:02:32Z`), or `None` when unparseable.
    pub fn to_rfc3339_utc(&self) -> Option<String> {
        self.parsed.map(|dt| {
            dt.with_timezone(&Utc)
                .to_rfc3339_opts(SecondsFormat::AutoSi, true)
        })
    }

    /// Seconds since the Unix epoch, for sorting.
    pub fn timestamp(&self) -> Option<i64> {
        self.parsed.map(|dt| dt.timestamp())
    }
}

/// A [`DateValue`] as stored (in the scan cache): the instant as seconds, nanoseconds
/// and offset, so reading it back parses nothing.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct StoredDate {
    raw: String,
    parsed: Option<(i64, u32, i32)>,
    has_zone: bool,
}

impl From<DateValue> for StoredDate {
    fn from(d: DateValue) -> Self {
        Self {
            parsed: d.parsed.map(|dt| {
                (
                    dt.timestamp(),
                    dt.timestamp_subsec_nanos(),
                    dt.offset().local_minus_utc(),
                )
            }),
            raw: d.raw,
            has_zone: d.has_zone,
        }
    }
}

impl From<StoredDate> for DateValue {
    fn from(s: StoredDate) -> Self {
        let parsed = s.parsed.and_then(|(secs, nanos, offset)| {
            let offset = FixedOffset::east_opt(offset)?;
            Some(DateTime::from_timestamp(secs, nanos)?.with_timezone(&offset))
        });
        Self {
            raw: s.raw,
            parsed,
            has_zone: s.has_zone,
        }
    }
}

/// Parses a date as described in the module docs. Returns the instant and whether the
/// text carried a zone.
pub fn parse_date(text: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some((dt, true));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some((dt, true));
    }
    let (rest, offset) = split_offset(text);
    let naive = parse_naive(rest)?;
    match offset {
        Some(off) => naive.and_local_timezone(off).single().map(|dt| (dt, true)),
        None => Some((naive.and_utc().fixed_offset(), false)),
    }
}

/// Splits a trailing zone (`+0800`, `+08:00`, `+08`, `Z`, `UTC`, `GMT`) from the text.
fn split_offset(text: &str) -> (&str, Option<FixedOffset>) {
    for name in ["UTC", "GMT", "Z"] {
        if let Some(rest) = text.strip_suffix(name) {
            // `Z` directly after a time (`08:02:32Z`) or separated by a space.
            if rest.ends_with(|c: char| c.is_ascii_digit() || c == ' ') {
                return (rest.trim_end(), FixedOffset::east_opt(0));
            }
        }
    }
    let bytes = text.as_bytes();
    for len in [6usize, 5, 3] {
        let Some(start) = text.len().checked_sub(len) else {
            continue;
        };
        let Some(tail) = text.get(start..) else {
            continue;
        };
        let Some(offset) = parse_offset(tail) else {
            continue;
        };
        // The sign must follow a space or a time; `2018-03-01` must not lose `-01`.
        let before = start.checked_sub(1).and_then(|i| bytes.get(i));
        let after_time = text.get(..start).is_some_and(|head| {
            head.rsplit([' ', 'T'])
                .next()
                .is_some_and(|last| last.contains(':'))
        });
        if before == Some(&b' ') || after_time {
            return (text.get(..start).unwrap_or(text).trim_end(), Some(offset));
        }
    }
    (text, None)
}

fn parse_offset(tail: &str) -> Option<FixedOffset> {
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = tail.get(1..)?.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits.get(..2)?.parse::<i32>().ok()?,
            digits.get(2..)?.parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    const DATE_TIMES: [&str; 6] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ];
    for format in DATE_TIMES {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return Some(d.and_time(NaiveTime::MIN));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Option<String> {
        DateValue::parse(text).to_rfc3339_utc()
    }

    #[test]
    fn rfc2822_with_zone_name() {
        let d = DateValue::parse("Thu, 17 Jun 2021 08:02:32 GMT");
        assert_eq!(d.raw, "Thu, 17 Jun 2021 08:02:32 GMT");
        assert!(d.has_zone);
        assert_eq!(d.to_rfc3339_utc().as_deref(), Some("2021-06-17T08:02:32Z"));
    }

    #[test]
    fn common_forms() {
        assert_eq!(
            utc("2021-12-20 14:08:19").as_deref(),
            Some("2021-12-20T14:08:19Z")
        );
        assert_eq!(utc("2021-12-20").as_deref(), Some("2021-12-20T00:00:00Z"));
        assert_eq!(
            utc("2018-03-01 +0800").as_deref(),
            Some("2018-02-28T16:00:00Z")
        );
        assert_eq!(
            utc("2018-03-01 10:00:00 +08:00").as_deref(),
            Some("2018-03-01T02:00:00Z")
        );
        assert_eq!(
            utc("2021-06-17T08:02:32+08:00").as_deref(),
            Some("2021-06-17T00:02:32Z")
        );
        assert_eq!(
            utc("2021-06-17T08:02:32Z").as_deref(),
            Some("2021-06-17T08:02:32Z")
        );
        assert_eq!(
            utc("2021-06-17T08:02:32.5Z").as_deref(),
            Some("2021-06-17T08:02:32.500Z")
        );
        assert_eq!(
            utc("2021-06-17 08:02").as_deref(),
            Some("2021-06-17T08:02:00Z")
        );
        assert_eq!(utc("2021/06/17").as_deref(), Some("2021-06-17T00:00:00Z"));
        assert_eq!(
            utc("Mon, 1 Mar 2021 08:00:00 +0800").as_deref(),
            Some("2021-03-01T00:00:00Z")
        );
    }

    #[test]
    fn floating_dates_have_no_zone() {
        assert!(!DateValue::parse("2021-12-20 14:08:19").has_zone);
        assert!(DateValue::parse("2021-12-20 14:08:19 +0800").has_zone);
    }

    #[test]
    fn junk_is_not_a_date() {
        for junk in [
            "Invalid Date",
            "None",
            "",
            "yesterday",
            "2021-13-45",
            "2021-02-30 10:00",
        ] {
            assert_eq!(utc(junk), None, "{junk}");
        }
    }
}
