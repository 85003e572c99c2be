//! Times as text: milliseconds since the epoch written as RFC 3339 times and UTC days.

/// Milliseconds since the epoch as an RFC 3339 UTC time.
pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// The UTC day (`YYYY-MM-DD`) of a time in ms.
pub fn day_of(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d").to_string())
}
