//! Client-side full-text search: [`index`] turns the archive into a bundle of
//! compact, sharded files under `search/` that `static/search.js` loads on
//! demand.
//!
//! The bundle (all paths under `search/`):
//! - `meta.js`: a small module, `export const meta = {…}` (counts, the first
//!   word of every words shard, the runs of articles per year; articles are
//!   numbered newest first) and the code of `boot.js`, which the search page
//!   runs early to fetch the shards of the query in its URL;
//! - `words-NNN.bin`: folded surface words in byte order, each with its term
//!   (stemmed), so the browser needs no stemmer and prefix search is a range
//!   scan; per term its article count, where its postings and positions are,
//!   and for common terms a summary: the first page of results and the facet
//!   counts, so a one-word query needs this one file (see [`words`]);
//! - `more-N.json`: the rows of common term N's next pages, ranked, so that
//!   "Load more" needs one file, for the most frequent terms (`meta.js` says
//!   from which article count; see [`summary`]);
//! - `by/{key}/{value}/NNN.json`: for the people, topics and years holding a
//!   large share of the archive, and in `…/year/{year}/` for such a person
//!   or topic in one of its busiest years (all listed in `meta.js`), the
//!   summaries of the common terms of words shard NNN over the articles the
//!   filter passes, so that a word so filtered needs one file (see
//!   [`filters`]);
//! - `phrase-A-B.json`: for the most frequent two-word phrases (term A then
//!   term B, listed in A's words entry), the count and summary, so that such
//!   a quoted phrase needs one file beyond its words shards (see [`phrases`]);
//! - `post-NNN.bin`: postings with one-byte BM25 impacts (see [`postings`]);
//! - `pos-NNN.bin`: word positions, fetched for phrase queries only;
//! - `facets.bin`: people and topics, and each article's (see [`facets`]);
//! - `docs-NNN.json`: result rows in runs of [`bundle::ROWS_PER_FILE`]
//!   articles (see [`rows`]).
//!
//! The articles are indexed in runs (a year, cut between months; see
//! [`runs`]), which [`Indexed`] keeps from one index to the next with the
//! common terms' precomputed answers (see [`answers`]), so that an edit
//! indexes its run again, makes again the answers of the terms whose
//! articles it changed, and the bundle is laid out from all of them.
//!
//! The precomputed files answer the common questions in one or two requests;
//! every other query (several words, a rarer phrase, other filters, a rare word with
//! a filter, a page beyond the ranked ones) is computed in the browser from
//! postings, positions, `facets.bin` and result rows, with the same ranking
//! and counts.

use std::convert::Infallible;
use std::sync::{Mutex, PoisonError};

use crate::archive::{Archive, Entity};
use rayon::prelude::*;

pub use background::SearchWorker;
pub use runs::{Indexed, Plan};

mod answers;
mod background;
mod bundle;
mod chunk;
mod facets;
mod filters;
mod list;
mod phrases;
mod postings;
mod raw;
mod rows;
mod runs;
mod summary;
mod text;
mod varint;
mod vocab;
mod wordlist;
mod words;

/// One article as the search index sees it. Records arrive newest first.
pub struct Record<'a> {
    /// URL path relative to the site root, e.g. `2020/09/putin-statement/`.
    pub path: &'a str,
    /// The headline.
    pub title: &'a str,
    /// Publication date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Publication year.
    pub year: i32,
    /// People the article is filed under.
    pub speakers: Vec<Facet<'a>>,
    /// Topics the article is filed under.
    pub topics: Vec<Facet<'a>>,
    /// Plain-text summary.
    pub summary: &'a str,
    /// The body's HTML, as [`crate::markdown::render`] wrote it.
    pub body: &'a str,
}

/// A person or topic an article is filed under.
pub struct Facet<'a> {
    /// URL slug, used in `?speaker=` / `?topic=`.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
}

