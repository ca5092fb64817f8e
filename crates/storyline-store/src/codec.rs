//! The stored form of an analysis: a compact binary encoding, read several times faster than
//! JSON, with the JSON text of older stores still readable; and the stored form of a report's
//! key words ([`ReportTerms`]), kept beside it.
//!
//! An encoded analysis is stored as a BLOB and starts with a format byte ([`FORMAT`]); a TEXT
//! value is the JSON that stores before schema migration 5 wrote (that migration converts them).
//! After the format byte comes the length of the numbers, the numbers, and then the text of
//! every string in one run. Integers are LEB128 varints, a string is its length among the
//! numbers and its UTF-8 in the text, options a 0/1 byte before the value, floats eight
//! little-endian bytes, and the enums one byte each. A span's start is written as the
//! difference from the previous span's in the same list and its end as the difference from its
//! start (format 2; format 1, which wrote both as they are, still reads). Every field of the
//! analysis is written, in declaration order, so a decoded analysis equals the encoded one
//! (an infinite bound reads back as none, as it did from JSON).
//!
//! Both forms are stored deflated when that makes them shorter (nearly always: an analysis of
//! a 3 KB report shrinks by a third, its key words by two fifths): the byte [`DEFLATED`], the
//! length of the plain form, and the plain form (format byte first) compressed with raw
//! DEFLATE. Values stored plain, as every store before this form wrote them, still read.

use rusqlite::types::ValueRef;
use storyline_core::analyze::{
    Analysis, Entity, EntityType, Granularity, Quantity, Quote, QuoteKind, Sentence, TimeExpr,
};
use storyline_core::dossier::{ReportTerms, TermStem};

/// The first byte of an encoded analysis: the format's version.
pub const FORMAT: u8 = 2;

/// The format before offsets were written as differences (still read).
const FORMAT_ABSOLUTE: u8 = 1;

/// Why a stored analysis could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodecError {
    /// The value ended inside a field.
    #[error("the encoded analysis ends early, at byte {0}")]
    Truncated(usize),
    /// A string was not UTF-8.
    #[error("the encoded analysis has a string that is not UTF-8 at byte {0}")]
    Utf8(usize),
    /// An enum, option or format byte had a value no version writes.
    #[error("the encoded analysis has an unknown tag {tag} at byte {at}")]
    Tag {
        /// The byte read.
        tag: u8,
        /// Where.
        at: usize,
    },
    /// Bytes were left after the analysis.
    #[error("the encoded analysis has {0} bytes after its end")]
    Trailing(usize),
    /// The JSON of an older store did not parse.
    #[error("the analysis is not valid JSON: {0}")]
    Json(String),
    /// The column held a number.
    #[error("the analysis column holds a number")]
    NotAnalysis,
    /// A deflated value did not inflate to the length it announces.
    #[error("the deflated analysis is damaged: {0}")]
    Deflated(String),
}

/// The first byte of a deflated value (see the module's overview); no plain form starts with it.
pub const DEFLATED: u8 = 0x44;

/// Plain forms shorter than this are stored as they are: deflating them gains a few bytes at best.
const DEFLATE_FROM: usize = 96;

/// The longest plain form a deflated value may announce (256 MiB): a damaged or hostile length
/// is an error, not an allocation.
const PLAIN_LIMIT: usize = 1 << 28;

