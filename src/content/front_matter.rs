//! Front matter: the YAML block between a file's first `---` line and the next.
//!
//! Every use of serde_yaml lives in this module, so that a maintained fork can
//! replace it in one place.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use crate::diagnostic::{Diagnostic, did_you_mean};

/// A place in a source file, kept so that later stages can point at it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The text of that line.
    pub source_line: String,
}

impl Location {
    /// A diagnostic at this location of `path`.
    pub fn diagnostic(&self, path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: crate::diagnostic::Severity::Error,
            code: crate::diagnostic::Code::Content,
            path: path.to_path_buf(),
            line: self.line,
            column: self.column,
            message: message.into(),
            source_line: Some(self.source_line.clone()),
            hint: None,
        }
    }
}

/// A new article's front matter and body as the text of its file: `fields`
/// (a key and one text or a list of texts each, empty ones left out) as
/// YAML between `---` lines, then `body`.
pub fn write_article(fields: &[(&str, FieldValue)], body: &str) -> String {
    let mut mapping = Mapping::new();
    for (key, value) in fields {
        let value = match value {
            FieldValue::Text(text) if text.is_empty() => continue,
            FieldValue::Text(text) => Value::String(text.clone()),
            FieldValue::List(items) if items.is_empty() => continue,
            FieldValue::List(items) => {
                Value::Sequence(items.iter().cloned().map(Value::String).collect())
            }
        };
        mapping.insert(Value::String((*key).to_owned()), value);
    }
    // A mapping of strings always serializes.
    let yaml = serde_yaml::to_string(&mapping).unwrap_or_default();
    format!("---\n{yaml}---\n{body}")
}

/// A value of a new article's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// One text: `title: "…"`.
    Text(String),
    /// A list of texts: `speaker: [A, B]`.
    List(Vec<String>),
}

/// A file split into its front matter and its body.
pub struct Document<'a> {
    path: &'a Path,
    text: &'a str,
    /// The YAML keys and values, in file order.
    fields: Mapping,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
}

