//! Records packed into bytes in memory, for what a run holds from the per-article phase
//! through the corpus-wide steps (claims, mention rows): lengths and ids as LEB128
//! variable-length integers, strings inline. The bytes never leave the process, so the
//! formats carry no version.

use crate::model::{Field, Span};

/// Appends `v` as LEB128: seven bits a byte, low bits first.
pub(crate) fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a string: its length, then its bytes.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends an optional number (0 for none, else the number plus one).
pub(crate) fn put_opt_u32(out: &mut Vec<u8>, v: Option<u32>) {
    put_uint(out, v.map_or(0, |x| u64::from(x) + 1));
}

/// Appends a span: its field, then its offsets.
pub(crate) fn put_span(out: &mut Vec<u8>, span: Span) {
    out.push(match span.field {
        Field::Title => 0,
        Field::Body => 1,
    });
    put_uint(out, u64::from(span.start));
    put_uint(out, u64::from(span.end));
}

/// Reads what the writers above wrote. The bytes come from a packer in the same process,
/// so they are well formed; past the end every read gives zero or empty rather than
/// panicking.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// The next `n` bytes (fewer at the end).
    pub(crate) fn take(&mut self, n: usize) -> &'a [u8] {
        let end = self.at.saturating_add(n).min(self.bytes.len());
        let s = &self.bytes[self.at.min(end)..end];
        self.at = end;
        s
    }

    pub(crate) fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    pub(crate) fn uint(&mut self) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
        }
        v
    }

    pub(crate) fn u32(&mut self) -> u32 {
        self.uint() as u32
    }

    /// Eight bytes, little-endian (for hashes and floats, which LEB128 would lengthen).
    pub(crate) fn u64_fixed(&mut self) -> u64 {
        let mut b = [0u8; 8];
        let s = self.take(8);
        b[..s.len()].copy_from_slice(s);
        u64::from_le_bytes(b)
    }

    pub(crate) fn string(&mut self) -> &'a str {
        let n = self.uint() as usize;
        std::str::from_utf8(self.take(n)).unwrap_or("")
    }

    pub(crate) fn opt_u32(&mut self) -> Option<u32> {
        self.uint().checked_sub(1).map(|x| x as u32)
    }

    pub(crate) fn span(&mut self) -> Span {
        let field = if self.byte() == 0 { Field::Title } else { Field::Body };
        Span {
            field,
            start: self.u32(),
            end: self.u32(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_read_back_and_reads_past_the_end_are_empty() {
        let mut out = Vec::new();
        for v in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_uint(&mut out, v);
        }
        put_str(&mut out, "Kyiv – Київ");
        put_opt_u32(&mut out, None);
        put_opt_u32(&mut out, Some(u32::MAX - 1));
        out.extend_from_slice(&7u64.to_le_bytes());
        let span = Span {
            field: Field::Body,
            start: 3,
            end: 70_000,
        };
        put_span(&mut out, span);
        let mut r = Reader::new(&out);
        for v in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.uint(), v);
        }
        assert_eq!(r.string(), "Kyiv – Київ");
        assert_eq!(r.opt_u32(), None);
        assert_eq!(r.opt_u32(), Some(u32::MAX - 1));
        assert_eq!(r.u64_fixed(), 7);
        assert_eq!(r.span(), span);
        assert_eq!((r.uint(), r.string(), r.byte(), r.u64_fixed()), (0, "", 0, 0));
        // A string whose length runs past the end gives what there is, never a panic.
        let mut cut = Vec::new();
        put_str(&mut cut, "abcdef");
        cut.truncate(4);
        assert_eq!(Reader::new(&cut).string(), "abc");
    }
}
