//! Serialises the inverted index into the sharded files of the search bundle.

use super::inverted::Inverted;
use super::varint::{push, push_str};
use super::{CHUNK, Record, SearchFile};
use std::collections::BTreeMap;

/// Bytes after which a dictionary or postings shard is closed.
const SHARD_BYTES: usize = 48 * 1024;
/// Characters of summary (or, without one, of body text) kept for excerpts.
const EXCERPT_CHARS: usize = 280;

/// Writes every file of the bundle.
pub fn write(records: &[Record<'_>], inv: &Inverted) -> Vec<SearchFile> {
    let speakers = facet_table(records.iter().flat_map(|r| &r.speakers));
    let topics = facet_table(records.iter().flat_map(|r| &r.topics));
    let mut years: Vec<i32> = records.iter().map(|r| r.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();

    let mut files = Vec::new();
    let term_ids: BTreeMap<&str, usize> = inv
        .terms
        .keys()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let dict_starts = dictionary(inv, &term_ids, &mut files);
    let post_starts = postings(inv, &mut files);
    files.push(facets(records, inv, &speakers, &topics, &years));
    docs(records, &speakers, &topics, &mut files);

    let avg =
        inv.lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / inv.lengths.len().max(1) as f64;
    let meta = serde_json::json!({
        "version": 1,
        "docs": records.len(),
        "chunk": CHUNK,
        "avgLength": (avg * 100.0).round() / 100.0,
        "dict": dict_starts,
        "post": post_starts,
        "speakers": pairs(&speakers),
        "topics": pairs(&topics),
        "years": years,
    });
    files.push(SearchFile {
        path: "search/meta.json".into(),
        bytes: meta.to_string().into_bytes(),
    });
    files
}

/// `[slug, name]` pairs in id order.
fn pairs<'a>(table: &BTreeMap<&'a str, (usize, &'a str)>) -> Vec<[&'a str; 2]> {
    let mut v: Vec<_> = table
        .iter()
        .map(|(slug, (id, name))| (*id, *slug, *name))
        .collect();
    v.sort_unstable();
    v.into_iter().map(|(_, s, n)| [s, n]).collect()
}

/// Slug → (id, name), ids in slug order.
fn facet_table<'a>(
    all: impl Iterator<Item = &'a super::Facet<'a>>,
) -> BTreeMap<&'a str, (usize, &'a str)> {
    let mut table: BTreeMap<&str, (usize, &str)> = all.map(|f| (f.slug, (0, f.name))).collect();
    for (i, v) in table.values_mut().enumerate() {
        v.0 = i;
    }
    table
}

fn shard_name(kind: &str, n: usize, ext: &str) -> String {
    format!("search/{kind}-{n:03}.{ext}")
}

/// Dictionary shards: count, then (word, term id delta-free) pairs. Returns the
/// first word of every shard.
fn dictionary(
    inv: &Inverted,
    ids: &BTreeMap<&str, usize>,
    files: &mut Vec<SearchFile>,
) -> Vec<String> {
    let mut starts = Vec::new();
    let mut shard = Vec::new();
    let mut count = 0u64;
    let flush = |shard: &mut Vec<u8>, count: &mut u64, files: &mut Vec<SearchFile>| {
        let mut bytes = Vec::new();
        push(&mut bytes, *count);
        bytes.append(shard);
        files.push(SearchFile {
            path: shard_name("dict", files_of(files, "dict"), "bin"),
            bytes,
        });
        *count = 0;
    };
    for (form, term) in &inv.forms {
        if shard.is_empty() {
            starts.push(form.clone());
        }
        push_str(&mut shard, form);
        push(&mut shard, ids[term.as_str()] as u64);
        count += 1;
        if shard.len() >= SHARD_BYTES {
            flush(&mut shard, &mut count, files);
        }
    }
    if count > 0 {
        flush(&mut shard, &mut count, files);
    }
    starts
}

fn files_of(files: &[SearchFile], kind: &str) -> usize {
    let prefix = format!("search/{kind}-");
    files.iter().filter(|f| f.path.starts_with(&prefix)).count()
}

