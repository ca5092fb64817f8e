//! Time expressions: dates, months, years, seasons, weekdays and relative expressions
//! (`gisteren`, `vorige week`, `twee weken geleden`), found in Dutch and English news text and
//! resolved against the article's publication date at its precision.
//!
//! # Values
//!
//! | granularity | value         | examples                                                   |
//! |-------------|---------------|------------------------------------------------------------|
//! | day         | `2017-11-14`  | `14 november 2017`, `dinsdag 14 november`, `gisteren`       |
//! | week        | `2017-W41`    | ISO week: `vorige week`, `twee weken geleden`               |
//! | weekend     | `2017-10-14`  | the weekend's Saturday: `afgelopen weekend`                 |
//! | month       | `2017-10`     | `augustus`, `eerder deze maand`, `medio oktober`            |
//! | season      | `2017-summer` | `spring`, `summer`, `autumn`, `winter` (winter 2017 runs from December 2017 to February 2018) |
//! | year        | `2014`        | `sinds 2014`, `vorig jaar`                                  |
//! | unknown     | none          | placed only against another event: `drie dagen later`, `enkele jaren geleden`, `vorig seizoen`; vague: `lange tijd`, `op dit moment` |
//!
//! A part of a month or year (`begin`, `eind`, `midden`, `half`, `medio`, `early`, `late`,
//! `mid-`) stays in the text only: `midden oktober` is the month `2017-10`.
//!
//! # Resolution
//!
//! * A weekday (`zondag`, `zaterdagavond`, `Sunday night`) is the most recent such day on or
//!   before the publication day, unless the sentence points ahead: a present or future tense
//!   (`De raad beslist dinsdag`), `vanaf`, `tot`, `voor`, `om ... te` or English `will` make it
//!   the first such day on or after it. `afgelopen`/`vorige`/`last` make it strictly before,
//!   `komende`/`volgende`/`aanstaande`/`next` strictly after, `deze`/`this` the day in the
//!   publication's ISO week.
//! * A month without a year (`augustus`) is, with a past tense, the latest such month on or
//!   before publication, with a present tense the first on or after it, and otherwise the
//!   latest one no more than two months after the publication month. A date without a year
//!   (`14 november`) likewise, with a window of about three months.
//! * `afgelopen weekend` is the weekend of the most recent Saturday before the publication day;
//!   `dit weekend` the one of the publication's ISO week; a plain `het weekend` the past one
//!   early in the week (Monday, Tuesday) and this week's one later.
//! * `N dagen/weken/maanden/jaar geleden` (`ago`) count back from publication and Dutch
//!   `over N weken` forward; `N dagen later`/`daarna`/`eerder` count from another event in the
//!   story and have no value. Bare durations (`vier maanden`), ages, clock times and bare
//!   `nu`/`intussen` are not reported.
//! * When the publication date is known only to the month (`2017-10`), expressions finer than a
//!   month that count from the publication day (`zondag`, `gisteren`, `vorige week`,
//!   `afgelopen weekend`) resolve to the publication month with granularity month; known only
//!   to the year, to the year. With no publication date only complete expressions
//!   (`14 november 2017`, `sinds 2014`, `oktober 2017`) get a value; the rest keep the
//!   granularity of their form (`midden oktober`: month, `zondag`: day) with no value.
//!
//! The text of an expression includes `sinds`, `sedert`, `vanaf`, `tot`, `since` and `until`
//! (`sinds 2014`, `tot eind 2026`), which change what it means, but not `in`, `op`, `on`,
//! `van` or `tussen` (`augustus` in `in augustus`, `20 november` in `op 20 november`); those
//! still announce a bare year (`in 2014`).

use std::cell::Cell;

use super::table::{word_set, WordSet};
use super::{Analysis, Annotator, Document, Granularity, TimeExpr, Token, TokenKind};
use crate::date::{civil_from_days, days_from_civil, days_in_month, weekday_from_days, Precision, Published};

/// Finds time expressions and resolves them against the publication date.
#[derive(Debug, Default, Clone, Copy)]
pub struct TimeAnnotator;

impl Annotator for TimeAnnotator {
    fn name(&self) -> &'static str {
        "times"
    }

    fn annotate(&self, doc: &Document<'_>, out: &mut Analysis) {
        out.times.extend(find_times(doc));
    }
}

