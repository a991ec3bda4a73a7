//! People, topics and years of the articles: numbered tables (the most
//! frequent first, so their ids take one byte), each article's ids, and the
//! `facets.bin` file the browser counts and filters with.
//!
//! `facets.bin` (LEB128 integers, strings length-prefixed UTF-8): the number
//! of people, each person's slug and name; the same for topics; then per
//! article `topics × 16 + min(people, 15)` (and `people − 15` when at least
//! 15), its people's ids and its topics' ids.

use super::varint::{push, push_str};
use super::{Facet, Record};
use rustc_hash::FxHashMap;

/// The people or the topics of the archive.
pub struct Table<'a> {
    /// `(slug, name)` by id: most articles first, then by slug.
    pub entries: Vec<(&'a str, &'a str)>,
    /// The ids each article is filed under, article after article.
    ids: Vec<u32>,
    /// Where each article's ids start in `ids`, and the end.
    starts: Vec<u32>,
}

impl<'a> Table<'a> {
    /// Numbers the facets `pick` returns for each record.
    pub fn new(
        records: &'a [Record<'a>],
        pick: impl Fn(&'a Record<'a>) -> &'a [Facet<'a>],
    ) -> Self {
        let mut counts: FxHashMap<&str, (usize, &str)> = FxHashMap::default();
        for record in records {
            for facet in pick(record) {
                counts.entry(facet.slug).or_insert((0, facet.name)).0 += 1;
            }
        }
        let mut entries: Vec<(usize, &str, &str)> = counts
            .into_iter()
            .map(|(slug, (count, name))| (count, slug, name))
            .collect();
        entries.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let ids: FxHashMap<&str, u32> = entries
            .iter()
            .enumerate()
            .map(|(id, &(_, slug, _))| (slug, id as u32))
            .collect();
        let mut of_doc = Vec::new();
        let mut starts = Vec::with_capacity(records.len() + 1);
        for record in records {
            starts.push(of_doc.len() as u32);
            of_doc.extend(pick(record).iter().map(|f| ids[f.slug]));
        }
        starts.push(of_doc.len() as u32);
        Table {
            entries: entries.into_iter().map(|(_, s, n)| (s, n)).collect(),
            ids: of_doc,
            starts,
        }
    }

    /// The ids article `doc` is filed under.
    pub fn of(&self, doc: usize) -> &[u32] {
        &self.ids[self.starts[doc] as usize..self.starts[doc + 1] as usize]
    }

    /// Each article's ids, in article order.
    pub fn of_each(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.starts.len() - 1).map(|doc| self.of(doc))
    }
}

/// Runs of consecutive articles of one year: `(year, first article)`.
pub fn year_runs(records: &[Record<'_>]) -> Vec<(i32, usize)> {
    let mut runs: Vec<(i32, usize)> = Vec::new();
    for (doc, record) in records.iter().enumerate() {
        if runs.last().is_none_or(|&(year, _)| year != record.year) {
            runs.push((record.year, doc));
        }
    }
    runs
}

/// The `facets.bin` file.
pub fn file(people: &Table<'_>, topics: &Table<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    for table in [people, topics] {
        push(&mut out, table.entries.len() as u64);
        for (slug, name) in &table.entries {
            push_str(&mut out, slug);
            push_str(&mut out, name);
        }
    }
    for (p, t) in people.of_each().zip(topics.of_each()) {
        let few = p.len().min(15);
        push(&mut out, ((t.len() << 4) | few) as u64);
        if few == 15 {
            push(&mut out, (p.len() - 15) as u64);
        }
        for &id in p.iter().chain(t) {
            push(&mut out, u64::from(id));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(year: i32, speakers: Vec<Facet<'a>>) -> Record<'a> {
        Record {
            path: "",
            title: "",
            date: "",
            year,
            speakers,
            topics: vec![],
            summary: "",
            body: "",
        }
    }

    #[test]
    fn numbers_the_most_frequent_first_and_runs_years() {
        let a = || Facet {
            slug: "a",
            name: "A",
        };
        let b = || Facet {
            slug: "b",
            name: "B",
        };
        let records = [
            record(2021, vec![a()]),
            record(2020, vec![b(), a()]),
            record(2020, vec![b()]),
            record(2019, vec![b()]),
        ];
        let people = Table::new(&records, |r| &r.speakers);
        assert_eq!(people.entries, [("b", "B"), ("a", "A")]);
        let of: Vec<&[u32]> = people.of_each().collect();
        assert_eq!(of, [&[1][..], &[0, 1], &[0], &[0]]);
        assert_eq!(year_runs(&records), [(2021, 0), (2020, 1), (2019, 3)]);
        let topics = Table::new(&records, |r| &r.topics);
        let bytes = file(&people, &topics);
        assert_eq!(&bytes[bytes.len() - 9..], [1, 1, 2, 0, 1, 1, 0, 1, 0]);
    }
}
