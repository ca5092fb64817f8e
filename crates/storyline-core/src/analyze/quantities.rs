//! Quantities: numbers in digits and in words, with their bounds, their unit or currency and,
//! above all, the thing they count (`zo'n 250 IS-strijders` → 250, about, `strijder` + `IS`).
//!
//! What it reads, Dutch first and English second:
//!
//! - digits with group and decimal separators: a single separator followed by exactly three
//!   digits is a thousands separator (`3.500`, `3,500`), unless it is the language's decimal
//!   mark and a scale word follows (`1,250 miljoen`); otherwise it is a decimal mark (`2,5`,
//!   `2.5`); with both marks the last one is the decimal mark (`1.200,50`, `1,200.50`);
//! - number words (`vijfentwintig`, `twaalfhonderd`, `two hundred and fifty`), scale words
//!   after digits or words (`3,6 miljoen`, `40 miljard`, `$4.6bn`), halves (`anderhalf`,
//!   `tweeënhalf`, `two and a half`), and vague plurals (`tientallen`, `honderden`, `dozens
//!   of`, `tens of thousands`): for a base `b` these get their lower bound `2b` as the value,
//!   the interval `2b..10b−1` and `approx`; likewise `een paar`/`a few` is 2 in 2..4,
//!   `enkele` 2 in 2..9, `een handvol`/`a handful` 3 in 3..9;
//! - ranges (`zes tot zeven`, `10 à 12`, `10-12`, `tussen de 200 en 300`, `between 200 and
//!   300`): the value is the midpoint, `min` and `max` the ends;
//! - approximators and bounds before the number: `zo'n`, `ongeveer`, `circa`, `about` set
//!   `approx` with an interval of ±5 % (narrow on purpose, so that `275` and `zo'n 250` still
//!   disagree); `meer dan`, `minstens`, `more than` set `min` (and `ruim` also `approx`);
//!   `hooguit`, `maximaal`, `tot`, `up to` set `max`; `bijna`, `een kleine`, `nearly` set `max`
//!   to the value and `min` to 90 % of it, approximately;
//! - a currency (`€`, `$`, `US $`, `euro`, `dollars` → `EUR`, `USD`, ...) or a unit (`km`,
//!   `procent`, `hours`, ...) after the number, normalised to ISO codes for money and to
//!   Dutch singular names otherwise (`kilometer`, `%`, `uur`, `jaar`, `km/u`) in both
//!   languages; a unit is never the counted noun; after a measure (not money, time or `%`)
//!   the next noun is what is measured (`400 ton kunststofkorrels`, `150 kilometer file`);
//! - otherwise the counted noun: the first plural-looking word after the number, past
//!   attributive adjectives (`tientallen buitenlandse strijders`), lemmatised with Dutch and
//!   English plural rules (`familieleden` → `familielid`, `bussen` → `bus`, `women` →
//!   `woman`). Adjectives are kept as written as modifiers; a capitalised or acronym compound
//!   part becomes a modifier (`IS-strijders` → `strijder` + `IS`); an acronym with `'ers`
//!   becomes `strijder` for armed groups and `lid` otherwise (`IS'ers` → `strijder` + `IS`,
//!   `PVV'ers` → `lid` + `PVV`); a following `van`/`of` with a name adds that name as a
//!   modifier without being part of the text (`voertuigen van IS`);
//! - a bare number right after a counted one takes its noun (elliptic: `bijna 4.200
//!   werknemers, van wie ongeveer 1.900 in Nederland` → 1.900 `werknemer`), within the same
//!   or the next sentence.
//!
//! Not quantities: years (4-digit numbers 1900–2100 without a counted noun, unit or currency,
//! or after a date preposition), dates (`14 augustus`, `October 15`), clock times (`14:32`,
//! `om 18.00 uur`, `om twee uur`, `maandagavond 22 uur`), scores (`3-1`), fractions and dates
//! with a slash, numbers with a leading zero or in groups (phone numbers), page and article
//! numbers (`p. 3`, `artikel 5`), ages in parentheses (`Dirk Verbeke (58)`), model numbers
//! and versions that count nothing (`Boeing 747`, `de 787`, `iPhone 4`, `4.0` in Dutch),
//! numbers inside named entities, durations that point at a time (`drie dagen geleden`,
//! `over twee weken`), and a bare `een`/`één`/`one` that counts nothing.

use super::stem::is_stopword;
use super::table::{word_set, WordSet};
use super::{Analysis, Annotator, Document, Entity, Quantity, Token, TokenKind};

/// Finds quantities and what they count.
#[derive(Debug, Default, Clone, Copy)]
pub struct QuantityAnnotator;

impl Annotator for QuantityAnnotator {
    fn name(&self) -> &'static str {
        "quantities"
    }

    fn annotate(&self, doc: &Document<'_>, out: &mut Analysis) {
        let found = find_quantities(doc, &out.entities);
        out.quantities.extend(found);
    }
}

/// All quantities of a document in text order, with byte offsets. `entities` (byte offsets)
/// keeps numbers inside names out and names the owner in `voertuigen van IS`.
pub fn find_quantities(doc: &Document<'_>, entities: &[Entity]) -> Vec<Quantity> {
    let low = lowercase_aligned(doc.text);
    let mut ents: Vec<(usize, usize)> = entities.iter().map(|e| (e.start, e.end)).collect();
    ents.sort_unstable();
    let nl = !matches!(doc.language, "en");
    let mut out: Vec<Quantity> = Vec::new();
    // The last counted noun and its sentence, for elliptic numbers: `bijna 4.200
    // werknemers, van wie ongeveer 1.900 in Nederland`.
    let mut last_noun: Option<(usize, String)> = None;
    for (si, span) in doc.sentences.iter().enumerate() {
        let toks = &doc.tokens[doc.tokens_in(*span)];
        let scan =
            Scan { text: doc.text, low: &low, toks, nl, lang: if nl { "nl" } else { "en" }, ents: &ents };
        let mut i = 0;
        while i < toks.len() {
            match scan.quantity_at(i) {
                Step::Found(mut q, next, elliptic) => {
                    match (&q.noun, &last_noun) {
                        (Some(noun), _) => last_noun = Some((si, noun.clone())),
                        (None, Some((at, noun))) if elliptic && si <= at + 1 => q.noun = Some(noun.clone()),
                        _ => {}
                    }
                    out.push(*q);
                    i = next.max(i + 1);
                }
                Step::Skip(next) => i = next.max(i + 1),
                Step::Nothing => i += 1,
            }
        }
    }
    out
}

/// A copy of the text in lowercase with the same byte offsets (characters whose lowercase has
/// another length stay as they are).
fn lowercase_aligned(text: &str) -> String {
    let mut s = text.to_ascii_lowercase();
    if text.is_ascii() {
        return s;
    }
    // The other characters, where their lowercase has the same length.
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(skip) = bytes[at..].iter().position(|b| !b.is_ascii()) {
        at += skip;
        let Some(c) = text[at..].chars().next() else { break };
        let mut l = c.to_lowercase();
        if let (Some(lc), None) = (l.next(), l.next()) {
            if lc != c && lc.len_utf8() == c.len_utf8() {
                let mut buf = [0u8; 4];
                s.replace_range(at..at + c.len_utf8(), lc.encode_utf8(&mut buf));
            }
        }
        at += c.len_utf8();
    }
    s
}

enum Step {
    /// A quantity, the token after it, and whether it may take the last counted noun.
    Found(Box<Quantity>, usize, bool),
    Skip(usize),
    Nothing,
}

/// What a word before the number does to it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    /// `zo'n`, `ongeveer`, `about`.
    Approx,
    /// `meer dan`, `minstens`, `at least`.
    Min,
    /// `ruim`, `just over`.
    MinApprox,
    /// `hooguit`, `maximaal`, `tot`, `up to`.
    Max,
    /// `bijna`, `een kleine`, `nearly`.
    NearMax,
    /// `tussen`, `between`: a range follows.
    Between,
}

/// A number as read, before the unit and the noun.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    approx: bool,
    /// Token indexes `start..end`.
    start: usize,
    end: usize,
    /// Written in digits.
    digits: bool,
    /// A plain four-digit number that could be a year.
    year: bool,
    /// A plain integer without separators (model numbers, clock hours).
    plain: bool,
    /// `18.00`: one dot and two digits after it.
    dot_two: bool,
    /// The decimal mark is the other language's (`4.0` in Dutch text: often a version).
    foreign_mark: bool,
    /// Powers of ten from scale words (`miljoen` = 6).
    scale: i32,
    /// A vague plural or `enkele`, `een paar`.
    vague: bool,
    /// A range written with a hyphen and no spaces (`10-12`, but also the score `1-3`).
    tight: bool,
    /// Unit glued to the digits (`10km`).
    unit: Option<&'static str>,
}

impl Num {
    fn new(value: f64, start: usize, end: usize) -> Num {
        Num {
            value,
            min: None,
            max: None,
            approx: false,
            start,
            end,
            digits: false,
            year: false,
            plain: false,
            dot_two: false,
            foreign_mark: false,
            tight: false,
            scale: 0,
            vague: false,
            unit: None,
        }
    }

    fn vague(base: f64, start: usize, end: usize) -> Num {
        let mut n = Num::new(2.0 * base, start, end);
        n.min = Some(2.0 * base);
        n.max = Some(10.0 * base - 1.0);
        n.approx = true;
        n.vague = true;
        n
    }

    fn few(value: f64, min: f64, max: f64, start: usize, end: usize) -> Num {
        let mut n = Num::new(value, start, end);
        (n.min, n.max, n.approx, n.vague) = (Some(min), Some(max), true, true);
        n
    }

    fn times(&mut self, factor: f64) {
        self.value *= factor;
        self.min = self.min.map(|m| m * factor);
        self.max = self.max.map(|m| m * factor);
    }

    fn apply(&mut self, b: Bound) {
        match b {
            Bound::Approx => {
                self.approx = true;
                if self.min.is_none() && self.max.is_none() {
                    self.min = Some(self.value - self.value / 20.0);
                    self.max = Some(self.value + self.value / 20.0);
                }
            }
            Bound::Min | Bound::MinApprox => {
                self.min = Some(self.min.unwrap_or(self.value));
                self.max = None;
                self.approx |= b == Bound::MinApprox;
            }
            Bound::Max => {
                self.max = Some(self.max.unwrap_or(self.value));
                self.min = None;
            }
            Bound::NearMax => {
                let top = self.max.filter(|_| self.vague).unwrap_or(self.value);
                self.max = Some(top);
                self.min = Some(top - top / 10.0);
                self.approx = true;
            }
            Bound::Between => {}
        }
    }
}

/// `mant × 10^exp`, exact for the usual sizes.
fn dec(mant: u64, exp: i32) -> f64 {
    if exp >= 0 {
        mant as f64 * 10f64.powi(exp)
    } else {
        mant as f64 / 10f64.powi(-exp)
    }
}

/// A number written in digits.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Digits {
    mant: u64,
    frac: i32,
    plain: bool,
    leading_zero: bool,
    int_len: usize,
    dot_two: bool,
    /// The decimal mark, if any (`b'.'` or `b','`).
    mark: u8,
}

