//! (being written)
use super::{Analysis, Annotator, Document};
/// (being written)
#[derive(Debug, Default, Clone, Copy)]
pub struct TimeAnnotator;
impl Annotator for TimeAnnotator {
    fn name(&self) -> &'static str {
        "times"
    }
    fn annotate(&self, _doc: &Document<'_>, _out: &mut Analysis) {}
}
