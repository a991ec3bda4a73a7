//! Precomputed first pages of common terms: the rows of a term's best
//! articles and the facet counts over all its articles, so that a one-word
//! query needs neither postings nor facets nor result files; and the rows of
//! the next pages, so that "Load more" needs one file.
//!
//! A summary is JSON: `{"d": [row…], "p": [[slug, name, count]…],
//! "t": [[slug, name, count]…], "y": [[year, count]…]}` with the rows ranked
//! as the browser ranks them (impact, then newest), at most [`FACET_TOP`]
//! people and topics (most articles, then id) and every year, newest first.

use super::facets::Table;
use super::filters::Kind;
use super::postings::Postings;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Rows kept per summary: the browser's first page.
pub const TOP: usize = 10;
/// Rows of a common term's ranked list kept in all: its first pages.
pub const RANKED: usize = 50;
/// People and topics listed per summary, as the browser lists them.
const FACET_TOP: usize = 12;

/// A summary as numbers, which [`Context::json`] writes out: the articles
/// of its rows, and its people, topics and years with their counts, in the
/// order listed. Kept from one index to the next, it is small beside the
/// JSON (whose rows repeat the archive's).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    rows: Vec<u32>,
    people: Vec<(u32, u32)>,
    topics: Vec<(u32, u32)>,
    years: Vec<(i32, u32)>,
}

/// What summaries are made of.
pub struct Context<'a> {
    /// JSON row per article.
    rows: &'a [&'a str],
    /// People of the archive.
    people: &'a Table<'a>,
    /// Topics of the archive.
    topics: &'a Table<'a>,
    /// Per person and per topic, the start of its JSON entry: `["slug","name"`.
    heads: (Vec<String>, Vec<String>),
    /// Year per article.
    years: &'a [i32],
    /// The newest year: an article's year is counted at `newest - year`.
    newest: i32,
    /// The counts over every article.
    all: Counts,
}

/// The people and the topics met while counting, in the order met.
type Seen = (Vec<u32>, Vec<u32>);

/// The facet counts over some articles, and the people and topics met
/// when they were counted one by one (not when a list of most articles was
/// counted from the articles it leaves out).
pub struct Tally {
    counts: Counts,
    seen: Option<Seen>,
}

/// Facet counts over some articles: per person id, per topic id, and per
/// year from the newest.
struct Counts {
    people: Vec<u32>,
    topics: Vec<u32>,
    years: Vec<u32>,
}

