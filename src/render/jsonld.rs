//! Structured data (schema.org as JSON-LD) for story, person, quote and home pages.
//!
//! Each function gives the text of a `<script type="application/ld+json">`,
//! made safe to print inside that element by [`script_text`].
//!
//! The objects are typed structs borrowing from the archive, written straight
//! to text: building a `serde_json::Value` tree for every page and then
//! writing it cost several times as much. Their fields are declared in the
//! order a `Value` map writes its keys (sorted by bytes: `@context`, `@type`,
//! then the rest alphabetically), the order the pages have always had; a test
//! checks it.

use serde::Serialize;

use super::cards::Cards;
use super::xml::absolute;
use crate::date::Date;
use crate::index::{Archive, PersonId, QuoteId, StoryId};
use crate::load::{PersonFront, QuoteStatus};

const SCHEMA_ORG: &str = "https://schema.org";

/// Room reserved for a page's JSON-LD: a story's, the longest, is about 1.5 KB.
const SCRIPT_CAPACITY: usize = 2048;

/// A value as the text of a `<script>` element: JSON in which `</` and `<!--`
/// (which could end the element or change how it is parsed) are escaped.
pub fn script_text<T: Serialize + ?Sized>(value: &T) -> String {
    let mut bytes = Vec::with_capacity(SCRIPT_CAPACITY);
    // Neither can fail: the writer is memory, every object has string keys,
    // and serde_json writes UTF-8.
    let json = serde_json::to_writer(&mut bytes, value)
        .ok()
        .and_then(|()| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| String::from("{}"));
    // Outside strings JSON has no `<`; most pages have none at all.
    if !json.contains('<') {
        return json;
    }
    json.replace("</", "<\\/").replace("<!--", "<\\u0021--")
}

/// A `WebSite`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WebSite<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    in_language: &'a str,
    name: &'a str,
    url: &'a str,
}

/// A `NewsArticle`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Article<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Named<'a>>,
    date_modified: Date,
    date_published: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<&'a [String]>,
    mentions: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
    url: String,
}

/// A `Person` with their own page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Person<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    url: String,
}

/// A `Quotation`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Quotation<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Named<'a>>,
    date_created: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    in_language: &'a str,
    is_part_of: PartOf<'a>,
    text: &'a str,
    url: String,
}

/// The `NewsArticle` a quotation is part of.
#[derive(Serialize)]
struct PartOf<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    url: String,
}

/// A `Person` or `Organization` by name, with the URL of their page here if any.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

impl<'a> Named<'a> {
    fn person(name: &'a str) -> Named<'a> {
        Named {
            kind: "Person",
            name,
            url: None,
        }
    }
}

/// The home page as a `WebSite`.
pub fn website(archive: &Archive, base_url: &str) -> String {
    let config = &archive.config;
    script_text(&WebSite {
        context: SCHEMA_ORG,
        kind: "WebSite",
        description: (!config.description.is_empty()).then_some(config.description.as_str()),
        in_language: &config.language,
        name: &config.title,
        url: base_url,
    })
}

/// A story page as a `NewsArticle`: who wrote and published the original, who it
/// mentions, and the original it is based on.
pub fn story(archive: &Archive, cards: &Cards, id: StoryId, base_url: &str) -> String {
    let entry = &archive.stories[id.0];
    let front = &entry.story.story.front;
    let card = &cards.stories[id.0];
    script_text(&Article {
        context: SCHEMA_ORG,
        kind: "NewsArticle",
        author: front
            .authors
            .iter()
            .map(|name| Named::person(name))
            .collect(),
        date_modified: front.updated.map_or(front.date, |u| u.max(front.date)),
        date_published: front.date,
        description: (!card.summary.is_empty()).then_some(card.summary.as_str()),
        headline: &front.title,
        in_language: &archive.config.language,
        is_based_on: front.url.as_deref(),
        keywords: (!front.tags.is_empty()).then_some(front.tags.as_slice()),
        mentions: entry
            .people
            .iter()
            .map(|&(p, _)| person_ref(cards, p, base_url))
            .collect(),
        publisher: front.source.as_deref().map(|name| Named {
            kind: "Organization",
            name,
            url: None,
        }),
        url: absolute(base_url, &card.path),
    })
}

/// A person page as a `Person`: other names, pictures, pages elsewhere, current role.
pub fn person(archive: &Archive, id: PersonId, base_url: &str) -> String {
    let file = &archive.people[id.0].file;
    let front = &file.front;
    script_text(&Person {
        context: SCHEMA_ORG,
        kind: "Person",
        alternate_name: (!front.aliases.is_empty()).then_some(front.aliases.as_slice()),
        description: front.description.as_deref(),
        image: image_url(front, base_url),
        job_title: current_role(front),
        name: &front.name,
        same_as: front
            .links
            .values()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(String::as_str)
            .collect(),
        url: absolute(base_url, &format!("people/{}/", file.id)),
    })
}

/// A quote page as a `Quotation`: the words, who said them, when, and the story.
/// A misattributed quote names no `creator` (that would repeat the error) and says
/// so in `description`; an unnamed source is a `Person` with only a name.
pub fn quote(archive: &Archive, cards: &Cards, id: QuoteId, base_url: &str) -> String {
    let entry = &archive.quotes[id.0];
    let card = &cards.quotes[id.0];
    let misattributed = entry.quote.status == QuoteStatus::Misattributed;
    let creator = match entry.speaker {
        _ if misattributed => None,
        Some(p) => Some(person_ref(cards, p, base_url)),
        None => Some(Named::person(&card.speaker.name)),
    };
    script_text(&Quotation {
        context: SCHEMA_ORG,
        kind: "Quotation",
        about: entry
            .about
            .iter()
            .map(|&p| person_ref(cards, p, base_url))
            .collect(),
        creator,
        date_created: entry.quote.said,
        description: misattributed.then(|| format!("Misattributed to {}", card.speaker.name)),
        in_language: &archive.config.language,
        is_part_of: PartOf {
            kind: "NewsArticle",
            headline: &card.story.title,
            url: absolute(base_url, &card.story.path),
        },
        text: &card.words,
        url: absolute(base_url, &card.path),
    })
}

/// A person's picture as an absolute URL: as written when absolute, else from `base_url`.
pub fn image_url(front: &PersonFront, base_url: &str) -> Option<String> {
    front.image.as_ref().map(|image| {
        if image.contains("://") {
            image.clone()
        } else {
            absolute(base_url, image.trim_start_matches('/'))
        }
    })
}

/// A `Person` with a name and the URL of their page.
fn person_ref<'a>(cards: &'a Cards, id: PersonId, base_url: &str) -> Named<'a> {
    let card = &cards.people[id.0];
    Named {
        kind: "Person",
        name: &card.name,
        url: Some(absolute(base_url, &card.path)),
    }
}

