//! The trained name tagger: a linear-chain model that labels every token of a sentence as the
//! beginning (`B-`) or inside (`I-`) of a person, organisation, place or other name, or as
//! outside any name (`O`).
//!
//! The model is a structured averaged perceptron (Collins 2002) over hashed sparse features,
//! decoded with Viterbi under the BIO constraint (an `I-X` only after a `B-X` or `I-X`). The
//! features ([`features`]) are the word and its neighbours, affixes, word shapes, capitalisation
//! at and away from the sentence start, what the gazetteer knows of the span a token starts or
//! continues, and what the annotator's word lists say of the token and its neighbours (titles,
//! given names, nationality words, place and organisation words, verbs of saying); a few are
//! read over the whole article (whether a capitalised word is also written in lowercase, or
//! capitalised away from a sentence start, elsewhere). Training ([`train`]) and tagging
//! ([`Model::tag`]) call the same feature function, so what the model learned is what it reads.
//!
//! A model file is small and versioned: `models/ner-nl.bin` ships the Dutch weights (trained
//! on CoNLL-2002; `models/README.md` says how, with its figures and licence). Weights are
//! quantised to 16 bits; features are kept by a 32-bit hash.

use std::collections::HashMap;

use super::entities::{fold_append, lex, lexicon, starts_upper};
use super::gazetteer;
use super::{Document, EntityType, Span, TokenKind};
use crate::hash::{hash64, mix64};

/// The labels, in model order: `O`, then `B-` and `I-` of each kind in [`KINDS`] order.
pub const LABELS: [&str; 9] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"];

/// The kinds of name, in label order.
pub const KINDS: [EntityType; 4] =
    [EntityType::Person, EntityType::Organization, EntityType::Place, EntityType::Other];

const L: usize = LABELS.len();

/// The label index of `B-` of a kind.
pub fn begin_label(kind: EntityType) -> usize {
    1 + 2 * KINDS.iter().position(|&k| k == kind).unwrap_or(3)
}

/// The kind of a label other than `O`.
pub fn label_kind(label: usize) -> Option<EntityType> {
    (label > 0 && label < L).then(|| KINDS[(label - 1) / 2])
}

fn is_inside(label: usize) -> bool {
    label > 0 && label.is_multiple_of(2)
}

/// Whether `to` may follow `from` (`None`: the sentence start).
fn allowed(from: Option<usize>, to: usize) -> bool {
    !is_inside(to) || from.is_some_and(|f| f != 0 && f.div_ceil(2) == to.div_ceil(2))
}

/// The features of every token of a document: token `i` has `ids[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Default, Clone)]
pub struct TokenFeatures {
    /// Where each token's features start in `ids` (one more entry than tokens).
    pub offsets: Vec<u32>,
    /// Hashed feature ids.
    pub ids: Vec<u32>,
}

impl TokenFeatures {
    /// The features of token `i`.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.ids[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// Feature templates: each feature's hash is seeded by its template.
#[derive(Clone, Copy)]
#[repr(u8)]
enum T {
    Bias = 1,
    Word,
    Lower,
    Prefix,
    Suffix,
    Shape,
    ShortShape,
    Flags,
    Prev,
    Next,
    Prev2,
    Next2,
    PrevWord,
    NextWord,
    PrevBigram,
    NextBigram,
    ShapeTri,
    PrevShape,
    NextShape,
    Gaz,
    GazPrev,
    GazNext,
    Lex,
    LexPrev,
    LexNext,
    LexPrev2,
    Doc,
    DocShape,
    Len,
    InitShape,
    FlagsPrev,
    FlagsNext,
    Lex2,
    DocCtx,
    DocNeighbour,
}

/// Which features a model reads.
///
/// `Full` reads every word as itself. `Transfer` is for a model trained in one language and
/// used in another: a word is read as itself only when it can be a name (capitalised, and not
/// a function word, preposition or verb of saying of the word lists); every other word is read
/// as what the word lists say of it, so `minister` and `spokesman`, `zei` and `said`, `in` and
/// `naar` are the same feature in both languages. Shapes, capitalisation, the gazetteer and the
/// article-level features are the same in both sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeatureSet {
    /// Every word as itself.
    #[default]
    Full,
    /// Only name-like words as themselves, every other word as its word-list class.
    Transfer,
}

impl FeatureSet {
    fn byte(self) -> u8 {
        match self {
            FeatureSet::Full => 0,
            FeatureSet::Transfer => 1,
        }
    }

    fn from_byte(b: u8) -> Option<Self> {
        match b {
            0 => Some(FeatureSet::Full),
            1 => Some(FeatureSet::Transfer),
            _ => None,
        }
    }
}

/// Per-token facts the features are made from.
struct Tok<'a> {
    text: &'a str,
    /// Hashes of the folded word, its shape and the word as written.
    word: u64,
    /// The word as the features read it: `word`, or under [`FeatureSet::Transfer`] its
    /// word-list class unless it can be a name.
    id: u64,
    /// The word as its neighbours' features read it: `word`, or its class under transfer.
    ctx: u64,
    shape: u64,
    raw: u64,
    /// Bit 0 first word of its sentence, 1 capitalised, 2 all capitals, 3 digit, 4 hyphen
    /// or apostrophe inside, 5 punctuation, 6 after a line break, 7 in a headline-like line.
    flags: u8,
    lex: u16,
    /// Gazetteer: 0 none, else `1 + 2 * kind (+1 inside)`, as the labels.
    gaz: u8,
}

const F_INITIAL: u8 = 1;
const F_UPPER: u8 = 1 << 1;
const F_CAPS: u8 = 1 << 2;
const F_DIGIT: u8 = 1 << 3;
const F_JOINED: u8 = 1 << 4;
const F_PUNCT: u8 = 1 << 5;
const F_NEWLINE: u8 = 1 << 6;
const F_HEADLINE: u8 = 1 << 7;

