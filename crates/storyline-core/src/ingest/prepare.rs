//! Prepare (placeholder).
use crate::model::{Article, RawArticle};
/// Options.
#[derive(Debug, Default, Clone)]
pub struct PrepareOptions {}
/// Prepares.
pub fn prepare(_raw: RawArticle, _o: &PrepareOptions) -> Article { unimplemented!() }