impl<'a> Facet<'a> {
    fn of(entity: &'a Entity) -> Facet<'a> {
        Facet {
            slug: &entity.slug,
            name: &entity.name,
        }
    }
}

/// One file of the search bundle.
pub struct SearchFile {
    /// Path relative to the output root, e.g. `search/dict-003.bin`.
    pub path: String,
    /// File contents.
    pub bytes: Vec<u8>,
}

/// Builds the whole search bundle and hands each file to `out` (from any
/// thread) as soon as it is made; stops at the first error of `out`. The
/// same records give the same bytes.
pub fn index<E: Send>(
    records: &[Record<'_>],
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let (runs, _) = Plan::new(records, None).index(records, &Indexed::default());
    bundle::write(records, &runs, &answers::Answers::default(), out).map(drop)
}

/// The runs of `archive`'s articles, each named by what indexing reads of
/// its articles: what [`index_archive`] indexes, and which articles it must
/// read ([`Plan::unindexed`]).
pub fn plan(archive: &Archive) -> Plan {
    with_records(archive, |records| {
        let keys: Vec<u64> = records
            .par_iter()
            .zip(&archive.articles)
            .map(|(record, article)| runs::key(record, article.body_hash))
            .collect();
        Plan::new(records, Some(&keys))
    })
}

/// Builds the search bundle of a linked archive as [`index`] does, in the
/// runs of `plan` (made of this archive, its bodies aside), those `indexed`
/// holds taken from it (see [`runs`]); returns the runs the next index can
/// take.
pub fn index_archive<E: Send>(
    archive: &Archive,
    plan: &Plan,
    indexed: &Indexed,
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<Indexed, E> {
    with_records(archive, |records| {
        let (runs, mut next) = plan.index(records, indexed);
        next.answers = bundle::write(records, &runs, &indexed.answers, out)?;
        Ok(next)
    })
}

/// Calls `f` with the records of `archive`'s articles.
fn with_records<R>(archive: &Archive, f: impl FnOnce(&[Record<'_>]) -> R) -> R {
    let (paths, dates): (Vec<String>, Vec<String>) = archive
        .articles
        .par_iter()
        .map(|a| (a.url_path(), a.day()))
        .unzip();
    let records: Vec<Record<'_>> = archive
        .articles
        .par_iter()
        .zip(&archive.links)
        .enumerate()
        .map(|(i, (article, links))| Record {
            path: &paths[i],
            title: &article.title,
            date: &dates[i],
            year: article.year(),
            speakers: links
                .speakers
                .iter()
                .map(|&p| Facet::of(&archive.people[p]))
                .collect(),
            topics: links
                .topics
                .iter()
                .map(|&t| Facet::of(&archive.topics[t]))
                .collect(),
            summary: &article.summary,
            body: &article.body,
        })
        .collect();
    f(&records)
}

/// The whole bundle of `archive`, held in memory in path order, for a
/// server that answers from memory; takes from `indexed` the runs it holds
/// and leaves there those of this index.
pub fn bundle_in_memory(archive: &Archive, indexed: &mut Indexed) -> Vec<SearchFile> {
    let mut next = None;
    let files = kept(|out| {
        next = Some(index_archive(archive, &plan(archive), indexed, out)?);
        Ok(())
    });
    if let Some(next) = next {
        *indexed = next;
    }
    files
}

/// The files `make` hands to its sink, in path order.
fn kept(
    make: impl FnOnce(&(dyn Fn(SearchFile) -> Result<(), Infallible> + Sync)) -> Result<(), Infallible>,
) -> Vec<SearchFile> {
    let files = Mutex::new(Vec::new());
    let Ok(()) = make(&|file| {
        files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
        Ok(())
    });
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records of `n` articles: every one has "minister", the even ones
    /// "harbour", the odd ones "railway"; article 1 has `title`.
    fn articles(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                let word = if i % 2 == 0 { "harbour" } else { "railway" };
                (
                    format!("Title {i}"),
                    format!("The minister on the {word}, case {i}"),
                )
            })
            .collect()
    }

    /// Two people, or two topics.
    const FACETS: [Facet<'static>; 2] = [
        Facet {
            slug: "a",
            name: "A",
        },
        Facet {
            slug: "b",
            name: "B",
        },
    ];

    /// The records of `texts`, filed two by two under the two `facets`, as
    /// people and as topics.
    fn records<'a>(texts: &'a [(String, String)], facets: &'a [Facet<'a>]) -> Vec<Record<'a>> {
        texts
            .iter()
            .enumerate()
            .map(|(i, (title, body))| Record {
                path: "2020/01/a/",
                title,
                date: "2020-01-01",
                year: 2020,
                speakers: vec![Facet {
                    ..facets[i / 2 % 2]
                }],
                topics: vec![Facet {
                    ..facets[i / 2 % 2]
                }],
                summary: "",
                body,
            })
            .collect()
    }

