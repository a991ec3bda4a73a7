//! The errors a build can end with.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// Why a build or check failed. In every case the previous output is untouched.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's files: every one found, in file order.
    #[error("{} in the site's files", plural(.0.len(), "problem"))]
    Content(Vec<Diagnostic>),
    /// A template failed to parse or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name (`article.html`).
        name: String,
        /// Tera's message, with its causes.
        message: String,
    },
    /// The output folder cannot be written.
    #[error("{}: {message}", path.display())]
    Output {
        /// The folder or file.
        path: PathBuf,
        /// What went wrong and how to fix it.
        message: String,
    },
}

impl Error {
    /// An output error about `path`.
    pub fn output(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Output {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A Tera error, with every cause Tera gives.
    pub fn template(name: &str, error: &tera::Error) -> Error {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        Error::Template {
            name: name.to_owned(),
            message,
        }
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Error::Content(diagnostics)
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Content(vec![diagnostic])
    }
}

/// `1 problem`, `2 problems`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
