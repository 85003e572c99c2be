//! A skimming JSON reader: walks the structure of one JSON text and decodes only the
//! values a caller asks for.
//!
//! Most bytes of a transcript are prose, thinking and tool output that permstat never
//! looks at. A full JSON parser still walks every one of them byte by byte to find where
//! each string ends. This reader walks only the structure: the end of a short string
//! without escapes (a key, an id, a time) is found by testing 8 bytes at a time in a
//! register, that of any other string 64 bytes at a time from masks of its quotes and
//! backslashes (see [`string_end`]), and only the values asked for are decoded.
//!
//! It is lenient inside the values it skips (an invalid escape or number in ignored text
//! does not reject the text) and strict about the structure it walks: an unterminated
//! string, object or array, a missing `:` or `,`, or trailing bytes are errors. Values of
//! an unexpected type are treated as absent.
//!
//! [`Cursor`] knows nothing of what the text means: the transcript reader
//! (`transcript::lazy`) picks the fields of a transcript line with it, and the settings
//! writer (`suggest::writer`) walks settings files, taking byte spans from the slices it
//! returns.

use std::borrow::Cow;

/// Why a JSON text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What was expected or found.
    pub what: &'static str,
    /// Byte offset (0-based) where it was noticed.
    pub at: usize,
    /// True when the text ended before the value did (a cut-off line).
    pub eof: bool,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at column {}", self.what, self.at + 1)
    }
}

/// A result of the skimming reader.
pub type Result<T> = std::result::Result<T, Error>;

