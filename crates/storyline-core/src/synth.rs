//! A deterministic synthetic news stream, for benchmarks of ingest and story clustering.
//!
//! [`generate`] turns a [`SynthConfig`] into a stream of [`SynthArticle`]s in publication order.
//! The stream is shaped like a news feed rather than like random bytes:
//!
//! - **stories** have heavy-tailed sizes (most have one to five reports, a few have hundreds),
//!   and every report of a story repeats its key terms: invented people with their roles, real
//!   place names, organisations, a topic and its figures;
//! - **time** comes in bursts: a story's reports cluster in the days after it breaks, with an
//!   occasional follow-up weeks later;
//! - **text** is sentences with capitals and punctuation, paragraphs separated by a blank line,
//!   drawn from a Zipf-like distribution over a few hundred common Dutch words (English for the
//!   configured share of reports), with quotes and figures mixed in; titles are built from the
//!   story's key terms;
//! - **outlets** differ in output: a few publish most of the reports.
//!
//! The same configuration always gives byte-identical output, on every platform: all randomness
//! comes from a SplitMix64 generator seeded through [`crate::hash::mix64`], the few logarithms and
//! powers are computed here from IEEE arithmetic rather than by the platform's maths library,
//! and every article is
//! generated from its own seed, so nothing depends on iteration order. Memory stays flat: only a
//! small state per story is kept, never the stream. Each article carries its gold story number,
//! so clustering can be scored against it.
//!
//! ```
//! use storyline_core::synth::{generate, SynthConfig};
//!
//! let cfg = SynthConfig { articles: 50, stories: 10, ..SynthConfig::default() };
//! let articles: Vec<_> = generate(&cfg).collect();
//! assert_eq!(articles.len(), 50);
//! assert!(articles.windows(2).all(|w| w[0].published <= w[1].published));
//! assert!(articles[0].to_json_line().starts_with("{\"id\":"));
//! ```

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::Serialize;

use crate::date::{days_from_civil, weekday_from_days, Precision, Published};
use crate::hash::mix64;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Seed of all randomness: the same configuration gives the same stream.
    pub seed: u64,
    /// Number of articles in the stream.
    pub articles: usize,
    /// Number of stories the articles are spread over (no more than there are articles: every
    /// story has at least one).
    pub stories: usize,
    /// Length of the simulated period in days.
    pub days: u32,
    /// First day of the period, in days since 1970-01-01.
    pub start_day: i64,
    /// Mean length of an article's text in bytes.
    pub mean_text_bytes: usize,
    /// Number of outlets publishing the articles.
    pub outlets: usize,
    /// Share of the articles written in English (the rest is Dutch), in `[0, 1]`.
    pub english_share: f32,
}

impl Default for SynthConfig {
    /// Seed 42, 10 000 articles in 1 000 stories over the 365 days from 2025-01-01, about 3 000
    /// bytes of text each, 12 outlets, one article in five in English.
    fn default() -> Self {
        SynthConfig {
            seed: 42,
            articles: 10_000,
            stories: 1_000,
            days: 365,
            start_day: days_from_civil(2025, 1, 1),
            mean_text_bytes: 3_000,
            outlets: 12,
            english_share: 0.2,
        }
    }
}

/// One generated article, with the story it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthArticle {
    /// A unique id: the seed and the article's position in the stream.
    pub id: String,
    /// The headline, built from the story's key terms.
    pub title: String,
    /// The body: sentences, paragraphs separated by `"\n\n"`.
    pub text: String,
    /// The outlet that published it.
    pub source: String,
    /// Publication time, to the second.
    pub published: Published,
    /// `nl` or `en`.
    pub language: &'static str,
    /// The gold story number (`0..stories`): articles with the same number report one story.
    pub story: u64,
}

impl SynthArticle {
    /// The article as one line of storyline's JSON Lines ingest format (without the line break):
    /// `id`, `title`, `text`, `source`, `published` (RFC 3339), `language`, and the gold `story`
    /// number, which ingest keeps as an uninterpreted field.
    pub fn to_json_line(&self) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            id: &'a str,
            title: &'a str,
            text: &'a str,
            source: &'a str,
            published: Published,
            language: &'a str,
            story: u64,
        }
        let line = Line {
            id: &self.id,
            title: &self.title,
            text: &self.text,
            source: &self.source,
            published: self.published,
            language: self.language,
            story: self.story,
        };
        serde_json::to_string(&line).expect("strings and numbers always serialise")
    }
}

/// Starts the stream described by `cfg`. The iterator yields exactly `cfg.articles` articles,
/// ordered by publication time (ties in story order).
pub fn generate(cfg: &SynthConfig) -> Generator {
    Generator::new(cfg)
}

/// The iterator [`generate`] returns.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    mean_text_bytes: usize,
    english_share: f64,
    end_unix: i64,
    stories: Vec<StoryState>,
    /// Next publication time and story index of every story with articles left.
    queue: BinaryHeap<Reverse<(i64, u32)>>,
    emitted: u64,
    remaining: usize,
    outlets: [Vec<String>; 2],
    tables: [Tables; 2],
}

/// What is kept per story while the stream runs.
#[derive(Debug, Clone)]
struct StoryState {
    seed: u64,
    size: u32,
    done: u32,
    /// Articles left in the current episode: the first burst, then small follow-ups.
    episode_left: u32,
    /// Mean seconds between the articles of the current episode.
    mean_gap: f64,
}

/// The general vocabulary of one language, laid out for sampling and for fast copying.
#[derive(Debug, Clone)]
struct Tables {
    /// Zipf samplers over the function words (0) and the content words (1).
    zipf: [Vec<u16>; 2],
    /// The words of each class, each with a leading space and padded to 16 bytes, so that
    /// copying one is a move of fixed size.
    padded: [Vec<[u8; 16]>; 2],
    /// The length of each padded word, its leading space included.
    lens: [Vec<u8>; 2],
}

impl Tables {
    fn new(function: &[&str], content: &[&str]) -> Self {
        fn pad(words: &[&str]) -> (Vec<[u8; 16]>, Vec<u8>) {
            words
                .iter()
                .map(|w| {
                    let bytes = w.as_bytes();
                    assert!(bytes.len() < 16, "word `{w}` is too long for the padded table");
                    let mut padded = [0u8; 16];
                    padded[0] = b' ';
                    padded[1..=bytes.len()].copy_from_slice(bytes);
                    (padded, bytes.len() as u8 + 1)
                })
                .unzip()
        }
        let (pf, lf) = pad(function);
        let (pc, lc) = pad(content);
        Tables {
            zipf: [zipf_table(function.len(), 1.0), zipf_table(content.len(), 0.8)],
            padded: [pf, pc],
            lens: [lf, lc],
        }
    }
}

const TABLE_BITS: u32 = 13;
const TABLE_MASK: u64 = (1 << TABLE_BITS) - 1;

/// A table of `1 << TABLE_BITS` word indices in which word `i` appears in proportion to
/// `1 / (i + 2.7)^exponent`: sampling is one lookup.
fn zipf_table(words: usize, exponent: f64) -> Vec<u16> {
    let weights: Vec<f64> = (0..words).map(|i| pow(i as f64 + 2.7, -exponent)).collect();
    let total: f64 = weights.iter().sum();
    let size = 1usize << TABLE_BITS;
    let mut table = Vec::with_capacity(size);
    let mut cumulative = 0.0;
    let mut word = 0;
    for slot in 0..size {
        let at = (slot as f64 + 0.5) / size as f64 * total;
        while word + 1 < words && cumulative + weights[word] < at {
            cumulative += weights[word];
            word += 1;
        }
        table.push(word as u16);
    }
    table
}

