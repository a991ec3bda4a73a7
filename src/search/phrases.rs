//! Summaries of the most frequent two-word phrases. A quoted phrase of two
//! common words ("prime minister") has a long result list, which the browser
//! would otherwise rank from both words' postings and positions; each phrase
//! selected here gets `phrase-A-B.json` (A and B its terms' ids): the JSON
//! `[count, summary]`, the summary ranked as the browser ranks a phrase (the
//! sum over its words of twice the word's IDF times its impact, then newest).
//! The words entry of A lists the Bs (see [`super::words`]).

use super::answers::{Answer, Answers, Signer};
use super::chunk::{Occurrences, PAIR_SHARE};
use super::postings::{Postings, Sources};
use super::summary::{Context, Sketch, TOP};
use super::varint;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Phrases with summaries: at most one per this many articles…
const PER_DOCS: usize = 4;
/// …and at most this many, the most frequent first.
const MOST: usize = 4096;

/// A phrase with a summary.
pub struct Phrase {
    /// Its first term.
    pub first: u32,
    /// Its second term.
    pub second: u32,
    /// Its name among the answers (see [`Signer::phrase`]).
    pub name: u64,
    /// The articles it is in.
    pub count: usize,
    /// Its summary, as the answer's.
    pub answer: Arc<Answer>,
    /// Whether it was made rather than taken from the last index.
    pub made: bool,
}

