//! Dictionary shards, `words-NNN.bin`: runs of folded words in byte order,
//! each with its term, and per term where its postings and positions are
//! (small postings inline) and its summary.
//!
//! Format (LEB128 integers, strings length-prefixed UTF-8): the number of
//! terms, and per term its id (the common terms' first: see
//! `bundle::public_ids`), `df`, postings file (0: inline, n: `post-(n-1)`),
//! offset and length, positions file, offset and length, summary (empty
//! when none), and the number of phrases it begins that have summaries and
//! their second terms' ids (see [`super::phrases`]); then the number of
//! words, and per word the bytes it shares with
//! the previous word, the rest of it, and its term's index in this shard; then
//! the inline postings.

use super::varint::{push, push_str};
use rustc_hash::FxHashMap;

/// Where some bytes live: file number, offset, length.
#[derive(Clone, Copy, Default)]
pub struct Place {
    /// File number (for postings, 0 means inline in the words shard).
    pub file: u32,
    /// Offset in the file.
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
}

/// A term as the words shards describe it.
pub struct Entry {
    /// Articles with the term.
    pub df: u32,
    /// Encoded postings, when small enough to be inline.
    pub inline: Option<Vec<u8>>,
    /// Where the postings are, when not inline.
    pub postings: Place,
    /// Where the positions are.
    pub positions: Place,
    /// Summary JSON of a common term.
    pub summary: Option<String>,
    /// The second terms of the phrases it begins that have summaries.
    pub phrases: Vec<u32>,
}

impl Entry {
    /// Approximate bytes this entry adds to a shard.
    fn size(&self) -> usize {
        16 + self.inline.as_ref().map_or(0, Vec::len)
            + self.summary.as_ref().map_or(0, String::len)
            + 2 * self.phrases.len()
    }
}

/// One words shard.
pub struct Shard {
    /// Its first word.
    pub first: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The terms of its words, in the order the shard lists them.
    pub terms: Vec<u32>,
}

/// Splits the words (in byte order, with term ids) into shards of about
/// `target` bytes, each term listed with its entry and public id.
pub fn shards(
    forms: &[(&str, u32)],
    (entries, ids): (&[Entry], &[u32]),
    target: usize,
) -> Vec<Shard> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < forms.len() {
        let mut seen: FxHashMap<u32, ()> = FxHashMap::default();
        let mut size = 0;
        let mut end = start;
        while end < forms.len() && (end == start || size < target) {
            let (form, term) = forms[end];
            size += form.len() + 3;
            if seen.insert(term, ()).is_none() {
                size += entries[term as usize].size();
            }
            end += 1;
        }
        let (bytes, terms) = shard(&forms[start..end], (entries, ids));
        out.push(Shard {
            first: forms[start].0.to_owned(),
            bytes,
            terms,
        });
        start = end;
    }
    out
}

/// The bytes of one shard and its terms.
fn shard(forms: &[(&str, u32)], (entries, ids): (&[Entry], &[u32])) -> (Vec<u8>, Vec<u32>) {
    let mut local: FxHashMap<u32, u32> = FxHashMap::default();
    let mut terms = Vec::new();
    for &(_, term) in forms {
        local.entry(term).or_insert_with(|| {
            terms.push(term);
            terms.len() as u32 - 1
        });
    }
    let mut out = Vec::new();
    let mut blob = Vec::new();
    push(&mut out, terms.len() as u64);
    for &term in &terms {
        let entry = &entries[term as usize];
        push(&mut out, u64::from(ids[term as usize]));
        push(&mut out, u64::from(entry.df));
        let postings = match &entry.inline {
            Some(bytes) => {
                let place = Place {
                    file: 0,
                    offset: blob.len() as u32,
                    len: bytes.len() as u32,
                };
                blob.extend_from_slice(bytes);
                place
            }
            None => entry.postings,
        };
        for place in [postings, entry.positions] {
            push(&mut out, u64::from(place.file));
            push(&mut out, u64::from(place.offset));
            push(&mut out, u64::from(place.len));
        }
        push_str(&mut out, entry.summary.as_deref().unwrap_or(""));
        push(&mut out, entry.phrases.len() as u64);
        for &second in &entry.phrases {
            push(&mut out, u64::from(second));
        }
    }
    push(&mut out, forms.len() as u64);
    let mut previous = "";
    for &(form, term) in forms {
        let mut shared = form
            .bytes()
            .zip(previous.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !form.is_char_boundary(shared) {
            shared -= 1;
        }
        push(&mut out, shared as u64);
        push_str(&mut out, &form[shared..]);
        push(&mut out, u64::from(local[&term]));
        previous = form;
    }
    out.extend_from_slice(&blob);
    (out, terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(df: u32, summary: Option<&str>) -> Entry {
        Entry {
            df,
            inline: Some(vec![7, 7]),
            postings: Place::default(),
            positions: Place {
                file: 2,
                offset: 5,
                len: 3,
            },
            summary: summary.map(str::to_owned),
            phrases: Vec::new(),
        }
    }

    #[test]
    fn front_codes_words_and_shares_terms_within_a_shard() {
        let forms = [("talk", 0), ("talks", 0), ("zoë", 1), ("zoo", 2)];
        let entries = [entry(2, None), entry(1, Some("{}")), entry(1, None)];
        let ids = [0, 1, 2];
        let all = shards(&forms, (&entries, &ids), 1);
        assert_eq!(
            all.iter().map(|s| s.first.as_str()).collect::<Vec<_>>(),
            ["talk", "talks", "zoë", "zoo"]
        );
        let big = shards(&forms, (&entries, &ids), 10_000);
        let bytes = &big[0].bytes;
        assert_eq!(big[0].terms, [0, 1, 2]);
        // Three terms; the first: id 0, df 2, inline at 0 (2 bytes), positions 2/5/3, no summary, no phrase.
        assert_eq!(&bytes[..11], [3, 0, 2, 0, 0, 2, 2, 5, 3, 0, 0]);
        // "zoo" after "zoë" shares "zo" only, not half of "ë".
        let tail = [2, 1, b'o', 2, 7, 7, 7, 7, 7, 7];
        assert_eq!(&bytes[bytes.len() - tail.len()..], tail);
    }
}
