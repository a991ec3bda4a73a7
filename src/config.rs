//! `gazette.toml`: the site's configuration. Every key has a default; a key
//! Gazette does not know is an error, since it is most likely a typo.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, did_you_mean, invalid_utf8, line_column};

/// The name of the configuration file at a site's root.
pub const CONFIG_FILE: &str = "gazette.toml";

/// A site's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page's header and in feeds.
    pub title: String,
    /// One sentence about the site, for meta descriptions and the site feed.
    pub description: String,
    /// Absolute URL the site is published at; may carry a sub-path.
    pub base_url: String,
    /// The language of the articles, as a BCP 47 tag (`en`, `ru`).
    pub language: String,
    /// Articles on each page of a paginated list.
    pub per_page: usize,
    /// Full-text search settings.
    pub search: SearchConfig,
}

/// The `[search]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Whether the build writes the search index and the `/search/` page.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Gazette".into(),
            description: "A news archive".into(),
            base_url: "http://localhost:1111/".into(),
            language: "en".into(),
            per_page: 20,
            search: SearchConfig::default(),
        }
    }
}

const KEYS: [&str; 6] = [
    "title",
    "description",
    "base_url",
    "language",
    "per_page",
    "search",
];

impl Config {
    /// Reads `gazette.toml` from `root`; a site without one gets the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let shown = Path::new(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| invalid_utf8(shown, &e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Diagnostic::file(shown, format!("cannot read it: {e}"))),
        };
        Config::parse(shown, &text)
    }

    /// Parses the text of a configuration file; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_column(text, span.start));
            let message = e.message().to_owned();
            let diagnostic = Diagnostic::at(path, text, line, column, message.clone());
            match unknown_key(&message) {
                Some(key) => {
                    let mut diagnostic = diagnostic;
                    diagnostic.message = format!("unknown key `{key}`");
                    match did_you_mean(key, &KEYS) {
                        Some(known) => diagnostic.hint(format!("did you mean `{known}`?")),
                        None => diagnostic.hint(format!("known keys: {}", KEYS.join(", "))),
                    }
                }
                None => diagnostic,
            }
        })?;
        config.validate(path, text)
    }

    fn validate(self, path: &Path, text: &str) -> Result<Config, Diagnostic> {
        let at_key = |key: &str| {
            let (line, column) = text
                .lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or((1, 1), |i| (i + 1, 1));
            (line, column)
        };
        if self.per_page == 0 {
            let (line, column) = at_key("per_page");
            return Err(
                Diagnostic::at(path, text, line, column, "`per_page` must be at least 1")
                    .hint("set `per_page = 20`, or leave it out for the default"),
            );
        }
        if let Err(message) = SiteUrl::parse(&self.base_url) {
            let (line, column) = at_key("base_url");
            return Err(Diagnostic::at(path, text, line, column, message)
                .hint("write it like `base_url = \"https://example.org/archive/\"`"));
        }
        Ok(self)
    }

    /// The parts of `base_url`.
    pub fn site_url(&self) -> SiteUrl {
        // `validate` has checked it; a default stands in for the impossible case.
        SiteUrl::parse(&self.base_url).unwrap_or_else(|_| SiteUrl {
            origin: "http://localhost:1111".into(),
            base_path: "/".into(),
        })
    }
}

/// `base_url` split into what links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    /// Scheme and host, no trailing slash: `https://example.org`.
    pub origin: String,
    /// The path, starting and ending with `/`: `/archive/`.
    pub base_path: String,
}

impl SiteUrl {
    /// Splits an absolute http(s) URL into origin and base path.
    pub fn parse(url: &str) -> Result<SiteUrl, String> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("`base_url` must be an absolute URL, got `{url}`"))?;
        if scheme != "http" && scheme != "https" {
            return Err(format!(
                "`base_url` must start with http:// or https://, got `{url}`"
            ));
        }
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() || host.contains(['?', '#', ' ']) {
            return Err(format!("`base_url` has no valid host: `{url}`"));
        }
        if path.contains(['?', '#']) {
            return Err(format!(
                "`base_url` cannot have a query or fragment: `{url}`"
            ));
        }
        let path = path.trim_matches('/');
        let base_path = if path.is_empty() {
            "/".to_owned()
        } else {
            format!("/{path}/")
        };
        Ok(SiteUrl {
            origin: format!("{scheme}://{host}"),
            base_path,
        })
    }
}

/// The key named by serde's "unknown field `x`, expected …" message.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_default() {
        let config = Config::parse(Path::new("gazette.toml"), "").unwrap();
        assert_eq!(config.per_page, 20);
        assert!(config.search.enabled);
    }

    #[test]
    fn an_unknown_key_is_an_error_with_a_suggestion() {
        let text = "title = \"X\"\nper_pgae = 3\n";
        let error = Config::parse(Path::new("gazette.toml"), text).unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(error.message, "unknown key `per_pgae`");
        assert_eq!(error.hint.as_deref(), Some("did you mean `per_page`?"));
    }

    #[test]
    fn base_url_keeps_its_sub_path() {
        let url = SiteUrl::parse("https://example.org/archive").unwrap();
        assert_eq!(url.origin, "https://example.org");
        assert_eq!(url.base_path, "/archive/");
        assert!(SiteUrl::parse("example.org").is_err());
    }
}
