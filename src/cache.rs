//! What a build keeps beside the site for the next one, in `.gazette_cache/`
//! (as Jekyll keeps `.jekyll-cache/` and pytest `.pytest_cache/`; the folder tells git to ignore it): the
//! parsed content, each file's length and modification time when it was read,
//! and the signatures and files of what was rendered. The next build reads
//! again only the files whose stamp changed, and renders only what that
//! touches.
//!
//! A cache of another Gazette version, of other options or of another output,
//! one that does not go with the output's manifest, or one that cannot be
//! read, is not used: the build is a full one.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_64;
use walkdir::WalkDir;

use crate::config::CONFIG_FILE;
use crate::content::{CONTENT_DIR, Content};
use crate::incremental::Rendered;
use crate::render::{STATIC_DIR, TEMPLATES_DIR};
use crate::site::SiteOptions;

/// The cache folder, at the site's root.
pub const CACHE_DIR: &str = ".gazette_cache";
/// The state files in it start so, one for each output folder the site is
/// built into (a site built for its host and for a preview keeps both).
const STATE_FILE: &str = "build";

/// A file's length and modification time, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: u128,
}

/// Every file a build reads, relative to the root, with its stamp.
pub type Stamps = Vec<(PathBuf, Stamp)>;

/// What one build leaves for the next.
#[derive(Serialize, Deserialize)]
pub struct State {
    /// The Gazette that wrote it.
    version: String,
    /// The options the site was built with.
    pub options: SiteOptions,
    /// The output folder, absolute.
    pub output: PathBuf,
    /// The hash of the output's marker (its manifest) after the build.
    pub marker: u64,
    /// The files read, with their stamps before they were read.
    pub stamps: Stamps,
    /// When the stamps were taken, in nanoseconds since 1970.
    pub taken: u128,
    /// The content as linked, and every Markdown file known.
    pub content: Content,
    /// Every Markdown file of `content/`, drafts left out included.
    pub known: Vec<PathBuf>,
    /// What was rendered.
    pub rendered: Rendered,
    /// The output paths of the search index.
    pub search: Vec<String>,
}

impl State {
    /// A state of this Gazette version.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        options: SiteOptions,
        output: PathBuf,
        marker: u64,
        (stamps, taken): (Stamps, u128),
        (content, known): (Content, Vec<PathBuf>),
        rendered: Rendered,
        search: Vec<String>,
    ) -> State {
        State {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            options,
            output,
            marker,
            stamps,
            taken,
            content,
            known,
            rendered,
            search,
        }
    }

    /// The state the last build of the site at `root` left, when it was one
    /// of this version with these options and output.
    pub fn load(root: &Path, options: &SiteOptions, output: &Path) -> Option<State> {
        let bytes = fs::read(state_file(root, output)).ok()?;
        let state: State = postcard::from_bytes(&bytes).ok()?;
        let fits = state.version == env!("CARGO_PKG_VERSION")
            && &state.options == options
            && state.output == output
            && state.rendered.is_valid();
        fits.then_some(state)
    }

    /// Writes the state for the next build; a cache that cannot be written
    /// only costs the next build its speed, so it is a warning.
    pub fn save(&self, root: &Path) {
        let dir = root.join(CACHE_DIR);
        let written = postcard::to_stdvec(self)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                fs::write(dir.join(".gitignore"), "# Gazette's build cache\n*\n")
                    .map_err(|e| e.to_string())?;
                let target = state_file(root, &self.output);
                let temporary = target.with_extension("new");
                let mut file = fs::File::create(&temporary).map_err(|e| e.to_string())?;
                file.write_all(&bytes).map_err(|e| e.to_string())?;
                fs::rename(&temporary, target).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            eprintln!(
                "warning: cannot write the build cache in {}: {e}; the next build will be a full one",
                dir.display()
            );
        }
    }
}

/// The state file of the builds of the site at `root` into `output`.
fn state_file(root: &Path, output: &Path) -> PathBuf {
    let id = XxHash3_64::oneshot(output.as_os_str().as_encoded_bytes());
    root.join(CACHE_DIR).join(format!("{STATE_FILE}-{id:016x}"))
}

/// How close to the moment stamps were taken a file's modification time
/// must be for the stamp to prove nothing: a file written twice within the
/// file system's clock tick keeps its time (the "racy" files of git's index).
const RACY_NANOS: u128 = 100_000_000;

/// The stamps of every file of the site at `root` that a build reads (the
/// configuration and every file of `content/`, `templates/` and `static/`,
/// hidden ones left out, sorted by path), and when they were taken.
pub fn stamps(root: &Path) -> (Stamps, u128) {
    let taken = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut files: Vec<PathBuf> = vec![PathBuf::from(CONFIG_FILE)];
    for dir in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR] {
        let walk = WalkDir::new(root.join(dir))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk.filter_map(Result::ok) {
            if entry.file_type().is_file() {
                if let Ok(relative) = entry.path().strip_prefix(root) {
                    files.push(relative.to_path_buf());
                }
            }
        }
    }
    let mut stamps: Stamps = files
        .into_par_iter()
        .filter_map(|path| {
            let meta = fs::metadata(root.join(&path)).ok()?;
            let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
            Some((
                path,
                Stamp {
                    len: meta.len(),
                    modified: modified.as_nanos(),
                },
            ))
        })
        .collect();
    stamps.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (stamps, taken)
}

/// The paths whose stamps differ between `old`, taken at `taken`, and `new`
/// (both sorted): changed, added or gone, and those modified so close to
/// `taken` that their stamp cannot tell.
pub fn changed(old: &Stamps, taken: u128, new: &Stamps) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                if x.1 != y.1 || x.1.modified + RACY_NANOS >= taken {
                    changed.push(y.0.clone());
                }
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                changed.push(x.0.clone());
                a.next();
            }
            (Some(_), Some(y)) => {
                changed.push(y.0.clone());
                b.next();
            }
            (Some(x), None) => {
                changed.push(x.0.clone());
                a.next();
            }
            (None, Some(y)) => {
                changed.push(y.0.clone());
                b.next();
            }
            (None, None) => return changed,
        }
    }
}
