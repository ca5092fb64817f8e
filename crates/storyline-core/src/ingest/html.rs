//! HTML pages (placeholder while it is written).
use super::IngestError;
use crate::model::RawArticle;
/// Parses a page.
pub fn parse_html(_bytes: &[u8]) -> Result<RawArticle, IngestError> {
    Err(IngestError::Malformed("html is not read yet".into()))
}
/// Parses a page whose container (an HTTP header) declares a charset.
pub fn parse_html_declared(_bytes: &[u8], _charset: Option<&str>) -> Result<RawArticle, IngestError> {
    Err(IngestError::Malformed("html is not read yet".into()))
}
/// The visible text of an HTML fragment (feed content), paragraphs separated by blank lines.
pub fn fragment_text(html: &str) -> String { html.to_string() }
