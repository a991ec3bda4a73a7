//! A common term's precomputed answers, kept from one index to the next:
//! its summary, its next pages and its summaries per filter are made again
//! only when something they are made of changed.
//!
//! An answer is named by a hash of all it is made of: the term's postings
//! (articles and impacts) and, of each of those articles, its result row,
//! people, topics and year; of the rest of the archive, only what every
//! answer shares (the people's and topics' tables, the filters, the number
//! of articles and the newest year). So an answer taken by its name is the
//! answer a full index would make.

use std::fs;
use std::hash::{Hash, Hasher as _};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_64;

use super::facets::Table;
use super::filters::Filters;
use super::postings::Postings;

/// Changes whenever answers change meaning, so that no answer of an older
/// layout is taken for one of this.
const FORMAT: u64 = 1;

/// What a common term adds to the bundle.
#[derive(Default, Serialize, Deserialize)]
pub struct Answer {
    /// Its summary, in its words entry.
    pub summary: String,
    /// The rows of its next pages, when it has them.
    pub more: Option<String>,
    /// Per filter (by index), its count and summary there as the JSON
    /// `[count, summary]`, for the filters it has articles in.
    pub by: Vec<(usize, String)>,
}

/// The answers of an index, by name.
#[derive(Default)]
pub struct Answers {
    held: FxHashMap<u64, Arc<Answer>>,
    /// Whether any was made rather than taken from the last index.
    made: bool,
}

impl Answers {
    /// The answer named `name`: the last index's when it has it (`false`),
    /// else made by `make` (`true`).
    pub fn take_or_make(&self, name: u64, make: impl FnOnce() -> Answer) -> (Arc<Answer>, bool) {
        match self.held.get(&name) {
            Some(kept) => (kept.clone(), false),
            None => (Arc::new(make()), true),
        }
    }

    /// The answers of the next index: these, named, each with whether it
    /// was made, where the last index held `self`.
    pub fn next<'a>(&self, answers: impl Iterator<Item = (u64, &'a Arc<Answer>, bool)>) -> Answers {
        let mut next = Answers::default();
        for (name, answer, made) in answers {
            next.made |= made;
            next.held.insert(name, answer.clone());
        }
        // Answers of the last index no longer wanted are a change too.
        next.made |= next.held.len() != self.held.len();
        next
    }

    /// The answers in `file` (none when it cannot be read).
    pub fn read(file: &Path) -> Answers {
        let held = fs::read(file)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Vec<(u64, Answer)>>(&bytes).ok())
            .unwrap_or_default();
        Answers {
            held: held
                .into_iter()
                .map(|(name, answer)| (name, Arc::new(answer)))
                .collect(),
            made: false,
        }
    }

    /// Writes the answers into `file`, unless they are the ones read from it.
    pub fn write(&self, file: &Path) -> Result<(), String> {
        if !self.made && file.exists() {
            return Ok(());
        }
        let list: Vec<(u64, &Answer)> = self.held.iter().map(|(&n, a)| (n, &**a)).collect();
        let bytes = postcard::to_stdvec(&list).map_err(|e| e.to_string())?;
        let temporary = file.with_extension("new");
        fs::write(&temporary, bytes).map_err(|e| e.to_string())?;
        fs::rename(&temporary, file).map_err(|e| e.to_string())
    }
}

/// What names answers: a hash of what all of them share, and one per
/// article of what its answers show of it.
pub struct Signer {
    shared: u64,
    articles: Vec<u64>,
}

impl Signer {
    /// The signer of the articles with these rows, people, topics, years
    /// and filters.
    pub fn new(
        rows: &[&str],
        (people, topics): (&Table<'_>, &Table<'_>),
        years: &[i32],
        filters: &Filters,
    ) -> Signer {
        let mut hasher = XxHash3_64::with_seed(FORMAT);
        hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
        people.entries.hash(&mut hasher);
        topics.entries.hash(&mut hasher);
        filters.list.hash(&mut hasher);
        years.len().hash(&mut hasher);
        years.iter().max().hash(&mut hasher);
        let articles = (0..rows.len())
            .into_par_iter()
            .map(|doc| {
                let mut hasher = XxHash3_64::default();
                rows[doc].hash(&mut hasher);
                people.of(doc).hash(&mut hasher);
                topics.of(doc).hash(&mut hasher);
                years[doc].hash(&mut hasher);
                hasher.finish()
            })
            .collect();
        Signer {
            shared: hasher.finish(),
            articles,
        }
    }

    /// The name of the answer of a term with these postings, with next
    /// pages when `more`.
    pub fn name(&self, postings: &Postings, more: bool) -> u64 {
        let mut bytes = Vec::with_capacity(postings.docs.len() * 13 + 1);
        for (&doc, &impact) in postings.docs.iter().zip(&postings.impacts) {
            bytes.extend_from_slice(&doc.to_le_bytes());
            bytes.push(impact);
            bytes.extend_from_slice(&self.articles[doc as usize].to_le_bytes());
        }
        bytes.push(u8::from(more));
        XxHash3_64::oneshot_with_seed(self.shared, &bytes)
    }
}
