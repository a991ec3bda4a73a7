//! The errors a build can end with.

use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Diagnostic};
use crate::render::TEMPLATES_DIR;

/// Why a build or check failed. In every case the previous output is untouched.
#[derive(Debug, Clone, thiserror::Error)]
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
    /// A command was given what it cannot use.
    #[error("{0}")]
    Usage(String),
    /// The preview server could not start, or failed.
    #[error("{0}")]
    Serve(String),
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

impl Error {
    /// The error as diagnostics, the one form every problem can take: a
    /// template's problem is reported at the template's file, an output
    /// problem at the output's.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Error::Content(diagnostics) => diagnostics,
            Error::Template { name, message } => vec![
                Diagnostic::file(
                    &Path::new(TEMPLATES_DIR).join(&name),
                    format!("template `{name}`: {message}"),
                )
                .code(crate::diagnostic::Code::Template),
            ],
            Error::Output { path, message } => {
                vec![Diagnostic::file(&path, message).code(crate::diagnostic::Code::Output)]
            }
            Error::Usage(message) => vec![Diagnostic::file(Path::new("gazette"), message)],
            Error::Serve(message) => {
                vec![
                    Diagnostic::file(Path::new("serve"), message)
                        .code(crate::diagnostic::Code::Serve),
                ]
            }
        }
    }
}

/// Every problem of `errors` as one error: the error itself when there is
/// one, else all of them as diagnostics in file order. `None` when there is none.
pub fn gather(errors: Vec<Error>) -> Option<Error> {
    match errors.len() {
        0 => None,
        1 => errors.into_iter().next().map(|error| match error {
            Error::Content(diagnostics) => Error::Content(diagnostic::sorted(diagnostics)),
            other => other,
        }),
        _ => Some(Error::Content(diagnostic::sorted(
            errors
                .into_iter()
                .flat_map(Error::into_diagnostics)
                .collect(),
        ))),
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

/// The whole report of a failed build, check or rebuild, as the terminal
/// shows it: each diagnostic with its line and hint, then the error and what
/// became of the output (`outcome`).
pub fn report(error: &Error, outcome: &str) -> String {
    let mut text = String::new();
    if let Error::Content(diagnostics) = error {
        for diagnostic in diagnostics {
            text.push_str(&format!("{diagnostic}\n\n"));
        }
    }
    text.push_str(&format!("error: {error}; {outcome}"));
    text
}

/// `1 problem`, `2 problems`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