/// The stored form of a plain encoding: deflated when that is shorter, else as it is.
fn pack(plain: Vec<u8>) -> Vec<u8> {
    use std::io::Write as _;
    if plain.len() < DEFLATE_FROM {
        return plain;
    }
    let mut head =
        Writer { bytes: Vec::with_capacity(plain.len() / 2 + 16), text: String::new(), relative: true };
    head.bytes.push(DEFLATED);
    head.uint(plain.len());
    let mut z = flate2::write::DeflateEncoder::new(head.bytes, flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let packed = z.write_all(&plain).and_then(|()| z.finish());
    match packed {
        Ok(packed) if packed.len() < plain.len() => packed,
        _ => plain,
    }
}

/// The plain form of a stored value: inflated when it was deflated, else the value itself. A
/// deflated value must inflate to exactly the length it announces and end with its stream.
fn unpack(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, CodecError> {
    if bytes.first() != Some(&DEFLATED) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut r = Reader { bytes, at: 1, text: "", text_at: 0, relative: false };
    let len = r.uint()?;
    if len > PLAIN_LIMIT {
        return Err(CodecError::Deflated(format!("it announces {len} bytes")));
    }
    let stream = &bytes[r.at..];
    let mut plain = Vec::with_capacity(len);
    let mut z = flate2::Decompress::new(false);
    let status = z
        .decompress_vec(stream, &mut plain, flate2::FlushDecompress::Finish)
        .map_err(|e| CodecError::Deflated(e.to_string()))?;
    if status != flate2::Status::StreamEnd || plain.len() != len {
        return Err(CodecError::Deflated(format!("it does not inflate to the {len} bytes it announces")));
    }
    if z.total_in() != stream.len() as u64 {
        return Err(CodecError::Trailing(stream.len() - z.total_in() as usize));
    }
    Ok(std::borrow::Cow::Owned(plain))
}

/// Encodes an analysis in the binary stored form (deflated when that is shorter).
pub fn encode(a: &Analysis) -> Vec<u8> {
    pack(encode_plain(a))
}

/// The plain binary form of an analysis.
fn encode_plain(a: &Analysis) -> Vec<u8> {
    encode_format(a, FORMAT)
}

/// The plain form of an analysis in `format` (the first one only for tests of reading it).
fn encode_format(a: &Analysis, format: u8) -> Vec<u8> {
    let mut w = Writer::new(format, 1024);
    let Analysis { language, sentences, entities, quotes, quantities, times } = a;
    w.str(language);
    w.len(sentences.len());
    let mut prev = 0;
    for s in sentences {
        let Sentence { text, start, end } = s;
        w.str(text);
        w.span(&mut prev, *start, *end);
    }
    w.len(entities.len());
    let mut prev = 0;
    for e in entities {
        let Entity { text, kind, key, role, start, end } = e;
        w.str(text);
        w.byte(match kind {
            EntityType::Person => 0,
            EntityType::Organization => 1,
            EntityType::Place => 2,
            EntityType::Other => 3,
        });
        w.str(key);
        w.opt_str(role.as_deref());
        w.span(&mut prev, *start, *end);
    }
    w.len(quotes.len());
    let mut prev = 0;
    for q in quotes {
        let Quote { text, speaker, speaker_key, kind, start, end } = q;
        w.str(text);
        w.opt_str(speaker.as_deref());
        w.opt_str(speaker_key.as_deref());
        w.byte(match kind {
            QuoteKind::Direct => 0,
            QuoteKind::Pull => 1,
            QuoteKind::Indirect => 2,
        });
        w.span(&mut prev, *start, *end);
    }
    w.len(quantities.len());
    let mut prev = 0;
    for q in quantities {
        let Quantity { text, value, min, max, approx, noun, modifiers, unit, start, end } = q;
        w.str(text);
        w.f64(*value);
        w.opt_f64(*min);
        w.opt_f64(*max);
        w.byte(u8::from(*approx));
        w.opt_str(noun.as_deref());
        w.len(modifiers.len());
        for m in modifiers {
            w.str(m);
        }
        w.opt_str(unit.as_deref());
        w.span(&mut prev, *start, *end);
    }
    w.len(times.len());
    let mut prev = 0;
    for t in times {
        let TimeExpr { text, value, granularity, start, end } = t;
        w.str(text);
        w.opt_str(value.as_deref());
        w.byte(match granularity {
            Granularity::Day => 0,
            Granularity::Week => 1,
            Granularity::Weekend => 2,
            Granularity::Month => 3,
            Granularity::Season => 4,
            Granularity::Year => 5,
            Granularity::Unknown => 6,
        });
        w.span(&mut prev, *start, *end);
    }
    w.finish()
}

/// Decodes an analysis written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<Analysis, CodecError> {
    let plain = unpack(bytes)?;
    let format = if plain.first() == Some(&FORMAT_ABSOLUTE) { FORMAT_ABSOLUTE } else { FORMAT };
    let mut r = Reader::open(&plain, format)?;
    r.relative = format == FORMAT;
    let language = r.string()?;
    let n = r.len()?;
    let mut sentences = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        sentences.push(Sentence { text: r.string()?, start: r.start(&mut prev)?, end: r.end(prev)? });
    }
    let n = r.len()?;
    let mut entities = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let text = r.string()?;
        let at = r.at;
        let kind = match r.byte()? {
            0 => EntityType::Person,
            1 => EntityType::Organization,
            2 => EntityType::Place,
            3 => EntityType::Other,
            tag => return Err(CodecError::Tag { tag, at }),
        };
        entities.push(Entity {
            text,
            kind,
            key: r.string()?,
            role: r.opt_string()?,
            start: r.start(&mut prev)?,
            end: r.end(prev)?,
        });
    }
    let n = r.len()?;
    let mut quotes = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let text = r.string()?;
        let speaker = r.opt_string()?;
        let speaker_key = r.opt_string()?;
        let at = r.at;
        let kind = match r.byte()? {
            0 => QuoteKind::Direct,
            1 => QuoteKind::Pull,
            2 => QuoteKind::Indirect,
            tag => return Err(CodecError::Tag { tag, at }),
        };
        quotes.push(Quote {
            text,
            speaker,
            speaker_key,
            kind,
            start: r.start(&mut prev)?,
            end: r.end(prev)?,
        });
    }
    let n = r.len()?;
    let mut quantities = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let text = r.string()?;
        let value = r.f64()?;
        let min = r.opt_f64()?;
        let max = r.opt_f64()?;
        let approx = r.flag()?;
        let noun = r.opt_string()?;
        let m = r.len()?;
        let mut modifiers = Vec::with_capacity(m);
        for _ in 0..m {
            modifiers.push(r.string()?);
        }
        quantities.push(Quantity {
            text,
            value,
            min,
            max,
            approx,
            noun,
            modifiers,
            unit: r.opt_string()?,
            start: r.start(&mut prev)?,
            end: r.end(prev)?,
        });
    }
    let n = r.len()?;
    let mut times = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let text = r.string()?;
        let value = r.opt_string()?;
        let at = r.at;
        let granularity = match r.byte()? {
            0 => Granularity::Day,
            1 => Granularity::Week,
            2 => Granularity::Weekend,
            3 => Granularity::Month,
            4 => Granularity::Season,
            5 => Granularity::Year,
            6 => Granularity::Unknown,
            tag => return Err(CodecError::Tag { tag, at }),
        };
        times.push(TimeExpr { text, value, granularity, start: r.start(&mut prev)?, end: r.end(prev)? });
    }
    r.done()?;
    Ok(Analysis { language, sentences, entities, quotes, quantities, times })
}

