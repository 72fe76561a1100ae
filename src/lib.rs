//! annalist: a static site generator for annotated story archives.
//!
//! The pipeline has one module per stage, each handing a plain value to the next:
//!
//! - [`load`]: `archive.toml`, stories, sidecars and people → [`load::Corpus`]
//! - [`anchor`]: selectors → spans of each story's reader-visible text → [`anchor::Anchored`]
//! - [`index`]: people ↔ stories ↔ quotes, backlinks, related stories → [`index::Archive`]
//!
//! - [`render`]: Markdown + spans → HTML through the theme's templates → files
//! - [`write`]: files → the output folder, only those that changed, committed once
//!   every page is made
//!
//! [`check`] runs load → anchor → index and reports every [`diagnostics::Diagnostic`];
//! [`build`] runs every stage.
#![warn(missing_docs)]
// A Diagnostic is the error channel for content problems; it is built rarely and
// carries its file and hint, so its size in a `Result` does not matter.
#![allow(clippy::result_large_err)]

pub mod anchor;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod export;
pub mod fingerprint;
pub mod index;
pub mod init;
pub mod load;
pub mod markdown;
pub mod new;
pub mod progress;
pub mod render;
pub mod root;
pub mod serve;
pub mod skeleton;
pub mod source;
pub mod suggest;
pub mod write;
