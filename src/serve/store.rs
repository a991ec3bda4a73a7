//! The site being served, held in memory: output path → bytes, in three
//! layers written at different times (rendered pages, the search bundle, the
//! static files). A rebuild changes the store under one write lock, so a
//! request sees either the site before the rebuild or the site after it.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;
use memchr::memmem;
use rayon::prelude::*;

use super::livereload::SCRIPT_TAG;

#[derive(Debug, Default)]
struct Layers {
    pages: HashMap<String, Bytes>,
    search: HashMap<String, Bytes>,
    statics: HashMap<String, Bytes>,
}

/// The files of the site, served from memory.
#[derive(Debug, Default)]
pub struct Store {
    layers: RwLock<Layers>,
}

impl Store {
    /// The file at `path` (relative, `/`-separated): a static file first, as
    /// `gazette build` copies them last, then the search bundle, then a page.
    pub fn get(&self, path: &str) -> Option<Bytes> {
        let layers = self.read();
        layers
            .statics
            .get(path)
            .or_else(|| layers.search.get(path))
            .or_else(|| layers.pages.get(path))
            .cloned()
    }

    /// Whether the site has any page yet (false until the first good build).
    pub fn has_pages(&self) -> bool {
        !self.read().pages.is_empty()
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        let layers = self.read();
        layers.pages.len() + layers.search.len() + layers.statics.len()
    }

    /// Whether the store has no file at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies a change of the rendered pages: removes the pages at
    /// `removed`, then writes `written`.
    pub fn apply(&self, removed: &[String], written: Vec<(String, Vec<u8>)>) {
        let written: Vec<(String, Bytes)> = written
            .into_par_iter()
            .map(|(path, bytes)| {
                let bytes = prepare(&path, bytes);
                (path, bytes)
            })
            .collect();
        let mut layers = self.write();
        for path in removed {
            layers.pages.remove(path);
        }
        layers.pages.extend(written);
    }

    /// Replaces the search bundle.
    pub fn set_search(&self, files: Vec<(String, Vec<u8>)>) {
        let files = files
            .into_iter()
            .map(|(p, b)| (p, Bytes::from(b)))
            .collect();
        self.write().search = files;
    }

    /// Replaces the static files.
    pub fn set_statics(&self, files: Vec<(String, Vec<u8>)>) {
        let files = files
            .into_iter()
            .map(|(path, bytes)| {
                let bytes = prepare(&path, bytes);
                (path, bytes)
            })
            .collect();
        self.write().statics = files;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Layers> {
        // A panic while holding the lock cannot leave the maps half-changed
        // (each change is a whole insert or remove), so a poisoned lock is usable.
        self.layers.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Layers> {
        self.layers.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The bytes to serve for `path`: HTML pages get the live-reload script.
fn prepare(path: &str, bytes: Vec<u8>) -> Bytes {
    if path.ends_with(".html") {
        Bytes::from(inject(bytes))
    } else {
        Bytes::from(bytes)
    }
}

/// `html` with the live-reload script tag before `</head>` (or at the end
/// when the page has no head). The script is an external file, so a page
/// served with a strict Content-Security-Policy keeps working.
pub fn inject(html: Vec<u8>) -> Vec<u8> {
    let at = memmem::find(&html, b"</head>")
        .or_else(|| memmem::find(&html, b"</HEAD>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_head() {
        let page = inject(b"<html><head><title>x</title></head><body></body></html>".to_vec());
        let page = String::from_utf8(page).unwrap();
        assert_eq!(
            page,
            format!("<html><head><title>x</title>{SCRIPT_TAG}</head><body></body></html>")
        );
        let bare = String::from_utf8(inject(b"<p>hi</p>".to_vec())).unwrap();
        assert_eq!(bare, format!("<p>hi</p>{SCRIPT_TAG}"));
    }

    #[test]
    fn statics_win_over_pages() {
        let store = Store::default();
        store.apply(&[], vec![("a.txt".into(), b"page".to_vec())]);
        assert_eq!(store.get("a.txt").unwrap(), Bytes::from_static(b"page"));
        store.set_statics(vec![("a.txt".into(), b"static".to_vec())]);
        assert_eq!(store.get("a.txt").unwrap(), Bytes::from_static(b"static"));
        store.apply(&["a.txt".into()], vec![]);
        assert_eq!(store.get("a.txt").unwrap(), Bytes::from_static(b"static"));
        store.set_statics(vec![]);
        assert!(store.get("a.txt").is_none());
    }
}
