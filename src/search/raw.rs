//! Lists of numbers kept as their little-endian bytes (`#[serde(with =
//! "raw")]`): postcard then writes a list as one byte string, read back at
//! the speed of a copy, where a varint per number made reading the word
//! lists of a build's search runs several times slower.

use serde::de::{Deserializer, Error, Visitor};
use serde::ser::Serializer;
use std::fmt;

/// A value of a fixed number of little-endian bytes.
pub trait Raw: Sized {
    /// Its bytes.
    const SIZE: usize;
    /// Appends its bytes to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// The value of `SIZE` bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! raw_number {
    ($($t:ty),*) => {$(
        impl Raw for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut le = [0; std::mem::size_of::<$t>()];
                le.copy_from_slice(bytes);
                <$t>::from_le_bytes(le)
            }
        }
    )*};
}
raw_number!(u32);

/// Writes `list` as one byte string.
pub fn serialize<T: Raw, S: Serializer>(list: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(list.len() * T::SIZE);
    for value in list {
        value.put(&mut bytes);
    }
    serializer.serialize_bytes(&bytes)
}

/// Reads a list written by [`serialize`].
pub fn deserialize<'de, T: Raw, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_bytes(List(std::marker::PhantomData))
}

/// Reads the byte string of a list of `T`.
struct List<T>(std::marker::PhantomData<T>);

impl<T: Raw> Visitor<'_> for List<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a byte string of values of {} bytes", T::SIZE)
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
        if bytes.len() % T::SIZE != 0 {
            return Err(E::invalid_length(bytes.len(), &self));
        }
        Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Lists {
        #[serde(with = "super")]
        ends: Vec<u32>,
        #[serde(with = "super")]
        more: Vec<u32>,
    }

    #[test]
    fn lists_round_trip_as_little_endian_bytes() {
        let lists = Lists {
            ends: vec![1],
            more: vec![0x0607_0809, 2],
        };
        let bytes = postcard::to_stdvec(&lists).expect("encoded");
        assert_eq!(bytes, [4, 1, 0, 0, 0, 8, 9, 8, 7, 6, 2, 0, 0, 0]);
        assert_eq!(postcard::from_bytes::<Lists>(&bytes).ok(), Some(lists));
        // A string cut short is an error, not a panic.
        assert!(postcard::from_bytes::<Lists>(&bytes[..4]).is_err());
    }
}
