//! Generates a synthetic news archive in the Gazette site format, for
//! benchmarks and load tests:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --articles 10000 --seed 1 --out target/corpus
//! ```
//!
//! The same article count and seed always give the same bytes. The archive
//! looks like a real one: articles spread over 25 years (more in recent ones),
//! one to three speakers per article drawn with a long tail from a pool that
//! grows with the archive (names in Latin, with diacritics, and Cyrillic),
//! one to three topics, 300–1,200 words of paragraphs, quotes, links,
//! headings and lists, now and then a table, a footnote or a fenced code
//! block, and profiles for half the people and for every topic.

use std::collections::HashSet;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use clap::Parser;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The command line.
#[derive(Parser)]
#[command(about = "Write a synthetic Gazette site root with N news articles")]
struct Args {
    /// How many articles to write.
    #[arg(long)]
    articles: usize,
    /// The seed: the same seed and count give the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The site root to create; it must not exist or be empty.
    #[arg(long)]
    out: PathBuf,
}

/// The first year of the archive; it spans `YEARS` years.
const FIRST_YEAR: i32 = 2001;
const YEARS: i32 = 25;
/// Zipf exponent of the speaker pool: at 100,000 articles the most quoted
/// person speaks in about 30 % of them.
const SPEAKER_SKEW: f64 = 1.18;
/// Zipf exponent of the topics: a few big ones, a long tail.
const TOPIC_SKEW: f64 = 0.8;

#[rustfmt::skip]
const LATIN_FIRST: &[&str] = &[
    "Maria", "José", "Zoë", "Søren", "Łukasz", "François", "Chloé", "Björn", "Inés", "Jürgen",
    "Ana", "Thomas", "Sarah", "David", "Elena", "Michael", "Laura", "Peter", "Anna", "James",
    "Olivia", "Daniel", "Sofia", "Mark", "Emma", "Paul", "Julia", "Carlos", "Lucía", "Ahmed",
    "Fatima", "Kenji", "Yuki", "Wei", "Priya", "Rahul", "Amara", "Kwame", "Ingrid", "Lars",
    "Mateus", "Renée", "Hélène", "Dženan", "Aoife", "Siobhán", "Tomáš", "Zsófia", "Ömer",
    "Ayşe", "Nikos", "Eleni", "Jan", "Petra", "Marek", "Agnieszka", "Rui", "Joana", "Henrik",
    "Astrid", "Giulia", "Marco", "Nadia", "Omar",
];

#[rustfmt::skip]
const LATIN_LAST: &[&str] = &[
    "Núñez", "Ångström", "Müller", "García", "Kowalski", "Dvořák", "Øberg", "Çelik", "Smith",
    "Johnson", "Brown", "Taylor", "Wilson", "Martin", "Bernard", "Dubois", "Lefèvre", "Rossi",
    "Russo", "Ferrari", "Schmidt", "Schneider", "Fischer", "Weber", "Nowak", "Wiśniewski",
    "Novák", "Horváth", "Nagy", "Papadopoulos", "Yılmaz", "Demir", "Hansen", "Johansson",
    "Nielsen", "Virtanen", "Korhonen", "O'Brien", "Murphy", "Kelly", "Silva", "Santos",
    "Oliveira", "Pereira", "Fernández", "López", "Martínez", "González", "Rodríguez",
    "Sánchez", "Tanaka", "Suzuki", "Watanabe", "Kim", "Park", "Chen", "Wang", "Li", "Zhang",
    "Singh", "Patel", "Sharma", "Okafor", "Mensah", "Diallo", "Haddad", "Khalil", "Cohen",
    "Levi", "Janssen", "De Vries", "Van Dijk", "Peeters", "Eriksen", "Lindqvist", "Mäkinen",
    "Hölzl", "Straße", "Bianchi", "Moreau", "Girard",
];

#[rustfmt::skip]
const CYRILLIC_FIRST: &[&str] = &[
    "Андрей", "Сергей", "Мария", "Ольга", "Дмитрий", "Елена", "Николай", "Татьяна", "Алексей",
    "Наталья", "Владимир", "Ирина", "Михаил", "Анна", "Игорь", "Юлия", "Олег", "Светлана",
    "Павел", "Екатерина",
];

