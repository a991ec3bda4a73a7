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
use super::postings::Postings;
use std::collections::BTreeMap;
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
    pub rows: &'a [&'a str],
    /// People of the archive.
    pub people: &'a Table<'a>,
    /// Topics of the archive.
    pub topics: &'a Table<'a>,
    /// Year per article.
    pub years: &'a [i32],
}

impl Context<'_> {
    /// The summary of a term with these postings.
    pub fn summary(&self, postings: &Postings) -> String {
        self.summary_of(&ranked(postings, TOP), &postings.docs)
    }

    /// The summary of a result list: the rows of `top`, its first articles
    /// in rank order, and the facet counts over all its articles, `docs`.
    pub fn summary_of(&self, top: &[u32], docs: &[u32]) -> String {
        let mut out = String::from("{\"d\":");
        self.push_rows(&mut out, top);
        out.push_str(",\"p\":");
        top_facets(&mut out, self.people, docs);
        out.push_str(",\"t\":");
        top_facets(&mut out, self.topics, docs);
        let mut years: BTreeMap<i32, u32> = BTreeMap::new();
        for &doc in docs {
            *years.entry(self.years[doc as usize]).or_default() += 1;
        }
        out.push_str(",\"y\":[");
        for (i, (year, count)) in years.iter().rev().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(out, "{comma}[{year},{count}]");
        }
        out.push_str("]}");
        out
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
fn ranked(postings: &Postings, depth: usize) -> Vec<u32> {
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

/// Appends `[[slug, name, count]…]` for the most frequent facets of `docs`.
fn top_facets(out: &mut String, table: &Table<'_>, docs: &[u32]) {
    let mut counts = vec![0u32; table.entries.len()];
    let mut seen = Vec::new();
    for &doc in docs {
        for &id in table.of(doc as usize) {
            let count = &mut counts[id as usize];
            if *count == 0 {
                seen.push(id);
            }
            *count += 1;
        }
    }
    // Most articles first, then the lower id.
    let mut top: Vec<(u32, u32)> = seen
        .iter()
        .map(|&id| (u32::MAX - counts[id as usize], id))
        .collect();
    if top.len() > FACET_TOP {
        top.select_nth_unstable(FACET_TOP);
        top.truncate(FACET_TOP);
    }
    top.sort_unstable();
    let list: Vec<serde_json::Value> = top
        .iter()
        .map(|&(c, id)| {
            let (slug, name) = table.entries[id as usize];
            serde_json::json!([slug, name, u32::MAX - c])
        })
        .collect();
    out.push_str(&serde_json::Value::from(list).to_string());
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
        let context = Context {
            rows: &rows,
            people: &people,
            topics: &topics,
            years: &years,
        };
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
