//! Earlier URLs: each path an article's `redirect_from` lists stays a working
//! URL on any static host, as a small page that sends the reader on (see the
//! `redirect.html` template), and is listed in `_redirects` for the hosts
//! that read it (Netlify, Cloudflare Pages) as real HTTP redirects.

use rustc_hash::FxHashMap;

use crate::archive::{Entity, Year};
use crate::content::Article;
use crate::diagnostic::Diagnostic;
use crate::paths;

/// The file that hosts read their redirects from.
pub const REDIRECTS_FILE: &str = "_redirects";

/// The output file of the redirect from the site path `from`: a folder's
/// `index.html` for a path ending in `/`, else the file itself.
pub fn file_of(from: &str) -> String {
    paths::file_of_url(from)
}

/// One diagnostic for each earlier path that is the path of a page of the
/// site, or that another article lists too.
pub fn check(
    articles: &[Article],
    people: &[Entity],
    topics: &[Entity],
    years: &[Year],
) -> Vec<Diagnostic> {
    if articles.iter().all(|a| a.redirect_from.is_empty()) {
        return Vec::new();
    }
    let files = pages(articles, people, topics, years);
    in_use(articles, &files)
}

/// Every file of the site but its redirects, and what it is.
fn pages(
    articles: &[Article],
    people: &[Entity],
    topics: &[Entity],
    years: &[Year],
) -> FxHashMap<String, String> {
    let mut files: FxHashMap<String, String> = FxHashMap::default();
    let mut page = |path: String, what: String| {
        files.insert(paths::html_file(&path), what);
    };
    for fixed in [
        paths::HOME,
        paths::PEOPLE,
        paths::TOPICS,
        paths::ARCHIVE,
        paths::SEARCH,
    ] {
        page(fixed.to_owned(), format!("the page /{fixed}"));
    }
    for article in articles {
        page(
            article.url_path(),
            format!("the article {}", article.path.display()),
        );
    }
    for entity in people {
        page(
            paths::person(&entity.slug),
            format!("{}'s page", entity.name),
        );
    }
    for entity in topics {
        page(
            paths::topic(&entity.slug),
            format!("the page of the topic {}", entity.name),
        );
    }
    for year in years {
        page(paths::year(year.year), format!("the page of {}", year.year));
        for month in &year.months {
            page(
                paths::month_path(year.year, month.month),
                "a month's page".to_owned(),
            );
        }
    }
    for fixed in [
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        REDIRECTS_FILE,
    ] {
        files.insert(fixed.to_owned(), format!("the site's /{fixed}"));
    }
    for article in articles {
        let url = article.url_path();
        for asset in &article.assets {
            files.insert(
                format!("{url}{}", asset.name),
                format!("a file beside {}", article.path.display()),
            );
        }
    }
    files
}

/// The earlier paths of `articles` that are files of the site (`files`) or
/// another article's earlier paths.
fn in_use(articles: &[Article], files: &FxHashMap<String, String>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut earlier: FxHashMap<String, &Article> = FxHashMap::default();
    let mut by_file: Vec<&Article> = articles
        .iter()
        .filter(|a| !a.redirect_from.is_empty())
        .collect();
    by_file.sort_by(|a, b| a.path.cmp(&b.path));
    for article in by_file {
        for (from, at) in &article.redirect_from {
            let file = file_of(from);
            let message = match (files.get(&file), earlier.get(&file)) {
                (Some(what), _) => format!("`redirect_from` `/{from}` is the URL of {what}"),
                (None, Some(other)) => format!(
                    "`redirect_from` `/{from}` is also an earlier URL of {}",
                    other.path.display()
                ),
                (None, None) => {
                    earlier.insert(file, article);
                    continue;
                }
            };
            let diagnostic = at.diagnostic(&article.path, message);
            errors.push(
                diagnostic
                    .hint("remove it: that URL is in use")
                    .code(crate::diagnostic::Code::RedirectInUse),
            );
        }
    }
    errors
}
