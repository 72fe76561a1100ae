//! annalist: a static site generator for annotated story archives.
//!
//! The pipeline has one module per stage, each handing a plain value to the next:
//!
//! - [`load`]: `archive.toml`, stories, sidecars and people → [`load::Corpus`]
//! - [`anchor`]: selectors → spans of each story's reader-visible text → [`anchor::Anchored`]
//! - [`index`]: people ↔ stories ↔ quotes, backlinks, related stories → [`index::Archive`]
//!
//! [`check`] runs them all and reports every [`diagnostics::Diagnostic`].
#![warn(missing_docs)]

pub mod anchor;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod index;
pub mod load;
pub mod markdown;
pub mod source;
pub mod suggest;
