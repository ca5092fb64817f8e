//! Character encodings: detect and decode UTF-8, UTF-16, Windows-1252, ISO-8859-1 and
//! ISO-8859-15, so `België` never turns into `BelgiÃ«`.
//!
//! The order of evidence: a byte-order mark, then valid UTF-8 (which legacy text almost never
//! is by accident), then a charset the document declares (`<meta charset>`, an XML declaration),
//! then Windows-1252, the superset of ISO-8859-1 that real "Latin-1" files almost always are.

use super::IngestError;

/// Decoded text and the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with any byte-order mark removed.
    pub text: String,
    /// The encoding's canonical name (`utf-8`, `windows-1252`, ...).
    pub encoding: &'static str,
}

/// Windows-1252 code points for bytes 0x80..=0x9F (0 where the code page leaves a hole).
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
    0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
    0x0153, 0, 0x017E, 0x0178,
];

fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => match CP1252_HIGH[usize::from(b - 0x80)] {
                0 => char::from(b),
                cp => char::from_u32(u32::from(cp)).unwrap_or('\u{FFFD}'),
            },
            _ => char::from(b),
        })
        .collect()
}

fn decode_latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn decode_latin9(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0xA4 => '€',
            0xA6 => 'Š',
            0xA8 => 'š',
            0xB4 => 'Ž',
            0xB8 => 'ž',
            0xBC => 'Œ',
            0xBD => 'œ',
            0xBE => 'Ÿ',
            _ => char::from(b),
        })
        .collect()
}

fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
}

/// The canonical name of a charset label, if it is one storyline decodes.
pub fn canonical_label(label: &str) -> Option<&'static str> {
    let l = label.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    Some(match l.as_str() {
        "utf-8" | "utf8" | "unicode-1-1-utf-8" => "utf-8",
        "windows-1252" | "cp1252" | "x-cp1252" | "us-ascii" | "ascii" => "windows-1252",
        "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1" | "iso_8859-1" => "iso-8859-1",
        "iso-8859-15" | "iso8859-15" | "latin9" | "latin-9" | "l9" | "iso_8859-15" => "iso-8859-15",
        "utf-16" | "utf-16le" => "utf-16le",
        "utf-16be" => "utf-16be",
        _ => return None,
    })
}

/// Decodes bytes to text. `declared` is a charset the container states (HTTP header, `<meta>`,
/// XML declaration); it is used when the bytes are not valid UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Decoded { text: String::from_utf8_lossy(rest).into_owned(), encoding: "utf-8" };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Decoded { text: decode_utf16(rest, false), encoding: "utf-16le" };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Decoded { text: decode_utf16(rest, true), encoding: "utf-16be" };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded { text: s.to_owned(), encoding: "utf-8" };
    }
    let declared = declared.and_then(canonical_label).or_else(|| declared_charset(bytes));
    let (text, encoding) = match declared {
        Some("iso-8859-1") => (decode_latin1(bytes), "iso-8859-1"),
        Some("iso-8859-15") => (decode_latin9(bytes), "iso-8859-15"),
        Some("utf-16le") => (decode_utf16(bytes, false), "utf-16le"),
        Some("utf-16be") => (decode_utf16(bytes, true), "utf-16be"),
        // A declared UTF-8 that is not valid UTF-8 is, in practice, Windows-1252.
        _ => (decode_cp1252(bytes), "windows-1252"),
    };
    Decoded { text, encoding }
}

/// The charset a document declares in its first 2 KB: an XML declaration's `encoding`, an HTML
/// `<meta charset>` or `<meta http-equiv content="...; charset=...">`.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"encoding="[..], b"charset="] {
        let mut from = 0;
        while let Some(pos) = find(&lower[from..], key) {
            let start = from + pos + key.len();
            let value: String = lower[start..]
                .iter()
                .skip_while(|&&b| b == b'"' || b == b'\'' || b == b' ')
                .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                .map(|&b| char::from(b))
                .collect();
            if let Some(label) = canonical_label(&value) {
                return Some(label);
            }
            from = start;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Rejects data that is not text: NUL bytes or a high share of control characters in the first
/// block (binary junk, images, archives). UTF-16 with a byte-order mark is text.
pub fn check_text(head: &[u8]) -> Result<(), IngestError> {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Ok(());
    }
    let sample = &head[..head.len().min(8192)];
    if let Some(offset) = sample.iter().position(|&b| b == 0) {
        return Err(IngestError::Binary { offset, byte: 0 });
    }
    let control = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    if control * 20 > sample.len().max(1) {
        let offset =
            sample.iter().position(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).unwrap_or(0);
        return Err(IngestError::Binary { offset, byte: sample[offset] });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_stays_utf8() {
        let d = decode("België".as_bytes(), None);
        assert_eq!(d.text, "België");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn legacy_bytes_are_windows_1252() {
        // "België – € 5" in Windows-1252.
        let d = decode(b"Belgi\xEB \x96 \x80 5", None);
        assert_eq!(d.text, "België – € 5");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn declared_latin9_is_honoured() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><p>\xA4 10, Belgi\xEB</p>";
        assert_eq!(declared_charset(bytes), Some("iso-8859-15"));
        let d = decode(bytes, None);
        assert!(d.text.contains("€ 10, België"), "{}", d.text);
        let html =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">";
        assert_eq!(declared_charset(html), Some("iso-8859-1"));
    }

    #[test]
    fn boms_are_removed() {
        assert_eq!(decode(b"\xEF\xBB\xBFhallo", None).text, "hallo");
        assert_eq!(decode(b"\xFF\xFEh\0i\0", None).text, "hi");
        assert_eq!(decode(b"\xFE\xFF\0h\0i", None).text, "hi");
    }

    #[test]
    fn binary_is_refused() {
        assert!(check_text(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
        assert!(check_text(b"Gewoon tekst.\n").is_ok());
        assert!(check_text(&[0x01, 0x02, 0x03, 0x04, b'a']).is_err());
    }
}
