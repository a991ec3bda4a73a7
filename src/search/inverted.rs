//! The inverted index in memory: terms, their postings with weighted
//! frequencies and positions, and the surface words that map to each term.

use super::Record;
use super::text::{Stems, words};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Weight of a word in a title or a person's name, so those matches rank first.
const TITLE_WEIGHT: u32 = 4;
/// Weight of a word in a topic name or the summary.
const TOPIC_WEIGHT: u32 = 2;
/// Positions skipped between fields, so phrases do not span them.
const FIELD_GAP: u32 = 8;

/// One article's occurrences of one term.
pub struct Posting {
    /// Article number, in record order.
    pub doc: u32,
    /// Sum of field weights over occurrences.
    pub weight: u32,
    /// Word positions, ascending.
    pub positions: Vec<u32>,
}

/// The whole index, ordered so output is deterministic.
pub struct Inverted {
    /// Term → postings in article order.
    pub terms: BTreeMap<String, Vec<Posting>>,
    /// Folded surface word → term.
    pub forms: BTreeMap<String, String>,
    /// Words per article, for BM25 length normalisation.
    pub lengths: Vec<u32>,
}

/// One article's terms: term → (weight, positions), and its surface words.
type DocTerms = (
    HashMap<String, (u32, Vec<u32>)>,
    HashMap<String, String>,
    u32,
);

impl Inverted {
    /// Indexes every record (in parallel), then merges in record order.
    pub fn build(records: &[Record<'_>]) -> Self {
        let per_doc: Vec<DocTerms> = records
            .par_iter()
            .map_init(
                || (Stems::new(), HashMap::new()),
                |(stems, cache), r| doc_terms(stems, cache, r),
            )
            .collect();
        let mut terms: HashMap<String, Vec<Posting>> = HashMap::new();
        let mut forms = HashMap::new();
        let mut lengths = Vec::with_capacity(per_doc.len());
        for (doc, (doc_terms, doc_forms, length)) in per_doc.into_iter().enumerate() {
            lengths.push(length);
            forms.extend(doc_forms);
            for (term, (weight, positions)) in doc_terms {
                let doc = doc as u32;
                terms.entry(term).or_default().push(Posting {
                    doc,
                    weight,
                    positions,
                });
            }
        }
        Inverted {
            terms: terms.into_iter().collect(),
            forms: forms.into_iter().collect(),
            lengths,
        }
    }
}

/// One article's terms; `cache` remembers the stems a thread has computed.
fn doc_terms(stems: &Stems, cache: &mut HashMap<String, String>, r: &Record<'_>) -> DocTerms {
    let mut out: HashMap<String, (u32, Vec<u32>)> = HashMap::new();
    let mut forms = HashMap::new();
    let mut position = 0u32;
    let names = |facets: &[super::Facet<'_>]| {
        facets
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let fields = [
        (r.title.to_owned(), TITLE_WEIGHT),
        (names(&r.speakers), TITLE_WEIGHT),
        (names(&r.topics), TOPIC_WEIGHT),
        (r.summary.to_owned(), TOPIC_WEIGHT),
        (r.text.to_owned(), 1),
    ];
    let mut length = 0;
    for (field, weight) in &fields {
        for word in words(field) {
            let term = match forms.get(&word) {
                Some(term) => String::clone(term),
                None => {
                    let term = cache
                        .entry(word.clone())
                        .or_insert_with_key(|w| stems.stem(w))
                        .clone();
                    forms.insert(word, term.clone());
                    term
                }
            };
            let entry = out.entry(term).or_default();
            entry.0 += weight;
            entry.1.push(position);
            position += 1;
            length += 1;
        }
        position += FIELD_GAP;
    }
    (out, forms, length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Facet;

    fn record<'a>(title: &'a str, text: &'a str) -> Record<'a> {
        Record {
            url: "/a/",
            title,
            date: "2020-01-01",
            year: 2020,
            speakers: vec![Facet {
                slug: "jose-nunez",
                name: "José Núñez",
            }],
            topics: vec![],
            summary: "",
            text,
        }
    }

    #[test]
    fn title_words_weigh_more_than_body_words() {
        let records = [record("Cyber talks", "more talks")];
        let inv = Inverted::build(&records);
        let talk = &inv.terms["talk"][0];
        assert_eq!(talk.weight, TITLE_WEIGHT + 1);
        assert_eq!(inv.forms["talks"], "talk");
        assert!(inv.terms.contains_key("nunez"));
    }
}
