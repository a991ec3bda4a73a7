//! Write: pages go to a staging folder beside the output, which replaces the
//! output only once the whole build has succeeded. Gazette writes only over
//! folders it made itself.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;
use crate::error::Error;

/// The file that marks a folder as Gazette's output.
pub const MARKER: &str = ".gazette";

/// A build's output, being written.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares to write the output folder `output` of the site at `root`.
    /// Refuses a folder that Gazette did not create, the site itself, or a
    /// folder inside the site's content.
    pub fn create(output: &Path, root: &Path) -> Result<Staging, Error> {
        let output = absolute(output)?;
        let root = absolute(root)?;
        if root.starts_with(&output) {
            return Err(Error::output(
                &output,
                "the output folder contains the site itself; refusing to write over it (choose another --output, such as `public`)",
            ));
        }
        if output.starts_with(root.join(CONTENT_DIR)) {
            return Err(Error::output(
                &output,
                "the output folder is inside `content/`; choose one outside it, such as `public`",
            ));
        }
        if output.exists() && !is_gazette_output(&output) {
            return Err(Error::output(
                &output,
                "this folder exists and was not made by Gazette; refusing to write over it (choose a new or empty folder with --output, or remove this one)",
            ));
        }
        let parent = output.parent().ok_or_else(|| {
            Error::output(
                &output,
                "cannot write the output at the root of the file system",
            )
        })?;
        fs::create_dir_all(parent)
            .map_err(|e| Error::output(parent, format!("cannot create the folder: {e}")))?;
        let staging = sibling(&output, "staging");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| {
                Error::output(
                    &staging,
                    format!("cannot remove what an interrupted build left: {e}"),
                )
            })?;
        }
        let this = Staging {
            output,
            staging,
            committed: false,
        };
        this.write(
            MARKER,
            b"This folder is written by Gazette; the next build replaces it whole.\n",
        )?;
        Ok(this)
    }

    /// Writes `bytes` to `path` (relative, `/`-separated) in the staging folder.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.staging.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Error::output(dir, format!("cannot create the folder: {e}")))?;
        }
        fs::write(&target, bytes)
            .map_err(|e| Error::output(&target, format!("cannot write the file: {e}")))
    }

    /// Copies the file at `source` to `path` in the staging folder.
    pub fn copy(&self, source: &Path, path: &str) -> Result<(), Error> {
        let bytes = fs::read(source)
            .map_err(|e| Error::output(source, format!("cannot read the file: {e}")))?;
        self.write(path, &bytes)
    }

    /// Puts the staging folder in the output's place.
    pub fn commit(mut self) -> Result<(), Error> {
        let old = sibling(&self.output, "old");
        if old.exists() {
            fs::remove_dir_all(&old)
                .map_err(|e| Error::output(&old, format!("cannot remove it: {e}")))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).map_err(|e| {
                Error::output(
                    &self.output,
                    format!("cannot move the previous output aside: {e}"),
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.output) {
            if had_output {
                // Put the previous output back; the build failed as a whole.
                let _ = fs::rename(&old, &self.output);
            }
            return Err(Error::output(
                &self.output,
                format!("cannot put the new output in place: {e}"),
            ));
        }
        self.committed = true;
        if had_output {
            fs::remove_dir_all(&old).map_err(|e| {
                Error::output(&old, format!("cannot remove the previous output: {e}"))
            })?;
        }
        Ok(())
    }

    /// The folder the build will replace.
    pub fn output(&self) -> &Path {
        &self.output
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves nothing behind; the previous output stays.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether `dir` is empty or was made by Gazette.
fn is_gazette_output(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// `path` made absolute against the current folder, `..` and `.` resolved.
fn absolute(path: &Path) -> Result<PathBuf, Error> {
    let path = std::path::absolute(path)
        .map_err(|e| Error::output(path, format!("cannot resolve the path: {e}")))?;
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve symbolic links where the path exists, so `~` and its alias compare equal.
    Ok(fs::canonicalize(&clean).unwrap_or(clean))
}

/// `parent/.name.gazette-{what}` beside `output`.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(output.file_name().unwrap_or_default());
    name.push(format!(".gazette-{what}"));
    output.with_file_name(name)
}
