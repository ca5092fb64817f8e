//! Calendar dates and publication times with an explicit precision.
//!
//! A report dated `2017-10` is known to the month, not to the first of the month: [`Published`]
//! keeps the instant (UTC) together with its [`Precision`], and prints itself at that precision.
//! The calendar arithmetic is the proleptic Gregorian calendar, written out here so that the core
//! needs no date library.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How precisely a publication time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year is known.
    Year,
    /// Year and month.
    Month,
    /// A calendar day.
    Day,
    /// Day, hour and minute.
    Minute,
    /// A full timestamp to the second.
    Second,
}

impl Precision {
    /// The lowercase name used in output (`month`, `day`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
            Precision::Minute => "minute",
            Precision::Second => "second",
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

/// Day of the week of a day count since 1970-01-01: 0 = Monday ... 6 = Sunday.
pub fn weekday_from_days(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (days + 3).rem_euclid(7) as u32
}

/// Number of days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A publication time: an instant in UTC (the start of the period) and how precisely it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Published {
    /// Seconds since 1970-01-01T00:00:00Z of the start of the period.
    pub unix: i64,
    /// How precisely the time is known.
    pub precision: Precision,
}

impl PartialOrd for Published {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Published {
    fn cmp(&self, other: &Self) -> Ordering {
        self.unix.cmp(&other.unix).then(self.precision.cmp(&other.precision))
    }
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read date `{text}`: {reason}")]
pub struct DateError {
    /// The text that was given (shortened when long).
    pub text: String,
    /// What was wrong with it.
    pub reason: &'static str,
}

fn date_error(text: &str, reason: &'static str) -> DateError {
    let text: String = text.chars().take(60).collect();
    DateError { text, reason }
}

impl Published {
    /// The first instant a date may name: 0001-01-01T00:00:00Z.
    pub const MIN_UNIX: i64 = -62_135_596_800;
    /// The last instant a date may name: 9999-12-31T23:59:59Z. Every date the store keeps is
    /// written with a four-digit year and must read back.
    pub const MAX_UNIX: i64 = 253_402_300_799;

    /// Whether the date lies within the years 1 to 9999 (UTC), the dates storyline keeps.
    pub fn in_range(&self) -> bool {
        (Self::MIN_UNIX..=Self::MAX_UNIX).contains(&self.unix)
    }

    /// A date at the given precision from its parts (missing parts default to the start);
    /// `None` for a part out of its range or a year outside 1 to 9999.
    pub fn from_parts(
        year: i32,
        month: u32,
        day: u32,
        hms: (u32, u32, u32),
        precision: Precision,
    ) -> Option<Self> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        let (h, mi, s) = hms;
        if h > 23 || mi > 59 || s > 60 {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let unix = days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s.min(59));
        Some(Published { unix, precision })
    }

    /// A day-precision date.
    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        Self::from_parts(year, month, day, (0, 0, 0), Precision::Day)
    }

    /// A month-precision date.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        Self::from_parts(year, month, 1, (0, 0, 0), Precision::Month)
    }

    /// The calendar date `(year, month, day)` in UTC.
    pub fn ymd(&self) -> (i32, u32, u32) {
        civil_from_days(self.unix.div_euclid(86_400))
    }

    /// Days since 1970-01-01 of the start of the period.
    pub fn days(&self) -> i64 {
        self.unix.div_euclid(86_400)
    }

    /// The first instant after the period (for a month, the first second of the next month).
    pub fn end_unix(&self) -> i64 {
        let (y, m, _) = self.ymd();
        match self.precision {
            Precision::Year => days_from_civil(y + 1, 1, 1) * 86_400,
            Precision::Month => {
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                days_from_civil(ny, nm, 1) * 86_400
            }
            Precision::Day => (self.days() + 1) * 86_400,
            Precision::Minute => self.unix + 60,
            Precision::Second => self.unix + 1,
        }
    }

    /// Reads the date forms news data carries: RFC 3339 / ISO 8601 (`2017-11-14T20:07:00+01:00`,
    /// `2017-11-14 20:07`, `2017-11-14`, `2017-11`, `2017`), RFC 2822 as used by RSS
    /// (`Tue, 14 Nov 2017 20:07:00 +0100`), and compact WARC/ARC stamps (`20171114200700`).
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(date_error(text, "empty"));
        }
        let parsed = if t.as_bytes()[0].is_ascii_digit() {
            if t.len() == 14 && t.bytes().all(|b| b.is_ascii_digit()) {
                return parse_compact(t).ok_or_else(|| date_error(text, "not a valid date"));
            }
            // `2017-11-14...` is ISO 8601; `14 Nov 2017` is RFC 2822 without a weekday.
            parse_iso(t)
                .or_else(|| parse_rfc2822(t))
                .ok_or_else(|| date_error(text, "not a valid ISO 8601 or RFC 2822 date"))?
        } else {
            parse_rfc2822(t).ok_or_else(|| date_error(text, "not a valid RFC 2822 or ISO 8601 date"))?
        };
        // A zone can carry a date at the edge of the range past it (`9999-12-31T23:30-01:00`).
        if !parsed.in_range() {
            return Err(date_error(text, "outside the years 1 to 9999 (UTC)"));
        }
        Ok(parsed)
    }
}

