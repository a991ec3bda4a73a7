//! Indexing a run of consecutive articles on one thread: every word folded,
//! interned and stemmed once per run, its weighted frequency and positions
//! appended to the term's lists as they are met.

use super::list::{List, Mapped, Span, Writer};
use super::text::{Stems, Token, for_each_word};
use super::varint::push;
use super::wordlist::WordList;
use super::{Facet, Record};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;

/// Weight of a word in a title or a person's name, so those matches rank first.
const TITLE_WEIGHT: u16 = 4;
/// Weight of a word in a topic name or the summary.
const SUMMARY_WEIGHT: u16 = 2;
/// Weight of a word in the body.
const BODY_WEIGHT: u16 = 1;
/// Positions skipped between fields and names, so phrases do not span them.
const FIELD_GAP: u32 = 8;

/// Articles per chunk at most: the unit of parallel indexing (at most 65,536).
pub const CHUNK_DOCS: usize = 1024;
/// A pair of adjacent terms is counted for phrase summaries when at least one
/// article in this many of a chunk has it (see [`super::phrases`]).
pub const PAIR_SHARE: usize = 128;

/// One term's occurrences in the articles of a chunk.
#[derive(Clone, Copy)]
pub struct Occurrences<'c> {
    /// Article numbers within the chunk, ascending.
    pub docs: &'c [u16],
    /// Per article, the sum of the field weights of the occurrences.
    pub weights: &'c [u16],
    /// Per article, the word positions as LEB128: first + 1, then the gaps,
    /// then 0.
    pub positions: &'c [u8],
}

/// The index of one run of consecutive articles. Its lists are held end to
/// end, each term's and each pair's a range of them: a few large lists are
/// quick to keep and, mapped, free to read back in a build's cache.
pub struct Chunk {
    /// Words per article, for length normalisation.
    pub lengths: List<u32>,
    /// The folded words met.
    forms: WordList,
    /// The local term number of each of those words.
    form_terms: List<u32>,
    /// Local term number → term.
    pub stems: WordList,
    /// Per local term and one past the last, where its articles start in
    /// `docs` and `weights`, and its positions in `positions`.
    starts: List<[u32; 2]>,
    /// The terms' articles, term after term.
    docs: List<u16>,
    /// The weights of those articles.
    weights: List<u16>,
    /// The terms' positions, term after term.
    positions: List<u8>,
    /// Pairs of local terms met one after the other, sorted, and where
    /// their articles start in `pair_docs`: the pairs of at least one
    /// article in [`PAIR_SHARE`] (and two).
    pairs: List<[u32; 3]>,
    /// The pairs' articles (ascending for each), pair after pair, and the end.
    pair_docs: List<u16>,
}

/// What names a chunk's lists in its file, beside its word lists.
#[derive(Serialize, Deserialize)]
pub struct Stored {
    forms: WordList,
    stems: WordList,
    /// The spans of `lengths`, `form_terms`, `starts`, `docs`, `weights`,
    /// `positions`, `pairs` and `pair_docs`.
    spans: [Span; 8],
}

/// One term's occurrences while a chunk is built.
#[derive(Default)]
struct Growing {
    docs: Vec<u16>,
    weights: Vec<u16>,
    positions: Vec<u8>,
}

