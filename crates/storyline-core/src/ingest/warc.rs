//! WARC files (placeholder while it is written).
use std::io::BufRead;
use super::{Emit, IngestError};
/// Reads a WARC stream.
pub fn read_warc<R: BufRead>(_r: R, _max_record: usize, _emit: &mut Emit<'_>) -> Result<(), IngestError> {
    Err(IngestError::Malformed("warc is not read yet".into()))
}
