//! `sitemap.xml`: every HTML page with the date of its newest article.

use rayon::prelude::*;
use serde::Serialize;

use super::values::Values;
use super::{Page, Part, Renderer};
use crate::error::Error;
use crate::paths;

/// The most URLs one sitemap file may list (the sitemap protocol's limit).
const SITEMAP_LIMIT: usize = 50_000;

/// One URL of the sitemap.
#[derive(Debug, Serialize, Hash)]
pub(super) struct Entry {
    url: String,
    lastmod: String,
}

impl Renderer<'_> {
    /// Every page the sitemap lists, with the day of its newest article;
    /// made once.
    pub(super) fn sitemap_entries(&self) -> &[Entry] {
        self.sitemap.get_or_init(|| self.make_sitemap_entries())
    }

    fn make_sitemap_entries(&self) -> Vec<Entry> {
        let archive = self.archive;
        let entry = |path: String, lastmod: String| Entry {
            url: self.urls.to(&path),
            lastmod,
        };
        let day = |i: usize| archive.articles[i].day();
        let last_of = |articles: &[usize]| articles.first().map_or_else(String::new, |&i| day(i));
        let newest = last_of(&self.newest);
        let mut entries: Vec<Entry> = [paths::HOME, paths::PEOPLE, paths::TOPICS, paths::ARCHIVE]
            .into_iter()
            .map(|path| entry(path.to_owned(), newest.clone()))
            .collect();
        entries.par_extend(
            archive
                .articles
                .par_iter()
                .enumerate()
                .map(|(i, a)| entry(a.url_path(), day(i))),
        );
        entries.extend(
            archive
                .people
                .iter()
                .map(|p| entry(paths::person(&p.slug), last_of(&p.articles))),
        );
        entries.extend(
            archive
                .topics
                .iter()
                .map(|t| entry(paths::topic(&t.slug), last_of(&t.articles))),
        );
        for year in &archive.years {
            let all: Vec<usize> = year
                .months
                .iter()
                .rev()
                .flat_map(|m| m.articles.iter().copied())
                .collect();
            entries.push(entry(paths::year(year.year), last_of(&all)));
            entries.extend(
                year.months
                    .iter()
                    .map(|m| entry(paths::month_path(year.year, m.month), last_of(&m.articles))),
            );
        }
        entries
    }

    /// The signature of the sitemap of `entries`.
    pub(super) fn sitemap_signature(&self, entries: &[Entry]) -> u64 {
        let mut values = Values::sign();
        values.insert("urls", entries);
        values.signature()
    }

    /// `sitemap.xml`; past the protocol's limit, an index of several
    /// sitemaps. Its files carry its signature when `sign`.
    pub(super) fn sitemap(&self, sign: bool) -> Result<Vec<Page>, Error> {
        let entries = self.sitemap_entries();
        let signature = sign.then(|| self.sitemap_signature(entries));
        let render = |name: &str, urls: &[Entry]| -> Result<Page, Error> {
            let mut context = self.common.clone();
            context.insert("urls", urls);
            context.insert("page_url", &self.urls.to(name));
            Ok(Page {
                path: name.to_owned(),
                body: self.tera_render("sitemap.xml", &context)?.into_bytes(),
                part: Part::Page(1),
                signature,
            })
        };
        if entries.len() <= SITEMAP_LIMIT {
            return Ok(vec![render("sitemap.xml", entries)?]);
        }
        let mut pages = Vec::new();
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            pages.push(render(&name, chunk)?);
            index.push_str(&format!(
                "  <sitemap><loc>{}{}</loc></sitemap>\n",
                self.archive.site_url.origin,
                self.urls.to(&name)
            ));
        }
        index.push_str("</sitemapindex>\n");
        pages.push(Page {
            path: "sitemap.xml".into(),
            body: index.into_bytes(),
            part: Part::Page(1),
            signature,
        });
        Ok(pages)
    }
}
