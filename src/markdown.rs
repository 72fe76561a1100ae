//! The Markdown dialect, shared by anchoring and rendering so both see the same text.

use pulldown_cmark::Options;

use crate::config::MarkdownConfig;

/// The pulldown-cmark options for an archive: CommonMark with tables, footnotes,
/// strikethrough and (unless turned off) smart punctuation.
pub fn options(config: &MarkdownConfig) -> Options {
    let mut options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}
