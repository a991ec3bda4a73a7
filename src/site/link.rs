//! Linking the pending changes into the archive: in place when they leave
//! the links as they are, else by [`archive::link`], which gives the articles
//! back when it fails, so that a failed link never costs the parsed articles.

use std::cmp::Ordering;
use std::path::PathBuf;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::moves::{Before, by_bytes, bytes};
use super::sources::{Linked, Sources};
use crate::archive;
use crate::content::{Article, Content, ProfileKind};
use crate::diagnostic;
use crate::error::Error;

/// More changed articles than this are linked again rather than patched.
const MAX_PATCHED: usize = 16;

impl Sources {
    /// Links the pending changes into the archive. On a problem (two articles
    /// with one URL, a name claimed by two profiles) the archive stays as it was.
    pub fn link(&mut self) -> Result<Linked, Error> {
        let mut config = self.config.clone();
        if let Some(url) = &self.base_url {
            config.base_url = url.clone();
        }
        if !self.relink {
            if let Some((changed, moved)) = self.patch() {
                if let Some(archive) = &mut self.archive {
                    let archive = Arc::make_mut(archive);
                    archive.config = config;
                    archive.site_url = archive.config.site_url();
                }
                return Ok(Linked::Patched { changed, moved });
            }
        }
        // Only articles changed: what linking them again changes is told
        // from how the archive was before.
        let changed: Vec<PathBuf> = self.pending.keys().cloned().collect();
        let mut before = None;
        let mut articles = match self.archive.take() {
            Some(archive) => {
                let mut archive =
                    Arc::try_unwrap(archive).unwrap_or_else(|shared| (*shared).clone());
                if !self.relink && !changed.is_empty() {
                    before = Some(Before::take(&mut archive, &changed));
                }
                archive.articles
            }
            None => std::mem::take(&mut self.loaded),
        };
        if !self.pending.is_empty() {
            let pending = by_bytes(&changed);
            let at: FxHashMap<PathBuf, usize> = articles
                .iter()
                .enumerate()
                .filter(|(_, a)| pending.contains(bytes(&a.path)))
                .map(|(i, a)| (a.path.clone(), i))
                .collect();
            let mut removed = vec![false; articles.len()];
            for (path, change) in self.pending.drain() {
                match (at.get(&path), change) {
                    (Some(&i), Some(article)) => articles[i] = article,
                    (Some(&i), None) => removed[i] = true,
                    (None, Some(article)) => articles.push(article),
                    (None, None) => {}
                }
            }
            let mut index = 0;
            articles.retain(|_| {
                index += 1;
                !removed.get(index - 1).copied().unwrap_or(false)
            });
        }
        let content = Content {
            articles,
            people: self.profiles_of(ProfileKind::Person),
            topics: self.profiles_of(ProfileKind::Topic),
            files: self.files().cloned().collect(),
        };
        match archive::link(config, content) {
            Ok(mut archive) => {
                archive.root.clone_from(&self.root);
                let moves = before.and_then(|before| before.moves(&archive, &changed));
                self.archive = Some(Arc::new(archive));
                self.relink = false;
                Ok(moves.map_or(Linked::Relinked, Linked::Moved))
            }
            Err(unlinked) => {
                // Nothing is lost: the articles wait to be linked again.
                self.loaded = unlinked.articles;
                Err(Error::Content(diagnostic::sorted(unlinked.diagnostics)))
            }
        }
    }

    /// Puts the pending changes into the archive in place when none of them
    /// changes how articles link: same date, people and topics, a URL no
    /// other article has, and the article keeps its place in time order.
    /// Returns the patched articles and the URLs they left, or `None` when
    /// the archive must be linked again (the changes that could be put in
    /// place are).
    fn patch(&mut self) -> Option<(Vec<usize>, Vec<String>)> {
        let archive = Arc::make_mut(self.archive.as_mut()?);
        if self.pending.len() > MAX_PATCHED {
            return None;
        }
        let mut places = Vec::with_capacity(self.pending.len());
        for (path, change) in &self.pending {
            let at = archive.articles.iter().position(|a| &a.path == path);
            match (at, change) {
                (Some(i), Some(new)) => {
                    let old = &archive.articles[i];
                    let earlier = |a: &Article| -> Vec<String> {
                        a.redirect_from
                            .iter()
                            .map(|(from, _)| from.clone())
                            .collect()
                    };
                    if new.date != old.date
                        || new.speakers != old.speakers
                        || new.topics != old.topics
                        || earlier(new) != earlier(old)
                        || new.links != old.links
                    {
                        return None;
                    }
                    places.push((path.clone(), Some(i)));
                }
                (None, None) => places.push((path.clone(), None)),
                _ => return None,
            }
        }
        for (path, at) in &places {
            let (Some(i), Some(Some(new))) = (*at, self.pending.get(path)) else {
                continue;
            };
            if !may_move(archive, i, new) {
                return None;
            }
        }
        let mut patched = Vec::with_capacity(places.len());
        let mut moved = Vec::new();
        for (path, at) in places {
            if let (Some(Some(mut article)), Some(i)) = (self.pending.remove(&path), at) {
                let old = &archive.articles[i];
                article.assets = old.assets.clone();
                if article.base_slug == old.base_slug {
                    article.slug = old.slug.clone();
                } else {
                    moved.push(old.url_path());
                }
                archive.articles[i] = article;
                patched.push(i);
            }
        }
        let in_order = archive
            .articles
            .windows(2)
            .all(|pair| time_order(&pair[0], &pair[1]) != Ordering::Greater);
        if !in_order {
            self.relink = true;
            return None;
        }
        Some((patched, moved))
    }
}

/// Whether article `i` of `archive` may take `new`'s slug in place. A title
/// that changes the slug is patched only when the article shares its old and
/// new slug with no other article of its month (a recurring title's URLs are
/// made by linking), and nothing else leads to its URL: no file beside it, no
/// earlier URL, no link from another article.
fn may_move(archive: &archive::Archive, i: usize, new: &Article) -> bool {
    let old = &archive.articles[i];
    if new.base_slug == old.base_slug {
        return true;
    }
    let shared = archive.articles.iter().enumerate().any(|(j, other)| {
        j != i
            && other.year() == old.year()
            && other.month() == old.month()
            && [&other.base_slug, &other.slug]
                .iter()
                .any(|s| **s == old.base_slug || **s == new.base_slug)
    });
    let linked_to = archive.links.iter().any(|l| !l.targets.is_empty());
    let attached = !old.assets.is_empty() || !old.redirect_from.is_empty() || linked_to;
    !shared && old.slug == old.base_slug && !attached
}

/// The order [`archive::link`] puts articles in: newest first, then by title and file.
fn time_order(a: &Article, b: &Article) -> Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.path.cmp(&b.path))
}