/// SplitMix64: a tiny, fast generator with good statistical quality for simulation.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(mix64(seed ^ 0x5851_f42d_4c95_7f2d))
    }

    #[inline]
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }

    /// A number in `0..n` (`n > 0`).
    #[inline]
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// A number in `[0, 1)`.
    #[inline]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An element of a slice.
    #[inline]
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The natural logarithm, from basic IEEE operations only, so that it gives the same bits on
/// every platform (the system `ln` may differ in the last place). Accurate to a few ulps.
fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    // Scale subnormals into the normal range first.
    let (x, bias) = if x < f64::MIN_POSITIVE { (x * 2f64.powi(54), -54) } else { (x, 0) };
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i32 - 1023 + bias;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        exponent += 1;
    }
    // ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), with |s| < 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    for k in 0..12 {
        sum += term / f64::from(2 * k + 1);
        term *= s2;
    }
    2.0 * sum + f64::from(exponent) * std::f64::consts::LN_2
}

/// The exponential function, from basic IEEE operations only (see [`ln`]).
fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.7 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    // x = k ln 2 + r with |r| <= ln 2 / 2; exp(x) = 2^k exp(r).
    let k = (x / std::f64::consts::LN_2).round();
    // ln 2 split in a high part with trailing zero bits (so `k * LN2_HI` is exact) and the rest.
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..18 {
        term *= r / f64::from(n);
        sum += term;
    }
    // Apply 2^k in two halves so that neither factor overflows or underflows on its own.
    let k = k as i32;
    let half = k / 2;
    sum * pow2(half) * pow2(k - half)
}

