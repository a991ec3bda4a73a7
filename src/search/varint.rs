//! LEB128 unsigned integers, the compact encoding of the binary search files.

/// Appends `value` to `out` as an unsigned LEB128 integer.
pub fn push(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
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
    }
}