/// The summaries of the `selected` phrases (see [`select`]), sorted by
/// terms, given the postings of their terms and the `names` of the terms'
/// answers, over `docs` articles; each taken from the `previous` answers
/// when its name (by `signer`) is there.
pub fn summaries(
    sources: &Sources<'_>,
    selected: &[(u32, u32)],
    (postings, names): (&FxHashMap<u32, Postings>, &[Option<u64>]),
    (docs, context): (usize, &Context<'_>),
    (signer, previous): (&Signer, &Answers),
) -> Vec<Phrase> {
    let articles = articles(sources, selected);
    let n = docs as f64;
    selected
        .par_iter()
        .zip(articles)
        .filter(|(_, docs)| !docs.is_empty())
        .filter_map(|(&(first, second), docs)| {
            let (a, b) = (postings.get(&first)?, postings.get(&second)?);
            let terms = (names[first as usize]?, names[second as usize]?);
            let name = signer.phrase(terms, &docs);
            let (answer, made) = previous.take_or_make(name, || Answer {
                summary: summary((a, b), &docs, (n, context)),
                ..Answer::default()
            });
            Some(Phrase {
                first,
                second,
                name,
                count: docs.len(),
                answer,
                made,
            })
        })
        .collect()
}

/// The summary of the phrase of the terms with postings `a` and `b` in the
/// articles `docs`, of `n` in all.
fn summary(
    (a, b): (&Postings, &Postings),
    docs: &[u32],
    (n, context): (f64, &Context<'_>),
) -> Sketch {
    let weight = |p: &Postings| {
        let df = p.docs.len() as f64;
        2.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    };
    let (wa, wb) = (weight(a), weight(b));
    let mut scored: Vec<(f64, u32)> = impacts_at(a, docs)
        .zip(impacts_at(b, docs))
        .zip(docs)
        .map(|((ia, ib), &d)| (wa * f64::from(ia) + wb * f64::from(ib), d))
        .collect();
    let order = |x: &(f64, u32), y: &(f64, u32)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
    if scored.len() > TOP {
        scored.select_nth_unstable_by(TOP, order);
        scored.truncate(TOP);
    }
    scored.sort_unstable_by(order);
    let top: Vec<u32> = scored.iter().map(|&(_, d)| d).collect();
    context.summary_of(&top, &context.tally(docs))
}

/// The impacts of `postings` at `docs` (ascending), 0 where it has none:
/// found by galloping forward from the last one found.
fn impacts_at<'p>(postings: &'p Postings, docs: &'p [u32]) -> impl Iterator<Item = u8> + 'p {
    let mut from = 0;
    docs.iter().map(move |&doc| {
        let rest = &postings.docs[from..];
        let mut reach = 1;
        while reach < rest.len() && rest[reach - 1] < doc {
            reach *= 2;
        }
        match rest[..reach.min(rest.len())].binary_search(&doc) {
            Ok(k) => {
                from += k;
                postings.impacts[from]
            }
            Err(k) => {
                from += k;
                0
            }
        }
    })
}

/// The pairs of terms to summarise: those in at least one article in
/// [`PAIR_SHARE`] and in `common` articles, the most frequent (see
/// [`MOST`]), by the chunks' counts (which leave out a chunk's rare pairs, so
/// they can fall short of the true counts); sorted.
pub fn select(sources: &Sources<'_>, docs: usize, common: usize) -> Vec<(u32, u32)> {
    let least = (docs / PAIR_SHARE).max(common);
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    for (chunk, locals) in sources.chunks.iter().zip(sources.locals) {
        let mut global = vec![0u32; chunk.terms()];
        for &(id, local) in locals {
            global[local as usize] = id;
        }
        for (a, b, docs) in chunk.pairs() {
            let key = (u64::from(global[a as usize]) << 32) | u64::from(global[b as usize]);
            *counts.entry(key).or_default() += docs.len() as u32;
        }
    }
    let mut kept: Vec<(u32, u64)> = counts
        .into_iter()
        .filter(|&(_, df)| df as usize >= least)
        .map(|(key, df)| (df, key))
        .collect();
    kept.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    kept.truncate((docs / PER_DOCS).min(MOST));
    let mut pairs: Vec<(u32, u32)> = kept
        .iter()
        .map(|&(_, key)| ((key >> 32) as u32, key as u32))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Per selected pair, the articles where its second term follows its
/// first, ascending: from the chunks' pairs, or from the positions where a
/// chunk left the pair out.
fn articles(sources: &Sources<'_>, selected: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let per_chunk: Vec<Vec<Vec<u32>>> = sources
        .chunks
        .par_iter()
        .zip(sources.locals)
        .enumerate()
        .map(|(n, (chunk, locals))| {
            let local = |t: u32| {
                let at = locals.binary_search_by_key(&t, |&(id, _)| id).ok()?;
                Some(locals[at].1)
            };
            let first = sources.starts[n];
            let mut decoded: FxHashMap<u32, Decoded> = FxHashMap::default();
            selected
                .iter()
                .map(|&(a, b)| {
                    let (Some(a), Some(b)) = (local(a), local(b)) else {
                        return Vec::new();
                    };
                    if let Some(docs) = chunk.pair(a, b) {
                        return docs.iter().map(|&doc| first + u32::from(doc)).collect();
                    }
                    for term in [a, b] {
                        decoded
                            .entry(term)
                            .or_insert_with(|| Decoded::of(chunk.term(term)));
                    }
                    adjacent(&decoded[&a], &decoded[&b])
                        .into_iter()
                        .map(|doc| first + u32::from(doc))
                        .collect()
                })
                .collect()
        })
        .collect();
    (0..selected.len())
        .map(|i| {
            per_chunk
                .iter()
                .flat_map(|lists| lists[i].iter().copied())
                .collect()
        })
        .collect()
}

/// A term's occurrences in a chunk with their positions decoded.
struct Decoded<'c> {
    /// Article numbers within the chunk, ascending.
    docs: &'c [u16],
    /// Every position, article after article, each article's ascending.
    positions: Vec<u32>,
    /// Where each article's positions start in `positions`, and the end.
    starts: Vec<u32>,
}

impl<'c> Decoded<'c> {
    fn of(occ: Occurrences<'c>) -> Decoded<'c> {
        let mut positions = Vec::new();
        let mut starts = Vec::with_capacity(occ.docs.len() + 1);
        let mut at = 0;
        for _ in occ.docs {
            starts.push(positions.len() as u32);
            let mut position = 0u64;
            let mut value = varint::read(occ.positions, &mut at);
            let first = positions.len();
            while value != 0 {
                position = if positions.len() == first {
                    value - 1
                } else {
                    position + value
                };
                positions.push(position as u32);
                value = varint::read(occ.positions, &mut at);
            }
        }
        starts.push(positions.len() as u32);
        Decoded {
            docs: occ.docs,
            positions,
            starts,
        }
    }

    /// The positions in the `k`th article.
    fn at(&self, k: usize) -> &[u32] {
        &self.positions[self.starts[k] as usize..self.starts[k + 1] as usize]
    }
}

/// The articles (numbers in the chunk) where `b` comes right after `a`.
fn adjacent(a: &Decoded<'_>, b: &Decoded<'_>) -> Vec<u16> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.docs.len() && j < b.docs.len() {
        match a.docs[i].cmp(&b.docs[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if follows(a.at(i), b.at(j)) {
                    out.push(a.docs[i]);
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Whether some position of `after` is one past a position of `before`
/// (both ascending).
fn follows(before: &[u32], after: &[u32]) -> bool {
    let mut k = 0;
    for &p in before {
        while k < after.len() && after[k] <= p {
            k += 1;
        }
        if after.get(k) == Some(&(p + 1)) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::search::Record;
    use crate::search::chunk::{CHUNK_DOCS, Chunk};
    use crate::search::vocab::Vocabulary;

    fn record(body: &str) -> Record<'_> {
        Record {
            path: "",
            title: "",
            date: "",
            year: 2020,
            speakers: vec![],
            topics: vec![],
            summary: "",
            body,
        }
    }

    #[test]
    fn finds_a_phrase_where_a_chunk_left_it_out() {
        let full: Vec<Record<'_>> = (0..CHUNK_DOCS)
            .map(|_| record("the prime minister"))
            .collect();
        let texts = vec!["the prime minister".to_owned(); CHUNK_DOCS];
        // Once in the second chunk, too few for it to keep the pair: found from positions.
        let tail = [record(""), record(""), record("")];
        let tail_texts = ["prime minister spoke", "minister, prime", "prime"].map(str::to_owned);
        let chunks = [
            Chunk::build(&full, &texts),
            Chunk::build(&tail, &tail_texts),
        ];
        assert_eq!(chunks[1].pairs().count(), 0);
        let chunks = [&chunks[0], &chunks[1]];
        let vocab = Vocabulary::merge(&chunks);
        let id = |w: &str| vocab.forms.iter().find(|(f, _)| *f == w).map(|&(_, id)| id);
        let (Some(prime), Some(minister)) = (id("prime"), id("minister")) else {
            panic!("no terms");
        };
        let sources = Sources {
            chunks: &chunks,
            starts: &[0, CHUNK_DOCS as u32],
            locals: &vocab.locals,
        };
        assert!(select(&sources, CHUNK_DOCS + 3, 11).contains(&(prime, minister)));
        let found = articles(&sources, &[(prime, minister), (minister, prime)]);
        assert_eq!(found[0].len(), CHUNK_DOCS + 1);
        assert_eq!(found[0].last(), Some(&(CHUNK_DOCS as u32)));
        // Punctuation is no gap, as in the browser's phrase matching.
        assert_eq!(found[1], [CHUNK_DOCS as u32 + 1]);
    }

    #[test]
    fn impacts_are_found_forward_and_missing_ones_are_zero() {
        let postings = Postings {
            docs: vec![1, 3, 5, 9, 20, 40],
            impacts: vec![10, 30, 50, 90, 200, 240],
        };
        let found: Vec<u8> = impacts_at(&postings, &[0, 3, 4, 20, 40, 41]).collect();
        assert_eq!(found, [0, 30, 0, 200, 240, 0]);
    }

    #[test]
    fn a_phrase_is_one_word_right_after_the_other() {
        assert!(follows(&[3, 9], &[1, 10]));
        assert!(!follows(&[3, 9], &[3, 8, 11]));
        assert!(!follows(&[], &[1]));
    }
}
