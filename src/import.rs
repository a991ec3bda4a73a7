//! `gazette import`: plain-text articles (a newsroom's backlog) turned into
//! Markdown articles. The first line is the title; paragraphs are kept as
//! they are, quotations included; page debris is dropped. Who is quoted is
//! read from the text's attributions ("…, Krutskikh said", "Putin stressed",
//! "told Andrey Krutskikh, Ambassador at Large") and proposed, matched to
//! the site's profiles, as is a date written in the text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::slug::slugify;
use crate::content::{CONTENT_DIR, ProfileKind};
use crate::error::Error;
use crate::scaffold::{self, Names, NewArticle};

/// Lines that are a page's furniture, not the article's.
const DEBRIS: [&str; 5] = [
    "loading ...",
    "loading...",
    "top of page",
    "bottom of page",
    "advertisement",
];
/// The verbs that attribute words to someone.
const VERBS: [&str; 16] = [
    "said",
    "says",
    "stressed",
    "added",
    "noted",
    "told",
    "stated",
    "explained",
    "warned",
    "urged",
    "proposed",
    "suggested",
    "emphasized",
    "emphasised",
    "underlined",
    "declared",
];
/// Capitalized words that start a sentence or name a title, not a person.
const NOT_NAMES: [&str; 14] = [
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "In",
    "On",
    "President",
    "Minister",
    "Ambassador",
    "Russian",
];
/// English month names, for dates written in the text.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A plain-text article, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Its first line.
    pub title: String,
    /// Its paragraphs, as Markdown.
    pub paragraphs: Vec<String>,
    /// The people its attributions name, as the site's profiles name them
    /// when one does, with how many attributions each, most first.
    pub speakers: Vec<(String, usize)>,
    /// A date written in the text.
    pub date: Option<NaiveDate>,
}

/// Reads the plain text `text`; `names` matches the people it quotes to
/// the site's profiles.
pub fn read(text: &str, names: &Names) -> Imported {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !DEBRIS.contains(&line.to_lowercase().as_str()))
        .collect();
    let title = lines
        .iter()
        .find(|l| !l.is_empty())
        .map_or("", |l| *l)
        .to_owned();
    // Paragraphs are runs of lines between empty lines; the title, and the
    // title again (a page repeats its headline), are not paragraphs.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines.iter().chain(std::iter::once(&"")) {
        if line.is_empty() {
            if !current.is_empty() {
                let paragraph = current.join(" ");
                if paragraph != title {
                    paragraphs.push(paragraph);
                }
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    let plain: Vec<String> = paragraphs.iter().map(|p| single_full_stops(p)).collect();
    Imported {
        speakers: speakers(&plain.join("\n"), names),
        date: date_in(&plain.join("\n")),
        paragraphs: plain.iter().map(|p| markdown_text(p)).collect(),
        title,
    }
}

/// `text` with each doubled full stop (`said..`) made one; an ellipsis stays.
fn single_full_stops(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let doubled = c == '.'
            && chars.get(i + 1) == Some(&'.')
            && chars.get(i + 2) != Some(&'.')
            && (i == 0 || chars[i - 1] != '.');
        if !doubled {
            out.push(c);
        }
    }
    out
}

/// Plain text as Markdown that shows it as it is: the characters Markdown
/// would read as formatting are escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '<' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['#', '>', '-', '+', '=', '|']) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// The people `text` attributes words to, with how many times, most first.
fn speakers(text: &str, names: &Names) -> Vec<(String, usize)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .to_owned()
    };
    let capital =
        |w: &str| w.chars().next().is_some_and(char::is_uppercase) && !NOT_NAMES.contains(&w);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (i, word) in words.iter().enumerate() {
        let verb = clean(word).to_lowercase();
        if !VERBS.contains(&verb.as_str()) {
            continue;
        }
        // "…, Krutskikh said": the capitalized words just before the verb.
        let mut before: Vec<String> = Vec::new();
        for w in words[..i].iter().rev().take(3) {
            let w = clean(w);
            if !capital(&w) || w.is_empty() {
                break;
            }
            before.insert(0, w);
            if words[..i].len() > before.len()
                && words[i - before.len() - 1].ends_with([',', '.', '"', '”'])
            {
                break;
            }
        }
        // "told Andrey Krutskikh, Ambassador at Large": the words just
        // after, unless the sentence ends with the verb.
        let mut after: Vec<String> = Vec::new();
        let ends = word.ends_with(['.', '!', '?', '"', '”', ';']);
        for w in words.iter().skip(i + 1).take(if ends { 0 } else { 3 }) {
            let stop = w.ends_with([',', '.', ';', ':']);
            let w = clean(w);
            if !capital(&w) || w.is_empty() {
                break;
            }
            after.push(w);
            if stop {
                break;
            }
        }
        for candidate in [before, after] {
            if let Some(name) = person(&candidate, names) {
                *counts.entry(name).or_default() += 1;
            }
        }
    }
    let mut counted: Vec<(String, usize)> = counts.into_iter().collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counted
}

/// The person that the capitalized words `words` name: the longest run of
/// them at their end that a profile has, else the words themselves.
fn person(words: &[String], names: &Names) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    for start in 0..words.len() {
        if let Some(name) = names.profile_name(&words[start..].join(" "), ProfileKind::Person) {
            return Some(name);
        }
    }
    Some(words.join(" "))
}

