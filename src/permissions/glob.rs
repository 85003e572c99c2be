//! The `*`-only glob of the small tables: tool-name globs, parameter values, WebFetch domain
//! labels and protected file names.

/// `*`-only glob over a whole string (tool names, parameter values, domain labels, protected
/// file names). Linear backtracking, so long inputs cannot blow up. Works on
/// bytes: `*` is ASCII and a UTF-8 literal only matches at character boundaries, so the
/// result is the same as over characters, without allocating.
pub fn simple_glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
            (".yarnrc*", ".yarnrc.yml", true),
            ("lefthook.y*ml", "lefthook.yaml", true),
            ("x", "xx", false),
            ("é*", "éa", true),
            ("*ü", "aü", true),
            ("*ü", "a\u{fc}x", false),
            ("a*é", "ae\u{301}", false),
        ];
        for (p, t, want) in cases {
            assert_eq!(simple_glob(p, t), *want, "{p} vs {t}");
        }
        let long = "a".repeat(5000);
        assert!(!simple_glob("*a*a*a*a*a*a*a*b", &long));
    }
}
