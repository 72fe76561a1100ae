//! From an indexed story to the [`Mark`]s drawn over its text.

use pulldown_cmark::{Event, Parser, Tag};

use super::annotate::{internal_url, Mark, MarkKind};
use crate::anchor::text::{is_inline_end, is_inline_tag};
use crate::anchor::Speaker;
use crate::index::{Archive, StoryEntry};

/// Every annotation of a story, ready to draw: mentions, quotes, anchored links, notes.
pub fn story_marks(archive: &Archive, story: &StoryEntry, root: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    for mention in &story.story.mentions {
        let name = archive.person_ids.get(&*mention.person).map_or_else(
            || mention.person.to_string(),
            |p| archive.people[p.0].file.front.name.clone(),
        );
        marks.push(Mark {
            span: mention.span,
            kind: MarkKind::Mention {
                person: mention.person.to_string(),
                name,
            },
        });
    }
    for quote_id in &story.quotes {
        let quote = &archive.quotes[quote_id.0].quote;
        marks.push(Mark {
            span: quote.span,
            kind: MarkKind::Quote {
                id: quote.id.clone(),
                speaker: speaker_name(archive, &quote.speaker),
                kind: quote.kind.as_str(),
                status: quote.status.as_str(),
            },
        });
    }
    for link in &story.links_out {
        if let Some(span) = link.span {
            let target = &archive.stories[link.story.0].story.story;
            marks.push(Mark {
                span,
                kind: MarkKind::Link {
                    slug: target.slug.clone(),
                    title: target.front.title.clone(),
                },
            });
        }
    }
    let mut notes: Vec<_> = story.story.notes.iter().collect();
    notes.sort_by_key(|n| n.span);
    for (i, note) in notes.into_iter().enumerate() {
        marks.push(Mark {
            span: note.span,
            kind: MarkKind::Note {
                number: i + 1,
                body_html: inline_markdown(&note.body, root),
            },
        });
    }
    marks
}

/// The name shown for a speaker: the person's name, or the unnamed source's description.
pub fn speaker_name(archive: &Archive, speaker: &Speaker) -> String {
    match speaker {
        Speaker::Person(id) => archive.person_ids.get(id).map_or_else(
            || id.clone(),
            |p| archive.people[p.0].file.front.name.clone(),
        ),
        Speaker::Unnamed(description) => description.clone(),
    }
}

/// Markdown rendered as phrasing content only (for notes and short fields):
/// paragraphs become line breaks, other blocks keep only their text.
pub fn inline_markdown(markdown: &str, root: &str) -> String {
    let mut events = Vec::new();
    let mut first_block = true;
    for event in Parser::new_ext(
        markdown,
        pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION,
    ) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = internal_url(&dest_url, root).map_or(dest_url, Into::into);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(tag) if !is_inline_tag(&tag) => {
                if !first_block {
                    events.push(Event::InlineHtml("<br>".into()));
                }
                first_block = false;
            }
            Event::End(tag) if !is_inline_end(tag) => {}
            Event::Html(html) => events.push(Event::Text(html)),
            Event::InlineHtml(html) => events.push(Event::Text(html)),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_has_no_blocks_and_escapes_html() {
        let html = inline_markdown(
            "First *point*.\n\nSee [the deal](story:water-deal). <b>x</b>",
            "../../",
        );
        assert_eq!(html, "First <em>point</em>.<br>See <a href=\"../../stories/water-deal/\">the deal</a>. &lt;b&gt;x&lt;/b&gt;");
    }
}
