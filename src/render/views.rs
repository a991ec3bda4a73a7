//! What templates see: the archive's values shaped as docs/templates.md
//! documents them, with every URL already carrying the site's base path.

use chrono::Datelike;
use serde::Serialize;

use crate::archive::{Archive, Entity, Year};
use crate::content::{Article, ProfileKind};
use crate::paths::{self, Urls};

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

/// The site, as every template sees it.
#[derive(Debug, Serialize, Hash)]
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
#[derive(Debug, Serialize, Hash)]
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
            url: urls.to(&paths::year(year.year)),
            count: year.count(),
        }
    }
}

/// A month with its article count.
#[derive(Debug, Serialize, Hash)]
pub struct MonthLink {
    pub name: &'static str,
    pub url: String,
    pub count: usize,
}

/// A year with its months, for the archive page.
#[derive(Debug, Serialize, Hash)]
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
            url: urls.to(&paths::year(year.year)),
            count: year.count(),
            months: year
                .months
                .iter()
                .map(|m| MonthLink {
                    name: month_name(m.month),
                    url: urls.to(&paths::month_path(year.year, m.month)),
                    count: m.articles.len(),
                })
                .collect(),
        }
    }
}

/// A person quoted in an article.
#[derive(Debug, Serialize, Hash)]
pub struct SpeakerLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub role: &'a str,
}

/// A person or topic with a count (top topics, companions).
#[derive(Debug, Serialize, Hash)]
pub struct CountedLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

/// A link to a topic.
#[derive(Debug, Serialize, Hash)]
pub struct TopicLink<'a> {
    pub name: &'a str,
    pub url: String,
}

/// An article as lists, pages and feeds show it.
#[derive(Debug, Serialize, Hash)]
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
#[derive(Debug, Serialize, Hash)]
pub struct WithBody<'v, 'a> {
    #[serde(flatten)]
    pub view: Signed<&'v ArticleView<'a>>,
    pub body: Body<'a>,
    pub has_code: bool,
}

/// A value whose hash is made once: templates get the value, signatures
/// its hash (an article's view, shown on many pages).
#[derive(Debug)]
pub struct Signed<T> {
    pub value: T,
    pub hash: u64,
}

impl<T: Serialize> Serialize for Signed<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> std::hash::Hash for Signed<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

/// An article's body: templates get its HTML, signatures its hash (made
/// when it was parsed, and kept when a build's cache leaves the body out).
#[derive(Debug)]
pub struct Body<'a> {
    pub html: std::borrow::Cow<'a, str>,
    pub hash: u64,
}

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.html)
    }
}

impl std::hash::Hash for Body<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
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
            date: article.day(),
            date_display: format!(
                "{} {} {}",
                article.date.day(),
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
                        url: entity_url(urls, ProfileKind::Person, person),
                        role: person.role.as_deref().unwrap_or(""),
                    }
                })
                .collect(),
            topics: links
                .topics
                .iter()
                .map(|&t| TopicLink {
                    name: &archive.topics[t].name,
                    url: entity_url(urls, ProfileKind::Topic, &archive.topics[t]),
                })
                .collect(),
            source,
            source_url: if is_url { source } else { "" },
        }
    }
}

/// A person or topic, as index pages and its own page show it.
#[derive(Debug, Serialize, Hash)]
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
    /// `entity`, a person or a topic as `kind` says.
    pub fn new(entity: &'a Entity, kind: ProfileKind, urls: &Urls) -> EntityView<'a> {
        let url = entity_url(urls, kind, entity);
        EntityView {
            name: &entity.name,
            slug: &entity.slug,
            feed_url: paths::feed(&url),
            url,
            role: entity.role.as_deref().unwrap_or(""),
            count: entity.articles.len(),
            body: None,
        }
    }
}

/// The URL of a person's or topic's page.
pub fn entity_url(urls: &Urls, kind: ProfileKind, entity: &Entity) -> String {
    urls.to(&paths::entity(kind, &entity.slug))
}

/// The counted links to `entities` of `kind`.
pub fn counted<'a>(
    entities: &'a [Entity],
    kind: ProfileKind,
    counts: &[(usize, usize)],
    urls: &Urls,
) -> Vec<CountedLink<'a>> {
    counts
        .iter()
        .map(|&(e, count)| CountedLink {
            name: &entities[e].name,
            url: entity_url(urls, kind, &entities[e]),
            count,
        })
        .collect()
}

/// Where a page stands in a paginated list.
#[derive(Debug, Serialize, Hash)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub previous_url: String,
    pub next_url: String,
}

impl Pagination {
    /// Page `current` of `total` of the list at site path `list_path`.
    pub fn new(list_path: &str, current: usize, total: usize, urls: &Urls) -> Pagination {
        let link = |n: usize| urls.to(&paths::page(list_path, n));
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
