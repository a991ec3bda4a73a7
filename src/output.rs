//! Write: nothing reaches the output until the whole build has succeeded.
//! Gazette writes only over folders it made itself.
//!
//! A first build writes into a staging folder beside the output and renames it
//! into place. The marker file that names a folder as Gazette's output also
//! lists every file the build wrote with its length and hash (its manifest).
//! A later build stages only the files that differ from the manifest or are
//! missing from the output, and on success moves them in and removes the files
//! the site no longer has: an archive whose pages barely changed rebuilds
//! without writing its unchanged pages, or reading them to compare.
//!
//! A file of the output edited by hand is noticed when its length changed;
//! removing the output folder makes the next build start afresh.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use twox_hash::XxHash3_64;

use crate::content::CONTENT_DIR;
use crate::error::Error;
use crate::incremental::Sink;

/// The file that marks a folder as Gazette's output, and holds its manifest.
pub const MARKER: &str = ".gazette";
/// The marker's first line, for whoever opens it.
const MARKER_NOTE: &str = "This folder is written by Gazette; each build replaces what is in it.";
/// The line that starts the manifest; a marker without it has none.
const MANIFEST_HEADER: &str = "manifest 1: length, XXH3-64 hash and path of every file";
/// How many of the manifest's lines are written out together.
const MANIFEST_PIECE: usize = 4096;

/// What identifies a file's contents: its length and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    hash: u64,
}

impl Fingerprint {
    fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            len: bytes.len() as u64,
            hash: XxHash3_64::oneshot(bytes),
        }
    }
}

/// A build's output, being written.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    /// The previous build's files, when the output holds one to update in
    /// place.
    previous: Option<FxHashMap<String, Fingerprint>>,
    /// Every file this build wrote, whether it changed or not.
    written: Mutex<FxHashMap<String, Fingerprint>>,
    /// The files that differ from the previous build's, staged.
    changed: Mutex<Vec<String>>,
    /// The marker, once every file is written.
    marker: std::sync::OnceLock<String>,
    committed: bool,
    /// Whether every file of the previous build was found in place.
    in_place: AtomicBool,
}

