//! The list views (cards) of stories, people and quotes, made once per build and
//! shared by every page that lists them.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;
use rayon::prelude::*;

use super::marks::speaker_name;
use super::views::{PersonCard, QuoteCard, Shown, SpeakerRef, StoryCard, TagRef};
use crate::anchor::Speaker;
use crate::date::{four_digit_year, put_digits, Date, MONTH_NAMES};
use crate::index::{Archive, StoryId};
use crate::load::slugify;

/// Every card of the archive, indexed like the archive's vectors. Shared like
/// the archive's parts, so that one story's cards can be replaced cheaply.
#[derive(Debug, Clone)]
pub struct Cards {
    /// By [`StoryId`].
    pub stories: Vec<Shown<StoryCard>>,
    /// By [`crate::index::PersonId`].
    pub people: Vec<Shown<PersonCard>>,
    /// By [`crate::index::QuoteId`].
    pub quotes: Vec<Shown<QuoteCard>>,
    /// Named speakers, by [`crate::index::PersonId`]: shared by their quotes.
    pub speakers: Vec<Shown<SpeakerRef>>,
    /// Tags by slug: the name first seen and its stories, newest first.
    pub tags: Arc<BTreeMap<String, (String, Vec<StoryId>)>>,
}

impl Cards {
    /// Makes every card.
    pub fn new(archive: &Archive) -> Cards {
        let stories: Vec<Shown<StoryCard>> = archive
            .stories
            .par_iter()
            .map(|entry| Shown::new(story_card(entry)))
            .collect();
        let people = archive
            .people
            .par_iter()
            .map(|p| {
                Shown::new(PersonCard {
                    id: p.file.id.clone(),
                    path: format!("people/{}/", p.file.id),
                    name: p.file.front.name.clone(),
                    description: p.file.front.description.clone(),
                    quote_count: p
                        .quotes_by
                        .iter()
                        .filter(|q| {
                            archive.quotes[q.0].quote.status
                                != crate::load::QuoteStatus::Misattributed
                        })
                        .count(),
                    story_count: p.stories.len(),
                })
            })
            .collect();
        let speakers: Vec<Shown<SpeakerRef>> = archive
            .people
            .iter()
            .map(|p| {
                Shown::new(SpeakerRef {
                    name: p.file.front.name.clone(),
                    path: format!("people/{}/", p.file.id),
                    unnamed: false,
                })
            })
            .collect();
        let quotes = archive
            .quotes
            .par_iter()
            .map(|q| Shown::new(quote_card(archive, q, &stories, &speakers)))
            .collect();
        let mut tags: BTreeMap<String, (String, Vec<StoryId>)> = BTreeMap::new();
        for (i, entry) in archive.stories.iter().enumerate() {
            for tag in &entry.story.story.front.tags {
                let slot = tags
                    .entry(slugify(tag))
                    .or_insert_with(|| (tag.clone(), Vec::new()));
                // Stories come in order, so a story listed twice under one
                // tag would be the last one listed.
                if slot.1.last() != Some(&StoryId(i)) {
                    slot.1.push(StoryId(i));
                }
            }
        }
        tags.retain(|slug, _| !slug.is_empty());
        Cards {
            stories,
            people,
            quotes,
            speakers,
            tags: Arc::new(tags),
        }
    }
}

impl Cards {
    /// These cards with one story's card and its quotes' cards made anew, for
    /// an archive made by [`Archive::replace_story`] from the one these cards
    /// were made from.
    pub fn with_story(&self, archive: &Archive, id: StoryId) -> Cards {
        let mut cards = self.clone();
        let entry = &archive.stories[id.0];
        cards.stories[id.0] = Shown::new(story_card(entry));
        for &quote in &entry.quotes {
            cards.quotes[quote.0] = Shown::new(quote_card(
                archive,
                &archive.quotes[quote.0],
                &cards.stories,
                &cards.speakers,
            ));
        }
        cards
    }
}

