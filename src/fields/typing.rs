//! Typing what a person typed: the one place text from the editor, the command line
//! or a bulk operation becomes a value to write.
//!
//! - A date is written in the format of the date it replaces ([`date_as_saved`]): the
//!   archive's own convention wins over however the person typed it. A typed date
//!   without a zone is taken as wall time in the zone of the date it replaces (`GMT` for
//!   a `GMT` field), so the result does not depend on the machine's time zone. A date
//!   the replaced format cannot hold (a year before 0 or after 9999) is refused.
//! - Text typed for a key Folio does not know is read as YAML reads a scalar
//!   ([`raw_scalar`]): `true`/`false`, integers and finite floats keep their type,
//!   anything else is a string.

use chrono::{DateTime, FixedOffset, TimeZone};

use crate::archive::{ScalarValue, format_like, parse_date};

/// The message for text that is not a date, with examples of what is.
pub const NOT_A_DATE: &str =
    "not a date Folio can read (e.g. Thu, 17 Jun 2021 08:02:32 GMT or 2021-06-17 16:02:32)";

/// The text `typed` is saved as when it replaces the date `replaces` (the raw value as
/// written; `None` for a new key). Errors say why the text cannot be saved.
pub fn date_as_saved(typed: &str, replaces: Option<&str>) -> Result<String, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("empty: type a date, or remove the field".to_owned());
    }
    let (instant, zoned) = parse_date(typed).ok_or_else(|| NOT_A_DATE.to_owned())?;
    let old = replaces.and_then(|raw| Some((raw.trim(), parse_date(raw)?)));
    let Some((old_raw, (old_instant, old_zoned))) = old else {
        // Nothing to imitate: written as typed.
        check_representable(typed, instant, zoned)?;
        return Ok(typed.to_owned());
    };
    if typed == old_raw {
        return Ok(old_raw.to_owned());
    }
    let instant = if zoned || !old_zoned {
        instant
    } else {
        wall_time_in(instant, old_instant.offset())
    };
    let text = format_like(old_raw, instant);
    check_representable(&text, instant, zoned || old_zoned)?;
    Ok(text)
}

/// A floating instant (wall time stored as UTC) read as wall time in `offset`.
fn wall_time_in(floating: DateTime<FixedOffset>, offset: &FixedOffset) -> DateTime<FixedOffset> {
    offset
        .from_local_datetime(&floating.naive_utc())
        .single()
        .unwrap_or(floating)
}

/// `text` must read back as the instant it was written for, in a year four digits
/// can hold: a format that prints `-0001` or `10000` would not read back as a date.
fn check_representable(
    text: &str,
    instant: DateTime<FixedOffset>,
    zoned: bool,
) -> Result<(), String> {
    use chrono::Datelike;
    let year = instant.naive_local().year();
    if !(0..=9999).contains(&year) {
        return Err(format!("the year {year} cannot be written as a date here"));
    }
    match parse_date(text) {
        Some((back, _)) if !zoned || back == instant => Ok(()),
        _ => Err(format!("`{text}` would not read back as the same date")),
    }
}

/// A value typed for a key Folio has no type for: a YAML boolean or number stays one,
/// anything else is a string.
pub fn raw_scalar(text: &str) -> ScalarValue {
    let t = text.trim();
    match t {
        "true" => ScalarValue::Bool(true),
        "false" => ScalarValue::Bool(false),
        _ => {
            if let Ok(i) = t.parse::<i64>() {
                ScalarValue::Int(i)
            } else if let Some(f) = t.parse::<f64>().ok().filter(|f| f.is_finite()) {
                ScalarValue::Float(f)
            } else {
                ScalarValue::Str(text.to_owned())
            }
        }
    }
}

/// `true` or `false`, as typed on the command line.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("true or false, not `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_date_keeps_the_format_it_replaces() {
        let gmt = "Tue, 16 Aug 2022 05:47:27 GMT";
        assert_eq!(
            date_as_saved("2022-08-17 10:00:00", Some(gmt)).unwrap(),
            "Wed, 17 Aug 2022 10:00:00 GMT"
        );
        assert_eq!(
            date_as_saved("2022-08-17 10:00:00 +08:00", Some(gmt)).unwrap(),
            "Wed, 17 Aug 2022 02:00:00 GMT"
        );
        assert_eq!(
            date_as_saved("2022-08-17 10:00:00", Some("2018-03-01 09:00:00 +0800")).unwrap(),
            "2022-08-17 10:00:00 +0800"
        );
        assert_eq!(
            date_as_saved("Wed, 17 Aug 2022 02:00:00 GMT", Some("2021-12-20 14:08:19")).unwrap(),
            "2022-08-17 02:00:00"
        );
        assert_eq!(date_as_saved(gmt, Some(gmt)).unwrap(), gmt);
    }

    #[test]
    fn without_a_date_to_imitate_the_text_is_kept() {
        assert_eq!(
            date_as_saved(" 2021-06-17 ", Some("Invalid Date")).unwrap(),
            "2021-06-17"
        );
        assert_eq!(date_as_saved("2021-06-17", None).unwrap(), "2021-06-17");
    }

    #[test]
    fn bad_and_unrepresentable_dates_are_refused() {
        assert!(date_as_saved("yesterday-ish", None).is_err());
        assert!(date_as_saved("", Some("2021-06-17")).is_err());
        let err = date_as_saved(
            "-0001-01-01T00:00:00Z",
            Some("Thu, 17 Jun 2021 08:02:32 GMT"),
        );
        assert!(err.is_err(), "{err:?}");
    }

    #[test]
    fn raw_values_keep_their_yaml_type() {
        assert_eq!(raw_scalar("true"), ScalarValue::Bool(true));
        assert_eq!(raw_scalar("12"), ScalarValue::Int(12));
        assert_eq!(raw_scalar("1.5"), ScalarValue::Float(1.5));
        assert_eq!(raw_scalar("inf"), ScalarValue::Str("inf".into()));
        assert_eq!(raw_scalar("hello"), ScalarValue::Str("hello".into()));
    }
}
