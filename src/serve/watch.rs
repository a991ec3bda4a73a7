//! Watching the site's sources: `gazette.toml`, `content/`, `templates/` and
//! `static/`, and nothing else of the root (no `public/`, no `target/`).
//! Changes come debounced, as batches of paths.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer, notify::RecommendedWatcher,
};

use crate::content::CONTENT_DIR;
use crate::render::{STATIC_DIR, TEMPLATES_DIR};

/// How long a file must be quiet before its change is taken in: long enough
/// for an editor's save (write a temporary file, rename it over; a save is
/// a few writes within a millisecond or two), short enough not to be felt.
/// A save caught half-written is read again when its last write comes.
const QUIET: Duration = Duration::from_millis(6);
/// How often the debouncer looks for quiet files.
const TICK: Duration = Duration::from_millis(3);

/// The folders watched recursively.
const FOLDERS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR];

/// The watcher of a site's sources; watching stops when it is dropped.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Watches the site at `root` (an absolute path) and sends each batch of
    /// changed paths to `changes`.
    pub fn start(root: &Path, changes: Sender<Vec<PathBuf>>) -> notify::Result<Watcher> {
        let debouncer = new_debouncer(QUIET, Some(TICK), move |result: DebounceEventResult| {
            match result {
                Ok(events) => {
                    let paths: Vec<PathBuf> = events
                        .into_iter()
                        .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                        .flat_map(|e| e.event.paths)
                        .collect();
                    if !paths.is_empty() {
                        // The rebuild loop is gone only when the server stops.
                        let _ = changes.send(paths);
                    }
                }
                Err(errors) => {
                    for error in errors {
                        eprintln!("warning: watching the site: {error}");
                    }
                }
            }
        })?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
        };
        // The root alone, to see gazette.toml and the folders come and go.
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.refresh(&[]);
        Ok(watcher)
    }

    /// Watches the source folders that exist now, and watches again those
    /// that were removed or replaced (as `changed` tells).
    pub fn refresh(&mut self, changed: &[PathBuf]) {
        for name in FOLDERS {
            let folder = self.root.join(name);
            let replaced = changed.iter().any(|p| p == &folder);
            let watched = self.watched.contains(&folder);
            if watched && (replaced || !folder.is_dir()) {
                let _ = self.debouncer.unwatch(&folder);
                self.watched.retain(|w| w != &folder);
            }
            if folder.is_dir() && !self.watched.contains(&folder) {
                match self.debouncer.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(folder),
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", folder.display()),
                }
            }
        }
    }
}
