//! `storyline correct` and `storyline corrections`: an editor's corrections of the stories
//! and articles, their history, and the labelled pairs a clustering model can learn from.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use storyline_store::corrections::{labelled_pairs, Correction, CorrectionEvent, CorrectionFilter};
use storyline_store::{Store, StoreError};

use crate::UsageError;

/// One correction, as asked on the command line.
#[derive(Subcommand)]
pub enum CorrectCmd {
    /// Merge a story into another: all its reports move there
    Merge {
        /// The story that goes
        story: String,
        /// The story that stays
        #[arg(long, value_name = "STORY")]
        into: String,
    },
    /// Split reports out of a story into a new one
    Split {
        /// The story
        story: String,
        /// The reports that move (article ids or unique prefixes), not all of them
        #[arg(required = true, num_args = 1..)]
        articles: Vec<String>,
    },
    /// Move one report to another story
    Move {
        /// The report (article id or unique prefix)
        article: String,
        /// The story it belongs to
        #[arg(long, value_name = "STORY")]
        to: String,
    },
    /// Pin a report to its story: the machine never moves it
    Pin {
        /// The report (article id or unique prefix)
        article: String,
    },
    /// Keep a report out of its story: it gets a story of its own and never rejoins that one
    KeepOut {
        /// The report (article id or unique prefix)
        article: String,
    },
    /// Set an article's date (at its precision), outlet or language
    Set {
        /// The article (id or unique prefix)
        article: String,
        /// Its publication date: `2017-11-14`, `2017-11`, `2017-11-14T09:30:00Z`
        #[arg(long, value_name = "DATE")]
        published: Option<String>,
        /// Its outlet
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// Its language code (`nl`, `en`)
        #[arg(long, value_name = "CODE")]
        language: Option<String>,
    },
    /// Take back a correction (its number from `storyline corrections`)
    Undo {
        /// The correction's number
        correction: i64,
    },
}

/// The author of a correction: `--as`, else the login name.
pub fn author(given: Option<String>) -> Result<String> {
    let name = given
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    name.ok_or_else(|| {
        UsageError("a correction needs your name: give `--as NAME` (or STORYLINE_AUTHOR)".into()).into()
    })
}

fn story_number(s: &str) -> Result<i64> {
    s.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| UsageError(format!("`{s}` is not a story number (see `storyline stories`)")).into())
}

fn article_id(store: &dyn Store, given: &str) -> Result<String> {
    match store.resolve(given) {
        Ok(Some(id)) => Ok(id),
        Ok(None) => {
            Err(UsageError(format!("no article `{given}` in the store (see `storyline articles`)")).into())
        }
        Err(e @ StoreError::Ambiguous { .. }) => Err(UsageError(e.to_string()).into()),
        Err(e) => Err(e.into()),
    }
}

/// Turns the command line into a correction, resolving abbreviated article ids.
fn correction(store: &dyn Store, cmd: CorrectCmd) -> Result<Correction> {
    Ok(match cmd {
        CorrectCmd::Merge { story, into } => {
            Correction::Merge { story: story_number(&story)?, into: story_number(&into)? }
        }
        CorrectCmd::Split { story, articles } => Correction::Split {
            story: story_number(&story)?,
            articles: articles.iter().map(|a| article_id(store, a)).collect::<Result<_>>()?,
        },
        CorrectCmd::Move { article, to } => {
            Correction::Move { article: article_id(store, &article)?, to: story_number(&to)? }
        }
        CorrectCmd::Pin { article } => Correction::Pin { article: article_id(store, &article)? },
        CorrectCmd::KeepOut { article } => Correction::KeepOut { article: article_id(store, &article)? },
        CorrectCmd::Set { article, published, source, language } => {
            if published.is_none() && source.is_none() && language.is_none() {
                return Err(
                    UsageError("nothing to set: give --published, --source or --language".into()).into()
                );
            }
            Correction::Set { article: article_id(store, &article)?, published, source, language }
        }
        CorrectCmd::Undo { correction } => Correction::Undo { correction },
    })
}

/// `storyline correct …`.
pub fn correct(store: &dyn Store, cmd: CorrectCmd, author: &str, json: bool) -> Result<ExitCode> {
    let c = correction(store, cmd)?;
    let event = match store.correct(&c, author) {
        Ok(e) => e,
        Err(StoreError::Refused(why)) => return Err(UsageError(format!("correction refused: {why}")).into()),
        Err(e) => return Err(e.into()),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&event)?);
    } else {
        println!("correction {}: {}", event.id, event.summary);
    }
    Ok(ExitCode::SUCCESS)
}

/// One line of a history.
pub fn line(e: &CorrectionEvent) -> String {
    let at = crate::clock::moment(e.at);
    let undone = e.undone_by.map(|by| format!(" (undone by {by})")).unwrap_or_default();
    format!("{:>4}  {at}  {}: {}{undone}", e.id, e.author, e.summary)
}

/// `storyline corrections`.
pub fn list(store: &dyn Store, filter: &CorrectionFilter, pairs: bool, json: bool) -> Result<ExitCode> {
    let events = store.corrections(filter)?;
    if pairs {
        // Oldest first, as they were made.
        let mut events = events;
        events.reverse();
        for p in labelled_pairs(&events, 1000) {
            println!("{}", serde_json::to_string(&p)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&events)?);
    } else if events.is_empty() {
        println!("no corrections");
    } else {
        for e in &events {
            println!("{}", line(e));
        }
    }
    Ok(ExitCode::SUCCESS)
}
