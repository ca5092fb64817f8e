//! # storyline-core
//!
//! The domain of storyline, a tool for following news stories across outlets and over time:
//! the article model, ingest of the formats news comes in (plain text, JSON Lines, RSS/Atom,
//! HTML, WARC), and the analysis that later stages build on. It has no database, no HTTP and no
//! global state; the store and the server depend on it, never the other way round.
//!
//! ```
//! use storyline_core::ingest::{prepare, text::parse_text, PrepareOptions};
//!
//! let raw = parse_text("date 2017-10\nRaadsleden eisen opheldering\n\nDe gemeenteraad van \
//!     Zwolle wil weten waarom de nieuwe brug een jaar later klaar is dan beloofd.");
//! let article = prepare(raw, &PrepareOptions::default());
//! assert_eq!(article.title, "Raadsleden eisen opheldering");
//! assert_eq!(article.published.unwrap().to_string(), "2017-10");
//! assert_eq!(article.language.code, "nl");
//! ```

#![warn(missing_docs)]

pub mod analyze;
pub mod cluster;
pub mod date;
pub mod dossier;
pub mod eval;
pub mod hash;
pub mod ingest;
pub mod model;
pub mod search;
pub mod synth;
pub mod watchlist;

pub use date::{Precision, Published};
pub use model::{Article, Language, Locator, RawArticle};
