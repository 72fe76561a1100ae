//! Structured data (schema.org as JSON-LD) for story, person, quote and home pages.
//!
//! Each function gives the text of a `<script type="application/ld+json">`,
//! made safe to print inside that element by [`script_text`].

use serde_json::{json, Map, Value};

use super::cards::Cards;
use super::xml::absolute;
use crate::index::{Archive, PersonId, QuoteId, StoryId};
use crate::load::{PersonFront, QuoteStatus};

/// A value as the text of a `<script>` element: JSON in which `</` and `<!--`
/// (which could end the element or change how it is parsed) are escaped.
pub fn script_text(value: &Value) -> String {
    value
        .to_string()
        .replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
}

/// The home page as a `WebSite`.
pub fn website(archive: &Archive, base_url: &str) -> String {
    let config = &archive.config;
    let mut site = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "url": base_url,
        "inLanguage": config.language,
    });
    insert_if(
        &mut site,
        "description",
        (!config.description.is_empty()).then(|| json!(config.description)),
    );
    script_text(&site)
}

/// A story page as a `NewsArticle`: who wrote and published the original, who it
/// mentions, and the original it is based on.
pub fn story(archive: &Archive, cards: &Cards, id: StoryId, base_url: &str) -> String {
    let entry = &archive.stories[id.0];
    let front = &entry.story.story.front;
    let card = &cards.stories[id.0];
    let authors: Vec<Value> = front
        .authors
        .iter()
        .map(|name| json!({"@type": "Person", "name": name}))
        .collect();
    let mentions: Vec<Value> = entry
        .people
        .iter()
        .map(|&(p, _)| person_ref(archive, p, base_url))
        .collect();
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": front.title,
        "datePublished": front.date,
        "dateModified": front.updated.map_or(front.date, |u| u.max(front.date)),
        "mentions": mentions,
        "url": absolute(base_url, &card.path),
        "inLanguage": archive.config.language,
    });
    insert_if(
        &mut article,
        "author",
        (!authors.is_empty()).then(|| json!(authors)),
    );
    insert_if(
        &mut article,
        "description",
        (!card.summary.is_empty()).then(|| json!(card.summary)),
    );
    insert_if(
        &mut article,
        "keywords",
        (!front.tags.is_empty()).then(|| json!(front.tags)),
    );
    insert_if(
        &mut article,
        "publisher",
        front
            .source
            .as_ref()
            .map(|s| json!({"@type": "Organization", "name": s})),
    );
    insert_if(
        &mut article,
        "isBasedOn",
        front.url.as_ref().map(|u| json!(u)),
    );
    script_text(&article)
}

/// A person page as a `Person`: other names, pictures, pages elsewhere, current role.
pub fn person(archive: &Archive, id: PersonId, base_url: &str) -> String {
    let file = &archive.people[id.0].file;
    let front = &file.front;
    let same_as: Vec<&String> = front
        .links
        .values()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .collect();
    let mut person = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": front.name,
        "url": absolute(base_url, &format!("people/{}/", file.id)),
    });
    insert_if(
        &mut person,
        "alternateName",
        (!front.aliases.is_empty()).then(|| json!(front.aliases)),
    );
    insert_if(
        &mut person,
        "description",
        front.description.as_ref().map(|d| json!(d)),
    );
    insert_if(
        &mut person,
        "image",
        image_url(front, base_url).map(Value::String),
    );
    insert_if(
        &mut person,
        "sameAs",
        (!same_as.is_empty()).then(|| json!(same_as)),
    );
    insert_if(
        &mut person,
        "jobTitle",
        current_role(front).map(|t| json!(t)),
    );
    script_text(&person)
}

/// A quote page as a `Quotation`: the words, who said them, when, and the story.
/// A misattributed quote names no `creator` (that would repeat the error) and says
/// so in `description`; an unnamed source is a `Person` with only a name.
pub fn quote(archive: &Archive, cards: &Cards, id: QuoteId, base_url: &str) -> String {
    let entry = &archive.quotes[id.0];
    let card = &cards.quotes[id.0];
    let mut quotation = json!({
        "@context": "https://schema.org",
        "@type": "Quotation",
        "text": card.words,
        "dateCreated": entry.quote.said,
        "isPartOf": {
            "@type": "NewsArticle",
            "headline": card.story.title,
            "url": absolute(base_url, &card.story.path),
        },
        "url": absolute(base_url, &card.path),
        "inLanguage": archive.config.language,
    });
    let creator = match entry.speaker {
        _ if entry.quote.status == QuoteStatus::Misattributed => None,
        Some(p) => Some(person_ref(archive, p, base_url)),
        None => Some(json!({"@type": "Person", "name": card.speaker.name})),
    };
    let misattributed = (entry.quote.status == QuoteStatus::Misattributed)
        .then(|| json!(format!("Misattributed to {}", card.speaker.name)));
    let about: Vec<Value> = entry
        .about
        .iter()
        .map(|&p| person_ref(archive, p, base_url))
        .collect();
    insert_if(&mut quotation, "creator", creator);
    insert_if(&mut quotation, "description", misattributed);
    insert_if(
        &mut quotation,
        "about",
        (!about.is_empty()).then(|| json!(about)),
    );
    script_text(&quotation)
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
fn person_ref(archive: &Archive, id: PersonId, base_url: &str) -> Value {
    let file = &archive.people[id.0].file;
    json!({
        "@type": "Person",
        "name": file.front.name,
        "url": absolute(base_url, &format!("people/{}/", file.id)),
    })
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

fn insert_if(object: &mut Value, key: &str, value: Option<Value>) {
    if let (Value::Object(map), Some(value)) = (object, value) {
        Map::insert(map, key.to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