impl Chunk {
    /// Indexes `records`, at most [`CHUNK_DOCS`] of them, with their bodies'
    /// plain `texts`, in one part (the runs of an index are made of
    /// [`Part`]s; tests take a chunk at once).
    #[cfg(test)]
    pub fn build(records: &[Record<'_>], texts: &[String]) -> Chunk {
        Part::index(records, texts, 0).finish()
    }

    /// Puts the chunk's lists into `file`; returns what names them.
    pub fn store(&self, file: &mut Writer) -> Stored {
        Stored {
            forms: self.forms.clone(),
            stems: self.stems.clone(),
            spans: [
                file.put(&self.lengths),
                file.put(&self.form_terms),
                file.put(&self.starts),
                file.put(&self.docs),
                file.put(&self.weights),
                file.put(&self.positions),
                file.put(&self.pairs),
                file.put(&self.pair_docs),
            ],
        }
    }

    /// The chunk `stored` names in `file`, whose first `end` bytes hold
    /// the lists; `None` when a list is not where a list can be.
    pub fn load(stored: Stored, file: &Mapped, end: usize) -> Option<Chunk> {
        let [
            lengths,
            form_terms,
            starts,
            docs,
            weights,
            positions,
            pairs,
            pair_docs,
        ] = stored.spans;
        let chunk = Chunk {
            lengths: file.list(lengths, end)?,
            forms: stored.forms,
            form_terms: file.list(form_terms, end)?,
            stems: stored.stems,
            starts: file.list(starts, end)?,
            docs: file.list(docs, end)?,
            weights: file.list(weights, end)?,
            positions: file.list(positions, end)?,
            pairs: file.list(pairs, end)?,
            pair_docs: file.list(pair_docs, end)?,
        };
        chunk.fits().then_some(chunk)
    }

    /// Whether every number of the chunk points within it, as a chunk
    /// built here does: a file that says otherwise is not read as one.
    fn fits(&self) -> bool {
        let (starts, pairs) = (&*self.starts, &*self.pairs);
        let (articles, terms) = (self.lengths.len(), starts.len().saturating_sub(1));
        let in_chunk = |docs: &[u16]| docs.iter().all(|&doc| usize::from(doc) < articles);
        let [last_doc, last_position] = starts.last().copied().unwrap_or([1, 1]);
        starts.first() == Some(&[0, 0])
            && starts
                .windows(2)
                .all(|w| w[0][0] <= w[1][0] && w[0][1] <= w[1][1])
            && (last_doc as usize, last_position as usize)
                == (self.docs.len(), self.positions.len())
            && self.weights.len() == self.docs.len()
            && self.stems.iter().count() == terms
            && self.forms.iter().count() == self.form_terms.len()
            && self.form_terms.iter().all(|&term| (term as usize) < terms)
            && pairs
                .iter()
                .all(|p| (p[0] as usize) < terms && (p[1] as usize) < terms)
            && pairs.windows(2).all(|w| w[0][2] <= w[1][2])
            && pairs.first().is_none_or(|p| p[2] == 0)
            && pairs
                .last()
                .is_none_or(|p| p[2] as usize <= self.pair_docs.len())
            && in_chunk(&self.docs)
            && in_chunk(&self.pair_docs)
    }

    /// Each folded word met, with its local term.
    pub fn forms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.forms.iter().zip(self.form_terms.iter().copied())
    }

    /// The number of local terms.
    pub fn terms(&self) -> usize {
        self.starts.len() - 1
    }

    /// The occurrences of local term `term`.
    pub fn term(&self, term: u32) -> Occurrences<'_> {
        let starts = &*self.starts;
        let ([d0, p0], [d1, p1]) = (starts[term as usize], starts[term as usize + 1]);
        let (docs, positions) = (d0 as usize..d1 as usize, p0 as usize..p1 as usize);
        Occurrences {
            docs: &self.docs[docs.clone()],
            weights: &self.weights[docs],
            positions: &self.positions[positions],
        }
    }

    /// The pairs kept, sorted: first term, second term, their articles.
    pub fn pairs(&self) -> impl Iterator<Item = (u32, u32, &[u16])> {
        // The lists taken once: a mapped one is checked each time it is.
        let (pairs, docs) = (&*self.pairs, &*self.pair_docs);
        pairs.iter().enumerate().map(|(i, &[a, b, start])| {
            let end = pairs.get(i + 1).map_or(docs.len(), |p| p[2] as usize);
            (a, b, &docs[start as usize..end])
        })
    }

    /// The articles of the pair `first` then `second`, when it was kept.
    pub fn pair(&self, first: u32, second: u32) -> Option<&[u16]> {
        let (pairs, docs) = (&*self.pairs, &*self.pair_docs);
        let at = pairs
            .binary_search_by(|&[x, y, _]| (x, y).cmp(&(first, second)))
            .ok()?;
        let end = pairs.get(at + 1).map_or(docs.len(), |p| p[2] as usize);
        Some(&docs[pairs[at][2] as usize..end])
    }
}

