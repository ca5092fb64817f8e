//! (being written)
use super::{Analysis, Annotator, Document};
/// (being written)
#[derive(Debug, Default, Clone, Copy)]
pub struct QuantityAnnotator;
impl Annotator for QuantityAnnotator {
    fn name(&self) -> &'static str {
        "quantities"
    }
    fn annotate(&self, _doc: &Document<'_>, _out: &mut Analysis) {}
}