/// The first byte of encoded key words: the format's version.
pub const TERMS_FORMAT: u8 = 2;

/// The format before the key words were written field by field (still read).
const TERMS_FORMAT_ROWS: u8 = 1;

/// Encodes a report's key words: their count, then each field for all stems in turn (the
/// lengths of the stems, of the prefix each shown form shares with its stem and of the rest of
/// the form (`woning`, `woningen`: 6, 6 and 2), the flags, the counts, and each first place as
/// the difference from the one before, wrapping), then the texts (stem and rest of form, stem
/// after stem) in one run, so reading checks the UTF-8 of all of them at once. Alike numbers
/// side by side deflate to two thirds of what stem after stem did. Deflated when that is
/// shorter.
pub fn encode_terms(terms: &ReportTerms) -> Vec<u8> {
    pack(encode_terms_plain(terms))
}

/// The plain form of a report's key words.
fn encode_terms_plain(terms: &ReportTerms) -> Vec<u8> {
    let n = terms.len();
    let mut w = Writer::new(TERMS_FORMAT, 8 * n + 4);
    w.len(n);
    let mut fields: [Vec<u8>; 6] = std::array::from_fn(|_| Vec::with_capacity(n + n / 2));
    let mut before = 0u32;
    for t in terms.iter() {
        let TermStem { stem, form, named, in_title, count, first } = t;
        let mut shared = stem.bytes().zip(form.bytes()).take_while(|(a, b)| a == b).count();
        while !form.is_char_boundary(shared) {
            shared -= 1;
        }
        put_uint(&mut fields[0], stem.len());
        put_uint(&mut fields[1], shared);
        put_uint(&mut fields[2], form.len() - shared);
        fields[3].push(u8::from(named) | (u8::from(in_title) << 1));
        put_uint(&mut fields[4], count as usize);
        put_uint(&mut fields[5], first.wrapping_sub(before) as usize);
        before = first;
        w.text.push_str(stem);
        w.text.push_str(&form[shared..]);
    }
    for f in &fields {
        w.bytes.extend_from_slice(f);
    }
    w.finish()
}

