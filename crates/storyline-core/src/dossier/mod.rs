//! The story dossier: a story's reports side by side — the timeline with what each report adds,
//! who is quoted saying what, every figure by what it counts, and where the figures disagree.

pub mod model;

pub use model::*;