/// The time expressions of a document, in text order, with byte offsets.
pub fn find_times(doc: &Document<'_>) -> Vec<TimeExpr> {
    let english = doc.language == "en";
    // What the words of `TIME_WORDS` are in this document, by (word, capitalised).
    let mut seen = vec![None; 2 * TIME_WORDS_LIST.len()];
    let words: Vec<W> = doc.tokens.iter().map(|t| classify(t, doc.text, english, &mut seen)).collect();
    let m = Matcher {
        text: doc.text,
        toks: &doc.tokens,
        w: &words,
        anchor: Anchor::new(doc.published),
        english,
        start: Cell::new(0),
    };
    let mut out = Vec::new();
    let mut i = 0;
    // Token index just past the last year found, to take `2015` in `in 2014 en 2015`.
    let mut after_year = usize::MAX;
    while i < words.len() {
        m.start.set(i);
        let hit = match words[i] {
            W::Prep(p) => m.core(i + 1, Some(p)).map(|(end, when, keep)| {
                // `op dit moment` keeps its `op`; otherwise only `sinds`, `tot`, ... stay.
                let moment = when == When::None(Granularity::Unknown);
                (if keep && (p == Prep::Keep || moment) { i } else { i + 1 }, end, when)
            }),
            W::And if i == after_year => match m.at(i + 1) {
                W::Num { n, digits: 4, ordinal: false } if is_year(n) => {
                    Some((i + 1, i + 2, When::Year(n as i32)))
                }
                _ => None,
            },
            _ => None,
        }
        .or_else(|| m.core(i, None).map(|(end, when, _)| (i, end, when)));
        match hit {
            Some((start, end, when)) => {
                let (s, e) = (doc.tokens[start].start, doc.tokens[end - 1].end);
                let (value, granularity) = when.render();
                out.push(TimeExpr { text: doc.text[s..e].to_string(), value, granularity, start: s, end: e });
                after_year = if matches!(when, When::Year(_)) { end } else { usize::MAX };
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The most recent day with this weekday (0 = Monday ... 6 = Sunday) on or before the
/// publication day, as a `(value, granularity)` pair: `2025-11-02` (day) for a Sunday in an
/// article of Tuesday 2025-11-04. When the publication is known only to the month the value is
/// that month (`2017-10`, granularity month); known only to the year, the year.
pub fn resolve_weekday(published: Published, weekday: u32) -> (Option<String>, Granularity) {
    Anchor::new(Some(published)).weekday(weekday % 7, Rel::Default).render()
}

/// The ISO 8601 week `(year, week)` of a day count since 1970-01-01: weeks start on Monday and
/// week 1 is the one holding the year's first Thursday.
pub fn iso_week(days: i64) -> (i32, u32) {
    let thursday = days - i64::from(weekday_from_days(days)) + 3;
    let (year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    (year, week as u32)
}

// ---------------------------------------------------------------------------------------------
// Words

/// Which way a modifier points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    /// No modifier: on or before publication.
    Default,
    /// `vorige`, `afgelopen`, `last`.
    Last,
    /// `deze`, `dit`, `this`.
    This,
    /// `volgende`, `komende`, `next`.
    Next,
    /// On or before publication: a past tense, `sinds`.
    Back,
    /// On or after publication: a present or future tense, `vanaf`, `tot`, `voor`.
    Ahead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Begin,
    End,
    Mid,
    Earlier,
    Later,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prep {
    /// Part of the expression: `in`, `op`, `sinds`, `on`, `since`.
    Keep,
    /// Announces a year without being part of it: `tot`, `voor`, `until`.
    Trigger,
    /// `van`/`of`: announces a year and links a season to one.
    Of,
}

/// What a token can be in a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum W {
    Other,
    /// Digits, or an ordinal such as `14th`, `1e`.
    Num {
        n: u32,
        digits: u8,
        ordinal: bool,
    },
    /// `14.11.2017` as one token.
    DotDate(i32, u32, u32),
    /// A token that is a year by itself: `mid-2016`.
    Year(i32),
    /// A month name; `abbr` ones (`nov`) need a day number, `strict` ones (English `May`,
    /// `March`) need a day, a year or a preposition.
    Month {
        m: u32,
        abbr: bool,
        strict: bool,
    },
    /// A weekday, also with a part of the day (`zaterdagavond`).
    Weekday(u32),
    /// English `morning`, `afternoon`, `evening`, `night`.
    DayPart {
        night: bool,
    },
    Prep(Prep),
    And,
    Rel(Rel),
    Unit(Unit, bool),
    Weekend,
    /// `seizoen`: a sports season, not placed on the calendar.
    SportSeason,
    RelDay(i8),
    /// `morgen`: tomorrow, or the noun `morning`.
    Morgen,
    Season(u8),
    Part(Part),
    Ago,
    After,
    Count(u32),
    Few,
    Approx,
    Det,
    Over,
    At,
    Moment,
    Long,
    Tijd,
    Lasting,
    Slash,
    Dash,
    Dot,
    Comma,
}

fn is_year(n: u32) -> bool {
    (1800..=2100).contains(&n)
}

fn month_name(s: &str) -> Option<(u32, bool)> {
    // (month, needs a capital because it is an English-only word)
    Some(match s {
        "januari" => (1, false),
        "februari" => (2, false),
        "maart" => (3, false),
        "april" => (4, false),
        "mei" => (5, false),
        "juni" => (6, false),
        "juli" => (7, false),
        "augustus" => (8, false),
        "september" => (9, false),
        "oktober" => (10, false),
        "november" => (11, false),
        "december" => (12, false),
        "january" => (1, true),
        "february" => (2, true),
        "march" => (3, true),
        "may" => (5, true),
        "june" => (6, true),
        "july" => (7, true),
        "august" => (8, true),
        "october" => (10, true),
        _ => return None,
    })
}

fn month_abbr(s: &str) -> Option<u32> {
    Some(match s {
        "jan" => 1,
        "feb" | "febr" => 2,
        "mrt" | "mar" => 3,
        "apr" => 4,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" | "sept" => 9,
        "okt" | "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

fn weekday_name(s: &str) -> Option<(u32, bool)> {
    Some(match s {
        "maandag" => (0, false),
        "dinsdag" => (1, false),
        "woensdag" => (2, false),
        "donderdag" => (3, false),
        "vrijdag" => (4, false),
        "zaterdag" => (5, false),
        "zondag" => (6, false),
        "monday" => (0, true),
        "tuesday" => (1, true),
        "wednesday" => (2, true),
        "thursday" => (3, true),
        "friday" => (4, true),
        "saturday" => (5, true),
        "sunday" => (6, true),
        _ => return None,
    })
}

/// A Dutch weekday with a part of the day glued on: `zaterdagavond`, `maandagochtend`.
fn weekday_compound(s: &str) -> Option<u32> {
    const PARTS: [&str; 6] = ["ochtend", "morgen", "namiddag", "middag", "avond", "nacht"];
    // The shortest: a six-letter weekday and a five-letter part.
    if s.len() < 11 {
        return None;
    }
    let i = s.as_bytes().windows(3).position(|w| w == b"dag")? + 3;
    let (base, rest) = s.split_at(i);
    if !PARTS.contains(&rest) {
        return None;
    }
    match weekday_name(base) {
        Some((wd, false)) => Some(wd),
        _ => None,
    }
}

/// A number word that counts days, weeks, months or years (`drie`, `twintig`, `a`): the
/// quantities' number words, plus the article `een` and English `a`/`an`.
fn number_word(s: &str, english: bool) -> Option<u32> {
    match s {
        "een" => Some(1),
        "a" | "an" if english => Some(1),
        "hundred" => Some(100),
        _ => super::quantities::number_word(s).and_then(|v| u32::try_from(v).ok()),
    }
}

/// Leading digits with an optional ordinal suffix: `14`, `14th`, `1e`, `2de`, `1ste`.
fn parse_num(s: &str) -> Option<W> {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let n: u32 = s[..digits].parse().ok()?;
    let suffix = &s[digits..];
    if suffix.is_empty() {
        return Some(W::Num { n, digits: digits as u8, ordinal: false });
    }
    let ord = matches!(suffix, "st" | "nd" | "rd" | "th" | "e" | "de" | "ste");
    (ord && digits <= 2).then_some(W::Num { n, digits: digits as u8, ordinal: true })
}

/// `14.11.2017` or `14-11-2017` inside one token.
fn dot_date(s: &str) -> Option<W> {
    let mut parts = s.split(['.', '-']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || d.len() > 2 || m.len() > 2 || y.len() != 4 {
        return None;
    }
    let (d, m, y): (u32, u32, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(W::DotDate(y, m, d))
}

/// Every word [`classify_word`] reads as more than [`W::Other`] by name (months, weekdays, number
/// words and the words of its last `match`), lowercase and sorted: a word outside it is at most
/// a weekday compound. The test `time_words_cover_classify` keeps it in step with the code.
const TIME_WORDS_LIST: &[&str] = &[
    "a",
    "aanstaande",
    "aantal",
    "about",
    "acht",
    "afgelopen",
    "after",
    "afternoon",
    "afterwards",
    "ago",
    "almost",
    "an",
    "and",
    "apr",
    "april",
    "around",
    "at",
    "aug",
    "august",
    "augustus",
    "autumn",
    "before",
    "begin",
    "between",
    "bijna",
    "ca",
    "circa",
    "coming",
    "couple",
    "daarna",
    "daarvoor",
    "dag",
    "dagen",
    "dagenlang",
    "day",
    "days",
    "de",
    "dec",
    "december",
    "decennialang",
    "dertien",
    "dertig",
    "deze",
    "dinsdag",
    "dit",
    "donderdag",
    "drie",
    "earlier",
    "early",
    "een",
    "eerder",
    "eergisteren",
    "eeuwenlang",
    "eight",
    "eind",
    "einde",
    "eleven",
    "elf",
    "en",
    "enkele",
    "erna",
    "evening",
    "fall",
    "feb",
    "febr",
    "februari",
    "february",
    "few",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "friday",
    "from",
    "geleden",
    "geruime",
    "gisteravond",
    "gisteren",
    "gistermiddag",
    "gistermorgen",
    "gisternacht",
    "gisterochtend",
    "half",
    "halverwege",
    "herfst",
    "het",
    "honderd",
    "hundred",
    "in",
    "jaar",
    "jan",
    "januari",
    "january",
    "jaren",
    "jarenlang",
    "jul",
    "juli",
    "july",
    "jun",
    "june",
    "juni",
    "komend",
    "komende",
    "lange",
    "last",
    "late",
    "later",
    "lente",
    "long",
    "maand",
    "maandag",
    "maanden",
    "maandenlang",
    "maart",
    "mar",
    "march",
    "may",
    "medio",
    "meerdere",
    "mei",
    "mid",
    "midden",
    "moment",
    "monday",
    "month",
    "months",
    "morgen",
    "morgenavond",
    "morgenmiddag",
    "morgenochtend",
    "morning",
    "mrt",
    "na",
    "nadien",
    "najaar",
    "nearly",
    "negen",
    "next",
    "night",
    "nine",
    "nov",
    "november",
    "oct",
    "october",
    "of",
    "ogenblik",
    "okt",
    "oktober",
    "on",
    "one",
    "ongeveer",
    "op",
    "over",
    "overmorgen",
    "paar",
    "pakweg",
    "past",
    "rond",
    "roughly",
    "ruim",
    "saturday",
    "season",
    "sedert",
    "seizoen",
    "sep",
    "sept",
    "september",
    "seven",
    "several",
    "since",
    "sinds",
    "six",
    "some",
    "spring",
    "summer",
    "sunday",
    "ten",
    "the",
    "thirty",
    "this",
    "three",
    "thursday",
    "tien",
    "tijd",
    "time",
    "today",
    "tomorrow",
    "tonight",
    "tot",
    "tuesday",
    "tussen",
    "twaalf",
    "twee",
    "twelve",
    "twenty",
    "twintig",
    "two",
    "until",
    "van",
    "vanaf",
    "vanavond",
    "vandaag",
    "vanmiddag",
    "vanmorgen",
    "vannacht",
    "vanochtend",
    "veertien",
    "veertig",
    "verleden",
    "verscheidene",
    "vier",
    "vijf",
    "vijftien",
    "vijftig",
    "volgend",
    "volgende",
    "voor",
    "voorjaar",
    "vorig",
    "vorige",
    "vrijdag",
    "wednesday",
    "week",
    "weekeinde",
    "weekend",
    "weeks",
    "weken",
    "wekenlang",
    "winter",
    "woensdag",
    "year",
    "years",
    "yesterday",
    "zaterdag",
    "zes",
    "zeven",
    "zo'n",
    "zomer",
    "zondag",
    "zo’n",
    "één",
];
const TIME_WORDS: WordSet = word_set!(TIME_WORDS_LIST);

/// What a token can be; lowercases into a stack buffer, so it allocates nothing. `seen` keeps
/// what the words of [`TIME_WORDS`] were found to be, two slots (lowercase, capitalised) per
/// word, so each is worked out once per document.
fn classify(tok: &Token, text: &str, english: bool, seen: &mut [Option<W>]) -> W {
    let s = tok.text(text);
    match tok.kind {
        TokenKind::Punct => {
            return match s {
                "/" => W::Slash,
                "-" | "–" => W::Dash,
                "." => W::Dot,
                "," => W::Comma,
                _ => W::Other,
            }
        }
        TokenKind::Number => {
            return if s.bytes().all(|b| b.is_ascii_digit()) {
                parse_num(s).unwrap_or(W::Other)
            } else {
                dot_date(s).unwrap_or(W::Other)
            };
        }
        TokenKind::Word => {}
    }
    if s.len() > 20 {
        return W::Other;
    }
    let mut buf = [0u8; 20];
    for (d, &c) in buf.iter_mut().zip(s.as_bytes()) {
        *d = c.to_ascii_lowercase();
    }
    let bytes = &buf[..s.len()];
    // Lowercasing ASCII letters keeps the text valid UTF-8.
    let low = || std::str::from_utf8(bytes).unwrap_or("");
    let capital = s.as_bytes()[0].is_ascii_uppercase();
    if s.as_bytes()[0].is_ascii_digit() {
        return parse_num(low()).unwrap_or(W::Other);
    }
    match TIME_WORDS.index_bytes(bytes) {
        Some(k) => {
            let slot = 2 * k + usize::from(capital);
            if let Some(w) = seen[slot] {
                return w;
            }
            let w = classify_word(low(), capital, english);
            seen[slot] = Some(w);
            w
        }
        None if bytes.starts_with(b"mid-") => classify_word(low(), capital, english),
        // A weekday compound has at least eleven letters.
        None if bytes.len() >= 11 => weekday_compound(low()).map_or(W::Other, W::Weekday),
        None => W::Other,
    }
}

/// What a lowercase word (not starting with a digit) can be; `capital` says whether it was
/// written with a capital.
fn classify_word(low: &str, capital: bool, english: bool) -> W {
    if let Some((m, strict)) = month_name(low) {
        if strict && !capital {
            return W::Other;
        }
        return W::Month { m, abbr: false, strict };
    }
    if let Some(m) = month_abbr(low) {
        return W::Month { m, abbr: true, strict: true };
    }
    if let Some((wd, en)) = weekday_name(low) {
        return if en && !capital { W::Other } else { W::Weekday(wd) };
    }
    if let Some(rest) = low.strip_prefix("mid-") {
        if let Some((m, _)) = month_name(rest) {
            return W::Month { m, abbr: false, strict: false };
        }
        if let Some(W::Num { n, digits: 4, ordinal: false }) = parse_num(rest) {
            if is_year(n) {
                return W::Year(n as i32);
            }
        }
        return W::Other;
    }
    if let Some(n) = number_word(low, english) {
        return W::Count(n);
    }
    match low {
        "sinds" | "sedert" | "vanaf" | "tot" | "since" | "until" => W::Prep(Prep::Keep),
        "in" | "op" | "on" | "voor" | "na" | "rond" | "around" | "tussen" | "between" | "from" => {
            W::Prep(Prep::Trigger)
        }
        "van" | "of" => W::Prep(Prep::Of),
        "en" | "and" => W::And,
        "vorige" | "vorig" | "afgelopen" | "verleden" | "last" | "past" => W::Rel(Rel::Last),
        "deze" | "dit" | "this" => W::Rel(Rel::This),
        "volgende" | "volgend" | "komende" | "komend" | "aanstaande" | "next" | "coming" => W::Rel(Rel::Next),
        "dag" | "day" => W::Unit(Unit::Day, false),
        "dagen" | "days" => W::Unit(Unit::Day, true),
        "week" => W::Unit(Unit::Week, false),
        "weken" | "weeks" => W::Unit(Unit::Week, true),
        "maand" | "month" => W::Unit(Unit::Month, false),
        "maanden" | "months" => W::Unit(Unit::Month, true),
        "jaar" | "year" => W::Unit(Unit::Year, false),
        "jaren" | "years" => W::Unit(Unit::Year, true),
        "weekend" | "weekeinde" => W::Weekend,
        "seizoen" | "season" => W::SportSeason,
        "vandaag" | "vanochtend" | "vanmorgen" | "vanmiddag" | "vanavond" | "vannacht" | "today"
        | "tonight" => W::RelDay(0),
        "gisteren" | "gisteravond" | "gistermiddag" | "gisterochtend" | "gistermorgen" | "gisternacht"
        | "yesterday" => W::RelDay(-1),
        "eergisteren" => W::RelDay(-2),
        "morgenochtend" | "morgenmiddag" | "morgenavond" | "tomorrow" => W::RelDay(1),
        "overmorgen" => W::RelDay(2),
        "morgen" => W::Morgen,
        "lente" | "voorjaar" | "spring" => W::Season(0),
        "zomer" | "summer" => W::Season(1),
        "herfst" | "najaar" | "autumn" | "fall" => W::Season(2),
        "winter" => W::Season(3),
        "begin" | "early" => W::Part(Part::Begin),
        "eind" | "einde" | "late" => W::Part(Part::End),
        "midden" | "half" | "medio" | "halverwege" | "mid" => W::Part(Part::Mid),
        "eerder" | "earlier" => W::Part(Part::Earlier),
        "later" => W::Part(Part::Later),
        "daarna" | "nadien" | "erna" | "daarvoor" | "after" | "afterwards" | "before" => W::After,
        "geleden" | "ago" => W::Ago,
        "enkele" | "paar" | "aantal" | "meerdere" | "verscheidene" | "several" | "few" | "couple"
        | "some" => W::Few,
        "ruim" | "bijna" | "zo'n" | "zo’n" | "ongeveer" | "circa" | "ca" | "pakweg" | "about" | "almost"
        | "nearly" | "roughly" => W::Approx,
        "de" | "het" | "the" => W::Det,
        "over" if !english => W::Over,
        "at" => W::At,
        "moment" | "ogenblik" => W::Moment,
        "lange" | "geruime" | "long" => W::Long,
        "tijd" | "time" => W::Tijd,
        "jarenlang" | "maandenlang" | "wekenlang" | "dagenlang" | "decennialang" | "eeuwenlang" => W::Lasting,
        "morning" | "afternoon" | "evening" => W::DayPart { night: false },
        "night" => W::DayPart { night: true },
        _ => match weekday_compound(low) {
            Some(wd) => W::Weekday(wd),
            None => W::Other,
        },
    }
}

/// Words between a finite verb and a time expression: `zei hij zondag`, `werd daar zondag`.
const SKIP_BEFORE_TIME: &[&str] = &[
    "hij", "zij", "ze", "het", "er", "men", "we", "wij", "je", "jij", "u", "daar", "hier", "dan", "nog",
    "al", "ook", "pas", "dus", "echter", "toen", "reeds", "wel", "zelf", "zelfs", "nu",
];

/// Words that make the next word a noun rather than a verb: articles, possessives and the
/// ordinals (`de eerste vlucht`).
const ARTICLES: &[&str] = &[
    "de", "het", "een", "deze", "die", "dit", "zijn", "haar", "hun", "onze", "mijn", "eerste", "tweede",
    "derde", "laatste", "vorige", "volgende", "nieuwe",
];

/// Dutch past forms that the `-de`/`-te` ending does not catch.
#[rustfmt::skip]
const PAST_FORMS: &[&str] = &[
    "begon", "begonnen", "besloot", "besloten", "bezocht", "bleef", "bleek", "bleken", "bleven", "boden",
    "bood", "bracht", "brachten", "brak", "braken", "dacht", "dachten", "deden", "deed", "droeg", "droegen",
    "gaf", "gaven", "ging", "gingen", "had", "hadden", "hebben", "heeft", "hield", "hielden", "hing",
    "hingen", "is", "kocht", "kochten", "kon", "konden", "koos", "kozen", "kreeg", "kregen", "kwam",
    "kwamen", "lag", "lagen", "las", "lazen", "liep", "liepen", "liet", "lieten", "mocht", "mochten",
    "moest", "moesten", "nam", "namen", "onderzocht", "ontstond", "ontstonden", "ontving", "ontvingen",
    "overleden", "overleed", "riep", "riepen", "schoot", "schoten", "schreef", "schreven", "sloeg",
    "sloegen", "sloot", "sloten", "sprak", "spraken", "stierf", "stierven", "stond", "stonden", "trok",
    "trokken", "verkocht", "verliet", "verlieten", "verloor", "verloren", "verscheen", "verschenen",
    "vertrok", "vertrokken", "verzocht", "viel", "vielen", "vlogen", "vloog", "vocht", "vond", "vonden",
    "vroeg", "vroegen", "waren", "was", "werd", "werden", "wist", "wisten", "won", "wonnen", "zag", "zagen",
    "zat", "zaten", "zei", "zeiden", "zijn", "zocht", "zochten", "zou", "zouden",
];

/// Dutch present forms that announce the future and that the `-t` ending does not catch.
const PRESENT_FORMS: &[&str] = &["zal", "zullen", "wil", "willen", "kan", "kunnen", "gaan", "komen", "staan"];

/// Words ending in `-t` that are not verbs.
const NOT_VERBS: &[&str] = &[
    "dat", "wat", "het", "niet", "met", "tot", "dit", "echt", "ooit", "eerst", "want", "nacht", "recht",
    "maart", "vast", "best", "laatst", "meest", "straat", "markt", "punt", "debat",
];

/// The tense a Dutch word gives away: a past form (`zei`, `meldde`, `werden`), a present one
/// (`begint`, `zal`, and with `plural` the `-en` form after a sentence-initial time: `Vrijdag
/// praten ...`), or nothing. Without `suffixes` only the listed forms count (the word follows
/// an article and is a noun: `de vlucht op 11 december`).
/// Words that open a clause: a tense found beyond them belongs to another clause.
const CLAUSE_STARTS: &[&str] = &[
    "als", "dat", "die", "en", "maar", "of", "omdat", "terwijl", "toen", "wanneer", "want", "wat", "waar",
    "wie",
];

fn verb_tense(word: &str, plural: bool, suffixes: bool) -> Rel {
    if word.len() > 20
        || !word.bytes().all(|b| b.is_ascii_alphabetic())
        || word.as_bytes()[0].is_ascii_uppercase()
    {
        return Rel::Default;
    }
    let in_list = |list: &[&str]| list.contains(&word);
    if in_list(PAST_FORMS) {
        return Rel::Back;
    }
    if in_list(PRESENT_FORMS) {
        return Rel::Ahead;
    }
    let n = word.len();
    if !suffixes {
        return Rel::Default;
    }
    if n >= 5
        && (word.ends_with("de") || word.ends_with("te") || word.ends_with("den") || word.ends_with("ten"))
    {
        return Rel::Back;
    }
    if n >= 4 && word.ends_with('t') && !in_list(NOT_VERBS) {
        return Rel::Ahead;
    }
    if plural && n >= 4 && word.ends_with("en") {
        return Rel::Ahead;
    }
    Rel::Default
}

// ---------------------------------------------------------------------------------------------
// Resolution

/// A resolved time, before it is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Day(i64),
    /// The ISO week holding this day.
    Week(i64),
    /// The weekend starting on this Saturday.
    Weekend(i64),
    Month(i32, u32),
    /// Year and season (0 spring ... 3 winter).
    Season(i32, u8),
    Year(i32),
    /// Found, but with no value.
    None(Granularity),
}

const SEASONS: [&str; 4] = ["spring", "summer", "autumn", "winter"];

impl When {
    fn render(self) -> (Option<String>, Granularity) {
        match self {
            When::Day(d) => {
                let (y, m, d) = civil_from_days(d);
                (Some(format!("{y:04}-{m:02}-{d:02}")), Granularity::Day)
            }
            When::Week(d) => {
                let (y, w) = iso_week(d);
                (Some(format!("{y:04}-W{w:02}")), Granularity::Week)
            }
            When::Weekend(d) => {
                let (y, m, d) = civil_from_days(d);
                (Some(format!("{y:04}-{m:02}-{d:02}")), Granularity::Weekend)
            }
            When::Month(y, m) => (Some(format!("{y:04}-{m:02}")), Granularity::Month),
            When::Season(y, s) => {
                (Some(format!("{y:04}-{}", SEASONS[usize::from(s % 4)])), Granularity::Season)
            }
            When::Year(y) => (Some(format!("{y:04}")), Granularity::Year),
            When::None(g) => (None, g),
        }
    }

    fn granularity(self) -> Granularity {
        self.render().1
    }
}

/// The publication date as far as it is known.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    day: Option<i64>,
    month: Option<(i32, u32)>,
    year: Option<i32>,
}

fn month_index(y: i32, m: u32) -> i64 {
    i64::from(y) * 12 + i64::from(m) - 1
}

fn from_month_index(i: i64) -> When {
    When::Month(i.div_euclid(12) as i32, (i.rem_euclid(12) + 1) as u32)
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

impl Anchor {
    fn new(p: Option<Published>) -> Self {
        let Some(p) = p else { return Anchor { day: None, month: None, year: None } };
        let (y, m, _) = p.ymd();
        Anchor {
            day: (p.precision >= Precision::Day).then(|| p.days()),
            month: (p.precision >= Precision::Month).then_some((y, m)),
            year: Some(y),
        }
    }

    /// What an expression finer than a month becomes when the day is not known.
    fn coarse(&self, g: Granularity) -> When {
        match (self.month, self.year) {
            (Some((y, m)), _) => When::Month(y, m),
            (None, Some(y)) => When::Year(y),
            _ => When::None(g),
        }
    }

    fn rel_day(&self, offset: i64) -> When {
        self.day.map_or_else(|| self.coarse(Granularity::Day), |d| When::Day(d + offset))
    }

    fn rel_week(&self, offset: i64) -> When {
        self.day.map_or_else(|| self.coarse(Granularity::Week), |d| When::Week(d + 7 * offset))
    }

    fn rel_month(&self, offset: i64) -> When {
        match (self.month, self.year) {
            (Some((y, m)), _) => from_month_index(month_index(y, m) + offset),
            (None, Some(y)) if offset == 0 => When::Year(y),
            _ => When::None(Granularity::Month),
        }
    }

    fn rel_year(&self, offset: i32) -> When {
        self.year.map_or(When::None(Granularity::Year), |y| When::Year(y + offset))
    }

    fn weekday(&self, wd: u32, rel: Rel) -> When {
        let Some(d) = self.day else { return self.coarse(Granularity::Day) };
        let pwd = i64::from(weekday_from_days(d));
        let wd = i64::from(wd);
        When::Day(match rel {
            Rel::Default | Rel::Back => d - (pwd - wd).rem_euclid(7),
            Rel::Ahead => d + (wd - pwd).rem_euclid(7),
            Rel::Last => d - ((pwd - wd - 1).rem_euclid(7) + 1),
            Rel::This => d - pwd + wd,
            Rel::Next => d + (wd - pwd - 1).rem_euclid(7) + 1,
        })
    }

    /// `Rel::Default` here is a plain `het weekend`.
    fn weekend(&self, rel: Rel) -> When {
        let Some(d) = self.day else { return self.coarse(Granularity::Weekend) };
        let pwd = i64::from(weekday_from_days(d));
        let rel = match rel {
            Rel::Default if pwd <= 1 => Rel::Last,
            Rel::Default => Rel::This,
            r => r,
        };
        When::Weekend(match rel {
            Rel::Last => d - ((pwd - 5 - 1).rem_euclid(7) + 1),
            Rel::Next => d + (5 - pwd - 1).rem_euclid(7) + 1,
            _ => d - pwd + 5,
        })
    }

    /// A month name without a year.
    fn month_name(&self, m: u32, rel: Rel) -> When {
        let Some((py, pm)) = self.month else {
            return self.year.map_or(When::None(Granularity::Month), |y| When::Month(y, m));
        };
        let p = month_index(py, pm);
        let c = month_index(py, m);
        let i = match rel {
            Rel::Default => c - 12 * (c - p - 2 + 11).div_euclid(12),
            Rel::Back => c - 12 * (c - p + 11).div_euclid(12),
            Rel::Ahead => c + 12 * (p - c + 11).div_euclid(12),
            Rel::Last => c - 12 * (c - p + 12).div_euclid(12),
            Rel::Next => c + 12 * (p - c + 12).div_euclid(12),
            Rel::This => c,
        };
        from_month_index(i)
    }

    /// A day and month without a year: the latest such date at most three months after
    /// publication (`Back`: on or before it; `Ahead`: the first on or after it). `None` when
    /// no year has that date.
    fn day_month(&self, d: u32, m: u32, rel: Rel) -> Option<When> {
        let years = |py: i32| [py + 1, py, py - 1, py - 2].into_iter().filter(move |&y| valid(y, m, d));
        if let Some(pd) = self.day {
            let py = self.year?;
            let day = |y: i32| days_from_civil(y, m, d);
            let y = match rel {
                Rel::Ahead => years(py).rfind(|&y| day(y) >= pd),
                Rel::Back => years(py).find(|&y| day(y) <= pd),
                _ => years(py).find(|&y| day(y) <= pd + 92),
            }?;
            return Some(When::Day(day(y)));
        }
        if let Some((py, pm)) = self.month {
            let p = month_index(py, pm);
            let y = match rel {
                Rel::Ahead => years(py).rfind(|&y| month_index(y, m) >= p),
                Rel::Back => years(py).find(|&y| month_index(y, m) <= p),
                _ => years(py).find(|&y| month_index(y, m) <= p + 2),
            }?;
            return Some(When::Day(days_from_civil(y, m, d)));
        }
        match self.year {
            Some(y) => valid(y, m, d).then(|| When::Day(days_from_civil(y, m, d))),
            None => valid(2000, m, d).then_some(When::None(Granularity::Day)),
        }
    }

    fn season(&self, s: u8, rel: Rel) -> When {
        let s = i64::from(s);
        let Some((py, pm)) = self.month else {
            return match (self.year, rel) {
                (Some(y), Rel::This | Rel::Default | Rel::Back | Rel::Ahead) => When::Season(y, s as u8),
                _ => When::None(Granularity::Season),
            };
        };
        // Seasons numbered on from year 0: spring 0, summer 1, autumn 2, winter 3.
        let cur = i64::from(py) * 4
            + match pm {
                3..=5 => 0,
                6..=8 => 1,
                9..=11 => 2,
                12 => 3,
                _ => -1,
            };
        let i = match rel {
            Rel::Last => cur - ((cur - s - 1).rem_euclid(4) + 1),
            Rel::Next => cur + (s - cur - 1).rem_euclid(4) + 1,
            _ if s == 3 && pm <= 2 => i64::from(py - 1) * 4 + 3,
            _ => i64::from(py) * 4 + s,
        };
        When::Season(i.div_euclid(4) as i32, i.rem_euclid(4) as u8)
    }

    fn ago(&self, unit: Unit, n: i64) -> When {
        match unit {
            Unit::Day => self.rel_day(-n),
            Unit::Week => self.rel_week(-n),
            Unit::Month => self.rel_month(-n),
            Unit::Year => self.rel_year(-(n as i32)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Matching

struct Matcher<'a> {
    text: &'a str,
    toks: &'a [Token],
    w: &'a [W],
    anchor: Anchor,
    english: bool,
    /// The token the current attempt starts at (a preposition, or the expression itself).
    start: Cell<usize>,
}

/// `(end token, value, whether a preceding preposition belongs to the expression)`.
type Hit = (usize, When, bool);

impl Matcher<'_> {
    /// The token at `j`: nothing past the end, and nothing after a line break unless `j` is
    /// where the current expression starts.
    fn at(&self, j: usize) -> W {
        match self.w.get(j) {
            Some(&w) if j == self.start.get() || !self.toks[j].after_newline => w,
            _ => W::Other,
        }
    }

    /// Whether tokens `j` and `j + 1` touch (no space between).
    fn touching(&self, j: usize) -> bool {
        j + 1 < self.toks.len() && self.toks[j].end == self.toks[j + 1].start
    }

    fn first_is_upper(&self, j: usize) -> bool {
        self.toks[j].text(self.text).as_bytes()[0].is_ascii_uppercase()
    }

    /// An expression starting at token `i`; `prep` is the preposition before it, if any.
    fn core(&self, i: usize, prep: Option<Prep>) -> Option<Hit> {
        let head = self.at(i);
        let a = &self.anchor;
        match head {
            W::Num { .. } | W::DotDate(..) => self.number(i, prep.is_some()),
            W::Month { .. } => self.month(i, prep.is_some()),
            W::Weekday(wd) => Some(self.weekday(i, wd, Rel::Default)),
            W::Year(y) => Some((i + 1, When::Year(y), true)),
            W::Part(p) => self.part(i + 1, p),
            W::Rel(r) => self.relative(i + 1, r, prep),
            W::RelDay(off) => Some((self.day_part_end(i + 1), a.rel_day(i64::from(off)), true)),
            W::Morgen if self.morgen_is_tomorrow(i) => Some((i + 1, a.rel_day(1), true)),
            W::Season(s) => self.season_year(i, s).or_else(|| {
                // A bare season only after a preposition: `in spring`.
                prep.map(|_| (i + 1, a.season(s, Rel::Default), true))
            }),
            W::Det => match self.at(i + 1) {
                W::Weekend => Some((i + 2, a.weekend(Rel::Default), true)),
                W::Season(s) if prep.is_some() => {
                    Some(self.season_year(i + 1, s).unwrap_or((i + 2, a.season(s, Rel::Default), true)))
                }
                W::Moment if prep.is_some() => Some((i + 2, When::None(Granularity::Unknown), true)),
                _ => None,
            },
            W::Count(_) | W::Few | W::Approx => self.count(i, false),
            W::Over => self.count(i + 1, true),
            W::Unit(_, true) => match self.at(i + 1) {
                W::Ago | W::After | W::Part(Part::Earlier | Part::Later) => {
                    Some((i + 2, When::None(Granularity::Unknown), false))
                }
                _ => None,
            },
            W::Long if self.at(i + 1) == W::Tijd => Some((i + 2, When::None(Granularity::Unknown), false)),
            W::Lasting => Some((i + 1, When::None(Granularity::Unknown), false)),
            W::At => match (self.at(i + 1), self.at(i + 2)) {
                (W::Det | W::Rel(Rel::This), W::Moment) => {
                    Some((i + 3, When::None(Granularity::Unknown), false))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// `morgen` is tomorrow unless it follows an article or a demonstrative (`de morgen`,
    /// `'s morgens` is one token and never reaches here).
    fn morgen_is_tomorrow(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let prev = self.toks[i - 1].text(self.text);
        !["de", "die", "deze", "elke", "iedere", "volgende", "goede", "'s", "’s", "zelfde", "dezelfde"]
            .iter()
            .any(|w| prev.eq_ignore_ascii_case(w))
    }

    /// Past an optional English part of the day (`Sunday night`, `tomorrow morning`).
    fn day_part_end(&self, j: usize) -> usize {
        if matches!(self.at(j), W::DayPart { .. }) {
            j + 1
        } else {
            j
        }
    }

    /// A four-digit year at `j`.
    fn year_at(&self, j: usize) -> Option<i32> {
        match self.at(j) {
            W::Num { n, digits: 4, ordinal: false } if (1000..=2999).contains(&n) => Some(n as i32),
            _ => None,
        }
    }

    /// A day number at `j`.
    fn day_at(&self, j: usize) -> Option<u32> {
        match self.at(j) {
            W::Num { n, digits, .. } if digits <= 2 && (1..=31).contains(&n) => Some(n),
            _ => None,
        }
    }

    /// A date once its day `d` and month `m` are known and the month word ends before `j`;
    /// the expression starts at token `first`.
    fn finish_date(&self, d: u32, m: u32, j: usize, first: usize) -> Option<(usize, When)> {
        let (j, year) = match (self.at(j), self.year_at(j), self.year_at(j + 1)) {
            (_, Some(y), _) => (j + 1, Some(y)),
            (W::Comma, None, Some(y)) => (j + 2, Some(y)),
            _ => (j, None),
        };
        match year {
            Some(y) => valid(y, m, d).then(|| (j, When::Day(days_from_civil(y, m, d)))),
            None => self.anchor.day_month(d, m, self.tense(first, j)).map(|w| (j, w)),
        }
    }

    /// A month word at `j` (and its abbreviation dot): `(month, abbreviated, index after)`.
    fn month_word(&self, j: usize) -> Option<(u32, bool, usize)> {
        match self.at(j) {
            W::Month { m, abbr, .. } => {
                let dot = abbr && self.at(j + 1) == W::Dot && self.touching(j);
                Some((m, abbr, j + 1 + usize::from(dot)))
            }
            _ => None,
        }
    }

    /// `14 november [2017]`, `14 Nov.`, `14th of November`, starting at `i` (the expression
    /// at `first`).
    fn day_first(&self, i: usize, first: usize) -> Option<(usize, When)> {
        let d = self.day_at(i)?;
        let j = if matches!(self.at(i + 1), W::Prep(Prep::Of))
            && matches!(self.at(i), W::Num { ordinal: true, .. })
        {
            i + 2
        } else {
            i + 1
        };
        let (m, _, j) = self.month_word(j)?;
        self.finish_date(d, m, j, first)
    }

    /// A number: a date, a year after a preposition, or a count of days, weeks, months, years.
    fn number(&self, i: usize, triggered: bool) -> Option<Hit> {
        if let W::DotDate(y, m, d) = self.at(i) {
            return Some((i + 1, When::Day(days_from_civil(y, m, d)), true));
        }
        let W::Num { n, digits, ordinal } = self.at(i) else { return None };
        // `14/11/2017`, `14-11-2017`, `2017-11-14`.
        if !ordinal
            && self.touching(i)
            && self.touching(i + 1)
            && self.touching(i + 2)
            && self.touching(i + 3)
        {
            let sep = self.at(i + 1);
            if matches!(sep, W::Slash | W::Dash) && self.at(i + 3) == sep {
                if let (W::Num { n: b, digits: db, .. }, W::Num { n: c, digits: dc, .. }) =
                    (self.at(i + 2), self.at(i + 4))
                {
                    let ymd = if digits == 4 && db <= 2 && dc <= 2 && sep == W::Dash {
                        Some((n as i32, b, c))
                    } else if digits <= 2 && db <= 2 && dc == 4 {
                        Some((c as i32, b, n))
                    } else {
                        None
                    };
                    if let Some((y, m, d)) = ymd.filter(|&(y, m, d)| valid(y, m, d)) {
                        return Some((i + 5, When::Day(days_from_civil(y, m, d)), true));
                    }
                }
            }
        }
        if let Some((end, when)) = self.day_first(i, i) {
            return Some((end, when, true));
        }
        if triggered && digits == 4 && !ordinal && is_year(n) {
            return Some((i + 1, When::Year(n as i32), true));
        }
        if ordinal {
            return None;
        }
        self.count(i, false)
    }

    /// A month name: `November 14, 2017`, `oktober 2017`, `augustus`.
    fn month(&self, i: usize, triggered: bool) -> Option<Hit> {
        let W::Month { m, abbr, strict } = self.at(i) else { return None };
        let (_, _, j) = self.month_word(i)?;
        // English order: a capitalised month or an abbreviation, then the day.
        if abbr || self.first_is_upper(i) {
            if let Some(d) = self.day_at(j) {
                if let Some((end, when)) = self.finish_date(d, m, j + 1, i) {
                    return Some((end, when, true));
                }
            }
        }
        if abbr {
            return None;
        }
        if let Some(y) = self.year_at(i + 1) {
            return Some((i + 2, When::Month(y, m), true));
        }
        if let (W::Prep(Prep::Of), Some(y)) = (self.at(i + 1), self.year_at(i + 2)) {
            return Some((i + 3, When::Month(y, m), true));
        }
        let bare_ok =
            triggered || (!strict && !self.first_is_upper(i)) || (!strict && self.starts_sentence(i));
        bare_ok.then(|| (i + 1, self.anchor.month_name(m, self.tense(i, i + 1)), true))
    }

    /// Which way a weekday, a month or a date without a year points, from the words around
    /// the expression at `first..end`: `sinds` and a past tense point back, `vanaf`, `tot`,
    /// `voor`, `om ... te` and a present or future tense forward (`De raad beslist dinsdag`
    /// is the coming Tuesday; `De raad besliste dinsdag` the last one). In Dutch V2 order the
    /// finite verb is the word after a sentence-initial expression, or the nearest word
    /// before it once pronouns and adverbs are skipped.
    fn tense(&self, first: usize, end: usize) -> Rel {
        let is = |j: usize, words: &[&str]| {
            let t = self.toks[j].text(self.text);
            words.iter().any(|w| t.eq_ignore_ascii_case(w))
        };
        // Walk back over the lead-in: prepositions and parts (`sinds eind`, `tot medio`).
        let mut k = first;
        while k > 0 && !self.toks[k].after_newline && matches!(self.w[k - 1], W::Prep(_) | W::Part(_)) {
            k -= 1;
            if is(k, &["sinds", "sedert", "since"]) {
                return Rel::Back;
            }
            if self.english && is(k, &["until", "from", "by"]) {
                // English news uses `from late September` for the past as often as `from
                // January` for the future: the nearest such month, unless `will` says ahead.
                let back = k.saturating_sub(4)..k;
                return if back.clone().any(|j| is(j, &["will", "shall", "'ll"])) {
                    Rel::Ahead
                } else {
                    Rel::Default
                };
            }
            if is(k, &["vanaf", "tot", "voor", "until", "from", "by"]) {
                // A past tense in the same clause wins (`konden zij vanaf eind september
                // rondkijken`); the search stops at the clause's start (`besloot dat de wet
                // vanaf januari geldt` still points ahead).
                let mut j = k;
                while j > 0 && k - j < 3 && !self.toks[j].after_newline {
                    j -= 1;
                    if self.toks[j].kind != TokenKind::Word || is(j, CLAUSE_STARTS) {
                        break;
                    }
                    // A simple past form: not a participle (`staat gepland voor juli`), not the
                    // present auxiliary of a perfect (`heeft voor maandag een gesprek
                    // aangevraagd` is about the coming Monday).
                    let word = self.toks[j].text(self.text);
                    let perfect =
                        matches!(word, "heeft" | "hebben" | "heb" | "hebt" | "is" | "zijn" | "ben" | "bent");
                    if !self.english
                        && !perfect
                        && !word.starts_with("ge")
                        && verb_tense(word, true, false) == Rel::Back
                    {
                        return Rel::Back;
                    }
                }
                return Rel::Ahead;
            }
        }
        if self.english {
            let back = k.saturating_sub(3)..k;
            return if back.clone().any(|j| is(j, &["will", "shall", "'ll"])) {
                Rel::Ahead
            } else {
                Rel::Default
            };
        }
        if self.starts_sentence(k) {
            // Past a second, coordinated time: `Tussen januari en juni daalde ...`.
            let end = match (self.at(end), self.at(end + 1)) {
                (W::And | W::Prep(_), W::Month { .. } | W::Weekday(_)) => end + 2,
                _ => end,
            };
            return match self.w.get(end) {
                Some(W::Other) if !self.toks[end].after_newline => {
                    verb_tense(self.toks[end].text(self.text), true, true)
                }
                _ => Rel::Default,
            };
        }
        let mut j = k;
        while j > 0 && k - j < 4 && !self.toks[j].after_newline {
            j -= 1;
            if self.toks[j].kind != TokenKind::Word {
                return Rel::Default;
            }
            if is(j, &["om"]) {
                return Rel::Ahead;
            }
            if !is(j, SKIP_BEFORE_TIME) {
                let noun = j > 0 && is(j - 1, ARTICLES);
                return verb_tense(self.toks[j].text(self.text), false, !noun);
            }
        }
        Rel::Default
    }

    fn starts_sentence(&self, i: usize) -> bool {
        i == 0
            || self.toks[i].after_newline
            || matches!(self.toks[i - 1].text(self.text), "." | "!" | "?" | "\"" | "„" | "“" | "'" | "‘")
    }

    /// A weekday, possibly with a date (`dinsdag 14 november`) or an English part of the day.
    fn weekday(&self, i: usize, wd: u32, rel: Rel) -> Hit {
        let j = if self.at(i + 1) == W::Comma { i + 2 } else { i + 1 };
        if rel == Rel::Default {
            if let Some((end, when)) = self.day_first(j, i) {
                return (end, when, true);
            }
            if let Some((m, abbr, k)) = self.month_word(j) {
                if abbr || self.first_is_upper(j) {
                    if let Some((end, when)) = self.day_at(k).and_then(|d| self.finish_date(d, m, k + 1, i)) {
                        return (end, when, true);
                    }
                }
            }
        }
        let end = self.day_part_end(i + 1);
        let rel = if rel == Rel::Default { self.tense(i, end) } else { rel };
        (end, self.anchor.weekday(wd, rel), true)
    }

    /// After `vorige`, `deze`, `volgende`, ... at `j`.
    fn relative(&self, j: usize, r: Rel, prep: Option<Prep>) -> Option<Hit> {
        let a = &self.anchor;
        let off = match r {
            Rel::Last => -1,
            Rel::Next => 1,
            _ => 0,
        };
        Some(match self.at(j) {
            W::Weekday(wd) => self.weekday(j, wd, r),
            W::Unit(Unit::Week, false) => match (self.at(j + 1), a.day) {
                // `vorige week dinsdag`
                (W::Weekday(wd), Some(d)) => {
                    let monday = d + 7 * off - i64::from(weekday_from_days(d));
                    (j + 2, When::Day(monday + i64::from(wd)), true)
                }
                (W::Weekday(_), None) => (j + 2, a.coarse(Granularity::Day), true),
                _ => (j + 1, a.rel_week(off), true),
            },
            W::Unit(Unit::Month, false) => (j + 1, a.rel_month(off), true),
            W::Unit(Unit::Year, false) => (j + 1, a.rel_year(off as i32), true),
            W::Weekend => (j + 1, a.weekend(r), true),
            W::SportSeason => (j + 1, When::None(Granularity::Unknown), true),
            W::Season(s) => (j + 1, a.season(s, r), true),
            W::Month { m, abbr: false, .. } if r != Rel::This => (j + 1, a.month_name(m, r), true),
            W::DayPart { night } => match (r, night) {
                (Rel::Last, true) => (j + 1, a.rel_day(-1), true),
                (Rel::This, _) => (j + 1, a.rel_day(0), true),
                _ => return None,
            },
            W::Moment if r == Rel::This && prep.is_some() => (j + 1, When::None(Granularity::Unknown), true),
            _ => return None,
        })
    }

    /// After `begin`, `eind`, `midden`, `eerder`, `later`, ... at `j`.
    fn part(&self, j: usize, p: Part) -> Option<Hit> {
        let hit = match self.at(j) {
            W::Month { abbr: false, .. } if matches!(p, Part::Begin | Part::End | Part::Mid) => {
                self.month(j, true)?
            }
            W::Num { .. } if matches!(p, Part::Begin | Part::End | Part::Mid) => {
                let y = self.year_at(j).filter(|&y| is_year(y as u32))?;
                (j + 1, When::Year(y), true)
            }
            W::Year(y) => (j + 1, When::Year(y), true),
            W::Rel(r) if p != Part::Mid => {
                let hit = self.relative(j + 1, r, None)?;
                if matches!(self.at(j + 1), W::Weekday(_)) || hit.1 == When::None(Granularity::Unknown) {
                    return None;
                }
                hit
            }
            W::RelDay(off) if matches!(p, Part::Earlier | Part::Later) => {
                (self.day_part_end(j + 1), self.anchor.rel_day(i64::from(off)), true)
            }
            _ => return None,
        };
        (hit.1.granularity() != Granularity::Day || matches!(p, Part::Earlier | Part::Later)).then_some(hit)
    }

    /// A season with a year: `zomer 2016`, `de zomer van 2016`, `summer of 2016`.
    fn season_year(&self, i: usize, s: u8) -> Option<Hit> {
        match (self.at(i + 1), self.year_at(i + 1), self.year_at(i + 2)) {
            (_, Some(y), _) => Some((i + 2, When::Season(y, s), true)),
            (W::Prep(Prep::Of), None, Some(y)) => Some((i + 3, When::Season(y, s), true)),
            _ => None,
        }
    }

    /// `[ruim] twee weken [geleden|later]`, `enkele dagen`, `vier maanden`; with `forward`
    /// (after Dutch `over`) a count forward from publication.
    fn count(&self, i: usize, forward: bool) -> Option<Hit> {
        let mut j = i;
        let approx = self.at(j) == W::Approx;
        if approx {
            j += 1;
        }
        let n = match self.at(j) {
            W::Count(1) if self.at(j + 1) == W::Few => {
                j += 1;
                None
            }
            W::Count(n) => Some(n),
            W::Num { n, ordinal: false, digits } if digits <= 3 && n > 0 => Some(n),
            W::Few => None,
            _ => return None,
        };
        j += 1;
        if n.is_none() && self.at(j) == W::Prep(Prep::Of) {
            j += 1; // `a couple of`
        }
        let W::Unit(unit, _) = self.at(j) else { return None };
        let after = self.at(j + 1);
        let end = j + 2;
        let unknown = When::None(Granularity::Unknown);
        // A bare duration (`vier maanden`, `enkele weken`) is not placed in time and is left
        // out, like ages and frequencies.
        match (after, n) {
            (W::Ago, Some(n)) if !forward => Some((end, self.anchor.ago(unit, i64::from(n)), false)),
            (W::Ago, None) if !forward => Some((end, unknown, false)),
            (W::After | W::Part(Part::Later | Part::Earlier), _) if !forward => Some((end, unknown, false)),
            (_, Some(n)) if forward => Some((j + 1, self.anchor.ago(unit, -i64::from(n)), false)),
            (_, None) if forward => Some((j + 1, unknown, false)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::run;
    use crate::ingest::text::parse_text;

    /// Every word literal of the functions `classify` reads by name is in `TIME_WORDS`.
    #[test]
    fn time_words_cover_classify() {
        let src = include_str!("times.rs");
        let body = |from: &str| {
            let a = src.find(from).expect(from);
            let b = a + src[a..].find("\n}\n").expect("end of fn");
            &src[a..b]
        };
        let classify = body("fn classify_word(");
        let tail = &classify[classify.find("    match low {").expect("match low")..];
        let mut checked = 0;
        for part in [
            body("fn month_name("),
            body("fn month_abbr("),
            body("fn weekday_name("),
            body("fn number_word("),
            tail,
        ] {
            for (k, lit) in part.split('"').enumerate() {
                if k % 2 == 1 {
                    assert!(TIME_WORDS.contains(lit), "{lit} missing from TIME_WORDS_LIST");
                    checked += 1;
                }
            }
        }
        assert!(checked > 200, "{checked}");
    }

    /// `(text, value, granularity)` of every time expression, checking that each span (in
    /// characters, as `run` returns them) holds the text.
    fn times(
        text: &str,
        lang: &str,
        published: Option<Published>,
    ) -> Vec<(String, Option<String>, Granularity)> {
        let a = run(&[&TimeAnnotator], text, lang, published);
        let chars: Vec<char> = text.chars().collect();
        a.times
            .into_iter()
            .map(|t| {
                assert_eq!(chars[t.start..t.end].iter().collect::<String>(), t.text);
                (t.text, t.value, t.granularity)
            })
            .collect()
    }

    fn find(found: &[(String, Option<String>, Granularity)], text: &str) -> (Option<String>, Granularity) {
        let hit = found.iter().find(|t| t.0 == text);
        let hit = hit.unwrap_or_else(|| panic!("`{text}` not found in {found:?}"));
        (hit.1.clone(), hit.2)
    }

    fn day(v: &str) -> (Option<String>, Granularity) {
        (Some(v.to_string()), Granularity::Day)
    }

    fn month(v: &str) -> (Option<String>, Granularity) {
        (Some(v.to_string()), Granularity::Month)
    }

    fn tuesday() -> Option<Published> {
        // 2025-11-04 was a Tuesday.
        Published::day(2025, 11, 4)
    }

    fn seed(name: &str) -> Option<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/");
        match std::fs::read_to_string(format!("{dir}{name}")) {
            Ok(s) => Some(s),
            Err(_) => {
                println!("seed {name} not found; skipping");
                None
            }
        }
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(iso_week(days_from_civil(2025, 10, 28)), (2025, 44));
        assert_eq!(iso_week(days_from_civil(2017, 10, 14)), (2017, 41));
        // 2021-01-03 belongs to the last week of 2020; 2024-12-30 to week 1 of 2025.
        assert_eq!(iso_week(days_from_civil(2021, 1, 3)), (2020, 53));
        assert_eq!(iso_week(days_from_civil(2024, 12, 30)), (2025, 1));
    }

    #[test]
    fn weekday_helper() {
        let p = tuesday().unwrap();
        assert_eq!(resolve_weekday(p, 6), day("2025-11-02"));
        assert_eq!(resolve_weekday(p, 1), day("2025-11-04"));
        assert_eq!(resolve_weekday(p, 2), day("2025-10-29"));
        assert_eq!(resolve_weekday(Published::month(2017, 10).unwrap(), 6), month("2017-10"));
    }

    #[test]
    fn relative_days_and_weeks_in_a_dated_article() {
        let text = "De wethouder sprak zondag met omwonenden. Vorige week sloot de gemeente de \
                    Thorbeckebrug. Gisteren vergaderde de raad tot laat, eergisteren was er een \
                    inspraakavond. Afgelopen weekend stond het verkeer vast. Vanavond praat de \
                    raad verder en morgen valt het besluit. Twee weken geleden waarschuwde \
                    Rijkswaterstaat al; drie dagen later volgde een tweede brief.";
        let t = times(text, "nl", tuesday());
        assert_eq!(find(&t, "zondag"), day("2025-11-02"));
        assert_eq!(find(&t, "Vorige week"), (Some("2025-W44".into()), Granularity::Week));
        assert_eq!(find(&t, "Gisteren"), day("2025-11-03"));
        assert_eq!(find(&t, "eergisteren"), day("2025-11-02"));
        assert_eq!(find(&t, "Afgelopen weekend"), (Some("2025-11-01".into()), Granularity::Weekend));
        assert_eq!(find(&t, "Vanavond"), day("2025-11-04"));
        assert_eq!(find(&t, "morgen"), day("2025-11-05"));
        assert_eq!(find(&t, "Twee weken geleden"), (Some("2025-W43".into()), Granularity::Week));
        assert_eq!(find(&t, "drie dagen later"), (None, Granularity::Unknown));
        assert_eq!(t.len(), 9, "{t:?}");
    }

    #[test]
    fn vanaf_in_a_past_clause_points_back() {
        let text = "Met gestolen wachtwoorden konden de inbrekers vanaf eind september ongezien \
                    meekijken. Het bedrijf heeft voor maandag een overleg aangevraagd. De nieuwe \
                    regels gelden vanaf januari, zo besloot de raad. De top staat gepland voor juli.";
        let t = times(text, "nl", tuesday());
        assert_eq!(find(&t, "vanaf eind september"), month("2025-09"));
        assert_eq!(find(&t, "maandag"), day("2025-11-10"));
        assert_eq!(find(&t, "vanaf januari"), month("2026-01"));
        assert_eq!(find(&t, "juli"), month("2026-07"));
        let en = "The attackers had access to the system from late September. Prices will rise \
                  from January.";
        let t = times(en, "en", tuesday());
        assert_eq!(find(&t, "late September"), month("2025-09"));
        assert_eq!(find(&t, "January"), month("2026-01"));
    }

    #[test]
    fn weekdays_with_modifiers_and_parts_of_the_day() {
        let text = "Op zaterdagavond brak brand uit. Afgelopen dinsdag werd de dader opgepakt. \
                    Komende dinsdag komt hij voor de rechter, vorige week woensdag werd hij al \
                    verhoord. Deze vrijdag is er een herdenking.";
        let t = times(text, "nl", tuesday());
        assert_eq!(find(&t, "zaterdagavond"), day("2025-11-01"));
        assert_eq!(find(&t, "Afgelopen dinsdag"), day("2025-10-28"));
        assert_eq!(find(&t, "Komende dinsdag"), day("2025-11-11"));
        assert_eq!(find(&t, "vorige week woensdag"), day("2025-10-29"));
        assert_eq!(find(&t, "Deze vrijdag"), day("2025-11-07"));
    }

    #[test]
    fn tense_decides_past_or_coming_days_and_months() {
        // Published on Wednesday 2025-11-12.
        let text = "De raad debatteert maandag over het plan. De wethouder zei maandag dat hij \
                    het steunt. Vrijdag beslist het college. De bouw begint in maart, de brug \
                    ging in maart al dicht. Vanaf donderdag geldt een omleiding, sinds dinsdag \
                    rijden er bussen. Tussen januari en juni daalde het verkeer.";
        let t = times(text, "nl", Published::day(2025, 11, 12));
        let values: Vec<_> = t.iter().map(|x| (x.0.as_str(), x.1.as_deref().unwrap_or(""))).collect();
        assert_eq!(
            values,
            [
                ("maandag", "2025-11-17"),
                ("maandag", "2025-11-10"),
                ("Vrijdag", "2025-11-14"),
                ("maart", "2026-03"),
                ("maart", "2025-03"),
                ("Vanaf donderdag", "2025-11-13"),
                ("sinds dinsdag", "2025-11-11"),
                ("januari", "2025-01"),
                ("juni", "2025-06"),
            ]
        );
        // Without a tense cue a date without a year stays within about three months ahead.
        let t = times("De uitspraak staat gepland op 3 februari.", "nl", Published::day(2025, 11, 12));
        assert_eq!(find(&t, "3 februari"), day("2026-02-03"));
    }

    #[test]
    fn absolute_dates() {
        let text = "Op 14 november 2017 viel het besluit. Dinsdag 14 november vergaderde de raad. \
                    Het rapport van 14/11/2017 en het verslag van 2017-11-14 zeggen hetzelfde, \
                    net als de brief van 14.11.2017. Op 3 december volgt een hoorzitting.";
        let p = Published::day(2017, 11, 20);
        let t = times(text, "nl", p);
        assert_eq!(find(&t, "14 november 2017"), day("2017-11-14"));
        assert_eq!(find(&t, "Dinsdag 14 november"), day("2017-11-14"));
        assert_eq!(find(&t, "14/11/2017"), day("2017-11-14"));
        assert_eq!(find(&t, "2017-11-14"), day("2017-11-14"));
        assert_eq!(find(&t, "14.11.2017"), day("2017-11-14"));
        assert_eq!(find(&t, "3 december"), day("2017-12-03"));
        // Early in a year, a December date without a year is the previous December.
        let t = times("De brand van 28 december houdt de stad bezig.", "nl", Published::day(2018, 1, 9));
        assert_eq!(find(&t, "28 december"), day("2017-12-28"));
    }

    #[test]
    fn english_dates_and_relatives() {
        let text = "The council met on Sunday. On November 14, 2017 it voted, and on 14 Nov. it \
                    met again. Last week the mayor resigned; earlier this month two aldermen left. \
                    Last weekend was quiet. Yesterday the party said it would try again next year. \
                    Three days ago it lost a vote; may it win soon.";
        let t = times(text, "en", Published::day(2017, 11, 20));
        assert_eq!(find(&t, "Sunday"), day("2017-11-19"));
        assert_eq!(find(&t, "November 14, 2017"), day("2017-11-14"));
        assert_eq!(find(&t, "14 Nov."), day("2017-11-14"));
        assert_eq!(find(&t, "Last week"), (Some("2017-W46".into()), Granularity::Week));
        assert_eq!(find(&t, "earlier this month"), month("2017-11"));
        assert_eq!(find(&t, "Last weekend"), (Some("2017-11-18".into()), Granularity::Weekend));
        assert_eq!(find(&t, "Yesterday"), day("2017-11-19"));
        assert_eq!(find(&t, "next year"), (Some("2018".into()), Granularity::Year));
        assert_eq!(find(&t, "Three days ago"), day("2017-11-17"));
        assert!(!t.iter().any(|x| x.0.contains("may")), "{t:?}");
    }

    #[test]
    fn months_years_and_parts() {
        let text = "In augustus begon de bouw, in september lag alles stil. Begin november moet \
                    de brug open. Eind oktober, medio oktober en half oktober werd er getest. \
                    Sinds 2014 is de brug in slechte staat; in 2012 en 2013 werd al gewaarschuwd. \
                    In oktober 2016 keurde de raad het plan goed. Vorige maand kwam het rapport, \
                    vorig jaar de begroting en eind dit jaar de oplevering.";
        let t = times(text, "nl", Published::month(2017, 10));
        assert_eq!(find(&t, "augustus"), month("2017-08"));
        assert_eq!(find(&t, "september"), month("2017-09"));
        assert_eq!(find(&t, "Begin november"), month("2017-11"));
        assert_eq!(find(&t, "Eind oktober"), month("2017-10"));
        assert_eq!(find(&t, "medio oktober"), month("2017-10"));
        assert_eq!(find(&t, "half oktober"), month("2017-10"));
        assert_eq!(find(&t, "Sinds 2014"), (Some("2014".into()), Granularity::Year));
        assert_eq!(find(&t, "2012"), (Some("2012".into()), Granularity::Year));
        assert_eq!(find(&t, "2013"), (Some("2013".into()), Granularity::Year));
        assert_eq!(find(&t, "oktober 2016"), month("2016-10"));
        assert_eq!(find(&t, "Vorige maand"), month("2017-09"));
        assert_eq!(find(&t, "vorig jaar"), (Some("2016".into()), Granularity::Year));
        assert_eq!(find(&t, "eind dit jaar"), (Some("2017".into()), Granularity::Year));
    }

    #[test]
    fn seasons() {
        let text = "Dit voorjaar werd de dijk versterkt, vorige zomer was hij nog zwak. In de zomer \
                    van 2015 brak hij bijna door.";
        let t = times(text, "nl", Published::day(2017, 10, 2));
        assert_eq!(find(&t, "Dit voorjaar"), (Some("2017-spring".into()), Granularity::Season));
        assert_eq!(find(&t, "vorige zomer"), (Some("2017-summer".into()), Granularity::Season));
        assert_eq!(find(&t, "de zomer van 2015"), (Some("2015-summer".into()), Granularity::Season));
        let t = times("Vorige zomer was het ook droog.", "nl", Published::day(2017, 7, 10));
        assert_eq!(find(&t, "Vorige zomer"), (Some("2016-summer".into()), Granularity::Season));
    }

    #[test]
    fn month_precision_coarsens_finer_expressions() {
        let text = "De burgemeester sprak zaterdag met de pers. Gisteren volgde een debat en \
                    afgelopen weekend een demonstratie. Vorige week was het rustig.";
        let t = times(text, "nl", Published::month(2017, 10));
        for (text, value, g) in &t {
            assert_eq!((value.as_deref(), *g), (Some("2017-10"), Granularity::Month), "{text}");
        }
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn without_a_publication_date() {
        let text = "Op 14 november 2017 sloot de fabriek, sinds 2014 draaide ze verlies. Zondag \
                    en midden oktober waren er protesten.";
        let t = times(text, "nl", None);
        assert_eq!(find(&t, "14 november 2017"), day("2017-11-14"));
        assert_eq!(find(&t, "sinds 2014"), (Some("2014".into()), Granularity::Year));
        assert_eq!(find(&t, "Zondag"), (None, Granularity::Day));
        assert_eq!(find(&t, "midden oktober"), (None, Granularity::Month));
    }

    #[test]
    fn durations_and_vague_expressions() {
        let text = "Na vier maanden van zware gevechten is het nu stil. Lange tijd leek een \
                    akkoord ver weg; op dit moment praten de partijen, intussen wachten de \
                    bewoners. Zij demonstreerden wekenlang. Enkele jaren geleden was het net zo.";
        let t = times(text, "nl", tuesday());
        assert_eq!(find(&t, "Lange tijd"), (None, Granularity::Unknown));
        assert_eq!(find(&t, "op dit moment"), (None, Granularity::Unknown));
        assert_eq!(find(&t, "wekenlang"), (None, Granularity::Unknown));
        assert_eq!(find(&t, "Enkele jaren geleden"), (None, Granularity::Unknown));
        // A bare duration is not placed in time: `vier maanden`, `nu` and `intussen` are left out.
        assert_eq!(t.len(), 4, "{t:?}");
    }

    #[test]
    fn look_alikes_are_not_times() {
        let text = "De 25 jaar oude man werd in de morgen opgepakt. Jan Smit zei dat een week per \
                    jaar genoeg is. Om 20.07 uur kwam de trein, met 2014 reizigers. Een half \
                    uur later: March on, zei de generaal.";
        let t = times(text, "nl", tuesday());
        assert!(t.is_empty(), "{t:?}");
    }

    #[test]
    fn byte_offsets_after_accented_text() {
        let text = "Één café in Zürich sloot gisteren.";
        let a = run(&[&TimeAnnotator], text, "nl", tuesday());
        let t = &a.times[0];
        assert_eq!(text.chars().skip(t.start).take(t.end - t.start).collect::<String>(), "gisteren");
        let doc = Document::new(text, "nl", tuesday());
        let raw = find_times(&doc);
        assert_eq!(&text[raw[0].start..raw[0].end], "gisteren");
    }

    #[test]
    fn seed_month_precision_report() {
        let Some(s) = seed("000_64d8d240d9b06057.txt") else { return };
        let raw = parse_text(&s);
        assert_eq!(raw.published.map(|p| p.to_string()).as_deref(), Some("2017-10"));
        let t = times(&raw.text, "nl", raw.published);
        assert_eq!(find(&t, "zondag"), month("2017-10"));
        assert_eq!(find(&t, "zaterdag"), month("2017-10"));
        assert_eq!(t.iter().filter(|x| x.0.eq_ignore_ascii_case("zondag")).count(), 2);
        assert_eq!(find(&t, "sinds 2014"), (Some("2014".into()), Granularity::Year));
        assert_eq!(find(&t, "augustus"), month("2017-08"));
        assert_eq!(find(&t, "eerder deze maand"), month("2017-10"));
        assert_eq!(find(&t, "september"), month("2017-09"));
        assert_eq!(find(&t, "Afgelopen weekend"), month("2017-10"));
        assert_eq!(find(&t, "op dit moment"), (None, Granularity::Unknown));
        assert!(!t.iter().any(|x| x.0.eq_ignore_ascii_case("nu")), "{t:?}");
    }

    #[test]
    fn seed_undated_report() {
        let Some(s) = seed("001_f93500ae73deb103.txt") else { return };
        let raw = parse_text(&s);
        let t = times(&raw.text, "nl", raw.published);
        assert_eq!(find(&t, "midden oktober"), (None, Granularity::Month));
        // `vier maanden` (a duration) is not resolved: it is not reported at all.
        assert!(!t.iter().any(|x| x.0.contains("maanden")), "{t:?}");
        assert!(t.iter().all(|x| x.1.is_none()), "{t:?}");
    }
}
