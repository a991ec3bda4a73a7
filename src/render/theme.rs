//! The theme: the built-in templates and static files embedded in the binary,
//! with a site's own `templates/` and `static/` files taking precedence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, invalid_utf8};
use crate::error::Error;

static BUILT_IN_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static BUILT_IN_STATIC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// A site's folder of template overrides.
pub const TEMPLATES_DIR: &str = "templates";
/// A site's folder of files copied as they are.
pub const STATIC_DIR: &str = "static";

/// The site's templates, compiled once: built-in ones, each replaced by the
/// site's file of the same name when there is one.
pub fn templates(root: &Path) -> Result<tera::Tera, Error> {
    let mut sources: BTreeMap<String, String> = BUILT_IN_TEMPLATES
        .files()
        .filter_map(|f| Some((name(f.path())?, f.contents_utf8()?.to_owned())))
        .collect();
    for (name, path) in site_files(root, TEMPLATES_DIR)? {
        let bytes = std::fs::read(root.join(&path))
            .map_err(|e| Diagnostic::file(&path, format!("cannot read the template: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| invalid_utf8(&path, &e))?;
        sources.insert(name, text);
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape);
    tera.register_filter("cdata", cdata);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| Error::template(&template_in_error(&e), &e))?;
    Ok(tera)
}

/// Escapes text for HTML and XML: `&`, `<`, `>`, `"` and `'` (Tera's own also
/// escapes `/`, which makes every URL unreadable in the page source).
fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

/// The `cdata` filter: a string to put inside `<![CDATA[…]]>`, with any `]]>`
/// split across two sections. The feeds carry article bodies this way: the
/// same HTML for a feed reader as escaped text, but copied rather than
/// escaped byte by byte, which took a tenth of a build.
fn cdata(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the `cdata` filter takes a string"))?;
    // Nearly no body has one: look for it with memchr's fast search first.
    if memchr::memmem::find(text.as_bytes(), b"]]>").is_none() {
        return Ok(tera::Value::String(text.to_owned()));
    }
    Ok(tera::Value::String(text.replace("]]>", "]]]]><![CDATA[>")))
}

/// The static files to copy, output path → contents: the built-in ones, then the site's.
pub fn static_files(root: &Path) -> Result<BTreeMap<String, StaticFile>, Error> {
    let mut files: BTreeMap<String, StaticFile> = BTreeMap::new();
    let mut stack = vec![&BUILT_IN_STATIC];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            if let Some(name) = name(file.path()) {
                files.insert(name, StaticFile::BuiltIn(file.contents()));
            }
        }
    }
    for (name, path) in site_files(root, STATIC_DIR)? {
        files.insert(name, StaticFile::Site(root.join(path)));
    }
    Ok(files)
}

/// A file to copy into the output.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// A file of the built-in theme.
    BuiltIn(&'static [u8]),
    /// A file of the site's `static/`.
    Site(PathBuf),
}

/// The files below `root/dir`: name relative to `dir` (with `/`) → path relative to `root`.
fn site_files(root: &Path, dir: &str) -> Result<Vec<(String, PathBuf)>, Error> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(&base).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .unwrap_or(&base)
                .strip_prefix(root)
                .unwrap_or(&base)
                .to_path_buf();
            Diagnostic::file(&path, format!("cannot read it: {e}"))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&base).unwrap_or(entry.path());
        if let Some(name) = name(relative) {
            files.push((name, Path::new(dir).join(relative)));
        }
    }
    Ok(files)
}

/// A relative path as a template or output name: `/`-separated; `None` for hidden files.
fn name(path: &Path) -> Option<String> {
    let parts: Vec<&str> = path.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    if parts.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    Some(parts.join("/"))
}

/// The template Tera names in a parse error, for the message.
fn template_in_error(error: &tera::Error) -> String {
    let text = error.to_string();
    text.split('\'').nth(1).unwrap_or("templates").to_owned()
}
