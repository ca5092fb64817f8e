//! The time zone times are printed in (`--tz`, `STORYLINE_TZ`; UTC by default). Text and
//! Markdown output show a publication time in it; JSON and CSV keep UTC, for programs. A date
//! without a time of day (a day, a month) is printed as it is: it has no zone to move to.

use std::sync::OnceLock;

use anyhow::{Context, Result};
use jiff::tz::TimeZone;
use storyline_core::{Precision, Published};

/// The zone chosen for this run; unset means UTC.
static ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Sets the zone by its IANA name (`Europe/Amsterdam`) or `UTC`; the system's time zone
/// database is read for names other than UTC.
pub fn set(name: &str) -> Result<()> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("z") {
        return Ok(());
    }
    let zone = TimeZone::get(name).with_context(|| {
        format!("--tz `{name}`: no such time zone in the system's time zone database (an IANA name such as Europe/Amsterdam)")
    })?;
    let _ = ZONE.set(zone);
    Ok(())
}

/// The zone in use, when one other than UTC was set.
fn zone() -> Option<&'static TimeZone> {
    ZONE.get()
}

/// The local time of `p` in the zone, to its precision, when it has a time of day and the zone
/// is not UTC: (`2025-10-09`, `11:42`, `11:42:07`, `+02:00`).
fn local(p: Published) -> Option<(String, String, String, String)> {
    let zone = zone()?;
    if !matches!(p.precision, Precision::Minute | Precision::Second) {
        return None;
    }
    let at = jiff::Timestamp::from_second(p.unix).ok()?.to_zoned_datetime(zone.clone());
    let day = at.strftime("%Y-%m-%d").to_string();
    let minutes = at.strftime("%H:%M").to_string();
    let seconds = at.strftime("%H:%M:%S").to_string();
    let offset = at.strftime("%:z").to_string();
    Some((day, minutes, seconds, offset))
}

/// A publication time for text and Markdown (`undated` when there is none): as stored in UTC,
/// or in the chosen zone with its offset (`2025-10-09T11:42:00+02:00`).
pub fn label(p: Option<Published>) -> String {
    match p {
        None => "undated".to_string(),
        Some(p) => match local(p) {
            Some((day, minutes, seconds, offset)) => match p.precision {
                Precision::Second => format!("{day}T{seconds}{offset}"),
                _ => format!("{day}T{minutes}{offset}"),
            },
            None => p.to_string(),
        },
    }
}

/// A publication time for listings: the day and, when known, the time to the minute
/// (`2025-10-09 11:42`), in the chosen zone.
pub fn short(p: Published) -> String {
    if let Some((day, minutes, _, _)) = local(p) {
        return format!("{day} {minutes}");
    }
    let s = p.to_string();
    match p.precision {
        Precision::Minute | Precision::Second => format!("{} {}", &s[..10], &s[11..16]),
        _ => s,
    }
}

/// A moment the program recorded (seconds since the epoch), to the minute, in the chosen zone
/// (`2026-12-07 18:40 UTC`, `2026-12-07 19:40 +01:00`).
pub fn moment(unix: i64) -> String {
    let Ok(t) = jiff::Timestamp::from_second(unix) else { return unix.to_string() };
    match zone() {
        Some(z) => t.to_zoned_datetime(z.clone()).strftime("%Y-%m-%d %H:%M %:z").to_string(),
        None => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_by_default_and_unknown_zones_are_named() {
        let p = Published::parse("2025-10-09T09:42:00Z").unwrap();
        // Nothing set in this test binary's other tests either: UTC, as stored.
        assert_eq!(label(Some(p)), "2025-10-09T09:42:00Z");
        assert_eq!(short(p), "2025-10-09 09:42");
        assert_eq!(label(None), "undated");
        let e = set("Mars/Olympus_Mons").unwrap_err().to_string();
        assert!(e.contains("Mars/Olympus_Mons"), "{e}");
    }
}
