//! Query-string parameters: decoded leniently (a bad escape never fails a request) and read
//! with messages that name the parameter and the value.

use storyline_core::Published;

use crate::error::ApiError;

/// The decoded `key=value` pairs of a query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

/// Decodes `%XX` escapes and `+` (a space); invalid escapes are kept as written and invalid
/// UTF-8 becomes U+FFFD.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The largest `offset` a listing takes (far beyond any store; well within what every
/// backend counts in).
pub const MAX_OFFSET: usize = 1 << 40;

impl Params {
    /// Parses a raw query string (without the `?`).
    pub fn parse(raw: Option<&str>) -> Params {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(p), String::new()),
            })
            .collect();
        Params(pairs)
    }

    /// The last value given for `key`, trimmed; an empty value counts as not given (an empty
    /// form field).
    pub fn text(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A date parameter (`2017-10-15`, `2017-10`, `2017`, RFC 3339).
    pub fn date(&self, key: &str) -> Result<Option<Published>, ApiError> {
        self.text(key)
            .map(|v| {
                Published::parse(&v).map_err(|e| {
                    ApiError::bad_request(format!(
                        "parameter `{key}`: `{v}` is not a date we can use ({}; use 2017-10-15, 2017-10 or RFC 3339)",
                        e.reason
                    ))
                })
            })
            .transpose()
    }

    /// A yes/no parameter: `true`, `1` or `yes` is yes; `false`, `0`, `no`, an empty value or
    /// absence is no; anything else is a bad request naming it.
    pub fn flag(&self, key: &str) -> Result<bool, ApiError> {
        Ok(self.either(key)?.unwrap_or(false))
    }

    /// A yes/no parameter that may be left out: `Some(true)` for `true`, `1` or `yes`,
    /// `Some(false)` for `false`, `0` or `no`, `None` for an empty value or absence; anything
    /// else is a bad request naming it.
    pub fn either(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.text(key).map(|v| v.to_ascii_lowercase()).as_deref() {
            None => Ok(None),
            Some("false" | "0" | "no") => Ok(Some(false)),
            Some("true" | "1" | "yes") => Ok(Some(true)),
            Some(other) => {
                Err(ApiError::bad_request(format!("parameter `{key}`: `{other}` is not true or false")))
            }
        }
    }

    /// A whole-number parameter.
    pub fn number(&self, key: &str) -> Result<Option<usize>, ApiError> {
        self.text(key)
            .map(|v| {
                v.parse::<usize>().map_err(|_| {
                    ApiError::bad_request(format!("parameter `{key}`: `{v}` is not a whole number"))
                })
            })
            .transpose()
    }

    /// A whole-number parameter of at most `max` (a larger one is a bad request, not a
    /// number that wraps round).
    pub fn number_at_most(&self, key: &str, max: usize) -> Result<Option<usize>, ApiError> {
        match self.number(key) {
            Ok(Some(n)) if n > max => Err(ApiError::bad_request(format!(
                "parameter `{key}`: `{n}` is more than the largest allowed, {max}"
            ))),
            other => other,
        }
    }

    /// A required parameter.
    pub fn required(&self, key: &str) -> Result<String, ApiError> {
        self.text(key).ok_or_else(|| ApiError::bad_request(format!("parameter `{key}` is required")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_decoded_leniently() {
        let p = Params::parse(Some("q=konvooi+Raqqa&source=De%20Dagkoerier&x=%zz&e=%E2%82%AC&empty=&q2"));
        assert_eq!(p.text("q").as_deref(), Some("konvooi Raqqa"));
        assert_eq!(p.text("source").as_deref(), Some("De Dagkoerier"));
        assert_eq!(p.text("x").as_deref(), Some("%zz"));
        assert_eq!(p.text("e").as_deref(), Some("€"));
        assert_eq!(p.text("empty"), None);
        assert_eq!(p.text("q2"), None);
        assert_eq!(Params::parse(Some("a=%4")).text("a").as_deref(), Some("%4"));
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let p = Params::parse(Some("since=2017-13-45&limit=veel"));
        let e = p.date("since").unwrap_err();
        assert!(e.message.contains("`since`") && e.message.contains("2017-13-45"), "{}", e.message);
        let e = p.number("limit").unwrap_err();
        assert!(e.message.contains("`limit`") && e.message.contains("veel"), "{}", e.message);
        assert!(p.required("a").is_err());
    }

    #[test]
    fn flags_read_yes_and_no_and_refuse_anything_else() {
        let p = Params::parse(Some("a=true&b=0&c=&d=misschien&e=YES"));
        assert!(p.flag("a").unwrap());
        assert!(!p.flag("b").unwrap());
        assert!(!p.flag("c").unwrap());
        assert!(!p.flag("absent").unwrap());
        assert!(p.flag("e").unwrap());
        let e = p.flag("d").unwrap_err();
        assert!(e.to_string().contains("`misschien`"), "{e}");
        // Left out is neither yes nor no.
        assert_eq!(p.either("a").unwrap(), Some(true));
        assert_eq!(p.either("b").unwrap(), Some(false));
        assert_eq!(p.either("c").unwrap(), None);
        assert_eq!(p.either("absent").unwrap(), None);
        let e = p.either("d").unwrap_err();
        assert!(e.to_string().contains("`d`") && e.to_string().contains("`misschien`"), "{e}");
    }
}
