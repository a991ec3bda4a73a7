//! Runs of articles indexed together, kept from one index to the next: a
//! run whose articles did not change is not read or indexed again.
//!
//! The runs are cut from the dates alone (see [`cut`]), so an
//! article added, edited or deleted changes the run of its month and leaves
//! the others as they were. A run is named by a hash of what indexing reads
//! of its articles (the body by its hash), so a kept run is the run a full
//! index would make, and a build's cache holds it in a file of that name.

use std::collections::hash_map::Entry;
use std::fs;
use std::hash::Hasher as _;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use twox_hash::XxHash3_64;

use super::answers::Answers;
use super::chunk::{CHUNK_DOCS, Chunk, Part, Stored};
use super::list::{Mapped, Writer};
use super::{Facet, Record, rows};
use crate::{cache, markdown};

/// Changes whenever what a run holds changes meaning, so that no run of an
/// older layout is taken for one of this.
const FORMAT: u64 = 5;
/// The extension of a run's file in a cache folder.
const EXTENSION: &str = "run";
/// The file of the common terms' answers in a cache folder.
const ANSWERS: &str = "answers.bin";

/// One run of consecutive articles, indexed: its chunk and its result rows.
pub struct Run {
    /// The run's words and terms.
    pub chunk: Chunk,
    /// The run's result rows, in article order.
    pub rows: Vec<String>,
}

impl Run {
    /// Indexes `records`, whose bodies are given; in two halves at once
    /// when `halves` (for a run indexed while other cores are idle).
    fn build(records: &[Record<'_>], halves: bool) -> Run {
        let part = |records: &[Record<'_>], first: usize| {
            let texts: Vec<String> = records
                .iter()
                .map(|r| markdown::plain_text(r.body))
                .collect();
            let rows: Vec<String> = records
                .iter()
                .zip(&texts)
                .map(|(record, text)| rows::row(record, text))
                .collect();
            (Part::index(records, &texts, first), rows)
        };
        let (part, rows) = match records.len() / 2 {
            half if halves && half > 0 => {
                let ((first, mut rows), (second, more)) = rayon::join(
                    || part(&records[..half], 0),
                    || part(&records[half..], half),
                );
                rows.extend(more);
                (first.join(second), rows)
            }
            _ => part(records, 0),
        };
        Run {
            chunk: part.finish(),
            rows,
        }
    }

    /// The bytes of the run's file: the chunk's lists, then what names
    /// them and the rows, then where those start, then the hash of all
    /// before it.
    fn file(&self) -> Result<Vec<u8>, String> {
        let mut lists = Writer::default();
        let stored = self.chunk.store(&mut lists);
        let mut bytes = lists.into_bytes();
        let end = bytes.len() as u64;
        bytes = postcard::to_extend(&(&self.rows, stored), bytes).map_err(|e| e.to_string())?;
        bytes.extend_from_slice(&end.to_le_bytes());
        cache::seal(&mut bytes);
        Ok(bytes)
    }

    /// The run in the file at `path`, when it is the bytes its hash says.
    fn read(path: &Path) -> Option<Run> {
        let file = Mapped::open(path)?;
        Run::decode(&file, cache::checked(file.bytes())?)
    }

    /// The run `bytes` (those of `file` before its hash) hold, when they
    /// can be read as one.
    fn decode(file: &Mapped, bytes: &[u8]) -> Option<Run> {
        let (rest, end) = bytes.split_last_chunk::<8>()?;
        let end = usize::try_from(u64::from_le_bytes(*end)).ok()?;
        let (rows, stored): (Vec<String>, Stored) = postcard::from_bytes(rest.get(end..)?).ok()?;
        Some(Run {
            chunk: Chunk::load(stored, file, end)?,
            rows,
        })
    }
}

/// The runs of the last index, by name, and its common terms' answers.
#[derive(Default)]
pub struct Indexed {
    runs: FxHashMap<u64, Arc<Run>>,
    /// The answers, which the bundle takes from the last index.
    pub(super) answers: Answers,
}

/// The runs of some records: where each one is, and its name when the
/// records have keys.
pub struct Plan {
    runs: Vec<(Range<usize>, Option<u64>)>,
}

impl Plan {
    /// The runs of `records`; `keys` names each record by what indexing
    /// reads of it (its body by its hash).
    pub fn new(records: &[Record<'_>], keys: Option<&[u64]>) -> Plan {
        let runs = cut(records)
            .into_iter()
            .map(|range| {
                let name = keys.map(|keys| {
                    let mut hasher = XxHash3_64::with_seed(FORMAT);
                    hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
                    // A run's file holds native numbers (see [`super::list`]).
                    hasher.write_u8(u8::from(cfg!(target_endian = "little")));
                    for &key in &keys[range.clone()] {
                        hasher.write_u64(key);
                    }
                    hasher.finish()
                });
                (range, name)
            })
            .collect();
        Plan { runs }
    }

    /// The records of the runs `indexed` does not hold, which must have
    /// their bodies to be indexed.
    pub fn unindexed<'p>(&'p self, indexed: &'p Indexed) -> impl Iterator<Item = usize> + 'p {
        self.missing(indexed).flat_map(|(range, _)| range.clone())
    }

    /// The runs `indexed` does not hold.
    fn missing<'p>(
        &'p self,
        indexed: &'p Indexed,
    ) -> impl Iterator<Item = &'p (Range<usize>, Option<u64>)> + 'p {
        self.runs
            .iter()
            .filter(|(_, name)| name.is_none_or(|name| !indexed.runs.contains_key(&name)))
    }

