//! Neutral utilities that know nothing of permissions or reports, at the bottom of the
//! layers so that any module may use them:
//!
//! - [`anon`]: pseudonyms for names and paths under home (`--anonymize`);
//! - [`json`]: the skimming JSON reader (walks the structure, decodes only what is asked);
//! - [`redact`]: hiding secrets in commands, paths and URLs before anything is printed;
//! - [`time`]: times as RFC 3339 text and UTC days;
//! - [`url`]: the host a URL names.

pub mod anon;
pub mod json;
pub mod redact;
pub mod time;
pub mod url;