/// A word's shape: capitals `X`, small letters `x`, digits `d`, other letters `a`, anything
/// else as written, runs of one class written once (`Xx`, `X`, `x-Xx`, `d.d`).
fn shape_of(word: &str, out: &mut Vec<u8>) {
    out.clear();
    let mut last = 0u8;
    for c in word.chars() {
        let s = if c.is_ascii_uppercase() || (!c.is_ascii() && c.is_uppercase()) {
            b'X'
        } else if c.is_ascii_lowercase() || (!c.is_ascii() && c.is_lowercase()) {
            b'x'
        } else if c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()) {
            b'd'
        } else if c.is_alphabetic() {
            b'a'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'~'
        };
        if s != last {
            out.push(s);
        }
        last = s;
    }
}

const BOS: u64 = 0x0b05_0b05_0b05_0b05;
const EOS: u64 = 0x0e05_0e05_0e05_0e05;
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Feature ids: one per template and value, from hashes computed once per token.
struct Hasher<'o> {
    out: &'o mut Vec<u32>,
}

impl Hasher<'_> {
    #[inline]
    fn one(&mut self, t: T, a: u64) {
        self.out.push(fold_id(mix64(a ^ (t as u64).wrapping_mul(K))));
    }

    #[inline]
    fn two(&mut self, t: T, a: u64, b: u64) {
        self.out.push(fold_id(mix64(a.rotate_left(21) ^ b ^ (t as u64).wrapping_mul(K))));
    }

    #[inline]
    fn three(&mut self, t: T, a: u64, b: u64, c: u64) {
        self.out.push(fold_id(mix64(a.rotate_left(21) ^ b.rotate_left(42) ^ c ^ (t as u64).wrapping_mul(K))));
    }
}

#[inline]
fn fold_id(h: u64) -> u32 {
    let id = (h ^ (h >> 32)) as u32;
    id.max(1)
}

/// An identity hasher for keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type HashMapU64<V> = HashMap<u64, V, std::hash::BuildHasherDefault<Prehashed>>;