/// 2^k for -1022 <= k <= 1023.
fn pow2(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `x^y` for `x >= 0`, from [`exp`] and [`ln`].
fn pow(x: f64, y: f64) -> f64 {
    if x == 0.0 {
        return if y > 0.0 { 0.0 } else { f64::INFINITY };
    }
    exp(y * ln(x))
}

/// Story sizes: heavy-tailed (Pareto-like), at least one each, summing to `articles` exactly.
fn story_sizes(rng: &mut Rng, articles: usize, stories: usize) -> Vec<u32> {
    let mean = articles as f64 / stories as f64;
    if mean <= 1.0 + 1e-9 {
        return vec![1; stories];
    }
    // A Pareto law with minimum 1 and this exponent has the wanted mean; the cap keeps one story
    // from swallowing the stream.
    let alpha = (mean / (mean - 1.0)).clamp(1.1, 3.0);
    let cap = (mean * 50.0).max(20.0);
    let extra: Vec<f64> = (0..stories).map(|_| pow(1.0 - rng.unit(), -1.0 / alpha).min(cap) - 1.0).collect();
    let total_extra: f64 = extra.iter().sum();
    let to_share = (articles - stories) as u64;
    let mut sizes = Vec::with_capacity(stories);
    let mut running = 0.0;
    let mut given = 0u64;
    for (i, e) in extra.iter().enumerate() {
        running += e;
        let upto = if i + 1 == stories {
            to_share
        } else if total_extra > 0.0 {
            ((running / total_extra * to_share as f64).floor() as u64).min(to_share)
        } else {
            to_share * (i as u64 + 1) / stories as u64
        };
        sizes.push(1 + (upto - given) as u32);
        given = upto;
    }
    sizes
}

impl Generator {
    fn new(cfg: &SynthConfig) -> Self {
        let mut rng = Rng::new(cfg.seed);
        let days = i64::from(cfg.days.max(1));
        let start_unix = cfg.start_day * 86_400;
        let end_unix = start_unix + days * 86_400 - 1;
        let story_count = cfg.stories.clamp(1, u32::MAX as usize).min(cfg.articles.max(1));
        let sizes =
            if cfg.articles == 0 { Vec::new() } else { story_sizes(&mut rng, cfg.articles, story_count) };
        let mut stories = Vec::with_capacity(sizes.len());
        let mut queue = BinaryHeap::with_capacity(sizes.len());
        for (i, &size) in sizes.iter().enumerate() {
            let seed = mix64(cfg.seed ^ mix64(i as u64 + 1));
            let mut r = Rng::new(seed);
            // Stories break during the day, spread evenly over the period.
            let day = r.below(days as usize) as i64;
            let start = start_unix + day * 86_400 + 6 * 3600 + r.below(16 * 3600) as i64;
            // Up to a tenth of a story's reports are follow-ups weeks later; the rest come in
            // one burst, which lasts longer for a bigger story.
            let follow_ups = if size >= 3 { (f64::from(size) * 0.1 * r.unit()).round() as u32 } else { 0 };
            let burst = size - follow_ups;
            let burst_days = (0.5 + 3.5 * r.unit()) * (1.0 + ln(f64::from(burst)) / 4.0);
            let mean_gap = burst_days * 86_400.0 / f64::from(burst);
            stories.push(StoryState { seed, size, done: 0, episode_left: burst, mean_gap });
            queue.push(Reverse((start.min(end_unix), i as u32)));
        }
        let share = f64::from(cfg.english_share).clamp(0.0, 1.0);
        let outlet_total = cfg.outlets.max(1);
        let mut english_outlets = (outlet_total as f64 * share).round() as usize;
        if share > 0.0 && outlet_total > 1 {
            english_outlets = english_outlets.max(1);
        }
        if share < 1.0 {
            english_outlets = english_outlets.min(outlet_total - 1);
        }
        let english_outlets = english_outlets.min(outlet_total);
        let outlets = [
            outlet_names(DUTCH_OUTLETS, outlet_total - english_outlets),
            outlet_names(ENGLISH_OUTLETS, english_outlets),
        ];
        let english_share = if outlets[1].is_empty() {
            0.0
        } else if outlets[0].is_empty() {
            1.0
        } else {
            share
        };
        let tables = [Tables::new(NL_FUNCTION, NL_CONTENT), Tables::new(EN_FUNCTION, EN_CONTENT)];
        Generator {
            seed: cfg.seed,
            mean_text_bytes: cfg.mean_text_bytes,
            english_share,
            end_unix,
            stories,
            queue,
            emitted: 0,
            remaining: cfg.articles,
            outlets,
            tables,
        }
    }

    /// Writes the article that story `index` publishes at `unix`, and schedules its next one.
    fn article(&mut self, unix: i64, index: u32) -> SynthArticle {
        let state = &mut self.stories[index as usize];
        let k = state.done;
        state.done += 1;
        let story_seed = state.seed;
        let mut rng = Rng::new(story_seed ^ mix64(u64::from(k) + 0x1234_5678));
        state.episode_left -= 1;
        if state.done < state.size {
            let gap = if state.episode_left == 0 {
                // A follow-up of one to three reports: a trial, a report, an anniversary.
                state.episode_left = (1 + rng.below(3) as u32).min(state.size - state.done);
                // Its reports come within hours of each other.
                state.mean_gap = 4.0 * 3600.0;
                7.0 * 86_400.0 + rng.unit() * 53.0 * 86_400.0
            } else {
                (-ln(1.0 - rng.unit()) * state.mean_gap).max(60.0)
            };
            let mut next = unix + gap as i64;
            if next > self.end_unix {
                next = unix + (self.end_unix - unix) / 2;
            }
            self.queue.push(Reverse((next, index)));
        }

        let keys = StoryKeys::new(story_seed);
        let lang = usize::from(rng.chance(self.english_share));
        let outlets = &self.outlets[lang];
        // A few large outlets publish most of the reports.
        let outlet = (pow(rng.unit(), 1.8) * outlets.len() as f64) as usize;
        let source = outlets[outlet.min(outlets.len() - 1)].clone();
        let mut writer = Writer {
            rng,
            keys: &keys,
            lang,
            tables: &self.tables[lang],
            weekday: weekday_from_days(unix.div_euclid(86_400)) as usize,
            rounded: false,
            person: 0,
        };
        writer.rounded = writer.rng.chance(0.25);

        let mut title = Vec::with_capacity(80);
        let templates = if lang == 0 { NL_TITLES } else { EN_TITLES };
        let template = writer.rng.pick(templates);
        writer.sentence_from(template, &mut title);

        let target =
            (self.mean_text_bytes as f64 * (0.55 + 0.9 * writer.rng.unit()) - 55.0).max(1.0) as usize;
        let mut text = Vec::with_capacity(target + 256);
        writer.body(target, &mut text);
        let title = String::from_utf8(title).expect("a title is made of whole strings");
        let text = String::from_utf8(text).expect("a text is made of whole strings");

        let id = format!("synth-{:x}-{:08}", self.seed, self.emitted);
        self.emitted += 1;
        SynthArticle {
            id,
            title,
            text,
            source,
            published: Published { unix, precision: Precision::Second },
            language: if lang == 0 { "nl" } else { "en" },
            story: u64::from(index),
        }
    }
}

impl Iterator for Generator {
    type Item = SynthArticle;

    fn next(&mut self) -> Option<SynthArticle> {
        if self.remaining == 0 {
            return None;
        }
        let Reverse((unix, index)) = self.queue.pop()?;
        self.remaining -= 1;
        Some(self.article(unix, index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Generator {}

fn outlet_names(base: &[&str], n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i / base.len() {
            0 => base[i % base.len()].to_string(),
            round => format!("{} {}", base[i % base.len()], round + 1),
        })
        .collect()
}

/// The terms every report of a story repeats, as indices into the term tables.
struct StoryKeys {
    /// (first name, surname, role) of the people in the story; the first is the main one.
    people: [(usize, usize, usize); 3],
    places: [usize; 2],
    organisations: [usize; 2],
    topics: [usize; 2],
    unit: usize,
    count: u64,
    /// Tenths of a million euros.
    money: u64,
    percent: u64,
}

impl StoryKeys {
    fn new(story_seed: u64) -> Self {
        let mut r = Rng::new(story_seed ^ 0x00ab_cdef);
        let person =
            |r: &mut Rng| (r.below(FIRST_NAMES.len()), r.below(SURNAMES.len()), r.below(ROLES.len()));
        let people = [person(&mut r), person(&mut r), person(&mut r)];
        // Home news dominates: most stories happen in a Dutch place.
        let place = |r: &mut Rng| {
            if r.chance(0.8) {
                r.below(DUTCH_PLACES)
            } else {
                r.below(PLACES.len())
            }
        };
        let places = [place(&mut r), place(&mut r)];
        let organisations = [r.below(ORGANISATIONS.len()), r.below(ORGANISATIONS.len())];
        let topics = [r.below(TOPICS.len()), r.below(TOPICS.len())];
        let unit = r.below(UNITS.len());
        // Log-uniform figures: small numbers are as common as large ones per order of magnitude.
        let count = (3.0 * pow(6_000.0, r.unit())) as u64;
        let money = (3.0 * pow(3_000.0, r.unit())) as u64;
        let percent = 2 + r.below(79) as u64;
        StoryKeys { people, places, organisations, topics, unit, count, money, percent }
    }
}

/// Writes one article's title and text.
struct Writer<'a> {
    rng: Rng,
    keys: &'a StoryKeys,
    /// 0 for Dutch, 1 for English.
    lang: usize,
    tables: &'a Tables,
    /// 0 = Monday, of the publication day.
    weekday: usize,
    /// Whether this report gives its count rounded ("about 280" for 275).
    rounded: bool,
    /// The person last named, whom a bare surname refers to.
    person: usize,
}

impl Writer<'_> {
    /// Paragraphs of two to five sentences until the text reaches `target` bytes.
    fn body(&mut self, target: usize, out: &mut Vec<u8>) {
        let (facts, quotes) = if self.lang == 0 { (NL_FACTS, NL_QUOTES) } else { (EN_FACTS, EN_QUOTES) };
        // The lead names the story's main facts.
        let lead = self.rng.pick(facts);
        self.sentence_from(lead, out);
        let mut left_in_paragraph = 1 + self.rng.below(3);
        while out.len() < target {
            if left_in_paragraph == 0 {
                out.extend_from_slice(b"\n\n");
                left_in_paragraph = 2 + self.rng.below(4);
            } else {
                out.push(b' ');
            }
            left_in_paragraph -= 1;
            let kind = self.rng.below(16);
            match kind {
                0 | 1 => {
                    let template = self.rng.pick(quotes);
                    self.sentence_from(template, out);
                }
                2..=4 => {
                    let template = self.rng.pick(facts);
                    self.sentence_from(template, out);
                }
                _ => self.free_sentence(out),
            }
        }
    }

    fn sentence_from(&mut self, template: &str, out: &mut Vec<u8>) {
        let start = out.len();
        self.render(template, out);
        capitalize_first(out, start);
    }

    /// A sentence of common words with the story's terms here and there.
    fn free_sentence(&mut self, out: &mut Vec<u8>) {
        let start = out.len();
        let words = 6 + self.rng.below(15);
        // The last word written, so that no word (and no story term) comes twice in a row.
        let mut previous = Last::Nothing;
        let mut last_bits = 0;
        for i in 0..words {
            let r = self.rng.next();
            last_bits = r;
            let class = (r >> TABLE_BITS) & 1023;
            let last = i + 1 == words;
            if class < 44 && !last && previous != Last::Term {
                previous = Last::Term;
                if i > 0 {
                    out.push(b' ');
                }
                match class {
                    0..=25 => put(out, self.topic(r >> 40)),
                    26..=35 => put(out, self.place(r >> 40)),
                    _ => self.push_surname(((r >> 40) % 3) as usize, out),
                }
            } else {
                // A content word ends the sentence; elsewhere about half the words are.
                let which = usize::from(last || class >= 470);
                let lens = &self.tables.lens[which];
                let mut w = usize::from(self.tables.zipf[which][(r & TABLE_MASK) as usize]);
                if previous == Last::Word(which, w) {
                    w = (w + 1) % lens.len();
                }
                previous = Last::Word(which, w);
                let padded = &self.tables.padded[which][w];
                let len = usize::from(lens[w]);
                let at = out.len();
                if i == 0 {
                    out.extend_from_slice(&padded[1..]);
                    out.truncate(at + len - 1);
                } else {
                    out.extend_from_slice(padded);
                    out.truncate(at + len);
                }
            }
            if i > 1 && i + 2 < words && (r >> 23) & 1023 < 60 {
                out.push(b',');
            }
        }
        out.push(if (last_bits >> 50) & 31 == 0 { b'?' } else { b'.' });
        capitalize_first(out, start);
    }

    /// Fills a template's slots: `@P` person, `@S` surname, `@R` role, `@L` place,
    /// `@O` organisation, `@T` topic with article, `@t` bare topic, `@U` unit, `@N` count,
    /// `@M` money, `@C` percentage, `@D` weekday.
    fn render(&mut self, template: &str, out: &mut Vec<u8>) {
        let mut rest = template;
        while let Some(at) = rest.find('@') {
            put(out, &rest[..at]);
            let slot = rest.as_bytes().get(at + 1).copied().unwrap_or(b'@');
            rest = rest.get(at + 2..).unwrap_or("");
            let r = self.rng.next();
            let lang = self.lang;
            match slot {
                b'P' => {
                    self.person = [0, 0, 0, 1, 1, 2][(r % 6) as usize];
                    let (first, last, _) = self.keys.people[self.person];
                    put(out, FIRST_NAMES[first]);
                    out.push(b' ');
                    put(out, SURNAMES[last]);
                }
                b'S' => self.push_surname(self.person, out),
                b'R' => put(out, ROLES[self.keys.people[self.person].2][lang]),
                b'L' => put(out, self.place(r)),
                b'O' => {
                    let i = self.keys.organisations[usize::from(r % 10 >= 7)];
                    put(out, ORGANISATIONS[i][lang]);
                }
                b'T' => put(out, self.topic(r)),
                b't' => {
                    let i = self.keys.topics[usize::from(r % 10 >= 8)];
                    put(out, TOPICS[i][2 * lang + 1]);
                }
                b'U' => put(out, UNITS[self.keys.unit][lang]),
                b'N' => {
                    let count = self.keys.count;
                    if self.rounded && count >= 100 {
                        put(out, if lang == 0 { "ongeveer " } else { "about " });
                        let p = 10u64.pow(count.ilog10() - 1);
                        push_grouped(out, (count + p / 2) / p * p, lang);
                    } else {
                        push_grouped(out, count, lang);
                    }
                }
                b'M' => push_money(out, self.keys.money, lang),
                b'C' => push_grouped(out, self.keys.percent, lang),
                b'D' => put(out, WEEKDAYS[self.weekday][lang]),
                _ => out.push(b'@'),
            }
        }
        put(out, rest);
    }

    fn topic(&self, r: u64) -> &'static str {
        TOPICS[self.keys.topics[usize::from(r % 10 >= 8)]][2 * self.lang]
    }

    fn place(&self, r: u64) -> &'static str {
        PLACES[self.keys.places[usize::from(r % 4 == 3)]][self.lang]
    }

    /// A surname on its own, capitalised as Dutch writes it then (`De Vries`).
    fn push_surname(&mut self, person: usize, out: &mut Vec<u8>) {
        self.person = person;
        let start = out.len();
        put(out, SURNAMES[self.keys.people[person].1]);
        capitalize_first(out, start);
    }
}

