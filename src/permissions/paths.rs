//! Gitignore-style path patterns of `Read(...)` and `Edit(...)` rules, with Claude Code's
//! four anchors, and the lexical path helpers the engine uses.
//!
//! Anchors: `//abs` is absolute; `~/x` is under the home folder; `/x` is under the rule's
//! *source root* (project settings → the folder holding `.claude/`, local settings → the
//! session's starting folder, user settings → the config dir, `--settings FILE` → that
//! file's folder); anything else (also `./x`, whose `./` is dropped) is relative to the
//! call's working folder.
//!
//! Inside the anchor the usual gitignore rules apply: `*` and `?` stay within one path
//! segment, `[...]` is a character class, `**` spans folders, and a pattern without a slash
//! (other than a trailing one) matches at any depth: `Read(.env)` == `Read(**/.env)`. The
//! explicit anchors keep their leading slash, so `~/.zshrc` means only `<home>/.zshrc`.
//! A pattern that matches a folder also matches everything inside it, as gitignore does.
//!
//! One documented asymmetry (Claude Code 2.1.214): a single-segment folder pattern like
//! `src/**` matches only `<cwd>/src/**` in an allow rule, but a `src` folder at any depth in
//! a deny or ask rule.
//!
//! Not modelled (undocumented or unknowable from a transcript): symlinks (Claude Code checks
//! both link and target; files may no longer exist), Windows drive paths, and the
//! trailing-slash "folders only" marker (a trailing `/` is ignored, so `build/` also matches
//! a file named `build`).

use super::bash_rule::RuleKind;
use std::path::{Component, Path, PathBuf};

/// The folders a path pattern's anchors refer to.
#[derive(Debug, Clone, Copy)]
pub struct Anchors<'a> {
    /// What `/x` means for this rule's settings source.
    pub source_root: &'a Path,
    /// The call's working folder (plain relative patterns).
    pub cwd: &'a Path,
    /// The home folder (`~/x`).
    pub home: &'a Path,
}

/// Lexically normalises a path: drops `.`, resolves `..` (never above the root).
pub fn normalize(path: &Path) -> PathBuf {
    // Most paths in transcripts are already absolute and clean.
    if path.to_str().is_some_and(is_clean_absolute) {
        return path.to_path_buf();
    }
    normalize_components(path)
}