/// The fields of an article with the weight of their words.
fn fields<'r>(r: &'r Record<'_>, text: &'r str) -> impl Iterator<Item = (&'r str, u16)> {
    let names = |facets: &'r [Facet<'_>], weight| facets.iter().map(move |f| (f.name, weight));
    std::iter::once((r.title, TITLE_WEIGHT))
        .chain(names(&r.speakers, TITLE_WEIGHT))
        .chain(names(&r.topics, SUMMARY_WEIGHT))
        .chain([(r.summary, SUMMARY_WEIGHT), (text, BODY_WEIGHT)])
}

/// The pairs of at least `least` articles, each with where its articles
/// start, and those articles end to end, from the packed `pairs` of every
/// occurrence.
fn kept_pairs(mut pairs: Vec<u64>, least: usize) -> (Vec<[u32; 3]>, Vec<u16>) {
    pairs.sort_unstable();
    pairs.dedup();
    let mut kept = Vec::new();
    let mut docs = Vec::new();
    for run in pairs.chunk_by(|a, b| a >> 16 == b >> 16) {
        if run.len() >= least {
            kept.push([
                (run[0] >> 40) as u32,
                ((run[0] >> 16) & 0xff_ffff) as u32,
                docs.len() as u32,
            ]);
            docs.extend(run.iter().map(|&key| key as u16));
        }
    }
    (kept, docs)
}

/// A chunk being built: some of its articles indexed, to which the
/// articles after them can be joined (indexed on another thread) before it
/// is finished.
pub struct Part(Builder);

impl Part {
    /// Indexes `records` with their bodies' plain `texts`, numbered in the
    /// chunk from `first` (a chunk holds at most [`CHUNK_DOCS`] in all).
    pub fn index(records: &[Record<'_>], texts: &[String], first: usize) -> Part {
        let mut builder = Builder {
            lengths: Vec::with_capacity(records.len()),
            forms: FxHashMap::default(),
            stems_of: Vec::new(),
            terms: Vec::new(),
            pairs: Vec::new(),
            short: FxHashMap::default(),
            stem_ids: FxHashMap::default(),
            stems: Stems::new(),
            state: Vec::new(),
            touched: Vec::new(),
        };
        for (doc, (record, text)) in records.iter().zip(texts).enumerate() {
            builder.add((first + doc) as u16, record, text);
        }
        Part(builder)
    }

    /// This part followed by `next`, the part of the articles right after
    /// its own: the chunk one part of them all would make, its terms
    /// numbered in the order they are first met.
    pub fn join(mut self, next: Part) -> Part {
        let this = &mut self.0;
        let next = next.0;
        let mut renumbered = Vec::with_capacity(next.terms.len());
        for (stem, grown) in next.stems_of.into_iter().zip(next.terms) {
            let term = this.term_of_stem(stem);
            let occurrences = &mut this.terms[term as usize];
            occurrences.docs.extend_from_slice(&grown.docs);
            occurrences.weights.extend_from_slice(&grown.weights);
            occurrences.positions.extend_from_slice(&grown.positions);
            renumbered.push(term);
        }
        for (form, term) in next.forms {
            this.forms.entry(form).or_insert(renumbered[term as usize]);
        }
        for key in next.pairs {
            let local = |term: u64| renumbered[term as usize];
            this.pair(local(key >> 40), local((key >> 16) & 0xff_ffff), key as u16);
        }
        this.lengths.extend_from_slice(&next.lengths);
        self
    }

    /// The chunk of the articles indexed.
    pub fn finish(self) -> Chunk {
        let mut builder = self.0;
        let least = (builder.lengths.len() / PAIR_SHARE).max(2);
        // A pair is in no more articles than either of its terms.
        let terms = &builder.terms;
        let frequent = |term: u64| terms[term as usize].docs.len() >= least;
        let mut pairs = std::mem::take(&mut builder.pairs);
        pairs.retain(|&key| frequent(key >> 40) && frequent((key >> 16) & 0xff_ffff));
        let (pairs, pair_docs) = kept_pairs(pairs, least);
        let total = |of: fn(&Growing) -> usize| builder.terms.iter().map(of).sum();
        let mut starts = Vec::with_capacity(builder.terms.len() + 1);
        let mut docs = Vec::with_capacity(total(|t| t.docs.len()));
        let mut weights = Vec::with_capacity(docs.capacity());
        let mut positions = Vec::with_capacity(total(|t| t.positions.len()));
        for term in &builder.terms {
            starts.push([docs.len() as u32, positions.len() as u32]);
            docs.extend_from_slice(&term.docs);
            weights.extend_from_slice(&term.weights);
            positions.extend_from_slice(&term.positions);
        }
        starts.push([docs.len() as u32, positions.len() as u32]);
        Chunk {
            lengths: builder.lengths.into(),
            forms: builder.forms.keys().map(|form| &**form).collect(),
            form_terms: builder.forms.values().copied().collect::<Vec<_>>().into(),
            stems: builder.stems_of.iter().map(|stem| &**stem).collect(),
            starts: starts.into(),
            docs: docs.into(),
            weights: weights.into(),
            positions: positions.into(),
            pairs: pairs.into(),
            pair_docs: pair_docs.into(),
        }
    }
}

/// Per term, what the current article has added so far.
#[derive(Clone, Copy, Default)]
struct DocState {
    /// The article (plus one) this state belongs to; 0 before any.
    stamp: u32,
    /// Position of the previous occurrence.
    last: u32,
    /// Weight so far.
    weight: u32,
}

struct Builder {
    lengths: Vec<u32>,
    forms: FxHashMap<Box<str>, u32>,
    /// Local term number → term.
    stems_of: Vec<Box<str>>,
    terms: Vec<Growing>,
    /// Adjacent local terms and an article that has them, packed as
    /// `first << 40 | second << 16 | article`, once per occurrence.
    pairs: Vec<u64>,
    short: FxHashMap<u128, u32>,
    stem_ids: FxHashMap<Box<str>, u32>,
    stems: Stems,
    state: Vec<DocState>,
    touched: Vec<u32>,
}

impl Builder {
    fn add(&mut self, doc: u16, r: &Record<'_>, text: &str) {
        let stamp = u32::from(doc) + 1;
        let mut position = 0u32;
        let mut previous: Option<(u32, u32)> = None;
        for (field, weight) in fields(r, text) {
            for_each_word(field, |token| {
                let term = self.term(&token);
                if let Some(term) = term {
                    self.occur(term, stamp, u32::from(weight), position);
                    if let Some((before, _)) = previous.filter(|&(_, at)| at + 1 == position) {
                        self.pair(before, term, doc);
                    }
                }
                previous = term.map(|term| (term, position));
                position = position.saturating_add(1);
            });
            position = position.saturating_add(FIELD_GAP);
        }
        let mut length = 0;
        for term in self.touched.drain(..) {
            let occurrences = &mut self.terms[term as usize];
            let weight = self.state[term as usize].weight;
            occurrences.docs.push(doc);
            occurrences
                .weights
                .push(weight.min(u32::from(u16::MAX)) as u16);
            occurrences.positions.push(0);
            length += weight;
        }
        self.lengths.push(length);
    }

