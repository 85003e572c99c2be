//! Time stamps (ISO 8601 from milliseconds, civil dates) and identifiers (UUIDs, message
//! and request ids, hex).

use crate::rng::{Rng, mix};

pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) fn iso(ms: u64) -> String {
    let secs = ms / 1000;
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let r = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        r / 3600,
        r % 3600 / 60,
        r % 60,
        ms % 1000
    )
}

pub(crate) fn ms_of(y: i64, m: u32, d: u32) -> u64 {
    days_from_civil(y, m, d) as u64 * 86_400_000
}

pub(crate) const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
pub(crate) const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn b58_of(mut n: u64, len: usize, out: &mut String) {
    for _ in 0..len {
        out.push(B58[(n % 58) as usize] as char);
        n /= 58;
    }
}

pub(crate) fn rand_chars(r: &mut Rng, alphabet: &[u8], len: usize, out: &mut String) {
    for _ in 0..len {
        out.push(alphabet[r.below(alphabet.len() as u64) as usize] as char);
    }
}

pub(crate) fn uuid4(r: &mut Rng) -> String {
    let a = r.next();
    let b = r.next();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

pub(crate) fn hex(r: &mut Rng, len: usize) -> String {
    let mut s = String::with_capacity(len);
    rand_chars(r, b"0123456789abcdef", len, &mut s);
    s
}

/// Corpus-wide counter for ids that must never collide (tool_use ids,
/// message ids): eleven base58 digits of a bijective mix of the counter.
pub(crate) struct Ids {
    pub(crate) ctr: u64,
}

impl Ids {
    pub(crate) fn unique(&mut self, prefix: &str, r: &mut Rng, tail: usize) -> String {
        self.ctr += 1;
        let mut s = String::with_capacity(prefix.len() + 11 + tail);
        s.push_str(prefix);
        b58_of(mix(self.ctr ^ 0xA5A5_A5A5), 11, &mut s);
        rand_chars(r, B58, tail, &mut s);
        s
    }
}