/// Decodes key words written by [`encode_terms`] (or stem after stem, as before).
pub fn decode_terms(bytes: &[u8]) -> Result<ReportTerms, CodecError> {
    let plain = unpack(bytes)?;
    if plain.first() == Some(&TERMS_FORMAT_ROWS) {
        return decode_terms_rows(&plain);
    }
    let mut r = Reader::open(&plain, TERMS_FORMAT)?;
    let n = r.len()?;
    let field = |r: &mut Reader<'_>| -> Result<Vec<u32>, CodecError> { (0..n).map(|_| r.u32()).collect() };
    let (stem_len, shared, rest) = (field(&mut r)?, field(&mut r)?, field(&mut r)?);
    let flags_at = r.at;
    let flags = r.bytes(n)?;
    let (counts, firsts) = (field(&mut r)?, field(&mut r)?);
    let mut terms = ReportTerms::with_capacity(n, 2 * r.text.len());
    let mut before = 0u32;
    for i in 0..n {
        let stem = r.text(stem_len[i] as usize)?;
        let prefix = stem.get(..shared[i] as usize).ok_or(CodecError::Truncated(r.at))?;
        let rest = r.text(rest[i] as usize)?;
        if flags[i] > 3 {
            return Err(CodecError::Tag { tag: flags[i], at: flags_at + i });
        }
        let first = before.wrapping_add(firsts[i]);
        before = first;
        terms.push_parts(stem, &[prefix, rest], flags[i] & 1 != 0, flags[i] & 2 != 0, counts[i], first);
    }
    r.done()?;
    Ok(terms)
}

/// Decodes key words written stem after stem (the first format).
fn decode_terms_rows(plain: &[u8]) -> Result<ReportTerms, CodecError> {
    let mut r = Reader::open(plain, TERMS_FORMAT_ROWS)?;
    let n = r.len()?;
    let mut terms = ReportTerms::with_capacity(n, 2 * r.text.len());
    for _ in 0..n {
        let stem = r.str()?;
        let at = r.at;
        let shared = r.uint()?;
        let prefix = stem.get(..shared).ok_or(CodecError::Truncated(at))?;
        let rest = r.str()?;
        let at = r.at;
        let flags = r.byte()?;
        if flags > 3 {
            return Err(CodecError::Tag { tag: flags, at });
        }
        let count = r.u32()?;
        let first = r.u32()?;
        terms.push_parts(stem, &[prefix, rest], flags & 1 != 0, flags & 2 != 0, count, first);
    }
    r.done()?;
    Ok(terms)
}

/// Reads the key words column: encoded (BLOB) or not kept (NULL, or anything else).
pub fn read_terms(value: ValueRef<'_>) -> Result<Option<ReportTerms>, CodecError> {
    match value {
        ValueRef::Blob(b) => decode_terms(b).map(Some),
        _ => Ok(None),
    }
}

/// Reads the analysis column: the binary form (BLOB), the JSON of an older store (TEXT), or
/// nothing (NULL).
pub fn read(value: ValueRef<'_>) -> Result<Option<Analysis>, CodecError> {
    match value {
        ValueRef::Null => Ok(None),
        ValueRef::Blob(b) => decode(b).map(Some),
        ValueRef::Text(t) => serde_json::from_slice(t).map(Some).map_err(|e| CodecError::Json(e.to_string())),
        ValueRef::Integer(_) | ValueRef::Real(_) => Err(CodecError::NotAnalysis),
    }
}

