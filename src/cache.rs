//! What a build keeps beside the site for the next one, in `.gazette_cache/`
//! (as Jekyll keeps `.jekyll-cache/` and pytest `.pytest_cache/`; the folder tells git to ignore it): the
//! parsed content, each file's length and modification time when it was read,
//! and the signatures and files of what was rendered. The next build reads
//! again only the files whose stamp changed, and renders only what that
//! touches.
//!
//! A cache of another Gazette version, of other options or of another output,
//! one that does not go with the output's manifest, or one that cannot be
//! read, is not used: the build is a full one.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use memmap2::Mmap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_64;
use walkdir::WalkDir;

use crate::archive::{Archive, Entity, Links, Year};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{Article, CONTENT_DIR, Content, ContentFile, Profile, ProfileKind, Stamp};
use crate::incremental::Rendered;
use crate::render::{STATIC_DIR, TEMPLATES_DIR};
use crate::search::Indexed;
use crate::site::{Site, SiteOptions};

/// The cache folder, at the site's root.
pub const CACHE_DIR: &str = ".gazette_cache";
/// The folder in it of the search index's runs of articles, one file each
/// (see [`crate::search::Indexed`]), shared by the builds of every output.
const RUNS_DIR: &str = "search";
/// The state files in it start so, one for each output folder the site is
/// built into (a site built for its host and for a preview keeps both).
const STATE_FILE: &str = "build";

/// The Gazette that writes a state, and the layout of its fields: a state
/// of another version or layout is not read.
const STATE_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), ", state layout 3");

/// Every file a build reads, relative to the root, with its stamp.
pub type Stamps = Vec<(PathBuf, Stamp)>;

/// What one build leaves for the next.
#[derive(Serialize, Deserialize)]
pub struct State {
    /// The Gazette that wrote it, and the layout ([`STATE_VERSION`]).
    version: String,
    /// The options the site was built with.
    pub options: SiteOptions,
    /// The output folder, absolute.
    pub output: PathBuf,
    /// The files read, with their stamps before they were read.
    pub stamps: Stamps,
    /// When the stamps were taken, in nanoseconds since 1970.
    pub taken: u128,
    /// The content as linked: the articles newest first, without their bodies.
    pub content: Content,
    /// What linking added beside the articles, when the site had an archive.
    pub linking: Option<Linking>,
    /// Every Markdown file of `content/` read into the site (a draft left
    /// out is read again when it changes, as any file whose stamp changed).
    pub known: Vec<PathBuf>,
    /// What was rendered.
    pub rendered: Rendered,
    /// The hash of the output's marker (its manifest) after the build.
    pub marker: u64,
    /// The output paths of the search index.
    pub search: Vec<String>,
}

impl State {
    /// The state the last build of the site at `root` left, when it was one
    /// of this version with these options and output.
    pub fn load(root: &Path, options: &SiteOptions, output: &Path) -> Option<State> {
        let bytes = map(&state_file(root, output))?;
        let state: State = postcard::from_bytes(checked(&bytes)?).ok()?;
        let fits = state.version == STATE_VERSION
            && &state.options == options
            && state.output == output
            && state.rendered.is_valid();
        fits.then_some(state)
    }

    /// Makes what the build of `site` leaves for the next one but for what
    /// only the written output tells ([`Pending::save`] adds it), and writes
    /// the search index's runs: done while the output is being written.
    pub fn prepare(site: &Site, build: Prepared<'_>) -> Pending {
        let root = site.root();
        let dir = root.join(CACHE_DIR);
        let (stamps, taken) = build.stamps;
        let mut content = ContentRef {
            articles: site.archive().map_or(&[][..], |a| a.articles.as_slice()),
            people: Vec::new(),
            topics: Vec::new(),
            files: site.files().collect(),
        };
        for profile in site.profiles() {
            match profile.kind {
                ProfileKind::Person => content.people.push(profile),
                ProfileKind::Topic => content.topics.push(profile),
            }
        }
        let state = StateRef {
            version: STATE_VERSION,
            options: build.options,
            output: build.output,
            stamps,
            taken: *taken,
            content,
            linking: site.archive().map(|a| LinkingRef {
                people: &a.people,
                topics: &a.topics,
                links: &a.links,
                years: &a.years,
            }),
            known: site.known(),
            rendered: site.rendered(),
        };
        let (runs, bytes) = rayon::join(
            || site.indexed().write(&dir.join(RUNS_DIR)),
            || state.encode().map_err(|e| e.to_string()),
        );
        Pending {
            file: state_file(root, build.output),
            dir,
            bytes: runs.and(bytes),
        }
    }
}

