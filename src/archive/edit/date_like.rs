//! Writing a new date in the format of the date it replaces.
//!
//! Archives write dates in many forms and Folio never reformats one behind the editor's
//! back: a new instant is written the way the old value was written. The format is found
//! by trying known layouts until one reproduces the old text exactly from its own parsed
//! instant; the new instant is then written with that layout, converted to the old zone
//! (`GMT` stays `GMT`, `+0800` stays `+0800`) or, for floating dates, as wall time.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Utc};

use crate::archive::parse_date;

/// How a layout carries the zone.
#[derive(Clone, Copy)]
enum Zone {
    /// A literal zone label (`GMT`, `UTC`, `Z`): written in UTC.
    Utc,
    /// A numeric offset: written in the old value's offset.
    Offset,
    /// No zone: written as wall time.
    Floating,
}

const LAYOUTS: &[(&str, Zone)] = &[
    ("%a, %d %b %Y %H:%M:%S GMT", Zone::Utc),
    ("%a, %-d %b %Y %H:%M:%S GMT", Zone::Utc),
    ("%a, %d %b %Y %H:%M:%S UTC", Zone::Utc),
    ("%a, %-d %b %Y %H:%M:%S UTC", Zone::Utc),
    ("%a, %d %b %Y %H:%M:%S %z", Zone::Offset),
    ("%a, %-d %b %Y %H:%M:%S %z", Zone::Offset),
    ("%d %b %Y %H:%M:%S %z", Zone::Offset),
    ("%Y-%m-%dT%H:%M:%SZ", Zone::Utc),
    ("%Y-%m-%dT%H:%M:%S%.3fZ", Zone::Utc),
    ("%Y-%m-%dT%H:%M:%S%.fZ", Zone::Utc),
    ("%Y-%m-%dT%H:%M:%S%:z", Zone::Offset),
    ("%Y-%m-%dT%H:%M:%S%.3f%:z", Zone::Offset),
    ("%Y-%m-%dT%H:%M:%S%.f%:z", Zone::Offset),
    ("%Y-%m-%dT%H:%M:%S%z", Zone::Offset),
    ("%Y-%m-%d %H:%M:%S %z", Zone::Offset),
    ("%Y-%m-%d %H:%M:%S %:z", Zone::Offset),
    ("%Y-%m-%d %H:%M %z", Zone::Offset),
    ("%Y-%m-%d %z", Zone::Offset),
    ("%Y-%m-%d %:z", Zone::Offset),
    ("%Y-%m-%d %H:%M:%S UTC", Zone::Utc),
    ("%Y-%m-%d %H:%M:%S GMT", Zone::Utc),
    ("%Y-%m-%d %H:%M:%SZ", Zone::Utc),
    ("%Y-%m-%d %H:%M:%S", Zone::Floating),
    ("%Y-%m-%d %H:%M:%S%.3f", Zone::Floating),
    ("%Y-%m-%d %H:%M:%S%.f", Zone::Floating),
    ("%Y-%m-%dT%H:%M:%S", Zone::Floating),
    ("%Y-%m-%d %H:%M", Zone::Floating),
    ("%Y-%m-%dT%H:%M", Zone::Floating),
    ("%Y-%m-%d", Zone::Floating),
    ("%Y/%m/%d %H:%M:%S", Zone::Floating),
    ("%Y/%m/%d %H:%M", Zone::Floating),
    ("%Y/%m/%d", Zone::Floating),
];

/// The crawler's format, used when the old value is not a date we can imitate
/// (`Invalid Date`, missing).
const FALLBACK: (&str, Zone) = ("%a, %d %b %Y %H:%M:%S GMT", Zone::Utc);

/// Writes `new_instant` in the format of `existing_raw` (see the module docs).
pub fn format_like(existing_raw: &str, new_instant: DateTime<FixedOffset>) -> String {
    let raw = existing_raw.trim();
    let layout = parse_date(raw).and_then(|(old, _)| {
        LAYOUTS
            .iter()
            .find(|(format, zone)| render(old, old.offset(), format, *zone).as_deref() == Some(raw))
            .map(|(format, zone)| (*format, *zone, *old.offset()))
    });
    match layout {
        Some((format, zone, offset)) => render(new_instant, &offset, format, zone),
        None => render(new_instant, new_instant.offset(), FALLBACK.0, FALLBACK.1),
    }
    .unwrap_or_else(|| new_instant.to_rfc3339())
}

fn render(
    instant: DateTime<FixedOffset>,
    offset: &FixedOffset,
    format: &str,
    zone: Zone,
) -> Option<String> {
    let mut out = String::new();
    let written = match zone {
        Zone::Utc => write!(out, "{}", instant.with_timezone(&Utc).format(format)),
        Zone::Offset => write!(out, "{}", instant.with_timezone(offset).format(format)),
        Zone::Floating => write!(out, "{}", instant.naive_local().format(format)),
    };
    written.ok().map(|()| out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn keeps_each_layout() {
        let new = at("2022-07-16T11:36:19+08:00");
        let cases = [
            (
                "Thu, 17 Jun 2021 08:02:32 GMT",
                "Sat, 16 Jul 2022 03:36:19 GMT",
            ),
            ("2021-12-20 14:08:19", "2022-07-16 11:36:19"),
            ("2018-03-01 +0800", "2022-07-16 +0800"),
            ("2021-06-17T08:02:32+08:00", "2022-07-16T11:36:19+08:00"),
            ("2021-06-17T08:02:32Z", "2022-07-16T03:36:19Z"),
            (
                "Mon, 1 Mar 2021 08:00:00 +0000",
                "Sat, 16 Jul 2022 03:36:19 +0000",
            ),
            ("2021-12-20", "2022-07-16"),
            ("2021/06/17 08:02", "2022/07/16 11:36"),
        ];
        for (old, want) in cases {
            assert_eq!(format_like(old, new), want, "{old}");
        }
    }

    #[test]
    fn unparseable_falls_back_to_the_crawler_format() {
        let new = at("2022-07-16T11:36:19+08:00");
        assert_eq!(
            format_like("Invalid Date", new),
            "Sat, 16 Jul 2022 03:36:19 GMT"
        );
    }
}
