//! How a `Bash(...)` specifier reads as "literal words, then a wildcard". (A command word
//! is read by the tables as `facts::runners::program_forms` says: basename, version dropped.)

use crate::permissions::shell::{fold_whitespace, split_words};

/// Where a wildcard sits in a Bash rule specifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    /// No `*`: an exact rule.
    None,
    /// The first `*` follows a space (`git log *`, `git * main`): commands start with the
    /// literal words, then anything.
    AfterWord,
    /// The first `*` is glued to the last literal word (`python*`): that word may continue.
    Glued,
}

/// A Bash specifier seen as "literal words, then a wildcard".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecShape {
    /// Unquoted words before the first `*` (the last one partial when [`Wildcard::Glued`]).
    pub words: Vec<String>,
    /// Where the first `*` is.
    pub wildcard: Wildcard,
}

/// The shape of a `Bash(...)` specifier: legacy `:*` at the very end counts as ` *`.
pub fn spec_shape(spec: &str) -> SpecShape {
    let folded = fold_whitespace(spec);
    let spec = match folded.strip_suffix(":*") {
        Some(head) if !head.contains(":*") => format!("{head} *"),
        _ => folded,
    };
    let (literal, wildcard) = match find_star(&spec) {
        None => (spec.as_str(), Wildcard::None),
        Some(i) => {
            let lit = &spec[..i];
            let w = if lit.is_empty() || lit.ends_with(' ') {
                Wildcard::AfterWord
            } else {
                Wildcard::Glued
            };
            (lit, w)
        }
    };
    SpecShape {
        words: split_words(literal).iter().map(|w| unquote(w)).collect(),
        wildcard,
    }
}

/// Index of the first unescaped `*`.
fn find_star(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'*' && (i == 0 || b[i - 1] != b'\\'))
}

/// A word with one level of surrounding quotes removed (display/table lookups only).
pub fn unquote(w: &str) -> String {
    let t = w.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.replace(['\'', '"'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_shapes() {
        #[rustfmt::skip]
        let cases: &[(&str, &[&str], Wildcard)] = &[
            ("git log *", &["git", "log"], Wildcard::AfterWord),
            ("git log:*", &["git", "log"], Wildcard::AfterWord),
            ("python*", &["python"], Wildcard::Glued),
            ("* --version", &[], Wildcard::AfterWord),
            ("git status", &["git", "status"], Wildcard::None),
            ("git * main", &["git"], Wildcard::AfterWord),
            ("git:* push", &["git:"], Wildcard::Glued),
        ];
        for (spec, words, wc) in cases {
            let s = spec_shape(spec);
            assert_eq!(
                s.words,
                words.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
                "{spec}"
            );
            assert_eq!(s.wildcard, *wc, "{spec}");
        }
    }
}