/// A build's state made but for the output's marker and search files.
pub struct Pending {
    dir: PathBuf,
    file: PathBuf,
    /// The state's fields up to those [`Pending::save`] adds, encoded.
    bytes: Result<Vec<u8>, String>,
}

impl Pending {
    /// Writes the state, with the hash of the output's `marker` and the
    /// output paths of the `search` index. A cache that cannot be written
    /// only costs the next build its speed, so it is a warning.
    pub fn save(self, marker: u64, search: &[String]) {
        let written = self.bytes.and_then(|mut bytes| {
            let tail = postcard::to_stdvec(&(marker, search)).map_err(|e| e.to_string())?;
            bytes.extend_from_slice(&tail);
            seal(&mut bytes);
            fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
            fs::write(self.dir.join(".gitignore"), "# Gazette's build cache\n*\n")
                .map_err(|e| e.to_string())?;
            replace(&self.file, &bytes)
        });
        if let Err(e) = written {
            eprintln!(
                "warning: cannot write the build cache in {}: {e}; the next build will be a full one",
                self.dir.display()
            );
        }
    }
}

/// Ends the bytes of a cache file with their XXH3 hash, which [`checked`]
/// reads.
pub fn seal(bytes: &mut Vec<u8>) {
    let hash = XxHash3_64::oneshot(bytes);
    bytes.extend_from_slice(&hash.to_le_bytes());
}

/// The bytes of a cache file before the XXH3 hash it ends with, when they
/// are those the hash says: a file damaged where it still decodes is not
/// read as the state it no longer is.
pub fn checked(file: &[u8]) -> Option<&[u8]> {
    let (bytes, hash) = file.split_last_chunk::<8>()?;
    (XxHash3_64::oneshot(bytes) == u64::from_le_bytes(*hash)).then_some(bytes)
}

/// Bytes of room per article when a state is encoded: about three times
/// what an article takes (1.4 KB with its stamp and links); a larger state
/// grows its buffer as any.
const ROOM_PER_ARTICLE: usize = 4 * 1024;

/// The cache file at `path`, mapped rather than read into memory: its
/// pages are the system's file cache, which a build touches without
/// faulting in memory of its own. `None` when it cannot be mapped.
pub fn map(path: &Path) -> Option<Mmap> {
    let file = fs::File::open(path).ok()?;
    // SAFETY: the cache's files are written under another name and renamed
    // into place ([`replace`]), never written where they are, and a file
    // removed while mapped stays as it was; only another program cutting
    // one short while a build reads it could change the bytes under the
    // map, as with any tool that maps its cache.
    unsafe { Mmap::map(&file) }.ok()
}

/// Writes `bytes` as the cache file `target`: under another name first,
/// then renamed into place, so that a file is never seen half written nor
/// changed where it is.
pub fn replace(target: &Path, bytes: &[u8]) -> Result<(), String> {
    let temporary = target.with_extension("new");
    fs::write(&temporary, bytes).map_err(|e| e.to_string())?;
    fs::rename(&temporary, target).map_err(|e| e.to_string())
}

/// The runs of articles of the search index the last builds of the site at
/// `root` left.
pub fn indexed(root: &Path) -> Indexed {
    Indexed::read(&root.join(CACHE_DIR).join(RUNS_DIR))
}

impl StateRef<'_> {
    /// The state's fields as postcard writes them, its two halves encoded
    /// at once (postcard writes a struct as its fields one after the other,
    /// a tuple alike).
    fn encode(&self) -> postcard::Result<Vec<u8>> {
        // Room for more than the state takes: pages a buffer does not
        // touch cost nothing, where growing it wrote each byte again.
        let room = (self.content.articles.len() + 256) * ROOM_PER_ARTICLE;
        let (first, second) = rayon::join(
            || {
                let first = (
                    self.version,
                    self.options,
                    self.output,
                    self.stamps,
                    self.taken,
                    &self.content,
                );
                postcard::to_extend(&first, Vec::with_capacity(room))
            },
            || postcard::to_stdvec(&(&self.linking, self.known, self.rendered)),
        );
        let mut bytes = first?;
        bytes.extend_from_slice(&second?);
        Ok(bytes)
    }
}

/// What a build gives [`State::prepare`] besides its site.
pub struct Prepared<'a> {
    /// The options the site was built with.
    pub options: &'a SiteOptions,
    /// The output folder, absolute.
    pub output: &'a Path,
    /// The stamps of the files read, and when they were taken.
    pub stamps: &'a (Stamps, u128),
}