/// What [`Writer::free_sentence`] wrote last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    /// A general word: its class (function or content) and index.
    Word(usize, usize),
    Term,
}

/// Appends text. The writer works on bytes so that common words can be copied in fixed-size
/// moves; everything appended is whole UTF-8 strings, so the result is valid UTF-8.
#[inline]
fn put(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
}

/// Upper-cases the first letter at or after byte `start`.
fn capitalize_first(s: &mut Vec<u8>, start: usize) {
    let Some(i) = s[start..].iter().position(|&b| b.is_ascii_alphanumeric() || b >= 0x80) else {
        return;
    };
    let at = start + i;
    let first = s[at];
    if first.is_ascii() {
        s[at] = first.to_ascii_uppercase();
        return;
    }
    let width = match first {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    let c = s.get(at..at + width).and_then(|c| std::str::from_utf8(c).ok()).and_then(|c| c.chars().next());
    if let Some(c) = c.filter(|c| c.is_lowercase()) {
        let upper: String = c.to_uppercase().collect();
        s.splice(at..at + width, upper.bytes());
    }
}

/// A whole number with thousands grouped as the language writes them (`3.500`, `3,500`).
fn push_grouped(out: &mut Vec<u8>, n: u64, lang: usize) {
    let digits = n.to_string();
    let sep = if lang == 0 { b'.' } else { b',' };
    for (i, d) in digits.bytes().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
}

/// An amount given in tenths of a million euros (`17,5 miljoen euro`, `€17.5 million`).
fn push_money(out: &mut Vec<u8>, tenths: u64, lang: usize) {
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if lang == 1 {
        put(out, "€");
    }
    push_grouped(out, whole, lang);
    if tenth != 0 {
        out.push(if lang == 0 { b',' } else { b'.' });
        out.push(b'0' + tenth as u8);
    }
    put(out, if lang == 0 { " miljoen euro" } else { " million" });
}

// ---------------------------------------------------------------------------------------------
// Word lists. Function words come roughly in order of frequency, so the Zipf tables rank them
// sensibly; content words mix common nouns, verbs and adjectives of news writing.

#[rustfmt::skip]
const NL_FUNCTION: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "met", "voor", "niet", "zijn",
    "er", "die", "aan", "ook", "om", "als", "bij", "maar", "door", "dan", "nog", "wel", "naar",
    "uit", "of", "over", "al", "was", "hij", "ze", "we", "wordt", "worden", "kan", "zou", "moet",
    "meer", "tot", "na", "werd", "hebben", "hun", "heeft", "dit", "deze", "geen", "zo", "nu",
    "veel", "wat", "waar", "wie", "toen", "omdat", "want", "zich", "sinds", "tegen", "tussen",
    "onder", "zonder", "tijdens", "binnen", "volgens", "echter", "daar", "hier", "alleen", "even",
    "weer", "zelf", "iets", "niets", "elke", "alle", "andere", "eerst", "toch", "juist", "vooral",
    "bijna", "steeds", "ongeveer", "rond", "per", "via", "vanaf", "langs", "achter", "boven",
    "naast", "sommige", "beide", "welke", "ons", "onze", "haar", "wij", "zij", "men", "je", "ik",
    "u", "hem", "hen", "wanneer", "hoe", "waarom", "terwijl", "nadat", "voordat", "zodat", "dus",
    "daarom", "daarna", "zelfs", "verder", "opnieuw", "inmiddels", "misschien", "mogelijk",
];

