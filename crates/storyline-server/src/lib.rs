//! # storyline-server
//!
//! The thin HTTP layer of storyline: handlers parse a request, call the store and the dossier
//! code the command line uses, and render JSON or a server-rendered page.

#![warn(missing_docs)]

pub mod ui;