impl<'a> Document<'a> {
    /// Splits `text` (the contents of `path`) and parses its front matter.
    pub fn parse(path: &'a Path, text: &'a str) -> Result<Document<'a>, Diagnostic> {
        let Some(rest) = text.strip_prefix("---\n") else {
            return Err(Diagnostic::at(path, text, 1, 1, "the file has no front matter")
                .hint("start the file with a line `---`, then `title:` and `date:`, then another `---`"));
        };
        let (yaml, body) = match rest.find("\n---\n") {
            Some(end) => (&rest[..end + 1], &rest[end + 5..]),
            None => match rest.strip_suffix("\n---") {
                Some(yaml) => (yaml, ""),
                None if rest.starts_with("---\n") || rest == "---" => ("", &rest[3..]),
                None => {
                    return Err(Diagnostic::at(
                        path,
                        text,
                        1,
                        1,
                        "the front matter that starts here is never closed",
                    )
                    .hint("end the front matter with a line `---` before the article's text"));
                }
            },
        };
        let fields = match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(fields)) => fields,
            Ok(Value::Null) => Mapping::new(),
            Ok(_) => {
                return Err(Diagnostic::at(
                    path,
                    text,
                    2,
                    1,
                    "the front matter must be a list of `key: value` lines",
                )
                .hint("write it like `title: \"…\"` with one key per line"));
            }
            Err(e) => {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line() + 1, l.column()));
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message);
                return Err(Diagnostic::at(
                    path,
                    text,
                    line,
                    column,
                    format!("invalid YAML in the front matter: {message}"),
                )
                .hint(if message.contains("end of stream") {
                    "a quote or bracket opened above is never closed"
                } else {
                    "quote values that contain `: ` or start with a special character, like `title: \"Q&A: talks\"`"
                }));
            }
        };
        Ok(Document {
            path,
            text,
            fields,
            body: body.trim_start_matches('\n'),
        })
    }

    /// Checks that every key is one of `known`; each other key is a diagnostic.
    pub fn unknown_keys(&self, known: &[&str]) -> Vec<Diagnostic> {
        self.fields
            .keys()
            .filter_map(|key| {
                let name = key_name(key);
                if known.contains(&name.as_str()) {
                    return None;
                }
                let diagnostic = self
                    .key_location(&name, false)
                    .diagnostic(self.path, format!("unknown front-matter key `{name}`"));
                Some(match did_you_mean(&name, known) {
                    Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
                    None => {
                        diagnostic.hint(format!("the keys an article takes: {}", known.join(", ")))
                    }
                })
            })
            .collect()
    }

    /// The value of `key` as a `T`, `None` when the key is absent or null.
    pub fn get<T: DeserializeOwned>(
        &self,
        key: &str,
        expected: &str,
    ) -> Result<Option<T>, Diagnostic> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_yaml::from_value(value.clone())
                .map(Some)
                .map_err(|_| self.value_error(key, format!("`{key}` must be {expected}"))),
        }
    }

    /// The value of `key` as text: strings, and numbers or booleans written unquoted.
    pub fn text(&self, key: &str) -> Result<Option<String>, Diagnostic> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(self
                .value_error(key, format!("`{key}` must be text"))
                .hint(format!("write it like `{key}: \"…\"`"))),
        }
    }

    /// A list of names from `key`, which takes one string or a list of strings.
    pub fn names(&self, key: &str) -> Result<Vec<String>, Diagnostic> {
        let error = || {
            self.value_error(key, format!("`{key}` must be a name or a list of names"))
                .hint(format!(
                    "write `{key}: Jane Doe` or `{key}: [Jane Doe, John Roe]`"
                ))
        };
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let names = match self.fields.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .map(scalar)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(error)?,
            Some(value) => vec![scalar(value).ok_or_else(error)?],
        };
        if names.iter().any(String::is_empty) {
            return Err(error());
        }
        Ok(names)
    }

    /// A diagnostic for a key that must be present but is not.
    pub fn missing(&self, key: &str, example: &str) -> Diagnostic {
        Diagnostic::at(
            self.path,
            self.text,
            1,
            1,
            format!("missing `{key}` in the front matter"),
        )
        .hint(format!(
            "add a line like `{key}: {example}` between the `---` lines"
        ))
    }

    /// A diagnostic pointing at the value of `key`.
    pub fn value_error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        self.key_location(key, true).diagnostic(self.path, message)
    }

    /// Where `key` stands in the front matter (at its value when `at_value`);
    /// the opening `---` when it cannot be found.
    pub fn key_location(&self, key: &str, at_value: bool) -> Location {
        let found = self.text.lines().enumerate().skip(1).find_map(|(i, line)| {
            let unquoted = line.strip_prefix(key).or_else(|| {
                line.strip_prefix('"')
                    .and_then(|l| l.strip_prefix(key))
                    .and_then(|l| l.strip_prefix('"'))
            })?;
            let after_colon = unquoted.trim_start().strip_prefix(':')?;
            let column = if at_value {
                let value_start = line.len() - after_colon.trim_start().len();
                line[..value_start].chars().count() + 1
            } else {
                1
            };
            Some(Location {
                line: i + 1,
                column,
                source_line: line.to_owned(),
            })
        });
        found.unwrap_or_else(|| Location {
            line: 1,
            column: 1,
            source_line: "---".to_owned(),
        })
    }

    /// Where `item` of the list under `key` stands (an alias, say).
    pub fn item_location(&self, key: &str, item: &str) -> Location {
        let at_key = self.key_location(key, true);
        let lines: Vec<&str> = self.text.lines().collect();
        let mut line_no = at_key.line;
        while let Some(line) = lines.get(line_no - 1) {
            if line_no > at_key.line && !line.starts_with([' ', '-', '\t']) {
                break;
            }
            if let Some(byte) = line.find(item) {
                return Location {
                    line: line_no,
                    column: line[..byte].chars().count() + 1,
                    source_line: (*line).to_owned(),
                };
            }
            line_no += 1;
        }
        at_key
    }
}

/// The value of `result`, or `None` with its problem added to `errors`: lets a
/// parser go on and report every problem of a file at once.
pub fn keep<T>(errors: &mut Vec<Diagnostic>, result: Result<Option<T>, Diagnostic>) -> Option<T> {
    result.unwrap_or_else(|diagnostic| {
        errors.push(diagnostic);
        None
    })
}

fn key_name(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document<'_>, Diagnostic> {
        Document::parse(Path::new("a.md"), text)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let doc = parse("---\ntitle: T\n---\n\nBody\n").unwrap();
        assert_eq!(doc.text("title").unwrap().as_deref(), Some("T"));
        assert_eq!(doc.body, "Body\n");
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let error = parse("---\ntitle: T\ndate: [2020\n---\n").err().unwrap();
        assert!(
            error.message.starts_with("invalid YAML"),
            "{}",
            error.message
        );
        assert!(error.line >= 3, "line {}", error.line);
    }

    #[test]
    fn unknown_keys_suggest_the_known_one() {
        let doc = parse("---\ntitle: T\nspekaer: Putin\n---\n").unwrap();
        let errors = doc.unknown_keys(&["title", "speaker"]);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `speaker`?"));
    }

    #[test]
    fn names_take_a_string_or_a_list() {
        let doc = parse("---\na: Putin\nb: [X, Y]\nc: {k: v}\n---\n").unwrap();
        assert_eq!(doc.names("a").unwrap(), ["Putin"]);
        assert_eq!(doc.names("b").unwrap(), ["X", "Y"]);
        let error = doc.names("c").unwrap_err();
        assert_eq!((error.line, error.column), (4, 4));
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let error = parse("---\ntitle: T\n").err().unwrap();
        assert!(error.message.contains("never closed"));
    }
}
