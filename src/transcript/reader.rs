//! Streaming a file line by line through one reusable buffer.
//!
//! Transcripts pass 500 MB, so a file is never held whole: a fixed-size buffer is
//! refilled, newlines are found with `memchr`, and each complete line is handed out as a
//! slice of the buffer. The buffer grows only when a single line is longer than it, so
//! memory is bounded by the buffer size plus the longest line.

use std::io::{self, Read};

/// Initial buffer size; large enough that refills are rare, small enough per thread.
pub const CHUNK: usize = 1 << 20;

/// One line handed to the callback.
pub struct LineRef<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The bytes of the line, without the newline (and without a trailing `\r`).
    pub bytes: &'a [u8],
    /// True for a last line that had no newline: possibly cut off while being written.
    pub unterminated: bool,
}

/// Totals of a pass over a file.
#[derive(Debug, Default, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct ReadStats {
    /// Lines seen (an unterminated last line counts).
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
}

/// Calls `f` for every line of `r`, in order. I/O errors end the pass and are returned;
/// the lines handed out before the error stay handed out.
pub fn for_each_line<R: Read>(r: R, f: impl FnMut(LineRef<'_>)) -> io::Result<ReadStats> {
    let mut buf = Vec::new();
    for_each_line_in(&mut buf, r, f)
}

/// [`for_each_line`] with a caller's buffer, so that reading many files reuses one
/// allocation per thread instead of allocating (and zeroing) a chunk per file.
pub fn for_each_line_in<R: Read>(
    buf: &mut Vec<u8>,
    mut r: R,
    mut f: impl FnMut(LineRef<'_>),
) -> io::Result<ReadStats> {
    if buf.len() < CHUNK {
        buf.resize(CHUNK, 0);
    }
    let mut start = 0usize; // first byte of the pending (incomplete) line
    let mut end = 0usize; // end of valid data
    let mut stats = ReadStats::default();
    loop {
        if end == buf.len() {
            if start > 0 {
                // Move the incomplete line to the front to make room.
                buf.copy_within(start..end, 0);
                end -= start;
                start = 0;
            } else {
                // A single line fills the buffer: grow it.
                buf.resize(buf.len() * 2, 0);
            }
        }
        let n = match r.read(&mut buf[end..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        stats.bytes += n as u64;
        let scan_from = end;
        end += n;
        let mut line_start = start;
        for nl in memchr::memchr_iter(b'\n', &buf[scan_from..end]) {
            let nl = scan_from + nl;
            stats.lines += 1;
            f(LineRef {
                number: stats.lines,
                bytes: trim_cr(&buf[line_start..nl]),
                unterminated: false,
            });
            line_start = nl + 1;
        }
        start = line_start;
        if start == end {
            start = 0;
            end = 0;
        }
    }
    if start < end {
        stats.lines += 1;
        f(LineRef {
            number: stats.lines,
            bytes: trim_cr(&buf[start..end]),
            unterminated: true,
        });
    }
    Ok(stats)
}

fn trim_cr(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r").unwrap_or(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(data: &[u8]) -> Vec<(u64, Vec<u8>, bool)> {
        let mut out = Vec::new();
        for_each_line(data, |l| {
            out.push((l.number, l.bytes.to_vec(), l.unterminated))
        })
        .unwrap();
        out
    }

    #[test]
    fn splits_lines_and_flags_an_unterminated_tail() {
        let got = lines_of(b"a\nbb\r\n\nccc");
        assert_eq!(
            got,
            vec![
                (1, b"a".to_vec(), false),
                (2, b"bb".to_vec(), false),
                (3, b"".to_vec(), false),
                (4, b"ccc".to_vec(), true)
            ]
        );
    }

    #[test]
    fn lines_longer_than_the_buffer_survive_intact() {
        let long = vec![b'x'; CHUNK * 2 + 17];
        let mut data = b"first\n".to_vec();
        data.extend_from_slice(&long);
        data.extend_from_slice(b"\nlast\n");
        let got = lines_of(&data);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].1.len(), long.len());
        assert_eq!(got[2].1, b"last");
    }

    #[test]
    fn small_reads_give_the_same_lines() {
        // A reader that hands out 3 bytes at a time exercises every refill path.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(3).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let data = b"one\ntwo\nthree\nfour";
        let mut a = Vec::new();
        for_each_line(Trickle(data), |l| a.push(l.bytes.to_vec())).unwrap();
        assert_eq!(
            a,
            lines_of(data).into_iter().map(|x| x.1).collect::<Vec<_>>()
        );
    }
}
