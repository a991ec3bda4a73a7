//! The jobs of a site: what each page and feed shows, filled once for both
//! rendering and signing (see [`super::values`]).

use serde::Serialize;

use super::values::Values;
use super::views::{EntityView, Pagination, YearWithMonths, counted, month_name};
use super::{Depth, Page, Renderer, Target, page_count};
use crate::content::ProfileKind;
use crate::error::Error;
use crate::paths;
use crate::redirect;

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 20;
/// How many top topics, companions or top speakers a page lists.
const TOP: usize = 8;

/// A unit of rendering: one page or a group of pages that share their work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// The home page and its following pages.
    Home,
    /// An article's page.
    Article(usize),
    /// The files published beside an article's page.
    Assets(usize),
    /// The pages at an article's earlier URLs, one part each.
    Redirects(usize),
    /// `_redirects`: every earlier URL, for hosts that redirect themselves.
    RedirectsFile,
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

/// One file of a job, or a few that are always made together (a long sitemap).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Part {
    /// Page `n` (from 1) of a paginated list; a job that is not a list has page 1 only.
    Page(usize),
    /// The Atom feed of a person or a topic.
    Feed,
}

/// An earlier URL, as `_redirects` lists it.
#[derive(Serialize, Hash)]
struct Redirect {
    from: String,
    to: String,
}

/// The people whose slugs start with one letter, on the people index.
#[derive(Serialize, Hash)]
struct PeopleGroup<'v> {
    letter: String,
    entities: Vec<EntityView<'v>>,
}

