//! Lays the index out as the files of the search bundle.

use super::answers::{Answer, Answers, Signer};
use super::chunk::Chunk;
use super::facets::{self, Table};
use super::filters::Filters;
use super::phrases;
use super::postings::{Bm25, Postings, Sources};
use super::runs::Run;
use super::summary::{self, Context, TOP, Tally, ranked};
use super::vocab::Vocabulary;
use super::words::{self, Entry, Place, Shard};
use super::{Record, SearchFile};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// The code of `meta.js`, after the bundle's description.
const BOOT: &str = include_str!("boot.js");
/// Bytes after which a words shard is closed.
const WORDS_BYTES: usize = 10 * 1024;
/// Bytes after which a postings file is closed.
const POST_BYTES: usize = 32 * 1024;
/// Bytes after which a positions file is closed.
const POS_BYTES: usize = 32 * 1024;
/// Postings up to this many bytes are kept inline in the words shards.
const INLINE_BYTES: usize = 192;
/// Articles per term with next pages, at least.
const ARTICLES_PER_MORE: usize = 20;
/// Rows per `docs-NNN.json` file.
pub const ROWS_PER_FILE: usize = 16;

/// Hands every file of the bundle to `out`, given the indexed runs (each
/// with the number of its first article), taking from `previous` the
/// answers that still hold; stops at the first error of `out`. Returns the
/// answers of this bundle.
pub fn write<E: Send>(
    records: &[Record<'_>],
    runs: &[(u32, Arc<Run>)],
    previous: &Answers,
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<Answers, E> {
    let chunks: Vec<&Chunk> = runs.iter().map(|(_, run)| &run.chunk).collect();
    let starts: Vec<u32> = runs.iter().map(|&(start, _)| start).collect();
    let rows: Vec<&str> = runs
        .iter()
        .flat_map(|(_, run)| run.rows.iter().map(String::as_str))
        .collect();
    let rows = &rows[..];
    let vocab = Vocabulary::merge(&chunks);
    let lengths: Vec<u32> = chunks
        .iter()
        .flat_map(|c| c.lengths.iter().copied())
        .collect();
    let bm25 = Bm25::new(&lengths);
    let sources = Sources {
        chunks: &chunks,
        starts: &starts,
        locals: &vocab.locals,
    };
    let people = Table::new(records, |r| &r.speakers);
    let topics = Table::new(records, |r| &r.topics);
    let years: Vec<i32> = records.iter().map(|r| r.year).collect();
    let context = Context::new(rows, (&people, &topics), &years);
    let common = summary_df(records.len());
    let dfs: Vec<usize> = (0..vocab.terms as u32)
        .into_par_iter()
        .map(|t| sources.df(t))
        .collect();
    let common_terms = dfs.iter().filter(|&&df| df >= common).count();
    let filters = Filters::new(&people, &topics, &years, common_terms);
    let more = more_df(&dfs, common, records.len());
    let ids = public_ids(&dfs, common);
    let selected = phrases::select(&sources, records.len(), common);
    let wanted: FxHashSet<u32> = selected.iter().flat_map(|&(a, b)| [a, b]).collect();
    let signer = Signer::new(rows, (&people, &topics), &years, &filters);
    let terms = terms(
        (&sources, vocab.terms, &wanted),
        (&lengths, &bm25),
        (&context, &filters, &signer, previous),
        (common, more),
    );
    let phrases = phrases::summaries(
        &sources,
        &selected,
        (&terms.postings, &terms.names()),
        (records.len(), &context),
        (&signer, previous),
    );
    let pages = terms.pages();
    drop(terms.postings);
    let next = previous.next(
        terms
            .answers
            .iter()
            .flatten()
            .map(|(name, answer, made)| (*name, answer, *made))
            .chain(phrases.iter().map(|p| (p.name, &p.answer, p.made))),
    );
    let mut encoded = terms.encoded;
    write_answers(&mut encoded, (&pages, &ids), (phrases, &context), out)?;
    let entries = write_postings(encoded, &sources, vocab.terms, out)?;
    let shards = words::shards(&vocab.forms, (&entries, &ids), WORDS_BYTES);
    write_by(&shards, (&entries, &ids), (&pages, &context), &filters, out)?;
    finish(
        records,
        shards,
        rows,
        (&people, &topics, &filters, more),
        out,
    )?;
    Ok(next)
}

/// A words entry (without places yet) and the term's encoded postings.
type Encoded = (Entry, Vec<u8>);

/// A common term's answer, named, and whether it was made rather than taken.
type Named = (u64, Arc<Answer>, bool);

/// What [`terms`] makes.
struct Terms {
    /// Per term, its entry and encoded postings.
    encoded: Vec<Encoded>,
    /// Per term, what it adds beside them when common.
    answers: Vec<Option<Named>>,
    /// The postings of the terms asked for.
    postings: FxHashMap<u32, Postings>,
}

impl Terms {
    /// Per term, the name of its answer when it is common.
    fn names(&self) -> Vec<Option<u64>> {
        let name = |a: &Option<Named>| a.as_ref().map(|(name, _, _)| *name);
        self.answers.iter().map(name).collect()
    }

    /// Per term, its answer when it is common.
    fn pages(&self) -> Vec<Option<Arc<Answer>>> {
        let answer = |a: &Option<Named>| a.as_ref().map(|(_, answer, _)| answer.clone());
        self.answers.iter().map(answer).collect()
    }
}

/// Per term, its words entry (without places yet) with its encoded
/// postings, and what it adds beside them when common (taken from
/// `previous` when it holds it); and the postings of the `wanted` terms.
fn terms(
    (sources, count, wanted): (&Sources<'_>, usize, &FxHashSet<u32>),
    (lengths, bm25): (&[u32], &Bm25),
    (context, filters, signer, previous): (&Context<'_>, &Filters, &Signer, &Answers),
    (common, more): (usize, usize),
) -> Terms {
    let made: Vec<(Encoded, Option<Named>, Option<Postings>)> = (0..count as u32)
        .into_par_iter()
        .map(|term| {
            let postings = sources.postings(term, lengths, bm25);
            let df = postings.docs.len() as u32;
            let answer = (df as usize >= common).then(|| {
                let has_more = df as usize >= more;
                let name = signer.name(&postings, has_more);
                let (answer, made) =
                    previous.take_or_make(name, || context.answer(&postings, filters, has_more));
                (name, answer, made)
            });
            let entry = Entry {
                df,
                inline: None,
                postings: Place::default(),
                positions: Place::default(),
                summary: answer.as_ref().map(|(_, a, _)| context.json(&a.summary)),
                phrases: Vec::new(),
            };
            let encoded = postings.encode();
            let kept = wanted.contains(&term).then_some(postings);
            ((entry, encoded), answer, kept)
        })
        .collect();
    let mut entries = Vec::with_capacity(made.len());
    let mut answers = Vec::with_capacity(made.len());
    let mut kept = FxHashMap::default();
    for (term, (entry, answer, postings)) in made.into_iter().enumerate() {
        entries.push(entry);
        answers.push(answer);
        if let Some(postings) = postings {
            kept.insert(term as u32, postings);
        }
    }
    Terms {
        encoded: entries,
        answers,
        postings: kept,
    }
}

/// Hands `out` the phrases' summaries and the common terms' next pages
/// (named by the terms' public `ids`), and lists each phrase in its first
/// term's entry.
fn write_answers<E: Send>(
    encoded: &mut [Encoded],
    (pages, ids): (&[Option<Arc<Answer>>], &[u32]),
    (phrases, context): (Vec<phrases::Phrase>, &Context<'_>),
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<(), E> {
    for phrase in &phrases {
        encoded[phrase.first as usize]
            .0
            .phrases
            .push(ids[phrase.second as usize]);
    }
    phrases.par_iter().try_for_each(|phrase| {
        let (first, second) = (ids[phrase.first as usize], ids[phrase.second as usize]);
        let mut json = format!("[{},", phrase.count);
        context.push_json(&mut json, &phrase.answer.summary);
        json.push(']');
        out(SearchFile {
            path: format!("search/phrase-{first}-{second}.json"),
            bytes: json.into_bytes(),
        })
    })?;
    pages.par_iter().enumerate().try_for_each(|(term, answer)| {
        match answer.as_ref().and_then(|a| a.more.as_ref()) {
            Some(more) => out(SearchFile {
                path: format!("search/more-{}.json", ids[term]),
                bytes: context.rows_json(more).into_bytes(),
            }),
            None => Ok(()),
        }
    })
}

/// Hands `out` the postings and positions files; returns the terms'
/// entries with their places (small postings inline).
fn write_postings<E: Send>(
    mut encoded: Vec<Encoded>,
    sources: &Sources<'_>,
    terms: usize,
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<Vec<Entry>, E> {
    // Each file goes out as soon as it is made rather than being held with
    // the others until the end.
    let post = pack(
        encoded.iter().map(|(_, bytes)| bytes.len()),
        POST_BYTES,
        INLINE_BYTES,
    );
    for (n, group) in post.groups.iter().enumerate() {
        let mut bytes = Vec::new();
        for &term in group {
            bytes.extend_from_slice(&encoded[term as usize].1);
        }
        out(file("post", n, "bin", bytes))?;
    }
    let positions = pack(
        (0..terms as u32).map(|t| sources.positions_len(t)),
        POS_BYTES,
        0,
    );
    positions
        .groups
        .par_iter()
        .enumerate()
        .try_for_each(|(n, group)| {
            let mut bytes = Vec::new();
            for &term in group {
                sources.append_positions(term, &mut bytes);
            }
            out(file("pos", n, "bin", bytes))
        })?;
    let entries = encoded
        .iter_mut()
        .zip(post.places.iter().zip(&positions.places))
        .map(|((entry, bytes), (place, positions))| {
            let inline = place.is_none().then(|| std::mem::take(bytes));
            Entry {
                inline,
                postings: place.map_or(Place::default(), |p| Place {
                    file: p.file + 1,
                    ..p
                }),
                positions: positions.unwrap_or_default(),
                summary: entry.summary.take(),
                phrases: std::mem::take(&mut entry.phrases),
                df: entry.df,
            }
        })
        .collect();
    Ok(entries)
}

impl Context<'_> {
    /// The answer of a term with these postings: its summary, the rows of
    /// its next pages when `more`, and its summaries per filter; the
    /// articles of a year are tallied once for the filters in that year.
    fn answer(&self, postings: &Postings, filters: &Filters, more: bool) -> Answer {
        let parts = filters.split(postings);
        let tallies: Vec<Tally> = parts
            .iter()
            .map(|(_, part)| self.tally(&part.docs))
            .collect();
        let tally_of = |filter: usize| {
            parts
                .iter()
                .position(|(i, _)| *i == filter)
                .map(|at| &tallies[at])
        };
        let mut years: Vec<(u32, Tally)> = Vec::new();
        for (i, _) in &parts {
            if let Some(within) = &filters.list[*i].within {
                if !years.iter().any(|(start, _)| *start == within.year.start) {
                    let docs = &postings.docs;
                    let from = docs.partition_point(|&d| d < within.year.start);
                    let to = docs.partition_point(|&d| d < within.year.end);
                    years.push((within.year.start, self.tally(&docs[from..to])));
                }
            }
        }
        let by = parts
            .iter()
            .zip(&tallies)
            .filter_map(|((i, part), tally)| {
                let sketch = match &filters.list[*i].within {
                    None => self.summary_of(&ranked(part, TOP), tally),
                    Some(within) => {
                        let (_, in_year) = years
                            .iter()
                            .find(|(start, _)| *start == within.year.start)?;
                        // The articles of the person or topic in a year are
                        // among its articles: its part is there.
                        let of_facet = tally_of(within.alone)?;
                        self.summary_within((part, tally), within.facet, in_year, of_facet)
                    }
                };
                Some((*i, part.docs.len(), sketch))
            })
            .collect();
        Answer {
            summary: self.summary(postings),
            more: more.then(|| self.more(postings)).flatten(),
            by,
        }
    }
}

/// Hands `out` the files `by/{folder}/NNN.json`: per filter and per
/// words shard with a common term, `{term id: [count, summary]}` for the
/// shard's common terms that have articles the filter passes (`{}` when
/// none: the browser then knows the query has no result there).
fn write_by<E: Send>(
    shards: &[Shard],
    (entries, ids): (&[Entry], &[u32]),
    (pages, context): (&[Option<Arc<Answer>>], &Context<'_>),
    filters: &Filters,
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<(), E> {
    shards.par_iter().enumerate().try_for_each(|(n, shard)| {
        let common: Vec<u32> = shard
            .terms
            .iter()
            .copied()
            .filter(|&t| entries[t as usize].summary.is_some())
            .collect();
        if common.is_empty() {
            return Ok(());
        }
        for (i, filter) in filters.list.iter().enumerate() {
            let mut json = String::from("{");
            for &term in &common {
                let Some(answer) = &pages[term as usize] else {
                    continue;
                };
                let by = &answer.by;
                if let Ok(at) = by.binary_search_by_key(&i, |&(f, _, _)| f) {
                    if json.len() > 1 {
                        json.push(',');
                    }
                    let (_, count, sketch) = &by[at];
                    json.push_str(&format!("\"{}\":[{count},", ids[term as usize]));
                    context.push_json(&mut json, sketch);
                    json.push(']');
                }
            }
            json.push('}');
            out(SearchFile {
                path: format!("search/by/{}/{n:03}.json", filter.folder()),
                bytes: json.into_bytes(),
            })?;
        }
        Ok(())
    })
}

/// Hands the words shards, the result rows, the facets and the meta module
/// of the bundle to `out`.
fn finish<E: Send>(
    records: &[Record<'_>],
    shards: Vec<Shard>,
    rows: &[&str],
    (people, topics, filters, more): (&Table, &Table, &Filters, usize),
    out: &(dyn Fn(SearchFile) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let mut firsts = Vec::with_capacity(shards.len());
    for (n, shard) in shards.into_iter().enumerate() {
        firsts.push(shard.first);
        out(file("words", n, "bin", shard.bytes))?;
    }
    for (n, chunk) in rows.chunks(ROWS_PER_FILE).enumerate() {
        let json = format!("[{}]", chunk.join(","));
        out(file("docs", n, "json", json.into_bytes()))?;
    }
    out(SearchFile {
        path: "search/facets.bin".into(),
        bytes: facets::file(people, topics),
    })?;
    let meta = serde_json::json!({
        "version": 4,
        "docs": records.len(),
        "rows": ROWS_PER_FILE,
        "top": summary::TOP,
        "ranked": summary::RANKED,
        "more": more,
        "by": filters.meta(),
        "words": firsts,
        "years": facets::year_runs(records),
    });
    out(SearchFile {
        path: "search/meta.js".into(),
        bytes: format!("export const meta = {meta};\n{BOOT}").into_bytes(),
    })
}

/// Articles a term must be in to get its next pages (`more-N.json`): the
/// common terms' most frequent, at most one per [`ARTICLES_PER_MORE`]
/// articles.
fn more_df(dfs: &[usize], common: usize, docs: usize) -> usize {
    let mut common_dfs: Vec<usize> = dfs.iter().copied().filter(|&df| df >= common).collect();
    common_dfs.sort_unstable_by(|a, b| b.cmp(a));
    let most = docs / ARTICLES_PER_MORE;
    match common_dfs.get(most) {
        // Ties with the last one kept are left out with it.
        Some(&first_left_out) => first_left_out + 1,
        None => common,
    }
}

/// The id each term has in the bundle, given the terms' article counts
/// `dfs`: the common terms first (those in at least `common` articles),
/// then the others, each in word order. A new rare word then moves no
/// common term's id, and so renames none of their files.
fn public_ids(dfs: &[usize], common: usize) -> Vec<u32> {
    let commons = dfs.iter().filter(|&&df| df >= common).count() as u32;
    let (mut next_common, mut next_rare) = (0, commons);
    dfs.iter()
        .map(|&df| {
            let next = if df >= common {
                &mut next_common
            } else {
                &mut next_rare
            };
            *next += 1;
            *next - 1
        })
        .collect()
}

/// Articles a term must be in to get a summary: beyond a first page, and
/// common enough that summaries stay a small part of the bundle.
fn summary_df(docs: usize) -> usize {
    (summary::TOP + 1).max(docs / 200)
}

/// Terms grouped into files, and where each term landed.
struct Packing {
    /// Term ids per file.
    groups: Vec<Vec<u32>>,
    /// Per term, its place; `None` when it is at most `inline` bytes.
    places: Vec<Option<Place>>,
}

/// Packs terms of these sizes, in order, into files of about `target` bytes.
fn pack(sizes: impl Iterator<Item = usize>, target: usize, inline: usize) -> Packing {
    let mut packing = Packing {
        groups: Vec::new(),
        places: Vec::new(),
    };
    let mut offset = 0;
    for (term, size) in sizes.enumerate() {
        if size <= inline {
            packing.places.push(None);
            continue;
        }
        if packing.groups.is_empty()
            || offset >= target
            || (offset > 0 && offset + size > target * 2)
        {
            packing.groups.push(Vec::new());
            offset = 0;
        }
        let n = packing.groups.len() - 1;
        packing.groups[n].push(term as u32);
        packing.places.push(Some(Place {
            file: n as u32,
            offset: offset as u32,
            len: size as u32,
        }));
        offset += size;
    }
    packing
}

fn file(kind: &str, n: usize, ext: &str, bytes: Vec<u8>) -> SearchFile {
    SearchFile {
        path: format!("search/{kind}-{n:03}.{ext}"),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_in_order_and_keeps_small_ones_inline() {
        let packing = pack([10, 50, 60, 2, 200].into_iter(), 100, 5);
        assert_eq!(packing.groups, [vec![0, 1, 2], vec![4]]);
        assert!(packing.places[3].is_none());
        let last = packing.places[4].unwrap_or_default();
        assert_eq!((last.file, last.offset, last.len), (1, 0, 200));
    }
}