/// A position in one line of JSON text.
pub struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `s`.
    pub fn new(s: &'a str) -> Self {
        Cursor { s, pos: 0 }
    }

    /// A cursor at byte `pos` of `s` (e.g. at a value found earlier).
    pub fn at(s: &'a str, pos: usize) -> Self {
        Cursor { s, pos }
    }

    /// The byte offset the cursor is at.
    pub fn pos(&self) -> usize {
        self.pos
    }

    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    fn err(&self, what: &'static str) -> Error {
        Error {
            what,
            at: self.pos,
            eof: self.pos >= self.s.len(),
        }
    }

    /// The next byte after any whitespace (which is skipped), without consuming it.
    pub fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        loop {
            match b.get(self.pos) {
                // Transcripts are written without whitespace: one test settles most calls.
                Some(&c) if c > b' ' => return Some(c),
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                other => return other.copied(),
            }
        }
    }

    /// The index of the quote that closes the string whose body starts at `from`.
    fn string_end(&self, from: usize) -> Result<usize> {
        string_end(self.bytes(), from)
            .map(|(end, _)| end)
            .ok_or_else(|| self.unterminated())
    }

    /// Reads a string's raw body (escapes left in) and whether it holds any escape.
    fn raw_string(&mut self) -> Result<(&'a str, bool)> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a string"));
        }
        let start = self.pos + 1;
        let (end, escaped) = string_end(self.bytes(), start).ok_or_else(|| self.unterminated())?;
        self.pos = end + 1;
        Ok((&self.s[start..end], escaped))
    }

    /// The error of a string that runs to the end of the text.
    fn unterminated(&self) -> Error {
        Error {
            what: "unterminated string",
            at: self.s.len(),
            eof: true,
        }
    }

    /// Skips one value of any type and returns its text.
    pub fn value(&mut self) -> Result<&'a str> {
        let c = self.peek().ok_or_else(|| self.err("expected a value"))?;
        let start = self.pos;
        let b = self.bytes();
        match c {
            b'"' => {
                self.pos = self.string_end(start + 1)? + 1;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut i = start;
                loop {
                    let Some(&c) = b.get(i) else {
                        self.pos = i;
                        return Err(self.err("unterminated object or array"));
                    };
                    match c {
                        b'"' => i = self.string_end(i + 1)? + 1,
                        b'{' | b'[' => {
                            depth += 1;
                            i += 1;
                        }
                        b'}' | b']' => {
                            depth -= 1;
                            i += 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => i += 1,
                    }
                }
                self.pos = i;
            }
            b't' | b'f' | b'n' | b'-' | b'0'..=b'9' => {
                let mut i = start;
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                {
                    i += 1;
                }
                let word = &self.s[start..i];
                let ok = match c {
                    b't' => word == "true",
                    b'f' => word == "false",
                    b'n' => word == "null",
                    _ => word
                        .bytes()
                        .all(|d| matches!(d, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')),
                };
                if !ok {
                    return Err(self.err("expected a value"));
                }
                self.pos = i;
            }
            _ => return Err(self.err("expected a value")),
        }
        Ok(&self.s[start..self.pos])
    }

    /// Walks the members of an object, calling `f` with each key (raw, escapes left in);
    /// `f` must consume the value. A value that is not an object is skipped and gives
    /// `Ok(false)`.
    pub fn object(&mut self, mut f: impl FnMut(&mut Self, &'a str) -> Result<()>) -> Result<bool> {
        if self.peek() != Some(b'{') {
            self.value()?;
            return Ok(false);
        }
        self.pos += 1;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(true);
        }
        loop {
            let (key, _) = self.raw_string()?;
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':'"));
            }
            self.pos += 1;
            f(self, key)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(true);
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    /// Walks the elements of an array, calling `f` for each (which must consume it).
    /// A value that is not an array is skipped and gives `Ok(false)`.
    pub fn array(&mut self, mut f: impl FnMut(&mut Self) -> Result<()>) -> Result<bool> {
        if self.peek() != Some(b'[') {
            self.value()?;
            return Ok(false);
        }
        self.pos += 1;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(true);
        }
        loop {
            f(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(true);
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    /// A string value, unescaped only when it holds escapes; `None` for other types.
    pub fn string(&mut self) -> Result<Option<Cow<'a, str>>> {
        if self.peek() != Some(b'"') {
            self.value()?;
            return Ok(None);
        }
        let start = self.pos;
        let (body, escaped) = self.raw_string()?;
        if !escaped {
            return Ok(Some(Cow::Borrowed(body)));
        }
        match unescape(&self.s[start..self.pos]) {
            Some(s) => Ok(Some(Cow::Owned(s))),
            None => Err(Error {
                what: "invalid escape in a string",
                at: start,
                eof: false,
            }),
        }
    }

    /// A boolean value; `None` for other types.
    pub fn boolean(&mut self) -> Result<Option<bool>> {
        Ok(match self.value()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }

    /// Fails unless only whitespace is left.
    pub fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.err("trailing characters")),
        }
    }
}

/// Decodes a JSON string literal (quotes included); None when an escape is invalid.
pub fn unescape(quoted: &str) -> Option<String> {
    serde_json::from_str::<String>(quoted).ok()
}

/// Bytes looked at per step by [`string_end`].
const BLOCK: usize = 64;

/// The index of the quote that closes the string whose body starts at `from` (the first
/// `"` not escaped by an odd run of backslashes), and whether a backslash comes before it
/// (so that the body needs decoding).
///
/// Real tool output holds a quote or a backslash every 15 to 30 bytes (escaped quotes of
/// code and JSON, `\n`, `\t`), so stopping at each one, as a search for the next quote
/// does, costs more than the bytes between them. Instead each 64-byte block gives a mask
/// of its quotes and one of its backslashes (a few SSE2 instructions), and the escaped
/// bytes are worked out from the backslash mask with a few word operations (the method of
/// simdjson: Langdale and Lemire, "Parsing gigabytes of JSON per second", 2019), carrying
/// a run of backslashes over from one block to the next. A short string (a key, an id, a
/// time) takes one block.
fn string_end(b: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut at = from;
    // Most strings are keys, ids and times: their first 16 bytes settle them.
    if let Some(head) = b.get(from..).and_then(|r| r.first_chunk::<16>()) {
        let (q, s) = masks16(head);
        // The bits before the first quote (all of them when there is none).
        let before = if q == 0 {
            u32::MAX
        } else {
            (q & q.wrapping_neg()) - 1
        };
        if s & before == 0 {
            if q != 0 {
                return Some((from + q.trailing_zeros() as usize, false));
            }
            at += 16;
        }
    }
    // 1 when the first byte of the next block is escaped.
    let mut carry = 0u64;
    let mut escapes = false;
    loop {
        let rest = b.get(at..)?;
        let (quotes, slashes, len) = match rest.first_chunk::<BLOCK>() {
            Some(block) => {
                let (q, s) = masks(block);
                (q, s, BLOCK)
            }
            None => {
                // The tail, padded with zeros (neither a quote nor a backslash).
                let mut block = [0u8; BLOCK];
                block[..rest.len()].copy_from_slice(rest);
                let (q, s) = masks(&block);
                (q, s, rest.len())
            }
        };
        // Without a branch: in tool output about every other block holds a backslash,
        // which a branch would guess wrong half the time.
        let quotes = quotes & !escaped(slashes, &mut carry);
        if quotes != 0 {
            let end = quotes.trailing_zeros();
            escapes |= slashes & ((1u64 << end) - 1) != 0;
            return Some((at + end as usize, escapes));
        }
        escapes |= slashes != 0;
        if len < BLOCK {
            return None;
        }
        at += BLOCK;
    }
}

/// The bytes of a block escaped by a backslash, given the block's backslashes and whether
/// its first byte is escaped (`carry`, updated for the next block). A run of backslashes
/// escapes the byte after it when the run is odd: runs are told apart by the parity of
/// the bit they start on, found with one addition.
fn escaped(slashes: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    // An escaped backslash starts nothing.
    let slashes = slashes & !*carry;
    let follows = (slashes << 1) | *carry;
    let odd_starts = slashes & !EVEN & !follows;
    let (even_ends, overflow) = odd_starts.overflowing_add(slashes);
    *carry = u64::from(overflow);
    (EVEN ^ (even_ends << 1)) & follows
}

/// Masks of the `"` and `\` bytes of 16 bytes (bit i for byte i).
#[cfg(target_arch = "x86_64")]
fn masks16(bytes: &[u8; 16]) -> (u32, u32) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of every x86_64 target, so its intrinsics can always run; the
    // load reads the 16 bytes of `bytes`, and has no alignment requirement.
    unsafe {
        let v = _mm_loadu_si128(bytes.as_ptr().cast::<__m128i>());
        let q = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8)));
        let s = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8)));
        (q as u32, s as u32)
    }
}

