//! Related articles: for each article, the few nearest in time that share
//! most of its people and topics.

use std::cmp::Reverse;

use rayon::prelude::*;

use super::{Entity, Links};

/// How many related articles an article page shows.
const RELATED: usize = 4;
/// How far, in a person's or topic's list, related articles are looked for on
/// each side. Bounds the work for people who speak in tens of thousands of articles.
const RELATED_WINDOW: usize = 8;

/// For each article, the articles nearest in time that share most of its
/// speakers and topics. Looks only at a window around the article in each of
/// its people's and topics' lists, so the work stays linear in the archive.
pub(super) fn related_articles(
    links: &[Links],
    people: &[Entity],
    topics: &[Entity],
) -> Vec<Vec<usize>> {
    let filed = Filed::new(links, people, topics);
    let count = links.len();
    (0..count)
        .into_par_iter()
        .map_init(
            // Per thread, the article each other one was last looked at for.
            || vec![usize::MAX; count],
            |seen, index| {
                let (speakers, topics_of) = filed.of(index);
                let lists = speakers
                    .iter()
                    .map(|&p| &people[p].articles)
                    .chain(topics_of.iter().map(|&t| &topics[t].articles));
                let shared = |a: &[usize], b: &[usize]| a.iter().filter(|x| b.contains(x)).count();
                // Most shared first, then nearest in time, then newest.
                let rank = |other: usize| {
                    let (other_speakers, other_topics) = filed.of(other);
                    let score =
                        3 * shared(speakers, other_speakers) + shared(topics_of, other_topics);
                    (Reverse(score), other.abs_diff(index), other)
                };
                let mut best = Vec::with_capacity(RELATED + 1);
                for (list, &at) in lists.zip(filed.places(index)) {
                    let from = at.saturating_sub(RELATED_WINDOW);
                    let to = (at + RELATED_WINDOW + 1).min(list.len());
                    for &other in &list[from..to] {
                        if other == index || seen[other] == index {
                            continue;
                        }
                        seen[other] = index;
                        let ranked = rank(other);
                        if best.len() < RELATED || best.last().is_some_and(|last| ranked < *last) {
                            let place = best.partition_point(|kept| *kept < ranked);
                            best.insert(place, ranked);
                            best.truncate(RELATED);
                        }
                    }
                }
                best.into_iter().map(|(_, _, other)| other).collect()
            },
        )
        .collect()
}

/// Every article's people and topics in one array, in article order, with
/// its place in each one's list of articles: the articles compared with one
/// article are near it in time, so their entities sit near each other in
/// memory, and no list is searched for the article.
struct Filed {
    /// Per article, where its people start, where its topics start, and
    /// where they end.
    bounds: Vec<[usize; 3]>,
    entities: Vec<usize>,
    /// Beside each of `entities`, the article's place in its list.
    places: Vec<usize>,
}

impl Filed {
    fn new(links: &[Links], people: &[Entity], topics: &[Entity]) -> Filed {
        let mut bounds = Vec::with_capacity(links.len());
        let mut entities = Vec::new();
        for link in links {
            let start = entities.len();
            entities.extend_from_slice(&link.speakers);
            let middle = entities.len();
            entities.extend_from_slice(&link.topics);
            bounds.push([start, middle, entities.len()]);
        }
        let mut places = vec![0; entities.len()];
        for (kind, all) in [(0, people), (1, topics)] {
            for (entity, listed) in all.iter().enumerate() {
                for (place, &article) in listed.articles.iter().enumerate() {
                    let range = bounds[article][kind]..bounds[article][kind + 1];
                    if let Some(at) = entities[range.clone()].iter().position(|&e| e == entity) {
                        places[range.start + at] = place;
                    }
                }
            }
        }
        Filed {
            bounds,
            entities,
            places,
        }
    }

    /// Article `index`'s people and topics.
    fn of(&self, index: usize) -> (&[usize], &[usize]) {
        let [start, middle, end] = self.bounds[index];
        (&self.entities[start..middle], &self.entities[middle..end])
    }

    /// Article `index`'s place in the list of each of its people, then
    /// each of its topics.
    fn places(&self, index: usize) -> &[usize] {
        let [start, _, end] = self.bounds[index];
        &self.places[start..end]
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::archive::link;
    use crate::config::Config;
    use crate::content::{Article, Content};

    /// The titles of the articles related to the one titled `title`, as an
    /// archive of `articles` (title, date, speaker, topic) links them.
    fn related_to(title: &str, articles: &[(&str, &str, &str, &str)]) -> Vec<String> {
        let articles = articles
            .iter()
            .map(|(title, date, speaker, topic)| {
                let text = format!(
                    "---\ntitle: {title}\ndate: {date}\nspeaker: {speaker}\ntopic: {topic}\n---\nBody.\n"
                );
                let path = format!("content/{title}.md");
                Article::parse(Path::new(&path), &text).expect("an article")
            })
            .collect();
        let content = Content {
            articles,
            ..Content::default()
        };
        let archive = link(Config::default(), content).expect("linked");
        let at = archive.articles.iter().position(|a| a.title == title);
        let at = at.expect("the article");
        archive.links[at]
            .related
            .iter()
            .map(|&i| archive.articles[i].title.clone())
            .collect()
    }

    #[test]
    fn related_articles_share_most_then_are_nearest_in_time_then_newest() {
        let related = related_to(
            "X",
            &[
                ("X", "2020-01-10", "Ada", "Rain"),
                ("D", "2020-01-01", "Ada", "Rain"),
                ("A", "2020-01-05", "Ada", "Sun"),
                ("B", "2020-01-09", "Bo", "Rain"),
                ("C", "2020-01-11", "Cy", "Rain"),
                ("E", "2020-01-20", "Cy", "Rain"),
                ("F", "2020-01-12", "Bo", "Sun"),
            ],
        );
        // D shares the speaker and the topic, A the speaker (worth
        // three topics); B and C one topic a day away, C the newer; E and F
        // do not make the four (F shares nothing).
        assert_eq!(related, ["D", "A", "C", "B"]);
    }
}
