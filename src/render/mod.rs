//! The `render` stage: pure, no file reads. Markdown and spans become HTML, and
//! the archive's views go through the Tera templates to make the site's files.

pub mod annotate;
pub mod cards;
pub mod highlight;
pub mod marks;
pub mod site;
pub mod templates;
pub mod views;
