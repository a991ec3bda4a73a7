//! The values one file's template receives, gathered either into a Tera
//! context to render the file, or into a hash that signs it.
//!
//! Every job fills its values once, through this one door, whichever of the
//! two it is for. So the signature that tells an incremental build whether a
//! file must be rendered again is made of the very values its template gets:
//! a field added to a view changes the signature with nothing else to update.

use std::hash::{Hash, Hasher};

use serde::Serialize;
use tera::Context;
use twox_hash::XxHash3_64;

use super::{Depth, Renderer};
use crate::error::Error;

/// What the values are gathered for.
#[derive(Clone)]
enum Mode {
    /// A context to render the template with.
    Render(Context),
    /// A hash of everything the template would receive.
    Sign(XxHash3_64),
}

/// The values of one file, as a context or as a signature.
#[derive(Clone)]
pub(super) struct Values {
    mode: Mode,
    /// The length of the ready-made HTML the file shows (bodies, list
    /// entries), to size its buffer.
    pub shown: usize,
}

impl Values {
    /// Values to render a file with.
    pub fn render() -> Values {
        Values {
            mode: Mode::Render(Context::new()),
            shown: 0,
        }
    }

    /// Values to sign a file with.
    pub fn sign() -> Values {
        Values {
            mode: Mode::Sign(XxHash3_64::default()),
            shown: 0,
        }
    }

    /// Whether these values are only signed: the fragments they show need
    /// not be rendered.
    fn signing(&self) -> bool {
        matches!(self.mode, Mode::Sign(_))
    }

    /// `value` under `key`.
    pub fn insert<T: Serialize + Hash + ?Sized>(&mut self, key: &'static str, value: &T) {
        match &mut self.mode {
            Mode::Render(context) => context.insert(key, value),
            Mode::Sign(hasher) => {
                key.hash(hasher);
                value.hash(hasher);
            }
        }
    }

    /// Adds `value` to the signature only: what decides the file besides its
    /// template's values (the template's name, the file's path).
    pub fn sign_also(&mut self, value: &impl Hash) {
        if let Mode::Sign(hasher) = &mut self.mode {
            value.hash(hasher);
        }
    }

    /// A value under `key` whose signature is `signature` (an article's
    /// view, signed once for every page that shows it).
    fn insert_signed<T: Serialize>(
        &mut self,
        key: &'static str,
        value: impl FnOnce() -> T,
        signature: impl FnOnce() -> u64,
    ) {
        match &mut self.mode {
            Mode::Render(context) => context.insert(key, &value()),
            Mode::Sign(hasher) => {
                key.hash(hasher);
                signature().hash(hasher);
            }
        }
    }

    /// Article `index` of `renderer`'s archive under `key`, without its body.
    pub fn article(&mut self, renderer: &Renderer, key: &'static str, index: usize) {
        self.insert_signed(
            key,
            || renderer.view(index),
            || renderer.view_signature(index),
        );
    }

    /// The list entries (`entry.html`) of `articles`, headings at `depth`, as `entries`.
    pub fn entries(
        &mut self,
        renderer: &Renderer,
        articles: &[usize],
        depth: Depth,
    ) -> Result<(), Error> {
        if self.signing() {
            let signatures: Vec<u64> = articles
                .iter()
                .map(|&i| renderer.view_signature(i))
                .collect();
            self.insert("entries", &(depth, signatures));
            return Ok(());
        }
        let entries = articles
            .iter()
            .map(|&i| renderer.entry(i, depth))
            .collect::<Result<Vec<_>, _>>()?;
        self.shown += entries.iter().map(|e| e.len()).sum::<usize>();
        self.insert("entries", &entries);
        Ok(())
    }

    /// The related-list items (`related.html`) of `articles`, as `related`.
    pub fn related(&mut self, renderer: &Renderer, articles: &[usize]) -> Result<(), Error> {
        if self.signing() {
            let signatures: Vec<u64> = articles
                .iter()
                .map(|&i| renderer.view_signature(i))
                .collect();
            self.insert("related", &signatures);
            return Ok(());
        }
        let related = articles
            .iter()
            .map(|&i| renderer.related(i))
            .collect::<Result<Vec<_>, _>>()?;
        self.insert("related", &related);
        Ok(())
    }

    /// Articles with their bodies under `key`: one (an article's page) or a
    /// list (a feed's).
    pub fn with_bodies(
        &mut self,
        renderer: &Renderer,
        key: &'static str,
        articles: &[usize],
        one: bool,
    ) {
        let views: Vec<_> = articles
            .iter()
            .map(|&i| renderer.view_with_body(i))
            .collect();
        self.shown += views.iter().map(|v| v.body.len()).sum::<usize>();
        match (one, views.first()) {
            (true, Some(view)) => self.insert(key, view),
            _ => self.insert(key, &views),
        }
    }

    /// The context to render with; an empty one for signed values.
    pub fn into_context(self) -> Context {
        match self.mode {
            Mode::Render(context) => context,
            Mode::Sign(_) => Context::new(),
        }
    }

    /// The signature of the values; 0 for values gathered to render.
    pub fn signature(&self) -> u64 {
        match &self.mode {
            Mode::Render(_) => 0,
            Mode::Sign(hasher) => hasher.finish(),
        }
    }
}