    /// Each run of `records`, from `indexed` when it holds it, else indexed
    /// now; and the runs as the next index finds them.
    pub fn index(
        &self,
        records: &[Record<'_>],
        indexed: &Indexed,
    ) -> (Vec<(u32, Arc<Run>)>, Indexed) {
        // Fewer runs to index than threads: each is indexed in halves.
        let halves = self.missing(indexed).count() < rayon::current_num_threads();
        let runs: Vec<(u32, Arc<Run>)> = self
            .runs
            .par_iter()
            .map(|(range, name)| {
                let kept = name.and_then(|name| indexed.runs.get(&name));
                let run = kept
                    .cloned()
                    .unwrap_or_else(|| Arc::new(Run::build(&records[range.clone()], halves)));
                (range.start as u32, run)
            })
            .collect();
        let next = self
            .runs
            .iter()
            .zip(&runs)
            .filter_map(|((_, name), (_, run))| Some(((*name)?, run.clone())))
            .collect();
        let next = Indexed {
            runs: next,
            answers: Answers::default(),
        };
        (runs, next)
    }
}

/// The runs of consecutive articles (newest first) indexed as one chunk:
/// the articles of a year, cut between months into runs of at most
/// [`CHUNK_DOCS`] (a longer month is cut where it fills one). Made from the
/// dates alone, so that an article added or removed changes the runs of its
/// year only.
fn cut(records: &[Record<'_>]) -> Vec<Range<usize>> {
    let month = |i: usize| records[i].date.get(..7);
    let mut runs = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < records.len() {
        let mut end = at + 1;
        while end < records.len() && month(end) == month(at) {
            end += 1;
        }
        if at > start && (records[at].year != records[start].year || end - start > CHUNK_DOCS) {
            runs.push(start..at);
            start = at;
        }
        while end - start > CHUNK_DOCS {
            runs.push(start..start + CHUNK_DOCS);
            start += CHUNK_DOCS;
        }
        at = end;
    }
    if start < records.len() {
        runs.push(start..records.len());
    }
    runs
}

/// The key of a record, from what indexing reads of it, its body by `body_hash`.
pub fn key(record: &Record<'_>, body_hash: u64) -> u64 {
    let mut hasher = XxHash3_64::with_seed(FORMAT);
    let mut text = |s: &str| {
        hasher.write_usize(s.len());
        hasher.write(s.as_bytes());
    };
    for field in [record.path, record.title, record.date, record.summary] {
        text(field);
    }
    for facets in [&record.speakers, &record.topics] {
        text("");
        for Facet { slug, name } in facets {
            text(slug);
            text(name);
        }
    }
    hasher.write_i32(record.year);
    hasher.write_u64(body_hash);
    hasher.finish()
}

impl Indexed {
    /// The names of the runs held, sorted.
    pub fn names(&self) -> Vec<u64> {
        let mut names: Vec<u64> = self.runs.keys().copied().collect();
        names.sort_unstable();
        names
    }

    /// The runs and answers `dir` holds (a file that cannot be read, or is
    /// not the bytes its hash at the end says, is left out: its run is
    /// indexed again, its answers made again).
    pub fn read(dir: &Path) -> Indexed {
        let Ok(entries) = fs::read_dir(dir) else {
            return Indexed::default();
        };
        let files: Vec<(u64, std::path::PathBuf)> = entries
            .flatten()
            .filter_map(|entry| {
                let path = entry.path();
                let name = run_name(&path)?;
                Some((name, path))
            })
            .collect();
        // The answers are read while the runs are.
        let (runs, answers) = rayon::join(
            || {
                files
                    .par_iter()
                    .filter_map(|(name, path)| Some((*name, Arc::new(Run::read(path)?))))
                    .collect()
            },
            || Answers::read(&dir.join(ANSWERS)),
        );
        Indexed { runs, answers }
    }

    /// Writes into `dir` the runs it does not hold yet and the answers when
    /// they changed, and removes the files of runs no longer held.
    pub fn write(&self, dir: &Path) -> Result<(), String> {
        fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let mut unwritten = self.runs.clone();
        for entry in fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
            let path = entry.path();
            match run_name(&path).map(|name| unwritten.entry(name)) {
                Some(Entry::Occupied(held)) => {
                    held.remove();
                }
                None if path.file_name() == Some(ANSWERS.as_ref()) => {}
                _ => {
                    let _ = fs::remove_file(&path);
                }
            }
        }
        unwritten
            .par_iter()
            .try_for_each(|(&name, run)| cache::replace(&run_file(dir, name), &run.file()?))?;
        self.answers.write(&dir.join(ANSWERS))
    }
}

/// The name of the run in the file at `path`, if it is a run's file.
fn run_name(path: &Path) -> Option<u64> {
    if path.extension() != Some(EXTENSION.as_ref()) {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    u64::from_str_radix(stem, 16).ok()
}

/// The file of run `name` in `dir`.
fn run_file(dir: &Path, name: u64) -> std::path::PathBuf {
    dir.join(format!("{name:016x}.{EXTENSION}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(date: &'a str, body: &'a str) -> Record<'a> {
        Record {
            path: "",
            title: "",
            date,
            year: date[..4].parse().unwrap_or_default(),
            speakers: vec![],
            topics: vec![],
            summary: "",
            body,
        }
    }

    #[test]
    fn an_edit_indexes_its_run_again_and_keeps_the_others() {
        let dates = ["2021-02-01", "2021-01-01", "2020-05-01", "2020-04-01"];
        let bodies = ["alpha", "beta", "gamma", "delta"];
        let records: Vec<Record<'_>> = dates
            .iter()
            .zip(bodies)
            .map(|(d, b)| record(d, b))
            .collect();
        let keys: Vec<u64> = (0..4).map(|i| key(&records[i], i as u64)).collect();
        let plan = Plan::new(&records, Some(&keys));
        assert_eq!(
            plan.unindexed(&Indexed::default()).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        let (_, indexed) = plan.index(&records, &Indexed::default());
        assert_eq!(indexed.names().len(), 2);
        assert_eq!(plan.unindexed(&indexed).count(), 0);

        // The body of an article of 2020 changes: only 2020 is read again.
        let mut edited = keys.clone();
        edited[3] = key(&records[3], 99);
        let plan = Plan::new(&records, Some(&edited));
        assert_eq!(plan.unindexed(&indexed).collect::<Vec<_>>(), [2, 3]);
        let (runs, next) = plan.index(&records, &indexed);
        assert_eq!(
            runs.iter().map(|(start, _)| *start).collect::<Vec<_>>(),
            [0, 2]
        );
        // 2021's run is the one indexed before, not made again.
        let kept = plan.runs[0].1.unwrap_or_default();
        assert!(Arc::ptr_eq(&runs[0].1, &indexed.runs[&kept]));
        assert_eq!(next.names().len(), 2);
    }

    #[test]
    fn runs_written_are_read_back_and_damaged_ones_are_left_out() {
        let dir = std::env::temp_dir().join(format!("gazette-runs-{}", std::process::id()));
        let records = [record("2020-01-01", "kept words")];
        let keys = [key(&records[0], 1)];
        let (_, indexed) = Plan::new(&records, Some(&keys)).index(&records, &Indexed::default());
        assert!(indexed.write(&dir).is_ok());
        let names = indexed.names();
        let read = Indexed::read(&dir);
        assert_eq!(read.names(), names);
        assert_eq!(read.runs[&names[0]].rows, indexed.runs[&names[0]].rows);
        // A run no longer held is removed; a damaged one is not read.
        assert!(Indexed::default().write(&dir).is_ok());
        assert!(Indexed::read(&dir).names().is_empty());
        assert!(indexed.write(&dir).is_ok());
        let file = run_file(&dir, names[0]);
        let mut bytes = fs::read(&file).unwrap_or_default();
        // One bit changed in the first list still decodes, to a wrong run.
        bytes[0] ^= 1;
        assert!(fs::write(&file, &bytes).is_ok());
        let damaged = Mapped::open(&file);
        let decoded = damaged.and_then(|d| Run::decode(&d, &d.bytes()[..bytes.len() - 8]));
        assert!(decoded.is_some_and(|run| run.chunk.lengths[0] != indexed.runs[&names[0]].chunk.lengths[0]));
        assert!(Indexed::read(&dir).names().is_empty());
        assert!(fs::write(&file, b"damaged").is_ok());
        assert!(Indexed::read(&dir).names().is_empty());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn runs_are_years_cut_between_months() {
        let mut dates = vec!["2021-03-01"; 2];
        dates.extend(vec!["2020-12-01"; 700]);
        dates.extend(vec!["2020-11-01"; 700]);
        dates.extend(vec!["2020-10-01"; CHUNK_DOCS + 10]);
        dates.push("2019-05-01");
        let records: Vec<Record<'_>> = dates.iter().map(|d| record(d, "")).collect();
        let a = 2;
        let b = a + 700;
        let c = b + 700;
        let d = c + CHUNK_DOCS + 10;
        assert_eq!(
            cut(&records),
            [
                0..a,
                a..b,
                b..c,
                c..c + CHUNK_DOCS,
                c + CHUNK_DOCS..d,
                d..d + 1
            ]
        );
        assert!(cut(&[]).is_empty());
    }
}
