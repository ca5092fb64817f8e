//! Plain text (placeholder).
use super::IngestError;
use crate::model::RawArticle;
/// Parses text bytes.
pub fn parse_text_bytes(bytes: &[u8]) -> Result<RawArticle, IngestError> {
    Ok(parse_text(&super::encoding::decode(bytes, None).text))
}
/// Parses text.
pub fn parse_text(s: &str) -> RawArticle { RawArticle::with_text(s) }
