//! Live reload: the script every served page loads, and the events the server
//! sends it over Server-Sent Events — which pages a rebuild changed, and the
//! problems that stopped a rebuild (shown over the page, the last good site
//! staying in place until they are fixed).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

/// Where the script is served.
pub const SCRIPT_PATH: &str = "/__gazette/livereload.js";
/// Where the script listens for events.
pub const EVENTS_PATH: &str = "/__gazette/events";
/// Where tools (and the tests) read the server's state as JSON.
pub const STATUS_PATH: &str = "/__gazette/status";
/// The tag added to every served HTML page: an external script, no inline code.
pub const SCRIPT_TAG: &str = "<script src=\"/__gazette/livereload.js\" defer></script>";
/// The script itself.
pub const SCRIPT: &str = include_str!("livereload.js");

/// When a rebuild changes more pages than this, the event says "every page".
const MAX_LISTED: usize = 2_000;

/// What the server tells open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// These page URLs (`/2020/09/slug/`) changed; `*` means every page.
    Reload(Arc<[String]>),
    /// A rebuild failed: the problems, as the terminal shows them.
    Problems(Arc<str>),
    /// The problems are fixed (a `Reload` follows when pages changed).
    Fixed,
}

/// The live-reload hub: the current state and the channel to every open page.
#[derive(Debug)]
pub struct LiveReload {
    sender: broadcast::Sender<Event>,
    problems: RwLock<Option<Arc<str>>>,
    generation: AtomicU64,
    search_generation: AtomicU64,
}

impl Default for LiveReload {
    fn default() -> Self {
        LiveReload {
            sender: broadcast::channel(64).0,
            problems: RwLock::new(None),
            generation: AtomicU64::new(0),
            search_generation: AtomicU64::new(0),
        }
    }
}

impl LiveReload {
    /// A receiver of the events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// The problems of the last rebuild, if it failed.
    pub fn problems(&self) -> Option<Arc<str>> {
        self.problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many rebuilds have been served (0 before the first good one).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// How many search bundles have been served.
    pub fn search_generation(&self) -> u64 {
        self.search_generation.load(Ordering::SeqCst)
    }

    /// A rebuild failed with `text`.
    pub fn failed(&self, text: &str) {
        let text: Arc<str> = Arc::from(text);
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
        self.send(Event::Problems(text));
    }

    /// A rebuild succeeded and is served; `urls` are the pages it changed.
    pub fn rebuilt(&self, urls: Vec<String>) {
        let had_problems = self
            .problems
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .is_some();
        self.generation.fetch_add(1, Ordering::SeqCst);
        if had_problems {
            self.send(Event::Fixed);
        }
        if !urls.is_empty() {
            let urls = if urls.len() > MAX_LISTED {
                vec!["*".to_owned()]
            } else {
                urls
            };
            self.send(Event::Reload(urls.into()));
        }
    }

    /// A new search bundle is served.
    pub fn search_rebuilt(&self) {
        self.search_generation.fetch_add(1, Ordering::SeqCst);
    }

    fn send(&self, event: Event) {
        // No page open means no receiver: nothing to do.
        let _ = self.sender.send(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_is_announced_before_the_reload() {
        let hub = LiveReload::default();
        let mut events = hub.subscribe();
        hub.failed("content/a.md:2:1: bad");
        assert_eq!(hub.problems().as_deref(), Some("content/a.md:2:1: bad"));
        hub.rebuilt(vec!["/".into()]);
        assert!(hub.problems().is_none());
        assert!(matches!(events.try_recv(), Ok(Event::Problems(_))));
        assert_eq!(events.try_recv().ok(), Some(Event::Fixed));
        assert_eq!(
            events.try_recv().ok(),
            Some(Event::Reload(vec!["/".to_owned()].into()))
        );
        assert_eq!(hub.generation(), 1);
    }
}