impl FromStr for Published {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Published::parse(s)
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        let secs = self.unix.rem_euclid(86_400);
        let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
        match self.precision {
            Precision::Year => write!(f, "{y:04}"),
            Precision::Month => write!(f, "{y:04}-{m:02}"),
            Precision::Day => write!(f, "{y:04}-{m:02}-{d:02}"),
            Precision::Minute => write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}Z"),
            Precision::Second => write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        }
    }
}

impl Serialize for Published {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Published::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_compact(t: &str) -> Option<Published> {
    let y = i32::try_from(num(&t[0..4])?).ok()?;
    let m = num(&t[4..6])?;
    let d = num(&t[6..8])?;
    let hms = (num(&t[8..10])?, num(&t[10..12])?, num(&t[12..14])?);
    Published::from_parts(y, m, d, hms, Precision::Second)
}

/// Parses a UTC offset: `Z`, `+01:00`, `+0100`, `+01`, `-05:30`. Returns seconds east of UTC.
fn parse_offset(s: &str) -> Option<i64> {
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") || s.eq_ignore_ascii_case("gmt") {
        return Some(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = s[1..].replace(':', "");
    if !rest.is_ascii() {
        return None;
    }
    let (h, m) = match rest.len() {
        2 => (num(&rest)?, 0),
        4 => (num(&rest[..2])?, num(&rest[2..])?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * i64::from(h * 3600 + m * 60))
}

fn parse_iso(t: &str) -> Option<Published> {
    let (date, time) = match t.find(['T', 't', ' ']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim())),
        None => (t, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let year: i32 = match parts.first() {
        Some(y) if y.len() == 4 => num(y)? as i32,
        _ => return None,
    };
    let month = parts.get(1).map(|m| num(m)).unwrap_or(Some(1))?;
    let day = parts.get(2).map(|d| num(d)).unwrap_or(Some(1))?;
    if parts.len() > 3 || parts.get(1).is_some_and(|m| m.len() != 2) {
        return None;
    }
    if parts.get(2).is_some_and(|d| d.len() != 2) {
        return None;
    }
    let base_precision = match parts.len() {
        1 => Precision::Year,
        2 => Precision::Month,
        _ => Precision::Day,
    };
    let Some(time) = time.filter(|s| !s.is_empty()) else {
        return Published::from_parts(year, month, day, (0, 0, 0), base_precision);
    };
    if base_precision != Precision::Day {
        return None;
    }
    // Split the clock from the offset.
    let off_at = time
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '+' || c == '-' || c == 'Z' || c == 'z' || c == ' ')
        .map(|(i, _)| i);
    let (clock, offset) = match off_at {
        Some(i) => (&time[..i], parse_offset(time[i..].trim())?),
        None => (time, 0),
    };
    let clock = clock.split('.').next()?; // drop fractional seconds
    let fields: Vec<&str> = clock.split(':').collect();
    let h = num(fields.first()?)?;
    let mi = num(fields.get(1)?)?;
    let (s, precision) = match fields.get(2) {
        Some(s) => (num(s)?, Precision::Second),
        None => (0, Precision::Minute),
    };
    if fields.len() > 3 {
        return None;
    }
    let mut p = Published::from_parts(year, month, day, (h, mi, s), precision)?;
    p.unix -= offset;
    Some(p)
}

/// English month names and abbreviations, as RFC 2822 and many feeds use them.
pub fn month_from_name(name: &str) -> Option<u32> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if n.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| n.starts_with(m) || (n == "sept")).map(|i| i as u32 + 1)
}

fn parse_rfc2822(t: &str) -> Option<Published> {
    // Optional weekday, then `14 Nov 2017 20:07:00 +0100` (seconds and zone optional).
    let t = match t.find(',') {
        Some(i) => &t[i + 1..],
        None => t,
    };
    let mut it = t.split_whitespace();
    let day = num(it.next()?)?;
    let month = month_from_name(it.next()?)?;
    let year_s = it.next()?;
    let mut year = i32::try_from(num(year_s)?).ok()?;
    if year_s.len() == 2 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let Some(clock) = it.next() else {
        return Published::from_parts(year, month, day, (0, 0, 0), Precision::Day);
    };
    let fields: Vec<&str> = clock.split(':').collect();
    let h = num(fields.first()?)?;
    let mi = num(fields.get(1)?)?;
    let (s, precision) = match fields.get(2) {
        Some(s) => (num(s)?, Precision::Second),
        None => (0, Precision::Minute),
    };
    let offset = match it.next() {
        Some(z) => parse_offset(z).or_else(|| named_zone(z))?,
        None => 0,
    };
    let mut p = Published::from_parts(year, month, day, (h, mi, s), precision)?;
    p.unix -= offset;
    Some(p)
}

