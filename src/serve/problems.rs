//! The problems that stop a rebuild, shown as `gazette build` shows them.

use std::fmt;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// Everything that stops a rebuild, reported as `gazette build` reports it.
#[derive(Debug, Default)]
pub struct Problems {
    /// The problems in the site's files, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Other errors (templates, static files, rendering).
    pub errors: Vec<String>,
}

impl Problems {
    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty() && self.errors.is_empty()
    }
}

impl From<Error> for Problems {
    fn from(error: Error) -> Self {
        match error {
            Error::Content(diagnostics) => Problems {
                diagnostics,
                errors: Vec::new(),
            },
            other => Problems {
                diagnostics: Vec::new(),
                errors: vec![other.to_string()],
            },
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.diagnostics {
            write!(f, "{diagnostic}\n\n")?;
        }
        let mut lines = Vec::new();
        if !self.diagnostics.is_empty() {
            lines.push(Error::Content(self.diagnostics.clone()).to_string());
        }
        lines.extend(self.errors.iter().cloned());
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "error: {line}; the last good version of the site is still served"
            )?;
        }
        Ok(())
    }
}
