//! LEB128 unsigned integers, the compact encoding of the binary search files.

/// Appends `value` to `out` as an unsigned LEB128 integer.
pub fn push(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads the LEB128 integer at `*at`, moving `*at` past it; 0 past the end.
pub fn read(bytes: &[u8], at: &mut usize) -> u64 {
    let mut value = 0u64;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(*at) {
        *at += 1;
        if shift < 64 {
            value |= u64::from(byte & 0x7f) << shift;
        }
        shift += 7;
        if byte < 0x80 {
            break;
        }
    }
    value
}

/// Appends a length-prefixed UTF-8 string.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    push(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_seven_bits_per_byte() {
        let mut out = Vec::new();
        super::push(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        let mut at = 0;
        assert_eq!((super::read(&out, &mut at), at), (300, 2));
        assert_eq!(super::read(&out, &mut at), 0);
    }
}