/// Masks of the `"` and `\` bytes of 16 bytes (bit i for byte i).
#[cfg(not(target_arch = "x86_64"))]
fn masks16(bytes: &[u8; 16]) -> (u32, u32) {
    let (mut q, mut s) = (0u32, 0u32);
    for (i, &c) in bytes.iter().enumerate() {
        q |= u32::from(c == b'"') << i;
        s |= u32::from(c == b'\\') << i;
    }
    (q, s)
}

/// Masks of the `"` and `\` bytes of a block (bit i for byte i).
#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8; BLOCK]) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let (mut q, mut s) = (0u64, 0u64);
    // SAFETY: SSE2 is part of every x86_64 target, so its intrinsics can always run; each
    // load reads the 16 bytes of `lane`, and has no alignment requirement.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let slash = _mm_set1_epi8(b'\\' as i8);
        for (k, lane) in block.chunks_exact(16).enumerate() {
            let v = _mm_loadu_si128(lane.as_ptr().cast::<__m128i>());
            q |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) as u16) << (16 * k);
            s |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, slash)) as u16) << (16 * k);
        }
    }
    (q, s)
}

/// Masks of the `"` and `\` bytes of a block (bit i for byte i).
#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; BLOCK]) -> (u64, u64) {
    let (mut q, mut s) = (0u64, 0u64);
    for (i, &c) in block.iter().enumerate() {
        q |= u64::from(c == b'"') << i;
        s |= u64::from(c == b'\\') << i;
    }
    (q, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_ends_agree_with_a_byte_loop() {
        // Strings of quotes, backslashes and letters, whose runs of backslashes cross the
        // 64-byte blocks at every offset.
        let naive = |b: &[u8], from: usize| {
            let mut i = from;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'"' => return Some(i),
                    _ => i += 1,
                }
            }
            None
        };
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for len in [0, 1, 2, 63, 64, 65, 127, 128, 129, 200, 300] {
            for _ in 0..300 {
                let t: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        match seed % 16 {
                            0 => b'"',
                            1..=6 => b'\\',
                            _ => b'x',
                        }
                    })
                    .collect();
                for from in [0, 1, 5, 63, 64, 65] {
                    if from <= t.len() {
                        let want = naive(&t, from).map(|end| (end, t[from..end].contains(&b'\\')));
                        assert_eq!(string_end(&t, from), want, "{t:?} {from}");
                    }
                }
            }
        }
    }

    fn skip(s: &str) -> Result<&str> {
        Cursor::new(s).value()
    }

    #[test]
    fn values_end_where_json_says() {
        let cases: &[(&str, &str)] = &[
            (r#""abc" tail"#, r#""abc""#),
            (r#""a\"b" x"#, r#""a\"b""#),
            (r#""a\\" x"#, r#""a\\""#),
            (r#""a\\\"" x"#, r#""a\\\"""#),
            (r#""\\\\" x"#, r#""\\\\""#),
            (
                r#"{"a":[1,{"b":"}]"}],"c":null} x"#,
                r#"{"a":[1,{"b":"}]"}],"c":null}"#,
            ),
            ("[] x", "[]"),
            ("-12.5e3, x", "-12.5e3"),
            ("true}", "true"),
            ("null]", "null"),
        ];
        for (input, want) in cases {
            assert_eq!(skip(input).unwrap(), *want, "{input}");
        }
    }

    #[test]
    fn broken_structure_is_an_error() {
        for bad in [r#""abc"#, r#"{"a":"b""#, "[1,2", "nope", "tru", r#""a\""#] {
            assert!(skip(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_are_borrowed_unless_escaped() {
        let mut c = Cursor::new(r#""plain""#);
        assert!(matches!(c.string().unwrap(), Some(Cow::Borrowed("plain"))));
        let mut c = Cursor::new(r#""a\nb\u00e9""#);
        assert_eq!(c.string().unwrap().as_deref(), Some("a\nbé"));
        let mut c = Cursor::new("42");
        assert_eq!(c.string().unwrap(), None);
    }
}
