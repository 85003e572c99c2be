//! The `sed` validator: its options, and a parser of sed scripts that accepts a script only
//! when no command in it writes a file or runs a command.

use super::args::long_is;

/// `sed` without in-place editing, script files, or script commands that write files or run
/// commands (`w`, `W`, `e`, and the `w`/`e` flags of `s`).
pub(super) fn sed_ok(args: &[String]) -> bool {
    let mut scripts: Vec<String> = Vec::new();
    let mut first_positional: Option<&str> = None;
    let mut only_positional = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        if only_positional || a == "-" || !a.starts_with('-') {
            first_positional.get_or_insert(a);
            continue;
        }
        if a == "--" {
            only_positional = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            if long_is(name, "in-place") || long_is(name, "file") {
                return false;
            }
            if long_is(name, "expression") || long_is(name, "line-length") {
                let value = match value {
                    Some(v) => v.to_string(),
                    None => {
                        let Some(v) = args.get(i) else {
                            return false;
                        };
                        i += 1;
                        v.clone()
                    }
                };
                if long_is(name, "expression") {
                    scripts.push(value);
                }
                continue;
            }
            const HARMLESS: &[&str] = &[
                "quiet",
                "silent",
                "regexp-extended",
                "separate",
                "unbuffered",
                "null-data",
                "zero-terminated",
                "posix",
                "debug",
                "sandbox",
                "binary",
                "follow-symlinks",
                "help",
                "version",
            ];
            if HARMLESS.iter().any(|o| long_is(name, o)) {
                continue;
            }
            return false;
        }
        let cluster: Vec<char> = a[1..].chars().collect();
        for (j, &c) in cluster.iter().enumerate() {
            match c {
                'n' | 'E' | 'r' | 's' | 'u' | 'z' | 'b' => {}
                'e' | 'l' => {
                    let rest: String = cluster[j + 1..].iter().collect();
                    let value = if rest.is_empty() {
                        let Some(v) = args.get(i) else {
                            return false;
                        };
                        i += 1;
                        v.clone()
                    } else {
                        rest
                    };
                    if c == 'e' {
                        scripts.push(value);
                    }
                    break;
                }
                _ => return false, // -i (in place), -f (script file), unknown
            }
        }
    }
    if scripts.is_empty() {
        match first_positional {
            Some(script) => scripts.push(script.to_string()),
            None => return false,
        }
    }
    scripts.iter().all(|s| sed_script_ok(s))
}

/// Parses a sed script and accepts it only if no command writes a file or runs a command.
/// Anything it does not understand is rejected.
pub fn sed_script_ok(script: &str) -> bool {
    let c: Vec<char> = script.chars().collect();
    let n = c.len();
    let skip_blanks = |i: &mut usize| {
        while *i < n && (c[*i] == ' ' || c[*i] == '\t') {
            *i += 1;
        }
    };
    let mut i = 0;
    loop {
        while i < n && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= n {
            return true;
        }
        let Some(j) = sed_address(&c, i, false) else {
            return false;
        };
        i = j;
        skip_blanks(&mut i);
        if i < n && c[i] == ',' {
            i += 1;
            skip_blanks(&mut i);
            match sed_address(&c, i, true) {
                Some(j) if j > i => i = j,
                _ => return false,
            }
            skip_blanks(&mut i);
        }
        while i < n && c[i] == '!' {
            i += 1;
            skip_blanks(&mut i);
        }
        let Some(&command) = c.get(i) else {
            return false;
        };
        i += 1;
        match command {
            '{' | '}' | '=' | 'd' | 'D' | 'g' | 'G' | 'h' | 'H' | 'n' | 'N' | 'p' | 'P' | 'x'
            | 'z' | 'F' => {}
            'l' | 'L' | 'q' | 'Q' => {
                skip_blanks(&mut i);
                while i < n && c[i].is_ascii_digit() {
                    i += 1;
                }
            }
            'b' | 't' | 'T' | ':' | 'v' => {
                while i < n && c[i] != ';' && c[i] != '\n' {
                    i += 1;
                }
            }
            '#' => {
                while i < n && c[i] != '\n' {
                    i += 1;
                }
            }
            // Text to print, or a file to read: runs to the end of the line.
            'a' | 'i' | 'c' | 'r' | 'R' => {
                while i < n && c[i] != '\n' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
            }
            's' | 'y' => {
                let Some(&delim) = c.get(i) else {
                    return false;
                };
                if delim == '\\' || delim == '\n' {
                    return false;
                }
                let Some(j) = sed_delimited(&c, i + 1, delim) else {
                    return false;
                };
                let Some(j) = sed_delimited(&c, j, delim) else {
                    return false;
                };
                i = j;
                if command == 's' {
                    while i < n && !matches!(c[i], ';' | '\n' | '}' | ' ' | '\t' | '#') {
                        if !matches!(c[i], 'g' | 'p' | 'i' | 'I' | 'm' | 'M' | '0'..='9') {
                            return false; // `w FILE`, `e` and unknown flags
                        }
                        i += 1;
                    }
                }
            }
            _ => return false, // `w`, `W`, `e` and unknown commands
        }
        skip_blanks(&mut i);
        if i < n && !matches!(c[i], ';' | '\n' | '}' | '#') {
            return false;
        }
    }
}

/// Skips a sed address at `i` (none is fine); `None` if it is malformed.
fn sed_address(c: &[char], i: usize, second: bool) -> Option<usize> {
    let n = c.len();
    let digits = |mut j: usize| {
        while j < n && c[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let flags = |mut j: usize| {
        while j < n && matches!(c[j], 'I' | 'M') {
            j += 1;
        }
        j
    };
    match c.get(i) {
        Some(d) if d.is_ascii_digit() => {
            let j = digits(i);
            if c.get(j) == Some(&'~') {
                Some(digits(j + 1))
            } else {
                Some(j)
            }
        }
        Some('+') | Some('~') if second => Some(digits(i + 1)),
        Some('$') => Some(i + 1),
        Some('/') => sed_delimited(c, i + 1, '/').map(flags),
        Some('\\') => {
            let delim = *c.get(i + 1)?;
            sed_delimited(c, i + 2, delim).map(flags)
        }
        _ => Some(i),
    }
}

/// Index after the next unescaped `delim` from `i`.
fn sed_delimited(c: &[char], mut i: usize, delim: char) -> Option<usize> {
    while i < c.len() {
        if c[i] == '\\' {
            i += 2;
            continue;
        }
        if c[i] == delim {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}
