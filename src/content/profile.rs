//! Profiles of people (`content/people/<slug>.md`) and topics
//! (`content/topics/<slug>.md`): a name, aliases, and a Markdown body.

use std::path::{Path, PathBuf};

use super::front_matter::{Document, Location, keep};
use super::slug::slugify;
use crate::diagnostic::Diagnostic;
use crate::markdown;

/// What a profile describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ProfileKind {
    /// A person quoted in articles (`speaker:`).
    Person,
    /// A subject articles are filed under (`topic:`).
    Topic,
}

impl ProfileKind {
    /// The front-matter keys a profile of this kind takes.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            ProfileKind::Person => &["name", "role", "aliases"],
            ProfileKind::Topic => &["name", "aliases"],
        }
    }
}

/// A person's or a topic's profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Person or topic.
    pub kind: ProfileKind,
    /// The URL slug: the file's name.
    pub slug: String,
    /// The name shown on pages.
    pub name: String,
    /// What the person does (people only).
    pub role: Option<String>,
    /// Other names articles may use, each with where it stands in the file.
    pub aliases: Vec<(String, Location)>,
    /// Where the name stands in the file.
    pub name_origin: Location,
    /// The body as HTML.
    pub body: String,
}

impl Profile {
    /// Parses a profile file; `path` is relative to the site root.
    pub fn parse(path: &Path, kind: ProfileKind, text: &str) -> Result<Profile, Vec<Diagnostic>> {
        let doc = Document::parse(path, text).map_err(|d| vec![d])?;
        let mut errors = doc.unknown_keys(kind.keys());
        let name = keep(&mut errors, doc.text("name"));
        let role = keep(&mut errors, doc.text("role"));
        let aliases = keep(&mut errors, doc.names("aliases").map(Some)).unwrap_or_default();
        let slug = path
            .file_stem()
            .map(|stem| slugify(&stem.to_string_lossy()))
            .unwrap_or_default();
        if slug.is_empty() {
            errors.push(
                Diagnostic::file(
                    path,
                    "the file name has no letter or digit to make a URL from",
                )
                .hint("name the file after the slug, like `content/people/vladimir-putin.md`"),
            );
        }
        let name = match name.map(|n| n.trim().to_owned()) {
            Some(name) if !name.is_empty() => name,
            _ => {
                if errors.is_empty() {
                    errors.push(doc.missing("name", "Vladimir Putin"));
                }
                return Err(errors);
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Profile {
            path: path.to_path_buf(),
            kind,
            slug,
            aliases: aliases
                .into_iter()
                .map(|alias| {
                    let at = doc.item_location("aliases", &alias);
                    (alias, at)
                })
                .collect(),
            name_origin: doc.key_location("name", true),
            name,
            role: role.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()),
            body: markdown::render(doc.body).html,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_person() {
        let profile = Profile::parse(
            Path::new("content/people/vladimir-putin.md"),
            ProfileKind::Person,
            "---\nname: Vladimir Putin\nrole: President of Russia\naliases: [Putin, Владимир Путин]\n---\nBio.\n",
        )
        .unwrap();
        assert_eq!(profile.slug, "vladimir-putin");
        assert_eq!(profile.role.as_deref(), Some("President of Russia"));
        assert_eq!(profile.aliases[1].0, "Владимир Путин");
        assert_eq!(profile.aliases[1].1.line, 4);
        assert_eq!(profile.body, "<p>Bio.</p>\n");
    }

    #[test]
    fn a_topic_has_no_role() {
        let errors = Profile::parse(
            Path::new("content/topics/cyber.md"),
            ProfileKind::Topic,
            "---\nname: Cyber\nrole: x\n---\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "unknown front-matter key `role`");
    }
}
