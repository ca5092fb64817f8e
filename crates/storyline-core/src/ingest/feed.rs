//! RSS and Atom feeds (placeholder while it is written).
use super::{IngestError, RecordError};
use crate::model::RawArticle;
/// Parses a feed.
pub fn parse_feed(_bytes: &[u8]) -> Result<Vec<Result<RawArticle, RecordError>>, IngestError> {
    Err(IngestError::Malformed("feeds are not read yet".into()))
}
