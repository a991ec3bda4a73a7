//! Render: the archive turned into pages with the theme's Tera templates.
//!
//! The site is a list of [`Job`]s, each independent of the others, so they
//! render in parallel and an incremental build redoes only the files whose
//! signature changed. A job fills its templates' values once ([`values`]),
//! for rendering or for signing alike.

mod assets;
mod fragments;
mod jobs;
mod sitemap;
mod theme;
mod values;
mod views;

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;

use serde::Serialize;
use tera::{Context, Tera};
use twox_hash::XxHash3_64;

use crate::archive::Archive;
use crate::error::Error;
use crate::markdown;
use crate::paths::{self, Urls};
pub use fragments::Fragments;
pub use jobs::{Job, Part};
pub use theme::{STATIC_DIR, StaticFile, TEMPLATES_DIR, static_files, templates};
use views::{ArticleView, Body, Signed, SiteView, WithBody, YearLink};

/// Bytes set aside for what a page or feed adds to the HTML it shows ready
/// made (a body, list entries): its head, header, footer and links.
const FRAME_BYTES: usize = 8 * 1024;

/// One rendered file: its path below the output root and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// `2020/09/slug/index.html`, `feed.xml`.
    pub path: String,
    /// The bytes to write.
    pub body: Vec<u8>,
    /// The part of its job it is.
    pub part: Part,
    /// The hash of its template's values, when it was asked for.
    pub signature: Option<u64>,
}

/// Where a list's article headings sit: `h2` under the page's title (home,
/// month), `h3` under a section's heading (a person's or topic's articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
enum Depth {
    Page,
    Section,
}

impl Depth {
    /// The level of the `h` element of an entry's title.
    fn heading_level(self) -> u8 {
        match self {
            Depth::Page => 2,
            Depth::Section => 3,
        }
    }
}

/// The part of the site a page is in, which the header's navigation marks as
/// current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Any page outside the sections below (home, articles, dates).
    Other,
    /// `people/` and everything below it.
    People,
    /// `topics/` and everything below it.
    Topics,
    /// `archive/`.
    Archive,
    /// `search/`.
    Search,
}

impl Section {
    /// How many sections there are.
    const COUNT: usize = 5;

    /// The section of the page at site path `path` (`people/x/`).
    fn of(path: &str) -> Section {
        match path {
            paths::ARCHIVE => Section::Archive,
            paths::SEARCH => Section::Search,
            _ if path.starts_with(paths::PEOPLE) => Section::People,
            _ if path.starts_with(paths::TOPICS) => Section::Topics,
            _ => Section::Other,
        }
    }

    /// Its name for `header.html`: empty for [`Section::Other`].
    fn name(self) -> &'static str {
        match self {
            Section::Other => "",
            Section::People => "people",
            Section::Topics => "topics",
            Section::Archive => "archive",
            Section::Search => "search",
        }
    }
}

/// Where a rendered file goes and what frames it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    /// An HTML page at a site path (a folder): header, footer and its URL.
    Page(String),
    /// A file at a site path (a feed): its URL only.
    File(String),
    /// `404.html`: a page shown at any URL, so with no URL of its own.
    NotFound,
}