/// The longest gazetteer name starting at each capitalised token: per token, 0 or the label
/// (as in [`LABELS`]) the gazetteer's kind gives it.
fn gazetteer_labels(doc: &Document<'_>, toks: &[Tok<'_>], key: &mut String) -> Vec<u8> {
    let n = toks.len();
    let mut out = vec![0u8; n];
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        if t.flags & F_UPPER == 0 || t.flags & F_PUNCT != 0 {
            i += 1;
            continue;
        }
        // The window: word tokens on one line, at most six.
        let mut last = i;
        while last + 1 < n
            && last - i < 5
            && toks[last + 1].flags & (F_PUNCT | F_NEWLINE) == 0
            && doc.tokens[last + 1].start == doc.tokens[last].end + 1
        {
            last += 1;
        }
        key.clear();
        super::entities::push_key(t.text, key);
        if last > i && !gazetteer::may_continue(key) {
            last = i;
        }
        let mut found = None;
        for j in (i..=last).rev() {
            let span = Span::new(doc.tokens[i].start, doc.tokens[j].end);
            let written = doc.slice(span);
            let hit = if j == i { gazetteer::acronym(written) } else { None }.or_else(|| {
                key.clear();
                super::entities::push_key(written, key);
                gazetteer::lookup(key, written, t.flags & F_INITIAL != 0)
            });
            if let Some(h) = hit {
                found = Some((j, h.kind));
                break;
            }
        }
        match found {
            Some((j, kind)) => {
                let b = begin_label(kind) as u8;
                out[i] = b;
                for o in &mut out[i + 1..=j] {
                    *o = b + 1;
                }
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Computes the features of every token of `doc` into `out` (cleared first).
pub fn features(doc: &Document<'_>, set: FeatureSet, out: &mut TokenFeatures) {
    out.offsets.clear();
    out.ids.clear();
    let text = doc.text;
    let n = doc.tokens.len();
    let mut toks: Vec<Tok<'_>> = Vec::with_capacity(n);
    // Sentence bounds per token, sentence starts and headline-like lines.
    let mut initial = vec![false; n];
    let mut headline = vec![false; n];
    let mut sent_of = vec![(0u32, 0u32); n];
    for range in sentence_ranges(doc) {
        let (from, to) = (range.start, range.end);
        let mut first = true;
        let (mut words, mut caps, mut long_lower) = (0, 0, 0);
        for ti in range {
            sent_of[ti] = (from as u32, to as u32);
            let t = &doc.tokens[ti];
            if t.kind == TokenKind::Punct {
                let p = t.text(text);
                if matches!(p, ":" | "„" | "“" | "\"" | "‘" | "«" | "'" | "‹" | "`" | "-" | "–" | "—")
                {
                    first = true;
                }
            } else {
                if first {
                    initial[ti] = true;
                    first = false;
                }
                if t.kind == TokenKind::Word {
                    let w = t.text(text);
                    words += 1;
                    if starts_upper(w) {
                        caps += 1;
                    } else if w.len() > 3 {
                        long_lower += 1;
                    }
                }
            }
        }
        if words >= 4 && long_lower <= 1 && caps * 10 >= words * 7 {
            headline[from..to].iter_mut().for_each(|h| *h = true);
        }
    }
    let mut folded = String::with_capacity(text.len() + 16);
    let mut folds: Vec<(u32, u32)> = Vec::with_capacity(n);
    let mut shape = Vec::with_capacity(16);
    let mut lexicons: HashMapU64<u16> = HashMapU64::with_capacity_and_hasher(n / 2 + 1, Default::default());
    for (i, t) in doc.tokens.iter().enumerate() {
        let w = t.text(text);
        let f0 = folded.len();
        fold_append(w, &mut folded);
        let f = &folded[f0..];
        folds.push((f0 as u32, folded.len() as u32));
        shape_of(w, &mut shape);
        let mut flags = 0u8;
        if initial[i] {
            flags |= F_INITIAL;
        }
        if headline[i] {
            flags |= F_HEADLINE;
        }
        if t.after_newline {
            flags |= F_NEWLINE;
        }
        match t.kind {
            TokenKind::Punct => flags |= F_PUNCT,
            TokenKind::Number => flags |= F_DIGIT,
            TokenKind::Word => {
                if shape.first() == Some(&b'X') {
                    flags |= F_UPPER;
                    if !shape.contains(&b'x') && w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() {
                        flags |= F_CAPS;
                    }
                }
                if shape.contains(&b'd') {
                    flags |= F_DIGIT;
                }
                if shape.iter().any(|&c| !matches!(c, b'X' | b'x' | b'd' | b'a')) {
                    flags |= F_JOINED;
                }
            }
        }
        let word = hash64(1, f.as_bytes());
        // The word lists are asked once per distinct word of the article.
        let lex =
            if t.kind == TokenKind::Word { *lexicons.entry(word).or_insert_with(|| lexicon(f)) } else { 0 };
        // Under transfer a word that cannot be a name is read as its word-list class, a month,
        // weekday or title as if written in lowercase (English capitalises them, Dutch does
        // not: `President`, `Commissioner`, `Monday`), and
        // every word in the context of another as its class and capitalisation.
        const NOT_NAME: u16 = lex::STOP | lex::PARTICLE | lex::PLACE_PREP | lex::SPEECH | lex::MONTH_OR_DAY;
        let class =
            |flags: u8| mix64(0x7472_616e_7366_6572 ^ u64::from(lex) ^ u64::from(flags & F_UPPER) << 20);
        let (id, ctx) = match set {
            FeatureSet::Transfer if t.kind == TokenKind::Word => {
                if lex & (lex::MONTH_OR_DAY | lex::ROLE) != 0 && lex & lex::ORG == 0 {
                    flags &= !(F_UPPER | F_CAPS);
                    shape_of(f, &mut shape);
                }
                let own = if flags & F_UPPER == 0 || lex & NOT_NAME != 0 { class(flags) } else { word };
                (own, class(flags))
            }
            _ => (word, word),
        };
        toks.push(Tok {
            text: w,
            word,
            id,
            ctx,
            shape: hash64(2, &shape),
            raw: hash64(3, w.as_bytes()),
            flags,
            lex,
            gaz: 0,
        });
    }
    let mut key = String::new();
    let gaz = gazetteer_labels(doc, &toks, &mut key);
    for (t, g) in toks.iter_mut().zip(gaz) {
        t.gaz = g;
    }
    // What the article says of a word elsewhere: whether it is written in lowercase,
    // capitalised away from a sentence start, or capitalised at one; and the company a
    // capitalised word keeps: what stands before and after its mentions (a given name, a
    // title, a locative preposition, a verb of saying, the neighbouring words themselves).
    struct Elsewhere {
        cases: u8,
        company: u16,
        /// Up to eight distinct neighbouring words of its capitalised mentions.
        neighbours: [u64; 8],
        count: u8,
    }
    let mut seen: HashMapU64<Elsewhere> = HashMapU64::with_capacity_and_hasher(n / 2 + 1, Default::default());
    for i in 0..n {
        let t = &toks[i];
        if t.flags & F_PUNCT != 0 {
            continue;
        }
        let e =
            seen.entry(t.word).or_insert(Elsewhere { cases: 0, company: 0, neighbours: [0; 8], count: 0 });
        if t.flags & F_UPPER == 0 {
            e.cases |= 1;
            continue;
        }
        e.cases |= if t.flags & (F_INITIAL | F_HEADLINE) == 0 { 2 } else { 4 };
        let prev = if i > 0 { toks[i - 1].lex } else { 0 };
        let next = toks.get(i + 1).map_or(0, |t| t.lex);
        let prev_upper = i > 0 && toks[i - 1].flags & (F_UPPER | F_PUNCT | F_INITIAL) == F_UPPER;
        let next_upper = toks.get(i + 1).is_some_and(|t| t.flags & (F_UPPER | F_PUNCT) == F_UPPER);
        let article = i > 0
            && (matches!(toks[i - 1].text, "de" | "het" | "De" | "Het")
                || set == FeatureSet::Transfer && matches!(toks[i - 1].text, "the" | "The"));
        for (on, bit) in [
            (prev & lex::FIRST_NAME != 0, 0),
            (prev & (lex::ROLE | lex::HONORIFIC) != 0, 1),
            (prev & lex::PLACE_PREP != 0, 2),
            (prev & (lex::ORG_CONTEXT | lex::PLACE_NOUN) != 0, 3),
            (next & lex::SPEECH != 0, 4),
            (prev_upper, 5),
            (next_upper, 6),
            (t.lex & lex::FIRST_NAME != 0 && next_upper, 7),
            (article, 8),
        ] {
            if on {
                e.company |= 1 << bit;
            }
        }
        for k in [i.checked_sub(1), Some(i + 1)] {
            let Some(k) = k.filter(|&k| k < n) else { continue };
            let h = toks[k].ctx ^ if k < i { 0 } else { EOS };
            let c = usize::from(e.count);
            if c < 8 && !e.neighbours[..c].contains(&h) {
                e.neighbours[c] = h;
                e.count += 1;
            }
        }
    }
    out.offsets.reserve(n + 1);
    out.ids.reserve(n * 64);
    out.offsets.push(0);
    for i in 0..n {
        let (from, to) = (sent_of[i].0 as usize, sent_of[i].1 as usize);
        let at = |k: isize| -> Option<usize> {
            let j = i as isize + k;
            (j >= from as isize && j < to as isize).then_some(j as usize)
        };
        let word = |k: isize| at(k).map_or(if k < 0 { BOS } else { EOS }, |j| toks[j].ctx);
        let shp = |k: isize| at(k).map_or(if k < 0 { BOS } else { EOS }, |j| toks[j].shape);
        let t = &toks[i];
        let mut h = Hasher { out: &mut out.ids };
        h.one(T::Bias, 0);
        let itself = t.id == t.word;
        h.one(T::Lower, t.id);
        h.one(T::Word, if itself { t.raw } else { t.id });
        h.one(T::Shape, t.shape);
        if t.flags & F_PUNCT == 0 && itself {
            // Prefixes and suffixes of one to four characters.
            let (f0, f1) = folds[i];
            let fw = &folded[f0 as usize..f1 as usize];
            let mut ends = fw.char_indices().map(|(b, _)| b).skip(1).chain(std::iter::once(fw.len()));
            for k in 1..=4u64 {
                let Some(p) = ends.next() else { break };
                h.one(T::Prefix, hash64(k, &fw.as_bytes()[..p]));
            }
            let mut starts = fw.char_indices().rev().map(|(b, _)| b);
            for k in 1..=4u64 {
                let Some(p) = starts.next() else { break };
                h.one(T::Suffix, hash64(k, &fw.as_bytes()[p..]));
            }
        }
        // The shape of the first few characters, uncollapsed: `Xxx`, `XX`, `dd`.
        // (A word read as lowercase under transfer has no capital flag but does start with one.)
        let lowered = t.flags & F_UPPER == 0 && t.text.starts_with(char::is_uppercase);
        let mut short = 0u64;
        for c in t.text.chars().take(3) {
            short = short << 8
                | u64::from(if c.is_uppercase() && !lowered {
                    b'X'
                } else if c.is_lowercase() || c.is_uppercase() {
                    b'x'
                } else if c.is_numeric() {
                    b'd'
                } else {
                    b'.'
                });
        }
        h.one(T::ShortShape, short);
        let flags = t.flags & !F_NEWLINE;
        h.one(T::Flags, u64::from(flags));
        h.one(T::Len, (t.text.chars().count().min(8)) as u64);
        h.two(T::InitShape, u64::from(t.flags & F_INITIAL), t.shape);
        h.one(T::Prev, word(-1));
        h.one(T::Next, word(1));
        h.one(T::Prev2, word(-2));
        h.one(T::Next2, word(2));
        h.two(T::PrevWord, word(-1), t.id);
        h.two(T::NextWord, t.id, word(1));
        h.two(T::PrevBigram, word(-2), word(-1));
        h.two(T::NextBigram, word(1), word(2));
        h.three(T::ShapeTri, shp(-1), t.shape, shp(1));
        h.two(T::PrevShape, shp(-1), t.shape);
        h.two(T::NextShape, t.shape, shp(1));
        let fl = |k: isize| at(k).map_or(0xff, |j| toks[j].flags & !F_NEWLINE);
        h.one(T::FlagsPrev, u64::from(fl(-1)) << 8 | u64::from(flags));
        h.one(T::FlagsNext, u64::from(fl(1)) << 8 | u64::from(flags));
        // Gazetteer.
        h.one(T::Gaz, u64::from(t.gaz));
        h.one(T::GazPrev, u64::from(at(-1).map_or(0xff, |j| toks[j].gaz)) << 8 | u64::from(t.gaz));
        h.one(T::GazNext, u64::from(at(1).map_or(0xff, |j| toks[j].gaz)) << 8 | u64::from(t.gaz));
        // Word lists: each bit of the token and its neighbours.
        let bits = |k: isize| at(k).map_or(0, |j| toks[j].lex);
        for (tmpl, lexbits) in
            [(T::Lex, t.lex), (T::LexPrev, bits(-1)), (T::LexNext, bits(1)), (T::LexPrev2, bits(-2))]
        {
            let mut b = lexbits;
            while b != 0 {
                h.one(tmpl, u64::from(b.trailing_zeros()));
                b &= b - 1;
            }
        }
        // A title before a given name, a given name before a capitalised word.
        if t.lex & lex::FIRST_NAME != 0 {
            h.one(T::Lex2, u64::from(fl(1) & F_UPPER != 0) | (u64::from(bits(-1) & lex::ROLE != 0) << 1));
        }
        // The article elsewhere.
        if t.flags & F_PUNCT == 0 {
            if let Some(e) = seen.get(&t.word) {
                h.one(T::Doc, u64::from(e.cases) << 8 | u64::from(t.flags & (F_UPPER | F_INITIAL)));
                h.two(T::DocShape, u64::from(e.cases), t.shape);
                let mut b = e.company;
                while b != 0 {
                    h.one(T::DocCtx, u64::from(b.trailing_zeros()));
                    b &= b - 1;
                }
                if t.flags & F_UPPER != 0 {
                    let own = [word(-1), word(1) ^ EOS];
                    for &nb in &e.neighbours[..usize::from(e.count)] {
                        if !own.contains(&nb) {
                            h.one(T::DocNeighbour, nb);
                        }
                    }
                }
            }
        }
        out.offsets.push(out.ids.len() as u32);
    }
}

/// A trained model: weights per feature and label, and label transition weights.
#[derive(Debug, Clone)]
pub struct Model {
    /// Open-addressing table of features (`id` 0: an empty slot), each with its weights
    /// beside its id, so a lookup reads one place.
    slots: Vec<Slot>,
    /// What one unit of a stored weight is worth.
    scale: f32,
    /// Transition weights: row `L` is the sentence start.
    trans: [[f32; L]; L + 1],
    /// The same with the transitions the labels forbid at minus infinity.
    allowed: [[f32; L]; L + 1],
    /// Features in the model.
    len: usize,
    /// The features the model reads.
    set: FeatureSet,
    /// One bit per hashed feature id, set for the model's features: most of an article's
    /// features are not in the model, and this small table (in cache) turns them away before
    /// the large one is read.
    filter: Vec<u64>,
}

/// Bits of [`Model::filter`]: 2^20 (128 KiB).
const FILTER_BITS: u32 = 20;

#[inline]
fn filter_bit(id: u32) -> usize {
    (id.wrapping_mul(0x85EB_CA6B) >> (32 - FILTER_BITS)) as usize
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    id: u32,
    w: [i16; L],
}

const MAGIC: &[u8; 8] = b"SLNER03\n";

/// Why a model file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not a model file, or one of another version.
    #[error("not a storyline name model (bad magic or version)")]
    Magic,
    /// Shorter than its header says.
    #[error("model file is truncated")]
    Truncated,
}

impl Model {
    fn with_capacity(len: usize, scale: f32) -> Self {
        let slots = (len + len / 2).next_power_of_two().max(16);
        let trans = [[0.0; L]; L + 1];
        Model {
            slots: vec![Slot::default(); slots],
            scale,
            trans,
            allowed: constrained(&trans),
            len: 0,
            set: FeatureSet::Full,
            filter: vec![0; (1 << FILTER_BITS) / 64],
        }
    }

    #[inline]
    fn find(&self, id: u32) -> Option<&Slot> {
        let bit = filter_bit(id);
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut s = (id.wrapping_mul(0x9E37_79B1) as usize) & mask;
        loop {
            let slot = &self.slots[s];
            if slot.id == id {
                return Some(slot);
            }
            if slot.id == 0 {
                return None;
            }
            s = (s + 1) & mask;
        }
    }

    fn insert(&mut self, id: u32, w: [i16; L]) {
        let mask = self.slots.len() - 1;
        let mut s = (id.wrapping_mul(0x9E37_79B1) as usize) & mask;
        while self.slots[s].id != 0 && self.slots[s].id != id {
            s = (s + 1) & mask;
        }
        if self.slots[s].id == 0 {
            self.len += 1;
        }
        self.slots[s] = Slot { id, w };
        let bit = filter_bit(id);
        self.filter[bit / 64] |= 1 << (bit % 64);
    }

    /// A model from full-precision weights: each feature's weights quantised to 16 bits.
    fn quantised(weights: &[(u32, [f32; L])], trans: [[f32; L]; L + 1]) -> Model {
        let max = weights.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = max / 32767.0;
        let mut m = Model::with_capacity(weights.len(), scale);
        m.trans = trans;
        m.allowed = constrained(&trans);
        for (id, w) in weights {
            m.insert(*id, w.map(|v| (v / scale).round().clamp(-32767.0, 32767.0) as i16));
        }
        m
    }

    /// The number of features the model weighs.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The features the model reads.
    pub fn feature_set(&self) -> FeatureSet {
        self.set
    }

    /// Computes the features this model reads of every token of `doc` into `out`.
    pub fn features(&self, doc: &Document<'_>, out: &mut TokenFeatures) {
        features(doc, self.set, out);
    }

    /// Whether the model weighs no feature.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or(ModelError::Magic)?;
        let mut r = Reader { b: rest };
        let [set] = r.take::<1>()?;
        let set = FeatureSet::from_byte(set).ok_or(ModelError::Magic)?;
        let labels = r.u32()? as usize;
        if labels != L {
            return Err(ModelError::Magic);
        }
        let scale = r.f32()?;
        let mut trans = [[0.0f32; L]; L + 1];
        for row in &mut trans {
            for v in row.iter_mut() {
                *v = r.f32()?;
            }
        }
        let n = r.u32()? as usize;
        // A count the bytes cannot hold is a truncated file, not a reason to allocate.
        if n > r.b.len() / (2 * L + 1) {
            return Err(ModelError::Truncated);
        }
        let mut model = Model::with_capacity(n, scale);
        model.set = set;
        model.trans = trans;
        model.allowed = constrained(&trans);
        let mut id = 0u32;
        let mut w = [0i16; L];
        for _ in 0..n {
            // Ids ascend: each is stored as the gap from the one before.
            id = id.wrapping_add(r.varint()?);
            for v in &mut w {
                *v = r.i16()?;
            }
            model.insert(id, w);
        }
        Ok(model)
    }

    /// Writes the model: ids as ascending gaps, weights as 16-bit integers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut entries: Vec<&Slot> = self.slots.iter().filter(|s| s.id != 0).collect();
        entries.sort_unstable_by_key(|s| s.id);
        let mut out = Vec::with_capacity(16 + entries.len() * (2 * L + 3));
        out.extend_from_slice(MAGIC);
        out.push(self.set.byte());
        out.extend_from_slice(&(L as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.trans {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for slot in entries {
            let mut gap = slot.id - prev;
            prev = slot.id;
            loop {
                let b = (gap & 0x7f) as u8;
                gap >>= 7;
                if gap == 0 {
                    out.push(b);
                    break;
                }
                out.push(b | 0x80);
            }
            for v in slot.w {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// The label scores of one token.
    #[inline]
    fn emission(&self, feats: &[u32], out: &mut [f32; L]) {
        let mut sum = [0i32; L];
        for &f in feats {
            if let Some(slot) = self.find(f) {
                for (o, &w) in sum.iter_mut().zip(&slot.w) {
                    *o += i32::from(w);
                }
            }
        }
        for (o, s) in out.iter_mut().zip(sum) {
            *o = s as f32 * self.scale;
        }
    }

    /// The best labels of tokens `range` (one sentence) given their features.
    pub fn decode(&self, feats: &TokenFeatures, range: std::ops::Range<usize>, labels: &mut Vec<u8>) {
        let mut em = vec![[0f32; L]; range.len()];
        for (e, i) in em.iter_mut().zip(range.clone()) {
            self.emission(feats.of(i), e);
        }
        viterbi(&em, &self.allowed, labels);
    }

    /// Labels every token of a document (indexes into [`LABELS`]).
    pub fn tag(&self, doc: &Document<'_>) -> Vec<u8> {
        let mut feats = TokenFeatures::default();
        features(doc, self.set, &mut feats);
        let mut labels = Vec::with_capacity(doc.tokens.len());
        let mut part = Vec::new();
        for range in sentence_ranges(doc) {
            self.decode(&feats, range, &mut part);
            labels.extend_from_slice(&part);
        }
        labels
    }
}

struct Reader<'a> {
    b: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let (head, rest) = self.b.split_first_chunk::<N>().ok_or(ModelError::Truncated)?;
        self.b = rest;
        Ok(*head)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        self.take::<4>().map(f32::from_le_bytes)
    }
    fn i16(&mut self) -> Result<i16, ModelError> {
        self.take::<2>().map(i16::from_le_bytes)
    }
    fn varint(&mut self) -> Result<u32, ModelError> {
        let mut v = 0u32;
        for shift in (0..35).step_by(7) {
            let [b] = self.take::<1>()?;
            v |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Truncated)
    }
}

/// Token index ranges of the document's sentences, every token in exactly one (tokens outside
/// every sentence make ranges of their own).
pub fn sentence_ranges(doc: &Document<'_>) -> Vec<std::ops::Range<usize>> {
    let n = doc.tokens.len();
    let mut out = Vec::with_capacity(doc.sentences.len() + 1);
    let mut ti = 0;
    for s in &doc.sentences {
        let from = ti;
        while ti < n && doc.tokens[ti].end <= s.start {
            ti += 1;
        }
        if ti > from {
            out.push(from..ti);
        }
        let from = ti;
        while ti < n && doc.tokens[ti].start < s.end {
            ti += 1;
        }
        if ti > from {
            out.push(from..ti);
        }
    }
    if ti < n {
        out.push(ti..n);
    }
    out
}

/// Transition weights with the BIO constraint folded in: a transition that is not allowed
/// weighs minus infinity.
fn constrained(trans: &[[f32; L]; L + 1]) -> [[f32; L]; L + 1] {
    let mut t = *trans;
    for (p, row) in t.iter_mut().enumerate() {
        for (y, v) in row.iter_mut().enumerate() {
            if !allowed((p < L).then_some(p), y) {
                *v = f32::NEG_INFINITY;
            }
        }
    }
    t
}

/// The best label sequence under the BIO constraint (`trans` from [`constrained`]).
fn viterbi(em: &[[f32; L]], trans: &[[f32; L]; L + 1], out: &mut Vec<u8>) {
    out.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    let mut back = vec![[0u8; L]; n];
    let mut score = [0f32; L];
    for y in 0..L {
        score[y] = trans[L][y] + em[0][y];
    }
    for t in 1..n {
        let mut next = [f32::NEG_INFINITY; L];
        for y in 0..L {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..L {
                let s = score[p] + trans[p][y];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            next[y] = best + em[t][y];
            back[t][y] = arg;
        }
        score = next;
    }
    let mut y = (0..L).max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a))).unwrap_or(0);
    out.resize(n, 0);
    for t in (0..n).rev() {
        out[t] = y as u8;
        if t > 0 {
            y = back[t][y] as usize;
        }
    }
}

/// Spans and kinds from token labels (byte spans of the document's tokens).
pub fn spans(doc: &Document<'_>, labels: &[u8]) -> Vec<(Span, EntityType)> {
    let mut out: Vec<(Span, EntityType)> = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None; // (first token, last token, label)
    let close = |open: &mut Option<(usize, usize, usize)>, out: &mut Vec<(Span, EntityType)>| {
        if let Some((a, b, l)) = open.take() {
            if let Some(kind) = label_kind(l) {
                out.push((Span::new(doc.tokens[a].start, doc.tokens[b].end), kind));
            }
        }
    };
    for (i, &l) in labels.iter().enumerate() {
        let l = l as usize;
        match open {
            Some((a, _, b)) if is_inside(l) && b.div_ceil(2) == l.div_ceil(2) => open = Some((a, i, b)),
            _ => {
                close(&mut open, &mut out);
                if l != 0 {
                    // A stray `I-` opens a name too.
                    open = Some((i, i, if is_inside(l) { l - 1 } else { l }));
                }
            }
        }
    }
    close(&mut open, &mut out);
    out
}

/// One training example: a text and its names (byte spans of the text).
#[derive(Debug, Clone)]
pub struct Example {
    /// The text.
    pub text: String,
    /// Its language code.
    pub language: String,
    /// The names in it, in order.
    pub names: Vec<(Span, EntityType)>,
}

/// Token labels for an example's names: `B-` on the first token a name covers, `I-` on the
/// rest. Returns the labels and how many names no token boundary matches.
pub fn gold_labels(doc: &Document<'_>, names: &[(Span, EntityType)]) -> (Vec<u8>, usize) {
    let mut labels = vec![0u8; doc.tokens.len()];
    let mut misaligned = 0;
    for &(span, kind) in names {
        let range = doc.tokens_in(span);
        let aligned = !range.is_empty()
            && doc.tokens[range.start].start == span.start
            && doc.tokens[range.end - 1].end == span.end;
        if !aligned {
            misaligned += 1;
        }
        // A name inside one word (`IS` in `IS-strijders`) makes the word a compound with a
        // name, which CoNLL marks as an other name.
        let inside = range.len() == 1
            && (doc.tokens[range.start].start < span.start || doc.tokens[range.start].end > span.end);
        let b = begin_label(if inside { EntityType::Other } else { kind }) as u8;
        for (k, i) in range.enumerate() {
            if labels[i] == 0 || k > 0 {
                labels[i] = if k == 0 { b } else { b + 1 };
            }
        }
    }
    (labels, misaligned)
}

/// Settings of a training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the order sentences are seen in.
    pub seed: u64,
    /// Features whose largest averaged weight is below this are dropped from the model.
    pub prune: f32,
    /// The features the model reads.
    pub features: FeatureSet,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 12, seed: 1, prune: 1.0, features: FeatureSet::Full }
    }
}

