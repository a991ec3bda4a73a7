//! Filters with summaries of their own: the people, topics and years that
//! hold a large share of the archive, and each such person or topic in its
//! busiest years. A reader who filters a common word by one of them gets the
//! first page and the facet counts from one small file,
//! `by/{key}/{value}[/year/{year}]/NNN.json`, as an unfiltered query gets
//! them from its words shard; the result lists such filters leave are the
//! long ones, which would otherwise need the word's postings, the facets and
//! many result files.

use std::ops::Range;

use super::facets::Table;
use super::postings::Postings;

/// The share of the articles a facet needs to get summaries: one in this many.
const SHARE: usize = 16;
/// Filters of one facet with summaries at most, the largest first; bounds
/// the files' size whatever the archive's shape.
const MOST: usize = 8;
/// Years with summaries per person or topic that has them, at most: its
/// busiest.
const YEARS: usize = 3;
/// Articles per summary of a term over a filter, at least: with this many
/// common terms, fewer filters get summaries, so that a small archive's
/// bundle stays small beside its pages.
const DOCS_PER_SUMMARY: usize = 2;

/// Which facet list a person or topic is counted in.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Kind {
    /// The people.
    Person,
    /// The topics.
    Topic,
}

/// One filter: its conditions, e.g. `speaker=elena-rossi`, or
/// `topic=cybersecurity` and `year=2025`.
#[derive(Hash)]
pub struct Filter {
    /// The URL parameters and values, in the order `speaker`, `topic`,
    /// `year`.
    pub conditions: Vec<(&'static str, String)>,
    /// For a person or topic in a year, what its summaries count apart.
    pub within: Option<Within>,
}

/// A person or topic in a year: each facet list of its summaries counts the
/// articles that pass the other condition, as the browser counts them.
#[derive(Hash)]
pub struct Within {
    /// The index of the filter of the person or topic alone.
    pub alone: usize,
    /// Its facet list, and its id there.
    pub facet: (Kind, u32),
    /// The articles of the year, a run of article numbers.
    pub year: Range<u32>,
}

impl Filter {
    /// The folder of its files under `by/`, and its name in `meta.js`:
    /// `key/value` per condition.
    pub fn folder(&self) -> String {
        let parts: Vec<String> = self
            .conditions
            .iter()
            .map(|(key, value)| format!("{key}/{value}"))
            .collect();
        parts.join("/")
    }
}

/// The filters with summaries, and which of them each article passes.
pub struct Filters {
    /// The filters: those of one facet, the largest first, then the people
    /// and topics in a year.
    pub list: Vec<Filter>,
    /// Per article, the indices in `list` of the filters it passes.
    of_doc: Vec<Vec<u8>>,
}

/// A filter of one facet that may get summaries: its size, key, value, what
/// it is, and its articles.
type Candidate = (usize, &'static str, String, Option<(Kind, u32)>, Vec<u32>);

impl Filters {
    /// The people, topics and years of at least one article in [`SHARE`],
    /// given the facet tables and each article's year (newest first), the
    /// largest, as many as [`DOCS_PER_SUMMARY`] allows for `common` common
    /// terms; then, as far as it allows, each of those people and topics in
    /// its [`YEARS`] busiest years with more than a page of articles.
    pub fn new(people: &Table<'_>, topics: &Table<'_>, years: &[i32], common: usize) -> Filters {
        let docs = years.len();
        let mut candidates: Vec<Candidate> = Vec::new();
        for (key, kind, table) in [
            ("speaker", Kind::Person, people),
            ("topic", Kind::Topic, topics),
        ] {
            let mut members: Vec<Vec<u32>> = vec![Vec::new(); table.entries.len()];
            for (doc, ids) in table.of_each().enumerate() {
                for &id in ids {
                    members[id as usize].push(doc as u32);
                }
            }
            for (id, ((slug, _), docs)) in table.entries.iter().zip(members).enumerate() {
                candidates.push((
                    docs.len(),
                    key,
                    (*slug).to_owned(),
                    Some((kind, id as u32)),
                    docs,
                ));
            }
        }
        let runs = year_runs(years);
        for (year, run) in &runs {
            candidates.push((
                run.len(),
                "year",
                year.to_string(),
                None,
                run.clone().collect(),
            ));
        }
        candidates.retain(|(count, ..)| *count * SHARE >= docs && *count > super::summary::TOP);
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
        let budget = docs / DOCS_PER_SUMMARY / common.max(1);
        candidates.truncate(MOST.min(budget));
        let mut members = Vec::new();
        let mut list = Vec::new();
        for (_, key, value, facet, docs) in candidates {
            list.push((
                Filter {
                    conditions: vec![(key, value)],
                    within: None,
                },
                facet,
            ));
            members.push(docs);
        }
        let pairs = in_years(&list, &members, &runs, budget.saturating_sub(list.len()));
        let mut list: Vec<Filter> = list.into_iter().map(|(filter, _)| filter).collect();
        for (filter, docs) in pairs {
            list.push(filter);
            members.push(docs);
        }
        let mut of_doc = vec![Vec::new(); docs];
        for (i, docs) in members.into_iter().enumerate() {
            for doc in docs {
                of_doc[doc as usize].push(i as u8);
            }
        }
        Filters { list, of_doc }
    }

    /// A term's postings split by filter: per filter that some of them pass,
    /// its index and the postings of those articles.
    pub fn split(&self, postings: &Postings) -> Vec<(usize, Postings)> {
        let mut parts: Vec<Postings> = (0..self.list.len())
            .map(|_| Postings {
                docs: Vec::new(),
                impacts: Vec::new(),
            })
            .collect();
        for (&doc, &impact) in postings.docs.iter().zip(&postings.impacts) {
            for &filter in &self.of_doc[doc as usize] {
                let part = &mut parts[usize::from(filter)];
                part.docs.push(doc);
                part.impacts.push(impact);
            }
        }
        parts
            .into_iter()
            .enumerate()
            .filter(|(_, part)| !part.docs.is_empty())
            .collect()
    }

    /// The filters as `meta.js` lists them: their folders.
    pub fn meta(&self) -> serde_json::Value {
        self.list.iter().map(Filter::folder).collect()
    }
}

/// The run of article numbers of each year, newest first.
fn year_runs(years: &[i32]) -> Vec<(i32, Range<u32>)> {
    let mut runs: Vec<(i32, Range<u32>)> = Vec::new();
    for (doc, &year) in years.iter().enumerate() {
        let doc = doc as u32;
        match runs.last_mut() {
            Some((y, run)) if *y == year => run.end = doc + 1,
            _ => runs.push((year, doc..doc + 1)),
        }
    }
    runs
}

/// The people and topics of `list` (with their articles, `members`) in
/// their busiest years, at most `budget`: every one's busiest year first,
/// then every one's second, and so on.
fn in_years(
    list: &[(Filter, Option<(Kind, u32)>)],
    members: &[Vec<u32>],
    runs: &[(i32, Range<u32>)],
    budget: usize,
) -> Vec<(Filter, Vec<u32>)> {
    let mut ranked: Vec<(usize, usize, Filter, Vec<u32>)> = Vec::new();
    for (alone, ((filter, facet), docs)) in list.iter().zip(members).enumerate() {
        let Some(facet) = *facet else { continue };
        let mut busiest: Vec<(usize, &(i32, Range<u32>))> = runs
            .iter()
            .map(|run| {
                let from = docs.partition_point(|&d| d < run.1.start);
                let to = docs.partition_point(|&d| d < run.1.end);
                (to - from, run)
            })
            .filter(|(count, _)| *count > super::summary::TOP)
            .collect();
        // Most articles first, then the newer year.
        busiest.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.0.cmp(&a.1.0)));
        for (rank, (_, (year, run))) in busiest.into_iter().take(YEARS).enumerate() {
            let mut conditions = filter.conditions.clone();
            conditions.push(("year", year.to_string()));
            let in_year: Vec<u32> = docs.iter().copied().filter(|d| run.contains(d)).collect();
            let within = Within {
                alone,
                facet,
                year: run.clone(),
            };
            let filter = Filter {
                conditions,
                within: Some(within),
            };
            ranked.push((rank, alone, filter, in_year));
        }
    }
    ranked.sort_by_key(|&(rank, alone, ..)| (rank, alone));
    ranked.truncate(budget);
    ranked
        .into_iter()
        .map(|(_, _, filter, docs)| (filter, docs))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Facet, Record};

    #[test]
    fn keeps_the_large_facets_and_their_busiest_years_and_splits_postings_by_them() {
        let big = || Facet {
            slug: "big",
            name: "Big",
        };
        let small = || Facet {
            slug: "small",
            name: "Small",
        };
        let records: Vec<Record<'_>> = (0..40)
            .map(|i| Record {
                path: "",
                title: "",
                date: "",
                year: if i < 30 { 2021 } else { 2020 },
                speakers: if i == 0 {
                    vec![big(), small()]
                } else {
                    vec![big()]
                },
                topics: vec![],
                summary: "",
                body: "",
            })
            .collect();
        let people = Table::new(&records, |r| &r.speakers);
        let topics = Table::new(&records, |r| &r.topics);
        let years: Vec<i32> = records.iter().map(|r| r.year).collect();
        let filters = Filters::new(&people, &topics, &years, 1);
        // "small" has one article, 2020 ten (not more than a page): neither,
        // nor "big" in 2020.
        assert_eq!(
            filters.meta().to_string(),
            r#"["speaker/big","year/2021","speaker/big/year/2021"]"#
        );
        let within = filters.list[2].within.as_ref().expect("a year of big");
        assert_eq!(
            (within.alone, within.facet, within.year.clone()),
            (0, (Kind::Person, 0), 0..30)
        );
        // With 20 common terms, 40 articles afford one filter's summaries.
        assert_eq!(Filters::new(&people, &topics, &years, 20).list.len(), 1);
        let postings = Postings {
            docs: vec![0, 29, 35],
            impacts: vec![9, 8, 7],
        };
        let split = filters.split(&postings);
        assert_eq!(split.len(), 3);
        assert_eq!(
            (split[0].0, split[0].1.docs.as_slice()),
            (0, &[0, 29, 35][..])
        );
        assert_eq!(
            (split[1].0, split[1].1.impacts.as_slice()),
            (1, &[9, 8][..])
        );
        assert_eq!((split[2].0, split[2].1.docs.as_slice()), (2, &[0, 29][..]));
    }
}