/// Postings and positions shards, split at the same terms. Returns the first
/// term id of every shard.
fn postings(inv: &Inverted, files: &mut Vec<SearchFile>) -> Vec<usize> {
    let mut starts = Vec::new();
    let (mut post, mut pos) = (Vec::new(), Vec::new());
    let flush = |post: &mut Vec<u8>, pos: &mut Vec<u8>, files: &mut Vec<SearchFile>| {
        let n = files_of(files, "post");
        files.push(SearchFile {
            path: shard_name("post", n, "bin"),
            bytes: std::mem::take(post),
        });
        files.push(SearchFile {
            path: shard_name("pos", n, "bin"),
            bytes: std::mem::take(pos),
        });
    };
    for (id, postings) in inv.terms.values().enumerate() {
        if post.is_empty() {
            starts.push(id);
        }
        push(&mut post, postings.len() as u64);
        let mut last = 0;
        for p in postings {
            push(&mut post, u64::from(p.doc - last));
            push(&mut post, u64::from(p.weight));
            last = p.doc;
            push(&mut pos, p.positions.len() as u64);
            let mut at = 0;
            for &q in &p.positions {
                push(&mut pos, u64::from(q - at));
                at = q;
            }
        }
        if post.len() >= SHARD_BYTES {
            flush(&mut post, &mut pos, files);
        }
    }
    if !post.is_empty() {
        flush(&mut post, &mut pos, files);
    }
    starts
}

/// Per article: length, year index, people ids, topic ids.
fn facets(
    records: &[Record<'_>],
    inv: &Inverted,
    speakers: &BTreeMap<&str, (usize, &str)>,
    topics: &BTreeMap<&str, (usize, &str)>,
    years: &[i32],
) -> SearchFile {
    let mut bytes = Vec::new();
    for (r, &length) in records.iter().zip(&inv.lengths) {
        push(&mut bytes, u64::from(length));
        push(
            &mut bytes,
            years.iter().position(|&y| y == r.year).unwrap_or(0) as u64,
        );
        for (list, table) in [(&r.speakers, speakers), (&r.topics, topics)] {
            push(&mut bytes, list.len() as u64);
            for f in list {
                push(&mut bytes, table[f.slug].0 as u64);
            }
        }
    }
    SearchFile {
        path: "search/facets.bin".into(),
        bytes,
    }
}

/// Result metadata in chunks: `[url, title, date, [people], [topics], excerpt]`.
fn docs(
    records: &[Record<'_>],
    speakers: &BTreeMap<&str, (usize, &str)>,
    topics: &BTreeMap<&str, (usize, &str)>,
    files: &mut Vec<SearchFile>,
) {
    for (n, chunk) in records.chunks(CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                let ids = |l: &[super::Facet<'_>], t: &BTreeMap<&str, (usize, &str)>| {
                    l.iter().map(|f| t[f.slug].0).collect::<Vec<_>>()
                };
                let source = if r.summary.is_empty() {
                    r.text
                } else {
                    r.summary
                };
                let excerpt: String = source.chars().take(EXCERPT_CHARS).collect();
                serde_json::json!([
                    r.url,
                    r.title,
                    r.date,
                    ids(&r.speakers, speakers),
                    ids(&r.topics, topics),
                    excerpt
                ])
            })
            .collect();
        let bytes = serde_json::Value::Array(rows).to_string().into_bytes();
        files.push(SearchFile {
            path: shard_name("docs", n, "json"),
            bytes,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::search::{CHUNK, Facet, Record, index};

    fn records(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("Article {i} about negotiations with Núñez and Путин, word{i}"))
            .collect()
    }

    #[test]
    fn same_input_gives_same_bytes_in_few_files() {
        let texts = records(500);
        let recs: Vec<Record<'_>> = texts
            .iter()
            .map(|t| Record {
                url: "/a/",
                title: t,
                date: "2020-01-01",
                year: 2020,
                speakers: vec![Facet {
                    slug: "p",
                    name: "P",
                }],
                topics: vec![],
                summary: "",
                text: t,
            })
            .collect();
        let a = index(&recs);
        let b = index(&recs);
        assert_eq!(a.len(), b.len());
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.path == y.path && x.bytes == y.bytes)
        );
        assert!(
            a.len() <= 500usize.div_ceil(CHUNK) + 8,
            "{} files for 500 articles",
            a.len()
        );
        assert!(a.iter().any(|f| f.path == "search/meta.json"));
    }
}
