//! Render: the archive turned into pages with the theme's Tera templates.
//!
//! The site is a list of [`Job`]s, each independent of the others, so they
//! render in parallel and a preview server can redo only the ones a change
//! touches.

mod theme;
mod views;

use std::ops::RangeInclusive;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use crate::archive::Archive;
use crate::error::Error;
pub use theme::{STATIC_DIR, StaticFile, TEMPLATES_DIR, static_files, templates};
use views::{
    ArticleView, EntityView, Pagination, SiteView, Urls, WithBody, YearLink, YearWithMonths,
    counted, month_name, page_path,
};

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 20;
/// How many top topics, companions or top speakers a page lists.
const TOP: usize = 8;
/// Bytes set aside for what a page or feed adds to the HTML it shows ready
/// made (a body, list entries): its head, header, footer and links.
const FRAME_BYTES: usize = 8 * 1024;
/// The most URLs one sitemap file may list (the sitemap protocol's limit).
const SITEMAP_LIMIT: usize = 50_000;
/// Pages of a list that one task renders at most. The lists of the most
/// quoted people and topics run to hundreds or thousands of pages: whole,
/// the last one would keep a thread busy long after the other had finished.
const PAGES_PER_TASK: usize = 100;

/// One rendered file: its path below the output root and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// `2020/09/slug/index.html`, `feed.xml`.
    pub path: String,
    /// The bytes to write.
    pub body: Vec<u8>,
}

/// A unit of rendering: one page or a group of pages that share their work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// The home page and its following pages.
    Home,
    /// An article's page.
    Article(usize),
    /// The people index.
    People,
    /// A person's pages and feed.
    Person(usize),
    /// The topics index.
    Topics,
    /// A topic's pages and feed.
    Topic(usize),
    /// The page listing every year and month.
    Archive,
    /// A year's page (index into the archive's years).
    Year(usize),
    /// A month's pages (year index, month index).
    Month(usize, usize),
    /// The search page.
    Search,
    /// The site feed.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `404.html`.
    NotFound,
}

/// Where a list's article headings sit: `h2` under the page's title (home,
/// month), `h3` under a section's heading (a person's or topic's articles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            "archive/" => Section::Archive,
            "search/" => Section::Search,
            _ if path.starts_with("people/") => Section::People,
            _ if path.starts_with("topics/") => Section::Topics,
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

/// A unit of parallel rendering: a job, or a run of the pages of a long list
/// (the run with page 1 also has the list's feed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    job: Job,
    pages: RangeInclusive<usize>,
}

/// One file of a job: a preview server redoes only the files a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// Page `n` (from 1) of a paginated list; a job that is not a list has page 1 only.
    Page(usize),
    /// The Atom feed of a person or a topic.
    Feed,
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
}

