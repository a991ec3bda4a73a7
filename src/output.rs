//! Write: nothing reaches the output until the whole build has succeeded.
//! Gazette writes only over folders it made itself.
//!
//! A first build writes into a staging folder beside the output and renames it
//! into place. A later build compares each file with the one already in the
//! output, stages only the files that differ, and on success moves them in and
//! removes the files the site no longer has: on a file system where creating a
//! file is slow, an archive whose pages barely changed rebuilds in a fraction
//! of the time.

use std::collections::{BTreeSet, HashSet};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

use crate::content::CONTENT_DIR;
use crate::error::Error;

/// The file that marks a folder as Gazette's output.
pub const MARKER: &str = ".gazette";

/// A build's output, being written.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    /// Whether the output holds a previous build to update in place.
    update: bool,
    /// Every file this build wrote, whether it changed or not.
    written: Mutex<HashSet<String>>,
    /// The files that differ from the previous build's, staged.
    changed: Mutex<Vec<String>>,
    committed: bool,
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
        let update = output.join(MARKER).is_file();
        let this = Staging {
            output,
            staging,
            update,
            written: Mutex::default(),
            changed: Mutex::default(),
            committed: false,
        };
        this.write(
            MARKER,
            b"This folder is written by Gazette; each build replaces what is in it.\n",
        )?;
        Ok(this)
    }

    /// Writes `bytes` to `path` (relative, `/`-separated) of the output: to
    /// the staging folder, unless the output already has these very bytes.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        lock(&self.written).insert(path.to_owned());
        if self.update {
            if unchanged(&self.output.join(path), bytes) {
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

    /// Copies the file at `source` to `path` in the staging folder.
    pub fn copy(&self, source: &Path, path: &str) -> Result<(), Error> {
        let bytes = fs::read(source)
            .map_err(|e| Error::output(source, format!("cannot read the file: {e}")))?;
        self.write(path, &bytes)
    }

    /// Puts what was written in the output's place.
    pub fn commit(mut self) -> Result<(), Error> {
        if self.update {
            self.update_in_place()?;
            self.committed = true;
            return match fs::remove_dir_all(&self.staging) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::output(
                    &self.staging,
                    format!("cannot remove the staging folder: {e}"),
                )),
                _ => Ok(()),
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
        Ok(())
    }

    /// Moves the changed files into the output and removes the files this
    /// build did not write.
    fn update_in_place(&self) -> Result<(), Error> {
        let mut changed = std::mem::take(&mut *lock(&self.changed));
        changed.sort_unstable();
        let mut made: HashSet<PathBuf> = HashSet::new();
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
        for entry in WalkDir::new(&self.output).min_depth(1) {
            let entry = entry
                .map_err(|e| Error::output(&self.output, format!("cannot list the output: {e}")))?;
            let Ok(relative) = entry.path().strip_prefix(&self.output) else {
                continue;
            };
            if entry.file_type().is_dir() {
                folders.insert(entry.path().to_owned());
            } else if !written.contains(&slashed(relative)) {
                fs::remove_file(entry.path()).map_err(|e| {
                    Error::output(entry.path(), format!("cannot remove the stale file: {e}"))
                })?;
            }
        }
        // Deepest first, so that a folder's emptied subfolders go before it.
        for folder in folders.iter().rev() {
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

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves nothing behind; the previous output stays.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
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

/// A relative path with `/` separators, as pages name their files.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
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