/// [`normalize`] component by component.
fn normalize_components(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Is `p` an absolute path with no empty, `.` or `..` component and no trailing `/` (other
/// than `/` itself), so that resolving it changes nothing?
pub(crate) fn is_clean_absolute(p: &str) -> bool {
    let Some(rest) = p.strip_prefix('/') else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    // One pass over the bytes: each component's length and how many of its bytes are dots.
    let bad = |len: usize, dots: usize| len == 0 || (len == dots && len <= 2);
    let (mut len, mut dots) = (0, 0);
    for c in rest.bytes() {
        if c == b'/' {
            if bad(len, dots) {
                return false;
            }
            (len, dots) = (0, 0);
        } else {
            len += 1;
            dots += usize::from(c == b'.');
        }
    }
    !bad(len, dots)
}

/// Resolves a path from a tool call: `~` / `~/x` under `home`, relative paths against
/// `cwd`, then [`normalize`]. `$HOME/` and `${HOME}/` prefixes are read as `~/`.
pub fn resolve(raw: &str, cwd: &Path, home: &Path) -> PathBuf {
    let raw = raw.trim();
    let tilde = raw
        .strip_prefix("$HOME")
        .or_else(|| raw.strip_prefix("${HOME}"))
        .or_else(|| raw.strip_prefix('~'));
    let joined = match tilde {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => cwd.join(raw),
    };
    // As `normalize`, keeping the joined buffer when it is already clean.
    if joined.to_str().is_some_and(is_clean_absolute) {
        return joined;
    }
    normalize_components(&joined)
}

/// Is `path` equal to `dir` or inside it (both already normalised)?
pub fn is_within(path: &Path, dir: &Path) -> bool {
    path.starts_with(dir)
}

/// Does a `Read(...)` / `Edit(...)` path pattern of a rule of `kind` match `path`
/// (absolute, normalised)?
pub fn pattern_matches(pattern: &str, kind: RuleKind, anchors: &Anchors<'_>, path: &Path) -> bool {
    let (base, rel, explicit) = split_anchor(pattern, anchors);
    let base = normalize(&base);
    let Ok(inside) = path.strip_prefix(&base) else {
        return false;
    };
    let rel = rel.trim_end_matches('/');
    let mut segs: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    if segs.is_empty() {
        // `~/` or `//`: the anchor folder and everything in it.
        return true;
    }
    let floating = if explicit {
        false
    } else if rel.contains('/') {
        // Single-segment folder pattern `src/**`: anchored for allow, any depth otherwise.
        kind != RuleKind::Allow
            && segs.len() == 2
            && segs.get(1) == Some(&"**")
            && segs.first().is_some_and(|s| !s.contains("**"))
    } else {
        true
    };
    if floating && segs.first() != Some(&"**") {
        segs.insert(0, "**");
    }
    let target: Vec<&str> = inside
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    // A pattern matching a folder also matches what is inside it.
    (1..=target.len()).any(|n| target.get(..n).is_some_and(|t| match_segments(&segs, t)))
}

/// Splits the anchor off a pattern: (base folder, pattern below it, explicitly anchored).
fn split_anchor(pattern: &str, a: &Anchors<'_>) -> (PathBuf, String, bool) {
    if let Some(rest) = pattern.strip_prefix("//") {
        return (PathBuf::from("/"), rest.to_string(), true);
    }
    if pattern == "~" {
        return (a.home.to_path_buf(), String::new(), true);
    }
    if let Some(rest) = pattern.strip_prefix("~/") {
        return (a.home.to_path_buf(), rest.to_string(), true);
    }
    if let Some(rest) = pattern.strip_prefix('/') {
        return (a.source_root.to_path_buf(), rest.to_string(), true);
    }
    let mut rest = pattern;
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    // Leading `../` segments move the base up and anchor the rest there.
    let mut base = a.cwd.to_path_buf();
    let mut moved = false;
    while let Some(r) = rest.strip_prefix("../") {
        base.push("..");
        rest = r;
        moved = true;
    }
    (base, rest.to_string(), moved)
}

/// Matches pattern segments against path segments; `**` spans zero or more segments, a
/// trailing `**` one or more (gitignore: `dir/**` is what is inside `dir`).
fn match_segments(pat: &[&str], path: &[&str]) -> bool {
    let (np, nt) = (pat.len(), path.len());
    // memo[i][j]: pat[i..] matches path[j..]
    let mut memo = vec![vec![None::<bool>; nt + 1]; np + 1];
    fn go(
        pat: &[&str],
        path: &[&str],
        i: usize,
        j: usize,
        memo: &mut Vec<Vec<Option<bool>>>,
    ) -> bool {
        if let Some(Some(v)) = memo.get(i).and_then(|r| r.get(j)) {
            return *v;
        }
        let v = match pat.get(i) {
            None => j == path.len(),
            Some(&"**") => {
                let last = i + 1 == pat.len();
                let start = if last { j + 1 } else { j };
                (start..=path.len()).any(|k| go(pat, path, i + 1, k, memo))
            }
            Some(p) => match path.get(j) {
                Some(t) => segment_matches(p, t) && go(pat, path, i + 1, j + 1, memo),
                None => false,
            },
        };
        if let Some(slot) = memo.get_mut(i).and_then(|r| r.get_mut(j)) {
            *slot = Some(v);
        }
        v
    }
    go(pat, path, 0, 0, &mut memo)
}

/// One path segment against one glob segment: `*`, `?`, `[...]` (`!`/`^` negate, ranges),
/// `\x` literal.
pub fn segment_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // dp over (pi, ti) with memo; patterns are short.
    let mut memo = vec![vec![None::<bool>; t.len() + 1]; p.len() + 1];
    fn go(p: &[char], t: &[char], i: usize, j: usize, memo: &mut Vec<Vec<Option<bool>>>) -> bool {
        if let Some(Some(v)) = memo.get(i).and_then(|r| r.get(j)) {
            return *v;
        }
        let v = match p.get(i) {
            None => j == t.len(),
            Some('*') => (j..=t.len()).any(|k| go(p, t, i + 1, k, memo)),
            Some('?') => j < t.len() && go(p, t, i + 1, j + 1, memo),
            Some('[') => match (class_end(p, i), t.get(j)) {
                (Some(end), Some(c)) => {
                    class_matches(p.get(i + 1..end).unwrap_or(&[]), *c)
                        && go(p, t, end + 1, j + 1, memo)
                }
                (None, Some(c)) => *c == '[' && go(p, t, i + 1, j + 1, memo),
                _ => false,
            },
            Some('\\') => match (p.get(i + 1), t.get(j)) {
                (Some(lit), Some(c)) => lit == c && go(p, t, i + 2, j + 1, memo),
                (None, Some(c)) => *c == '\\' && go(p, t, i + 1, j + 1, memo),
                _ => false,
            },
            Some(lit) => t.get(j) == Some(lit) && go(p, t, i + 1, j + 1, memo),
        };
        if let Some(slot) = memo.get_mut(i).and_then(|r| r.get_mut(j)) {
            *slot = Some(v);
        }
        v
    }
    go(&p, &t, 0, 0, &mut memo)
}

fn class_end(p: &[char], open: usize) -> Option<usize> {
    let mut k = open + 1;
    if matches!(p.get(k), Some('!' | '^')) {
        k += 1;
    }
    if p.get(k) == Some(&']') {
        k += 1;
    }
    while let Some(c) = p.get(k) {
        if *c == ']' {
            return Some(k);
        }
        k += 1;
    }
    None
}

fn class_matches(class: &[char], c: char) -> bool {
    let (neg, body) = match class.first() {
        Some('!' | '^') => (true, class.get(1..).unwrap_or(&[])),
        _ => (false, class),
    };
    let mut hit = false;
    let mut k = 0;
    while let Some(&a) = body.get(k) {
        if body.get(k + 1) == Some(&'-') && body.get(k + 2).is_some() {
            let b = body.get(k + 2).copied().unwrap_or(a);
            hit |= a <= c && c <= b;
            k += 3;
        } else {
            hit |= a == c;
            k += 1;
        }
    }
    hit != neg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths_are_left_as_they_are() {
        let paths = [
            "/", "/a", "/a/b.rs", "/a/b/", "/a//b", "/a/./b", "/a/../b", "/..", "//", "/a/b/.",
            "a/b", "", "/a b/c", "/a/.../b", "/.a/b.", "/a/..b",
        ];
        let mut clean = 0;
        for p in paths {
            clean += usize::from(is_clean_absolute(p));
            assert_eq!(
                normalize(Path::new(p)),
                normalize_components(Path::new(p)),
                "{p:?}"
            );
        }
        assert_eq!(clean, 7);
    }

    #[test]
    fn segments() {
        let cases: &[(&str, &str, bool)] = &[
            ("*.ts", "a.ts", true),
            ("*.ts", "a.tsx", false),
            ("?.rs", "a.rs", true),
            ("[ab].rs", "b.rs", true),
            ("[!ab].rs", "b.rs", false),
            ("[a-c]x", "bx", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            (".env*", ".env.local", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(segment_matches(p, t), *want, "{p} vs {t}");
        }
    }

    #[test]
    fn patterns() {
        let anchors = Anchors {
            source_root: Path::new("/proj"),
            cwd: Path::new("/proj"),
            home: Path::new("/home/u"),
        };
        use RuleKind::{Allow, Deny};
        let cases: &[(&str, RuleKind, &str, bool)] = &[
            ("//etc/hosts", Allow, "/etc/hosts", true),
            ("//etc/hosts", Allow, "/proj/etc/hosts", false),
            ("~/.zshrc", Allow, "/home/u/.zshrc", true),
            ("~/.zshrc", Allow, "/home/u/x/.zshrc", false),
            ("/src/**", Allow, "/proj/src/a/b.rs", true),
            ("/src/**", Deny, "/proj/x/src/a.rs", false),
            ("/src/**", Allow, "/proj/src", false),
            (".env", Deny, "/proj/.env", true),
            (".env", Deny, "/proj/a/b/.env", true),
            ("./.env", Deny, "/proj/a/.env", true),
            (".env", Deny, "/other/.env", false),
            ("**/.env", Deny, "/proj/a/.env", true),
            ("src/**", Allow, "/proj/src/a.rs", true),
            ("src/**", Allow, "/proj/pkg/src/a.rs", false),
            ("src/**", Deny, "/proj/pkg/src/a.rs", true),
            (
                "src/components/**",
                Deny,
                "/proj/pkg/src/components/a.tsx",
                false,
            ),
            (
                "src/components/**",
                Deny,
                "/proj/src/components/a.tsx",
                true,
            ),
            ("**/src/**", Allow, "/proj/pkg/src/a.rs", true),
            ("*.ts", Allow, "/proj/a/b/c.ts", true),
            ("src/*.ts", Allow, "/proj/src/x/c.ts", false),
            ("secrets", Deny, "/proj/a/secrets/key.pem", true),
            ("../shared/**", Allow, "/shared/x", true),
            ("//**/.env", Deny, "/anywhere/deep/.env", true),
        ];
        for (p, kind, path, want) in cases {
            assert_eq!(
                pattern_matches(p, *kind, &anchors, Path::new(path)),
                *want,
                "{p} ({kind:?}) vs {path}"
            );
        }
    }

    #[test]
    fn resolving() {
        let cwd = Path::new("/proj/sub");
        let home = Path::new("/home/u");
        assert_eq!(
            resolve("a/../b/./c", cwd, home),
            PathBuf::from("/proj/sub/b/c")
        );
        assert_eq!(resolve("~/x", cwd, home), PathBuf::from("/home/u/x"));
        assert_eq!(resolve("$HOME/x", cwd, home), PathBuf::from("/home/u/x"));
        assert_eq!(resolve("/a/../../b", cwd, home), PathBuf::from("/b"));
        assert_eq!(resolve("../x", cwd, home), PathBuf::from("/proj/x"));
    }
}