impl<'a> Context<'a> {
    /// The context of the articles with these rows, people, topics and years.
    pub fn new(
        rows: &'a [&'a str],
        (people, topics): (&'a Table<'a>, &'a Table<'a>),
        years: &'a [i32],
    ) -> Self {
        let newest = years.iter().copied().max().unwrap_or_default();
        let oldest = years.iter().copied().min().unwrap_or_default();
        let heads = |table: &Table<'_>| -> Vec<String> {
            table
                .entries
                .iter()
                .map(|entry| {
                    let json = serde_json::to_string(entry).unwrap_or_else(|_| "[]".into());
                    json[..json.len() - 1].to_owned()
                })
                .collect()
        };
        let mut context = Context {
            rows,
            people,
            topics,
            heads: (heads(people), heads(topics)),
            years,
            newest,
            all: Counts {
                people: vec![0; people.entries.len()],
                topics: vec![0; topics.entries.len()],
                years: vec![0; (newest - oldest) as usize + 1],
            },
        };
        let mut all = context.zero();
        for doc in 0..years.len() as u32 {
            context.count(&mut all, doc);
        }
        context.all = all;
        context
    }

    /// The summary of a term with these postings.
    pub fn summary(&self, postings: &Postings) -> Sketch {
        self.summary_of(&ranked(postings, TOP), &self.tally(&postings.docs))
    }

    /// The facet counts over `docs` (ascending), for [`Context::summary_of`]
    /// and [`Context::summary_within`].
    pub fn tally(&self, docs: &[u32]) -> Tally {
        let (counts, seen) = self.counts(docs);
        Tally { counts, seen }
    }

    /// The summary of a result list: the rows of `top`, its first articles
    /// in rank order, and the facet counts over all its articles, `tally`.
    pub fn summary_of(&self, top: &[u32], tally: &Tally) -> Sketch {
        self.sketch(top, [(tally, None), (tally, None)], tally)
    }

    /// The summary of a term's articles that pass a person or topic in a
    /// year, `part` (with its `tally`), whose facet lists count as the
    /// browser counts them, each leaving out its own condition: the
    /// person's or topic's list counts the term's articles of the year
    /// (`in_year`) and lists it whatever its rank; the years count the
    /// term's articles of the person or topic (`of_facet`).
    pub fn summary_within(
        &self,
        (part, tally): (&Postings, &Tally),
        (kind, id): (Kind, u32),
        in_year: &Tally,
        of_facet: &Tally,
    ) -> Sketch {
        let lists = match kind {
            Kind::Person => [(in_year, Some(id)), (tally, None)],
            Kind::Topic => [(tally, None), (in_year, Some(id))],
        };
        self.sketch(&ranked(part, TOP), lists, of_facet)
    }

    /// A summary of the rows of `top`, the people and topics of the tallies
    /// `lists` (each with the one it lists whatever its rank) and the years
    /// of `years`.
    fn sketch(
        &self,
        top: &[u32],
        [(people, person), (topics, topic)]: [(&Tally, Option<u32>); 2],
        years: &Tally,
    ) -> Sketch {
        let seen = people.seen.as_ref().map(|s| &s.0[..]);
        let listed_people = top_facets((&people.counts.people, seen), person);
        let seen = topics.seen.as_ref().map(|s| &s.1[..]);
        let listed_topics = top_facets((&topics.counts.topics, seen), topic);
        let counted = years.counts.years.iter().enumerate();
        Sketch {
            rows: top.to_vec(),
            people: listed_people,
            topics: listed_topics,
            years: counted
                .filter(|(_, count)| **count > 0)
                .map(|(slot, &count)| (self.newest - slot as i32, count))
                .collect(),
        }
    }

    /// The JSON of a summary: `{"d": [row…], "p": [[slug, name, count]…],
    /// "t": […], "y": [[year, count]…]}`.
    pub fn json(&self, sketch: &Sketch) -> String {
        let mut out = String::new();
        self.push_json(&mut out, sketch);
        out
    }

    /// Appends the JSON of a summary (see [`Context::json`]) to `out`.
    pub fn push_json(&self, out: &mut String, sketch: &Sketch) {
        out.push_str("{\"d\":");
        self.push_rows(out, &sketch.rows);
        for (key, listed, heads) in [
            ("p", &sketch.people, &self.heads.0),
            ("t", &sketch.topics, &self.heads.1),
        ] {
            let _ = write!(out, ",\"{key}\":[");
            for (i, &(id, count)) in listed.iter().enumerate() {
                let comma = if i > 0 { "," } else { "" };
                let head = heads.get(id as usize).map_or("[\"\",\"\"", String::as_str);
                let _ = write!(out, "{comma}{head},{count}]");
            }
            out.push(']');
        }
        out.push_str(",\"y\":[");
        for (i, &(year, count)) in sketch.years.iter().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(out, "{comma}[{year},{count}]");
        }
        out.push_str("]}");
    }

    /// The facet counts over `docs` (ascending), and the people and topics
    /// met when they were counted one by one. A list of most articles is
    /// counted from the articles it leaves out.
    fn counts(&self, docs: &[u32]) -> (Counts, Option<Seen>) {
        let mut counts = self.zero();
        let n = self.years.len();
        if docs.len() * 2 > n && docs.windows(2).all(|w| w[0] < w[1]) {
            let mut listed = docs.iter().copied().peekable();
            for doc in 0..n as u32 {
                if listed.next_if_eq(&doc).is_none() {
                    self.count(&mut counts, doc);
                }
            }
            for (list, all) in [
                (&mut counts.people, &self.all.people),
                (&mut counts.topics, &self.all.topics),
                (&mut counts.years, &self.all.years),
            ] {
                for (count, total) in list.iter_mut().zip(all) {
                    *count = total - *count;
                }
            }
            return (counts, None);
        }
        let mut seen = (Vec::new(), Vec::new());
        for &doc in docs {
            for (ids, list, seen) in [
                (
                    self.people.of(doc as usize),
                    &mut counts.people,
                    &mut seen.0,
                ),
                (
                    self.topics.of(doc as usize),
                    &mut counts.topics,
                    &mut seen.1,
                ),
            ] {
                for &id in ids {
                    let count = &mut list[id as usize];
                    if *count == 0 {
                        seen.push(id);
                    }
                    *count += 1;
                }
            }
            counts.years[(self.newest - self.years[doc as usize]) as usize] += 1;
        }
        (counts, Some(seen))
    }

    /// The articles ranked after the summary's, up to [`RANKED`]; `None`
    /// when the summary holds them all.
    pub fn more(&self, postings: &Postings) -> Option<Vec<u32>> {
        let docs = ranked(postings, RANKED);
        let later = docs.get(TOP..).filter(|later| !later.is_empty())?;
        Some(later.to_vec())
    }

    /// The rows of `docs` as a JSON array.
    pub fn rows_json(&self, docs: &[u32]) -> String {
        let mut out = String::new();
        self.push_rows(&mut out, docs);
        out
    }

    /// Appends the rows of `docs` as a JSON array to `out`.
    fn push_rows(&self, out: &mut String, docs: &[u32]) {
        out.push('[');
        for (i, &doc) in docs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(self.rows.get(doc as usize).copied().unwrap_or("null"));
        }
        out.push(']');
    }
}

