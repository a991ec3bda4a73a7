//! One term's postings: gathered from the chunks in article order, scored
//! with BM25 into one-byte impacts, and encoded for the browser.
//!
//! Encoding (LEB128 integers): the number of articles `df`, then either `0`
//! and the article numbers as gaps (the first one as is), or `1`, the first
//! article, a byte count and a bitmap of the articles from the first on
//! (whichever is shorter); then `df` impact bytes in article order.

use super::chunk::Chunk;
use super::varint::push;

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;

/// Turns weighted frequencies into impacts: the BM25 term-frequency factor,
/// scaled to 1..=255. The browser multiplies it by the term's IDF.
pub struct Bm25 {
    average: f64,
}

impl Bm25 {
    /// Scoring for articles of these (weighted) lengths. Their average is
    /// rounded to a whole length: an edit that makes one article a few
    /// words longer then leaves every other article's impacts as they were,
    /// and with them the answers kept for the terms it does not have.
    pub fn new(lengths: &[u32]) -> Self {
        let total: f64 = lengths.iter().map(|&l| f64::from(l)).sum();
        Bm25 {
            average: (total / lengths.len().max(1) as f64).round().max(1.0),
        }
    }

    /// The impact of a term of weighted frequency `weight` in an article of
    /// weighted length `length`.
    pub fn impact(&self, weight: u16, length: u32) -> u8 {
        let w = f64::from(weight);
        let norm = K1 * (1.0 - B + B * f64::from(length) / self.average);
        (255.0 * w / (w + norm)).round().clamp(1.0, 255.0) as u8
    }
}

/// A term's articles with their impacts, in article order.
pub struct Postings {
    /// Article numbers, ascending.
    pub docs: Vec<u32>,
    /// Impact per article.
    pub impacts: Vec<u8>,
}

/// Where a term lives in each chunk: `locals[chunk]` as built by the vocabulary.
pub struct Sources<'c> {
    /// The chunks, in article order.
    pub chunks: &'c [&'c Chunk],
    /// The number of each chunk's first article.
    pub starts: &'c [u32],
    /// Per chunk, `(term id, local term)` sorted by term id.
    pub locals: &'c [Vec<(u32, u32)>],
}

impl<'c> Sources<'c> {
    /// The term's occurrences in each chunk that has it, with the chunk's number.
    pub fn of(
        &self,
        term: u32,
    ) -> impl Iterator<Item = (usize, super::chunk::Occurrences<'c>)> + '_ {
        self.chunks
            .iter()
            .zip(self.locals)
            .enumerate()
            .filter_map(move |(n, (chunk, locals))| {
                let at = locals.binary_search_by_key(&term, |&(id, _)| id).ok()?;
                Some((n, chunk.term(locals[at].1)))
            })
    }

    /// The number of articles with the term.
    pub fn df(&self, term: u32) -> usize {
        self.of(term).map(|(_, occ)| occ.docs.len()).sum()
    }

    /// Gathers a term's postings; `lengths` are per article.
    pub fn postings(&self, term: u32, lengths: &[u32], bm25: &Bm25) -> Postings {
        let mut docs = Vec::new();
        let mut impacts = Vec::new();
        for (n, occ) in self.of(term) {
            let first = self.starts[n];
            for (&d, &w) in occ.docs.iter().zip(occ.weights) {
                let doc = first + u32::from(d);
                docs.push(doc);
                impacts.push(bm25.impact(w, lengths[doc as usize]));
            }
        }
        Postings { docs, impacts }
    }

    /// Bytes of the term's encoded positions.
    pub fn positions_len(&self, term: u32) -> usize {
        self.of(term).map(|(_, occ)| occ.positions.len()).sum()
    }

    /// Appends the term's positions, article after article.
    pub fn append_positions(&self, term: u32, out: &mut Vec<u8>) {
        for (_, occ) in self.of(term) {
            out.extend_from_slice(occ.positions);
        }
    }
}

impl Postings {
    /// The encoded postings (see the module documentation).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.docs.len() * 2 + 8);
        push(&mut out, self.docs.len() as u64);
        let (Some(&first), Some(&last)) = (self.docs.first(), self.docs.last()) else {
            return out;
        };
        let mut gaps = Vec::with_capacity(self.docs.len() + 4);
        let mut previous = 0;
        for &doc in &self.docs {
            push(&mut gaps, u64::from(doc - previous));
            previous = doc;
        }
        let bitmap_len = ((last - first) / 8 + 1) as usize;
        if bitmap_len + 8 < gaps.len() {
            push(&mut out, 1);
            push(&mut out, u64::from(first));
            push(&mut out, bitmap_len as u64);
            let start = out.len();
            out.resize(start + bitmap_len, 0);
            for &doc in &self.docs {
                let bit = (doc - first) as usize;
                out[start + bit / 8] |= 1 << (bit % 8);
            }
        } else {
            push(&mut out, 0);
            out.extend_from_slice(&gaps);
        }
        out.extend_from_slice(&self.impacts);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_terms_take_gaps_and_common_ones_a_bitmap() {
        let sparse = Postings {
            docs: vec![3, 300],
            impacts: vec![9, 8],
        };
        assert_eq!(sparse.encode(), [2, 0, 3, 0xa9, 0x02, 9, 8]);
        let dense = Postings {
            docs: (10..30).collect(),
            impacts: vec![1; 20],
        };
        let bytes = dense.encode();
        assert_eq!(&bytes[..6], [20, 1, 10, 3, 0xff, 0xff]);
        assert_eq!(bytes[6], 0x0f);
        assert_eq!(bytes.len(), 7 + 20);
    }

    #[test]
    fn impacts_saturate_and_favour_short_articles() {
        let bm25 = Bm25::new(&[100, 100]);
        assert!(bm25.impact(1, 50) > bm25.impact(1, 200));
        assert!(bm25.impact(8, 100) > bm25.impact(1, 100));
        assert_eq!(bm25.impact(u16::MAX, 100), 255);
        assert!(bm25.impact(1, 100_000) >= 1);
    }

    #[test]
    fn an_article_a_word_longer_leaves_the_others_impacts_as_they_were() {
        let before = Bm25::new(&[100, 200, 600]);
        let after = Bm25::new(&[100, 200, 601]);
        for weight in 1..=40 {
            for length in [50, 100, 200, 300, 450] {
                assert_eq!(
                    before.impact(weight, length),
                    after.impact(weight, length),
                    "weight {weight}, length {length}"
                );
            }
        }
    }
}
