//! Quoting: a quote's title, its citation, its context paragraph and the
//! text fragment that finds its words on the original page.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use pulldown_cmark_escape::escape_html;

use crate::anchor::text::{count_words, push_one_line, words};
use crate::anchor::PlainText;
use crate::render::cards::iso_date;
use crate::render::views::*;

/// A misattributed quote says so first.
pub(super) fn citation(card: &QuoteCard, story_date: &crate::date::Date, base_url: &str) -> String {
    let (before, after) = match (card.status, card.speaker.unnamed) {
        ("misattributed", _) => ("Misattributed to ", ""),
        (_, true) => ("", " (unnamed source)"),
        _ => ("", ""),
    };
    let said: [&str; 3] = if card.date == iso_date(story_date) {
        ["", "", ""]
    } else {
        [" (said ", &card.date_display, ")"]
    };
    let source: [&str; 2] = card.story.source.as_deref().map_or(["", ""], |s| [", ", s]);
    let status = if card.status == "disputed" {
        " [disputed]"
    } else {
        ""
    };
    [
        before,
        &card.speaker.name,
        after,
        ": \u{201C}",
        &card.words,
        "\u{201D}",
        said[0],
        said[1],
        said[2],
        status,
        ". In \u{201C}",
        &card.story.title,
        "\u{201D}",
        source[0],
        source[1],
        ", ",
        &card.story.date_display,
        ". ",
        base_url,
        &card.path,
    ]
    .concat()
}

/// The paragraph of visible text holding `span`, escaped, with the span in `<mark>`.
pub(super) fn context_html(text: &PlainText, span: std::ops::Range<usize>) -> String {
    let whole = &text.text;
    let start_byte = text.byte(span.start);
    let end_byte = text.byte(span.end);
    let para_start = whole[..start_byte].rfind("\n\n").map_or(0, |i| i + 2);
    let para_end = whole[end_byte..]
        .find("\n\n")
        .map_or(whole.len(), |i| end_byte + i);
    // The paragraph on one line first, then escaped in its three parts.
    let mut line = String::with_capacity(para_end - para_start + 2);
    push_one_line_keep_edges(&mut line, &whole[para_start..start_byte]);
    let mark_start = line.len();
    push_one_line(&mut line, &whole[start_byte..end_byte]);
    let mark_end = line.len();
    push_one_line_keep_edges(&mut line, &whole[end_byte..para_end]);
    let mut out = String::with_capacity(line.len() + line.len() / 8 + 13);
    // Escaping into a `String` does not fail.
    let _ = escape_html(&mut out, &line[..mark_start]);
    out.push_str("<mark>");
    let _ = escape_html(&mut out, &line[mark_start..mark_end]);
    out.push_str("</mark>");
    let _ = escape_html(&mut out, &line[mark_end..]);
    out
}

/// Appends `text` on one line, keeping a space for white space at either end
/// (the text around a quote meets the quote there); white space alone is one space.
fn push_one_line_keep_edges(out: &mut String, text: &str) {
    let start = out.len();
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    let inner = out.len();
    push_one_line(out, text);
    if out.len() == inner {
        out.truncate(start);
        if !text.is_empty() {
            out.push(' ');
        }
    } else if text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

/// A quote's title: who, and the first words (`Ilse Varnham: “We will not…”`).
pub(super) fn quote_title(card: &QuoteCard) -> String {
    let name = &card.speaker.name;
    let mut out = String::with_capacity(name.len() + card.words.len() + 12);
    out.push_str(name);
    out.push_str(": \u{201C}");
    push_truncated_words(&mut out, &card.words, 12);
    out.push('\u{201D}');
    out
}

/// Appends `text` when it has at most `limit` words, or else its first `limit`
/// words on one line and `…`.
fn push_truncated_words(out: &mut String, text: &str, limit: usize) {
    if words(text).nth(limit).is_none() {
        out.push_str(text);
        return;
    }
    for (i, word) in words(text).take(limit).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('\u{2026}');
}

/// A text fragment (`#:~:text=…`) that highlights `words` on the original page:
/// the words themselves, or their first and last four words when long. Pages
/// append it to a URL with [`push_text_fragment`]; this is its test's view.
#[cfg(test)]
fn text_fragment(words: &str) -> String {
    let mut out = String::with_capacity(3 * words.len() + 9);
    push_text_fragment(&mut out, words);
    out
}

/// Appends [`text_fragment`] of `words` to `out`: each word percent-encoded as
/// it is written, with no list of the words.
pub(super) fn push_text_fragment(out: &mut String, text: &str) {
    out.push_str("#:~:text=");
    let count = count_words(text);
    let long = count > 8;
    for (i, word) in words(text).enumerate() {
        if long && (4..count - 4).contains(&i) {
            continue;
        }
        if long && i == count - 4 {
            out.push(',');
        } else if i > 0 {
            out.push_str("%20");
        }
        out.extend(utf8_percent_encode(word, NON_ALPHANUMERIC));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fragments_encode_and_shorten() {
        assert_eq!(
            text_fragment("we will not sign"),
            "#:~:text=we%20will%20not%20sign"
        );
        assert_eq!(text_fragment("a-b, c"), "#:~:text=a%2Db%2C%20c");
        let long = text_fragment("one two three four five six seven eight nine ten");
        assert_eq!(
            long,
            "#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
        );
    }

    /// The old definitions, through lists of words, that the one-pass
    /// versions must agree with.
    mod by_lists {
        use super::*;
        use crate::render::cards::one_line;

        pub fn one_line_keep_edges(text: &str) -> String {
            let lead = if text.starts_with(char::is_whitespace) && !text.trim().is_empty() {
                " "
            } else {
                ""
            };
            let trail = if text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
                " "
            } else {
                ""
            };
            let inner = one_line(text);
            if inner.is_empty() {
                return if text.is_empty() {
                    String::new()
                } else {
                    " ".to_string()
                };
            }
            format!("{lead}{inner}{trail}")
        }

        pub fn truncate_words(text: &str, words: usize) -> String {
            let all: Vec<&str> = text.split_whitespace().collect();
            if all.len() <= words {
                text.to_string()
            } else {
                format!("{}\u{2026}", all[..words].join(" "))
            }
        }

        pub fn text_fragment(words: &str) -> String {
            let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
            let list: Vec<&str> = words.split_whitespace().collect();
            if list.len() <= 8 {
                format!("#:~:text={}", encode(&list.join(" ")))
            } else {
                let start = list[..4].join(" ");
                let end = list[list.len() - 4..].join(" ");
                format!("#:~:text={},{}", encode(&start), encode(&end))
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_helpers_agree_with_the_lists_of_words(
            text in "([a-zé“”&<]{1,6}|[ \n\t]|  |\u{a0}|\u{2003}){0,40}",
            limit in 0usize..14,
        ) {
            let mut line = String::from("kept");
            push_one_line_keep_edges(&mut line, &text);
            proptest::prop_assert_eq!(&line[4..], by_lists::one_line_keep_edges(&text));
            let mut truncated = String::new();
            push_truncated_words(&mut truncated, &text, limit);
            proptest::prop_assert_eq!(truncated, by_lists::truncate_words(&text, limit));
            proptest::prop_assert_eq!(text_fragment(&text), by_lists::text_fragment(&text));
        }
    }
}