#[rustfmt::skip]
const CYRILLIC_LAST: &[&str] = &[
    "Крутских", "Лавров", "Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев",
    "Козлов", "Новиков", "Морозов", "Петров", "Волков", "Соловьёв", "Васильев", "Зайцев",
    "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров",
    "Михайлов", "Беляев",
];

#[rustfmt::skip]
const OFFICES: &[&str] = &[
    "Foreign Minister", "Deputy Foreign Minister", "Special Envoy for Cyber Affairs",
    "Ambassador to the United Nations", "Spokesperson of the Foreign Ministry",
    "Minister of Digital Affairs", "National Security Adviser",
    "Head of the Cybersecurity Agency", "Member of Parliament",
    "Secretary of the Security Council", "Prime Minister", "President",
    "Director of the Institute for Strategic Studies", "Chief Executive",
    "Professor of International Law",
];

#[rustfmt::skip]
const COUNTRIES: &[&str] = &[
    "Russia", "the United States", "France", "Germany", "Brazil", "India", "China", "Japan",
    "Spain", "Poland", "Sweden", "Norway", "Türkiye", "Nigeria", "Kenya", "Mexico", "Canada",
    "Australia", "Indonesia", "South Africa", "Egypt", "Israel", "Finland", "Ireland",
];

/// Topic names with the aliases their profiles list.
const TOPICS: &[(&str, &[&str])] = &[
    ("Cybersecurity", &["Cyber security", "Information security"]),
    ("Russia–US relations", &["US–Russia relations"]),
    ("Arms control", &[]),
    ("Climate policy", &["Climate change"]),
    ("Energy security", &[]),
    ("Trade", &["International trade"]),
    ("Migration", &[]),
    ("Public health", &[]),
    ("Artificial intelligence", &["AI"]),
    ("Data protection", &["GDPR"]),
    ("Elections", &[]),
    ("Space policy", &[]),
    ("Polar regions", &["Arctic"]),
    ("Nuclear energy", &[]),
    ("Sanctions", &[]),
    ("Human rights", &[]),
    ("Internet governance", &[]),
    ("Digital economy", &[]),
    ("Disinformation", &["Fake news"]),
    ("Critical infrastructure", &[]),
    ("Export controls", &[]),
    ("Telecommunications", &["5G"]),
    ("Cryptocurrency", &["Crypto"]),
    ("Education", &[]),
    ("Defence budgets", &[]),
    ("Peacekeeping", &[]),
    ("Water resources", &[]),
    ("Food security", &[]),
    ("Supply chains", &[]),
    ("Semiconductors", &["Chips"]),
    ("Privacy", &[]),
    ("Open data", &[]),
    ("Financial regulation", &[]),
    ("Counter-terrorism", &["Terrorism"]),
    ("Organised crime", &[]),
    ("Maritime security", &[]),
    ("Refugees", &[]),
    ("Labour markets", &[]),
    ("Inflation", &[]),
    ("Outer space", &[]),
];

#[rustfmt::skip]
const TITLE_VERBS: &[&str] = &[
    "warns of", "calls for", "rejects", "backs", "questions", "defends", "criticises",
    "welcomes", "proposes", "doubts", "praises", "outlines", "pledges", "demands", "announces",
    "plays down",
];

#[rustfmt::skip]
const TITLE_ADJECTIVES: &[&str] = &[
    "new", "joint", "binding", "urgent", "regional", "global", "bilateral", "stricter",
    "voluntary", "long-term", "national", "broader", "fresh", "tighter", "common", "rapid",
    "independent", "costly", "limited", "ambitious", "uncertain", "gradual", "open",
    "coordinated", "permanent", "temporary", "digital", "cross-border", "sweeping", "modest",
];

