//! URLs as text: the host a URL names, which WebFetch rules (`WebFetch(domain:host)`) match.

/// The host of a URL: lower-cased, without scheme, credentials, port or trailing dot.
pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        for (url, want) in [
            ("https://Docs.RS/serde/", Some("docs.rs")),
            ("http://user:pw@example.com:8080/x?y", Some("example.com")),
            ("example.org.", Some("example.org")),
            ("https://[::1]:3000/", Some("::1")),
            ("https://", None),
        ] {
            assert_eq!(domain_of(url).as_deref(), want, "{url}");
        }
    }
}
