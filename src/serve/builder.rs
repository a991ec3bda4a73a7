//! The rebuild loop: takes batches of changed paths from the watcher, hands
//! them to the site, and swaps what it rendered into the served files; then
//! hands the archive to the search indexer ([`super::search`]), off the path
//! between a save and the reloaded page.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::Shared;
use super::watch::Watcher;
use crate::error::{self, Error};
use crate::incremental::Sink;
use crate::paths;
use crate::search::SearchWorker;
use crate::site::Site;

/// The site, and where what it renders goes.
pub struct Builder {
    site: Site,
    shared: Arc<Shared>,
    search: SearchWorker,
}

/// What a rebuild that succeeded did: files written or removed, and HTML
/// pages written. (One that failed leaves the last good site served.)
#[derive(Debug, Clone, Copy)]
pub struct Rebuilt {
    pub files: usize,
    pub pages: usize,
}

/// The files a render writes, kept until the render has succeeded.
#[derive(Default)]
struct Collected(Mutex<Vec<(String, Vec<u8>)>>);

impl Sink for Collected {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_owned(), bytes));
        Ok(())
    }
}

impl Builder {
    /// A builder of `site`, serving into `shared`.
    pub fn new(site: Site, shared: Arc<Shared>) -> Builder {
        let served = shared.clone();
        let search = SearchWorker::spawn(move |files| {
            let files = files.into_iter().map(|f| (f.path, f.bytes)).collect();
            served.store.set_search(files);
            served.live.search_rebuilt();
        });
        Builder {
            site,
            shared,
            search,
        }
    }

    /// Runs until the watcher stops: each batch of changes (and any that
    /// arrived meanwhile) is one rebuild.
    pub fn run(mut self, changes: Receiver<Vec<PathBuf>>, mut watcher: Watcher) {
        while let Ok(mut paths) = changes.recv() {
            while let Ok(more) = changes.try_recv() {
                paths.extend(more);
            }
            watcher.refresh(&paths);
            let start = Instant::now();
            // A bug must not stop the server: a rebuild that panics is
            // reported, and the next change reads the whole site again.
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                let changed = self.site.apply(&paths);
                changed.any().then(|| self.rebuild())
            }));
            let rebuilt = match outcome {
                Ok(Some(rebuilt)) => rebuilt,
                Ok(None) => continue,
                Err(_) => {
                    self.site.reset();
                    let text = "error: the rebuild failed (a bug in Gazette); the last good version of the site is still served, and the next change reads the whole site again";
                    eprintln!("{text}");
                    self.shared.live.failed(text);
                    continue;
                }
            };
            if let Some(Rebuilt { files, .. }) = rebuilt {
                println!(
                    "Changed {}: {} in {} ms",
                    self.describe(&paths),
                    error::plural(files, "file"),
                    start.elapsed().as_millis()
                );
            }
        }
    }

    /// `paths` as the terminal names them: the first, and how many more.
    fn describe(&self, paths: &[PathBuf]) -> String {
        let root = self.shared.root.as_path();
        let mut shown: Vec<String> = paths
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p))
            .filter(|p| !p.iter().any(|part| part.to_string_lossy().starts_with('.')))
            .map(|p| p.display().to_string())
            .collect();
        shown.sort();
        shown.dedup();
        let more = match shown.len() {
            0 | 1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        format!("{}{more}", shown.first().cloned().unwrap_or_default())
    }

    /// Brings the served site up to date with the sources.
    pub fn rebuild(&mut self) -> Option<Rebuilt> {
        let collected = Collected::default();
        let rendering = match self.site.render(&collected, None) {
            Ok(rendering) => rendering,
            Err(error) => {
                let text =
                    error::report(&error, "the last good version of the site is still served");
                eprintln!("{text}");
                self.shared.live.failed(&text);
                return None;
            }
        };
        let written = collected.0.into_inner().unwrap_or_else(|e| e.into_inner());
        let removed = rendering.delta.removed;
        let mut urls: Vec<String> = removed
            .iter()
            .chain(written.iter().map(|(p, _)| p))
            .map(|p| paths::url_of_file(p))
            .collect();
        let files = removed.len() + written.len();
        let pages = written.iter().filter(|(p, _)| p.ends_with(".html")).count();
        let store = &self.shared.store;
        store.apply(&removed, written);
        if rendering.statics_changed {
            store.set_statics(self.site.statics().to_vec());
            urls = vec!["*".to_owned()];
        }
        self.shared.live.rebuilt(urls);
        // The pages are served; the search bundle follows when it is ready.
        if rendering.content_changed {
            if let Some(archive) = self.site.archive() {
                self.search.submit(archive.clone());
            }
        }
        Some(Rebuilt { files, pages })
    }

    /// The site being served.
    pub fn site(&self) -> &Site {
        &self.site
    }
}