#[rustfmt::skip]
const TITLE_NOUNS: &[&str] = &[
    "rules", "talks", "measures", "funding", "standards", "treaty", "framework", "review",
    "sanctions", "cooperation", "oversight", "agreement", "response", "strategy", "reforms",
    "investment", "guarantees", "inquiry", "dialogue", "controls", "targets", "commitments",
    "safeguards", "partnership", "mechanism", "roadmap", "norms", "deadline", "plan", "ban",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the", "the", "the", "of", "of", "and", "and", "to", "to", "in", "in", "a", "a", "that",
    "for", "on", "with", "as", "by", "at", "from", "is", "was", "were", "has", "have", "had",
    "will", "would", "could", "should", "may", "not", "also", "more", "than", "after",
    "before", "over", "under", "between", "against", "during", "while", "since", "their",
    "its", "this", "these", "those", "which", "who", "government", "ministry", "minister",
    "officials", "delegation", "agreement", "talks", "summit", "proposal", "policy",
    "security", "network", "networks", "infrastructure", "attack", "attacks", "threat",
    "threats", "data", "system", "systems", "states", "countries", "partners", "allies",
    "region", "border", "trade", "economy", "market", "markets", "budget", "funding",
    "investment", "growth", "crisis", "conflict", "dialogue", "cooperation", "framework",
    "treaty", "convention", "resolution", "council", "committee", "parliament", "court",
    "report", "statement", "interview", "conference", "meeting", "session", "week", "month",
    "year", "decade", "plan", "strategy", "measures", "rules", "standards", "norms", "experts",
    "analysts", "observers", "critics", "supporters", "citizens", "companies", "industry",
    "sector", "public", "private", "international", "national", "regional", "global", "local",
    "digital", "financial", "military", "civilian", "diplomatic", "political", "legal",
    "technical", "economic", "strategic", "responsible", "transparent", "binding", "voluntary",
    "new", "further", "several", "many", "few", "key", "main", "major", "minor", "recent",
    "current", "former", "future", "long", "short", "early", "late", "said", "says", "added",
    "noted", "stressed", "argued", "warned", "agreed", "rejected", "proposed", "signed",
    "announced", "expected", "planned", "discussed", "reviewed", "adopted", "approved",
    "raised", "reduced", "increased", "remain", "remains", "continue", "continues", "support",
    "supports", "oppose", "opposes", "build", "protect", "prevent", "ensure", "reach",
    "reached", "seek", "seeks", "need", "needs", "question", "questions", "issue", "issues",
    "concern", "concerns", "priority", "priorities", "progress", "pressure", "risk", "risks",
    "response", "responses", "step", "steps", "effort", "efforts", "approach", "position",
    "view", "views", "interest", "interests", "role", "responsibility", "capacity",
    "resources", "evidence", "information", "technology", "technologies", "platforms",
    "services", "operators", "users", "providers", "researchers", "universities", "schools",
    "hospitals", "energy", "water", "transport", "ports", "satellites", "cables", "software",
    "hardware", "supply", "chain", "chains", "production", "exports", "imports", "prices",
    "costs", "jobs", "workers", "families", "communities", "cities", "villages", "coast",
    "north", "south", "east", "west", "capital", "neighbours", "mission", "mandate", "inquiry",
    "hearing", "vote", "votes", "election", "campaign", "majority", "opposition", "coalition",
    "leaders", "leadership", "agency", "agencies", "authority", "authorities", "regulator",
    "regulators", "law", "laws", "bill", "amendment", "reform", "reforms", "deal", "deals",
    "deadline", "timetable", "targets", "commitment", "commitments", "trust", "confidence",
    "stability", "peace", "transparency", "accountability", "sovereignty", "independence",
    "openness", "resilience", "capabilities", "exercise", "exercises", "incident", "incidents",
    "breach", "breaches", "outage", "recovery", "assessment", "analysis", "figures", "percent",
    "billion", "million", "dozens", "hundreds", "thousands", "first", "second", "third",
    "last", "next", "only", "still", "already", "again", "now", "then", "soon", "however",
    "therefore", "meanwhile", "instead", "clearly", "largely", "widely", "quickly", "slowly",
    "finally", "jointly", "openly",
];

#[rustfmt::skip]
const SOURCES: &[&str] = &[
    "Reuters", "Associated Press", "TASS", "Le Monde", "El País", "Süddeutsche Zeitung",
    "The Guardian", "Kommersant", "NHK", "Ministry press office",
];

#[rustfmt::skip]
const LINK_HOSTS: &[&str] = &[
    "https://www.example.org/news/", "https://press.example.gov/releases/",
    "https://un.example.int/documents/", "https://journal.example.edu/articles/",
];

