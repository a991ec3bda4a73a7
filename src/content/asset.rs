//! Files kept beside an article: an article may be a folder
//! (`content/2016/mir/index.md`) with its images, charts or PDFs, which are
//! published beside its page so that the body's relative links work.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// A file's length and modification time, in nanoseconds: what tells that
/// it changed without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: u128,
}

impl Stamp {
    /// The stamp of the file `meta` describes; `None` when the file system
    /// gives no modification time.
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: modified.as_nanos(),
        })
    }

    /// When the file was last modified, in nanoseconds since 1970.
    pub fn modified(&self) -> u128 {
        self.modified
    }
}

/// A file below `content/` that is not Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContentFile {
    /// Relative to the site root (`content/2016/mir/flow.svg`).
    pub path: PathBuf,
    /// Its stamp when the content was read.
    pub stamp: Stamp,
}

/// A file published beside an article's page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Asset {
    /// Its path below the article's folder, `/`-separated (`img/flow.svg`).
    pub name: String,
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// Its stamp when the content was read.
    pub stamp: Stamp,
}

/// The folder whose files an article at `path` publishes: its own folder
/// when it is a folder's `index.md`, else none.
pub fn folder_of(path: &Path) -> Option<&Path> {
    (path.file_name()? == "index.md")
        .then(|| path.parent())
        .flatten()
}

/// `file`'s name below `folder`, `/`-separated; `None` when it is not below it.
pub fn name_below(file: &Path, folder: &Path) -> Option<String> {
    let parts: Vec<&str> = file
        .strip_prefix(folder)
        .ok()?
        .iter()
        .map(|p| p.to_str())
        .collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}