    /// Records that `doc` has `second` right after `first` (terms past
    /// 2²⁴ in a chunk, which no real chunk has, are left out).
    fn pair(&mut self, first: u32, second: u32, doc: u16) {
        if first < 1 << 24 && second < 1 << 24 {
            let key = (u64::from(first) << 40) | (u64::from(second) << 16) | u64::from(doc);
            self.pairs.push(key);
        }
    }

    /// The local term of a word, `None` when it is too long to index.
    fn term(&mut self, token: &Token<'_>) -> Option<u32> {
        if let Some(key) = token.short_key() {
            // Nearly all words: looked up by value, no string made.
            if let Some(&term) = self.short.get(&key) {
                return Some(term);
            }
            let term = self.intern(&token.folded()?);
            self.short.insert(key, term);
            return Some(term);
        }
        let word = token.folded()?;
        Some(match self.forms.get(word.as_str()) {
            Some(&term) => term,
            None => self.intern(&word),
        })
    }

    /// Stems a word not met before in this chunk and records it.
    fn intern(&mut self, word: &str) -> u32 {
        let term = self.term_of_stem(self.stems.stem(word).into());
        self.forms.insert(word.into(), term);
        term
    }

    /// The local term of `stem`, a new one when it was not met before.
    fn term_of_stem(&mut self, stem: Box<str>) -> u32 {
        let next = self.stems_of.len() as u32;
        match self.stem_ids.entry(stem) {
            Entry::Occupied(known) => *known.get(),
            Entry::Vacant(new) => {
                self.stems_of.push(new.key().clone());
                new.insert(next);
                self.terms.push(Growing::default());
                self.state.push(DocState::default());
                next
            }
        }
    }

