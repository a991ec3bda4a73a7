//! The search bundle rebuilt on a thread of its own, behind the pages: for a
//! preview server, a search a second late matters less than a page.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};

use super::SearchFile;
use crate::archive::Archive;

/// What is done with each bundle built.
type Done = dyn Fn(Vec<SearchFile>) + Send + Sync;

/// Builds the search bundle of the newest archive it is given, one at a
/// time, on a thread of its own and one core, so that rendering keeps the
/// other, and hands each bundle to a callback.
pub struct SearchWorker {
    slot: Arc<(Mutex<Slot>, Condvar)>,
}

#[derive(Default)]
struct Slot {
    next: Option<Arc<Archive>>,
    closed: bool,
}

impl SearchWorker {
    /// Starts the indexer thread; `done` gets every bundle that is still
    /// the newest when it is ready.
    pub fn spawn(done: impl Fn(Vec<SearchFile>) + Send + Sync + 'static) -> SearchWorker {
        let slot: Arc<(Mutex<Slot>, Condvar)> = Arc::default();
        let theirs = slot.clone();
        let spawned = std::thread::Builder::new()
            .name("gazette-search".into())
            .spawn(move || search_loop(&theirs, &done));
        if let Err(e) = spawned {
            eprintln!("warning: cannot start the search indexer, search is not served: {e}");
        }
        SearchWorker { slot }
    }

    /// Indexes `archive` when the thread is free, replacing any archive still waiting.
    pub fn submit(&self, archive: Arc<Archive>) {
        let (lock, ready) = &*self.slot;
        lock.lock().unwrap_or_else(|e| e.into_inner()).next = Some(archive);
        ready.notify_one();
    }
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        let (lock, ready) = &*self.slot;
        lock.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        ready.notify_one();
    }
}

fn search_loop(slot: &(Mutex<Slot>, Condvar), done: &Done) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "gazette-search-index".into())
        .build()
        .ok();
    let (lock, ready) = slot;
    // The runs of articles of the last bundle, which the next one takes
    // where they did not change.
    let mut indexed = super::Indexed::default();
    loop {
        let archive = {
            let mut slot = lock.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if slot.closed {
                    return;
                }
                if let Some(archive) = slot.next.take() {
                    break archive;
                }
                slot = ready.wait(slot).unwrap_or_else(|e| e.into_inner());
            }
        };
        let mut index = || {
            if archive.config.search.enabled {
                super::bundle_in_memory(&archive, &mut indexed)
            } else {
                Vec::new()
            }
        };
        let files = panic::catch_unwind(AssertUnwindSafe(|| match &pool {
            Some(pool) => pool.install(index),
            None => index(),
        }));
        let Ok(files) = files else {
            eprintln!(
                "warning: the search index could not be built (a bug in Gazette); search shows the previous one"
            );
            continue;
        };
        // A newer archive is waiting: this bundle is already out of date.
        if lock
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next
            .is_some()
        {
            continue;
        }
        done(files);
    }
}
