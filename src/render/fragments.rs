//! List entries kept from one render to the next: an article's entry is the
//! same on every list page that shows it, and the same from render to
//! render while its view and the site-wide values are, so a render that
//! moves every list page by one (an article added or deleted) renders the
//! pages again but not the thousands of entries on them. The signature of
//! each article's view is kept too: when only some articles changed, the
//! others' views are as they were ([`Renderer::keep_views`](super::Renderer::keep_views)).

use std::ffi::OsString;
use std::path::Path;

use rustc_hash::FxHashMap;

/// The list entries of a render, by article file (its path's bytes, quicker
/// to hash than the path): each with the site-wide signature and the
/// signature of the article's view it was rendered from.
#[derive(Default)]
pub struct Fragments {
    entries: FxHashMap<OsString, Kept>,
}

/// An article's entries, per depth, and what they were rendered from.
struct Kept {
    site: u64,
    view: u64,
    texts: [Option<String>; 2],
}

impl Fragments {
    /// The entry at `depth` of the article at `path`, when it was rendered
    /// from the same site-wide values (`site`) and view (`view`).
    pub fn entry(&self, path: &Path, (site, view): (u64, u64), depth: usize) -> Option<&str> {
        let kept = self.entries.get(path.as_os_str())?;
        (kept.site == site && kept.view == view)
            .then(|| kept.texts[depth].as_deref())
            .flatten()
    }

    /// The signature of the view of the article at `path` when the site-wide
    /// values were `site`.
    pub fn view(&self, path: &Path, site: u64) -> Option<u64> {
        let kept = self.entries.get(path.as_os_str())?;
        (kept.site == site).then_some(kept.view)
    }

    /// Keeps the `texts` of the article at `path`, rendered from `site` and
    /// `view` (none when only its view was signed), in place of what was
    /// kept of it.
    pub fn keep(&mut self, path: &Path, (site, view): (u64, u64), texts: [Option<String>; 2]) {
        match self.entries.get_mut(path.as_os_str()) {
            Some(kept) if kept.site == site && kept.view == view => {
                for (old, new) in kept.texts.iter_mut().zip(texts) {
                    if new.is_some() {
                        *old = new;
                    }
                }
            }
            Some(kept) => *kept = Kept { site, view, texts },
            None => {
                let path = path.as_os_str().to_owned();
                self.entries.insert(path, Kept { site, view, texts });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_taken_only_from_the_same_values() {
        let path = std::path::PathBuf::from("content/a.md");
        let mut kept = Fragments::default();
        kept.keep(&path, (1, 2), [Some("first".into()), None]);
        assert_eq!(kept.entry(&path, (1, 2), 0), Some("first"));
        assert_eq!(kept.entry(&path, (1, 2), 1), None);
        // Another view, or other site-wide values: rendered again.
        assert_eq!(kept.entry(&path, (1, 3), 0), None);
        assert_eq!(kept.entry(&path, (4, 2), 0), None);
        // The other depth joins what was kept from the same values…
        kept.keep(&path, (1, 2), [None, Some("second".into())]);
        assert_eq!(kept.entry(&path, (1, 2), 0), Some("first"));
        assert_eq!(kept.entry(&path, (1, 2), 1), Some("second"));
        // …and what was rendered from other values replaces it.
        kept.keep(&path, (1, 3), [None, Some("third".into())]);
        assert_eq!(kept.entry(&path, (1, 3), 0), None);
        assert_eq!(kept.entry(&path, (1, 3), 1), Some("third"));
    }
}