#[rustfmt::skip]
const NL_CONTENT: &[&str] = &[
    "jaar", "mensen", "zegt", "gaat", "tijd", "dag", "week", "komt", "land", "stad", "gemeente",
    "zei", "regering", "kabinet", "minister", "politie", "nieuwe", "grote", "onderzoek", "plan",
    "geld", "euro", "procent", "werk", "bedrijf", "blijkt", "maakt", "wil", "krijgt", "school",
    "kinderen", "ouders", "huis", "woningen", "straat", "weg", "auto", "trein", "water", "klimaat",
    "energie", "prijs", "kosten", "belasting", "zorg", "ziekenhuis", "artsen", "leraren",
    "studenten", "provincie", "raad", "wethouder", "burgemeester", "partij", "verkiezingen",
    "debat", "wet", "regels", "vergunning", "rapport", "cijfers", "aantal", "deel", "groep",
    "leden", "inwoners", "bewoners", "buurt", "wijk", "centrum", "natuur", "dijk", "rivier", "zee",
    "storm", "regen", "brand", "ongeluk", "slachtoffers", "verdachte", "zaak", "rechtbank",
    "rechter", "straf", "leger", "oorlog", "vrede", "grens", "vluchtelingen", "opvang", "markt",
    "banen", "werkgevers", "werknemers", "vakbond", "loon", "pensioen", "bank", "rente", "economie",
    "groei", "crisis", "tekort", "begroting", "miljoen", "miljard", "nieuws", "krant", "bericht",
    "reactie", "vraag", "antwoord", "besluit", "keuze", "kans", "risico", "probleem", "oplossing",
    "gevolgen", "toekomst", "begin", "einde", "avond", "ochtend", "nacht", "zomer", "winter",
    "neemt", "staat", "ligt", "houdt", "vindt", "denkt", "weet", "laat", "ziet", "gebruikt",
    "betaalt", "vraagt", "geeft", "kiest", "opent", "sluit", "stijgt", "daalt", "groeit",
    "verliest", "wint", "noemt", "meldt", "bevestigt", "ontkent", "onderzoekt", "waarschuwt",
    "belooft", "eist", "besloot", "begint", "stopt", "verwacht", "hoopt", "vreest", "spreekt",
    "schrijft", "werkt", "woont", "blijft", "lijkt", "moeten", "kunnen", "gaan", "komen", "maken",
    "nieuw", "groot", "kleine", "klein", "goed", "goede", "slecht", "hoog", "hoge", "laag", "lange",
    "kort", "snel", "laatste", "eerste", "tweede", "oude", "jonge", "belangrijk", "belangrijke",
    "duidelijk", "moeilijk", "nodig", "zeker", "vorige", "volgende", "landelijke", "lokale",
    "Nederlandse", "Europese", "internationale", "extra", "hard", "zwaar", "veilig", "gezond",
    "dure", "goedkope", "gisteren", "vandaag", "morgen", "eerder", "later", "vanavond", "patiënten",
    "huurders", "boeren", "agenten", "gesprek", "overleg", "afspraak", "akkoord", "protest",
    "demonstratie", "actie", "hulp", "steun", "kritiek", "zorgen", "twijfels", "plannen",
    "maatregelen", "bedrag", "schade", "gebouw", "terrein", "gebied", "snelweg", "station",
    "vliegveld", "zwembad", "bibliotheek", "sporthal", "speeltuin", "ambtenaren", "experts",
    "deskundigen", "getuigen", "familie", "vrienden", "collega's",
];

#[rustfmt::skip]
const EN_FUNCTION: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "it", "with", "as", "was", "by",
    "at", "be", "are", "from", "has", "have", "he", "she", "they", "we", "an", "not", "but", "or",
    "this", "his", "her", "their", "which", "will", "would", "can", "could", "had", "been", "were",
    "more", "after", "about", "than", "also", "who", "its", "into", "over", "up", "out", "there",
    "when", "all", "some", "no", "only", "so", "if", "what", "before", "between", "under", "while",
    "during", "against", "since", "because", "without", "most", "many", "such", "these", "those",
    "any", "each", "both", "still", "just", "even", "now", "then", "again", "already", "around",
    "through", "across", "where", "how", "why", "our", "them", "him", "us", "very", "much", "too",
    "here", "whether", "though", "although", "until", "unless", "whose", "whom", "might", "may",
    "should", "must", "shall", "do", "does", "did", "being", "yet", "nor", "either", "neither",
    "per", "via", "among", "within", "beyond",
];

#[rustfmt::skip]
const EN_CONTENT: &[&str] = &[
    "year", "people", "said", "says", "time", "day", "week", "country", "city", "council",
    "government", "minister", "police", "new", "large", "investigation", "plan", "money", "percent",
    "work", "company", "appears", "makes", "wants", "gets", "school", "children", "parents",
    "house", "homes", "street", "road", "car", "train", "water", "climate", "energy", "price",
    "costs", "tax", "care", "hospital", "doctors", "teachers", "students", "province", "mayor",
    "party", "election", "debate", "law", "rules", "permit", "report", "figures", "number", "part",
    "group", "members", "residents", "neighbourhood", "district", "centre", "nature", "dike",
    "river", "sea", "storm", "rain", "fire", "accident", "victims", "suspect", "case", "court",
    "judge", "sentence", "army", "war", "peace", "border", "refugees", "shelter", "market", "jobs",
    "employers", "workers", "union", "wages", "pension", "bank", "interest", "economy", "growth",
    "crisis", "shortage", "budget", "million", "billion", "news", "newspaper", "statement",
    "response", "question", "answer", "decision", "choice", "chance", "risk", "problem", "solution",
    "consequences", "future", "start", "end", "evening", "morning", "night", "summer", "winter",
    "takes", "stands", "holds", "finds", "thinks", "knows", "lets", "sees", "uses", "pays", "asks",
    "gives", "chooses", "opens", "closes", "rises", "falls", "grows", "loses", "wins", "calls",
    "reports", "confirms", "denies", "investigates", "warns", "promises", "demands", "decided",
    "begins", "stops", "expects", "hopes", "fears", "speaks", "writes", "works", "lives", "remains",
    "seems", "go", "come", "make", "big", "small", "good", "bad", "high", "low", "long", "short",
    "fast", "last", "first", "second", "old", "young", "important", "clear", "difficult",
    "possible", "necessary", "sure", "previous", "next", "national", "local", "Dutch", "European",
    "international", "extra", "hard", "heavy", "safe", "healthy", "expensive", "cheap", "yesterday",
    "today", "tomorrow", "earlier", "later", "tonight", "patients", "tenants", "farmers",
    "officers", "talks", "meeting", "agreement", "deal", "protest", "demonstration", "action",
    "help", "support", "criticism", "concerns", "doubts", "plans", "measures", "amount", "damage",
    "building", "site", "area", "motorway", "station", "airport", "pool", "library", "officials",
    "experts", "witnesses", "family", "friends", "colleagues",
];

/// Invented Dutch outlets, largest first.
const DUTCH_OUTLETS: &[&str] = &[
    "De Dagkoerier",
    "Het Avondblad",
    "Noorderpost",
    "De Rivierbode",
    "Stadsnieuws Oost",
    "Het Polderjournaal",
    "De Kustcourant",
    "Middenland Vandaag",
    "De Veluwse Stem",
    "Zuiderlicht",
    "Het Grachtenblad",
    "Radio Randstad Nieuws",
];

/// Invented English-language outlets, largest first.
const ENGLISH_OUTLETS: &[&str] = &[
    "The Evening Ledger",
    "Harbour Times",
    "The Northern Dispatch",
    "Lowlands Report",
    "The Continental Post",
    "Channel Wire",
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Anna", "Sanne", "Lotte", "Fleur", "Eva", "Sophie", "Noor", "Lisa", "Marieke", "Ingrid",
    "Fatima", "Yasmina", "Priya", "Mei", "Ayse", "Johanna", "Petra", "Karin", "Els", "Nadia", "Jan",
    "Pieter", "Kees", "Willem", "Daan", "Bram", "Thijs", "Ruben", "Joost", "Sander", "Mohamed",
    "Youssef", "Ahmet", "Mehmet", "Rachid", "Erik", "Hans", "Gert", "Maarten", "Koen", "Lucas",
    "Stefan", "Tom", "Michael", "David", "Olga", "Tomasz", "Ines", "Marco", "Samir",
];

#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "de Vries", "Jansen", "Visser", "Bakker", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Smits", "de Graaf", "van der Meer", "van den Berg", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van Dijk", "Schouten", "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers",
    "Postma", "van Wijk", "Veenstra", "Kramer", "Timmermans", "Boersma", "El Amrani", "Yilmaz",
    "Öztürk", "Kaya", "Nowak", "Ramdin", "Hoogland", "Zwart", "Scholten", "Evers", "Oosterhuis",
    "Wiersma", "Langeveld", "Brink", "Verbeek", "Haverkamp", "Sluijter", "Dorrestein",
    "Kloosterman", "Terpstra",
];