/// A sentence prepared for training: its features and gold labels.
struct Sequence {
    feats: Vec<Vec<u32>>,
    gold: Vec<u8>,
}

fn sequences(
    examples: &[Example],
    set: FeatureSet,
    index: &mut HashMap<u32, u32>,
    grow: bool,
) -> (Vec<Sequence>, usize) {
    let mut out = Vec::new();
    let mut misaligned = 0;
    let mut tf = TokenFeatures::default();
    for ex in examples {
        let doc = Document::new(&ex.text, &ex.language, None);
        features(&doc, set, &mut tf);
        let (gold, bad) = gold_labels(&doc, &ex.names);
        misaligned += bad;
        for range in sentence_ranges(&doc) {
            let mut feats = Vec::with_capacity(range.len());
            for i in range.clone() {
                let mut v = Vec::with_capacity(tf.of(i).len());
                for &f in tf.of(i) {
                    let next = index.len() as u32;
                    match index.get(&f) {
                        Some(&k) => v.push(k),
                        None if grow => {
                            index.insert(f, next);
                            v.push(next);
                        }
                        None => {}
                    }
                }
                feats.push(v);
            }
            out.push(Sequence { feats, gold: gold[range].to_vec() });
        }
    }
    (out, misaligned)
}

/// What one epoch of training reached.
#[derive(Debug, Clone, Copy)]
pub struct EpochReport {
    /// The epoch, from 1.
    pub epoch: usize,
    /// Sentences whose labels the model got wrong during the pass.
    pub mistakes: usize,
    /// Token accuracy of the averaged model on the development examples, if any.
    pub dev_accuracy: Option<f64>,
}