/// The first `depth` articles of the postings as the browser ranks them:
/// higher impact first, then newer (a lower number).
pub fn ranked(postings: &Postings, depth: usize) -> Vec<u32> {
    let mut keys: Vec<u64> = postings
        .docs
        .iter()
        .zip(&postings.impacts)
        .map(|(&doc, &impact)| (u64::from(255 - impact) << 32) | u64::from(doc))
        .collect();
    if keys.len() > depth {
        keys.select_nth_unstable(depth);
        keys.truncate(depth);
    }
    keys.sort_unstable();
    keys.iter()
        .map(|key| (key & u64::from(u32::MAX)) as u32)
        .collect()
}

impl Context<'_> {
    /// No article counted yet.
    fn zero(&self) -> Counts {
        Counts {
            people: vec![0; self.people.entries.len()],
            topics: vec![0; self.topics.entries.len()],
            years: vec![0; self.all.years.len()],
        }
    }

    /// Counts article `doc` into `counts`.
    fn count(&self, counts: &mut Counts, doc: u32) {
        for &id in self.people.of(doc as usize) {
            counts.people[id as usize] += 1;
        }
        for &id in self.topics.of(doc as usize) {
            counts.topics[id as usize] += 1;
        }
        counts.years[(self.newest - self.years[doc as usize]) as usize] += 1;
    }
}

/// The most frequent facets by their `counts` (with the ids counted, when
/// known), each with its count, and `chosen` after them when it has
/// articles and is not among them.
fn top_facets((counts, seen): (&[u32], Option<&[u32]>), chosen: Option<u32>) -> Vec<(u32, u32)> {
    // Most articles first, then the lower id.
    let key = |id: u32| (u32::MAX - counts[id as usize], id);
    let mut top: Vec<(u32, u32)> = match seen {
        Some(seen) => seen.iter().map(|&id| key(id)).collect(),
        None => (0..counts.len() as u32)
            .filter(|&id| counts[id as usize] > 0)
            .map(key)
            .collect(),
    };
    if top.len() > FACET_TOP {
        top.select_nth_unstable(FACET_TOP);
        top.truncate(FACET_TOP);
    }
    top.sort_unstable();
    if let Some(id) = chosen.filter(|&id| counts[id as usize] > 0) {
        if !top.iter().any(|&(_, listed)| listed == id) {
            top.push(key(id));
        }
    }
    top.into_iter().map(|(c, id)| (id, u32::MAX - c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Facet, Record};

    #[test]
    fn ranks_by_impact_then_newest_and_counts_every_article() {
        let records: Vec<Record<'_>> = (0..14)
            .map(|i| Record {
                path: "",
                title: "",
                date: "",
                year: 2020 - (i / 7),
                speakers: vec![Facet {
                    slug: if i % 2 == 0 { "even" } else { "odd" },
                    name: "N",
                }],
                topics: vec![],
                summary: "",
                body: "",
            })
            .collect();
        let numbers: Vec<String> = (0..14).map(|i| i.to_string()).collect();
        let rows: Vec<&str> = numbers.iter().map(String::as_str).collect();
        let people = Table::new(&records, |r| &r.speakers);
        let topics = Table::new(&records, |r| &r.topics);
        let years: Vec<i32> = records.iter().map(|r| r.year).collect();
        let context = Context::new(&rows, (&people, &topics), &years);
        let postings = Postings {
            docs: (0..14).collect(),
            impacts: (0..14).map(|i| if i == 13 { 200 } else { 100 }).collect(),
        };
        assert_eq!(
            context.json(&context.summary(&postings)),
            r#"{"d":[13,0,1,2,3,4,5,6,7,8],"p":[["even","N",7],["odd","N",7]],"t":[],"y":[[2020,7],[2019,7]]}"#
        );
        // The ranked list goes on where the summary stops.
        let more = context.more(&postings).map(|docs| context.rows_json(&docs));
        assert_eq!(more.as_deref(), Some("[9,10,11,12]"));
        let few = Postings {
            docs: vec![3, 5],
            impacts: vec![1, 2],
        };
        assert_eq!(context.more(&few), None);
    }
}
