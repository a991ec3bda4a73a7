//! The rebuild loop: takes batches of changed paths from the watcher, brings
//! the sources up to date, renders what changed, and swaps it into the served
//! site; then hands the archive to the search indexer ([`super::search`]),
//! off the path between a save and the reloaded page.

use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use super::Shared;
use super::incremental::Rendered;
use super::livereload::url_of;
use super::problems::Problems;
use super::project::{Linked, Project};
use super::search::SearchWorker;
use super::watch::Watcher;
use crate::archive::Archive;
use crate::content::Article;

/// The sources, what was rendered from them, and where it goes.
pub struct Builder {
    project: Project,
    rendered: Rendered,
    shared: Arc<Shared>,
    search: SearchWorker,
}

/// What a rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// The site is served as it was rebuilt.
    Rebuilt {
        /// Files written or removed.
        files: usize,
        /// HTML pages written.
        pages: usize,
    },
    /// A problem stopped the rebuild; the last good site is still served.
    Failed,
}

impl Builder {
    /// A builder of the site `project`, serving into `shared`.
    pub fn new(project: Project, shared: Arc<Shared>) -> Builder {
        let search = SearchWorker::spawn(shared.clone());
        Builder {
            project,
            rendered: Rendered::default(),
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
                let changed = self.project.update(&paths);
                changed.any().then(|| self.rebuild())
            }));
            let outcome = match outcome {
                Ok(Some(outcome)) => outcome,
                Ok(None) => continue,
                Err(_) => {
                    self.project.reset();
                    self.rendered = Rendered::default();
                    let text = "error: the rebuild failed (a bug in Gazette); the last good version of the site is still served, and the next change reads the whole site again";
                    eprintln!("{text}");
                    self.shared.live.failed(text);
                    continue;
                }
            };
            if let Outcome::Rebuilt { files, .. } = outcome {
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
                let shown = shown.first().cloned().unwrap_or_default();
                println!(
                    "Changed {shown}{more}: {} in {} ms",
                    crate::error::plural(files, "file"),
                    start.elapsed().as_millis()
                );
            }
        }
    }

    /// Brings the served site up to date with the sources.
    pub fn rebuild(&mut self) -> Outcome {
        if let Some(problems) = self.project.problems() {
            return self.fail(&problems);
        }
        let linked = match self.project.link() {
            Ok(linked) => linked,
            Err(problems) => return self.fail(&problems),
        };
        let project = &self.project;
        let (Some(archive), Some(tera)) = (project.archive(), project.tera()) else {
            return self.fail(&Problems {
                errors: vec!["the site could not be loaded".into()],
                ..Problems::default()
            });
        };
        let dirty = project.dirty;
        let everything = dirty.templates || dirty.config;
        let body_hash = |a: &Article| project.body_hash(a);
        let rendered = &mut self.rendered;
        let touched = match &linked {
            Linked::Patched { changed, moved } if !everything => {
                rendered.render_touched(archive, tera, changed, moved, &body_hash)
            }
            _ => None,
        };
        let delta = match touched
            .unwrap_or_else(|| rendered.render(archive, tera, everything, &body_hash))
        {
            Ok(delta) => delta,
            Err(error) => return self.fail(&Problems::from(error)),
        };
        let mut urls: Vec<String> = delta
            .removed
            .iter()
            .chain(delta.written.iter().map(|(p, _)| p))
            .map(|p| url_of(p))
            .collect();
        let files = delta.removed.len() + delta.written.len();
        let pages = delta
            .written
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .count();
        let store = &self.shared.store;
        store.apply(delta);
        if dirty.statics {
            store.set_statics(project.statics().to_vec());
            urls = vec!["*".to_owned()];
        }
        self.shared.live.rebuilt(urls);
        // The pages are served; the search bundle follows when it is ready.
        if dirty.content || dirty.config {
            self.search.submit(archive.clone());
        }
        self.project.dirty = Default::default();
        Outcome::Rebuilt { files, pages }
    }

    fn fail(&self, problems: &Problems) -> Outcome {
        let text = problems.to_string();
        eprintln!("{text}");
        self.shared.live.failed(&text);
        Outcome::Failed
    }

    /// The archive being served.
    pub fn archive(&self) -> Option<&Archive> {
        self.project.archive()
    }
}