/// A stored analysis as it came from its row, to be decoded once the row is read.
#[derive(Debug)]
pub enum Stored {
    /// The binary form.
    Binary(Vec<u8>),
    /// The JSON of an older store.
    Json(String),
}

impl Stored {
    /// Copies the column's value out of a row.
    pub fn from_value(value: ValueRef<'_>) -> Result<Option<Stored>, CodecError> {
        match value {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(b) => Ok(Some(Stored::Binary(b.to_vec()))),
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(|s| Some(Stored::Json(s.to_string())))
                .map_err(|e| CodecError::Json(e.to_string())),
            ValueRef::Integer(_) | ValueRef::Real(_) => Err(CodecError::NotAnalysis),
        }
    }

    /// Decodes it.
    pub fn decode(&self) -> Result<Analysis, CodecError> {
        match self {
            Stored::Binary(b) => decode(b),
            Stored::Json(t) => serde_json::from_str(t).map_err(|e| CodecError::Json(e.to_string())),
        }
    }
}

/// Appends `v` as a LEB128 varint.
fn put_uint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Numbers and flags go to `bytes`; the text of every string to `text`, after them.
struct Writer {
    bytes: Vec<u8>,
    text: String,
    /// Whether offsets are written as differences (every format but the first analysis one).
    relative: bool,
}

impl Writer {
    fn new(format: u8, capacity: usize) -> Self {
        let mut bytes = Vec::with_capacity(capacity);
        bytes.push(format);
        Writer { bytes, text: String::with_capacity(capacity), relative: format != FORMAT_ABSOLUTE }
    }

    /// The format byte, the length of the numbers, the numbers, the text.
    fn finish(self) -> Vec<u8> {
        let Writer { bytes, text, .. } = self;
        let mut out = Writer {
            bytes: Vec::with_capacity(bytes.len() + text.len() + 10),
            text: String::new(),
            relative: true,
        };
        out.bytes.push(bytes[0]);
        out.uint(bytes.len() - 1);
        out.bytes.extend_from_slice(&bytes[1..]);
        out.bytes.extend_from_slice(text.as_bytes());
        out.bytes
    }

    fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    fn uint(&mut self, v: usize) {
        put_uint(&mut self.bytes, v);
    }

    /// A span's offsets: its start as the difference from the previous span's start (`at`), its
    /// end as the difference from its start, both wrapping, so any values read back as they were
    /// and spans in reading order cost a byte or two.
    fn span(&mut self, at: &mut usize, start: usize, end: usize) {
        if self.relative {
            self.uint(start.wrapping_sub(*at));
            self.uint(end.wrapping_sub(start));
        } else {
            self.uint(start);
            self.uint(end);
        }
        *at = start;
    }

    fn len(&mut self, n: usize) {
        self.uint(n);
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len());
        self.text.push_str(s);
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.bytes.push(1);
                self.str(s);
            }
            None => self.bytes.push(0),
        }
    }

    fn f64(&mut self, v: f64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// An optional float; a bound that is not finite is written as none, as the JSON form
    /// (which has no infinity) always stored it.
    fn opt_f64(&mut self, v: Option<f64>) {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                self.bytes.push(1);
                self.f64(v);
            }
            None => self.bytes.push(0),
        }
    }
}

/// Reads what [`Writer::finish`] wrote: the numbers in order, each string from the text after
/// them (its UTF-8 checked once for all of them).
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    text: &'b str,
    text_at: usize,
    /// Whether offsets are written as differences (see [`Writer::span`]).
    relative: bool,
}

impl<'b> Reader<'b> {
    /// Checks the format byte and splits the numbers from the text.
    fn open(all: &'b [u8], format: u8) -> Result<Self, CodecError> {
        let mut r = Reader { bytes: all, at: 0, text: "", text_at: 0, relative: false };
        let found = r.byte()?;
        if found != format {
            return Err(CodecError::Tag { tag: found, at: 0 });
        }
        let n = r.uint()?;
        let end = r.at.checked_add(n).filter(|&e| e <= all.len()).ok_or(CodecError::Truncated(r.at))?;
        r.text = std::str::from_utf8(&all[end..]).map_err(|e| CodecError::Utf8(end + e.valid_up_to()))?;
        r.bytes = &all[..end];
        Ok(r)
    }