/// The title of the role that has not ended, the latest begun if several.
fn current_role(front: &PersonFront) -> Option<&str> {
    front
        .roles
        .iter()
        .filter(|r| r.to.is_none())
        .max_by_key(|r| r.from)
        .map(|r| r.title.as_str())
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// The text of `value`, checked to have its keys in the order a
    /// `serde_json::Value` map writes them (the order the pages have).
    fn in_value_order<T: Serialize>(value: &T) -> String {
        let text = serde_json::to_string(value).unwrap();
        let tree: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(tree.to_string(), text);
        text
    }

    #[test]
    fn keys_are_written_in_the_order_of_a_value_map() {
        let date = Date::parse("2025-03-14").unwrap();
        let named = || Named {
            kind: "Person",
            name: "A",
            url: Some("https://x.org/people/a/".into()),
        };
        let names = ["B".to_string()];
        let site = in_value_order(&WebSite {
            context: SCHEMA_ORG,
            kind: "WebSite",
            description: Some("d"),
            in_language: "en",
            name: "n",
            url: "https://x.org/",
        });
        assert!(site.starts_with("{\"@context\":\"https://schema.org\",\"@type\""));
        in_value_order(&Article {
            context: SCHEMA_ORG,
            kind: "NewsArticle",
            author: vec![Named::person("W")],
            date_modified: date,
            date_published: date,
            description: Some("d"),
            headline: "h",
            in_language: "en",
            is_based_on: Some("https://y.org/"),
            keywords: Some(&names),
            mentions: vec![named()],
            publisher: Some(Named {
                kind: "Organization",
                name: "P",
                url: None,
            }),
            url: "https://x.org/stories/s/".into(),
        });
        in_value_order(&Person {
            context: SCHEMA_ORG,
            kind: "Person",
            alternate_name: Some(&names),
            description: Some("d"),
            image: Some("https://x.org/a.jpg".into()),
            job_title: Some("Mayor"),
            name: "A",
            same_as: vec!["https://y.org/a"],
            url: "https://x.org/people/a/".into(),
        });
        in_value_order(&Quotation {
            context: SCHEMA_ORG,
            kind: "Quotation",
            about: vec![named()],
            creator: Some(named()),
            date_created: date,
            description: Some("Misattributed to A".into()),
            in_language: "en",
            is_part_of: PartOf {
                kind: "NewsArticle",
                headline: "h",
                url: "https://x.org/stories/s/".into(),
            },
            text: "t",
            url: "https://x.org/quotes/q/".into(),
        });
    }

    #[test]
    fn script_text_cannot_close_or_comment_out_the_script() {
        let text = script_text(&json!({"name": "</script><script>alert(1)</script> <!-- x"}));
        assert!(!text.contains("</"), "{text}");
        assert!(!text.contains("<!--"), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> <!-- x");
    }

    #[test]
    fn the_current_role_is_the_latest_open_one() {
        let front: PersonFront = toml::from_str(
            r#"name = "A"
roles = [
  { title = "Mayor", from = 2019-01-01, to = 2023-01-01 },
  { title = "Councillor", from = 2015-01-01 },
  { title = "Chair", from = 2024-01-01 },
]"#,
        )
        .unwrap();
        assert_eq!(current_role(&front), Some("Chair"));
    }

    #[test]
    fn relative_images_are_made_absolute() {
        let mut front: PersonFront =
            toml::from_str("name = \"A\"\nimage = \"/img/a.jpg\"").unwrap();
        assert_eq!(
            image_url(&front, "https://x.org/r/").as_deref(),
            Some("https://x.org/r/img/a.jpg")
        );
        front.image = Some("https://cdn.org/a.jpg".into());
        assert_eq!(
            image_url(&front, "https://x.org/r/").as_deref(),
            Some("https://cdn.org/a.jpg")
        );
    }
}