/// Roles as `[Dutch, English]`.
const ROLES: &[[&str; 2]] = &[
    ["wethouder", "alderman"],
    ["woordvoerder", "spokesperson"],
    ["minister", "minister"],
    ["burgemeester", "mayor"],
    ["directeur", "director"],
    ["onderzoeker", "researcher"],
    ["advocaat", "lawyer"],
    ["voorzitter", "chair"],
    ["hoogleraar", "professor"],
    ["officier van justitie", "prosecutor"],
    ["gedeputeerde", "provincial executive"],
    ["buurtbewoner", "local resident"],
    ["ooggetuige", "witness"],
    ["econoom", "economist"],
    ["commandant", "commander"],
];

/// How many of [`PLACES`] (the first ones) are in the Netherlands.
const DUTCH_PLACES: usize = 40;

/// Places as `[Dutch, English]`.
const PLACES: &[[&str; 2]] = &[
    ["Amsterdam", "Amsterdam"],
    ["Rotterdam", "Rotterdam"],
    ["Den Haag", "The Hague"],
    ["Utrecht", "Utrecht"],
    ["Eindhoven", "Eindhoven"],
    ["Groningen", "Groningen"],
    ["Tilburg", "Tilburg"],
    ["Almere", "Almere"],
    ["Breda", "Breda"],
    ["Nijmegen", "Nijmegen"],
    ["Arnhem", "Arnhem"],
    ["Haarlem", "Haarlem"],
    ["Enschede", "Enschede"],
    ["Apeldoorn", "Apeldoorn"],
    ["Zwolle", "Zwolle"],
    ["Leiden", "Leiden"],
    ["Maastricht", "Maastricht"],
    ["Dordrecht", "Dordrecht"],
    ["Zoetermeer", "Zoetermeer"],
    ["Leeuwarden", "Leeuwarden"],
    ["Den Bosch", "Den Bosch"],
    ["Delft", "Delft"],
    ["Deventer", "Deventer"],
    ["Alkmaar", "Alkmaar"],
    ["Venlo", "Venlo"],
    ["Helmond", "Helmond"],
    ["Hilversum", "Hilversum"],
    ["Amersfoort", "Amersfoort"],
    ["Assen", "Assen"],
    ["Emmen", "Emmen"],
    ["Middelburg", "Middelburg"],
    ["Lelystad", "Lelystad"],
    ["Vlissingen", "Vlissingen"],
    ["Terneuzen", "Terneuzen"],
    ["Harlingen", "Harlingen"],
    ["Den Helder", "Den Helder"],
    ["Zutphen", "Zutphen"],
    ["Kampen", "Kampen"],
    ["Gouda", "Gouda"],
    ["Schiedam", "Schiedam"],
    ["Antwerpen", "Antwerp"],
    ["Brussel", "Brussels"],
    ["Gent", "Ghent"],
    ["Keulen", "Cologne"],
    ["Berlijn", "Berlin"],
    ["Parijs", "Paris"],
    ["Londen", "London"],
    ["Kyiv", "Kyiv"],
    ["Istanbul", "Istanbul"],
    ["Madrid", "Madrid"],
    ["Rome", "Rome"],
    ["Warschau", "Warsaw"],
    ["Athene", "Athens"],
    ["Lissabon", "Lisbon"],
    ["Wenen", "Vienna"],
    ["Kopenhagen", "Copenhagen"],
    ["Washington", "Washington"],
    ["New York", "New York"],
    ["Damascus", "Damascus"],
    ["Bagdad", "Baghdad"],
    ["Caïro", "Cairo"],
    ["Nairobi", "Nairobi"],
    ["Jakarta", "Jakarta"],
    ["Paramaribo", "Paramaribo"],
    ["Willemstad", "Willemstad"],
];

/// Organisations as `[Dutch, English]`; the named ones are invented.
const ORGANISATIONS: &[[&str; 2]] = &[
    ["Stichting Open Haven", "the Open Harbour Foundation"],
    ["waterschap Lage Landen", "the Lage Landen water board"],
    ["Stichting Groene Delta", "the Green Delta Foundation"],
    ["energiecoöperatie Windkracht Zeven", "the Windkracht Zeven energy cooperative"],
    ["bouwbedrijf Van Hal en Zonen", "builder Van Hal & Sons"],
    ["transportbedrijf Keizer", "the haulier Keizer"],
    ["zorggroep Oosterlicht", "the Oosterlicht care group"],
    ["woningcorporatie Thuisbasis", "the Thuisbasis housing association"],
    ["omgevingsdienst Rivierenland-Oost", "the Rivierenland-Oost environment agency"],
    ["vakbond Samen Sterk", "the Samen Sterk union"],
    ["onderzoeksbureau Kompas", "the research firm Kompas"],
    ["ziekenhuis De Linde", "De Linde hospital"],
    ["de gemeente", "the council"],
    ["de provincie", "the province"],
    ["het ministerie van Infrastructuur", "the Ministry of Infrastructure"],
    ["het ministerie van Justitie", "the Ministry of Justice"],
    ["het Openbaar Ministerie", "the Public Prosecution Service"],
    ["de politie", "the police"],
    ["de brandweer", "the fire brigade"],
    ["de veiligheidsregio", "the regional emergency services"],
    ["de Raad van State", "the Council of State"],
    ["de Tweede Kamer", "the Dutch parliament"],
    ["de Europese Commissie", "the European Commission"],
    ["de Verenigde Naties", "the United Nations"],
    ["het Rode Kruis", "the Red Cross"],
    ["de coalitie", "the coalition"],
];

/// Topics as `[Dutch with article, Dutch bare, English with article, English bare]`.
const TOPICS: &[[&str; 4]] = &[
    ["de brug", "brug", "the bridge", "bridge"],
    ["het ziekenhuis", "ziekenhuis", "the hospital", "hospital"],
    ["de woningbouw", "woningbouw", "housebuilding", "housebuilding"],
    ["de stikstofregels", "stikstofregels", "the nitrogen rules", "nitrogen rules"],
    ["het windpark", "windpark", "the wind farm", "wind farm"],
    ["de dijkversterking", "dijkversterking", "the dike reinforcement", "dike reinforcement"],
    ["het busvervoer", "busvervoer", "the bus services", "bus services"],
    ["de jeugdzorg", "jeugdzorg", "youth care", "youth care"],
    ["de asielopvang", "asielopvang", "asylum reception", "asylum reception"],
    ["de gaswinning", "gaswinning", "gas extraction", "gas extraction"],
    ["de hittegolf", "hittegolf", "the heatwave", "heatwave"],
    ["de overstroming", "overstroming", "the flood", "flood"],
    ["de bosbrand", "bosbrand", "the forest fire", "forest fire"],
    ["de cyberaanval", "cyberaanval", "the cyberattack", "cyberattack"],
    ["het datalek", "datalek", "the data breach", "data breach"],
    ["de staking", "staking", "the strike", "strike"],
    ["het faillissement", "faillissement", "the bankruptcy", "bankruptcy"],
    ["de fusie", "fusie", "the merger", "merger"],
    ["de verkiezingscampagne", "verkiezingscampagne", "the election campaign", "election campaign"],
    ["het belastingplan", "belastingplan", "the tax plan", "tax plan"],
    ["de drugshandel", "drugshandel", "drug trafficking", "drug trafficking"],
    ["de explosie", "explosie", "the explosion", "explosion"],
    ["de schietpartij", "schietpartij", "the shooting", "shooting"],
    ["de treinstoring", "treinstoring", "the rail disruption", "rail disruption"],
    ["de vogelgriep", "vogelgriep", "bird flu", "bird flu"],
    ["het lerarentekort", "lerarentekort", "the teacher shortage", "teacher shortage"],
    ["de huurverhoging", "huurverhoging", "the rent increase", "rent increase"],
    ["de energieprijzen", "energieprijzen", "energy prices", "energy prices"],
    ["de luchthaven", "luchthaven", "the airport", "airport"],
    ["de haven", "haven", "the port", "port"],
    ["het stadion", "stadion", "the stadium", "stadium"],
    ["het festival", "festival", "the festival", "festival"],
    ["de fraudezaak", "fraudezaak", "the fraud case", "fraud case"],
    ["de wapenstilstand", "wapenstilstand", "the ceasefire", "ceasefire"],
    ["het konvooi", "konvooi", "the convoy", "convoy"],
    ["de evacuatie", "evacuatie", "the evacuation", "evacuation"],
    ["de grenscontroles", "grenscontroles", "the border checks", "border checks"],
    ["het mestoverschot", "mestoverschot", "the manure surplus", "manure surplus"],
    ["de tunnel", "tunnel", "the tunnel", "tunnel"],
    ["de zeespiegelstijging", "zeespiegelstijging", "sea level rise", "sea level rise"],
];

