//! (being written)
use super::{Analysis, Annotator, Document};
/// (being written)
#[derive(Debug, Default, Clone, Copy)]
pub struct QuoteAnnotator;
impl Annotator for QuoteAnnotator {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn annotate(&self, _doc: &Document<'_>, _out: &mut Analysis) {}
}
