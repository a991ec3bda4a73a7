//! Published URLs stay published: the URLs of the last deploy (its
//! `sitemap.xml`, or a plain list of URLs or paths, one a line) must each
//! still be a page, a file or a redirect of the new site.

use std::path::{Path, PathBuf};

use crate::archive::Archive;
use crate::content::slug::slugify;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::paths;

/// One URL of the last deploy, and where the list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// As written (`https://example.org/2019/09/30/x/`, `/2019/09/30/x/`).
    pub url: String,
    /// The list's line (1-based) and column.
    pub line: usize,
    /// The column.
    pub column: usize,
}

/// The URLs the list at `file` gives: a sitemap's `<loc>`s (a sitemap
/// index's sitemaps are read from beside it), or every line of a plain
/// list that is not empty or a `#` comment.
pub fn read(file: &Path) -> Result<Vec<Published>, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Diagnostic::file(file, format!("cannot read the list of published URLs: {e}"))
    })?;
    if !text.trim_start().starts_with('<') {
        return Ok(text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
            .map(|(n, line)| Published {
                url: line.trim().to_owned(),
                line: n + 1,
                column: line.len() - line.trim_start().len() + 1,
            })
            .collect());
    }
    let doc = roxmltree::Document::parse(&text).map_err(|e| {
        let at = e.pos();
        Diagnostic::at(
            file,
            &text,
            at.row as usize,
            at.col as usize,
            format!("not a sitemap: {e}"),
        )
        .hint("give the last deploy's sitemap.xml, or a list of its URLs, one a line")
    })?;
    let mut found = Vec::new();
    for loc in doc.descendants().filter(|n| n.has_tag_name("loc")) {
        let url = loc.text().unwrap_or("").trim().to_owned();
        let at = doc.text_pos_at(loc.range().start);
        if loc.parent().is_some_and(|p| p.has_tag_name("sitemap")) {
            found.extend(read(&beside(file, &url))?);
        } else {
            found.push(Published {
                url,
                line: at.row as usize,
                column: at.col as usize,
            });
        }
    }
    Ok(found)
}

/// The file beside `file` named as the last part of `url` (a sitemap index's sitemap).
fn beside(file: &Path, url: &str) -> PathBuf {
    let name = url.rsplit('/').next().unwrap_or(url);
    file.with_file_name(name)
}

/// One diagnostic, at `list`, for each published URL that the site whose
/// output files are `has_file` no longer has; where an article now lives at
/// the URL's slug or title, it is named, with the `redirect_from` to add.
pub fn check(
    list: &Path,
    published: &[Published],
    archive: &Archive,
    has_file: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let base = archive.site_url.base_path.trim_start_matches('/');
    published
        .iter()
        .filter_map(|p| {
            let path = site_path(&p.url, base);
            let folder = format!("{path}/");
            let served = has_file(&paths::file_of_url(&path))
                || (!path.is_empty() && !path.ends_with('/') && has_file(&paths::html_file(&folder)));
            if served {
                return None;
            }
            let message = format!("`{}` was published and is no longer a page, file or redirect of the site", p.url);
            let diagnostic = Diagnostic {
                severity: crate::diagnostic::Severity::Error,
                code: crate::diagnostic::Code::PublishedUrl,
                path: list.to_path_buf(),
                line: p.line,
                column: p.column,
                message,
                source_line: None,
                hint: None,
            };
            let earlier = format!("/{path}");
            Some(match successor(&path, archive) {
                Some(article) => diagnostic.hint(format!(
                    "{} now lives at /{}: add `redirect_from: [{earlier}]` to its front matter",
                    article.path.display(),
                    article.url_path()
                )),
                None => diagnostic.hint(format!(
                    "add `redirect_from: [{earlier}]` to the front matter of the article that took its place"
                )),
            })
        })
        .collect()
}

/// The site path of a published URL or path, without the site's base path
/// (`base`, without its leading `/`).
fn site_path(url: &str, base: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_start_matches('/');
    path.strip_prefix(base).unwrap_or(path).to_owned()
}

/// The article that the page at `path` most likely became: the one whose
/// slug or title's slug is the path's last part.
fn successor<'a>(path: &str, archive: &'a Archive) -> Option<&'a crate::content::Article> {
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let last = last.strip_suffix(".html").unwrap_or(last);
    let wanted = slugify(last);
    if wanted.is_empty() {
        return None;
    }
    archive
        .articles
        .iter()
        .find(|a| a.slug == wanted || a.base_slug == wanted || slugify(&a.title) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_site_paths() {
        assert_eq!(
            site_path("https://example.org/archive/2020/09/x/", "archive/"),
            "2020/09/x/"
        );
        assert_eq!(site_path("/archive/feed.xml", "archive/"), "feed.xml");
        assert_eq!(site_path("/2020/09/x/?q=1#top", ""), "2020/09/x/");
        assert_eq!(site_path("https://example.org", ""), "");
    }
}
