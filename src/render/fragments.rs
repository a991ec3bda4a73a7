//! List entries kept from one render to the next: an article's entry is the
//! same on every list page that shows it, and the same from render to
//! render while its view and the site-wide values are, so a render that
//! moves every list page by one (an article added or deleted) renders the
//! pages again but not the thousands of entries on them.

use std::path::PathBuf;

use rustc_hash::FxHashMap;

/// The list entries of a render, by article: each with the site-wide
/// signature and the signature of the article's view it was rendered from.
#[derive(Default)]
pub struct Fragments {
    entries: FxHashMap<PathBuf, Kept>,
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
    pub fn entry(&self, path: &PathBuf, (site, view): (u64, u64), depth: usize) -> Option<&str> {
        let kept = self.entries.get(path)?;
        (kept.site == site && kept.view == view)
            .then(|| kept.texts[depth].as_deref())
            .flatten()
    }

    /// Keeps the `texts` of the article at `path`, rendered from `site` and
    /// `view`, in place of what was kept of it.
    pub fn keep(&mut self, path: PathBuf, (site, view): (u64, u64), texts: [Option<String>; 2]) {
        match self.entries.get_mut(&path) {
            Some(kept) if kept.site == site && kept.view == view => {
                for (old, new) in kept.texts.iter_mut().zip(texts) {
                    if new.is_some() {
                        *old = new;
                    }
                }
            }
            _ => {
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
        let path = PathBuf::from("content/a.md");
        let mut kept = Fragments::default();
        kept.keep(path.clone(), (1, 2), [Some("first".into()), None]);
        assert_eq!(kept.entry(&path, (1, 2), 0), Some("first"));
        assert_eq!(kept.entry(&path, (1, 2), 1), None);
        // Another view, or other site-wide values: rendered again.
        assert_eq!(kept.entry(&path, (1, 3), 0), None);
        assert_eq!(kept.entry(&path, (4, 2), 0), None);
        // The other depth joins what was kept from the same values…
        kept.keep(path.clone(), (1, 2), [None, Some("second".into())]);
        assert_eq!(kept.entry(&path, (1, 2), 0), Some("first"));
        assert_eq!(kept.entry(&path, (1, 2), 1), Some("second"));
        // …and what was rendered from other values replaces it.
        kept.keep(path.clone(), (1, 3), [None, Some("third".into())]);
        assert_eq!(kept.entry(&path, (1, 3), 0), None);
        assert_eq!(kept.entry(&path, (1, 3), 1), Some("third"));
    }
}
