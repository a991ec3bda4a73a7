//! Lists of numbers that a search run holds, made in memory or read where
//! they lie in its cache file: the file is mapped, not copied, so that a
//! build reading every run of the last one touches no memory of its own for
//! them (a copy made a third of an edit build's page faults).
//!
//! A file of lists ([`Writer`]) holds each list's native bytes from an
//! offset that is a multiple of 8, so that a mapped file (page aligned)
//! gives every list its alignment; what names the lists' spans follows
//! them. Native bytes: a run's name hashes the byte order (see
//! [`super::runs`]), so a file is read only where it was written.

use std::ops::{Deref, Range};
use std::path::Path;
use std::sync::Arc;

use bytemuck::Pod;
use memmap2::Mmap;
use serde::{Deserialize, Serialize};

/// A list of numbers: made in memory, or a part of a mapped file.
pub enum List<T> {
    /// Made by this process.
    Owned(Vec<T>),
    /// Read from a file: its bytes in `range`, checked to be a whole
    /// number of `T` that starts where a `T` may.
    Mapped(Arc<Mmap>, Range<usize>),
}

impl<T: Pod> Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            List::Owned(list) => list,
            // Checked when the list was read: the cast cannot fail.
            List::Mapped(map, range) => map
                .get(range.clone())
                .and_then(|bytes| bytemuck::try_cast_slice(bytes).ok())
                .unwrap_or_default(),
        }
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(list: Vec<T>) -> List<T> {
        List::Owned(list)
    }
}

/// Where a list is in its file: its first byte and its length in bytes.
#[derive(Clone, Copy, Serialize, Deserialize)]
pub struct Span {
    start: u64,
    len: u64,
}

/// The bytes of a file of lists being made.
#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// Adds `list`; returns where it is.
    pub fn put<T: Pod>(&mut self, list: &[T]) -> Span {
        self.bytes.resize(self.bytes.len().next_multiple_of(8), 0);
        let start = self.bytes.len() as u64;
        self.bytes.extend_from_slice(bytemuck::cast_slice(list));
        Span {
            start,
            len: self.bytes.len() as u64 - start,
        }
    }

    /// The lists' bytes, which what names their spans follows.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// A mapped file of lists.
pub struct Mapped {
    map: Arc<Mmap>,
}

impl Mapped {
    /// The file at `path`, mapped; `None` when it cannot be.
    pub fn open(path: &Path) -> Option<Mapped> {
        let map = crate::cache::map(path)?;
        Some(Mapped { map: Arc::new(map) })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// The list at `span`, when it is a whole number of `T`, aligned, and
    /// within the first `end` bytes (those of the lists).
    pub fn list<T: Pod>(&self, span: Span, end: usize) -> Option<List<T>> {
        let start = usize::try_from(span.start).ok()?;
        let range = start..start.checked_add(usize::try_from(span.len).ok()?)?;
        let bytes = self.map.get(..end)?.get(range.clone())?;
        bytemuck::try_cast_slice::<u8, T>(bytes).ok()?;
        Some(List::Mapped(self.map.clone(), range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_back_aligned_and_bad_spans_are_refused() {
        let mut writer = Writer::default();
        let bytes = writer.put(&[7u8, 8, 9]);
        let pairs = writer.put(&[[1u32, 2], [3, 4]]);
        let file = writer.into_bytes();
        let path = std::env::temp_dir().join(format!("gazette-lists-{}", std::process::id()));
        assert!(std::fs::write(&path, &file).is_ok());
        let mapped = Mapped::open(&path);
        let _ = std::fs::remove_file(&path);
        let Some(mapped) = mapped else {
            panic!("the file is mapped");
        };
        let end = file.len();
        let read = mapped.list::<u8>(bytes, end).map(|l| l.to_vec());
        assert_eq!(read, Some(vec![7, 8, 9]));
        let read = mapped.list::<[u32; 2]>(pairs, end).map(|l| l.to_vec());
        assert_eq!(read, Some(vec![[1, 2], [3, 4]]));
        // Three bytes are no whole number of u16, nor beyond the lists.
        assert!(mapped.list::<u16>(bytes, end).is_none());
        assert!(mapped.list::<u8>(pairs, end - 1).is_none());
        let misaligned = Span { start: 1, len: 4 };
        assert!(mapped.list::<u32>(misaligned, end).is_none());
    }
}
