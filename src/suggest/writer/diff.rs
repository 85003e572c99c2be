//! A unified diff of a settings file before and after the rules are added.

/// Lines of a text, each with its newline (the last may lack one).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A unified diff with one hunk: the common leading and trailing lines are trimmed and the
/// rest shown as removed then added, with three lines of context. Exact for the single
/// insertion point a plan has.
pub fn unified_diff(old_label: &str, new_label: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a = lines(old);
    let b = lines(new);
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf]
    {
        suf += 1;
    }
    const CONTEXT: usize = 3;
    let ctx_before = pre.min(CONTEXT);
    let ctx_after = suf.min(CONTEXT);
    let a_start = pre - ctx_before;
    let a_end = a.len() - suf + ctx_after;
    let b_start = pre - ctx_before;
    let b_end = b.len() - suf + ctx_after;
    let range = |start: usize, end: usize| {
        let len = end - start;
        let first = if len == 0 { start } else { start + 1 };
        format!("{first},{len}")
    };
    let mut out = format!(
        "--- {old_label}\n+++ {new_label}\n@@ -{} +{} @@\n",
        range(a_start, a_end),
        range(b_start, b_end)
    );
    let mut push = |sign: char, line: &str| {
        out.push(sign);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for l in &a[a_start..pre] {
        push(' ', l);
    }
    for l in &a[pre..a.len() - suf] {
        push('-', l);
    }
    for l in &b[pre..b.len() - suf] {
        push('+', l);
    }
    for l in &a[a.len() - suf..a_end] {
        push(' ', l);
    }
    out
}
