//! Filters with summaries of their own: the people, topics and years that
//! hold a large share of the archive. A reader who filters a common word by
//! one of them gets the first page and the facet counts from one small file,
//! `by/{key}/{value}/NNN.json`, as an unfiltered query gets them from its
//! words shard; the result lists such filters leave are the long ones, which
//! would otherwise need the word's postings, the facets and many result files.

use super::facets::Table;
use super::postings::Postings;

/// The share of the articles a facet needs to get summaries: one in this many.
const SHARE: usize = 16;
/// Filters with summaries at most, the largest first; bounds the files' size
/// whatever the archive's shape.
const MOST: usize = 8;
/// Articles per summary of a term over a filter, at least: with this many
/// common terms, fewer filters get summaries, so that a small archive's
/// bundle stays small beside its pages.
const DOCS_PER_SUMMARY: usize = 2;

/// One filter: the URL parameter and its value, e.g. `speaker` and `elena-rossi`.
pub struct Filter {
    /// `speaker`, `topic` or `year`.
    pub key: &'static str,
    /// The slug, or the year.
    pub value: String,
}

/// The filters with summaries, and which of them each article passes.
pub struct Filters {
    /// The filters, the largest first.
    pub list: Vec<Filter>,
    /// Per article, the indices in `list` of the filters it passes.
    of_doc: Vec<Vec<u8>>,
}

impl Filters {
    /// The people, topics and years of at least one article in [`SHARE`],
    /// given the facet tables and each article's year: the largest, as many
    /// as [`DOCS_PER_SUMMARY`] allows for `common` common terms.
    pub fn new(people: &Table<'_>, topics: &Table<'_>, years: &[i32], common: usize) -> Filters {
        let docs = years.len();
        let mut candidates: Vec<(usize, &'static str, String, Vec<u32>)> = Vec::new();
        for (key, table) in [("speaker", people), ("topic", topics)] {
            let mut members: Vec<Vec<u32>> = vec![Vec::new(); table.entries.len()];
            for (doc, ids) in table.of_each().enumerate() {
                for &id in ids {
                    members[id as usize].push(doc as u32);
                }
            }
            for ((slug, _), docs) in table.entries.iter().zip(members) {
                candidates.push((docs.len(), key, (*slug).to_owned(), docs));
            }
        }
        let mut by_year: Vec<(i32, Vec<u32>)> = Vec::new();
        for (doc, &year) in years.iter().enumerate() {
            match by_year.last_mut() {
                Some((y, docs)) if *y == year => docs.push(doc as u32),
                _ => by_year.push((year, vec![doc as u32])),
            }
        }
        for (year, docs) in by_year {
            candidates.push((docs.len(), "year", year.to_string(), docs));
        }
        candidates.retain(|(count, ..)| *count * SHARE >= docs && *count > super::summary::TOP);
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
        candidates.truncate(MOST.min(docs / DOCS_PER_SUMMARY / common.max(1)));
        let mut of_doc = vec![Vec::new(); docs];
        let list = candidates
            .into_iter()
            .enumerate()
            .map(|(i, (_, key, value, docs))| {
                for doc in docs {
                    of_doc[doc as usize].push(i as u8);
                }
                Filter { key, value }
            })
            .collect();
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

    /// The filters as `meta.js` lists them: `{key: [value…]}`.
    pub fn meta(&self) -> serde_json::Value {
        let mut by = serde_json::Map::new();
        for filter in &self.list {
            let values = by
                .entry(filter.key)
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let Some(values) = values.as_array_mut() {
                values.push(filter.value.clone().into());
            }
        }
        by.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Facet, Record};

    #[test]
    fn keeps_the_large_facets_and_splits_postings_by_them() {
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
        let listed: Vec<(&str, &str)> = filters
            .list
            .iter()
            .map(|f| (f.key, f.value.as_str()))
            .collect();
        // "small" has one article, 2020 ten (not more than a page): neither.
        assert_eq!(listed, [("speaker", "big"), ("year", "2021")]);
        // With 20 common terms, 40 articles afford one filter's summaries.
        assert_eq!(Filters::new(&people, &topics, &years, 20).list.len(), 1);
        assert_eq!(
            filters.meta().to_string(),
            r#"{"speaker":["big"],"year":["2021"]}"#
        );
        let postings = Postings {
            docs: vec![0, 29, 35],
            impacts: vec![9, 8, 7],
        };
        let split = filters.split(&postings);
        assert_eq!(split.len(), 2);
        assert_eq!(
            (split[0].0, split[0].1.docs.as_slice()),
            (0, &[0, 29, 35][..])
        );
        assert_eq!(
            (split[1].0, split[1].1.impacts.as_slice()),
            (1, &[9, 8][..])
        );
    }
}
