//! Byte order marks: UTF-8 with a BOM is read as UTF-8 (the BOM dropped); UTF-16 with a BOM
//! (little or big endian, as Windows tools write it) is transcoded to UTF-8 while it
//! streams. Anything else is read as UTF-8, with invalid bytes repaired per record.

use std::io::{self, Read};

/// Wraps a reader, sniffing the first bytes for a byte order mark.
pub(crate) fn decode(mut inner: Box<dyn Read + Send>) -> io::Result<Box<dyn Read + Send>> {
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < 3 {
        match inner.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let head = &head[..n];
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(inner);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let big_endian = head[0] == 0xFE;
        let rest = head[2..].to_vec();
        return Ok(Box::new(Utf16 {
            inner,
            big_endian,
            carry: rest,
            out: Vec::new(),
            pos: 0,
            high: None,
            done: false,
        }));
    }
    Ok(Box::new(io::Cursor::new(head.to_vec()).chain(inner)))
}

/// Streams UTF-16 as UTF-8.
struct Utf16 {
    inner: Box<dyn Read + Send>,
    big_endian: bool,
    /// Bytes read but not yet decoded (an odd trailing byte).
    carry: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    /// A high surrogate waiting for its pair.
    high: Option<u16>,
    done: bool,
}

impl Utf16 {
    fn fill(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 8192];
        let n = loop {
            match self.inner.read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.out.clear();
        self.pos = 0;
        if n == 0 {
            self.done = true;
            if self.high.take().is_some() || !self.carry.is_empty() {
                self.out.extend_from_slice("\u{fffd}".as_bytes());
            }
            return Ok(());
        }
        self.carry.extend_from_slice(&buf[..n]);
        let pairs = self.carry.len() / 2;
        let mut s = String::new();
        for k in 0..pairs {
            let (a, b) = (self.carry[2 * k], self.carry[2 * k + 1]);
            let unit = if self.big_endian {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            };
            match (self.high.take(), unit) {
                (None, 0xD800..=0xDBFF) => self.high = Some(unit),
                (Some(h), 0xDC00..=0xDFFF) => {
                    let c = 0x10000 + (((h as u32) - 0xD800) << 10) + ((unit as u32) - 0xDC00);
                    s.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                }
                (prev, u) => {
                    if prev.is_some() {
                        s.push('\u{fffd}');
                    }
                    if (0xD800..=0xDBFF).contains(&u) {
                        self.high = Some(u);
                    } else {
                        s.push(char::from_u32(u as u32).unwrap_or('\u{fffd}'));
                    }
                }
            }
        }
        self.carry.drain(..pairs * 2);
        self.out.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

impl Read for Utf16 {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: Vec<u8>) -> String {
        let mut r = decode(Box::new(io::Cursor::new(bytes))).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn byte_order_marks() {
        let text = "{\"title\": \"Київ 😀\"}\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(read_all(le), text);
        assert_eq!(read_all(be), text);
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend_from_slice(text.as_bytes());
        assert_eq!(read_all(utf8), text);
        assert_eq!(read_all(text.as_bytes().to_vec()), text);
        assert_eq!(read_all(b"ab".to_vec()), "ab");
        assert_eq!(read_all(Vec::new()), "");
    }

    #[test]
    fn broken_utf16_is_repaired() {
        // A lone high surrogate and an odd trailing byte.
        let bytes = vec![0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x42, 0x00, 0x43];
        assert_eq!(read_all(bytes), "A\u{fffd}B\u{fffd}");
    }
}