/// Trains a model on `train`; after every epoch `report` gets the epoch's figures (the
/// averaged model's token accuracy on `dev`). Deterministic for the same examples and options.
pub fn train(
    train: &[Example],
    dev: &[Example],
    opts: &TrainOptions,
    mut report: impl FnMut(EpochReport, &Model),
) -> Model {
    let mut index: HashMap<u32, u32> = HashMap::new();
    let (seqs, _) = sequences(train, opts.features, &mut index, true);
    let (dev_seqs, _) = sequences(dev, opts.features, &mut index, false);
    let nf = index.len();
    // Weights, and the sum of updates weighted by when they happened (for averaging).
    let mut w = vec![[0f32; L]; nf];
    let mut u = vec![[0f32; L]; nf];
    let mut tw = [[0f32; L]; L + 1];
    let mut tu = [[0f32; L]; L + 1];
    let mut c = 1f32;
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    let mut rng = opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut pred = Vec::new();
    let mut em: Vec<[f32; L]> = Vec::new();
    let averaged =
        |w: &[[f32; L]], u: &[[f32; L]], tw: &[[f32; L]; L + 1], tu: &[[f32; L]; L + 1], c: f32| {
            let avg: Vec<[f32; L]> = w
                .iter()
                .zip(u)
                .map(|(a, b)| {
                    let mut r = [0f32; L];
                    for k in 0..L {
                        r[k] = a[k] - b[k] / c;
                    }
                    r
                })
                .collect();
            let mut t = [[0f32; L]; L + 1];
            for p in 0..=L {
                for y in 0..L {
                    t[p][y] = tw[p][y] - tu[p][y] / c;
                }
            }
            (avg, t)
        };
    let score = |w: &[[f32; L]], feats: &[Vec<u32>], em: &mut Vec<[f32; L]>| {
        em.clear();
        for f in feats {
            let mut e = [0f32; L];
            for &k in f {
                for (o, x) in e.iter_mut().zip(&w[k as usize]) {
                    *o += x;
                }
            }
            em.push(e);
        }
    };
    // Index -> feature id, to write the model.
    let mut ids = vec![0u32; nf];
    for (&id, &k) in &index {
        ids[k as usize] = id;
    }
    let build = |avg: &[[f32; L]], t: [[f32; L]; L + 1]| {
        let keep: Vec<(u32, [f32; L])> = (0..nf)
            .filter(|&k| avg[k].iter().any(|v| v.abs() > opts.prune && *v != 0.0))
            .map(|k| (ids[k], avg[k]))
            .collect();
        let mut model = Model::quantised(&keep, t);
        model.set = opts.features;
        model
    };
    let mut last = None;
    for epoch in 1..=opts.epochs {
        // Fisher-Yates with a fixed generator.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let j = (rng % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut mistakes = 0;
        for &s in &order {
            let seq = &seqs[s];
            score(&w, &seq.feats, &mut em);
            viterbi(&em, &constrained(&tw), &mut pred);
            if pred != seq.gold {
                mistakes += 1;
                for (t, f) in seq.feats.iter().enumerate() {
                    let (g, p) = (seq.gold[t] as usize, pred[t] as usize);
                    if g != p {
                        for &k in f {
                            w[k as usize][g] += 1.0;
                            w[k as usize][p] -= 1.0;
                            u[k as usize][g] += c;
                            u[k as usize][p] -= c;
                        }
                    }
                    let (gp, pp) =
                        if t == 0 { (L, L) } else { (seq.gold[t - 1] as usize, pred[t - 1] as usize) };
                    if (gp, g) != (pp, p) {
                        tw[gp][g] += 1.0;
                        tw[pp][p] -= 1.0;
                        tu[gp][g] += c;
                        tu[pp][p] -= c;
                    }
                }
            }
            c += 1.0;
        }
        let (avg, t) = averaged(&w, &u, &tw, &tu, c);
        let dev_accuracy = (!dev_seqs.is_empty()).then(|| {
            let (mut right, mut all) = (0usize, 0usize);
            for seq in &dev_seqs {
                score(&avg, &seq.feats, &mut em);
                viterbi(&em, &constrained(&t), &mut pred);
                right += pred.iter().zip(&seq.gold).filter(|(a, b)| a == b).count();
                all += seq.gold.len();
            }
            right as f64 / all.max(1) as f64
        });
        let model = build(&avg, t);
        report(EpochReport { epoch, mistakes, dev_accuracy }, &model);
        last = Some(model);
    }
    last.unwrap_or_else(|| Model::with_capacity(0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_keeps_inside_labels_after_their_beginning() {
        // Emissions that prefer `I-PER` everywhere: the first must become something else.
        let mut em = vec![[0f32; L]; 3];
        for e in &mut em {
            e[2] = 5.0;
            e[1] = 4.0;
        }
        let mut out = Vec::new();
        viterbi(&em, &constrained(&[[0f32; L]; L + 1]), &mut out);
        assert_eq!(out, vec![1, 2, 2]);
    }

    #[test]
    fn spans_come_from_labels() {
        let text = "Jan de Vries woont in Den Haag .";
        let doc = Document::new(text, "nl", None);
        let labels = [1u8, 2, 2, 0, 0, 5, 6, 0];
        let got = spans(&doc, &labels);
        let words: Vec<(&str, EntityType)> = got.iter().map(|(s, k)| (doc.slice(*s), *k)).collect();
        assert_eq!(words, vec![("Jan de Vries", EntityType::Person), ("Den Haag", EntityType::Place)]);
        let (gold, bad) = gold_labels(&doc, &got);
        assert_eq!(bad, 0);
        assert_eq!(gold, labels);
    }

    #[test]
    fn features_are_deterministic_and_per_token() {
        let text = "Minister Wouter Lambrechts (CD&V) zei dinsdag in Brussel: \"Het komt goed.\"";
        let doc = Document::new(text, "nl", None);
        let mut a = TokenFeatures::default();
        let mut b = TokenFeatures::default();
        features(&doc, FeatureSet::Full, &mut a);
        features(&doc, FeatureSet::Full, &mut b);
        assert_eq!(a.offsets.len(), doc.tokens.len() + 1);
        assert_eq!(a.ids, b.ids);
        assert!(a.ids.iter().all(|&id| id != 0));
    }

    #[test]
    fn transfer_features_read_function_words_as_their_class() {
        let set = FeatureSet::Transfer;
        let of = |text: &str, language: &str| {
            let doc = Document::new(text, language, None);
            let mut f = TokenFeatures::default();
            features(&doc, set, &mut f);
            (0..doc.tokens.len()).map(|i| f.of(i).to_vec()).collect::<Vec<_>>()
        };
        // Two lowercase words the word lists know nothing of, of one length and shape, read
        // alike, and so does the name after either; under the full set they differ.
        let a = of("Hij zag fiets Obama .", "nl");
        let b = of("Hij zag boter Obama .", "nl");
        assert_eq!(a[2], b[2], "unknown lowercase words read as one class");
        assert_eq!(a[3], b[3], "the context of the name reads as classes");
        let doc = Document::new("Hij zag fiets Obama .", "nl", None);
        let mut full = TokenFeatures::default();
        features(&doc, FeatureSet::Full, &mut full);
        assert_ne!(full.of(2), a[2].as_slice());
        // A name-like word is still read as itself: two names differ.
        let c = of("Hij zag fiets Merkel .", "nl");
        assert_ne!(a[3], c[3]);
        // English capitalises months and titles, Dutch does not: they read alike.
        let nl = of("Hij kwam in juni .", "nl");
        let en = of("Hij kwam in June .", "en");
        assert_eq!(nl[3], en[3]);
    }

    #[test]
    fn a_model_learns_and_survives_its_file() {
        let ex = |text: &str, names: &[(&str, EntityType)]| {
            let mut spans = Vec::new();
            for (name, kind) in names {
                let at = text.find(name).unwrap();
                spans.push((Span::new(at, at + name.len()), *kind));
            }
            Example { text: text.to_string(), language: "nl".into(), names: spans }
        };
        let train_set = vec![
            ex(
                "Piet Kramer woont in Zwolle .",
                &[("Piet Kramer", EntityType::Person), ("Zwolle", EntityType::Place)],
            ),
            ex(
                "Daarna reed Kees Mol naar Zwolle .",
                &[("Kees Mol", EntityType::Person), ("Zwolle", EntityType::Place)],
            ),
            ex("Het bedrijf Wadlijn groeit .", &[("Wadlijn", EntityType::Organization)]),
        ];
        let model = train(&train_set, &[], &TrainOptions { epochs: 8, ..TrainOptions::default() }, |_, _| {});
        assert!(!model.is_empty());
        let doc = Document::new("Kees Mol woont in Zwolle .", "nl", None);
        let got = spans(&doc, &model.tag(&doc));
        let words: Vec<(&str, EntityType)> = got.iter().map(|(s, k)| (doc.slice(*s), *k)).collect();
        assert_eq!(words, vec![("Kees Mol", EntityType::Person), ("Zwolle", EntityType::Place)]);
        let again = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(again.len(), model.len());
        assert_eq!(again.tag(&doc), model.tag(&doc));
        assert!(matches!(Model::from_bytes(b"nonsense"), Err(ModelError::Magic)));
        let bytes = model.to_bytes();
        assert!(matches!(Model::from_bytes(&bytes[..bytes.len() - 3]), Err(ModelError::Truncated)));
    }
}