/// Fenced code blocks with their language tags, as press releases and
/// technical briefings quote them.
const CODE_BLOCKS: &[(&str, &str)] = &[
    (
        "json",
        "{\n  \"incident\": \"CVE-2021-44228\",\n  \"severity\": \"critical\",\n  \"affected\": [\"log4j\", \"2.0-2.14.1\"]\n}",
    ),
    (
        "python",
        "import hashlib\n\ndef fingerprint(path):\n    with open(path, \"rb\") as f:\n        return hashlib.sha256(f.read()).hexdigest()",
    ),
    (
        "bash",
        "# check the published signature before installing\ngpg --verify release.tar.gz.asc release.tar.gz\nsha256sum -c SHA256SUMS",
    ),
    (
        "rust",
        "fn is_trusted(cert: &Certificate, roots: &[Root]) -> bool {\n    roots.iter().any(|root| root.signed(cert))\n}",
    ),
    (
        "yaml",
        "rule: block-outbound-smb\nports: [139, 445]\naction: deny\nlog: true",
    ),
    (
        "javascript",
        "const res = await fetch('/api/incidents?since=2020-01-01');\nconst incidents = await res.json();\nconsole.log(incidents.length);",
    ),
];

/// A person who speaks in the archive.
struct Person {
    name: String,
    /// The family name, as headlines use it.
    surname: &'static str,
    slug: String,
    /// Other names that mean this person; used by some articles.
    aliases: Vec<String>,
    /// Whether `content/people/<slug>.md` is written.
    has_profile: bool,
    role: String,
}

/// Everything about one article except its body.
struct Plan {
    title: String,
    slug: String,
    date: NaiveDate,
    /// `None` for a plain date, otherwise `(hour, offset hours)`.
    time: Option<(u32, u32)>,
    /// Indices into the people, most quoted first.
    speakers: Vec<usize>,
    /// Indices into `TOPICS`.
    topics: Vec<usize>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    prepare_out_dir(&args.out)?;

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let people = people(pool_size(args.articles), &mut rng);
    let plans = plan_articles(args.articles, &people, &mut rng)?;

    let content = args.out.join("content");
    fs::write(args.out.join("gazette.toml"), site_config(args.articles))?;
    write_profiles(&content, &people, args.seed)?;

    let folders: HashSet<PathBuf> = plans.iter().map(|p| article_folder(&content, p)).collect();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    plans
        .par_iter()
        .enumerate()
        .try_for_each(|(index, plan)| -> std::io::Result<()> {
            let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
            rng.set_stream(index as u64 + 1);
            let path = article_folder(&content, plan).join(format!("{}.md", plan.slug));
            fs::write(path, article_text(plan, &people, &mut rng))
        })?;

    print_summary(&plans, &people);
    Ok(())
}

/// Creates `out`, refusing to write into a folder that already has files.
fn prepare_out_dir(out: &Path) -> Result<(), Box<dyn Error>> {
    if out.exists() && fs::read_dir(out)?.next().is_some() {
        return Err(format!("{} is not empty; pick a new folder", out.display()).into());
    }
    fs::create_dir_all(out.join("content/people"))?;
    fs::create_dir_all(out.join("content/topics"))?;
    Ok(())
}

/// How many people an archive of `articles` articles quotes: it grows
/// with the archive, more slowly than the archive does.
fn pool_size(articles: usize) -> usize {
    ((articles as f64).powf(0.75).round() as usize).max(20)
}