    /// Checks that everything was read.
    fn done(&self) -> Result<(), CodecError> {
        let left = (self.bytes.len() - self.at) + (self.text.len() - self.text_at);
        if left > 0 {
            return Err(CodecError::Trailing(left));
        }
        Ok(())
    }

    fn byte(&mut self) -> Result<u8, CodecError> {
        let b = *self.bytes.get(self.at).ok_or(CodecError::Truncated(self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32, CodecError> {
        let at = self.at;
        let v = self.uint()?;
        u32::try_from(v).map_err(|_| CodecError::Tag { tag: 0xff, at })
    }

    fn flag(&mut self) -> Result<bool, CodecError> {
        let at = self.at;
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Err(CodecError::Tag { tag, at }),
        }
    }

    fn uint(&mut self) -> Result<usize, CodecError> {
        let mut v: u64 = 0;
        let mut shift = 0;
        loop {
            let at = self.at;
            let b = self.byte()?;
            if shift >= 64 || (shift == 63 && b > 1) {
                return Err(CodecError::Tag { tag: b, at });
            }
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return usize::try_from(v).map_err(|_| CodecError::Tag { tag: b, at });
            }
            shift += 7;
        }
    }

    /// A span's start (see [`Writer::span`]), `at` the previous span's.
    fn start(&mut self, at: &mut usize) -> Result<usize, CodecError> {
        let v = self.uint()?;
        *at = if self.relative { at.wrapping_add(v) } else { v };
        Ok(*at)
    }

    /// A span's end, `start` its start.
    fn end(&mut self, start: usize) -> Result<usize, CodecError> {
        let v = self.uint()?;
        Ok(if self.relative { start.wrapping_add(v) } else { v })
    }

    /// The next `n` bytes of the text.
    fn text(&mut self, n: usize) -> Result<&'b str, CodecError> {
        let text: &'b str = self.text;
        let s = self
            .text_at
            .checked_add(n)
            .and_then(|end| text.get(self.text_at..end))
            .ok_or(CodecError::Truncated(self.at))?;
        self.text_at += n;
        Ok(s)
    }

    /// A count of items, each at least one byte: never more than the bytes left.
    fn len(&mut self) -> Result<usize, CodecError> {
        let at = self.at;
        let n = self.uint()?;
        if n > self.bytes.len() - self.at {
            return Err(CodecError::Truncated(at));
        }
        Ok(n)
    }

