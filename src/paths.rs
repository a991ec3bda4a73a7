//! The URL scheme, in one place: every page's site path (relative to the
//! site's root, without the base path: `people/vladimir-putin/`) and the file
//! of the output that holds it. Render, search, serve and the sitemap all
//! take their paths from here.

use std::fmt::Write as _;

use percent_encoding::percent_decode_str;

use crate::content::ProfileKind;

/// The people index.
pub const PEOPLE: &str = "people/";
/// The topics index.
pub const TOPICS: &str = "topics/";
/// The page of every year and month.
pub const ARCHIVE: &str = "archive/";
/// The search page.
pub const SEARCH: &str = "search/";
/// The home page.
pub const HOME: &str = "";
/// The file an HTML page's folder holds.
const INDEX: &str = "index.html";

/// An article's page: `2020/09/putin-statement/`.
pub fn article(year: i32, month: u32, slug: &str) -> String {
    let mut path = String::with_capacity(MONTH_PATH_LEN + slug.len() + 1);
    push_month_path(&mut path, year, month);
    path.push_str(slug);
    path.push('/');
    path
}

/// The key of the job that publishes the files beside the article at
/// `article` (`2016/04/mir/`): not a page, so no page has it.
pub fn assets_key(article: &str) -> String {
    [article, " files"].concat()
}

/// The key of the job that writes the pages at the earlier URLs of the
/// article at `article`: not a page either.
pub fn earlier_key(article: &str) -> String {
    [article, " earlier"].concat()
}

/// A person's page: `people/vladimir-putin/`.
pub fn person(slug: &str) -> String {
    [PEOPLE, slug, "/"].concat()
}

/// A topic's page: `topics/cybersecurity/`.
pub fn topic(slug: &str) -> String {
    [TOPICS, slug, "/"].concat()
}

/// A person's or a topic's page, as `kind` says.
pub fn entity(kind: ProfileKind, slug: &str) -> String {
    match kind {
        ProfileKind::Person => person(slug),
        ProfileKind::Topic => topic(slug),
    }
}

/// A year's page: `2020/`.
pub fn year(year: i32) -> String {
    format!("{year:04}/")
}

/// A month's page: `2020/09/`.
pub fn month_path(year: i32, month: u32) -> String {
    let mut path = String::with_capacity(MONTH_PATH_LEN);
    push_month_path(&mut path, year, month);
    path
}

/// The length of a month's path in the years 0–9999.
const MONTH_PATH_LEN: usize = 8;

/// Appends a month's path to `path`: the one formatting of the year and
/// month that article and month paths share (paths are made for every
/// article at every build, so without a second allocation).
fn push_month_path(path: &mut String, year: i32, month: u32) {
    let _ = write!(path, "{year:04}/{month:02}/");
}

/// Page `n` (from 1) of the paginated list at `list`: the list itself for
/// page 1, `list/page/n/` after.
pub fn page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_owned()
    } else {
        format!("{list}page/{n}/")
    }
}

/// The Atom feed of the list at `list` (`people/x/feed.xml`; `feed.xml` for the site).
pub fn feed(list: &str) -> String {
    [list, "feed.xml"].concat()
}

/// The output file of the HTML page at site path `path` (a folder).
pub fn html_file(path: &str) -> String {
    [path, INDEX].concat()
}

/// The URL path a browser asks for to get the output file `file`: a page's
/// folder for its `index.html` (`people/x/index.html` → `/people/x/`).
pub fn url_of_file(file: &str) -> String {
    match file.strip_suffix(INDEX) {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{file}"),
    }
}

/// The output file that the URL path `url` (without the base path, no
/// leading `/`) is served from: a folder's `index.html`, else the file itself.
pub fn file_of_url(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        html_file(url)
    } else {
        url.to_owned()
    }
}

/// The site path a request's URL path names (no leading `/`; `a/b/` for a
/// folder), or `None` for one that must be refused: `.` and `..` parts,
/// encoded slashes, backslashes and NUL, doubled slashes (`//etc/passwd`), a
/// drive letter, and paths that are not UTF-8 once decoded.
pub fn from_request(raw: &str) -> Option<String> {
    let bad = None;
    let Some(rest) = raw.strip_prefix('/') else {
        return bad;
    };
    let lower = rest.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return bad;
    }
    let Ok(decoded) = percent_decode_str(rest).decode_utf8() else {
        return bad;
    };
    if decoded.contains(['\\', '\0']) {
        return bad;
    }
    let parts: Vec<&str> = decoded.split('/').collect();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        let empty_inside = part.is_empty() && i != last;
        let drive = i == 0 && part.len() == 2 && part.ends_with(':');
        if *part == "." || *part == ".." || empty_inside || drive {
            return bad;
        }
    }
    Some(decoded.into_owned())
}

/// `path` with its `.` and `..` parts resolved without the file system
/// (`content/2020/../x.md` → `content/x.md`).
pub fn normalize(path: &std::path::Path) -> std::path::PathBuf {
    let mut clean = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Builds the root-relative URLs of the site's pages.
#[derive(Debug, Clone, Hash)]
pub struct Urls {
    base_path: String,
}

impl Urls {
    /// URLs under `base_path` (`/` or `/archive/`).
    pub fn new(base_path: &str) -> Urls {
        Urls {
            base_path: base_path.to_owned(),
        }
    }

    /// The URL of the site path `path` (`people/x/` → `/archive/people/x/`).
    pub fn to(&self, path: &str) -> String {
        [self.base_path.as_str(), path].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_page_has_its_path() {
        assert_eq!(article(2020, 9, "putin"), "2020/09/putin/");
        assert_eq!(person("ada"), "people/ada/");
        assert_eq!(topic("rain"), "topics/rain/");
        assert_eq!(year(987), "0987/");
        assert_eq!(page(&person("ada"), 1), "people/ada/");
        assert_eq!(page(HOME, 3), "page/3/");
        assert_eq!(feed(&topic("rain")), "topics/rain/feed.xml");
        assert_eq!(html_file(HOME), "index.html");
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(from_request("/").as_deref(), Some(""));
        assert_eq!(from_request("/2020/09/x/").as_deref(), Some("2020/09/x/"));
        assert_eq!(from_request("/people").as_deref(), Some("people"));
        assert_eq!(from_request("/a%20b.txt").as_deref(), Some("a b.txt"));
        for raw in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/C:/Windows",
            "/%ff",
            "/a%00",
            "etc/passwd",
        ] {
            assert_eq!(from_request(raw), None, "{raw}");
        }
    }

    #[test]
    fn files_and_urls_map_both_ways() {
        for (file, url) in [
            ("index.html", "/"),
            ("people/x/index.html", "/people/x/"),
            ("2020/09/x/index.html", "/2020/09/x/"),
            ("people/x/feed.xml", "/people/x/feed.xml"),
            ("404.html", "/404.html"),
            ("search/meta.js", "/search/meta.js"),
        ] {
            assert_eq!(url_of_file(file), url);
            assert_eq!(file_of_url(&url[1..]), file);
        }
        assert_eq!(url_of_file("notindex.html"), "/notindex.html");
    }
}