/// Reads `3.500`, `2,5`, `1.200.000`, `1,200.50`; `None` for versions and dates (`1.1.1`).
fn read_digits(s: &str, nl: bool, scale_follows: bool) -> Option<Digits> {
    let b = s.as_bytes();
    let mut seps = [(0usize, 0u8); 12];
    let mut count = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' || c == b',' {
            if count == seps.len() {
                return None;
            }
            seps[count] = (i, c);
            count += 1;
        } else if !c.is_ascii_digit() {
            return None;
        }
    }
    let leading_zero = b.len() > 1 && b[0] == b'0' && b[1].is_ascii_digit();
    // Index (into `seps`) of the decimal mark.
    let decimal = if count == 0 {
        None
    } else {
        let last = seps[count - 1];
        let mixed = seps[..count].iter().any(|x| x.1 != last.1);
        if mixed {
            if seps[..count - 1].iter().any(|x| x.1 == last.1) {
                return None;
            }
            Some(count - 1)
        } else if count >= 2 {
            None
        } else {
            let frac_len = b.len() - last.0 - 1;
            let grouping = frac_len == 3 && (1..=3).contains(&last.0) && b[0] != b'0';
            let lang_decimal = if nl { b',' } else { b'.' };
            if grouping && !(last.1 == lang_decimal && scale_follows) {
                None
            } else {
                Some(0)
            }
        }
    };
    let groups = decimal.unwrap_or(count);
    if groups > 0 {
        if seps[0].0 == 0 || seps[0].0 > 3 {
            return None;
        }
        let group_end = decimal.map_or(b.len(), |d| seps[d].0);
        for k in 0..groups {
            let end = if k + 1 < groups { seps[k + 1].0 } else { group_end };
            if end - seps[k].0 - 1 != 3 {
                return None;
            }
        }
    }
    let mut mant: u64 = 0;
    let mut n_digits = 0;
    for &c in b {
        if c.is_ascii_digit() {
            n_digits += 1;
            if n_digits > 18 {
                return None;
            }
            mant = mant * 10 + u64::from(c - b'0');
        }
    }
    let frac = decimal.map_or(0, |d| (b.len() - seps[d].0 - 1) as i32);
    let int_len = if count == 0 { b.len() } else { seps[0].0 };
    let dot_two = count == 1 && seps[0].1 == b'.' && b.len() - seps[0].0 - 1 == 2;
    let mark = decimal.map_or(0, |d| seps[d].1);
    Some(Digits { mant, frac, plain: count == 0, leading_zero, int_len, dot_two, mark })
}

/// Powers of ten of a scale word (`miljoen` = 6). `m` and `k` only count with a currency.
fn scale_exp(w: &str, money: bool) -> Option<i32> {
    Some(match w {
        "honderd" | "hundred" => 2,
        "duizend" | "thousand" => 3,
        "miljoen" | "million" | "mln" | "mio" | "mn" => 6,
        "miljard" | "billion" | "mld" | "mrd" | "bn" | "bln" => 9,
        "biljoen" | "trillion" | "tn" => 12,
        "m" if money => 6,
        "k" if money => 3,
        _ => return None,
    })
}

/// Dutch numbers below twenty, without the article `een`.
fn nl_small(w: &str) -> Option<u64> {
    Some(match w {
        "nul" => 0,
        "één" | "eén" | "éen" => 1,
        "twee" => 2,
        "drie" => 3,
        "vier" => 4,
        "vijf" => 5,
        "zes" => 6,
        "zeven" => 7,
        "acht" => 8,
        "negen" => 9,
        "tien" => 10,
        "elf" => 11,
        "twaalf" => 12,
        "dertien" => 13,
        "veertien" => 14,
        "vijftien" => 15,
        "zestien" => 16,
        "zeventien" => 17,
        "achttien" => 18,
        "negentien" => 19,
        _ => return None,
    })
}

const NL_TENS: [(&str, u64); 8] = [
    ("twintig", 20),
    ("dertig", 30),
    ("veertig", 40),
    ("vijftig", 50),
    ("zestig", 60),
    ("zeventig", 70),
    ("tachtig", 80),
    ("negentig", 90),
];

/// A Dutch unit inside a compound (`een` allowed: `eenentwintig`).
fn nl_unit(w: &str) -> Option<u64> {
    if w == "een" {
        return Some(1);
    }
    nl_small(w).filter(|v| (1..10).contains(v))
}

fn nl_below_100(w: &str) -> Option<u64> {
    if let Some(v) = nl_small(w) {
        return Some(v);
    }
    for (t, v) in NL_TENS {
        if w == t {
            return Some(v);
        }
        if let Some(rest) = w.strip_suffix(t) {
            let unit = rest.strip_suffix("en").or_else(|| rest.strip_suffix("ën"))?;
            return nl_unit(unit).map(|u| u + v);
        }
    }
    None
}

/// Where `needle` first occurs in `hay` (as [`str::find`], without building a searcher).
fn find_in(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    if h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i] == first && &h[i..i + n.len()] == n)
}

/// Whether `w` ends the way every Dutch number word ends (a unit, a teen, `-tig`, `honderd`
/// or `duizend`): a quick test before taking the word apart.
fn may_be_nl_number(w: &str) -> bool {
    match w.as_bytes().last() {
        Some(b'g') => w.ends_with("tig"),
        Some(b'd') => w.ends_with("honderd") || w.ends_with("duizend"),
        Some(b'l') => w.ends_with("nul"),
        Some(b'n') => {
            w.ends_with("één")
                || w.ends_with("eén")
                || w.ends_with("éen")
                || w.ends_with("zeven")
                || w.ends_with("negen")
                || w.ends_with("tien")
        }
        Some(b'e') => w.ends_with("twee") || w.ends_with("drie"),
        Some(b'r') => w.ends_with("vier"),
        Some(b'f') => w.ends_with("vijf") || w.ends_with("elf") || w.ends_with("twaalf"),
        Some(b's') => w.ends_with("zes"),
        Some(b't') => w.ends_with("acht"),
        _ => false,
    }
}

fn nl_below_1000(w: &str) -> Option<u64> {
    if let Some(p) = find_in(w, "honderd") {
        let (left, right) = (&w[..p], &w[p + "honderd".len()..]);
        let l = if left.is_empty() { 1 } else { nl_below_100(left).or_else(|| nl_unit(left))? };
        let r = if right.is_empty() { 0 } else { nl_below_100(right.strip_prefix("en").unwrap_or(right))? };
        return Some(l * 100 + r);
    }
    nl_below_100(w)
}

/// A Dutch number word, compounds included (`vijfentwintig`, `twaalfhonderd`,
/// `tweeduizendvijfhonderd`); not the bare article `een`.
fn nl_number(w: &str) -> Option<u64> {
    if w.len() > 60 || w == "een" || !may_be_nl_number(w) {
        return None;
    }
    nl_thousands(w)
}

/// [`nl_number`] without its quick tests.
fn nl_thousands(w: &str) -> Option<u64> {
    if let Some(p) = find_in(w, "duizend") {
        let (left, right) = (&w[..p], &w[p + "duizend".len()..]);
        let l = if left.is_empty() { 1 } else { nl_below_1000(left).or_else(|| nl_unit(left))? };
        let r = if right.is_empty() { 0 } else { nl_below_1000(right.strip_prefix("en").unwrap_or(right))? };
        return Some(l * 1000 + r);
    }
    nl_below_1000(w)
}

fn en_small(w: &str) -> Option<u64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// An English number word below a hundred (`twenty-five`).
fn en_number(w: &str) -> Option<u64> {
    if let Some(v) = en_small(w) {
        return Some(v);
    }
    let p = w.find('-')?;
    let (t, u) = (en_small(&w[..p])?, en_small(&w[p + 1..])?);
    (t >= 20 && t % 10 == 0 && (1..10).contains(&u)).then_some(t + u)
}

/// The value of a lowercase Dutch or English number word (`veertien`, `twenty-two`).
pub fn number_word(w: &str) -> Option<u64> {
    nl_number(w).or_else(|| en_number(w))
}

/// The base of a vague plural (`honderden` = 100).
fn vague_base(w: &str) -> Option<f64> {
    Some(match w {
        "tientallen" | "tens" => 10.0,
        "dozijnen" | "dozens" => 12.0,
        "scores" => 20.0,
        "honderden" | "hundreds" => 100.0,
        "duizenden" | "thousands" => 1e3,
        "tienduizenden" => 1e4,
        "honderdduizenden" => 1e5,
        "miljoenen" | "millions" => 1e6,
        "miljarden" | "billions" => 1e9,
        _ => return None,
    })
}

/// A unit after a number, normalised.
fn unit_word(w: &str, money: bool) -> Option<&'static str> {
    Some(match w {
        "%" | "procent" | "percent" | "pct" => "%",
        "procentpunt" | "procentpunten" => "procentpunt",
        "km" | "kilometer" | "kilometers" | "kilometre" | "kilometres" => "kilometer",
        "m" if !money => "meter",
        "meter" | "meters" | "metre" | "metres" => "meter",
        "cm" | "centimeter" | "centimeters" | "centimetre" | "centimetres" => "centimeter",
        "mm" | "millimeter" | "millimeters" | "millimetre" | "millimetres" => "millimeter",
        "mijl" | "mijlen" | "mile" | "miles" => "mijl",
        "zeemijl" | "zeemijlen" => "zeemijl",
        "voet" | "feet" | "foot" | "ft" => "voet",
        "inch" | "inches" | "duim" => "inch",
        "kg" | "kilo" | "kilo's" | "kilo’s" | "kilogram" | "kilograms" | "kilogrammes" | "kilos" => "kilo",
        "gram" | "grammen" | "grams" => "gram",
        "ton" | "tonnen" | "tons" | "tonnes" | "tonne" => "ton",
        "liter" | "liters" | "litre" | "litres" => "liter",
        "vaten" | "barrels" | "barrel" | "vat" => "vat",
        "hectare" | "hectares" | "ha" => "hectare",
        "seconde" | "seconden" | "second" | "seconds" | "sec" => "seconde",
        "minuut" | "minuten" | "minute" | "minutes" | "min" => "minuut",
        "uur" | "uren" | "hour" | "hours" => "uur",
        "etmaal" | "etmalen" | "dag" | "dagen" | "day" | "days" => "dag",
        "week" | "weken" | "weeks" => "week",
        "maand" | "maanden" | "month" | "months" => "maand",
        "jaar" | "jaren" | "year" | "years" => "jaar",
        "decennium" | "decennia" | "decade" | "decades" => "decennium",
        "eeuw" | "eeuwen" | "century" | "centuries" => "eeuw",
        "graden" | "graad" | "degrees" | "degree" => "graden",
        "keer" | "maal" | "times" => "keer",
        "mph" => "mijl per uur",
        "lb" | "lbs" => "pond (gewicht)",
        "gigabyte" | "gigabytes" | "gb" => "gigabyte",
        "megawatt" | "mw" => "megawatt",
        "euro" | "euro's" | "euro’s" | "euros" | "eur" => "EUR",
        "dollar" | "dollars" | "usd" | "us-dollar" => "USD",
        "pond" | "pound" | "pounds" | "gbp" => "GBP",
        "yen" | "jpy" => "JPY",
        "yuan" | "renminbi" | "cny" => "CNY",
        "frank" | "franc" | "francs" | "chf" => "CHF",
        "roebel" | "roebels" | "rubles" | "roubles" | "rub" => "RUB",
        "roepie" | "roepies" | "rupee" | "rupees" | "inr" => "INR",
        _ => return None,
    })
}