    fn occur(&mut self, term: u32, stamp: u32, weight: u32, position: u32) {
        let state = &mut self.state[term as usize];
        let positions = &mut self.terms[term as usize].positions;
        if state.stamp == stamp {
            state.weight += weight;
            push(positions, u64::from(position - state.last));
        } else {
            *state = DocState {
                stamp,
                last: 0,
                weight,
            };
            self.touched.push(term);
            push(positions, u64::from(position) + 1);
        }
        state.last = position;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(title: &str) -> Record<'_> {
        dated(title, "2020-01-01")
    }

    fn dated<'a>(title: &'a str, date: &'a str) -> Record<'a> {
        Record {
            path: "2020/01/a/",
            title,
            date,
            year: date[..4].parse().unwrap_or_default(),
            speakers: vec![Facet {
                slug: "jose-nunez",
                name: "José Núñez",
            }],
            topics: vec![],
            summary: "",
            body: "",
        }
    }

    #[test]
    fn weighs_title_words_and_records_positions() {
        let texts = ["more talks".to_owned(), "talk".to_owned()];
        let chunk = Chunk::build(&[record("Cyber talks"), record("x")], &texts);
        let form = |word: &str| {
            chunk
                .forms()
                .find(|&(form, _)| form == word)
                .map(|(_, t)| t)
        };
        let talk = chunk.term(form("talks").unwrap_or(u32::MAX));
        assert_eq!(form("talk"), form("talks"));
        assert_eq!(talk.docs, [0, 1]);
        assert_eq!(talk.weights, [TITLE_WEIGHT + BODY_WEIGHT, BODY_WEIGHT]);
        // Article 0: "talks" at 1 in the title, at 29 in the body (after the
        // title, one name and the empty summary, each followed by a gap).
        // Article 1: "talk" at 27.
        let expected = [2, 28, 0, 28, 0];
        assert_eq!(talk.positions, expected);
        assert!(form("nunez").is_some());
        assert_eq!(chunk.lengths[0], 4 * 2 + 4 * 2 + 2);
    }

    #[test]
    fn a_chunk_pointing_outside_itself_is_refused() {
        let texts = ["talks on the harbour".to_string(), "rail talks".to_string()];
        let mut chunk = Chunk::build(&[record("Harbour talks"), record("Rail")], &texts);
        assert!(chunk.fits());
        // An article number past the chunk's two articles.
        let mut docs = chunk.docs.to_vec();
        docs[0] = 2;
        chunk.docs = docs.into();
        assert!(!chunk.fits());
    }

    #[test]
    fn halves_joined_make_the_chunk_of_the_whole() {
        let titles = [
            "Talks on the harbour",
            "New talks",
            "Harbour rail",
            "Rail talks",
        ];
        let records: Vec<Record<'_>> = titles.iter().map(|t| record(t)).collect();
        let texts: Vec<String> = [
            "the harbour talks",
            "a rail deal",
            "talks, talks",
            "harbour deal",
        ]
        .map(String::from)
        .into();
        let whole = Chunk::build(&records, &texts);
        let joined = Part::index(&records[..1], &texts[..1], 0)
            .join(Part::index(&records[1..], &texts[1..], 1))
            .finish();
        assert_eq!(joined.stems, whole.stems);
        let forms = |c: &Chunk| {
            c.forms()
                .map(|(f, t)| (f.to_owned(), t))
                .collect::<FxHashMap<_, _>>()
        };
        assert_eq!(forms(&joined), forms(&whole));
        assert_eq!(joined.lengths[..], whole.lengths[..]);
        for term in 0..whole.terms() as u32 {
            let (a, b) = (joined.term(term), whole.term(term));
            assert_eq!(
                (a.docs, a.weights, a.positions),
                (b.docs, b.weights, b.positions)
            );
        }
        let pairs = |c: &Chunk| {
            c.pairs()
                .map(|(a, b, d)| (a, b, d.to_vec()))
                .collect::<Vec<_>>()
        };
        assert!(!pairs(&whole).is_empty());
        assert_eq!(pairs(&joined), pairs(&whole));
    }
}
