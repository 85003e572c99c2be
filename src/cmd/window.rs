//! Which calls a command covers: the `--since`/`--until` time window and the `--project`
//! pattern.

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

/// Keeps the calls inside the `--since`/`--until`/`--project` window. Calls with no time
/// are kept only when no time bound is given.
pub fn apply_window(
    calls: Vec<crate::event::ToolCall>,
    w: &WindowOptions,
) -> anyhow::Result<Vec<crate::event::ToolCall>> {
    let since = w.since.as_deref().map(parse_when).transpose()?;
    let until = w.until.as_deref().map(parse_when).transpose()?;
    Ok(calls
        .into_iter()
        .filter(|c| match (since, until, c.asked_ms) {
            (None, None, _) => true,
            (_, _, None) => false,
            (s, u, Some(t)) => s.is_none_or(|s| t >= s) && u.is_none_or(|u| t < u),
        })
        .filter(|c| match &w.project {
            None => true,
            Some(p) => c
                .project
                .as_deref()
                .is_some_and(|proj| project_matches(p, proj)),
        })
        .collect())
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
    }
}
