//! Reading an article: one module per annotator.

pub mod lang;
