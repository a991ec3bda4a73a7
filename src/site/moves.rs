//! What linking the archive again changed when only articles did (they came,
//! went, or changed their date, people or topics): the articles whose pages
//! now show something else of the archive (a neighbour, a related article,
//! their own URL), and the lists articles came to or left. A render then
//! signs only the parts these can have changed
//! ([`Rendered::plan_relinked`](crate::incremental::Rendered::plan_relinked)),
//! not every part of the site.

use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use twox_hash::XxHash3_64;

use crate::archive::{Archive, Entity, Links};
use crate::content::{Article, Asset};
use crate::incremental::{Listing, listings};
use crate::paths;

/// What article pages showed of the archive before it was linked again.
pub(super) struct Before {
    /// Each article's file, place (year, month, slug), files and links, in
    /// the archive's order.
    paths: Vec<OsString>,
    places: Vec<(i32, u32, String)>,
    assets: Vec<Vec<Asset>>,
    links: Vec<Links>,
    /// The hash of the people, topics and months (see [`frame`]).
    frame: u64,
    /// The lists the changed articles were on.
    listings: Vec<Listing>,
}

/// What a relink changed, when its people, topics and months are as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moves {
    /// The articles whose pages show something else, or that changed
    /// themselves, as indices into the new archive.
    pub changed: Vec<usize>,
    /// The lists articles came to or left.
    pub listings: Vec<Listing>,
    /// The URL paths the articles that went, moved or changed were at:
    /// their jobs may be gone (an article's files, its earlier URLs).
    pub left: Vec<String>,
}

impl Before {
    /// Takes from `archive` (its links, which it loses) what its pages
    /// showed, before the articles at `changed` come, go or change.
    pub fn take(archive: &mut Archive, changed: &[PathBuf]) -> Before {
        let changed = by_bytes(changed);
        let articles = &archive.articles;
        let mut lists = Vec::new();
        for (i, article) in articles.iter().enumerate() {
            if changed.contains(bytes(&article.path)) {
                add(&mut lists, listings(archive, i));
            }
        }
        Before {
            paths: articles.iter().map(|a| a.path.clone().into()).collect(),
            places: articles.iter().map(place).collect(),
            assets: articles.iter().map(|a| a.assets.clone()).collect(),
            frame: frame(archive),
            links: std::mem::take(&mut archive.links),
            listings: lists,
        }
    }

    /// What linking `after` changed; `None` when its people, topics or
    /// months are not those of before.
    pub fn moves(self, after: &Archive, changed: &[PathBuf]) -> Option<Moves> {
        if frame(after) != self.frame {
            return None;
        }
        let changed = by_bytes(changed);
        let at: FxHashMap<&[u8], usize> = self
            .paths
            .iter()
            .enumerate()
            .map(|(o, path)| (path.as_encoded_bytes(), o))
            .collect();
        let old_of: Vec<Option<usize>> = after
            .articles
            .par_iter()
            .map(|a| at.get(bytes(&a.path)).copied())
            .collect();
        let mut new_of = vec![None; self.paths.len()];
        for (i, o) in old_of.iter().enumerate() {
            if let Some(o) = *o {
                new_of[o] = Some(i);
            }
        }
        // Old article `o` is new article `i`: both none, or the same.
        let same = |o: Option<usize>, i: Option<usize>| match (o, i) {
            (None, None) => true,
            (Some(o), Some(i)) => new_of[o] == Some(i),
            _ => false,
        };
        let (old_count, count) = (self.paths.len(), after.articles.len());
        let within = |n: usize, len: usize| Some(n).filter(|&n| n < len);
        let unmoved: Vec<bool> = (after.articles.par_iter().zip(&after.links))
            .zip(&old_of)
            .enumerate()
            .map(|(i, ((article, links), &o))| {
                let Some(o) = o.filter(|_| !changed.contains(bytes(&article.path))) else {
                    return false;
                };
                let was = &self.links[o];
                is_at(&self.places[o], article)
                    && self.assets[o] == article.assets
                    && same(o.checked_sub(1), i.checked_sub(1))
                    && same(within(o + 1, old_count), within(i + 1, count))
                    && was.related.len() == links.related.len()
                    && was
                        .related
                        .iter()
                        .zip(&links.related)
                        .all(|(&o, &i)| same(Some(o), Some(i)))
                    && (&was.targets, &was.speakers, &was.topics)
                        == (&links.targets, &links.speakers, &links.topics)
            })
            .collect();
        let mut moves = Moves {
            changed: Vec::new(),
            listings: self.listings,
            left: Vec::new(),
        };
        for (o, place) in self.places.iter().enumerate() {
            let changed = changed.contains(self.paths[o].as_encoded_bytes());
            if changed || new_of[o].is_none_or(|i| !is_at(place, &after.articles[i])) {
                let (year, month, slug) = place;
                moves.left.push(paths::article(*year, *month, slug));
            }
        }
        for (i, article) in after.articles.iter().enumerate() {
            if !unmoved[i] {
                moves.changed.push(i);
                // Come, or changed itself: the lists it is on now.
                if old_of[i].is_none() || changed.contains(bytes(&article.path)) {
                    add(&mut moves.listings, listings(after, i));
                }
            }
        }
        Some(moves)
    }
}

/// Where `article`'s page is: its year, month and slug.
fn place(article: &Article) -> (i32, u32, String) {
    (article.year(), article.month(), article.slug.clone())
}

/// Whether `article`'s page is at `place`.
fn is_at((year, month, slug): &(i32, u32, String), article: &Article) -> bool {
    *year == article.year() && *month == article.month() && *slug == article.slug
}

/// Adds the lists `more` to `lists`, each once.
fn add(lists: &mut Vec<Listing>, more: Vec<Listing>) {
    for listing in more {
        if !lists.contains(&listing) {
            lists.push(listing);
        }
    }
}

/// The bytes of `paths`, to look up.
pub(super) fn by_bytes(paths: &[PathBuf]) -> FxHashSet<&[u8]> {
    paths.iter().map(|p| bytes(p)).collect()
}

/// The bytes of `path`, to look up: a path's own hash reads it component
/// by component, its bytes' is ten times faster.
pub(super) fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The hash of the archive's people and topics as pages show them (in the
/// order their indices follow), and of its years and months.
fn frame(archive: &Archive) -> u64 {
    let mut hasher = XxHash3_64::default();
    let entity = |e: &Entity, hasher: &mut XxHash3_64| {
        (&e.slug, &e.name, &e.role, e.profiled).hash(hasher);
    };
    for e in archive.people.iter().chain(&archive.topics) {
        entity(e, &mut hasher);
    }
    archive.people.len().hash(&mut hasher);
    for year in &archive.years {
        year.year.hash(&mut hasher);
        for month in &year.months {
            month.month.hash(&mut hasher);
        }
    }
    hasher.finish()
}