impl<'a> Renderer<'a> {
    /// A renderer for `archive` with the compiled templates `tera`.
    pub fn new(archive: &'a Archive, tera: &'a Tera) -> Renderer<'a> {
        let urls = Urls::new(&archive.site_url.base_path);
        let mut common = Context::new();
        common.insert("site", &SiteView::new(archive));
        common.insert(
            "generator",
            &format!("Gazette {}", env!("CARGO_PKG_VERSION")),
        );
        Renderer {
            archive,
            tera,
            urls,
            common,
            views: archive.articles.iter().map(|_| OnceLock::new()).collect(),
            entries: archive
                .articles
                .iter()
                .map(|_| Default::default())
                .collect(),
            related: archive.articles.iter().map(|_| OnceLock::new()).collect(),
            years_nav: OnceLock::new(),
            headers: Default::default(),
            newest: (0..archive.articles.len()).collect(),
        }
    }

    /// Article `index` as lists show it.
    fn view(&self, index: usize) -> &ArticleView<'a> {
        self.views[index].get_or_init(|| ArticleView::new(self.archive, index, &self.urls))
    }

    /// Article `index`'s list entry at `depth`, as `entry.html` renders it.
    fn entry(&self, index: usize, depth: Depth) -> Result<&str, Error> {
        once(&self.entries[index][depth as usize], || {
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
            view: self.view(index),
            body: &article.body,
            has_code: article.has_code,
        }
    }

    /// Every job of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let archive = self.archive;
        let mut jobs = vec![
            Job::Home,
            Job::People,
            Job::Topics,
            Job::Archive,
            Job::Feed,
            Job::Sitemap,
            Job::Robots,
            Job::NotFound,
        ];
        if archive.config.search.enabled {
            jobs.push(Job::Search);
        }
        jobs.extend((0..archive.articles.len()).map(Job::Article));
        jobs.extend((0..archive.people.len()).map(Job::Person));
        jobs.extend((0..archive.topics.len()).map(Job::Topic));
        for (y, year) in archive.years.iter().enumerate() {
            jobs.push(Job::Year(y));
            jobs.extend((0..year.months.len()).map(|m| Job::Month(y, m)));
        }
        jobs
    }

    /// Every job of the site, in the order of [`Renderer::jobs`], long lists
    /// cut into runs of [`PAGES_PER_TASK`] pages.
    pub fn tasks(&self) -> Vec<Task> {
        self.jobs()
            .into_iter()
            .flat_map(|job| {
                let pages = self.list_pages(job);
                (1..=pages).step_by(PAGES_PER_TASK).map(move |first| Task {
                    job,
                    pages: first..=(first + PAGES_PER_TASK - 1).min(pages),
                })
            })
            .collect()
    }

    /// The files of `task`.
    pub fn render_task(&self, task: &Task) -> Result<Vec<Page>, Error> {
        self.render_parts(task.job, &|part| match part {
            Part::Page(n) => task.pages.contains(&n),
            Part::Feed => task.pages.contains(&1),
        })
    }

    /// The number of pages of `job`'s list; 1 when it is not a list.
    fn list_pages(&self, job: Job) -> usize {
        self.listed(job).map_or(1, |articles| {
            page_count(articles.len(), self.archive.config.per_page)
        })
    }

    /// The articles `job` lists, newest first, when it is a paginated list.
    fn listed(&self, job: Job) -> Option<&[usize]> {
        let archive = self.archive;
        match job {
            Job::Home => Some(&self.newest),
            Job::Person(p) => Some(&archive.people[p].articles),
            Job::Topic(t) => Some(&archive.topics[t].articles),
            Job::Month(y, m) => Some(&archive.years[y].months[m].articles),
            _ => None,
        }
    }

    /// The files of `job` that are `wanted`: of a list (home, person, topic,
    /// month), the wanted pages and feed; of any other job, all its files.
    pub fn render_parts(
        &self,
        job: Job,
        wanted: &dyn Fn(Part) -> bool,
    ) -> Result<Vec<Page>, Error> {
        let archive = self.archive;
        let urls = &self.urls;
        match job {
            Job::Home => self.list(
                "index.html",
                "",
                &self.newest,
                Depth::Page,
                Context::new(),
                wanted,
            ),
            Job::Article(index) => {
                let mut context = Context::new();
                context.insert("article", &self.view_with_body(index));
                if index + 1 < archive.articles.len() {
                    context.insert("previous", self.view(index + 1));
                }
                if index > 0 {
                    context.insert("next", self.view(index - 1));
                }
                let related = archive.links[index]
                    .related
                    .iter()
                    .map(|&r| self.related(r))
                    .collect::<Result<Vec<_>, _>>()?;
                context.insert("related", &related);
                let path = archive.articles[index].url_path();
                let body = archive.articles[index].body.len();
                Ok(vec![self.page("article.html", &path, context, body)?])
            }
            Job::People => {
                #[derive(Serialize)]
                struct Group<'v> {
                    letter: String,
                    entities: Vec<EntityView<'v>>,
                }
                let mut groups: Vec<Group> = Vec::new();
                for person in &archive.people {
                    let letter = person
                        .slug
                        .chars()
                        .next()
                        .filter(char::is_ascii_alphabetic)
                        .map_or_else(|| "#".to_owned(), |c| c.to_ascii_uppercase().to_string());
                    if groups.last().is_none_or(|g| g.letter != letter) {
                        groups.push(Group {
                            letter,
                            entities: Vec::new(),
                        });
                    }
                    if let Some(group) = groups.last_mut() {
                        group.entities.push(EntityView::new(person, "people", urls));
                    }
                }
                let mut context = Context::new();
                context.insert("groups", &groups);
                Ok(vec![self.page("people.html", "people/", context, 0)?])
            }
            Job::Topics => {
                let entities: Vec<_> = archive
                    .topics
                    .iter()
                    .map(|t| EntityView::new(t, "topics", urls))
                    .collect();
                let mut context = Context::new();
                context.insert("entities", &entities);
                Ok(vec![self.page("topics.html", "topics/", context, 0)?])
            }
            Job::Person(index) => {
                let person = &archive.people[index];
                let mut context = Context::new();
                let mut entity = EntityView::new(person, "people", urls);
                entity.body = Some(&person.body);
                context.insert("entity", &entity);
                context.insert(
                    "top_topics",
                    &counted(
                        &archive.topics,
                        "topics",
                        &archive.top_topics(index, TOP),
                        urls,
                    ),
                );
                context.insert(
                    "companions",
                    &counted(
                        &archive.people,
                        "people",
                        &archive.companions(index, TOP),
                        urls,
                    ),
                );
                let path = format!("people/{}/", person.slug);
                let mut pages = self.list(
                    "person.html",
                    &path,
                    &person.articles,
                    Depth::Section,
                    context,
                    wanted,
                )?;
                if wanted(Part::Feed) {
                    pages.push(self.feed(&person.name, &path, &person.articles)?);
                }
                Ok(pages)
            }
            Job::Topic(index) => {
                let topic = &archive.topics[index];
                let mut context = Context::new();
                let mut entity = EntityView::new(topic, "topics", urls);
                entity.body = Some(&topic.body);
                context.insert("entity", &entity);
                context.insert(
                    "top_speakers",
                    &counted(
                        &archive.people,
                        "people",
                        &archive.top_speakers(index, TOP),
                        urls,
                    ),
                );
                let path = format!("topics/{}/", topic.slug);
                let mut pages = self.list(
                    "topic.html",
                    &path,
                    &topic.articles,
                    Depth::Section,
                    context,
                    wanted,
                )?;
                if wanted(Part::Feed) {
                    pages.push(self.feed(&topic.name, &path, &topic.articles)?);
                }
                Ok(pages)
            }
            Job::Archive => {
                let years: Vec<_> = archive
                    .years
                    .iter()
                    .map(|y| YearWithMonths::new(y, urls))
                    .collect();
                let mut context = Context::new();
                context.insert("years", &years);
                Ok(vec![self.page("archive.html", "archive/", context, 0)?])
            }
            Job::Year(y) => {
                let year = YearWithMonths::new(&archive.years[y], urls);
                let mut context = Context::new();
                context.insert("year", &year.year);
                context.insert("count", &year.count);
                context.insert("months", &year.months);
                let path = format!("{:04}/", year.year);
                Ok(vec![self.page("year.html", &path, context, 0)?])
            }
            Job::Month(y, m) => {
                let year = &archive.years[y];
                let month = &year.months[m];
                let mut context = Context::new();
                context.insert("year", &year.year);
                context.insert("month_name", month_name(month.month));
                context.insert("year_url", &urls.to(&format!("{:04}/", year.year)));
                context.insert("count", &month.articles.len());
                let path = format!("{:04}/{:02}/", year.year, month.month);
                self.list(
                    "month.html",
                    &path,
                    &month.articles,
                    Depth::Page,
                    context,
                    wanted,
                )
            }
            Job::Search => Ok(vec![self.page(
                "search.html",
                "search/",
                Context::new(),
                0,
            )?]),
            Job::Feed => Ok(vec![self.feed(&archive.config.title, "", &self.newest)?]),
            Job::Sitemap => self.sitemap(),
            Job::Robots => Ok(vec![self.file(
                "robots.txt",
                "robots.txt",
                Context::new(),
                0,
            )?]),
            Job::NotFound => {
                let mut context = self.page_context("404.html", Context::new())?;
                context.insert("page_url", "");
                Ok(vec![Page {
                    path: "404.html".into(),
                    body: self.render_file("404.html", &context, 0)?,
                }])
            }
        }
    }

    /// The pages of a paginated list at site path `path` (one page when
    /// empty), its articles' headings at `depth`.
    fn list(
        &self,
        template: &str,
        path: &str,
        articles: &[usize],
        depth: Depth,
        context: Context,
        wanted: &dyn Fn(Part) -> bool,
    ) -> Result<Vec<Page>, Error> {
        let per_page = self.archive.config.per_page;
        let total = page_count(articles.len(), per_page);
        (1..=total)
            .filter(|&n| wanted(Part::Page(n)))
            .map(|n| {
                let chunk = articles.chunks(per_page).nth(n - 1).unwrap_or(&[]);
                let entries = chunk
                    .iter()
                    .map(|&i| self.entry(i, depth))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut context = context.clone();
                let shown = entries.iter().map(|e| e.len()).sum();
                context.insert("entries", &entries);
                context.insert("pagination", &Pagination::new(path, n, total, &self.urls));
                self.page(template, &page_path(path, n), context, shown)
            })
            .collect()
    }

    /// The Atom feed at `path`feed.xml of the newest of `articles`.
    fn feed(&self, title: &str, path: &str, articles: &[usize]) -> Result<Page, Error> {
        let archive = self.archive;
        let newest: Vec<_> = articles
            .iter()
            .take(FEED_ENTRIES)
            .map(|&i| self.view_with_body(i))
            .collect();
        let updated = articles.first().map_or_else(
            || "1970-01-01T00:00:00+00:00".to_owned(),
            |&i| archive.articles[i].date.to_rfc3339(),
        );
        #[derive(Serialize)]
        struct Feed<'f> {
            title: &'f str,
            url: String,
            feed_url: String,
            updated: String,
        }
        let mut context = Context::new();
        context.insert(
            "feed",
            &Feed {
                title,
                url: self.urls.to(path),
                feed_url: self.urls.to(&format!("{path}feed.xml")),
                updated,
            },
        );
        let bodies = newest.iter().map(|a| a.body.len()).sum();
        context.insert("articles", &newest);
        self.file("feed.xml", &format!("{path}feed.xml"), context, bodies)
    }

    /// `sitemap.xml`: every HTML page; past the protocol's limit, an index of several sitemaps.
    fn sitemap(&self) -> Result<Vec<Page>, Error> {
        #[derive(Serialize)]
        struct Entry {
            url: String,
            lastmod: String,
        }
        let archive = self.archive;
        let entry = |path: String, lastmod: String| Entry {
            url: self.urls.to(&path),
            lastmod,
        };
        let newest = archive
            .articles
            .first()
            .map_or_else(String::new, |a| a.date.format("%Y-%m-%d").to_string());
        let mut entries = vec![
            entry(String::new(), newest.clone()),
            entry("people/".into(), newest.clone()),
            entry("topics/".into(), newest.clone()),
            entry("archive/".into(), newest),
        ];
        let last_of = |articles: &[usize]| {
            articles.first().map_or_else(String::new, |&i| {
                archive.articles[i].date.format("%Y-%m-%d").to_string()
            })
        };
        entries.extend(
            archive
                .articles
                .iter()
                .map(|a| entry(a.url_path(), a.date.format("%Y-%m-%d").to_string())),
        );
        entries.extend(
            archive
                .people
                .iter()
                .map(|p| entry(format!("people/{}/", p.slug), last_of(&p.articles))),
        );
        entries.extend(
            archive
                .topics
                .iter()
                .map(|t| entry(format!("topics/{}/", t.slug), last_of(&t.articles))),
        );
        for year in &archive.years {
            let all: Vec<usize> = year
                .months
                .iter()
                .rev()
                .flat_map(|m| m.articles.iter().copied())
                .collect();
            entries.push(entry(format!("{:04}/", year.year), last_of(&all)));
            entries.extend(year.months.iter().map(|m| {
                entry(
                    format!("{:04}/{:02}/", year.year, m.month),
                    last_of(&m.articles),
                )
            }));
        }
        if entries.len() <= SITEMAP_LIMIT {
            let mut context = Context::new();
            context.insert("urls", &entries);
            return Ok(vec![self.file("sitemap.xml", "sitemap.xml", context, 0)?]);
        }
        let mut pages = Vec::new();
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
            let name = format!("sitemap-{}.xml", n + 1);
            let mut context = Context::new();
            context.insert("urls", chunk);
            pages.push(self.file("sitemap.xml", &name, context, 0)?);
            index.push_str(&format!(
                "  <sitemap><loc>{}{}</loc></sitemap>\n",
                archive.site_url.origin,
                self.urls.to(&name)
            ));
        }
        index.push_str("</sitemapindex>\n");
        pages.push(Page {
            path: "sitemap.xml".into(),
            body: index.into_bytes(),
        });
        Ok(pages)
    }

    /// An HTML page at site path `path` (a folder), rendered with `template`;
    /// `shown` is the length of the ready-made HTML it shows (a body, list
    /// entries), to size its buffer.
    fn page(
        &self,
        template: &str,
        path: &str,
        context: Context,
        shown: usize,
    ) -> Result<Page, Error> {
        let mut full = self.page_context(path, context)?;
        full.insert("page_url", &self.urls.to(path));
        Ok(Page {
            path: format!("{path}index.html"),
            body: self.render_file(template, &full, shown)?,
        })
    }

    /// The footer's links to every year, as `years.html` renders them: the
    /// same on every page.
    pub fn years_nav(&self) -> Result<&str, Error> {
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

    /// What the HTML page at site path `path` sees: the values every
    /// template sees, its header, the footer's years, and `context`.
    fn page_context(&self, path: &str, context: Context) -> Result<Context, Error> {
        let mut full = self.common.clone();
        full.insert("header", self.header(Section::of(path))?);
        full.insert("years_nav", self.years_nav()?);
        full.extend(context);
        Ok(full)
    }

    /// A file (feed, sitemap) at site path `path`, rendered with `template`;
    /// `shown` as for [`Renderer::page`].
    fn file(
        &self,
        template: &str,
        path: &str,
        context: Context,
        shown: usize,
    ) -> Result<Page, Error> {
        let mut full = self.common.clone();
        full.extend(context);
        full.insert("page_url", &self.urls.to(path));
        Ok(Page {
            path: path.to_owned(),
            body: self.render_file(template, &full, shown)?,
        })
    }

    /// A whole file rendered with `template`, as bytes, into a buffer sized
    /// for the `shown` bytes of ready-made HTML and the frame around them:
    /// Tera's own grows from 2 KB, copied at each step, and is checked to be
    /// UTF-8 again at the end.
    fn render_file(
        &self,
        template: &str,
        context: &Context,
        shown: usize,
    ) -> Result<Vec<u8>, Error> {
        let mut body = Vec::with_capacity(shown + FRAME_BYTES);
        self.tera
            .render_to(template, context, &mut body)
            .map_err(|e| Error::template(template, &e))?;
        Ok(body)
    }

    fn tera_render(&self, template: &str, context: &Context) -> Result<String, Error> {
        self.tera
            .render(template, context)
            .map_err(|e| Error::template(template, &e))
    }
}

/// The pages of a list of `articles`, `per_page` to a page: one at least.
pub fn page_count(articles: usize, per_page: usize) -> usize {
    articles.div_ceil(per_page).max(1)
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
