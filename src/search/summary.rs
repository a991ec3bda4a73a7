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
use std::fmt::Write;

/// Rows kept per summary: the browser's first page.
pub const TOP: usize = 10;
/// Rows of a common term's ranked list kept in all: its first pages.
pub const RANKED: usize = 50;
/// People and topics listed per summary, as the browser lists them.
const FACET_TOP: usize = 12;

/// What summaries are made of.
pub struct Context<'a> {
    /// JSON row per article.
    rows: &'a [&'a str],
    /// People of the archive.
    people: &'a Table<'a>,
    /// Topics of the archive.
    topics: &'a Table<'a>,
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
        let mut context = Context {
            rows,
            people,
            topics,
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
    pub fn summary(&self, postings: &Postings) -> String {
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
    pub fn summary_of(&self, top: &[u32], tally: &Tally) -> String {
        self.write_summary(top, [(tally, None), (tally, None)], tally)
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
    ) -> String {
        let lists = match kind {
            Kind::Person => [(in_year, Some(id)), (tally, None)],
            Kind::Topic => [(tally, None), (in_year, Some(id))],
        };
        self.write_summary(&ranked(part, TOP), lists, of_facet)
    }

    /// A summary of the rows of `top`, the people and topics of the tallies
    /// `lists` (each with the one it lists whatever its rank) and the years
    /// of `years`.
    fn write_summary(
        &self,
        top: &[u32],
        [(people, person), (topics, topic)]: [(&Tally, Option<u32>); 2],
        years: &Tally,
    ) -> String {
        let mut out = String::from("{\"d\":");
        self.push_rows(&mut out, top);
        out.push_str(",\"p\":");
        let seen = people.seen.as_ref().map(|s| &s.0[..]);
        top_facets(&mut out, self.people, (&people.counts.people, seen), person);
        out.push_str(",\"t\":");
        let seen = topics.seen.as_ref().map(|s| &s.1[..]);
        top_facets(&mut out, self.topics, (&topics.counts.topics, seen), topic);
        out.push_str(",\"y\":[");
        let mut first = true;
        let counted = years.counts.years.iter().enumerate();
        for (slot, &count) in counted.filter(|(_, c)| **c > 0) {
            let comma = if first { "" } else { "," };
            first = false;
            let _ = write!(out, "{comma}[{},{count}]", self.newest - slot as i32);
        }
        out.push_str("]}");
        out
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

    /// The rows ranked after the summary's, up to [`RANKED`], as a JSON
    /// array; `None` when the summary holds them all.
    pub fn more(&self, postings: &Postings) -> Option<String> {
        let docs = ranked(postings, RANKED);
        let later = docs.get(TOP..).filter(|later| !later.is_empty())?;
        let mut out = String::new();
        self.push_rows(&mut out, later);
        Some(out)
    }

    /// Appends the rows of `docs` as a JSON array.
    fn push_rows(&self, out: &mut String, docs: &[u32]) {
        out.push('[');
        for (i, &doc) in docs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(self.rows[doc as usize]);
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

/// Appends `[[slug, name, count]…]` for the most frequent facets by their
/// `counts` (with the ids counted, when known), and `chosen` after them
/// when it has articles and is not among them.
fn top_facets(
    out: &mut String,
    table: &Table<'_>,
    (counts, seen): (&[u32], Option<&[u32]>),
    chosen: Option<u32>,
) {
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
    out.push('[');
    for (i, &(c, id)) in top.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (slug, name) = table.entries[id as usize];
        let json = serde_json::to_string(&(slug, name, u32::MAX - c));
        out.push_str(json.as_deref().unwrap_or("[]"));
    }
    out.push(']');
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
            context.summary(&postings),
            r#"{"d":[13,0,1,2,3,4,5,6,7,8],"p":[["even","N",7],["odd","N",7]],"t":[],"y":[[2020,7],[2019,7]]}"#
        );
        // The ranked list goes on where the summary stops.
        assert_eq!(context.more(&postings).as_deref(), Some("[9,10,11,12]"));
        let few = Postings {
            docs: vec![3, 5],
            impacts: vec![1, 2],
        };
        assert_eq!(context.more(&few), None);
    }
}
