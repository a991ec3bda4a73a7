//! The vocabulary of the whole archive, merged from the chunks: folded words
//! in byte order, and term ids numbered in the order their first word comes,
//! so neighbouring words have neighbouring terms.

use super::chunk::Chunk;
use rustc_hash::FxHashMap;

/// Every folded word and term of the archive.
pub struct Vocabulary<'c> {
    /// Folded words in byte order, each with its term id.
    pub forms: Vec<(&'c str, u32)>,
    /// Number of terms.
    pub terms: usize,
    /// Per chunk, `(term id, local term)` sorted by term id.
    pub locals: Vec<Vec<(u32, u32)>>,
}

impl<'c> Vocabulary<'c> {
    /// Merges the chunks' words and terms.
    pub fn merge(chunks: &[&'c Chunk]) -> Self {
        let mut stem_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let provisional: Vec<Vec<u32>> = chunks
            .iter()
            .map(|chunk| {
                chunk
                    .stems
                    .iter()
                    .map(|stem| {
                        let next = stem_ids.len() as u32;
                        *stem_ids.entry(stem).or_insert(next)
                    })
                    .collect()
            })
            .collect();
        let mut forms: FxHashMap<&str, u32> = FxHashMap::default();
        for (chunk, ids) in chunks.iter().zip(&provisional) {
            for (form, local) in chunk.forms() {
                if let Some(&id) = ids.get(local as usize) {
                    forms.entry(form).or_insert(id);
                }
            }
        }
        let mut forms: Vec<(&str, u32)> = forms.into_iter().collect();
        forms.sort_unstable();

        // Final ids in the order of each term's first word.
        let mut renumber = vec![u32::MAX; stem_ids.len()];
        let mut next = 0;
        for (_, id) in &mut forms {
            let slot = &mut renumber[*id as usize];
            if *slot == u32::MAX {
                *slot = next;
                next += 1;
            }
            *id = *slot;
        }
        let locals = provisional
            .iter()
            .map(|ids| {
                let mut pairs: Vec<(u32, u32)> = ids
                    .iter()
                    .enumerate()
                    .map(|(local, &id)| (renumber[id as usize], local as u32))
                    .collect();
                pairs.sort_unstable();
                pairs
            })
            .collect();
        Vocabulary {
            forms,
            terms: next as usize,
            locals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Facet, Record};

    fn record() -> Record<'static> {
        Record {
            path: "2020/01/a/",
            title: "",
            date: "2020-01-01",
            year: 2020,
            speakers: Vec::<Facet<'_>>::new(),
            topics: vec![],
            summary: "",
            body: "",
        }
    }

    #[test]
    fn numbers_terms_in_word_order_across_chunks() {
        let chunks = [
            Chunk::build(&[record()], &["zebra talks".to_owned()]),
            Chunk::build(&[record()], &["talk apple".to_owned()]),
        ];
        let vocab = Vocabulary::merge(&[&chunks[0], &chunks[1]]);
        assert_eq!(
            vocab.forms,
            [("apple", 0), ("talk", 1), ("talks", 1), ("zebra", 2)]
        );
        assert_eq!(vocab.terms, 3);
        // Chunk 0 met "zebra" (local 0) then "talks" (local 1).
        assert_eq!(vocab.locals[0], [(1, 1), (2, 0)]);
    }
}
