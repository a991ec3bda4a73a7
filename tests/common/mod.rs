//! Fixture sites for the integration tests: a site root in a temporary folder,
//! the `gazette` binary run on it, and readers for what it wrote.

#![allow(dead_code)] // each test file uses a different part of this module

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site root in a temporary folder, removed when dropped.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// An empty site (with a `content/` folder).
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        fs::create_dir_all(site.root().join("content")).expect("content folder");
        site
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `path` below the root.
    pub fn file(&self, path: &str, text: impl AsRef<[u8]>) -> &Site {
        let target = self.root().join(path);
        fs::create_dir_all(target.parent().expect("a parent")).expect("folders");
        fs::write(target, text).expect("write the fixture");
        self
    }

    /// Writes an article with the given front-matter lines and body.
    pub fn article(&self, path: &str, front_matter: &str, body: &str) -> &Site {
        self.file(path, format!("---\n{front_matter}\n---\n{body}"))
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Runs `gazette build --root ROOT` with `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--root"];
        let root = self.root().to_str().expect("a UTF-8 path").to_owned();
        all.push(&root);
        all.extend_from_slice(args);
        gazette(&all)
    }

    /// Builds and asserts success.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let run = self.build(args);
        assert!(run.ok(), "build failed:\n{}", run.stderr);
        run
    }

    /// The text of `path` in the default output.
    pub fn page(&self, path: &str) -> String {
        read(&self.public().join(path))
    }

    /// Whether `path` exists in the default output.
    pub fn has(&self, path: &str) -> bool {
        self.public().join(path).exists()
    }
}

/// What a run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs the `gazette` binary with `args`.
pub fn gazette(args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .output()
        .expect("run gazette");
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "gazette panicked:\n{}",
        run.stderr
    );
    run
}

/// The text of a file, with its path in the failure message.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file below `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .into_owned();
            (name, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Every `href` and `src` of the HTML pages below `dir`: (page, link).
pub fn links(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (page, bytes) in snapshot(dir) {
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for attribute in ["href=\"", "src=\""] {
            for piece in html.split(attribute).skip(1) {
                if let Some(end) = piece.find('"') {
                    found.push((page.clone(), piece[..end].replace("&amp;", "&")));
                }
            }
        }
    }
    found
}

/// The internal links of the site in `dir` (served at `base_path`) that lead to
/// no file: (page, link). A relative link (an image beside an article) is
/// taken from the page's folder.
pub fn broken_links(dir: &Path, base_path: &str) -> Vec<(String, String)> {
    let external = |link: &str| {
        link.contains("://") || link.starts_with(['#', '?']) || link.starts_with("mailto:")
    };
    links(dir)
        .into_iter()
        .filter(|(_, link)| !link.is_empty() && !external(link))
        .filter(|(page, link)| {
            let path = link.split(['#', '?']).next().unwrap_or("");
            let target = match path.strip_prefix('/') {
                Some(_) => match path.strip_prefix(base_path) {
                    Some(inside) => dir.join(inside),
                    None => return true,
                },
                None => dir
                    .join(page)
                    .parent()
                    .map_or_else(|| dir.join(path), |p| p.join(path)),
            };
            !(target.is_file() || target.join("index.html").is_file())
        })
        .collect()
}