/// The slug Gazette makes of `text`: lowercase ASCII words joined by hyphens.
fn slug(text: &str) -> String {
    deunicode::deunicode(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// Draws `count` people with unique names and slugs, in the order of how
/// often they will be quoted; about one in six has a Cyrillic name.
fn people(count: usize, rng: &mut ChaCha8Rng) -> Vec<Person> {
    let mut combos: Vec<(&'static str, &'static str)> = LATIN_FIRST
        .iter()
        .flat_map(|f| LATIN_LAST.iter().map(move |l| (*f, *l)))
        .chain(
            CYRILLIC_FIRST
                .iter()
                .flat_map(|f| CYRILLIC_LAST.iter().map(move |l| (*f, *l))),
        )
        .collect();
    combos.shuffle(rng);

    let mut taken = HashSet::new();
    let mut people = Vec::with_capacity(count);
    // Each round over the name combinations adds a middle initial (A., B., …),
    // so the pool never runs dry.
    'rounds: for middle in
        std::iter::once(String::new()).chain(('A'..='Z').map(|c| format!("{c}. ")))
    {
        for (first, last) in &combos {
            if people.len() == count {
                break 'rounds;
            }
            let name = format!("{first} {middle}{last}");
            let slug = slug(&name);
            if !taken.insert(slug.clone()) {
                continue;
            }
            let has_profile = people.len() < 10 || rng.random_bool(0.5);
            let role = format!(
                "{}, {}",
                OFFICES.choose(rng).unwrap_or(&"Official"),
                COUNTRIES.choose(rng).unwrap_or(&"Europe")
            );
            people.push(Person {
                name,
                surname: last,
                slug,
                aliases: Vec::new(),
                has_profile,
                role,
            });
        }
    }
    add_aliases(&mut people);
    people
}

/// Gives profiled people an alias that no one else's name or alias uses (Gazette
/// matches names by slug, so `Ł. Dvořák` and `L. Dvořák` are one name): the
/// Latin spelling of a Cyrillic name, or the initial and surname otherwise.
fn add_aliases(people: &mut [Person]) {
    let mut taken: HashSet<String> = people.iter().map(|p| p.slug.clone()).collect();
    for person in people.iter_mut().filter(|p| p.has_profile) {
        let alias = if person
            .name
            .chars()
            .any(|c| matches!(c, 'А'..='я' | 'ё' | 'Ё'))
        {
            deunicode::deunicode(&person.name)
        } else {
            let initial = person.name.chars().next().unwrap_or('X');
            format!("{initial}. {}", person.surname)
        };
        if taken.insert(slug(&alias)) {
            person.aliases.push(alias);
        }
    }
}

/// Zipf weights `1 / rank^skew` for `count` ranks.
fn zipf(count: usize, skew: f64) -> Result<WeightedIndex<f64>, Box<dyn Error>> {
    Ok(WeightedIndex::new(
        (1..=count).map(|rank| (rank as f64).powf(-skew)),
    )?)
}

/// Draws the date, speakers, topics and a title for every article, newest
/// years weighted up; titles are unique within a month, so slugs never clash.
fn plan_articles(
    count: usize,
    people: &[Person],
    rng: &mut ChaCha8Rng,
) -> Result<Vec<Plan>, Box<dyn Error>> {
    let years = WeightedIndex::new((0..YEARS).map(|y| 1.0 + 0.1 * y as f64))?;
    let speaker_count = WeightedIndex::new([11, 6, 3])?;
    let speaker_rank = zipf(people.len(), SPEAKER_SKEW)?;
    let topic_rank = zipf(TOPICS.len(), TOPIC_SKEW)?;
    let mut taken = HashSet::new();
    let mut plans = Vec::with_capacity(count);
    while plans.len() < count {
        let year = FIRST_YEAR + years.sample(rng) as i32;
        let leap = NaiveDate::from_ymd_opt(year, 2, 29).is_some();
        let day = rng.random_range(1..=if leap { 366 } else { 365 });
        let date = NaiveDate::from_yo_opt(year, day).ok_or("day out of range")?;
        let time = rng
            .random_bool(0.2)
            .then(|| (rng.random_range(9..=20), rng.random_range(0..=3)));
        let speakers = distinct(1 + speaker_count.sample(rng), || speaker_rank.sample(rng));
        let topics = distinct(rng.random_range(1..=3), || topic_rank.sample(rng));
        let title = title(&people[speakers[0]], topics[0], rng);
        let slug = slug(&title);
        if taken.insert((year, date.month(), slug.clone())) {
            plans.push(Plan {
                title,
                slug,
                date,
                time,
                speakers,
                topics,
            });
        }
    }
    Ok(plans)
}

/// `count` distinct values from `draw`, in the order drawn.
fn distinct(count: usize, mut draw: impl FnMut() -> usize) -> Vec<usize> {
    let mut values = Vec::with_capacity(count);
    while values.len() < count {
        let value = draw();
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

/// A headline such as “Núñez calls for binding talks on cybersecurity”.
fn title(speaker: &Person, topic: usize, rng: &mut ChaCha8Rng) -> String {
    let topic = TOPICS[topic].0;
    let topic = if !topic.chars().skip(1).any(char::is_uppercase) {
        topic.to_lowercase()
    } else {
        topic.to_string()
    };
    format!(
        "{} {} {} {} on {topic}",
        speaker.surname,
        pick(TITLE_VERBS, rng),
        pick(TITLE_ADJECTIVES, rng),
        pick(TITLE_NOUNS, rng),
    )
}

/// One element of a non-empty constant list.
fn pick<'a>(list: &[&'a str], rng: &mut ChaCha8Rng) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

/// `content/YYYY/MM`, where an article's file goes.
fn article_folder(content: &Path, plan: &Plan) -> PathBuf {
    content.join(format!("{}/{:02}", plan.date.year(), plan.date.month()))
}

/// `gazette.toml`, with a base URL that carries a sub-path.
fn site_config(articles: usize) -> String {
    format!(
        "title = \"Synthetic Gazette ({articles} articles)\"\n\
         description = \"A generated news archive for benchmarks\"\n\
         base_url = \"https://example.org/archive/\"\n\
         language = \"en\"\n\
         per_page = 20\n"
    )
}

/// Writes `content/people/<slug>.md` for profiled people and
/// `content/topics/<slug>.md` for every topic.
fn write_profiles(content: &Path, people: &[Person], seed: u64) -> std::io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::MAX);
    for person in people.iter().filter(|p| p.has_profile) {
        let text = format!(
            "---\nname: {}\nrole: {}\naliases: [{}]\n---\n{}",
            yaml_string(&person.name),
            yaml_string(&person.role),
            person
                .aliases
                .iter()
                .map(|a| yaml_string(a))
                .collect::<Vec<_>>()
                .join(", "),
            paragraphs(rng.random_range(1..=3), &mut rng),
        );
        fs::write(content.join(format!("people/{}.md", person.slug)), text)?;
    }
    for (name, aliases) in TOPICS {
        let text = format!(
            "---\nname: {}\naliases: [{}]\n---\n{}",
            yaml_string(name),
            aliases
                .iter()
                .map(|a| yaml_string(a))
                .collect::<Vec<_>>()
                .join(", "),
            paragraphs(2, &mut rng),
        );
        fs::write(content.join(format!("topics/{}.md", slug(name))), text)?;
    }
    Ok(())
}