fn is_time_unit(u: &str) -> bool {
    matches!(u, "seconde" | "minuut" | "uur" | "dag" | "week" | "maand" | "jaar" | "decennium" | "eeuw")
}

fn is_money(u: &str) -> bool {
    u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase())
}

fn month(w: &str) -> bool {
    matches!(
        w,
        "januari"
            | "februari"
            | "maart"
            | "april"
            | "mei"
            | "juni"
            | "juli"
            | "augustus"
            | "september"
            | "oktober"
            | "november"
            | "december"
            | "january"
            | "february"
            | "march"
            | "may"
            | "june"
            | "july"
            | "august"
            | "october"
            | "jan"
            | "feb"
            | "mrt"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "okt"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Words after which a four-digit number is a year.
fn date_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "sinds"
            | "sedert"
            | "vanaf"
            | "van"
            | "tot"
            | "na"
            | "voor"
            | "tussen"
            | "eind"
            | "einde"
            | "begin"
            | "medio"
            | "midden"
            | "omstreeks"
            | "jaar"
            | "jaren"
            | "zomer"
            | "winter"
            | "lente"
            | "herfst"
            | "voorjaar"
            | "najaar"
            | "since"
            | "from"
            | "until"
            | "till"
            | "by"
            | "before"
            | "after"
            | "during"
            | "early"
            | "late"
            | "mid"
            | "year"
            | "of"
            | "en"
            | "and"
    )
}

/// Words after which a number is an identifier, not an amount.
fn id_word(w: &str) -> bool {
    matches!(
        w,
        "artikel"
            | "art"
            | "nummer"
            | "nr"
            | "no"
            | "nos"
            | "pagina"
            | "pag"
            | "p"
            | "pp"
            | "blz"
            | "hoofdstuk"
            | "paragraaf"
            | "versie"
            | "version"
            | "page"
            | "number"
            | "chapter"
            | "article"
            | "section"
            | "sectie"
            | "lijn"
            | "route"
            | "vlucht"
            | "flight"
            | "kamer"
            | "room"
            | "code"
            | "postcode"
            | "telefoon"
            | "tel"
            | "level"
            | "fase"
            | "phase"
            | "editie"
            | "aflevering"
            | "episode"
            | "spoor"
            | "platform"
            | "gate"
            | "#"
    )
}

/// Armed groups whose `'ers` are fighters (`IS'ers`); other acronyms give members (`PVV'ers`).
fn armed_group(acronym: &str) -> bool {
    matches!(
        acronym,
        "IS" | "ISIS"
            | "ISIL"
            | "PKK"
            | "YPG"
            | "SDF"
            | "FSA"
            | "HTS"
            | "FARC"
            | "ETA"
            | "IRA"
            | "UCK"
            | "ELN"
            | "RUF"
    )
}

/// Finite verbs and participles that follow a number without a noun (`250 vertrokken`).
fn nl_verb(w: &str) -> bool {
    matches!(
        w,
        "zijn"
            | "waren"
            | "hebben"
            | "hadden"
            | "worden"
            | "werden"
            | "kunnen"
            | "konden"
            | "moeten"
            | "moesten"
            | "mogen"
            | "mochten"
            | "zullen"
            | "zouden"
            | "willen"
            | "wilden"
            | "gaan"
            | "gingen"
            | "komen"
            | "kwamen"
            | "blijven"
            | "bleven"
            | "krijgen"
            | "kregen"
            | "vallen"
            | "vielen"
            | "raken"
            | "raakten"
            | "sterven"
            | "stierven"
            | "vertrokken"
            | "vluchtten"
            | "staan"
            | "stonden"
            | "liggen"
            | "lagen"
            | "zitten"
            | "zaten"
            | "lopen"
            | "liepen"
            | "deden"
            | "maakten"
            | "zeiden"
            | "gaven"
            | "namen"
            | "lieten"
            | "verlieten"
            | "overleden"
            | "omgekomen"
            | "gedood"
            | "gewond"
            | "gearresteerd"
            | "opgepakt"
            | "gevlucht"
            | "ontsnapt"
            | "vermoord"
            | "verloren"
            | "gewonnen"
            | "bevonden"
            | "leefden"
            | "wonen"
            | "woonden"
            | "werken"
            | "werkten"
            | "vochten"
            | "betaalden"
            | "kostten"
            | "bedroegen"
            | "bedraagt"
            | "telt"
            | "telden"
            | "geleden"
            | "samen"
            | "tegelijk"
            | "tegelijkertijd"
            | "later"
            | "eerder"
            | "allemaal"
            | "laten"
            | "iets"
            | "pas"
            | "vergeleken"
            | "tegenover"
            | "ervan"
            | "daarvan"
            | "anderen"
            | "others"
            | "ago"
    )
}

/// Words after a measure that say what is measured about it, not what is measured
/// (`zes kilometer lang`).
fn measure_adverb(w: &str) -> bool {
    matches!(
        w,
        "lang"
            | "breed"
            | "hoog"
            | "diep"
            | "dik"
            | "oud"
            | "zwaar"
            | "ver"
            | "verder"
            | "verderop"
            | "verwijderd"
            | "groot"
            | "lager"
            | "hoger"
            | "meer"
            | "minder"
            | "extra"
            | "long"
            | "wide"
            | "high"
            | "deep"
            | "old"
            | "away"
            | "tall"
            | "heavy"
            | "per"
    )
}

/// A Dutch past participle (`afgesloten`, `verdwenen`, `geëvacueerd`).
fn participle_like(w: &str) -> bool {
    let mut stem = w;
    for p in [
        "af", "op", "uit", "in", "aan", "door", "over", "mee", "weg", "terug", "vast", "los", "neer", "toe",
        "bij",
    ] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.starts_with("ge") {
                stem = rest;
                break;
            }
        }
    }
    ["ge", "be", "ver", "ont", "her"].iter().any(|p| stem.starts_with(p))
        && (stem.ends_with("en") || stem.ends_with('d') || stem.ends_with('t'))
}

