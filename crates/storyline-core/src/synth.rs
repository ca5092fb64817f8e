//! Synthetic corpus generation for benchmarks (placeholder while it is written).