    fn bytes(&mut self, n: usize) -> Result<&'b [u8], CodecError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(CodecError::Truncated(self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn string(&mut self) -> Result<String, CodecError> {
        self.str().map(str::to_string)
    }

    fn str(&mut self) -> Result<&'b str, CodecError> {
        let at = self.at;
        let n = self.uint()?;
        self.text(n).map_err(|_| CodecError::Truncated(at))
    }

    fn opt_string(&mut self) -> Result<Option<String>, CodecError> {
        if self.flag()? {
            self.string().map(Some)
        } else {
            Ok(None)
        }
    }

    fn f64(&mut self) -> Result<f64, CodecError> {
        let b = self.bytes(8)?;
        let mut x = [0u8; 8];
        x.copy_from_slice(b);
        Ok(f64::from_le_bytes(x))
    }

    fn opt_f64(&mut self) -> Result<Option<f64>, CodecError> {
        if self.flag()? {
            self.f64().map(Some)
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Analysis {
        let text = "Kolonel Ryan Dillon zei: „Zo'n 250 IS-strijders vertrokken zondag.” Later meer.";
        let mut a =
            storyline_core::analyze::analyze(text, "nl", storyline_core::Published::parse("2017-10-17").ok());
        a.strip_sentence_text();
        a.quantities.push(Quantity {
            text: "6–7 km".into(),
            value: 6.5,
            min: Some(6.0),
            max: Some(f64::INFINITY),
            approx: true,
            noun: None,
            modifiers: vec!["lange".into(), "Ελλάδα".into()],
            unit: Some("kilometer".into()),
            start: 1 << 40,
            end: usize::MAX,
        });
        a.times.push(TimeExpr {
            text: "ooit".into(),
            value: None,
            granularity: Granularity::Unknown,
            start: 0,
            end: 4,
        });
        a
    }

    #[test]
    fn an_analysis_reads_back_the_same() {
        let mut a = sample();
        assert!(!a.entities.is_empty() && !a.quotes.is_empty() && !a.quantities.is_empty());
        let bytes = encode(&a);
        // JSON has no infinity: an infinite bound was always stored as none.
        a.quantities.last_mut().unwrap().max = None;
        assert_eq!(decode(&bytes).unwrap(), a);
        assert_eq!(decode(&encode(&Analysis::default())).unwrap(), Analysis::default());
        let json = serde_json::to_string(&a).unwrap();
        assert!(bytes.len() < json.len() / 2, "{} bytes against {} of JSON", bytes.len(), json.len());
    }

    #[test]
    fn json_of_older_stores_and_binary_read_alike() {
        let a = sample();
        let json = serde_json::to_string(&a).unwrap();
        let bytes = encode(&a);
        assert_eq!(read(ValueRef::Text(json.as_bytes())).unwrap(), read(ValueRef::Blob(&bytes)).unwrap());
        assert_eq!(read(ValueRef::Null).unwrap(), None);
        assert_eq!(read(ValueRef::Integer(3)), Err(CodecError::NotAnalysis));
        let stored = Stored::from_value(ValueRef::Text(json.as_bytes())).unwrap().unwrap();
        assert_eq!(stored.decode().unwrap(), decode(&bytes).unwrap());
    }

    #[test]
    fn key_words_read_back_the_same() {
        let text = "Bij de brand in Hengelo zijn 15 woningen verwoest, meldt de brandweer van Hengelo. \
                    Ελληνικά λόγια, ελληνικός λόγος; éénmalige ééntjes.";
        let analysis = storyline_core::analyze::analyze(text, "nl", None);
        let terms = ReportTerms::read("Woningen verwoest", text, &analysis);
        assert!(terms.len() > 5 && terms.iter().any(|t| t.named));
        assert!(terms.iter().any(|t| t.form != t.stem));
        let bytes = encode_terms(&terms);
        assert_eq!(decode_terms(&bytes).unwrap(), terms);
        assert_eq!(read_terms(ValueRef::Blob(&bytes)).unwrap(), Some(terms.clone()));
        assert_eq!(read_terms(ValueRef::Null).unwrap(), None);
        // A form that shares only part of a character with its stem.
        let mut odd = ReportTerms::default();
        odd.push(TermStem { stem: "é", form: "è", named: false, in_title: true, count: 3, first: 7 });
        odd.push(TermStem { stem: "brand", form: "brand", named: true, in_title: false, count: 0, first: 0 });
        assert_eq!(decode_terms(&encode_terms(&odd)).unwrap(), odd);
        for cut in 0..bytes.len() {
            assert!(decode_terms(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for i in 1..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0xff;
            let _ = decode_terms(&flipped);
        }
    }

    #[test]
    fn values_are_stored_deflated_and_plain_ones_still_read() {
        let a = sample();
        let plain = encode_plain(&a);
        let stored = encode(&a);
        assert_eq!(stored[0], DEFLATED);
        assert!(stored.len() < plain.len(), "{} deflated against {} plain", stored.len(), plain.len());
        assert_eq!(decode(&plain).unwrap(), decode(&stored).unwrap());
        // Too short to gain: stored plain.
        assert_eq!(encode(&Analysis::default()), encode_plain(&Analysis::default()));
        let text = "De brandweer van Hengelo meldt dat vijftien woningen verwoest zijn. De bewoners \
                    werden opgevangen in een sporthal aan de rand van de stad. Volgens de \
                    burgemeester ontstond het vuur in een schuur achter de huizen; de politie \
                    onderzoekt of het is aangestoken. Twee brandweerlieden raakten lichtgewond. \
                    Buurtbewoners zagen rond middernacht rookwolken boven de daken uitstijgen.";
        let analysis = storyline_core::analyze::analyze(text, "nl", None);
        let terms = ReportTerms::read("Woningen verwoest", text, &analysis);
        let (plain, stored) = (encode_terms_plain(&terms), encode_terms(&terms));
        assert_eq!(stored[0], DEFLATED);
        assert!(stored.len() < plain.len());
        assert_eq!(decode_terms(&plain).unwrap(), terms);
        assert_eq!(decode_terms(&stored).unwrap(), terms);
    }

    #[test]
    fn values_of_the_first_formats_still_read() {
        let a = sample();
        let first = encode_format(&a, FORMAT_ABSOLUTE);
        assert_eq!(first[0], FORMAT_ABSOLUTE);
        let now = decode(&encode(&a)).unwrap();
        assert_eq!(decode(&first).unwrap(), now);
        assert_eq!(decode(&pack(first.clone())).unwrap(), now);
        // Key words stem after stem, as the first format wrote them.
        let text = "Bij de brand in Hengelo zijn 15 woningen verwoest, meldt de brandweer van Hengelo. \
                    Burgemeester Anna de Vries sprak op 3 maart in Enschede van een zware nacht. \
                    Volgens de politie raakten 4 bewoners lichtgewond; 120 mensen werden opgevangen.";
        let analysis = storyline_core::analyze::analyze(text, "nl", None);
        let (relative, absolute) = (encode_plain(&analysis), encode_format(&analysis, FORMAT_ABSOLUTE));
        assert!(
            relative.len() < absolute.len(),
            "offsets as differences: {} against {}",
            relative.len(),
            absolute.len()
        );
        assert_eq!(decode(&relative).unwrap(), decode(&absolute).unwrap());
        let terms = ReportTerms::read("Woningen verwoest", text, &analysis);
        let mut w = Writer::new(TERMS_FORMAT_ROWS, 64);
        w.len(terms.len());
        for t in terms.iter() {
            let shared = t.stem.bytes().zip(t.form.bytes()).take_while(|(a, b)| a == b).count();
            w.str(t.stem);
            w.uint(shared);
            w.str(&t.form[shared..]);
            w.byte(u8::from(t.named) | (u8::from(t.in_title) << 1));
            w.uint(t.count as usize);
            w.uint(t.first as usize);
        }
        let rows = w.finish();
        assert_eq!(decode_terms(&rows).unwrap(), terms);
        assert_eq!(decode_terms(&pack(rows)).unwrap(), terms);
    }

    #[test]
    fn a_deflated_value_must_inflate_to_what_it_announces() {
        let plain = encode_plain(&sample());
        let stored = encode(&sample());
        let stream = {
            let mut r = Reader { bytes: &stored, at: 1, text: "", text_at: 0, relative: false };
            r.uint().unwrap();
            stored[r.at..].to_vec()
        };
        let with_length = |len: usize| {
            let mut w = Writer { bytes: vec![DEFLATED], text: String::new(), relative: true };
            w.uint(len);
            w.bytes.extend_from_slice(&stream);
            w.bytes
        };
        assert_eq!(decode(&with_length(plain.len())).unwrap(), decode(&plain).unwrap());
        for len in [0, plain.len() - 1, plain.len() + 1, PLAIN_LIMIT] {
            assert!(matches!(decode(&with_length(len)), Err(CodecError::Deflated(_))), "{len}");
        }
        // A length no allocation should follow.
        assert!(matches!(decode(&with_length(usize::MAX >> 1)), Err(CodecError::Deflated(_))));
        assert!(decode(&[DEFLATED]).is_err());
        assert!(decode_terms(&[DEFLATED, 0x80]).is_err());
    }

    #[test]
    fn damaged_values_are_errors_not_panics() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(CodecError::Trailing(1)));
        let mut other = bytes.clone();
        other[0] = 9;
        assert_eq!(decode(&other), Err(CodecError::Tag { tag: 9, at: 0 }));
        for i in 1..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0xff;
            let _ = decode(&flipped);
        }
        assert!(decode(&[FORMAT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err());
    }
}