/// Renders the pages of one archive.
pub struct Renderer<'a> {
    archive: &'a Archive,
    tera: &'a Tera,
    urls: Urls,
    /// The values every page sees, serialized once.
    common: Context,
    /// Each article as lists show it, made on first use: an article appears
    /// on its neighbours' pages, in related lists, on the pages of its
    /// people, topics and month and in their feeds.
    views: Vec<OnceLock<ArticleView<'a>>>,
    /// The hash of each article's view, made on first use.
    view_signatures: Vec<OnceLock<u64>>,
    /// Each article's list entry (`entry.html`) per [`Depth`], rendered on
    /// first use and shown on every list page that has the article.
    entries: Vec<[OnceLock<String>; 2]>,
    /// Each article's item in other articles' related lists
    /// (`related.html`), rendered on first use.
    related: Vec<OnceLock<String>>,
    /// `years.html`, the same on every page, rendered on first use.
    years_nav: OnceLock<String>,
    /// `header.html` per [`Section`], rendered on first use.
    headers: [OnceLock<String>; Section::COUNT],
    /// Every article's number, newest first: the home page's list.
    newest: Vec<usize>,
    /// The list entries of earlier renders, taken when they still hold.
    kept: Fragments,
    /// The site-wide signature ([`Renderer::site_signature`]), made on first use.
    site: OnceLock<u64>,
    /// The sitemap's entries, made on first use: signed, then rendered.
    sitemap: OnceLock<Vec<sitemap::Entry>>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `archive` with the compiled templates `tera`.
    pub fn new(archive: &'a Archive, tera: &'a Tera) -> Renderer<'a> {
        let urls = Urls::new(&archive.site_url.base_path);
        let mut common = Context::new();
        common.insert("site", &SiteView::new(archive));
        common.insert("generator", generator());
        let count = archive.articles.len();
        Renderer {
            archive,
            tera,
            urls,
            common,
            views: (0..count).map(|_| OnceLock::new()).collect(),
            view_signatures: (0..count).map(|_| OnceLock::new()).collect(),
            entries: (0..count).map(|_| Default::default()).collect(),
            related: (0..count).map(|_| OnceLock::new()).collect(),
            years_nav: OnceLock::new(),
            headers: Default::default(),
            newest: (0..count).collect(),
            kept: Fragments::default(),
            site: OnceLock::new(),
            sitemap: OnceLock::new(),
        }
    }

    /// The renderer with the list entries `kept` by earlier renders, which
    /// it shows where they still hold rather than rendering them again.
    pub fn with_fragments(self, kept: Fragments) -> Renderer<'a> {
        Renderer { kept, ..self }
    }

    /// The list entries of this render and those kept from earlier ones,
    /// for the next render.
    pub fn into_fragments(self) -> Fragments {
        let mut kept = self.kept;
        let site = self.site.get().copied();
        for (index, texts) in self.entries.into_iter().enumerate() {
            let texts = texts.map(OnceLock::into_inner);
            let view = self.view_signatures[index].get().copied();
            if let (Some(site), Some(view)) = (site, view) {
                kept.keep(&self.archive.articles[index].path, (site, view), texts);
            }
        }
        kept
    }

    /// Takes the signatures of the articles' views from the kept
    /// fragments, but for the articles `changed`: when only these changed
    /// (come, gone or moved while the people and topics stayed as they
    /// were), every other view is as the last render made it, and making
    /// ten thousand views again only to sign the home page's list would be
    /// most of the work of an article added.
    pub fn keep_views(&self, changed: &[usize]) {
        let site = self.site_signature();
        let articles = &self.archive.articles;
        let mut changed = changed.to_vec();
        changed.sort_unstable();
        self.view_signatures
            .par_iter()
            .enumerate()
            .filter(|(index, _)| changed.binary_search(index).is_err())
            .for_each(|(index, cell)| {
                if let Some(view) = self.kept.view(&articles[index].path, site) {
                    let _ = cell.set(view);
                }
            });
    }

    /// The archive rendered.
    pub fn archive(&self) -> &'a Archive {
        self.archive
    }

    /// What every page shows, hashed: the site's configuration as templates
    /// see it and the footer's links to the years as rendered. When it
    /// changes, every file must be rendered again. A footer that fails to
    /// render signs as none: the render that follows reports the error.
    /// Made once, for the plan and for the kept entries alike.
    pub fn site_signature(&self) -> u64 {
        *self.site.get_or_init(|| {
            let mut hasher = XxHash3_64::default();
            SiteView::new(self.archive).hash(&mut hasher);
            generator().hash(&mut hasher);
            self.years_nav().ok().hash(&mut hasher);
            hasher.finish()
        })
    }

    /// Article `index` as lists show it.
    fn view(&self, index: usize) -> &ArticleView<'a> {
        self.views[index].get_or_init(|| ArticleView::new(self.archive, index, &self.urls))
    }

    /// The hash of article `index`'s view.
    fn view_signature(&self, index: usize) -> u64 {
        *self.view_signatures[index].get_or_init(|| {
            let mut hasher = XxHash3_64::default();
            self.view(index).hash(&mut hasher);
            hasher.finish()
        })
    }

    /// Article `index`'s list entry at `depth`, as `entry.html` renders it.
    fn entry(&self, index: usize, depth: Depth) -> Result<&str, Error> {
        let cell = &self.entries[index][depth as usize];
        if let Some(done) = cell.get() {
            return Ok(done);
        }
        // An entry kept from an earlier render is shown as it is; only the
        // entries rendered now are kept for the next render.
        let path = &self.archive.articles[index].path;
        let signs = (self.site_signature(), self.view_signature(index));
        if let Some(kept) = self.kept.entry(path, signs, depth as usize) {
            return Ok(kept);
        }
        once(cell, || {
            let mut context = self.common.clone();
            context.insert("article", self.view(index));
            context.insert("level", &depth.heading_level());
            self.tera_render("entry.html", &context)
        })
    }

    /// Article `index`'s item in related lists, as `related.html` renders it.
    fn related(&self, index: usize) -> Result<&str, Error> {
        once(&self.related[index], || {
            let mut context = self.common.clone();
            context.insert("article", self.view(index));
            self.tera_render("related.html", &context)
        })
    }

    /// The site header of the pages of `section`, as `header.html` renders it.
    fn header(&self, section: Section) -> Result<&str, Error> {
        once(&self.headers[section as usize], || {
            let mut context = self.common.clone();
            context.insert("section", section.name());
            self.tera_render("header.html", &context)
        })
    }

    /// Article `index` with its body, as its page and feeds show it.
    fn view_with_body(&self, index: usize) -> WithBody<'_, 'a> {
        let article = &self.archive.articles[index];
        WithBody {
            view: Signed {
                value: self.view(index),
                hash: self.view_signature(index),
            },
            body: self.body(index),
            has_code: article.has_code,
        }
    }

    /// Article `index`'s body, its links to other articles' files leading
    /// to their pages; signed by its hash and where those links lead.
    fn body(&self, index: usize) -> Body<'a> {
        let article = &self.archive.articles[index];
        let targets = &self.archive.links[index].targets;
        if targets.is_empty() {
            return Body {
                html: Cow::Borrowed(&article.body),
                hash: article.body_hash,
            };
        }
        let mut html = article.body.clone();
        for (n, target) in targets.iter().enumerate() {
            let placeholder = format!("\"{}\"", markdown::article_link(n));
            let url =
                html_escape::encode_double_quoted_attribute(&self.urls.to(target)).into_owned();
            html = html.replace(&placeholder, &format!("\"{url}\""));
        }
        let mut hasher = XxHash3_64::default();
        (article.body_hash, targets, &self.urls).hash(&mut hasher);
        Body {
            html: Cow::Owned(html),
            hash: hasher.finish(),
        }
    }

    /// The footer's links to every year, as `years.html` renders them: the
    /// same on every page.
    fn years_nav(&self) -> Result<&str, Error> {
        once(&self.years_nav, || {
            let mut context = self.common.clone();
            let years: Vec<_> = self
                .archive
                .years
                .iter()
                .map(|y| YearLink::new(y, &self.urls))
                .collect();
            context.insert("years", &years);
            self.tera_render("years.html", &context)
        })
    }

    /// The file `template` renders with `values` at `target`.
    fn finish(
        &self,
        template: &'static str,
        target: Target,
        mut values: Values,
        part: Part,
    ) -> Result<Page, Error> {
        let shown = values.shown;
        values.sign_also(&(template, &target));
        let (values, signature) = values.finish();
        let mut context = self.common.clone();
        let (path, url) = match &target {
            Target::Page(path) => {
                context.insert("header", self.header(Section::of(path))?);
                context.insert("years_nav", self.years_nav()?);
                (paths::html_file(path), self.urls.to(path))
            }
            Target::File(path) => (path.clone(), self.urls.to(path)),
            Target::NotFound => {
                context.insert("header", self.header(Section::Other)?);
                context.insert("years_nav", self.years_nav()?);
                ("404.html".to_owned(), String::new())
            }
        };
        context.extend(values);
        context.insert("page_url", &url);
        let mut body = Vec::with_capacity(shown + FRAME_BYTES);
        self.tera
            .render_to(template, &context, &mut body)
            .map_err(|e| Error::template(template, &e))?;
        Ok(Page {
            path,
            body,
            part,
            signature,
        })
    }

    fn tera_render(&self, template: &str, context: &Context) -> Result<String, Error> {
        self.tera
            .render(template, context)
            .map_err(|e| Error::template(template, &e))
    }
}

use values::Values;

/// The generator every page names.
fn generator() -> &'static str {
    concat!("Gazette ", env!("CARGO_PKG_VERSION"))
}

/// The pages of a list of `articles`, `per_page` to a page: one at least.
pub fn page_count(articles: usize, per_page: usize) -> usize {
    articles.div_ceil(per_page.max(1)).max(1)
}

/// The string in `cell`, made by `render` on first use: a fragment rendered
/// once and shown on many pages.
///
/// What is kept is a copy of the exact length: Tera renders into 2,000 bytes
/// at least, and a list entry is 1–1.5 KB, so the 200,000 entries of a
/// 100,000-article archive would hold 100 MB of spare room until the end.
fn once(
    cell: &OnceLock<String>,
    render: impl FnOnce() -> Result<String, Error>,
) -> Result<&str, Error> {
    if let Some(done) = cell.get() {
        return Ok(done);
    }
    let done = render()?;
    Ok(cell.get_or_init(|| done.as_str().to_owned()))
}
