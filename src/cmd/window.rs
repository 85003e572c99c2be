//! Which calls a command covers: the `--since`/`--until` time window and the `--project`
//! pattern. A window that cannot hold a call (`--since` not before `--until`) and a pattern
//! that matches no session are errors: an empty answer would look like an empty history.

use crate::event::ToolCall;

/// Which calls a command covers.
#[derive(Debug, Clone, Default)]
pub struct WindowOptions {
    /// Only calls made on or after this day (YYYY-MM-DD) or time (RFC 3339).
    pub since: Option<String>,
    /// Only calls made before this day (YYYY-MM-DD, exclusive) or time (RFC 3339).
    pub until: Option<String>,
    /// Only sessions whose working folder matches this pattern (`*` wildcards; a pattern
    /// without `*` matches anywhere in the path).
    pub project: Option<String>,
}

/// Parses `--since`/`--until`: a day (`YYYY-MM-DD`, midnight UTC) or an RFC 3339 time.
pub fn parse_when(s: &str) -> anyhow::Result<i64> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or(0));
    }
    crate::transcript::scan::parse_ms(s)
        .ok_or_else(|| anyhow::anyhow!("'{s}' is neither a day (YYYY-MM-DD) nor an RFC 3339 time"))
}

/// A `--project` pattern: `*` matches any run of characters; without `*` the pattern
/// matches anywhere in the path.
pub fn project_matches(pattern: &str, project: &str) -> bool {
    if !pattern.contains('*') {
        return project.contains(pattern);
    }
    let pieces: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !project.starts_with(first) || project.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &project[first.len()..];
    for p in &pieces[1..pieces.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The `--since`/`--until` bounds in ms, checked: each must parse, and `since` must come
/// before `until` (an empty window is a mistake, not a question).
pub fn bounds(w: &WindowOptions) -> anyhow::Result<(Option<i64>, Option<i64>)> {
    let since = w.since.as_deref().map(parse_when).transpose()?;
    let until = w.until.as_deref().map(parse_when).transpose()?;
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        anyhow::bail!(
            "--since {} is not before --until {}: no call can lie between them (--until is exclusive)",
            w.since.as_deref().unwrap_or(""),
            w.until.as_deref().unwrap_or("")
        );
    }
    Ok((since, until))
}

/// Is the call in the `--project` selection (every call when none is given)?
pub fn in_project(c: &ToolCall, w: &WindowOptions) -> bool {
    match &w.project {
        None => true,
        Some(p) => c
            .project
            .as_deref()
            .is_some_and(|proj| project_matches(p, proj)),
    }
}

/// Keeps the calls inside the `--since`/`--until`/`--project` window. Calls with no time
/// are kept only when no time bound is given.
pub fn apply_window(calls: Vec<ToolCall>, w: &WindowOptions) -> anyhow::Result<Vec<ToolCall>> {
    let (since, until) = bounds(w)?;
    Ok(calls
        .into_iter()
        .filter(|c| match (since, until, c.asked_ms) {
            (None, None, _) => true,
            (_, _, None) => false,
            (s, u, Some(t)) => s.is_none_or(|s| t >= s) && u.is_none_or(|u| t < u),
        })
        .filter(|c| in_project(c, w))
        .collect())
}

/// The error of a `--project` pattern that matched no session: the selection is empty
/// because of the pattern, not because the history is.
pub fn no_project_match(w: &WindowOptions) -> anyhow::Error {
    anyhow::anyhow!(
        "--project '{}' matches the working folder of no session read (a pattern without * \
         matches anywhere in the path; `permstat report` lists the projects)",
        w.project.as_deref().unwrap_or("")
    )
}

/// [`apply_window`] over every call at once, failing when `--project` matches none of them.
pub fn apply_window_checked(
    calls: Vec<ToolCall>,
    w: &WindowOptions,
) -> anyhow::Result<Vec<ToolCall>> {
    if w.project.is_some() && !calls.iter().any(|c| in_project(c, w)) {
        bounds(w)?;
        return Err(no_project_match(w));
    }
    apply_window(calls, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_project_patterns() {
        assert_eq!(parse_when("2026-01-02").unwrap(), 1_767_312_000_000);
        assert!(parse_when("yesterday").is_err());
        assert!(project_matches("my-app", "/home/a/my-app/sub"));
        assert!(project_matches("*/my-app", "/home/a/my-app"));
        assert!(!project_matches("*/my-app", "/home/a/my-app/sub"));
        assert!(project_matches("/home/*/x*", "/home/b/xyz"));
        assert!(!project_matches("/srv/*", "/home/b"));
        let w = |since: &str, until: &str| WindowOptions {
            since: Some(since.into()),
            until: Some(until.into()),
            project: None,
        };
        assert!(bounds(&w("2026-01-01", "2026-01-02")).is_ok());
        assert!(bounds(&w("2026-01-02", "2026-01-02")).is_err());
        assert!(bounds(&w("2026-02-01", "2026-01-01")).is_err());
    }
}
