//! A common term's precomputed answers, kept from one index to the next:
//! its summary, its next pages and its summaries per filter are made again
//! only when something they are made of changed; and so a phrase's summary.
//!
//! An answer is named by a hash of all it is made of: the term's postings
//! (articles and impacts) and, of each of those articles, its result row,
//! people, topics and year; of the rest of the archive, only what every
//! answer shares (the people's and topics' tables, the filters, the number
//! of articles and the newest year). So an answer taken by its name is the
//! answer a full index would make.

use std::fs;
use std::hash::{Hash, Hasher as _};
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_64;

use super::facets::Table;
use super::filters::Filters;
use super::postings::Postings;
use super::summary::Sketch;

/// Changes whenever answers change meaning, so that no answer of an older
/// layout is taken for one of this.
const FORMAT: u64 = 3;

/// What a common term adds to the bundle (a phrase, its summary alone).
#[derive(Default, Serialize, Deserialize)]
pub struct Answer {
    /// Its summary, in its words entry.
    pub summary: Sketch,
    /// The articles of its next pages, when it has them.
    pub more: Option<Vec<u32>>,
    /// Per filter (by index), its count and summary there, for the filters
    /// it has articles in.
    pub by: Vec<(usize, usize, Sketch)>,
}

/// The answers of an index, by name.
///
/// Their file is a run of postcard `(name, answer)` records: a build that
/// made a few answers appends them, and the file is written anew when it
/// would hold more than twice the answers in use.
#[derive(Default)]
pub struct Answers {
    held: FxHashMap<u64, Arc<Answer>>,
    /// The names of those made rather than taken from the last index.
    made: Vec<u64>,
    /// How many records the file they were read from holds, when they were
    /// read from a file that could be read to its end.
    filed: Option<usize>,
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
        let mut next = Answers {
            filed: self.filed,
            ..Answers::default()
        };
        for (name, answer, made) in answers {
            if next.held.insert(name, answer.clone()).is_none() && made {
                next.made.push(name);
            }
        }
        next
    }

    /// The answers in `file` (none when it cannot be read; those before
    /// a damaged record when it is damaged).
    pub fn read(file: &Path) -> Answers {
        let Ok(bytes) = fs::read(file) else {
            return Answers::default();
        };
        let mut answers = Answers::default();
        let mut rest = &bytes[..];
        let mut records = 0;
        while let Ok(((name, answer), tail)) = postcard::take_from_bytes::<(u64, Answer)>(rest) {
            answers.held.insert(name, Arc::new(answer));
            records += 1;
            rest = tail;
        }
        answers.filed = rest.is_empty().then_some(records);
        answers
    }

    /// Writes the answers into `file`, the one they were read from: appends
    /// those made, or writes them all anew when the file would hold more
    /// than twice as many records as answers in use.
    pub fn write(&self, file: &Path) -> Result<(), String> {
        let made = self
            .made
            .iter()
            .filter_map(|name| Some((*name, self.held.get(name)?)));
        match self.filed {
            Some(filed) if filed + self.made.len() <= 2 * self.held.len() && file.exists() => {
                if self.made.is_empty() {
                    return Ok(());
                }
                let bytes = records(made)?;
                let mut appended = fs::OpenOptions::new()
                    .append(true)
                    .open(file)
                    .map_err(|e| e.to_string())?;
                appended.write_all(&bytes).map_err(|e| e.to_string())
            }
            _ => {
                let bytes = records(self.held.iter().map(|(&name, answer)| (name, answer)))?;
                crate::cache::replace(file, &bytes)
            }
        }
    }
}

/// The records of these answers, one after the other.
fn records<'a>(answers: impl Iterator<Item = (u64, &'a Arc<Answer>)>) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    for (name, answer) in answers {
        bytes = postcard::to_extend(&(name, &**answer), bytes).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
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

    /// The name of the summary of a phrase in the articles `docs`, whose
    /// terms' answers are named `terms`: those names cover all the summary
    /// shows of its articles, and the terms' impacts there.
    pub fn phrase(&self, terms: (u64, u64), docs: &[u32]) -> u64 {
        let mut bytes = Vec::with_capacity(docs.len() * 4 + 17);
        // Unlike a term's name, it begins with a tag.
        bytes.push(b'P');
        bytes.extend_from_slice(&terms.0.to_le_bytes());
        bytes.extend_from_slice(&terms.1.to_le_bytes());
        for doc in docs {
            bytes.extend_from_slice(&doc.to_le_bytes());
        }
        XxHash3_64::oneshot_with_seed(self.shared, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(name: u64) -> Answer {
        Answer {
            more: Some(vec![name as u32]),
            ..Answer::default()
        }
    }

    /// The answers of an index that wants `names`, taken from `last` or
    /// made with the name as their next pages.
    fn index(last: &Answers, names: &[u64]) -> Answers {
        let made: Vec<(u64, Arc<Answer>, bool)> = names
            .iter()
            .map(|&name| {
                let (answer, made) = last.take_or_make(name, || answer(name));
                (name, answer, made)
            })
            .collect();
        last.next(
            made.iter()
                .map(|(name, answer, made)| (*name, answer, *made)),
        )
    }

    fn summaries(answers: &Answers) -> Vec<(u64, Option<Vec<u32>>)> {
        let mut list: Vec<_> = answers
            .held
            .iter()
            .map(|(&name, answer)| (name, answer.more.clone()))
            .collect();
        list.sort();
        list
    }

    #[test]
    fn made_answers_are_appended_and_the_file_written_anew_when_mostly_unused() {
        let dir = std::env::temp_dir().join(format!("gazette-answers-{}", std::process::id()));
        let _ = fs::create_dir_all(&dir);
        let file = dir.join("answers.bin");
        let first = index(&Answers::default(), &[1, 2, 3]);
        assert!(first.write(&file).is_ok());
        let read = Answers::read(&file);
        assert_eq!(summaries(&read), summaries(&first));
        // One answer changes: it is appended, the file keeps the old one.
        let second = index(&read, &[1, 2, 4]);
        assert_eq!(second.made, [4]);
        let before = fs::metadata(&file).map(|m| m.len()).unwrap_or_default();
        assert!(second.write(&file).is_ok());
        let read = Answers::read(&file);
        assert_eq!(read.filed, Some(4));
        assert_eq!(read.held.len(), 4);
        assert!(fs::metadata(&file).is_ok_and(|m| m.len() > before));
        // Most of the file unused: written anew with the answers in use.
        let third = index(&read, &[5]);
        assert!(third.write(&file).is_ok());
        assert_eq!(summaries(&Answers::read(&file)), [(5, Some(vec![5]))]);
        // A damaged record: the ones before it are read, and the next
        // write starts the file anew.
        let mut bytes = fs::read(&file).unwrap_or_default();
        bytes.extend_from_slice(&[0xff; 3]);
        assert!(fs::write(&file, &bytes).is_ok());
        let read = Answers::read(&file);
        assert_eq!((read.held.len(), read.filed), (1, None));
        let _ = fs::remove_dir_all(&dir);
    }
}
