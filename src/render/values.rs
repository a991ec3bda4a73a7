//! The values one file's template receives, gathered into a Tera context to
//! render the file, into a hash that signs it, or both at once.
//!
//! Every job fills its values once, through this one door, whatever they are
//! for. So the signature that tells an incremental render whether a file must
//! be rendered again is made of the very values its template gets: a field
//! added to a view changes the signature with nothing else to update. A full
//! render signs as it renders, at the cost of the hashing alone.

use std::hash::{Hash, Hasher};

use serde::Serialize;
use tera::Context;
use twox_hash::XxHash3_64;

use super::{Depth, Renderer};
use crate::error::Error;

/// The values of one file.
#[derive(Clone, Default)]
pub(super) struct Values {
    /// The context to render the template with, when rendering.
    context: Option<Context>,
    /// The hash of everything the template receives, when signing.
    hasher: Option<XxHash3_64>,
    /// The articles whose bodies the template would receive, when asked.
    bodies: Option<Vec<usize>>,
    /// The length of the ready-made HTML the file shows (bodies, list
    /// entries), to size its buffer.
    pub shown: usize,
}

impl Values {
    /// Values to render a file with, and to sign it when `sign`.
    pub fn render(sign: bool) -> Values {
        Values {
            context: Some(Context::new()),
            hasher: sign.then(XxHash3_64::default),
            ..Values::default()
        }
    }

    /// Values to sign a file with.
    pub fn sign() -> Values {
        Values {
            hasher: Some(XxHash3_64::default()),
            ..Values::default()
        }
    }

    /// Values that only list the articles whose bodies a file shows.
    pub fn bodies() -> Values {
        Values {
            bodies: Some(Vec::new()),
            ..Values::default()
        }
    }

    /// Adds `value` to the signature only: what decides the file besides its
    /// template's values (the template's name, the file's path).
    pub fn sign_also(&mut self, value: &impl Hash) {
        if let Some(hasher) = &mut self.hasher {
            value.hash(hasher);
        }
    }

    /// `value` under `key`.
    pub fn insert<T: Serialize + Hash + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(context) = &mut self.context {
            context.insert(key, value);
        }
        self.sign_also(&key);
        self.sign_also(&value);
    }

    /// Article `index` of `renderer`'s archive under `key`, without its body;
    /// signed by its view's signature, made once for every page that shows it.
    pub fn article(&mut self, renderer: &Renderer, key: &'static str, index: usize) {
        if let Some(context) = &mut self.context {
            context.insert(key, renderer.view(index));
        }
        if self.hasher.is_some() {
            self.sign_also(&key);
            self.sign_also(&renderer.view_signature(index));
        }
    }

    /// The list entries (`entry.html`) of `articles`, headings at `depth`, as `entries`.
    pub fn entries(
        &mut self,
        renderer: &Renderer,
        articles: &[usize],
        depth: Depth,
    ) -> Result<(), Error> {
        self.fragments(renderer, "entries", articles, depth, |i| {
            renderer.entry(i, depth)
        })
    }

    /// The related-list items (`related.html`) of `articles`, as `related`.
    pub fn related(&mut self, renderer: &Renderer, articles: &[usize]) -> Result<(), Error> {
        self.fragments(renderer, "related", articles, (), |i| renderer.related(i))
    }

    /// Fragments each rendered once from an article's view (`render`), as
    /// `key`; signed by the views' signatures and `how` they are rendered.
    fn fragments<'r>(
        &mut self,
        renderer: &'r Renderer,
        key: &'static str,
        articles: &[usize],
        how: impl Hash,
        render: impl Fn(usize) -> Result<&'r str, Error>,
    ) -> Result<(), Error> {
        if self.hasher.is_some() {
            let signatures: Vec<u64> = articles
                .iter()
                .map(|&i| renderer.view_signature(i))
                .collect();
            self.sign_also(&key);
            self.sign_also(&(how, signatures));
        }
        if let Some(context) = &mut self.context {
            let fragments = articles
                .iter()
                .map(|&i| render(i))
                .collect::<Result<Vec<_>, _>>()?;
            self.shown += fragments.iter().map(|e| e.len()).sum::<usize>();
            context.insert(key, &fragments);
        }
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
        if let Some(bodies) = &mut self.bodies {
            bodies.extend_from_slice(articles);
        }
        if self.context.is_none() && self.hasher.is_none() {
            return;
        }
        let views: Vec<_> = articles
            .iter()
            .map(|&i| renderer.view_with_body(i))
            .collect();
        self.shown += views.iter().map(|v| v.body.html.len()).sum::<usize>();
        match (one, views.first()) {
            (true, Some(view)) => self.insert(key, view),
            _ => self.insert(key, &views),
        }
    }

    /// The context to render with, and the signature when signing.
    pub fn finish(self) -> (Context, Option<u64>) {
        let signature = self.hasher.map(|h| h.finish());
        (self.context.unwrap_or_default(), signature)
    }

    /// The signature of the values; 0 when not signing.
    pub fn signature(&self) -> u64 {
        self.hasher.as_ref().map_or(0, Hasher::finish)
    }

    /// The articles whose bodies the values show; none when not asked.
    pub fn into_bodies(self) -> Vec<usize> {
        self.bodies.unwrap_or_default()
    }
}