fn named_zone(z: &str) -> Option<i64> {
    let h = match z.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "WET" => 0,
        "CET" | "BST" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EST" => -5,
        "EDT" | "CST" => {
            if z.eq_ignore_ascii_case("EDT") {
                -4
            } else {
                -6
            }
        }
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    Some(h * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_the_store_cannot_write_back_are_refused() {
        for bad in [
            "Tue, 14 Nov 20117",
            "Tue, 14 Nov 20117 10:00:00 +0000",
            "9999-12-31T23:30:00-01:00",
            "14 Nov 4294967295",
            "0000-06-01",
            "00001231235959",
        ] {
            let e = Published::parse(bad).expect_err(bad);
            assert!(e.to_string().contains(&bad.chars().take(20).collect::<String>()), "{e}");
        }
        // The edges themselves are fine, and read back.
        for good in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:30:00+01:00"] {
            let p = Published::parse(good).unwrap();
            assert!(p.in_range());
            assert_eq!(Published::parse(&p.to_string()).unwrap(), p, "{good}");
        }
        assert_eq!(Published::parse("9999-12-31T23:59:59Z").unwrap().unix, Published::MAX_UNIX);
        assert_eq!(Published::parse("0001-01-01").unwrap().unix, Published::MIN_UNIX);
    }

    #[test]
    fn offsets_with_other_characters_are_errors_not_panics() {
        for bad in [
            "2017-11-14T13:00+0Φ0",
            "2017-11-14T13:00+ΦΦ",
            "2017-11-14T13:00:00-0é",
            "14 Nov 2017 13:00 +0Φ0",
        ] {
            assert!(Published::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_roundtrip() {
        for days in [-800_000_i64, -1, 0, 1, 17_469, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2017, 10, 15)), (2017, 10, 15));
        // 2017-10-15 was a Sunday.
        assert_eq!(weekday_from_days(days_from_civil(2017, 10, 15)), 6);
    }

    #[test]
    fn month_precision_is_kept() {
        let p = Published::parse("2017-10").unwrap();
        assert_eq!(p.precision, Precision::Month);
        assert_eq!(p.to_string(), "2017-10");
        assert_eq!(p.ymd(), (2017, 10, 1));
        assert_eq!(Published::parse("2017-11-01").unwrap().unix, p.end_unix());
    }

    #[test]
    fn rfc3339_with_offset_is_utc() {
        let p = Published::parse("2017-11-14T20:07:00+01:00").unwrap();
        assert_eq!(p.to_string(), "2017-11-14T19:07:00Z");
        let q = Published::parse("2014-03-10T16:55:01Z").unwrap();
        assert_eq!(q.precision, Precision::Second);
        assert_eq!(Published::parse("2017-11-14T20:07").unwrap().precision, Precision::Minute);
        assert_eq!(Published::parse("2017-11-14 20:07:00.123Z").unwrap().to_string(), "2017-11-14T20:07:00Z");
    }

    #[test]
    fn rfc2822_as_in_feeds() {
        let p = Published::parse("Tue, 14 Nov 2017 20:07:00 +0100").unwrap();
        assert_eq!(p.to_string(), "2017-11-14T19:07:00Z");
        let p = Published::parse("Mon, 10 Mar 2014 16:55 GMT").unwrap();
        assert_eq!(p.to_string(), "2014-03-10T16:55Z");
        assert_eq!(Published::parse("14 Nov 2017").unwrap().to_string(), "2017-11-14");
    }

    #[test]
    fn bad_dates_are_errors() {
        for bad in ["", "2017-13", "2017-02-30", "yesterday", "2017-1-5", "Tue, 99 Foo 2017"] {
            assert!(Published::parse(bad).is_err(), "{bad} should not parse");
        }
        let e = Published::parse("gisteren").unwrap_err();
        assert!(e.to_string().contains("`gisteren`"));
    }

    #[test]
    fn serde_roundtrip_keeps_precision() {
        let p = Published::parse("2017-10").unwrap();
        let s = serde_json::to_string(&p).unwrap();
        assert_eq!(s, "\"2017-10\"");
        let back: Published = serde_json::from_str(&s).unwrap();
        assert_eq!(back, p);
    }
}