/// A date written in `text`: `25 September 2020`, `September 25, 2020` or `2020-09-25`.
fn date_in(text: &str) -> Option<NaiveDate> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .collect();
    let month = |w: &str| MONTHS.iter().position(|m| *m == w).map(|m| m as u32 + 1);
    for (i, word) in words.iter().enumerate() {
        if let Ok(date) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
            return Some(date);
        }
        let Some(m) = month(word) else {
            continue;
        };
        let number = |j: Option<&String>| j.and_then(|w| w.parse::<u32>().ok());
        let (day, year) = match (
            number(i.checked_sub(1).and_then(|j| words.get(j))),
            number(words.get(i + 1)),
            number(words.get(i + 2)),
        ) {
            (Some(d), Some(y), _) if d <= 31 && y > 1000 => (d, y),
            (_, Some(d), Some(y)) if d <= 31 && y > 1000 => (d, y),
            _ => continue,
        };
        if let Some(date) = NaiveDate::from_ymd_opt(year as i32, m, day) {
            return Some(date);
        }
    }
    None
}

/// The plain-text files `paths` name: each file, and the `.txt` files of each folder, sorted.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt")
                })
                .map(|e| e.into_path())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// How `gazette import` is asked to write.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// People quoted in every article, besides those it proposes.
    pub speakers: Vec<String>,
    /// Topics of every article.
    pub topics: Vec<String>,
    /// The date of every article, in place of one written in its text.
    pub date: Option<String>,
    /// Whether the proposed speakers go into the front matter.
    pub accept_speakers: bool,
    /// Where the articles go; `content/{yyyy}/` of the site when `None`.
    pub out: Option<PathBuf>,
}

/// What became of one imported file.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The plain-text file.
    pub source: PathBuf,
    /// The article written, relative to the site root when inside it.
    pub written: PathBuf,
    /// What was read.
    pub imported: Imported,
    /// Where its date came from: `--date`, the text, or today.
    pub dated: &'static str,
}

/// Imports the plain-text files `sources` (files, or folders of `.txt`
/// files) into the site at `root`. Never writes over a file: each that
/// exists is an error, and the others are still written.
pub fn import(
    root: &Path,
    sources: &[PathBuf],
    options: &ImportOptions,
) -> (Vec<ImportReport>, Vec<Error>) {
    let names = Names::of_site(root);
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for source in files(sources) {
        match import_one(root, &source, options, &names) {
            Ok(report) => reports.push(report),
            Err(error) => errors.push(error),
        }
    }
    (reports, errors)
}

fn import_one(
    root: &Path,
    source: &Path,
    options: &ImportOptions,
    names: &Names,
) -> Result<ImportReport, Error> {
    let text = std::fs::read_to_string(source)
        .map_err(|e| Error::output(source, format!("cannot read the file: {e}")))?;
    let imported = read(&text, names);
    let slug = slugify(&imported.title);
    if slug.is_empty() {
        return Err(Error::output(
            source,
            "its first line has no letter or digit to make a title from",
        ));
    }
    let text_date = imported.date.map(|d| d.format("%Y-%m-%d").to_string());
    let (given, dated) = match (&options.date, &text_date) {
        (Some(date), _) => (Some(date.as_str()), "--date"),
        (None, Some(date)) => (Some(date.as_str()), "the text"),
        (None, None) => (None, "today"),
    };
    let (date_text, date) = scaffold::date_or_today(given)?;
    let mut speakers = options.speakers.clone();
    if options.accept_speakers {
        speakers.extend(imported.speakers.iter().map(|(name, _)| name.clone()));
    }
    let article = NewArticle {
        title: imported.title.clone(),
        speakers,
        topics: options.topics.clone(),
        date: None,
        body: imported
            .paragraphs
            .iter()
            .map(|p| format!("{p}\n"))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let out = match &options.out {
        Some(out) => out.clone(),
        None => root.join(CONTENT_DIR).join(date.format("%Y").to_string()),
    };
    let path = out.join(format!("{slug}.md"));
    scaffold::write_new(&path, &scaffold::article_text(&article, &date_text, names))?;
    Ok(ImportReport {
        source: source.to_path_buf(),
        written: path
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or(path.clone()),
        imported,
        dated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_full_stops_become_one_and_ellipses_stay() {
        assert_eq!(
            single_full_stops("he said.. Then… and so..."),
            "he said. Then… and so..."
        );
    }

    #[test]
    fn dates_in_words_and_digits() {
        let day = NaiveDate::from_ymd_opt(2020, 9, 25);
        assert_eq!(date_in("on 25 September 2020, he"), day);
        assert_eq!(date_in("On September 25, 2020 he"), day);
        assert_eq!(date_in("dated 2020-09-25."), day);
        assert_eq!(date_in("In April, the prosecutor"), None);
    }

    #[test]
    fn text_that_looks_like_markdown_shows_as_written() {
        assert_eq!(markdown_text("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_text("2. not a list"), "2\\. not a list");
        assert_eq!(markdown_text("a *star* and <b>"), "a \\*star\\* and \\<b>");
    }
}