impl Staging {
    /// Prepares to write the output folder `output` of the site at `root`.
    /// Refuses a folder that Gazette did not create, the site itself, or a
    /// folder inside the site's content.
    pub fn create(output: &Path, root: &Path) -> Result<Staging, Error> {
        let output = absolute(output)?;
        let root = absolute(root)?;
        if root.starts_with(&output) {
            return Err(Error::output(
                &output,
                "the output folder contains the site itself; refusing to write over it (choose another --output, such as `public`)",
            ));
        }
        if output.starts_with(root.join(CONTENT_DIR)) {
            return Err(Error::output(
                &output,
                "the output folder is inside `content/`; choose one outside it, such as `public`",
            ));
        }
        if output.exists() && !is_gazette_output(&output) {
            return Err(Error::output(
                &output,
                "this folder exists and was not made by Gazette; refusing to write over it (choose a new or empty folder with --output, or remove this one)",
            ));
        }
        let parent = output.parent().ok_or_else(|| {
            Error::output(
                &output,
                "cannot write the output at the root of the file system",
            )
        })?;
        fs::create_dir_all(parent)
            .map_err(|e| Error::output(parent, format!("cannot create the folder: {e}")))?;
        let staging = sibling(&output, "staging");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| {
                Error::output(
                    &staging,
                    format!("cannot remove what an interrupted build left: {e}"),
                )
            })?;
        }
        fs::create_dir_all(&staging)
            .map_err(|e| Error::output(&staging, format!("cannot create the folder: {e}")))?;
        let previous = fs::read_to_string(output.join(MARKER))
            .ok()
            .and_then(|marker| manifest(&marker));
        Ok(Staging {
            output,
            staging,
            previous,
            written: Mutex::default(),
            changed: Mutex::default(),
            marker: std::sync::OnceLock::new(),
            committed: false,
            in_place: AtomicBool::new(false),
        })
    }

    /// Writes `bytes` to `path` (relative, `/`-separated) of the output: to
    /// the staging folder, unless the previous build wrote these very bytes
    /// there and the file is still in place.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let print = Fingerprint::of(bytes);
        lock(&self.written).insert(path.to_owned(), print);
        if let Some(previous) = &self.previous {
            if previous.get(path) == Some(&print)
                && (self.in_place.load(Ordering::Relaxed) || self.in_output(path, print))
            {
                return Ok(());
            }
            lock(&self.changed).push(path.to_owned());
        }
        let target = self.staging.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Error::output(dir, format!("cannot create the folder: {e}")))?;
        }
        fs::write(&target, bytes)
            .map_err(|e| Error::output(&target, format!("cannot write the file: {e}")))
    }

    /// Whether the output holds a build of Gazette's, with its manifest.
    pub fn has_previous(&self) -> bool {
        self.previous.is_some()
    }

    /// Whether the output holds the build whose marker hashes to `marker`,
    /// every file of it in place with its length: then a build may render
    /// only what changed and [`Staging::keep`] the rest.
    pub fn matches(&self, marker: u64) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let hash = fs::read(self.output.join(MARKER)).map(|b| XxHash3_64::oneshot(&b));
        let matches = hash.is_ok_and(|hash| hash == marker)
            && previous
                .par_iter()
                .all(|(path, print)| self.in_output(path, *print));
        self.in_place.store(matches, Ordering::Relaxed);
        matches
    }

    /// Keeps the files at `paths` of the previous build as they are: this
    /// build did not render them again. A path already written is left as written.
    pub fn keep<'p>(&self, paths: impl Iterator<Item = &'p String>) -> Result<(), Error> {
        let previous = self.previous.as_ref();
        let mut written = lock(&self.written);
        let paths: Vec<&String> = paths.filter(|path| !written.contains_key(*path)).collect();
        written.reserve(paths.len());
        for path in paths {
            match previous.and_then(|p| p.get(path)) {
                Some(print) => {
                    written.insert(path.clone(), *print);
                }
                None => {
                    return Err(Error::output(
                        self.output.join(path),
                        "the previous build's file is missing from its manifest; build again with --full",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether the output has a file at `path` of the length in `print`.
    fn in_output(&self, path: &str, print: Fingerprint) -> bool {
        fs::metadata(self.output.join(path)).is_ok_and(|m| m.is_file() && m.len() == print.len)
    }

    /// The hash of the marker this build will write, which names it: made
    /// once every file is written.
    pub fn marker_hash(&self) -> u64 {
        XxHash3_64::oneshot(self.marker().as_bytes())
    }

    /// Puts what was written in the output's place. Returns the hash of
    /// the marker it wrote.
    pub fn commit(mut self) -> Result<u64, Error> {
        let marker = self.staging.join(MARKER);
        let hash = self.marker_hash();
        let text = self.marker.take().unwrap_or_default();
        fs::write(&marker, text)
            .map_err(|e| Error::output(&marker, format!("cannot write the file: {e}")))?;
        if self.previous.is_some() {
            self.update_in_place()?;
            let target = self.output.join(MARKER);
            fs::rename(&marker, &target)
                .map_err(|e| Error::output(&target, format!("cannot write the file: {e}")))?;
            self.committed = true;
            return match fs::remove_dir_all(&self.staging) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::output(
                    &self.staging,
                    format!("cannot remove the staging folder: {e}"),
                )),
                _ => Ok(hash),
            };
        }
        let old = sibling(&self.output, "old");
        if old.exists() {
            fs::remove_dir_all(&old)
                .map_err(|e| Error::output(&old, format!("cannot remove it: {e}")))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).map_err(|e| {
                Error::output(
                    &self.output,
                    format!("cannot move the previous output aside: {e}"),
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.output) {
            if had_output {
                // Put the previous output back; the build failed as a whole.
                let _ = fs::rename(&old, &self.output);
            }
            return Err(Error::output(
                &self.output,
                format!("cannot put the new output in place: {e}"),
            ));
        }
        self.committed = true;
        if had_output {
            fs::remove_dir_all(&old).map_err(|e| {
                Error::output(&old, format!("cannot remove the previous output: {e}"))
            })?;
        }
        Ok(hash)
    }

    /// The marker with the manifest of what this build wrote, sorted by path.
    fn marker(&self) -> &str {
        self.marker.get_or_init(|| self.make_marker())
    }

    /// The marker's text: a manifest of 200,000 files is sorted and written
    /// out on every core, in pieces joined in order.
    fn make_marker(&self) -> String {
        let written = lock(&self.written);
        let mut files: Vec<_> = written.iter().collect();
        files.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let lines: Vec<String> = files
            .par_chunks(MANIFEST_PIECE)
            .map(|piece| {
                let mut lines = String::new();
                for (path, print) in piece {
                    let _ = writeln!(lines, "{} {:016x} {path}", print.len, print.hash);
                }
                lines
            })
            .collect();
        let mut marker = format!("{MARKER_NOTE}\n{MANIFEST_HEADER}\n");
        marker.reserve(lines.iter().map(String::len).sum());
        for piece in lines {
            marker.push_str(&piece);
        }
        marker
    }

    /// Moves the changed files into the output and removes the files of the
    /// previous build that this one did not write.
    fn update_in_place(&self) -> Result<(), Error> {
        let mut changed = std::mem::take(&mut *lock(&self.changed));
        changed.sort_unstable();
        let mut made: FxHashSet<PathBuf> = FxHashSet::default();
        for path in &changed {
            let target = self.output.join(path);
            if let Some(dir) = target.parent()
                && made.insert(dir.to_owned())
            {
                make_folder(&self.output, dir)?;
            }
            if target.is_dir() {
                // A page's folder became a file: the folder goes.
                fs::remove_dir_all(&target)
                    .map_err(|e| Error::output(&target, format!("cannot remove it: {e}")))?;
            }
            fs::rename(self.staging.join(path), &target)
                .map_err(|e| Error::output(&target, format!("cannot write the file: {e}")))?;
        }
        let written = lock(&self.written);
        let mut folders = BTreeSet::new();
        for path in self.previous.iter().flat_map(FxHashMap::keys) {
            if written.contains_key(path) {
                continue;
            }
            let stale = self.output.join(path);
            // A file that became a folder was replaced when the changes moved in.
            if fs::symlink_metadata(&stale).is_ok_and(|m| m.is_file()) {
                fs::remove_file(&stale).map_err(|e| {
                    Error::output(&stale, format!("cannot remove the stale file: {e}"))
                })?;
            }
            folders.extend(
                stale
                    .ancestors()
                    .skip(1)
                    .take_while(|a| *a != self.output && a.starts_with(&self.output))
                    .map(|a| (a.components().count(), a.to_owned())),
            );
        }
        // Deepest first, so that a folder's emptied subfolders go before it.
        for (_, folder) in folders.iter().rev() {
            if fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_none()) {
                fs::remove_dir(folder).map_err(|e| {
                    Error::output(folder, format!("cannot remove the empty folder: {e}"))
                })?;
            }
        }
        Ok(())
    }

    /// The folder the build will replace.
    pub fn output(&self) -> &Path {
        &self.output
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        Staging::write(self, path, &bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves nothing behind; the previous output stays.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The files a marker lists, or `None` when it has no manifest (a folder
/// made by an older Gazette, or a marker damaged): then the output is
/// replaced whole.
fn manifest(marker: &str) -> Option<FxHashMap<String, Fingerprint>> {
    let mut lines = marker.lines();
    lines.next()?;
    if lines.next()? != MANIFEST_HEADER {
        return None;
    }
    lines
        .map(|line| {
            let mut fields = line.splitn(3, ' ');
            let len = fields.next()?.parse().ok()?;
            let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
            Some((fields.next()?.to_owned(), Fingerprint { len, hash }))
        })
        .collect()
}

/// Creates the folder `dir` inside `output`, removing a file that stands in
/// the way (a page that became a folder).
fn make_folder(output: &Path, dir: &Path) -> Result<(), Error> {
    if fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    for ancestor in dir
        .ancestors()
        .take_while(|a| a.starts_with(output) && *a != output)
    {
        if ancestor.is_file() {
            fs::remove_file(ancestor)
                .map_err(|e| Error::output(ancestor, format!("cannot remove it: {e}")))?;
        }
    }
    fs::create_dir_all(dir)
        .map_err(|e| Error::output(dir, format!("cannot create the folder: {e}")))
}

/// The value behind `mutex`, even if a thread panicked holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether `dir` is empty or was made by Gazette.
fn is_gazette_output(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// `path` made absolute against the current folder, `..` and `.` resolved.
fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let path = std::path::absolute(path)
        .map_err(|e| Error::output(path, format!("cannot resolve the path: {e}")))?;
    let clean = crate::paths::normalize(&path);
    // Resolve symbolic links where the path exists, so `~` and its alias compare equal.
    Ok(fs::canonicalize(&clean).unwrap_or(clean))
}

/// `parent/.name.gazette-{what}` beside `output`.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(output.file_name().unwrap_or_default());
    name.push(format!(".gazette-{what}"));
    output.with_file_name(name)
}