fn looks_plural(w: &str, nl: bool) -> bool {
    let n = w.len();
    if nl {
        (n >= 4 && (w.ends_with("en") || w.ends_with("ën")))
            || (n >= 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is"))
            || w.ends_with("'s")
            || w.ends_with("’s")
            || matches!(w, "musea" | "criteria" | "media" | "data" | "man" | "stuks")
    } else {
        (n >= 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("'s"))
            || matches!(
                w,
                "people"
                    | "men"
                    | "women"
                    | "children"
                    | "police"
                    | "aircraft"
                    | "personnel"
                    | "staff"
                    | "sheep"
                    | "fish"
                    | "cattle"
                    | "feet"
                    | "teeth"
                    | "mice"
                    | "geese"
                    | "crew"
                    | "militia"
            )
            || w.ends_with("men")
    }
}

/// Whether a word has at least two letters and no lowercase ones (`IS`, `VIP`, `F16`).
fn is_acronym(w: &str) -> bool {
    let mut letters = 0;
    for c in w.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2 || (letters == 1 && w.chars().count() >= 2)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Replaces the end `from` of `w` by `to`, when it ends so.
fn swap_suffix(w: &str, from: &str, to: &str) -> Option<String> {
    w.strip_suffix(from).map(|stem| format!("{stem}{to}"))
}

/// Dutch plurals whose singular is not regular, as endings (so compounds follow:
/// `familieleden`, `kleinkinderen`).
const NL_IRREGULAR: &[(&str, &str)] = &[
    ("kinderen", "kind"),
    ("leden", "lid"),
    ("steden", "stad"),
    ("schepen", "schip"),
    ("eieren", "ei"),
    ("kalveren", "kalf"),
    ("runderen", "rund"),
    ("volkeren", "volk"),
    ("liederen", "lied"),
    ("bladeren", "blad"),
    ("goederen", "goed"),
    ("lammeren", "lam"),
    ("heden", "heid"),
    ("musea", "museum"),
    ("criteria", "criterium"),
    ("mensen", "mens"),
    ("vragen", "vraag"),
    ("ogen", "oog"),
    ("spelen", "spel"),
    ("goden", "god"),
    ("glazen", "glas"),
    ("gaten", "gat"),
    ("vaten", "vat"),
    ("paden", "pad"),
    ("baden", "bad"),
    ("daken", "dak"),
    ("sloten", "slot"),
    ("hoven", "hof"),
    ("gebeden", "gebed"),
    ("gemeenten", "gemeente"),
    ("getuigen", "getuige"),
    ("ziekten", "ziekte"),
    ("collega's", "collega"),
    ("lieden", "man"),
    ("ronden", "ronde"),
    ("weduwen", "weduwe"),
];

/// Nouns made from adjectives and participles: the singular drops the `n` (`doden` → `dode`).
const NL_ADJECTIVE_NOUNS: &[&str] = &[
    "doden",
    "gewonden",
    "verdachten",
    "vermisten",
    "gevangenen",
    "betrokkenen",
    "zieken",
    "daklozen",
    "werklozen",
    "jongeren",
    "ouderen",
    "gelovigen",
    "gedetineerden",
    "gesneuvelden",
    "overledenen",
    "nabestaanden",
    "deskundigen",
    "gehandicapten",
    "minderjarigen",
    "volwassenen",
    "illegalen",
    "geëvacueerden",
    "ontheemden",
    "bejaarden",
    "afgevaardigden",
    "gegijzelden",
    "vermoorden",
    "beklaagden",
    "omwonenden",
    "gearresteerden",
    "aangehoudenen",
    "genodigden",
    "gestorvenen",
    "gevluchten",
    "geredden",
    "zwaargewonden",
    "lichtgewonden",
];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The Dutch singular of a plural noun (`strijders` → `strijder`, `bussen` → `bus`,
/// `voertuigen` → `voertuig`, `jaren` → `jaar`, `huizen` → `huis`, `IS'ers` → `IS'er`).
pub fn singular_nl(w: &str) -> String {
    for suffix in ["'s", "’s"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return stem.to_string();
        }
    }
    let lower = w.to_lowercase();
    for (plural, single) in NL_IRREGULAR {
        if lower.ends_with(plural) && lower.is_char_boundary(lower.len() - plural.len()) {
            let cut = w.len() - plural.len();
            if w.is_char_boundary(cut) {
                return format!("{}{}", &w[..cut], single);
            }
        }
    }
    if NL_ADJECTIVE_NOUNS.iter().any(|a| lower.ends_with(a)) {
        return w[..w.len() - 1].to_string();
    }
    if let Some(stem) = w.strip_suffix("ën") {
        return if stem.ends_with('i') { format!("{stem}e") } else { stem.to_string() };
    }
    if w.len() >= 5 {
        if let Some(stem) = w.strip_suffix("en") {
            let b = stem.as_bytes();
            let n = b.len();
            let last = b[n - 1];
            if !last.is_ascii_alphabetic() {
                return w.to_string();
            }
            // `bussen` → `bus`, `raketten` → `raket`.
            if n >= 2 && last == b[n - 2] && !is_vowel(last) {
                return stem[..n - 1].to_string();
            }
            let fixed_last = match last {
                b'z' => 's',
                b'v' => 'f',
                c => c as char,
            };
            let body = &stem[..n - 1];
            // An open syllable: `jaren` → `jaar`, `bomen` → `boom`, `straten` → `straat`.
            let v = if n >= 2 { b[n - 2] } else { 0 };
            let single_vowel = n >= 2
                && matches!(v, b'a' | b'e' | b'o' | b'u')
                && (n == 2 || !is_vowel(b[n - 3]))
                && !is_vowel(last)
                && last != b'g'
                && last != b'w'
                && last != b'j'
                && !(v == b'e' && matches!(last, b'l' | b'r' | b'n') && n > 3);
            if single_vowel {
                return format!("{}{}{}", body, v as char, fixed_last);
            }
            return format!("{body}{fixed_last}");
        }
    }
    if w.len() >= 4 && w.ends_with('s') && !w.ends_with("ss") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// The English singular of a plural noun (`fighters` → `fighter`, `women` → `woman`,
/// `children` → `child`, `casualties` → `casualty`).
pub fn singular_en(w: &str) -> String {
    let lower = w.to_lowercase();
    let irregular = match lower.as_str() {
        "people" => Some("person"),
        "children" => Some("child"),
        "feet" => Some("foot"),
        "teeth" => Some("tooth"),
        "mice" => Some("mouse"),
        "geese" => Some("goose"),
        "lives" => Some("life"),
        "wives" => Some("wife"),
        "knives" => Some("knife"),
        "halves" => Some("half"),
        "thieves" => Some("thief"),
        "wolves" => Some("wolf"),
        "shelves" => Some("shelf"),
        "leaves" => Some("leaf"),
        "series" | "species" | "aircraft" | "sheep" | "fish" | "police" | "staff" | "personnel" | "news"
        | "crew" | "cattle" => Some(lower.as_str()),
        _ => None,
    };
    if let Some(s) = irregular {
        return s.to_string();
    }
    if let Some(s) = swap_suffix(w, "men", "man") {
        return s;
    }
    if w.len() > 4 {
        if let Some(s) = swap_suffix(w, "ies", "y") {
            return s;
        }
        for end in ["sses", "ches", "shes", "xes", "zzes"] {
            if w.ends_with(end) {
                return w[..w.len() - 2].to_string();
            }
        }
    }
    if lower == "buses" || lower == "gases" {
        return w[..w.len() - 2].to_string();
    }
    if w.len() >= 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Words that can open a quantity besides number words: the first words of the bounds in
/// [`Scan::bound`] (both languages), currency codes before a number (lowercase), the vague
/// plurals of [`vague_base`] and the words [`Scan::core`] reads specially. Sorted.
const QUANTITY_STARTS_LIST: &[&str] = &[
    "a",
    "about",
    "almost",
    "an",
    "anderhalf",
    "anderhalve",
    "approx",
    "approximately",
    "around",
    "as",
    "at",
    "au",
    "between",
    "bijna",
    "billions",
    "boven",
    "c",
    "ca",
    "chf",
    "circa",
    "close",
    "dik",
    "dozens",
    "dozijnen",
    "duizenden",
    "een",
    "enkele",
    "estimated",
    "eur",
    "excess",
    "fewer",
    "gbp",
    "grofweg",
    "haast",
    "half",
    "hk",
    "honderdduizenden",
    "honderden",
    "hoogstens",
    "hooguit",
    "hundreds",
    "in",
    "jpy",
    "just",
    "krap",
    "less",
    "many",
    "maximaal",
    "maximum",
    "meer",
    "meerdere",
    "miljarden",
    "miljoenen",
    "millions",
    "minder",
    "minimaal",
    "minimum",
    "minstens",
    "more",
    "naar",
    "nagenoeg",
    "nearly",
    "net",
    "niet",
    "no",
    "nog",
    "nz",
    "om",
    "ong",
    "ongeveer",
    "over",
    "pakweg",
    "plusminus",
    "rond",
    "rondom",
    "roughly",
    "ruim",
    "ruwweg",
    "s",
    "scores",
    "several",
    "some",
    "ten",
    "tenminste",
    "tens",
    "thousands",
    "tienduizenden",
    "tientallen",
    "tot",
    "tussen",
    "under",
    "up",
    "upwards",
    "us",
    "usd",
    "vele",
    "verscheidene",
    "wel",
    "zeker",
    "zo'n",
    "zowat",
    "zo’n",
];
const QUANTITY_STARTS: WordSet = word_set!(QUANTITY_STARTS_LIST);

/// One sentence's tokens and the lowercase text.
struct Scan<'a> {
    text: &'a str,
    low: &'a str,
    toks: &'a [Token],
    nl: bool,
    lang: &'static str,
    ents: &'a [(usize, usize)],
}

impl<'a> Scan<'a> {
    fn lw(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.low[t.start..t.end])
    }

    fn raw(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    /// Whether token `i` and the next one touch (`14:32`).
    fn glued(&self, i: usize) -> bool {
        i + 1 < self.toks.len() && self.toks[i].end == self.toks[i + 1].start
    }

    fn stop(&self, w: &str) -> bool {
        is_stopword(self.lang, w) || (self.nl && nl_verb(w)) || (!self.nl && matches!(w, "ago" | "others"))
    }

    /// Whether offset `at` lies inside a named entity but not at its start.
    fn inside_entity(&self, at: usize) -> bool {
        let k = self.ents.partition_point(|e| e.0 < at);
        k > 0 && self.ents[k - 1].1 > at
    }

    fn entity_at(&self, at: usize) -> Option<(usize, usize)> {
        let k = self.ents.partition_point(|e| e.0 < at);
        self.ents.get(k).copied().filter(|e| e.0 == at)
    }

    /// An approximator or bound at `i`: what it does and where the number starts.
    fn bound(&self, i: usize) -> Option<(Bound, usize)> {
        use Bound::*;
        let (w, w1, w2) = (self.lw(i), self.lw(i + 1), self.lw(i + 2));
        let (b, len) = if self.nl {
            match (w, w1) {
                ("zo'n" | "zo’n" | "ongeveer" | "circa" | "zowat" | "pakweg" | "grofweg" | "ruwweg", _) => {
                    (Approx, 1)
                }
                ("plusminus" | "wel" | "ca" | "ong", ".") => (Approx, 2),
                ("plusminus" | "wel" | "ca" | "ong", _) => (Approx, 1),
                ("rond" | "rondom", "de") => (Approx, 2),
                ("rond" | "rondom", _) => (Approx, 1),
                ("naar", "schatting") => (Approx, 2),
                ("om", "en") if w2 == "nabij" => (Approx, 3 + usize::from(self.lw(i + 3) == "de")),
                ("een", "stuk") if w2 == "of" => (Approx, 3),
                ("een", "kleine") => (NearMax, 2),
                ("een", "goede" | "ruime") => (MinApprox, 2),
                ("meer" | "ruim", "dan") => (if w == "ruim" { MinApprox } else { Min }, 2),
                ("minder", "dan") => (Max, 2),
                ("ruim" | "dik", _) => (MinApprox, 1),
                ("minstens" | "minimaal" | "zeker" | "tenminste", _) => (Min, 1),
                ("ten", "minste") => (Min, 2),
                ("ten", "hoogste") => (Max, 2),
                ("boven", "de") => (Min, 2),
                ("hooguit" | "hoogstens" | "maximaal" | "maximum", _) => (Max, 1),
                ("niet", "meer") if w2 == "dan" => (Max, 3),
                ("nog", "geen") => (Max, 2),
                ("tot", "wel") => (Max, 2),
                ("tot", _) => (Max, 1),
                ("bijna" | "nagenoeg" | "krap" | "haast", _) => (NearMax, 1),
                ("net", "geen" | "onder") => (NearMax, 2),
                ("net", "boven" | "over") => (MinApprox, 2),
                ("tussen", "de") => (Between, 2),
                ("tussen", _) => (Between, 1),
                _ => return None,
            }
        } else {
            match (w, w1) {
                ("about" | "around" | "approximately" | "roughly" | "some" | "circa" | "estimated", _) => {
                    (Approx, 1)
                }
                ("approx" | "ca", ".") => (Approx, 2),
                ("approx" | "ca", _) => (Approx, 1),
                ("an" | "a", "estimated") => (Approx, 2),
                ("as", "many" | "much") if w2 == "as" => (Approx, 3),
                ("more", "than") => (Min, 2),
                ("fewer" | "less", "than") => (Max, 2),
                ("over" | "minimum", _) => (Min, 1),
                ("upwards" | "excess", "of") => (Min, 2),
                ("in", "excess") if w2 == "of" => (Min, 3),
                ("at", "least") => (Min, 2),
                ("at", "most") => (Max, 2),
                ("up", "to") => (Max, 2),
                ("no", "more") if w2 == "than" => (Max, 3),
                ("under" | "maximum", _) => (Max, 1),
                ("nearly" | "almost", _) => (NearMax, 1),
                ("close", "to") => (NearMax, 2),
                ("just", "under" | "below") => (NearMax, 2),
                ("just", "over" | "above") => (MinApprox, 2),
                ("between", _) => (Between, 1),
                _ => return None,
            }
        };
        Some((b, i + len))
    }

    /// A currency before the number (`€`, `$`, `US $`, `EUR`).
    fn currency_before(&self, i: usize) -> Option<(&'static str, usize)> {
        let r = self.raw(i);
        let code = match r {
            "€" => "EUR",
            "$" => "USD",
            "£" => "GBP",
            "¥" => "JPY",
            "₹" => "INR",
            "EUR" | "USD" | "GBP" | "CHF" | "JPY" if self.kind(i + 1) == Some(TokenKind::Number) => {
                return Some((unit_word(self.lw(i), false)?, i + 1));
            }
            "US" | "A" | "AU" | "C" | "CA" | "HK" | "NZ" | "S" if self.raw(i + 1) == "$" => {
                let code = match r {
                    "US" => "USD",
                    "A" | "AU" => "AUD",
                    "C" | "CA" => "CAD",
                    "HK" => "HKD",
                    "NZ" => "NZD",
                    _ => "SGD",
                };
                return Some((code, i + 2));
            }
            _ => return None,
        };
        Some((code, i + 1))
    }

    /// Scale words from `j` on: their powers of ten and where they end.
    fn scales(&self, mut j: usize, money: bool) -> (i32, usize) {
        let mut exp = 0;
        let mut last = 0;
        while let Some(e) = scale_exp(self.lw(j), money) {
            if last != 0 && e <= last {
                break;
            }
            exp += e;
            last = e;
            j += 1;
        }
        (exp, j)
    }

    /// A number in digits at `i` (`3.500`, `3,6 miljoen`, `4.6bn`, `10km`).
    fn digits_core(&self, i: usize, money: bool) -> Option<Num> {
        let t = self.toks.get(i)?;
        if t.kind == TokenKind::Word {
            // Digits glued to a scale or unit: `4.6bn`, `10km`.
            let w = self.lw(i);
            let p = w.find(|c: char| c.is_alphabetic())?;
            let (num, suffix) = (&w[..p], &w[p..]);
            if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
                return None;
            }
            let scale = scale_exp(suffix, money);
            let unit = if scale.is_none() {
                Some(match suffix {
                    "km" | "kg" | "cm" | "mm" | "ha" | "mph" => unit_word(suffix, false)?,
                    "m" => "meter",
                    _ => return None,
                })
            } else {
                None
            };
            let d = read_digits(num, self.nl, scale.is_some())?;
            let mut n = Num::new(dec(d.mant, scale.unwrap_or(0) - d.frac), i, i + 1);
            n.digits = true;
            n.scale = scale.unwrap_or(0);
            n.unit = unit;
            return Some(n);
        }
        if t.kind != TokenKind::Number {
            return None;
        }
        let (exp, end) = self.scales(i + 1, money);
        let d = read_digits(self.raw(i), self.nl, exp > 0)?;
        let mut n = Num::new(dec(d.mant, exp - d.frac), i, end);
        n.digits = true;
        n.plain = d.plain && !d.leading_zero;
        n.year = d.plain && d.int_len == 4 && (1900..=2100).contains(&d.mant) && exp == 0;
        n.dot_two = d.dot_two && exp == 0 && d.mant / 100 <= 24;
        n.foreign_mark = exp == 0 && d.mark == if self.nl { b'.' } else { b',' };
        n.scale = exp;
        if d.leading_zero || (d.plain && d.int_len >= 8) {
            // Phone numbers, identifiers.
            n.value = f64::NAN;
        }
        Some(n)
    }

    /// A vague plural at `i` (`honderden`, `tens of thousands`, `honderden miljoenen`).
    fn vague_core(&self, i: usize) -> Option<Num> {
        let b = vague_base(self.lw(i))?;
        let (next, after) = if self.nl {
            (self.lw(i + 1), i + 2)
        } else if self.lw(i + 1) == "of" {
            (self.lw(i + 2), i + 3)
        } else {
            ("", i + 1)
        };
        if let Some(b2) = vague_base(next).filter(|b2| *b2 > b) {
            let mut n = Num::vague(b * b2, i, after);
            n.max = Some(10.0 * b * b2 - 1.0);
            return Some(n);
        }
        if matches!(self.lw(i), "tens" | "scores") {
            // Only `tens of` / `scores of` with a noun count.
            return (self.lw(i + 1) == "of" && self.is_word(i + 2)).then(|| Num::vague(b, i, i + 1));
        }
        Some(Num::vague(b, i, i + 1))
    }

    /// Number words from `i` on (`drie miljoen`, `two hundred and fifty`).
    fn words_core(&self, i: usize) -> Option<Num> {
        let mut total: u64 = 0;
        let mut cur: u64 = 0;
        let mut any = false;
        let mut last_small = false;
        let mut j = i;
        loop {
            let w = self.lw(j);
            if self.nl && !any {
                if let Some(v) =
                    w.strip_suffix("enhalf").or_else(|| w.strip_suffix("ënhalf")).and_then(nl_number)
                {
                    let mut n = Num::new(v as f64 + 0.5, i, j + 1);
                    n.scale = 0;
                    return Some(n);
                }
            }
            let small = if self.nl { nl_number(w) } else { en_number(w) };
            if let Some(v) = small {
                if last_small {
                    break;
                }
                cur += v;
                any = true;
                last_small = v < 100;
                j += 1;
                continue;
            }
            if !any {
                return None;
            }
            match scale_exp(w, false) {
                Some(2) => {
                    cur = cur.max(1) * 100;
                    last_small = false;
                }
                Some(e) => {
                    total += cur.max(1) * 10u64.pow(e as u32);
                    cur = 0;
                    last_small = false;
                }
                None => {
                    if !self.nl
                        && w == "and"
                        && !last_small
                        && en_number(self.lw(j + 1)).is_some_and(|v| v < 100)
                    {
                        j += 1;
                        continue;
                    }
                    break;
                }
            }
            j += 1;
        }
        let mut value = (total + cur) as f64;
        // `twee en een half`, `two and a half`.
        let (and, a) = if self.nl { ("en", "een") } else { ("and", "a") };
        if total == 0
            && self.lw(j) == and
            && self.lw(j + 1) == a
            && matches!(self.lw(j + 2), "half" | "halve")
        {
            value += 0.5;
            j += 3;
        }
        let mut n = Num::new(value, i, j);
        n.scale = i32::from(total > 0) * 6;
        Some(n)
    }

    /// The number at `i`, in digits or words, without bounds.
    fn core(&self, i: usize, money: bool) -> Option<Num> {
        let kind = self.kind(i)?;
        if kind == TokenKind::Number {
            return self.digits_core(i, money);
        }
        if kind != TokenKind::Word {
            return None;
        }
        if self.raw(i).as_bytes()[0].is_ascii_digit() {
            return self.digits_core(i, money);
        }
        let (w, w1) = (self.lw(i), self.lw(i + 1));
        if let Some(n) = self.vague_core(i) {
            return Some(n);
        }
        let few = |value, min, max, end| Some(self.scaled_few(Num::few(value, min, max, i, end)));
        match (w, w1) {
            ("enkele" | "meerdere" | "verscheidene" | "vele" | "several" | "many", _) => {
                if let Some(mut v) = self.vague_core(i + 1) {
                    v.start = i;
                    return Some(v);
                }
                if w != "enkele" {
                    return None;
                }
                return few(2.0, 2.0, 9.0, i + 1);
            }
            ("een" | "a", "paar" | "few") => return few(2.0, 2.0, 4.0, i + 2),
            ("a", "couple") => return few(2.0, 2.0, 3.0, i + 2),
            ("een" | "a", "handvol" | "handful") => return few(3.0, 3.0, 9.0, i + 2),
            ("een" | "a", "dozijn" | "dozen") => return Some(Num::new(12.0, i, i + 2)),
            ("een" | "a" | "an", _) => {
                if matches!(w1, "half" | "halve") {
                    let (exp, end) = self.scales(i + 2, money);
                    if exp == 0 && unit_word(self.lw(i + 2), money).is_some() {
                        // `een half uur`.
                        return Some(Num::new(0.5, i, i + 2));
                    }
                    return (exp > 0).then(|| Num::new(dec(5, exp - 1), i, end));
                }
                if scale_exp(w1, false).is_some() {
                    let mut n = self.words_core_from_scale(i + 1)?;
                    n.start = i;
                    return Some(n);
                }
                if let Some(mut n) = self.tal(i + 1) {
                    n.start = i;
                    return Some(n);
                }
                return None;
            }
            ("half", "a") => {
                let (exp, end) = self.scales(i + 2, money);
                return (exp > 0).then(|| Num::new(dec(5, exp - 1), i, end));
            }
            ("anderhalf" | "anderhalve", _) => {
                let (exp, end) = self.scales(i + 1, money);
                return Some(Num::new(dec(15, exp - 1), i, end));
            }
            _ => {}
        }
        self.words_core(i)
    }

    /// `een paar honderd`, `a few thousand`: a few times a scale.
    fn scaled_few(&self, mut n: Num) -> Num {
        let (exp, end) = self.scales(n.end, false);
        if exp > 0 {
            n.times(10f64.powi(exp));
            n.end = end;
        }
        n
    }

    /// `honderd`, `miljoen` after `een`/`a`: the scale times one, and what follows.
    fn words_core_from_scale(&self, i: usize) -> Option<Num> {
        let (exp, end) = self.scales(i, false);
        (exp > 0).then(|| {
            let mut n = Num::new(10f64.powi(exp), i, end);
            n.scale = exp;
            n
        })
    }

    /// `tiental`, `honderdtal`: about that many.
    fn tal(&self, i: usize) -> Option<Num> {
        if !self.nl {
            return None;
        }
        let stem = self.lw(i).strip_suffix("tal").filter(|s| *s != "elf")?;
        let v = nl_number(stem)?;
        let mut n = Num::new(v as f64, i, i + 1);
        if v >= 10 {
            n.apply(Bound::Approx);
        }
        Some(n)
    }

    /// A second number after a range word (`tot`, `à`, `-`, `to`, `of`).
    fn range(&self, n: &mut Num, money: bool) {
        let j = n.end;
        let (w, tight) = (self.lw(j), j > 0 && self.glued(j - 1) && self.glued(j));
        let mut k = match w {
            "tot" if self.lw(j + 1) == "en" && self.lw(j + 2) == "met" => j + 3,
            "tot" | "à" | "-" | "–" | "—" if self.nl => j + 1,
            "a" | "of" if self.nl => j + 1,
            "to" | "or" | "-" | "–" | "—" if !self.nl => j + 1,
            _ => return,
        };
        if let Some((_, after)) = self.currency_before(k) {
            k = after;
        }
        let Some(mut m) = self.core(k, money) else { return };
        if m.vague || (n.digits != m.digits && !matches!(w, "tot" | "to")) {
            return;
        }
        if m.scale > 0 && n.scale == 0 {
            let f = 10f64.powi(m.scale);
            if n.value * f <= m.value {
                n.value *= f;
            }
        }
        if m.value <= n.value || m.value.is_nan() {
            if tight && matches!(w, "-" | "–") {
                // A score (`3-1`): not an amount.
                n.value = f64::NAN;
                n.end = m.end;
            }
            return;
        }
        m.year &= n.year;
        n.year = m.year;
        n.tight = tight && matches!(w, "-" | "–");
        n.min = Some(n.value);
        n.max = Some(m.value);
        n.value = (n.value + m.value) / 2.0;
        n.end = m.end;
        n.unit = m.unit.or(n.unit);
    }

    /// The unit at `j`, normalised, and where it ends.
    fn unit(&self, j: usize, money: bool) -> Option<(&'static str, usize)> {
        let (w, w1, w2) = (self.lw(j), self.lw(j + 1), self.lw(j + 2));
        let multi = match (w, w1, w2) {
            ("km" | "kilometer", "/", "u" | "h" | "uur") => Some(("km/u", 3)),
            ("km" | "kilometer" | "kilometers", "per", "uur" | "hour") => Some(("km/u", 3)),
            ("mijl" | "miles", "per", "uur" | "hour") => Some(("mijl per uur", 3)),
            ("vierkante", "meter" | "m", _) | ("square", "meters" | "metres" | "meter" | "metre", _) => {
                Some(("vierkante meter", 2))
            }
            ("vierkante", "kilometer" | "km", _) | ("square", "kilometers" | "kilometres" | "km", _) => {
                Some(("vierkante kilometer", 2))
            }
            ("square", "feet" | "foot", _) => Some(("vierkante voet", 2)),
            ("square", "miles" | "mile", _) => Some(("vierkante mijl", 2)),
            ("nautical", "miles" | "mile", _) => Some(("zeemijl", 2)),
            ("per", "cent", _) => Some(("%", 2)),
            ("graden", "celsius", _) | ("degrees", "celsius", _) => Some(("°C", 2)),
            ("us", "dollar" | "dollars", _) | ("amerikaanse", "dollar" | "dollars", _) => Some(("USD", 2)),
            ("°", "c", _) => Some(("°C", 2)),
            _ => None,
        };
        if let Some((u, len)) = multi {
            return Some((u, j + len));
        }
        unit_word(w, money).map(|u| (u, j + 1))
    }

    /// Whether the word at `k` is an attributive adjective or a noun used as one before the
    /// counted noun (`buitenlandse`, `zwaarbewapende`, `new`, `tanker`).
    fn attributive(&self, k: usize) -> bool {
        let w = self.lw(k);
        let next_ok =
            self.is_word(k + 1) && !self.stop(self.lw(k + 1)) && unit_word(self.lw(k + 1), true).is_none();
        if !next_ok {
            return false;
        }
        if self.nl {
            (w.len() >= 4 && w.ends_with('e'))
                || matches!(
                    w,
                    "extra"
                        | "zeer"
                        | "heel"
                        | "erg"
                        | "zwaar"
                        | "licht"
                        | "vooral"
                        | "gestolen"
                        | "gevangen"
                        | "houten"
                        | "gouden"
                        | "stenen"
                        | "nieuw"
                        | "echt"
                        | "ongeveer"
                )
        } else {
            !looks_plural(w, false)
        }
    }

    /// The counted noun from `j` on: its lemma, its modifiers and the token after it.
    fn noun(&self, j: usize, value: f64) -> Option<(String, Vec<String>, usize)> {
        self.noun_phrase(j, value, false)
    }

    /// What a measure is of (`400 ton kunststofkorrels`, `150 kilometer file`): any noun.
    fn measured(&self, j: usize) -> Option<(String, Vec<String>, usize)> {
        let w = self.lw(j);
        let first = self.raw(j).chars().next()?;
        if first.is_uppercase() || measure_adverb(w) || (self.nl && participle_like(w)) {
            return None;
        }
        self.noun_phrase(j, 2.0, true)
    }

    /// The counted noun from `j` on; `any_head` takes a singular head too.
    fn noun_phrase(&self, j: usize, value: f64, any_head: bool) -> Option<(String, Vec<String>, usize)> {
        let mut mods: Vec<String> = Vec::new();
        let mut k = j;
        for _ in 0..4 {
            if !self.is_word(k) {
                return None;
            }
            let (raw, w) = (self.raw(k), self.lw(k));
            if raw.as_bytes()[0].is_ascii_digit() {
                return None;
            }
            let acronym = is_acronym(raw);
            if !acronym && (self.stop(w) || vague_base(w).is_some() || month(w)) {
                return None;
            }
            if !self.nl && w.len() > 4 && (w.ends_with("ing") || w.ends_with("ed")) && !self.attributive(k) {
                return None;
            }
            let plural = looks_plural(w, self.nl) || (acronym && raw.contains(['\'', '’']));
            let singular_head = (value == 1.0 || any_head) && !self.attributive(k) && !acronym;
            if (value != 1.0 && plural) || singular_head {
                let noun = self.head(raw, if plural { value.max(2.0) } else { 1.0 }, &mut mods);
                return Some((noun, mods, k + 1));
            }
            if self.attributive(k) || (acronym && self.is_word(k + 1)) {
                mods.push(raw.to_string());
                k += 1;
                continue;
            }
            return None;
        }
        None
    }

    /// The lemma of a head word, with its compound prefix moved to the modifiers.
    fn head(&self, raw: &str, value: f64, mods: &mut Vec<String>) -> String {
        // `IS'ers`, `PVV'er`.
        if let Some(p) = raw.find(['\'', '’']) {
            let (pre, rest) = (&raw[..p], &raw[p..]);
            let suffix = rest.trim_start_matches(['\'', '’']);
            if is_acronym(pre) && matches!(suffix, "er" | "ers") {
                mods.push(pre.to_string());
                return if armed_group(pre) { "strijder" } else { "lid" }.to_string();
            }
        }
        let mut last = raw;
        if let Some((p, c)) = raw.char_indices().rev().find(|(_, c)| is_hyphen(*c)) {
            let pre = &raw[..p];
            if pre.chars().any(|c| c.is_uppercase() || c.is_ascii_digit()) && p + c.len_utf8() < raw.len() {
                mods.push(pre.to_string());
                last = &raw[p + c.len_utf8()..];
            }
        }
        if value == 1.0 {
            return last.to_string();
        }
        if self.nl {
            singular_nl(last)
        } else {
            singular_en(last)
        }
    }

    /// `van IS`, `of Islamic State` after the noun: the name.
    fn owner(&self, k: usize) -> Option<String> {
        if self.lw(k) != if self.nl { "van" } else { "of" } {
            return None;
        }
        let t = self.toks.get(k + 1)?;
        let first = self.raw(k + 1).chars().next()?;
        if t.kind != TokenKind::Word || !first.is_uppercase() {
            return None;
        }
        if let Some((s, e)) = self.entity_at(t.start) {
            return Some(self.text[s..e].to_string());
        }
        let mut end = k + 2;
        while end < k + 4 && self.is_word(end) && self.raw(end).chars().next().is_some_and(char::is_uppercase)
        {
            end += 1;
        }
        Some(self.text[t.start..self.toks[end - 1].end].to_string())
    }

    /// Whether a word token can start a quantity at all: a bound, a currency code, a vague or
    /// other number word, or digits. Most words are turned away here with one lookup.
    fn may_start(&self, i: usize) -> bool {
        if self.raw(i).as_bytes()[0].is_ascii_digit() {
            return true;
        }
        let w = self.lw(i);
        if QUANTITY_STARTS.contains(w) {
            return true;
        }
        if self.nl {
            w.ends_with("half") || nl_number(w).is_some()
        } else {
            en_number(w).is_some()
        }
    }

    /// The quantity starting at token `i`, if any.
    #[inline]
    fn quantity_at(&self, i: usize) -> Step {
        let t = self.toks[i];
        if t.kind == TokenKind::Punct && self.currency_before(i).is_none() {
            return Step::Nothing;
        }
        if t.kind == TokenKind::Word && !self.may_start(i) {
            return Step::Nothing;
        }
        self.quantity_from(i)
    }

    /// [`Self::quantity_at`] past the quick tests (kept apart, so that the tests that turn most
    /// tokens away stay cheap).
    #[inline(never)]
    fn quantity_from(&self, i: usize) -> Step {
        // Approximators and bounds (up to two: `tot zo'n`).
        let mut bounds: [Option<Bound>; 2] = [None, None];
        let mut j = i;
        for slot in &mut bounds {
            match self.bound(j) {
                Some((b, next)) if next > j => {
                    *slot = Some(b);
                    j = next;
                }
                _ => break,
            }
        }
        let mut currency = None;
        if let Some((c, next)) = self.currency_before(j) {
            currency = Some(c);
            j = next;
        }
        let Some(mut n) = self.core(j, currency.is_some()) else {
            return Step::Nothing;
        };
        let between = bounds.iter().flatten().any(|b| *b == Bound::Between);
        if between {
            let and = if self.nl { "en" } else { "and" };
            if self.lw(n.end) != and {
                return Step::Nothing;
            }
            let mut k = n.end + 1;
            if let Some((_, after)) = self.currency_before(k) {
                k = after;
            }
            let Some(m) = self.core(k, currency.is_some()) else { return Step::Nothing };
            if m.value <= n.value {
                return Step::Nothing;
            }
            if m.scale > 0 && n.scale == 0 && n.value * 10f64.powi(m.scale) <= m.value {
                n.value *= 10f64.powi(m.scale);
            }
            (n.min, n.max, n.value, n.end) = (Some(n.value), Some(m.value), (n.value + m.value) / 2.0, m.end);
            n.year &= m.year;
            n.unit = m.unit.or(n.unit);
        } else if !n.vague {
            self.range(&mut n, currency.is_some());
        }
        let core_start = n.start;
        let skip = Step::Skip(n.end);
        if n.value.is_nan() {
            return skip;
        }
        let prev = if i > 0 { self.lw(i - 1) } else { "" };
        let before_core = if core_start > 0 { self.lw(core_start - 1) } else { "" };
        // Numbers that are not amounts.
        if n.digits && currency.is_none() {
            if self.inside_entity(self.toks[core_start].start) {
                return skip;
            }
            if id_word(before_core)
                || (before_core == "." && core_start >= 2 && id_word(self.lw(core_start - 2)))
            {
                return skip;
            }
            // Phone numbers and identifiers in groups: `020 123 4567`.
            if n.plain
                && (self.kind(core_start.wrapping_sub(1)) == Some(TokenKind::Number)
                    || self.kind(n.end) == Some(TokenKind::Number))
            {
                return skip;
            }
            // `14:32`, `14/8`.
            if self.glued(core_start) && matches!(self.lw(core_start + 1), ":" | "/") {
                let after = core_start + 2;
                return Step::Skip(if self.kind(after) == Some(TokenKind::Number) {
                    after + 1
                } else {
                    after
                });
            }
            if core_start > 0
                && self.glued(core_start - 1)
                && matches!(before_core, "/" | ":" | "+" | "#" | "nr" | "no")
            {
                return skip;
            }
            // `18.00 uur`, `om 8 uur`, `at 8 pm`.
            let next = self.lw(n.end);
            let clock_after = matches!(
                next,
                "uur"
                    | "u"
                    | "h"
                    | "uhr"
                    | "am"
                    | "pm"
                    | "gmt"
                    | "utc"
                    | "cet"
                    | "cest"
                    | "est"
                    | "edt"
                    | "bst"
            );
            let clock_before = matches!(before_core, "om" | "at" | "vanaf" | "omstreeks" | "rond");
            if n.dot_two && (clock_after || clock_before || self.nl) && n.min.is_none() {
                return skip;
            }
            if n.plain && n.value <= 24.0 && (matches!(next, "am" | "pm") || (clock_before && next == "uur"))
            {
                return Step::Skip(n.end + 1);
            }
            // An age: `Dirk Verbeke (58)`.
            if n.plain && n.value <= 120.0 && before_core == "(" && self.lw(n.end) == ")" {
                return skip;
            }
        }
        // Clock times in words or after a part of the day: `om twee uur`, `maandagavond 22 uur`.
        if n.value <= 24.0 && n.min.is_none() && self.lw(n.end) == "uur" {
            let daypart =
                ["avond", "ochtend", "middag", "nacht", "morgen"].iter().any(|d| before_core.ends_with(d));
            if daypart || matches!(before_core, "om" | "omstreeks" | "tegen" | "vanaf" | "rond") {
                return Step::Skip(n.end + 1);
            }
        }
        // Dates: `14 augustus`, `August 14`, `augustus 2017`.
        if n.digits && n.value <= 31.0 && month(self.lw(n.end)) {
            return Step::Skip(n.end + 1);
        }
        if n.digits && (month(before_core) || month(prev)) && (n.value <= 31.0 || n.year) {
            return skip;
        }
        // Unit or currency, then the counted noun.
        let mut end = n.end;
        let mut unit = n.unit.map(str::to_string);
        if let Some(c) = currency {
            unit = Some(c.to_string());
        } else if unit.is_none() {
            // `thousands of dollars`.
            let at = if !self.nl && n.vague && self.lw(end) == "of" { end + 1 } else { end };
            if let Some((u, after)) = self.unit(at, false) {
                unit = Some(u.to_string());
                end = after;
            }
        }
        let mut noun = None;
        let mut modifiers = Vec::new();
        if unit.as_deref().is_some_and(|u| !is_money(u) && !is_time_unit(u) && u != "%") {
            if let Some((lemma, mods, after)) = self.measured(end) {
                noun = Some(lemma);
                modifiers = mods;
                end = after;
            }
        }
        if unit.is_none() {
            let mut k = end;
            // `hundreds of fighters`, `enkele van de beruchtste IS-leden`.
            let (w, w1) = (self.lw(k), self.lw(k + 1));
            let partitive = if self.nl {
                w == "van" && matches!(w1, "de" | "het" | "deze" | "die") && n.vague
            } else {
                w == "of" && (n.vague || matches!(w1, "the" | "these" | "those")) && n.value != 1.0
            };
            if partitive {
                k += if self.nl || matches!(w1, "the" | "these" | "those") { 2 } else { 1 };
            }
            if let Some((lemma, mods, after)) = self.noun(k, n.value) {
                noun = Some(lemma);
                modifiers = mods;
                end = after;
                if let Some(o) = self.owner(after) {
                    modifiers.push(o);
                }
            }
        }
        let has_unit = unit.is_some();
        // `Boeing 747`, `iPhone 4`, `BBC 0`: a number right after a name (not the sentence's
        // first word) that counts nothing.
        if n.digits
            && currency.is_none()
            && noun.is_none()
            && !has_unit
            && bounds[0].is_none()
            && core_start > 0
        {
            let p = self.raw(core_start - 1);
            let capital = p.chars().any(char::is_uppercase);
            if capital
                && self.is_word(core_start - 1)
                && (core_start > 1 || !self.stop(before_core))
                && !month(before_core)
            {
                return skip;
            }
        }
        // A score: `het werd 1-3`.
        if n.tight && noun.is_none() && !has_unit {
            return skip;
        }
        if n.digits && noun.is_none() && !has_unit && bounds[0].is_none() {
            // `de 787`, `the 737`: a model; `4.0`: a version; `jaren 90`: a decade.
            let article = matches!(before_core, "de" | "het" | "the" | "deze" | "die" | "this" | "that");
            if (article && n.plain && n.value >= 100.0)
                || n.foreign_mark
                || matches!(before_core, "jaren" | "years")
            {
                return skip;
            }
        }
        if !n.digits && matches!(before_core, "jaren" | "years") && noun.is_none() {
            return skip;
        }
        if n.year && noun.is_none() && !has_unit {
            return skip;
        }
        if n.year
            && (date_preposition(before_core) || month(before_core))
            && !unit.as_deref().is_some_and(is_money)
        {
            return skip;
        }
        if let Some(u) = unit.as_deref() {
            if is_time_unit(u) {
                let next = self.lw(end);
                if matches!(next, "geleden" | "ago" | "terug" | "later")
                    || (self.nl && matches!(before_core, "over" | "sinds"))
                    || (!self.nl && matches!(before_core, "in") && bounds[0].is_none())
                {
                    return Step::Skip(end);
                }
            }
        }
        // A bare `één`/`one`/`a dozen` that counts nothing.
        if !n.digits && n.value == 1.0 && noun.is_none() && !has_unit && bounds[0].is_none() {
            return skip;
        }
        for b in bounds.iter().rev().flatten() {
            n.apply(*b);
        }
        let start = self.toks[i].start;
        let end_byte = self.toks[end - 1].end;
        let q = Quantity {
            text: self.text[start..end_byte].to_string(),
            value: n.value,
            min: n.min,
            max: n.max,
            approx: n.approx,
            noun,
            modifiers,
            unit,
            start,
            end: end_byte,
        };
        let elliptic = q.noun.is_none() && q.unit.is_none() && n.scale == 0 && !n.vague && !n.year;
        Step::Found(Box::new(q), end, elliptic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::run;

    /// The first words of the arms of `fn_name`'s `match` on word tuples, read from the source.
    fn first_words(fn_name: &str) -> Vec<&'static str> {
        let src = include_str!("quantities.rs");
        let a = src.find(fn_name).expect(fn_name);
        let b = a + src[a..].find("\n    }\n").expect("end of fn");
        let mut words = Vec::new();
        for line in src[a..b].lines().map(str::trim_start).filter(|l| l.starts_with("(\"")) {
            let first = &line[..line.find("\",").expect("tuple")];
            words.extend(first.split('"').skip(1).step_by(2));
        }
        words
    }

    #[test]
    fn quantity_starts_cover_what_can_open_a_quantity() {
        let bounds = first_words("    fn bound(&self");
        let cores = first_words("    fn core(&self");
        assert!(bounds.len() > 60 && cores.len() > 10, "{} {}", bounds.len(), cores.len());
        let vague =
            ["tientallen", "tens", "dozijnen", "dozens", "scores", "honderden", "hundreds", "duizenden"];
        let codes = ["eur", "usd", "gbp", "chf", "jpy", "us", "a", "au", "c", "ca", "hk", "nz", "s"];
        for w in bounds.into_iter().chain(cores).chain(vague).chain(codes) {
            assert!(QUANTITY_STARTS.contains(w), "{w} missing from QUANTITY_STARTS_LIST");
        }
        for w in [
            "thousands",
            "tienduizenden",
            "honderdduizenden",
            "miljoenen",
            "millions",
            "miljarden",
            "billions",
        ] {
            assert!(vague_base(w).is_some() && QUANTITY_STARTS.contains(w), "{w}");
        }
    }

    /// A Dutch number below 10,000 in words, written the usual way.
    fn dutch(n: u64) -> String {
        const UNITS: [&str; 20] = [
            "nul",
            "een",
            "twee",
            "drie",
            "vier",
            "vijf",
            "zes",
            "zeven",
            "acht",
            "negen",
            "tien",
            "elf",
            "twaalf",
            "dertien",
            "veertien",
            "vijftien",
            "zestien",
            "zeventien",
            "achttien",
            "negentien",
        ];
        const TENS: [&str; 10] =
            ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"];
        let below_100 = |n: u64| -> String {
            if n < 20 {
                return UNITS[n as usize].to_string();
            }
            let (t, u) = (TENS[(n / 10) as usize], n % 10);
            match u {
                0 => t.to_string(),
                2 | 3 => format!("{}ën{t}", UNITS[u as usize]),
                _ => format!("{}en{t}", UNITS[u as usize]),
            }
        };
        let below_1000 = |n: u64| -> String {
            let (h, r) = (n / 100, n % 100);
            let head = match h {
                0 => String::new(),
                1 => "honderd".to_string(),
                _ => format!("{}honderd", UNITS[h as usize]),
            };
            if r == 0 && h > 0 {
                head
            } else {
                format!("{head}{}", below_100(r))
            }
        };
        let (k, r) = (n / 1000, n % 1000);
        let head = match k {
            0 => String::new(),
            1 => "duizend".to_string(),
            _ => format!("{}duizend", below_1000(k)),
        };
        if r == 0 && k > 0 {
            head
        } else {
            format!("{head}{}", below_1000(r))
        }
    }

    #[test]
    fn every_dutch_number_word_passes_the_quick_test() {
        let mut read = 0;
        for n in 2..10_000 {
            let w = dutch(n);
            if nl_number(&w).is_some() {
                read += 1;
            }
            // The quick test against the full reading without it.
            if nl_thousands(&w).is_some() {
                assert!(may_be_nl_number(&w), "{w}");
            }
        }
        assert!(read > 9_000, "{read}");
        for w in ["één", "eén", "éen", "elf", "nul", "eenentwintig", "tweeëntwintig", "twaalfhonderd"] {
            assert!(may_be_nl_number(w), "{w}");
        }
    }

    #[test]
    fn lowercase_keeps_offsets() {
        for (text, low) in [
            ("De VS en Syrië", "de vs en syrië"),
            ("ÉÉN Ötzi", "één ötzi"),
            ("İstanbul ẞ Σ", "İstanbul ẞ σ"),
            ("\u{212A}elvin", "kelvin"),
        ] {
            let got = lowercase_aligned(text);
            assert_eq!(got.len(), text.len(), "{text}");
            if text.chars().all(|c| c.to_lowercase().next().is_some_and(|l| l.len_utf8() == c.len_utf8())) {
                assert_eq!(got, low, "{text}");
            }
        }
        assert_eq!(lowercase_aligned("İstanbul ẞ Σ"), "İstanbul ẞ σ");
    }

    fn quantities(text: &str, language: &str) -> Vec<Quantity> {
        run(&[&QuantityAnnotator], text, language, None).quantities
    }

    fn find<'q>(qs: &'q [Quantity], text: &str) -> &'q Quantity {
        qs.iter().find(|q| q.text == text).unwrap_or_else(|| {
            panic!("no quantity {text:?} in {:?}", qs.iter().map(|q| &q.text).collect::<Vec<_>>())
        })
    }

    #[test]
    fn digits_by_language_and_shape() {
        assert_eq!(read_digits("3.500", true, false).map(|d| dec(d.mant, -d.frac)), Some(3500.0));
        assert_eq!(read_digits("3,500", true, false).map(|d| dec(d.mant, -d.frac)), Some(3500.0));
        assert_eq!(read_digits("2,5", true, false).map(|d| dec(d.mant, -d.frac)), Some(2.5));
        assert_eq!(read_digits("2.5", false, false).map(|d| dec(d.mant, -d.frac)), Some(2.5));
        assert_eq!(read_digits("1.200.000", true, false).map(|d| dec(d.mant, -d.frac)), Some(1_200_000.0));
        assert_eq!(read_digits("1,200.50", false, false).map(|d| dec(d.mant, -d.frac)), Some(1200.5));
        assert_eq!(read_digits("1.200,50", true, false).map(|d| dec(d.mant, -d.frac)), Some(1200.5));
        assert_eq!(read_digits("1,250", true, true).map(|d| dec(d.mant, -d.frac)), Some(1.25));
        assert_eq!(read_digits("1.1.1", true, false), None);
        assert_eq!(read_digits("14.08.2017", true, false), None);
    }

    #[test]
    fn number_words() {
        assert_eq!(nl_number("vijfentwintig"), Some(25));
        assert_eq!(nl_number("tweeëntwintig"), Some(22));
        assert_eq!(nl_number("twaalfhonderd"), Some(1200));
        assert_eq!(nl_number("tweeduizendvijfhonderd"), Some(2500));
        assert_eq!(nl_number("honderdduizend"), Some(100_000));
        assert_eq!(nl_number("een"), None);
        assert_eq!(nl_number("achtergrond"), None);
        assert_eq!(nl_number("tweede"), None);
        assert_eq!(en_number("twenty-five"), Some(25));
        assert_eq!(en_number("twenty-first"), None);
    }

    #[test]
    fn dutch_plurals() {
        for (p, s) in [
            ("strijders", "strijder"),
            ("familieleden", "familielid"),
            ("vrachtwagens", "vrachtwagen"),
            ("bussen", "bus"),
            ("voertuigen", "voertuig"),
            ("kinderen", "kind"),
            ("IS'ers", "IS'er"),
            ("inwoners", "inwoner"),
            ("jaren", "jaar"),
            ("huizen", "huis"),
            ("soldaten", "soldaat"),
            ("dagen", "dag"),
            ("militairen", "militair"),
            ("vluchtelingen", "vluchteling"),
            ("doden", "dode"),
            ("zwaargewonden", "zwaargewonde"),
            ("auto's", "auto"),
            ("ideeën", "idee"),
            ("raketten", "raket"),
            ("brieven", "brief"),
            ("partijen", "partij"),
            ("mensen", "mens"),
            ("klanten", "klant"),
        ] {
            assert_eq!(singular_nl(p), s, "{p}");
        }
        for (p, s) in [
            ("fighters", "fighter"),
            ("women", "woman"),
            ("children", "child"),
            ("casualties", "casualty"),
            ("buses", "bus"),
            ("people", "person"),
            ("taxes", "tax"),
        ] {
            assert_eq!(singular_en(p), s, "{p}");
        }
    }

    #[test]
    fn counted_nouns_and_modifiers() {
        let qs = quantities(
            "Volgens de politie trokken zo'n 250 zwaarbewapende IS-strijders met 3.500 familieleden weg, \
             in vijftig vrachtwagens, dertien bussen en meer dan honderd voertuigen van IS. Ook \
             tientallen buitenlandse strijders en 275 IS'ers zaten erbij.",
            "nl",
        );
        let q = find(&qs, "zo'n 250 zwaarbewapende IS-strijders");
        assert_eq!((q.value, q.approx, q.noun.as_deref()), (250.0, true, Some("strijder")));
        assert_eq!(q.modifiers, ["zwaarbewapende", "IS"]);
        assert!(q.min.unwrap() < 250.0 && q.max.unwrap() < 275.0);
        assert_eq!(find(&qs, "3.500 familieleden").noun.as_deref(), Some("familielid"));
        assert_eq!(find(&qs, "vijftig vrachtwagens").value, 50.0);
        assert_eq!(find(&qs, "dertien bussen").noun.as_deref(), Some("bus"));
        let q = find(&qs, "meer dan honderd voertuigen");
        assert_eq!((q.value, q.min, q.max), (100.0, Some(100.0), None));
        assert_eq!(q.modifiers, ["IS"]);
        let q = find(&qs, "tientallen buitenlandse strijders");
        assert_eq!((q.value, q.min, q.max, q.approx), (20.0, Some(20.0), Some(99.0), true));
        assert_eq!(q.modifiers, ["buitenlandse"]);
        let q = find(&qs, "275 IS'ers");
        assert_eq!((q.noun.as_deref(), q.modifiers.as_slice()), (Some("strijder"), &["IS".to_string()][..]));
        assert_eq!(qs.len(), 7);
    }

    #[test]
    fn money_units_and_scales() {
        let qs = quantities(
            "Het kabinet trekt € 52,5 miljoen uit, de provincie 3,6 miljoen euro. Boeing liep een \
             order van US $40 miljard mis. De weg is 2,5 kilometer lang en auto's rijden er 87 km/u. \
             De werkloosheid daalde met 0,4 procent naar 6%. Het bedrijf heeft 380.000 klanten.",
            "nl",
        );
        let q = find(&qs, "€ 52,5 miljoen");
        assert_eq!((q.value, q.unit.as_deref(), q.noun.as_deref()), (52_500_000.0, Some("EUR"), None));
        assert_eq!(find(&qs, "3,6 miljoen euro").value, 3_600_000.0);
        let q = find(&qs, "US $40 miljard");
        assert_eq!((q.value, q.unit.as_deref()), (40e9, Some("USD")));
        assert_eq!(find(&qs, "2,5 kilometer").unit.as_deref(), Some("kilometer"));
        assert_eq!(find(&qs, "87 km/u").unit.as_deref(), Some("km/u"));
        assert_eq!(find(&qs, "0,4 procent").unit.as_deref(), Some("%"));
        assert_eq!(find(&qs, "6%").value, 6.0);
        assert_eq!(find(&qs, "380.000 klanten").noun.as_deref(), Some("klant"));
    }

    #[test]
    fn ranges_and_bounds() {
        let qs = quantities(
            "De file was zes tot zeven kilometer lang. Er kwamen tussen de 200 en 300 betogers en 10 à 12 \
             agenten. Hooguit enkele honderden inwoners bleven, bijna 1.000 vertrokken. Ruim 40 \
             procent stemde voor; een paar honderd mensen tegen.",
            "nl",
        );
        let q = find(&qs, "zes tot zeven kilometer");
        assert_eq!(
            (q.value, q.min, q.max, q.unit.as_deref()),
            (6.5, Some(6.0), Some(7.0), Some("kilometer"))
        );
        let q = find(&qs, "tussen de 200 en 300 betogers");
        assert_eq!(
            (q.value, q.min, q.max, q.noun.as_deref()),
            (250.0, Some(200.0), Some(300.0), Some("betoger"))
        );
        assert_eq!(find(&qs, "10 à 12 agenten").max, Some(12.0));
        let q = find(&qs, "Hooguit enkele honderden inwoners");
        assert_eq!((q.min, q.max, q.noun.as_deref()), (None, Some(999.0), Some("inwoner")));
        let q = find(&qs, "bijna 1.000");
        assert_eq!((q.value, q.min, q.max, q.approx), (1000.0, Some(900.0), Some(1000.0), true));
        let q = find(&qs, "Ruim 40 procent");
        assert_eq!((q.min, q.approx), (Some(40.0), true));
        let q = find(&qs, "een paar honderd mensen");
        assert_eq!(
            (q.value, q.min, q.max, q.noun.as_deref()),
            (200.0, Some(200.0), Some(400.0), Some("mens"))
        );
    }

    #[test]
    fn not_quantities() {
        let qs = quantities(
            "Raqqa is sinds 2014 in handen van IS. Om 20u07 en om 14:32 kwam het bericht, op 14 augustus \
             2017 om 18.00 uur. Bel 020 123 4567 of zie p. 12 en artikel 5. De Boeing 747 landde. Ajax \
             won met 3-1. Drie dagen geleden was het één van de rustigste dagen. Een man liep weg.",
            "nl",
        );
        assert!(qs.is_empty(), "{:?}", qs.iter().map(|q| &q.text).collect::<Vec<_>>());
    }

    #[test]
    fn english() {
        let qs = quantities(
            "About 250 IS fighters and 3,500 relatives left in a convoy of 50 trucks, 13 buses and more \
             than 100 vehicles. Dozens of foreign fighters were among them, and thousands of dollars were \
             paid. The deal cost $4.6 billion, 2.5 percent of the budget, between 200 and 300 women and \
             children fled, and two hundred and fifty people stayed since 2014. The convoy was six to \
             seven kilometres long.",
            "en",
        );
        let q = find(&qs, "About 250 IS fighters");
        assert_eq!((q.value, q.approx, q.noun.as_deref()), (250.0, true, Some("fighter")));
        assert_eq!(q.modifiers, ["IS"]);
        assert_eq!(find(&qs, "3,500 relatives").noun.as_deref(), Some("relative"));
        assert_eq!(find(&qs, "13 buses").noun.as_deref(), Some("bus"));
        assert_eq!(find(&qs, "more than 100 vehicles").min, Some(100.0));
        let q = find(&qs, "Dozens of foreign fighters");
        assert_eq!(
            (q.noun.as_deref(), q.modifiers.as_slice()),
            (Some("fighter"), &["foreign".to_string()][..])
        );
        assert_eq!(find(&qs, "thousands of dollars").unit.as_deref(), Some("USD"));
        assert_eq!(find(&qs, "$4.6 billion").value, 4.6e9);
        assert_eq!(find(&qs, "2.5 percent").unit.as_deref(), Some("%"));
        assert_eq!(find(&qs, "between 200 and 300 women").noun.as_deref(), Some("woman"));
        let q = find(&qs, "two hundred and fifty people");
        assert_eq!((q.value, q.noun.as_deref()), (250.0, Some("person")));
        assert_eq!(find(&qs, "six to seven kilometres").max, Some(7.0));
        assert!(qs.iter().all(|q| q.value != 2014.0));
    }

    #[test]
    fn halves_measures_and_ellipsis() {
        let qs = quantities(
            "De storing duurde twee en een half uur, de vorige tweeënhalf uur en een half uur. Het schip \
             verloor zo'n 400 ton kunststofkorrels en er stond 150 kilometer file. Het bedrijf heeft \
             bijna 4.200 werknemers, van wie ongeveer 1.900 in Nederland.",
            "nl",
        );
        assert_eq!(find(&qs, "twee en een half uur").value, 2.5);
        assert_eq!(find(&qs, "tweeënhalf uur").value, 2.5);
        assert_eq!(find(&qs, "een half uur").value, 0.5);
        let q = find(&qs, "zo'n 400 ton kunststofkorrels");
        assert_eq!((q.unit.as_deref(), q.noun.as_deref()), (Some("ton"), Some("kunststofkorrel")));
        assert_eq!(find(&qs, "150 kilometer file").noun.as_deref(), Some("file"));
        assert_eq!(find(&qs, "ongeveer 1.900").noun.as_deref(), Some("werknemer"));
        let qs = quantities("The trial took two and a half years.", "en");
        assert_eq!(find(&qs, "two and a half years").unit.as_deref(), Some("jaar"));
    }

    #[test]
    fn ages_scores_clocks_and_models() {
        let qs = quantities(
            "Spits Tim Bakker (23) scoorde twee keer; het werd 1-3. Om twee uur 's nachts en maandagavond \
             22 uur reed de trein. De 787 landde en de iPhone 4 kwam uit in versie 4.0. Nederland koopt 24 \
             extra tanks.",
            "nl",
        );
        let texts: Vec<&str> = qs.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["twee keer", "24 extra tanks"]);
    }

    fn seed(name: &str) -> Option<String> {
        let path = format!("{}/../../../shared/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
        match std::fs::read_to_string(&path) {
            Ok(s) => Some(crate::ingest::text::parse_text(&s).text),
            Err(_) => {
                println!("seed {path} not found; skipping");
                None
            }
        }
    }

    #[test]
    fn seed_secret_deal() {
        let Some(text) = seed("001_f93500ae73deb103.txt") else { return };
        let qs = quantities(&text, "nl");
        let has =
            |value: f64, noun: Option<&str>| qs.iter().any(|q| q.value == value && q.noun.as_deref() == noun);
        let q = qs.iter().find(|q| q.value == 250.0).expect("250");
        assert_eq!((q.noun.as_deref(), q.approx), (Some("strijder"), true));
        assert_eq!(q.modifiers, ["IS"]);
        assert!(has(3500.0, Some("familielid")));
        assert!(has(50.0, Some("vrachtwagen")));
        assert!(has(13.0, Some("bus")));
        let q = qs.iter().find(|q| q.noun.as_deref() == Some("voertuig")).expect("voertuigen");
        assert_eq!((q.value, q.min), (100.0, Some(100.0)));
        let q = qs.iter().find(|q| q.unit.as_deref() == Some("kilometer")).expect("kilometer");
        assert_eq!((q.min, q.max), (Some(6.0), Some(7.0)));
        let q = qs.iter().find(|q| q.text == "tientallen buitenlandse strijders").expect("tientallen");
        assert_eq!(q.noun.as_deref(), Some("strijder"));
        let q = qs.iter().find(|q| q.text == "duizenden dollars").expect("duizenden dollars");
        assert_eq!(q.unit.as_deref(), Some("USD"));
    }

    #[test]
    fn seed_raqqa_deal() {
        let Some(text) = seed("000_64d8d240d9b06057.txt") else { return };
        let qs = quantities(&text, "nl");
        let q = qs.iter().find(|q| q.value == 275.0).expect("275");
        assert_eq!((q.noun.as_deref(), q.modifiers.as_slice()), (Some("strijder"), &["IS".to_string()][..]));
        assert!(qs.iter().any(|q| q.text.to_lowercase() == "honderden strijders"));
        let q = qs.iter().find(|q| q.text == "hooguit enkele honderden IS-strijders").expect("hooguit");
        assert!(q.max.is_some() && q.min.is_none());
        let q = qs.iter().find(|q| q.text == "zo’n duizend strijders").expect("zo'n duizend");
        assert_eq!((q.value, q.approx), (1000.0, true));
        assert!(qs.iter().all(|q| q.value != 2014.0));
    }
}