/// A double-quoted YAML scalar.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// How an article names a speaker: now and then by an alias.
fn speaker_name<'a>(person: &'a Person, rng: &mut ChaCha8Rng) -> &'a str {
    match person.aliases.first() {
        Some(alias) if rng.random_bool(0.1) => alias,
        _ => &person.name,
    }
}

/// The whole file of one article: front matter and a Markdown body.
fn article_text(plan: &Plan, people: &[Person], rng: &mut ChaCha8Rng) -> String {
    let speakers: Vec<&str> = plan
        .speakers
        .iter()
        .map(|&i| speaker_name(&people[i], rng))
        .collect();
    let mut text = String::with_capacity(8 * 1024);
    text.push_str("---\ntitle: ");
    text.push_str(&yaml_string(&plan.title));
    let _ = write!(text, "\ndate: {}", plan.date);
    if let Some((hour, offset)) = plan.time {
        let _ = write!(
            text,
            "T{hour:02}:{:02}:00+{offset:02}:00",
            rng.random_range(0..60)
        );
    }
    let names = |list: Vec<String>| match list.as_slice() {
        [one] => one.clone(),
        _ => format!("[{}]", list.join(", ")),
    };
    let _ = write!(
        text,
        "\nspeaker: {}",
        names(speakers.iter().map(|s| yaml_string(s)).collect())
    );
    let topics = plan.topics.iter().map(|&t| {
        let (name, aliases) = TOPICS[t];
        match aliases.first() {
            Some(alias) if rng.random_bool(0.1) => yaml_string(alias),
            _ => yaml_string(name),
        }
    });
    let _ = write!(text, "\ntopic: {}", names(topics.collect()));
    if rng.random_bool(0.2) {
        let _ = write!(text, "\nsummary: {}", yaml_string(&sentence(rng)));
    }
    match rng.random_range(0..4) {
        0 => {}
        1 => {
            let _ = write!(text, "\nsource: {}{}", pick(LINK_HOSTS, rng), plan.slug);
        }
        _ => {
            let _ = write!(text, "\nsource: {}", yaml_string(pick(SOURCES, rng)));
        }
    }
    text.push_str("\n---\n");
    body(&mut text, &speakers, rng);
    text
}

