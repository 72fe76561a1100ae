//! The `render` stage: pure, no file reads. Markdown and spans become HTML, and
//! the archive's views go through the Tera templates to make the site's files.

pub mod annotate;
pub mod annotations;
pub mod cards;
pub mod charts;
mod citation;
mod common;
pub mod data;
mod extras;
pub mod feeds;
pub mod highlight;
mod json_writer;
pub mod jsonld;
pub mod marks;
mod page_renderer;
mod pages;
mod pagination;
pub mod periods;
pub mod search;
pub mod site;
pub mod sitemap;
mod svg;
pub mod templates;
mod urls;
pub mod views;
pub mod xml;
