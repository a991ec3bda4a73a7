//! What templates see: the archive's values shaped as docs/templates.md
//! documents them, with every URL already carrying the site's base path.

use serde::Serialize;

use crate::archive::{Archive, Entity, Year};
use crate::content::Article;

/// Month names, for archive pages and dates.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of month `month` (1–12).
pub fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("")
}

/// Builds the root-relative URLs of the site's pages.
#[derive(Debug, Clone)]
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
        format!("{}{}", self.base_path, path)
    }
}

/// The site, as every template sees it.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: String,
    pub base_path: &'a str,
    pub origin: &'a str,
    pub search: bool,
}

impl<'a> SiteView<'a> {
    /// The site view of `archive`.
    pub fn new(archive: &'a Archive) -> SiteView<'a> {
        let config = &archive.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: format!("{}{}", archive.site_url.origin, archive.site_url.base_path),
            base_path: &archive.site_url.base_path,
            origin: &archive.site_url.origin,
            search: config.search.enabled,
        }
    }
}

/// A year with its article count.
#[derive(Debug, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
    pub count: usize,
}

impl YearLink {
    /// The link to `year`'s page.
    pub fn new(year: &Year, urls: &Urls) -> YearLink {
        YearLink {
            year: year.year,
            url: urls.to(&format!("{:04}/", year.year)),
            count: year.count(),
        }
    }
}

/// A month with its article count.
#[derive(Debug, Serialize)]
pub struct MonthLink {
    pub name: &'static str,
    pub url: String,
    pub count: usize,
}

/// A year with its months, for the archive page.
#[derive(Debug, Serialize)]
pub struct YearWithMonths {
    pub year: i32,
    pub url: String,
    pub count: usize,
    pub months: Vec<MonthLink>,
}

impl YearWithMonths {
    /// `year` and the links to its months.
    pub fn new(year: &Year, urls: &Urls) -> YearWithMonths {
        YearWithMonths {
            year: year.year,
            url: urls.to(&format!("{:04}/", year.year)),
            count: year.count(),
            months: year
                .months
                .iter()
                .map(|m| MonthLink {
                    name: month_name(m.month),
                    url: urls.to(&format!("{:04}/{:02}/", year.year, m.month)),
                    count: m.articles.len(),
                })
                .collect(),
        }
    }
}

/// A person quoted in an article.
#[derive(Debug, Serialize)]
pub struct SpeakerLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub role: &'a str,
}

/// A person or topic with a count (top topics, companions).
#[derive(Debug, Serialize)]
pub struct CountedLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// A link to a topic.
#[derive(Debug, Serialize)]
pub struct TopicLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// An article as lists, pages and feeds show it.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: String,
    pub summary: &'a str,
    pub date: String,
    pub date_display: String,
    pub datetime: String,
    pub speakers: Vec<SpeakerLink<'a>>,
    pub topics: Vec<TopicLink<'a>>,
    pub source: &'a str,
    pub source_url: &'a str,
}

/// An article with its body, as its page and the feeds show it.
#[derive(Debug, Serialize)]
pub struct WithBody<'v, 'a> {
    #[serde(flatten)]
    pub view: &'v ArticleView<'a>,
    pub body: &'a str,
    pub has_code: bool,
}

impl<'a> ArticleView<'a> {
    /// Article `index` of `archive`, without its body.
    pub fn new(archive: &'a Archive, index: usize, urls: &Urls) -> ArticleView<'a> {
        let article: &Article = &archive.articles[index];
        let links = &archive.links[index];
        let source = article.source.as_deref().unwrap_or("");
        let is_url = source.starts_with("https://") || source.starts_with("http://");
        ArticleView {
            title: &article.title,
            url: urls.to(&article.url_path()),
            summary: &article.summary,
            date: article.date.format("%Y-%m-%d").to_string(),
            date_display: format!(
                "{} {} {}",
                article.date.format("%-d"),
                month_name(article.month()),
                article.year()
            ),
            datetime: article.date.to_rfc3339(),
            speakers: links
                .speakers
                .iter()
                .map(|&p| {
                    let person = &archive.people[p];
                    SpeakerLink {
                        name: &person.name,
                        url: entity_url(urls, "people", person),
                        role: person.role.as_deref().unwrap_or(""),
                    }
                })
                .collect(),
            topics: links
                .topics
                .iter()
                .map(|&t| TopicLink {
                    name: &archive.topics[t].name,
                    url: entity_url(urls, "topics", &archive.topics[t]),
                })
                .collect(),
            source,
            source_url: if is_url { source } else { "" },
        }
    }
}

/// A person or topic, as index pages and its own page show it.
#[derive(Debug, Serialize)]
pub struct EntityView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub feed_url: String,
    pub role: &'a str,
    pub count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<&'a str>,
}

impl<'a> EntityView<'a> {
    /// `entity`, a person when `section` is `people`, a topic when `topics`.
    pub fn new(entity: &'a Entity, section: &str, urls: &Urls) -> EntityView<'a> {
        let url = entity_url(urls, section, entity);
        EntityView {
            name: &entity.name,
            slug: &entity.slug,
            feed_url: format!("{url}feed.xml"),
            url,
            role: entity.role.as_deref().unwrap_or(""),
            count: entity.articles.len(),
            body: None,
        }
    }
}

/// The URL of a person's (`section` = `people`) or topic's page.
pub fn entity_url(urls: &Urls, section: &str, entity: &Entity) -> String {
    urls.to(&format!("{section}/{}/", entity.slug))
}

/// The counted links to `entities` of `section`.
pub fn counted<'a>(
    entities: &'a [Entity],
    section: &str,
    counts: &[(usize, usize)],
    urls: &Urls,
) -> Vec<CountedLink<'a>> {
    counts
        .iter()
        .map(|&(e, count)| CountedLink {
            name: &entities[e].name,
            url: entity_url(urls, section, &entities[e]),
            count,
        })
        .collect()
}

/// Where a page stands in a paginated list.
#[derive(Debug, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub previous_url: String,
    pub next_url: String,
}

/// The URL of page `n` (from 1) of the list at `list_path`.
pub fn page_path(list_path: &str, n: usize) -> String {
    if n <= 1 {
        list_path.to_owned()
    } else {
        format!("{list_path}page/{n}/")
    }
}

impl Pagination {
    /// Page `current` of `total` of the list at site path `list_path`.
    pub fn new(list_path: &str, current: usize, total: usize, urls: &Urls) -> Pagination {
        let link = |n: usize| urls.to(&page_path(list_path, n));
        Pagination {
            current,
            total,
            previous_url: if current > 1 {
                link(current - 1)
            } else {
                String::new()
            },
            next_url: if current < total {
                link(current + 1)
            } else {
                String::new()
            },
        }
    }
}