/// Counted things as `[Dutch, English]`.
const UNITS: &[[&str; 2]] = &[
    ["bewoners", "residents"],
    ["woningen", "homes"],
    ["strijders", "fighters"],
    ["banen", "jobs"],
    ["patiënten", "patients"],
    ["voertuigen", "vehicles"],
    ["leerlingen", "pupils"],
    ["huishoudens", "households"],
    ["reizigers", "passengers"],
    ["bezoekers", "visitors"],
    ["medewerkers", "employees"],
    ["agenten", "officers"],
    ["boeren", "farmers"],
    ["vluchten", "flights"],
    ["bomen", "trees"],
];

/// Weekdays from Monday, as `[Dutch, English]`.
const WEEKDAYS: [[&str; 2]; 7] = [
    ["maandag", "Monday"],
    ["dinsdag", "Tuesday"],
    ["woensdag", "Wednesday"],
    ["donderdag", "Thursday"],
    ["vrijdag", "Friday"],
    ["zaterdag", "Saturday"],
    ["zondag", "Sunday"],
];

const NL_TITLES: &[&str] = &[
    "@L: @t kost @M",
    "@P wil opheldering over @t",
    "@N @U getroffen door @t in @L",
    "Onrust in @L over @t",
    "@O onderzoekt @t",
    "@t: '@S had het kunnen weten'",
    "Nieuwe wending rond @t in @L",
    "@R @S: @t kan niet langer wachten",
    "Kritiek op @O na @t",
    "@t in @L: wat we weten",
];

const EN_TITLES: &[&str] = &[
    "@L: @t to cost @M",
    "@P demands answers over @t",
    "@N @U hit by @t in @L",
    "Unrest in @L over @t",
    "@O investigates @t",
    "@t: '@S could have known'",
    "New twist in @t in @L",
    "@S: @t cannot wait any longer",
    "Criticism of @O after @t",
    "@t in @L: what we know",
];

const NL_FACTS: &[&str] = &[
    "@O maakte @D bekend dat het aantal @U in @L is gestegen tot @N.",
    "Volgens @R @P gaat het om @N @U.",
    "@T in @L kost naar schatting @M.",
    "Dat is @C procent meer dan vorig jaar, meldt @O.",
    "@S wil dat er snel een oplossing komt voor @T.",
    "In @L reageerden @U geschrokken op het nieuws over @T.",
    "Het onderzoek naar @T loopt nog, laat @O weten.",
    "Eerder sprak @O nog van @N @U.",
    "@T staat @D op de agenda van de raad in @L.",
    "Bij @T in @L zijn @N @U betrokken.",
    "@O trekt @M uit voor @T.",
    "Sinds het begin van @T is het aantal @U met @C procent gedaald.",
];

const EN_FACTS: &[&str] = &[
    "@O said on @D that the number of @U in @L had risen to @N.",
    "According to @P, the @R, the figure is @N @U.",
    "@T in @L is expected to cost @M.",
    "That is @C percent more than last year, @O reported.",
    "@S wants a quick solution for @T.",
    "In @L, @U reacted with shock to the news about @T.",
    "The investigation into @T is continuing, @O said.",
    "Earlier, @O had spoken of @N @U.",
    "@T is on the agenda of the council in @L on @D.",
    "Some @N @U are affected by @T in @L.",
    "@O is setting aside @M for @T.",
    "Since @T began, the number of @U has fallen by @C percent.",
];

const NL_QUOTES: &[&str] = &[
    "\"Hier moeten we echt iets aan doen,\" zegt @R @P.",
    "\"We hebben dit niet zien aankomen,\" zegt @S.",
    "\"De cijfers liegen niet,\" aldus @R @P van @O.",
    "\"Niemand heeft ons iets verteld over @t,\" zegt @P, @R in @L.",
    "@S: \"We wachten eerst het onderzoek af.\"",
    "\"Het gaat om @N @U, dat is niet niks,\" zei @S @D.",
];

