//! The site's HTML pages, a file for each family: each adds to
//! [`Renderer`](super::common::Renderer) the methods that render its pages.

mod content;
mod home;
mod people;
mod quotes;
mod stories;
mod tags;
mod timeline;

pub(in crate::render) use people::person_more;
pub(in crate::render) use timeline::{timeline_years, year_path, TIMELINE};
