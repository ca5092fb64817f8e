//! (being written)
use super::{Analysis, Annotator, Document};
/// (being written)
#[derive(Debug, Default, Clone, Copy)]
pub struct EntityAnnotator;
impl Annotator for EntityAnnotator {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn annotate(&self, _doc: &Document<'_>, _out: &mut Analysis) {}
}