fn story_card(entry: &crate::index::StoryEntry) -> StoryCard {
    let story = &entry.story.story;
    let summary = story
        .front
        .summary
        .clone()
        .or_else(|| entry.story.text.lead.clone())
        .unwrap_or_default();
    StoryCard {
        slug: story.slug.clone(),
        path: format!("stories/{}/", story.slug),
        title: story.front.title.clone(),
        date: iso_date(&story.front.date),
        date_display: display_date(&story.front.date),
        source: story.front.source.clone(),
        url: story.front.url.clone(),
        authors: story.front.authors.clone(),
        summary,
        tags: story
            .front
            .tags
            .iter()
            .map(|t| TagRef {
                name: t.clone(),
                path: format!("tags/{}/", slugify(t)),
            })
            .filter(|t| t.path != "tags//")
            .collect(),
        quote_count: entry.quotes.len(),
        people_count: entry.people.len(),
    }
}

fn quote_card(
    archive: &Archive,
    entry: &crate::index::QuoteEntry,
    stories: &[Shown<StoryCard>],
    speakers: &[Shown<SpeakerRef>],
) -> QuoteCard {
    let quote = &entry.quote;
    let story = &stories[entry.story.0];
    let speaker = match (&quote.speaker, entry.speaker) {
        (Speaker::Person(_), Some(person)) => speakers[person.0].clone(),
        // Not in the registry (the index reports it): named by its id.
        (Speaker::Person(id), None) => Shown::new(SpeakerRef {
            name: speaker_name(archive, &quote.speaker),
            path: format!("people/{id}/"),
            unnamed: false,
        }),
        (Speaker::Unnamed(description), _) => Shown::new(SpeakerRef {
            name: description.clone(),
            path: String::new(),
            unnamed: true,
        }),
    };
    QuoteCard {
        id: quote.id.clone(),
        path: format!("quotes/{}/", quote.id),
        anchor_path: format!("{}#q-{}", story.path, quote.id),
        words: quote.words.clone(),
        speaker,
        kind: quote.kind.as_str(),
        status: quote.status.as_str(),
        date: iso_date(&quote.said),
        date_display: display_date(&quote.said),
        story: story.clone(),
        via: quote.via.clone(),
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it (see [`Date::iso_day`]).
pub fn iso_date(date: &Date) -> String {
    date.iso_day()
}

/// `14 March 2025`, as chrono's `%-d %B %Y` writes it, digit by digit like
/// [`iso_date`].
pub fn display_date(date: &Date) -> String {
    let day = date.day;
    let Some(year) = four_digit_year(day) else {
        return day.format("%-d %B %Y").to_string();
    };
    let month = MONTH_NAMES[day.month0() as usize];
    let mut digits = [0; 4];
    let mut out = String::with_capacity(month.len() + 8);
    let day_digits = if day.day() < 10 { 1 } else { 2 };
    put_digits(&mut digits[..day_digits], day.day());
    out.extend(digits[..day_digits].iter().map(|&d| char::from(d)));
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    put_digits(&mut digits, year);
    out.extend(digits.iter().map(|&d| char::from(d)));
    out
}

pub use crate::anchor::text::one_line;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_read_naturally() {
        let date = Date::parse("2025-03-04").unwrap();
        assert_eq!(display_date(&date), "4 March 2025");
        assert_eq!(iso_date(&date), "2025-03-04");
    }

    /// The old definitions, through chrono's format strings.
    fn by_chrono(day: NaiveDate) -> (String, String) {
        (
            day.format("%Y-%m-%d").to_string(),
            day.format("%-d %B %Y").to_string(),
        )
    }

    fn by_hand(day: NaiveDate) -> (String, String) {
        let date = Date { day, moment: None };
        (iso_date(&date), display_date(&date))
    }

    #[test]
    fn dates_at_the_edges_of_four_digits_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (-262_143, 1, 1),
            (-10_000, 12, 31),
            (-1, 1, 9),
            (0, 1, 1),
            (5, 2, 28),
            (99, 10, 10),
            (999, 12, 31),
            (1000, 1, 1),
            (9999, 12, 31),
            (10_000, 1, 1),
            (262_142, 12, 31),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(by_hand(day), by_chrono(day), "{y}-{m}-{d}");
        }
        for day in [NaiveDate::MIN, NaiveDate::MAX] {
            assert_eq!(by_hand(day), by_chrono(day), "{day:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_date_is_written_as_chrono_writes_it(
            days in NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce(),
            near in 0i32..4_000_000,
        ) {
            // Any day chrono holds, and one of the days of years 0 to 10,950.
            for days in [days, near] {
                let day = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
                proptest::prop_assert_eq!(by_hand(day), by_chrono(day));
            }
        }
    }
}