/// [`State`] as it is written, but for its last two fields, which
/// [`Pending::save`] adds: the same fields in the same order, borrowed from
/// the site rather than copied (postcard writes a struct as its fields in
/// order, and a `Vec<&T>` as a `Vec<T>`; the round-trip test holds the two
/// together).
#[derive(Serialize)]
struct StateRef<'a> {
    version: &'a str,
    options: &'a SiteOptions,
    output: &'a Path,
    stamps: &'a Stamps,
    taken: u128,
    content: ContentRef<'a>,
    linking: Option<LinkingRef<'a>>,
    known: &'a BTreeSet<PathBuf>,
    rendered: &'a Rendered,
}

/// [`Content`] borrowed, as [`StateRef`] writes it.
#[derive(Serialize)]
struct ContentRef<'a> {
    articles: &'a [Article],
    people: Vec<&'a Profile>,
    topics: Vec<&'a Profile>,
    files: Vec<&'a ContentFile>,
}

/// What linking added beside the articles (see [`Archive`]), kept so that
/// the next build links again only when its changes ask for it.
#[derive(Serialize, Deserialize)]
pub struct Linking {
    /// [`Archive::people`].
    pub people: Vec<Entity>,
    /// [`Archive::topics`].
    pub topics: Vec<Entity>,
    /// [`Archive::links`].
    pub links: Vec<Links>,
    /// [`Archive::years`].
    pub years: Vec<Year>,
}

impl Linking {
    /// The archive of `articles` (newest first), when this is what linking
    /// them added: one set of links each, every number in range.
    pub fn archive(self, config: Config, articles: Vec<Article>) -> Result<Archive, Vec<Article>> {
        if !self.fits(articles.len()) {
            return Err(articles);
        }
        Ok(Archive {
            root: PathBuf::new(),
            site_url: config.site_url(),
            config,
            years: self.years,
            articles,
            people: self.people,
            topics: self.topics,
            links: self.links,
        })
    }

    /// Whether it can go with `articles` articles: one set of links each,
    /// and every number it holds in range.
    fn fits(&self, articles: usize) -> bool {
        let within = |list: &[usize], len: usize| list.iter().all(|&i| i < len);
        self.links.len() == articles
            && self.links.iter().all(|l| {
                within(&l.speakers, self.people.len())
                    && within(&l.topics, self.topics.len())
                    && within(&l.related, articles)
            })
            && self
                .people
                .iter()
                .chain(&self.topics)
                .all(|e| within(&e.articles, articles))
            && self
                .years
                .iter()
                .flat_map(|y| &y.months)
                .all(|m| within(&m.articles, articles))
    }
}

/// [`Linking`] borrowed from the archive, as [`StateRef`] writes it.
#[derive(Serialize)]
struct LinkingRef<'a> {
    people: &'a [Entity],
    topics: &'a [Entity],
    links: &'a [Links],
    years: &'a [Year],
}

/// The state file of the builds of the site at `root` into `output`.
fn state_file(root: &Path, output: &Path) -> PathBuf {
    let id = XxHash3_64::oneshot(output.as_os_str().as_encoded_bytes());
    root.join(CACHE_DIR).join(format!("{STATE_FILE}-{id:016x}"))
}

/// How close to the moment stamps were taken a file's modification time
/// must be for the stamp to prove nothing: a file written twice within the
/// file system's clock tick keeps its time (the "racy" files of git's index).
const RACY_NANOS: u128 = 100_000_000;

/// The stamps of every file of the site at `root` that a build reads (the
/// configuration and every file of `content/`, `templates/` and `static/`,
/// hidden ones left out, sorted by path), and when they were taken.
pub fn stamps(root: &Path) -> (Stamps, u128) {
    let taken = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // The folders right below each source folder (the years of `content/`)
    // are walked on every core, as the content is read.
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut stamps: Stamps = Vec::new();
    if let Some(stamp) = fs::metadata(root.join(CONFIG_FILE))
        .ok()
        .as_ref()
        .and_then(Stamp::of)
    {
        stamps.push((PathBuf::from(CONFIG_FILE), stamp));
    }
    for dir in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR] {
        for entry in fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            folders.push(entry.path());
        }
    }
    let found: Vec<Stamps> = folders
        .into_par_iter()
        .map(|top| {
            let walk = WalkDir::new(&top)
                .into_iter()
                .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
            walk.filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let stamp = Stamp::of(&e.metadata().ok()?)?;
                    Some((e.path().strip_prefix(root).ok()?.to_path_buf(), stamp))
                })
                .collect()
        })
        .collect();
    stamps.extend(found.into_iter().flatten());
    stamps.sort_unstable_by(|a, b| order(&a.0, &b.0));
    (stamps, taken)
}

