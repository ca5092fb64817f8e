//! A one-line progress display on standard error: articles, rate, share done and time left.
//! It draws only when standard error is a terminal, so logs and pipes stay clean.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// The progress line of a long command.
pub struct Progress {
    enabled: bool,
    started: Instant,
    last_draw: Option<Instant>,
    drawn: bool,
    label: &'static str,
}

impl Progress {
    /// A progress line labelled `label`, drawn only if `wanted` and standard error is a terminal.
    pub fn new(label: &'static str, wanted: bool) -> Self {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
            started: Instant::now(),
            last_draw: None,
            drawn: false,
            label,
        }
    }

    /// Redraws (at most ten times a second) with `done` articles and `bytes` of `total` read.
    pub fn update(&mut self, done: u64, bytes: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.last_draw.is_some_and(|t| now.duration_since(t) < Duration::from_millis(100)) {
            return;
        }
        self.last_draw = Some(now);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = done as f64 / secs;
        let mut line = format!("{} {:>10} articles {:>9}/s", self.label, group(done), group(rate as u64));
        if total > 0 && bytes > 0 {
            let share = (bytes as f64 / total as f64).min(1.0);
            let left = secs * (1.0 - share) / share;
            line.push_str(&format!("  {:>3.0}%  ETA {}", share * 100.0, clock(left)));
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Removes the line (before printing something else, and at the end).
    pub fn clear(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(clock(75.0), "1:15");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