    #[test]
    fn answers_kept_from_the_last_index_give_the_bytes_of_a_fresh_one() {
        let facets = FACETS;
        let before = articles(600);
        let old = records(&before, &facets);
        let (runs, _) = Plan::new(&old, None).index(&old, &Indexed::default());
        let Ok(answers) = bundle::write(&old, &runs, &answers::Answers::default(), &|_| {
            Ok::<(), Infallible>(())
        });
        // Article 1 gets another title, and articles 0 and 2 swap their
        // speakers and topics, which change no word's articles: answers
        // that show them are made again, or the bytes differ.
        let mut after = before.clone();
        after[1].0 = "Another headline".into();
        let mut new = records(&after, &facets);
        for (doc, facet) in [(0, 1), (2, 0)] {
            new[doc].speakers = vec![Facet { ..facets[facet] }];
            new[doc].topics = vec![Facet { ..facets[facet] }];
        }
        let (runs, _) = Plan::new(&new, None).index(&new, &Indexed::default());
        let taken = kept(|out| bundle::write(&new, &runs, &answers, out).map(drop));
        let fresh = kept(|out| index(&new, out));
        assert_eq!(taken.len(), fresh.len());
        for (k, f) in taken.iter().zip(&fresh) {
            assert!(k.path == f.path && k.bytes == f.bytes, "{} differs", k.path);
        }
    }

    #[test]
    fn a_new_rare_word_renames_no_file_of_a_common_term() {
        let facets = FACETS;
        let names = |texts: &[(String, String)]| -> Vec<String> {
            let records = records(texts, &facets);
            kept(|out| index(&records, out))
                .into_iter()
                .map(|file| file.path)
                .filter(|path| {
                    ["search/more-", "search/phrase-", "search/by/"]
                        .iter()
                        .any(|kind| path.starts_with(kind))
                })
                .collect()
        };
        let before = articles(600);
        let mut after = before.clone();
        // A word before every other in word order.
        after[1].1.push_str(" aardvark");
        let (old, new) = (names(&before), names(&after));
        assert!(old.iter().any(|path| path.starts_with("search/more-")));
        assert!(old.iter().any(|path| path.starts_with("search/phrase-")));
        assert_eq!(old, new);
    }

    #[test]
    fn same_input_gives_same_bytes_in_few_files() {
        let texts: Vec<String> = (0..3000)
            .map(|i| format!("Article {i} about negotiations with Núñez and Путин, word{i}"))
            .collect();
        let records: Vec<Record<'_>> = texts
            .iter()
            .map(|t| Record {
                path: "2020/01/a/",
                title: t,
                date: "2020-01-01",
                year: 2020,
                speakers: vec![Facet {
                    slug: "p",
                    name: "P",
                }],
                topics: vec![],
                summary: "",
                body: t,
            })
            .collect();
        let a = kept(|out| index(&records, out));
        let b = kept(|out| index(&records, out));
        assert!(
            a.len() == b.len()
                && a.iter()
                    .zip(&b)
                    .all(|(x, y)| x.path == y.path && x.bytes == y.bytes)
        );
        let docs = a
            .iter()
            .filter(|f| f.path.starts_with("search/docs-"))
            .count();
        assert_eq!(docs, 3000usize.div_ceil(bundle::ROWS_PER_FILE));
        // Beside the rows: the words, postings, positions, facets and the
        // precomputed answers (next pages, phrases) of the few common terms.
        assert!(a.len() < docs + 60, "{} files", a.len());
        assert!(a.iter().any(|f| f.path.starts_with("search/phrase-")));
        assert!(a.iter().any(|f| f.path == "search/meta.js"));
    }
}