/// The order of stamps: by the paths' bytes, quicker than by their parts.
fn order(a: &Path, b: &Path) -> std::cmp::Ordering {
    a.as_os_str()
        .as_encoded_bytes()
        .cmp(b.as_os_str().as_encoded_bytes())
}

/// The paths whose stamps differ between `old`, taken at `taken`, and `new`
/// (both sorted): changed, added or gone, and those modified so close to
/// `taken` that their stamp cannot tell.
pub fn changed(old: &Stamps, taken: u128, new: &Stamps) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                if x.1 != y.1 || x.1.modified() + RACY_NANOS >= taken {
                    changed.push(y.0.clone());
                }
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if order(&x.0, &y.0).is_lt() => {
                changed.push(x.0.clone());
                a.next();
            }
            (Some(_), Some(y)) => {
                changed.push(y.0.clone());
                b.next();
            }
            (Some(x), None) => {
                changed.push(x.0.clone());
                a.next();
            }
            (None, Some(y)) => {
                changed.push(y.0.clone());
                b.next();
            }
            (None, None) => return changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incremental::Discard;

    #[test]
    fn a_saved_state_loads_back_without_the_bodies() {
        let root = tempfile::tempdir().expect("a folder");
        let write = |path: &str, text: &str| {
            let file = root.path().join(path);
            fs::create_dir_all(file.parent().expect("a folder")).expect("folders");
            fs::write(file, text).expect("a file");
        };
        write(
            "content/a.md",
            "---\ntitle: A\ndate: 2020-01-02\nspeaker: Ada\n---\nBody.\n",
        );
        write(
            "content/d.md",
            "---\ntitle: D\ndate: 2020-01-03\ndraft: true\n---\nDraft.\n",
        );
        write(
            "content/people/ada.md",
            "---\nname: Ada\naliases: [Lovelace]\n---\nBio.\n",
        );
        let options = SiteOptions::default();
        let mut site = Site::open(root.path(), &options);
        site.render(&Discard, None).expect("rendered");
        let output = root.path().join("public");
        let stamps = stamps(root.path());
        let prepared = Prepared {
            options: &options,
            output: &output,
            stamps: &stamps,
        };
        State::prepare(&site, prepared).save(7, &["search/meta.js".to_owned()]);
        let state = State::load(root.path(), &options, &output).expect("the state");
        assert_eq!(state.marker, 7);
        assert_eq!(state.stamps, stamps.0);
        assert_eq!(state.search, ["search/meta.js"]);
        assert_eq!(
            state.known,
            ["content/a.md", "content/people/ada.md"].map(PathBuf::from)
        );
        // One letter changed still decodes, and is refused.
        let file = state_file(root.path(), &output);
        let bytes = fs::read(&file).expect("the state's file");
        let at = bytes
            .windows(8)
            .position(|w| w == b"Lovelace")
            .expect("the alias");
        let mut damaged = bytes.clone();
        damaged[at] = b'M';
        assert!(postcard::from_bytes::<State>(&damaged[..damaged.len() - 8]).is_ok());
        fs::write(&file, &damaged).expect("written");
        assert!(State::load(root.path(), &options, &output).is_none());
        fs::write(&file, &bytes).expect("written");
        let article = &state.content.articles[0];
        assert_eq!((article.title.as_str(), article.body.as_str()), ("A", ""));
        assert!(!article.has_body);
        assert_eq!(state.content.people[0].aliases[0].0, "Lovelace");
        let paths: BTreeSet<&String> = state.rendered.paths().collect();
        assert_eq!(paths, site.rendered().paths().collect());
        // The links come back with the articles, and only with as many.
        let archive = site.archive().expect("an archive");
        let linking = state.linking.expect("the links");
        assert_eq!(linking.people, archive.people);
        assert_eq!(linking.links, archive.links);
        let articles = state.content.articles.clone();
        let resumed = linking.archive(Config::default(), articles.clone());
        let Ok(resumed) = resumed else {
            panic!("the links fit their articles")
        };
        assert_eq!(resumed.years, archive.years);
        let one_more = [articles.clone(), articles].concat();
        let refused = State::load(root.path(), &options, &output)
            .and_then(|state| state.linking)
            .map(|linking| linking.archive(Config::default(), one_more));
        assert!(matches!(refused, Some(Err(articles)) if articles.len() == 2));
        assert!(
            State::load(
                root.path(),
                &SiteOptions {
                    drafts: true,
                    ..options
                },
                &output
            )
            .is_none()
        );
    }
}
