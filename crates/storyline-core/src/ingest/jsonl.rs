//! JSON Lines (placeholder).
use std::io::BufRead;
use super::{Emit, IngestError};
/// Reads JSON Lines.
pub fn read_jsonl<R: BufRead>(_r: R, _max: usize, _emit: &mut Emit<'_>) -> Result<(), IngestError> { Ok(()) }