/// Appends 300–1,200 words of Markdown: paragraphs, quotes, links, headings,
/// lists, and in a few percent of articles a table, a footnote or code.
fn body(text: &mut String, speakers: &[&str], rng: &mut ChaCha8Rng) {
    let target = rng.random_range(300..=1200);
    let mut code = rng.random_bool(0.04);
    let mut footnote = rng.random_bool(0.1);
    let mut words = 0;
    let mut since_heading = 0;
    while words < target {
        if since_heading > 250 && rng.random_bool(0.5) {
            since_heading = 0;
            let heading = capitalised(&phrase(rng.random_range(2..=5), rng));
            let _ = write!(text, "## {heading}\n\n");
        }
        if code && words >= target / 2 {
            code = false;
            let (language, source) = CODE_BLOCKS.choose(rng).copied().unwrap_or(("text", ""));
            let _ = write!(text, "```{language}\n{source}\n```\n\n");
        }
        let start = text.len();
        match rng.random_range(0..20) {
            0..=2 => {
                let quote = sentence(rng);
                let quote = quote.trim_end_matches('.');
                let _ = write!(text, "“{quote},” said {}.", pick(speakers, rng));
            }
            3 => {
                let _ = write!(text, "> {}\n>\n> — {}", sentence(rng), pick(speakers, rng));
            }
            4 => {
                for _ in 0..rng.random_range(3..=5) {
                    let _ = writeln!(text, "- {}", phrase(rng.random_range(3..=9), rng));
                }
                text.pop();
            }
            7 if rng.random_bool(0.05) => {
                text.push_str("| Year | Incidents | Budget (€ million) |\n| --- | ---: | ---: |");
                for year in 0..rng.random_range(2..=4) {
                    let _ = write!(
                        text,
                        "\n| {} | {} | {} |",
                        2015 + year,
                        rng.random_range(10..900),
                        rng.random_range(1..300)
                    );
                }
            }
            8 if footnote => {
                footnote = false;
                let _ = write!(text, "{}[^1]\n\n[^1]: {}", paragraph(rng), sentence(rng));
            }
            _ => text.push_str(&paragraph(rng)),
        }
        // Words are counted by their separators: fast and near enough.
        let added = text.as_bytes()[start..]
            .iter()
            .filter(|&&b| b == b' ')
            .count()
            + 1;
        words += added;
        since_heading += added;
        text.push_str("\n\n");
    }
}

/// `count` plain paragraphs, for profiles.
fn paragraphs(count: usize, rng: &mut ChaCha8Rng) -> String {
    (0..count).map(|_| paragraph(rng) + "\n\n").collect()
}

/// Three to six sentences; one in four paragraphs carries a link and some
/// an emphasised phrase.
fn paragraph(rng: &mut ChaCha8Rng) -> String {
    let mut text = String::new();
    for i in 0..rng.random_range(3..=6) {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&sentence(rng));
    }
    if rng.random_bool(0.25) {
        let _ = write!(
            text,
            " See [{}]({}{}-{}).",
            phrase(rng.random_range(2..=4), rng),
            pick(LINK_HOSTS, rng),
            pick(WORDS, rng),
            rng.random_range(1000..99999),
        );
    }
    if rng.random_bool(0.1) {
        let _ = write!(text, " This is *{}*.", phrase(2, rng));
    }
    text
}

/// One capitalised sentence of 8–24 words with a full stop.
fn sentence(rng: &mut ChaCha8Rng) -> String {
    let mut text = capitalised(&phrase(rng.random_range(8..=24), rng));
    text.push('.');
    text
}

/// `count` words from the vocabulary, space-separated.
fn phrase(count: usize, rng: &mut ChaCha8Rng) -> String {
    let mut text = String::with_capacity(count * 8);
    for i in 0..count {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(pick(WORDS, rng));
    }
    text
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Prints what was written and how skewed the speakers came out.
fn print_summary(plans: &[Plan], people: &[Person]) {
    let mut counts = vec![0usize; people.len()];
    for plan in plans {
        for &speaker in &plan.speakers {
            counts[speaker] += 1;
        }
    }
    let (top, top_count) = counts
        .iter()
        .enumerate()
        .max_by_key(|(_, count)| **count)
        .map_or(("nobody", 0), |(i, count)| {
            (people[i].name.as_str(), *count)
        });
    println!(
        "{} articles, {} people ({} with profiles), {} topics; most quoted: {top} in {top_count} articles",
        plans.len(),
        people.len(),
        people.iter().filter(|p| p.has_profile).count(),
        TOPICS.len(),
    );
}
