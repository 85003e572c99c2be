//! What approved invocations actually did: `cat`, `echo`, `printf` and `tee` only read or
//! print by themselves, but `cat > .env << 'EOF'` writes a file and `echo x | sh` feeds a
//! shell. A rule is judged by its uses: an invocation that wrote a file through a
//! redirection, or whose output went through a pipe into a command that is not read-only,
//! is no evidence for a read-only rule.

use super::shown;
use crate::permissions::shell::{self, SimpleCommand, fold_whitespace};
use crate::suggest::safety::ReadLevel;

/// Redirection targets that are no file.
const NOT_FILES: &[&str] = &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"];

/// The file a part writes through a redirection, if any.
fn written_file(p: &SimpleCommand) -> Option<&str> {
    p.redirects
        .iter()
        .map(|r| r.target.as_str())
        .find(|t| !NOT_FILES.contains(t))
}

/// What one use of the part `text` in `command` did besides reading, if anything: the file
/// it wrote, or the command its output was piped into. `level` rates a part's text.
pub(super) fn write_effect(
    command: &str,
    text: &str,
    level: &mut impl FnMut(&str) -> ReadLevel,
) -> Option<String> {
    let analysis = shell::analyze(command);
    let folded = fold_whitespace(command);
    let parts = &analysis.parts;
    for (j, p) in parts.iter().enumerate() {
        if p.text != text {
            continue;
        }
        if let Some(f) = written_file(p) {
            return Some(format!("wrote {} by redirection", shown(f)));
        }
        let Some(next) = parts.get(j + 1) else {
            continue;
        };
        if piped(&folded, &p.raw, &next.raw) {
            let writes = written_file(next).is_some() || !level(&next.text).read_only();
            if writes {
                return Some(format!("piped into '{}'", shown(&next.text)));
            }
        }
    }
    None
}

/// Does `first` reach `second` through a pipe (`|` or `|&`, not `||`) in `command`? Both
/// are whitespace-folded part texts as the splitter records them.
fn piped(command: &str, first: &str, second: &str) -> bool {
    let Some(at) = command.find(first) else {
        return false;
    };
    let rest = command[at + first.len()..].trim_start();
    let Some(after) = rest.strip_prefix('|') else {
        return false;
    };
    if after.starts_with('|') {
        return false;
    }
    after
        .trim_start_matches('&')
        .trim_start()
        .starts_with(second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::safety::invocation_level;

    #[test]
    fn writes_are_seen_through_redirections_and_pipes() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, bool)] = &[
            ("cat > .env << 'EOF'\nA=1\nEOF", "cat", true),
            ("cat >> x_test.go << 'EOF'\npackage x\nEOF\ngo test ./...", "cat", true),
            ("echo \"ENTIRE_LOCAL_DEV=1\" > .env && ls", "echo \"ENTIRE_LOCAL_DEV=1\"", true),
            ("echo hi | tee out.txt", "echo hi", true),
            ("echo 'rm -rf x' | sh", "echo 'rm -rf x'", true),
            ("printf 'a\\n' >> notes.md", "printf 'a\\n'", true),
            ("git log | cat", "cat", false),
            ("cat README.md | head -5", "cat README.md", false),
            ("echo done 2>/dev/null", "echo done", false),
            ("echo hi 2>&1 | grep h", "echo hi", false),
            ("false || echo fallback > /dev/stderr", "echo fallback", false),
            ("echo a || tee x", "echo a", false),
        ];
        let mut level = |t: &str| invocation_level(t);
        for (command, part, wrote) in cases {
            let got = write_effect(command, part, &mut level);
            assert_eq!(got.is_some(), *wrote, "{command:?}: {got:?}");
        }
    }
}