impl Renderer<'_> {
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
        jobs.extend(
            (0..archive.articles.len())
                .filter(|&i| !archive.articles[i].assets.is_empty())
                .map(Job::Assets),
        );
        let moved =
            (0..archive.articles.len()).filter(|&i| !archive.articles[i].redirect_from.is_empty());
        let before = jobs.len();
        jobs.extend(moved.map(Job::Redirects));
        if jobs.len() > before {
            jobs.push(Job::RedirectsFile);
        }
        jobs.extend((0..archive.people.len()).map(Job::Person));
        jobs.extend((0..archive.topics.len()).map(Job::Topic));
        for (y, year) in archive.years.iter().enumerate() {
            jobs.push(Job::Year(y));
            jobs.extend((0..year.months.len()).map(|m| Job::Month(y, m)));
        }
        jobs
    }

    /// The job's name that stays when articles come and go: the site path
    /// of its first file (`people/ada/`, `2020/09/`, `feed.xml`).
    pub fn key(&self, job: Job) -> String {
        let archive = self.archive;
        match job {
            Job::Home => paths::HOME.to_owned(),
            Job::Article(i) => archive.articles[i].url_path(),
            Job::Assets(i) => paths::assets_key(&archive.articles[i].url_path()),
            Job::Redirects(i) => paths::earlier_key(&archive.articles[i].url_path()),
            Job::RedirectsFile => redirect::REDIRECTS_FILE.to_owned(),
            Job::People => paths::PEOPLE.to_owned(),
            Job::Person(p) => paths::person(&archive.people[p].slug),
            Job::Topics => paths::TOPICS.to_owned(),
            Job::Topic(t) => paths::topic(&archive.topics[t].slug),
            Job::Archive => paths::ARCHIVE.to_owned(),
            Job::Year(y) => paths::year(archive.years[y].year),
            Job::Month(y, m) => {
                paths::month_path(archive.years[y].year, archive.years[y].months[m].month)
            }
            Job::Search => paths::SEARCH.to_owned(),
            Job::Feed => paths::feed(paths::HOME),
            Job::Sitemap => "sitemap.xml".to_owned(),
            Job::Robots => "robots.txt".to_owned(),
            Job::NotFound => "404.html".to_owned(),
        }
    }

    /// The parts of `job`: a list's pages and, for a person or a topic, its feed.
    pub fn parts(&self, job: Job) -> Vec<Part> {
        let mut parts: Vec<Part> = (1..=self.list_pages(job)).map(Part::Page).collect();
        if matches!(job, Job::Person(_) | Job::Topic(_)) {
            parts.push(Part::Feed);
        }
        parts
    }

    /// The files of the parts of `job` that are `wanted`, each with its
    /// signature when `sign`.
    pub fn render_parts(
        &self,
        job: Job,
        wanted: &dyn Fn(Part) -> bool,
        sign: bool,
    ) -> Result<Vec<Page>, Error> {
        if job == Job::Sitemap {
            return self.sitemap(sign);
        }
        if let Job::Assets(i) = job {
            return self.assets(i, sign);
        }
        let new = if sign {
            || Values::render(true)
        } else {
            || Values::render(false)
        };
        self.fill_parts(job, wanted, new, |part, template, target, values| {
            self.finish(template, target, values, part)
        })
    }

    /// The signature of each part of `job`: a hash of what its template receives.
    pub fn sign(&self, job: Job) -> Result<Vec<(Part, u64)>, Error> {
        self.sign_parts(job, &|_| true)
    }

    /// The signatures of the parts of `job` that are `wanted`.
    pub fn sign_parts(
        &self,
        job: Job,
        wanted: &dyn Fn(Part) -> bool,
    ) -> Result<Vec<(Part, u64)>, Error> {
        if job == Job::Sitemap {
            return Ok(vec![(
                Part::Page(1),
                self.sitemap_signature(self.sitemap_entries()),
            )]);
        }
        if let Job::Assets(i) = job {
            return Ok(vec![(Part::Page(1), self.assets_signature(i))]);
        }
        self.fill_parts(
            job,
            wanted,
            Values::sign,
            |part, template, target, mut values| {
                values.sign_also(&(template, target));
                Ok((part, values.signature()))
            },
        )
    }

    /// The articles whose bodies the parts of `job` that are `wanted` show.
    pub fn bodies(&self, job: Job, wanted: &dyn Fn(Part) -> bool) -> Result<Vec<usize>, Error> {
        let lists = self.fill_parts(job, wanted, Values::bodies, |_, _, _, values| {
            Ok(values.into_bodies())
        })?;
        Ok(lists.concat())
    }

    /// Fills the values (made by `new`) of each part of `job` that is
    /// `wanted`, and hands them to `done` with the file's template and target.
    fn fill_parts<T>(
        &self,
        job: Job,
        wanted: &dyn Fn(Part) -> bool,
        new: fn() -> Values,
        done: impl Fn(Part, &'static str, Target, Values) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        let parts: Vec<Part> = self.parts(job).into_iter().filter(|&p| wanted(p)).collect();
        let mut pages_left = parts.iter().filter(|p| matches!(p, Part::Page(_))).count();
        let mut shared: Option<Values> = None;
        let mut made = Vec::new();
        for part in parts {
            // A feed shows none of its job's shared values; the last page
            // takes them rather than a copy.
            let mut values = match part {
                Part::Feed => new(),
                Part::Page(_) => {
                    if shared.is_none() {
                        let mut values = new();
                        self.job_values(job, &mut values)?;
                        shared = Some(values);
                    }
                    pages_left -= 1;
                    match pages_left {
                        0 => shared.take().unwrap_or_else(new),
                        _ => shared.clone().unwrap_or_else(new),
                    }
                }
            };
            let (template, target) = self.part_values(job, part, &mut values)?;
            made.push(done(part, template, target, values)?);
        }
        Ok(made)
    }

    /// The number of pages of `job`'s list (of an article's earlier URLs);
    /// 1 when it is not a list.
    fn list_pages(&self, job: Job) -> usize {
        if let Job::Redirects(i) = job {
            return self.archive.articles[i].redirect_from.len().max(1);
        }
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

    /// The values every page of `job` shares.
    fn job_values(&self, job: Job, values: &mut Values) -> Result<(), Error> {
        let archive = self.archive;
        let urls = &self.urls;
        match job {
            Job::Article(index) => {
                values.with_bodies(self, "article", &[index], true);
                if index + 1 < archive.articles.len() {
                    values.article(self, "previous", index + 1);
                }
                if index > 0 {
                    values.article(self, "next", index - 1);
                }
                values.related(self, &archive.links[index].related)?;
            }
            Job::People => values.insert("groups", &self.people_groups()),
            Job::Topics => {
                let entities: Vec<_> = archive
                    .topics
                    .iter()
                    .map(|t| EntityView::new(t, ProfileKind::Topic, urls))
                    .collect();
                values.insert("entities", &entities);
            }
            Job::Person(index) => {
                self.entity_values(ProfileKind::Person, index, values);
                let top_topics = archive.top_topics(index, TOP);
                let top_topics = counted(&archive.topics, ProfileKind::Topic, &top_topics, urls);
                values.insert("top_topics", &top_topics);
                let companions = archive.companions(index, TOP);
                let companions = counted(&archive.people, ProfileKind::Person, &companions, urls);
                values.insert("companions", &companions);
            }
            Job::Topic(index) => {
                self.entity_values(ProfileKind::Topic, index, values);
                let top = archive.top_speakers(index, TOP);
                let top = counted(&archive.people, ProfileKind::Person, &top, urls);
                values.insert("top_speakers", &top);
            }
            Job::Archive => {
                let years: Vec<_> = archive
                    .years
                    .iter()
                    .map(|y| YearWithMonths::new(y, urls))
                    .collect();
                values.insert("years", &years);
            }
            Job::Year(y) => {
                let year = YearWithMonths::new(&archive.years[y], urls);
                values.insert("year", &year.year);
                values.insert("count", &year.count);
                values.insert("months", &year.months);
            }
            Job::Month(y, m) => {
                let year = &archive.years[y];
                let month = &year.months[m];
                values.insert("year", &year.year);
                values.insert("month_name", month_name(month.month));
                values.insert("year_url", &urls.to(&paths::year(year.year)));
                values.insert("count", &month.articles.len());
            }
            Job::Redirects(index) => values.article(self, "article", index),
            Job::RedirectsFile => values.insert("redirects", &self.redirects()),
            Job::Home
            | Job::Assets(_)
            | Job::Search
            | Job::Feed
            | Job::Sitemap
            | Job::Robots
            | Job::NotFound => {}
        }
        Ok(())
    }

    /// Every earlier URL of the site, and where it sends the reader to.
    fn redirects(&self) -> Vec<Redirect> {
        let urls = &self.urls;
        self.archive
            .articles
            .iter()
            .flat_map(|article| {
                let to = urls.to(&article.url_path());
                article.redirect_from.iter().map(move |(from, _)| Redirect {
                    from: urls.to(from),
                    to: to.clone(),
                })
            })
            .collect()
    }

    /// A person's or topic's own values, with its profile's body, as `entity`.
    fn entity_values(&self, kind: ProfileKind, index: usize, values: &mut Values) {
        let entity = match kind {
            ProfileKind::Person => &self.archive.people[index],
            ProfileKind::Topic => &self.archive.topics[index],
        };
        let mut view = EntityView::new(entity, kind, &self.urls);
        view.body = Some(&entity.body);
        values.insert("entity", &view);
    }

    /// The people, grouped by the first letter of their slug (`#` for a digit).
    fn people_groups(&self) -> Vec<PeopleGroup<'_>> {
        let mut groups: Vec<PeopleGroup> = Vec::new();
        for person in &self.archive.people {
            let letter = person
                .slug
                .chars()
                .next()
                .filter(char::is_ascii_alphabetic)
                .map_or_else(|| "#".to_owned(), |c| c.to_ascii_uppercase().to_string());
            if groups.last().is_none_or(|g| g.letter != letter) {
                groups.push(PeopleGroup {
                    letter,
                    entities: Vec::new(),
                });
            }
            if let Some(group) = groups.last_mut() {
                let view = EntityView::new(person, ProfileKind::Person, &self.urls);
                group.entities.push(view);
            }
        }
        groups
    }

    /// The values that part `part` of `job` adds to its job's, and the
    /// template and target of the file.
    fn part_values(
        &self,
        job: Job,
        part: Part,
        values: &mut Values,
    ) -> Result<(&'static str, Target), Error> {
        let archive = self.archive;
        let template = match job {
            Job::Home => "index.html",
            Job::Article(_) => "article.html",
            Job::Assets(_) => "",
            Job::Redirects(i) => {
                let n = match part {
                    Part::Page(n) => n,
                    Part::Feed => 1,
                };
                let from = archive.articles[i]
                    .redirect_from
                    .get(n - 1)
                    .map_or("", |(from, _)| from);
                values.insert("from", &self.urls.to(from));
                return Ok(("redirect.html", Target::File(redirect::file_of(from))));
            }
            Job::RedirectsFile => {
                let file = redirect::REDIRECTS_FILE.to_owned();
                return Ok((redirect::REDIRECTS_FILE, Target::File(file)));
            }
            Job::People => "people.html",
            Job::Topics => "topics.html",
            Job::Person(_) => "person.html",
            Job::Topic(_) => "topic.html",
            Job::Archive => "archive.html",
            Job::Year(_) => "year.html",
            Job::Month(..) => "month.html",
            Job::Search => "search.html",
            Job::Feed => {
                return Ok(self.feed(&archive.config.title, paths::HOME, &self.newest, values));
            }
            Job::Sitemap => "sitemap.xml",
            Job::Robots => return Ok(("robots.txt", Target::File("robots.txt".to_owned()))),
            Job::NotFound => return Ok(("404.html", Target::NotFound)),
        };
        let path = self.key(job);
        if let Part::Feed = part {
            let title = match job {
                Job::Person(p) => &archive.people[p].name,
                Job::Topic(t) => &archive.topics[t].name,
                _ => &archive.config.title,
            };
            let articles = self.listed(job).unwrap_or(&[]);
            return Ok(self.feed(title, &path, articles, values));
        }
        let Some(articles) = self.listed(job) else {
            return Ok((template, Target::Page(path)));
        };
        let n = match part {
            Part::Page(n) => n,
            Part::Feed => 1,
        };
        let per_page = archive.config.per_page.max(1);
        let total = page_count(articles.len(), per_page);
        let chunk = articles.chunks(per_page).nth(n - 1).unwrap_or(&[]);
        let depth = match job {
            Job::Person(_) | Job::Topic(_) => Depth::Section,
            _ => Depth::Page,
        };
        values.entries(self, chunk, depth)?;
        values.insert("pagination", &Pagination::new(&path, n, total, &self.urls));
        Ok((template, Target::Page(paths::page(&path, n))))
    }

    /// The Atom feed of the list at `path` of the newest of `articles`.
    fn feed(
        &self,
        title: &str,
        path: &str,
        articles: &[usize],
        values: &mut Values,
    ) -> (&'static str, Target) {
        #[derive(Serialize, Hash)]
        struct Feed<'f> {
            title: &'f str,
            url: String,
            feed_url: String,
            updated: String,
        }
        let updated = articles.first().map_or_else(
            || "1970-01-01T00:00:00+00:00".to_owned(),
            |&i| self.archive.articles[i].date.to_rfc3339(),
        );
        let feed_path = paths::feed(path);
        let feed = Feed {
            title,
            url: self.urls.to(path),
            feed_url: self.urls.to(&feed_path),
            updated,
        };
        values.insert("feed", &feed);
        let newest = &articles[..articles.len().min(FEED_ENTRIES)];
        values.with_bodies(self, "articles", newest, false);
        ("feed.xml", Target::File(feed_path))
    }
}