const EN_QUOTES: &[&str] = &[
    "\"We really have to do something about this,\" said @P, the @R.",
    "\"We did not see this coming,\" @S said.",
    "\"The figures speak for themselves,\" said @P of @O.",
    "\"Nobody told us anything about the @t,\" said @P, a @R in @L.",
    "@S said: \"We will wait for the investigation first.\"",
    "\"This is about @N @U, which is no small thing,\" @S said on @D.",
];

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn small() -> SynthConfig {
        SynthConfig { articles: 3_000, stories: 300, ..SynthConfig::default() }
    }

    #[test]
    fn same_config_same_bytes_and_seeds_differ() {
        let cfg = SynthConfig { articles: 500, stories: 60, ..SynthConfig::default() };
        let a: Vec<String> = generate(&cfg).map(|x| x.to_json_line()).collect();
        let b: Vec<String> = generate(&cfg).map(|x| x.to_json_line()).collect();
        assert_eq!(a, b);
        let other = SynthConfig { seed: 43, ..cfg };
        let c: Vec<String> = generate(&other).map(|x| x.to_json_line()).collect();
        assert_ne!(a, c);
        assert!(a.iter().zip(&c).filter(|(x, y)| x == y).count() < 5);
    }

    #[test]
    fn requested_count_in_publication_order_within_the_period() {
        let cfg = small();
        let start = cfg.start_day * 86_400;
        let end = start + i64::from(cfg.days) * 86_400;
        let gen = generate(&cfg);
        assert_eq!(gen.len(), cfg.articles);
        let articles: Vec<SynthArticle> = gen.collect();
        assert_eq!(articles.len(), cfg.articles);
        assert!(articles.windows(2).all(|w| w[0].published <= w[1].published));
        assert!(articles.iter().all(|a| (start..end).contains(&a.published.unix)));
        let ids: std::collections::HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), articles.len());
        assert!(articles.iter().all(|a| (a.story as usize) < cfg.stories));
        for n in [0, 1, 7] {
            let cfg = SynthConfig { articles: n, stories: 100, ..SynthConfig::default() };
            assert_eq!(generate(&cfg).count(), n);
        }
    }

    #[test]
    fn text_length_is_near_the_mean() {
        for mean in [3_000, 800] {
            let cfg = SynthConfig { articles: 1_000, mean_text_bytes: mean, ..small() };
            let total: usize = generate(&cfg).map(|a| a.text.len()).sum();
            let avg = total as f64 / 1_000.0;
            assert!((avg - mean as f64).abs() < mean as f64 * 0.1, "mean {mean}: average {avg}");
        }
    }

    #[test]
    fn story_sizes_are_skewed() {
        let cfg = SynthConfig::default();
        let mut sizes: HashMap<u64, usize> = HashMap::new();
        for a in generate(&cfg) {
            *sizes.entry(a.story).or_default() += 1;
        }
        let mut sizes: Vec<usize> = sizes.into_values().collect();
        sizes.sort_unstable();
        assert_eq!(sizes.len(), cfg.stories);
        assert_eq!(sizes.iter().sum::<usize>(), cfg.articles);
        let median = sizes[sizes.len() / 2];
        let small = sizes.iter().filter(|&&s| s <= 5).count();
        assert!(median <= 5, "median story size {median}");
        assert!(small * 2 > sizes.len(), "only {small} stories of at most five articles");
        assert!(*sizes.last().unwrap() >= 100, "largest story {}", sizes.last().unwrap());
    }

    #[test]
    fn a_story_comes_in_a_burst_and_repeats_its_terms() {
        let cfg = small();
        let articles: Vec<SynthArticle> = generate(&cfg).collect();
        let mut by_story: HashMap<u64, Vec<&SynthArticle>> = HashMap::new();
        for a in &articles {
            by_story.entry(a.story).or_default().push(a);
        }
        let (_, big) = by_story.iter().max_by_key(|(s, v)| (v.len(), *s)).unwrap();
        let first = big[0].published.unix;
        let within_two_weeks = big.iter().filter(|a| a.published.unix - first < 14 * 86_400).count();
        assert!(within_two_weeks * 10 >= big.len() * 7, "{within_two_weeks} of {}", big.len());
        // The story's main place appears in most of its reports.
        let keys = StoryKeys::new(cfg_story_seed(&cfg, big[0].story));
        let place = PLACES[keys.places[0]][0];
        let dutch: Vec<_> = big.iter().filter(|a| a.language == "nl").collect();
        let mentioning = dutch.iter().filter(|a| a.text.contains(place) || a.title.contains(place));
        assert!(mentioning.count() * 2 > dutch.len());
    }

    fn cfg_story_seed(cfg: &SynthConfig, story: u64) -> u64 {
        mix64(cfg.seed ^ mix64(story + 1))
    }

    #[test]
    fn text_looks_like_news() {
        let articles: Vec<SynthArticle> = generate(&small()).take(300).collect();
        let english = articles.iter().filter(|a| a.language == "en").count();
        assert!((30..=100).contains(&english), "{english} of 300 in English");
        for a in &articles {
            assert!(a.text.contains("\n\n"), "no paragraphs in {}", a.id);
            for paragraph in a.text.split("\n\n") {
                let first = paragraph.chars().next().unwrap();
                assert!(first.is_uppercase() || first == '"', "{paragraph:?}");
                assert!(paragraph.ends_with(['.', '?', '"']), "{paragraph:?}");
            }
            let first = a.title.chars().next().unwrap();
            assert!(first.is_uppercase() || first.is_ascii_digit(), "{}", a.title);
            assert!(!a.title.contains('@') && !a.text.contains('@'));
            assert!(!a.source.is_empty());
        }
        let dutch = articles.iter().find(|a| a.language == "nl").unwrap();
        assert!([" de ", " het ", " een "].iter().any(|w| dutch.text.contains(w)));
        let english = articles.iter().find(|a| a.language == "en").unwrap();
        assert!(english.text.contains(" the "));
    }

    #[test]
    fn json_lines_round_trip() {
        for a in generate(&small()).take(50) {
            let line = a.to_json_line();
            assert!(!line.contains('\n'));
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let o = v.as_object().unwrap();
            assert_eq!(o.len(), 7);
            assert_eq!(o["id"], a.id.as_str());
            assert_eq!(o["title"], a.title.as_str());
            assert_eq!(o["text"], a.text.as_str());
            assert_eq!(o["source"], a.source.as_str());
            assert_eq!(o["language"], a.language);
            assert_eq!(o["story"], a.story);
            let published = Published::parse(o["published"].as_str().unwrap()).unwrap();
            assert_eq!(published, a.published);
            assert!(o["published"].as_str().unwrap().ends_with('Z'));
        }
    }

    #[test]
    fn helpers() {
        let mut s = Vec::new();
        push_grouped(&mut s, 1_234_567, 0);
        s.push(b' ');
        push_grouped(&mut s, 275, 1);
        s.push(b' ');
        push_money(&mut s, 175, 0);
        s.push(b' ');
        push_money(&mut s, 12_340, 1);
        assert_eq!(String::from_utf8(s).unwrap(), "1.234.567 275 17,5 miljoen euro €1,234 million");
        let mut t = "x \"één brug\"".as_bytes().to_vec();
        capitalize_first(&mut t, 2);
        assert_eq!(String::from_utf8(t).unwrap(), "x \"Één brug\"");
        let table = zipf_table(10, 1.0);
        assert!(table.iter().filter(|&&w| w == 0).count() > table.iter().filter(|&&w| w == 9).count() * 3);
        assert_eq!(story_sizes(&mut Rng::new(1), 10, 10), vec![1; 10]);
        assert_eq!(story_sizes(&mut Rng::new(1), 1_000, 7).iter().sum::<u32>(), 1_000);
    }

    #[test]
    fn portable_maths_matches_the_system_library() {
        for x in [1e-300, 1e-9, 0.001, 0.3, 0.999_999, 1.0, 1.5, 2.0, 2.7, 10.0, 6_000.0, 1e200] {
            let (ours, std) = (ln(x), x.ln());
            assert!((ours - std).abs() <= 1e-14 * std.abs().max(1.0), "ln {x}: {ours} vs {std}");
        }
        for x in [-700.0, -20.0, -1.0, -1e-9, 0.0, 0.5, 1.0, 7.3, 300.0, 700.0] {
            let (ours, std) = (exp(x), x.exp());
            assert!((ours - std).abs() <= 1e-14 * std, "exp {x}: {ours} vs {std}");
        }
        for (x, y) in [(2.7, -1.0), (0.25, 1.8), (6_000.0, 0.37), (0.5, -1.0 / 1.11)] {
            let (ours, std) = (pow(x, y), x.powf(y));
            assert!((ours - std).abs() <= 1e-13 * std, "pow {x} {y}: {ours} vs {std}");
        }
        assert_eq!(pow(0.0, 1.8), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(1e-310).is_finite());
    }

    /// Run with `cargo test --release -p storyline-core --lib synth::tests::speed -- --ignored
    /// --nocapture` to see the generation rate.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn speed() {
        let cfg = SynthConfig { articles: 200_000, stories: 20_000, ..SynthConfig::default() };
        let started = std::time::Instant::now();
        let bytes: usize = generate(&cfg).map(|a| a.text.len() + a.title.len()).sum();
        let secs = started.elapsed().as_secs_f64();
        let json_started = std::time::Instant::now();
        let json: usize = generate(&cfg).map(|a| a.to_json_line().len()).sum();
        let json_secs = json_started.elapsed().as_secs_f64();
        println!(
            "generated {} articles ({:.0} MB) in {secs:.2} s: {:.0} articles/s, {:.0} MB/s; \
             with JSON lines ({:.0} MB) {:.0} articles/s",
            cfg.articles,
            bytes as f64 / 1e6,
            cfg.articles as f64 / secs,
            bytes as f64 / 1e6 / secs,
            json as f64 / 1e6,
            cfg.articles as f64 / json_secs,
        );
    }
}
