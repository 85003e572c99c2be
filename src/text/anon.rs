//! Pseudonyms for the names a shared report must not show (`--anonymize`): developer
//! names, home folders and the user names in them, project paths and git branches.
//!
//! A pseudonym is the kind of name and the first 8 hex digits of HMAC-SHA256 over
//! `kind:name`, keyed with a salt the person sharing the report keeps (`dev-1f0c93ab`,
//! `project-…`, `user-…`, `branch-…`, `path-…`): the same name and salt give the same
//! pseudonym in every run, and without the salt a guessed name cannot be checked.
//! `printf 'dev:alice' | openssl dgst -sha256 -hmac "$SALT"` gives the digits of `alice`.
//!
//! What is replaced, in this order:
//! 1. names known from the calls read ([`Names`]): each project path (its folder as a
//!    whole; the path inside it keeps its shape: `~/project-…/src/main.rs`), the folder
//!    name Claude Code encodes it as, the last folder name of a project under a home (when
//!    four characters or longer), developer names, user names found in home folders,
//!    branch names (not `main`, `master` and other generic ones) and the folders a team's
//!    copies were read from. Names match as whole words;
//! 2. any other path under a home folder (`/Users/NAME/…`, `/home/NAME/…`, `/root/…`,
//!    `C:\Users\NAME\…`, and encoded folder names `-Users-NAME-…`): the whole path becomes
//!    one pseudonym (`~/path-…`), the home alone `~`.
//!
//! Commands keep their shape: only the names change. The pass is applied by the printers
//! to what they write (table cells, whole texts, JSON strings and keys, exported columns),
//! never to what the analyses read. The command that reads the transcripts turns it on
//! ([`enable`]) and adds the names it finds ([`note`]); [`apply`] is the identity until then.

use hmac::{Hmac, Mac};
use regex::Regex;
use sha2::Sha256;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The salt used when none is given: public, so anyone can test a guessed name against a
/// pseudonym made with it (the message printed says so).
pub const PUBLIC_SALT: &str = "permstat-public-salt";

/// Branch names too common to say anything about anyone, kept as they are.
const GENERIC_BRANCHES: &[&str] = &[
    "main",
    "master",
    "develop",
    "development",
    "dev",
    "trunk",
    "HEAD",
    "staging",
    "production",
    "release",
    "gh-pages",
];

/// Account names that name no person (container and CI users), kept as they are in text
/// outside home paths.
const GENERIC_USERS: &[&str] = &[
    "user",
    "USER",
    "root",
    "admin",
    "ubuntu",
    "runner",
    "vscode",
    "node",
    "codespace",
];

/// What a known name is, which decides its pseudonym's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    ProjectName,
    Project,
    Folder,
    Team,
    Branch,
    User,
    Developer,
}

/// Names met in the calls read, to be replaced wherever they appear.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Session working folders.
    pub projects: Vec<String>,
    /// Git branches.
    pub branches: Vec<String>,
    /// Developer names (team mode).
    pub developers: Vec<String>,
    /// Folders a team's copies were read from, with their developer.
    pub folders: Vec<(String, String)>,
}

impl Names {
    /// Adds another set.
    pub fn absorb(&mut self, other: Names) {
        self.projects.extend(other.projects);
        self.branches.extend(other.branches);
        self.developers.extend(other.developers);
        self.folders.extend(other.folders);
    }
}

/// Characters that end a path in text (shell syntax, quotes, JSON and Markdown).
const ENDS: &str = r#"\s"'`:;,|&<>()\[\]{}=*?$"#;

static HOME: LazyLock<Regex> = LazyLock::new(|| {
    let rest = format!(r"[^{ENDS}]*");
    let name = format!(r"[^/\\{ENDS}]+");
    let pattern = format!(
        r"(?:^|[/\\{ENDS}])((?:/(?:Users|home)/{name}|/root/|[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/){name}){rest}|-(?:Users|home)-[A-Za-z0-9._-]+)"
    );
    Regex::new(&pattern).unwrap_or_else(|_| Regex::new("$^").expect("the empty pattern"))
});

/// Finds the user name in a home path (`/Users/ann/x` → `ann`).
static USER_IN_HOME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:/(?:Users|home)/|[A-Za-z]:[\\/]+Users[\\/]+)([^/\\]+)")
        .unwrap_or_else(|_| Regex::new("$^").expect("the empty pattern"))
});

/// Replaces names with pseudonyms; see the module documentation.
#[derive(Debug)]
pub struct Anonymizer {
    salt: String,
    /// Each known name with its pseudonym.
    known: std::collections::HashMap<String, String>,
    /// The known names as one pattern (None when there are none).
    pattern: Option<Regex>,
}

/// A character that continues a word or a name (a match next to one is not a whole name).
fn joins(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

impl Anonymizer {
    /// An anonymizer keyed with `salt` that knows `names`.
    pub fn new(salt: &str, names: &Names) -> Anonymizer {
        let mut a = Anonymizer {
            salt: salt.to_string(),
            known: Default::default(),
            pattern: None,
        };
        let mut known: BTreeMap<String, (Kind, String)> = BTreeMap::new();
        let mut add = |name: &str, kind: Kind, pseudonym: String| {
            if name.len() >= 2 {
                let keep = known.get(name).is_some_and(|(k, _)| *k > kind);
                if !keep {
                    known.insert(name.to_string(), (kind, pseudonym));
                }
            }
        };
        for p in &names.projects {
            let p = p.trim_end_matches(['/', '\\']);
            if p.is_empty() {
                continue;
            }
            let tag = a.pseudonym("project", p);
            let under_home = USER_IN_HOME.is_match(p) || p.starts_with("/root/");
            add(
                p,
                Kind::Project,
                format!("{}{tag}", if under_home { "~/" } else { "/" }),
            );
            // Claude Code names a project's folder after its path, every other character `-`.
            let encoded: String = p
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            add(&encoded, Kind::Folder, format!("-{tag}"));
            if let Some(user) = USER_IN_HOME.captures(p).and_then(|c| c.get(1)) {
                let user = user.as_str();
                if !GENERIC_USERS.contains(&user) {
                    add(user, Kind::User, a.pseudonym("user", user));
                }
                // The folder name of a project under a home (a session's label, a team's
                // project): a word of its own, unless short enough to be generic (`cli`).
                let name = p.rsplit(['/', '\\']).next().unwrap_or(p);
                if name.len() >= 4 && name != user {
                    add(name, Kind::ProjectName, a.pseudonym("project", name));
                }
            }
        }
        for b in &names.branches {
            if b.len() >= 3 && !GENERIC_BRANCHES.contains(&b.as_str()) {
                add(b, Kind::Branch, a.pseudonym("branch", b));
            }
        }
        for (folder, dev) in &names.folders {
            add(folder, Kind::Team, a.pseudonym("dev", dev));
        }
        for d in &names.developers {
            add(d, Kind::Developer, a.pseudonym("dev", d));
        }
        // Longest first: of two names that start at the same place, the longer one wins.
        let mut names: Vec<&String> = known.keys().collect();
        names.sort_by(|x, y| y.len().cmp(&x.len()).then(x.cmp(y)));
        if !names.is_empty() {
            let alternatives: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
            a.pattern = Regex::new(&alternatives.join("|")).ok();
        }
        a.known = known.into_iter().map(|(n, (_, p))| (n, p)).collect();
        a
    }

    /// The pseudonym of `name` of this `kind`: `kind-` and 8 hex digits of
    /// HMAC-SHA256(salt, `kind:name`).
    pub fn pseudonym(&self, kind: &str, name: &str) -> String {
        // HMAC takes a key of any length: the error cannot happen.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.salt.as_bytes()) else {
            return format!("{kind}-00000000");
        };
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(name.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = format!("{kind}-");
        for b in &digest[..4] {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// The pseudonym of a developer name, as [`Anonymizer::text`] writes it.
    pub fn developer(&self, name: &str) -> String {
        self.pseudonym("dev", name)
    }

    /// `text` with every known name and every path under a home folder replaced.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let known = self.known_names(text);
        match self.home_paths(&known) {
            Cow::Borrowed(_) => known,
            Cow::Owned(s) => Cow::Owned(s),
        }
    }

    fn known_names<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let Some(pattern) = &self.pattern else {
            return Cow::Borrowed(text);
        };
        let mut out = String::new();
        let mut last = 0;
        for m in pattern.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let name = m.as_str();
            // A path ends a name where the next character does not continue it; a word
            // must stand alone on both sides.
            let starts_path = name.starts_with(['/', '\\', '-', '~']) || name.contains(':');
            if after.is_some_and(joins) || (!starts_path && before.is_some_and(joins)) {
                continue;
            }
            let Some(pseudonym) = self.known.get(name) else {
                continue;
            };
            out.push_str(&text[last..m.start()]);
            out.push_str(pseudonym);
            last = m.end();
        }
        if last == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    fn home_paths<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = String::new();
        let mut last = 0;
        for c in HOME.captures_iter(text) {
            let Some(m) = c.get(1) else { continue };
            let path = m.as_str();
            let replacement = if path.starts_with('-') {
                format!("-{}", self.pseudonym("path", path))
            } else {
                let home_only = USER_IN_HOME
                    .find(path)
                    .map_or(path.trim_end_matches(['/', '\\']) == "/root", |h| {
                        h.end() == path.len()
                    });
                if home_only {
                    "~".to_string()
                } else {
                    format!("~/{}", self.pseudonym("path", path))
                }
            };
            out.push_str(&text[last..m.start()]);
            out.push_str(&replacement);
            last = m.end();
        }
        if last == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    /// Replaces names in every string and object key of a JSON value.
    pub fn json(&self, v: &mut serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::String(s) => {
                if let Cow::Owned(new) = self.text(s) {
                    *s = new;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.json(i)),
            Value::Object(map) => {
                let old = std::mem::take(map);
                for (k, mut item) in old {
                    self.json(&mut item);
                    map.insert(self.text(&k).into_owned(), item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// The run's anonymization: off until [`enable`]; the names noted so far; the anonymizer
/// made of them (remade when more are noted).
#[derive(Default)]
struct State {
    salt: Option<String>,
    names: Names,
    built: Option<Arc<Anonymizer>>,
}

static STATE: LazyLock<Mutex<State>> = LazyLock::new(Mutex::default);

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Turns anonymization on for everything printed from now on, keyed with `salt`.
pub fn enable(salt: &str) {
    let mut s = state();
    s.salt = Some(salt.to_string());
    s.built = None;
}

/// True when [`enable`] was called.
pub fn enabled() -> bool {
    state().salt.is_some()
}

/// Adds names to replace (ignored while anonymization is off).
pub fn note(names: Names) {
    let mut s = state();
    if s.salt.is_some() {
        s.names.absorb(names);
        s.built = None;
    }
}

/// The anonymizer of this run, if anonymization is on.
pub fn current() -> Option<Arc<Anonymizer>> {
    let mut s = state();
    let salt = s.salt.clone()?;
    if s.built.is_none() {
        let mut names = std::mem::take(&mut s.names);
        for list in [
            &mut names.projects,
            &mut names.branches,
            &mut names.developers,
        ] {
            list.sort();
            list.dedup();
        }
        names.folders.sort();
        names.folders.dedup();
        s.built = Some(Arc::new(Anonymizer::new(&salt, &names)));
        s.names = names;
    }
    s.built.clone()
}

/// `text` anonymized when anonymization is on, else as it is.
pub fn apply(text: &str) -> Cow<'_, str> {
    match current() {
        Some(a) => Cow::Owned(a.text(text).into_owned()),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anon() -> Anonymizer {
        Anonymizer::new(
            "s3cret",
            &Names {
                projects: vec![
                    "/Users/soph/Work/entire/devenv/cli".into(),
                    "/Users/alex/workspace/cli/.worktrees/soph/fix-date".into(),
                    "/tmp/scratch".into(),
                    "/home/USER/projects/spot".into(),
                ],
                branches: vec!["soph/opencode".into(), "main".into()],
                developers: vec!["ann".into()],
                folders: vec![("/data/team/ann".into(), "ann".into())],
            },
        )
    }

    #[test]
    fn pseudonyms_are_keyed_hmacs() {
        // `printf 'dev:alice' | openssl dgst -sha256 -hmac salt` prints e4294218...
        let a = Anonymizer::new("salt", &Names::default());
        assert_eq!(a.pseudonym("dev", "alice"), "dev-e4294218");
        assert_eq!(a.pseudonym("dev", "alice"), a.developer("alice"));
        let b = Anonymizer::new("pepper", &Names::default());
        assert_ne!(a.developer("alice"), b.developer("alice"));
        assert_ne!(a.pseudonym("dev", "alice"), a.pseudonym("user", "alice"));
    }

    #[test]
    fn projects_homes_users_and_branches_are_replaced() {
        let a = anon();
        let p = a.pseudonym("project", "/Users/soph/Work/entire/devenv/cli");
        let out = a.text(
            "ls -la /Users/soph/Work/entire/devenv/cli/cmd/ && git push origin soph/opencode",
        );
        let branch = a.pseudonym("branch", "soph/opencode");
        assert_eq!(
            out,
            format!("ls -la ~/{p}/cmd/ && git push origin {branch}")
        );
        // A project outside home; a project whose path holds a branch-like part.
        let tmp = a.pseudonym("project", "/tmp/scratch");
        assert_eq!(a.text("cd /tmp/scratch && ls"), format!("cd /{tmp} && ls"));
        assert_eq!(a.text("/tmp/scratchpad"), "/tmp/scratchpad");
        let wt = a.pseudonym(
            "project",
            "/Users/alex/workspace/cli/.worktrees/soph/fix-date",
        );
        assert_eq!(
            a.text("/Users/alex/workspace/cli/.worktrees/soph/fix-date/docs"),
            format!("~/{wt}/docs")
        );
        // Other paths under a home: one pseudonym for the whole path; the home alone: ~.
        let other = a.text("cat /Users/soph/.ssh/config; ls /home/zed");
        assert!(!other.contains("soph") && !other.contains("zed"), "{other}");
        assert!(other.starts_with("cat ~/path-"), "{other}");
        assert!(other.ends_with("ls ~"), "{other}");
        assert_eq!(
            a.text("C:\\Users\\zed\\x"),
            format!("~/{}", a.pseudonym("path", "C:\\Users\\zed\\x"))
        );
        // A project's folder name alone (a session's label), not a short generic one.
        assert_eq!(
            a.text("163396cf fix-date"),
            format!("163396cf {}", a.pseudonym("project", "fix-date"))
        );
        assert_eq!(a.text("cd cli"), "cd cli");
        // User names as words, developers, team folders; generic names stay.
        let user = a.pseudonym("user", "soph");
        assert_eq!(a.text("--author soph"), format!("--author {user}"));
        assert_eq!(a.text("sophie"), "sophie");
        assert_eq!(
            a.text("echo $USER; git checkout main"),
            "echo $USER; git checkout main"
        );
        let dev = a.developer("ann");
        assert_eq!(a.text("ann"), dev);
        assert_eq!(
            a.text("/data/team/ann/projects/x.jsonl"),
            format!("{dev}/projects/x.jsonl")
        );
        // Encoded project folder names.
        let enc = a.text("/data/team/ann/projects/-Users-soph-Work-entire-devenv-cli/s.jsonl");
        assert_eq!(enc, format!("{dev}/projects/-{p}/s.jsonl"));
        let unknown = a.text("projects/-Users-zed-app/s.jsonl");
        assert!(!unknown.contains("zed"), "{unknown}");
        // Text without names is borrowed; URLs keep their paths.
        assert!(matches!(a.text("git status"), Cow::Borrowed(_)));
        assert_eq!(a.text("https://x.org/home/page"), "https://x.org/home/page");
        // The pass is idempotent.
        let once = a.text("ls /Users/soph/Work/entire/devenv/cli /Users/q/r ann soph/opencode");
        assert_eq!(a.text(&once), once);
    }

    #[test]
    fn json_strings_and_keys() {
        let a = anon();
        let mut v = serde_json::json!({"ann": ["/home/zed/x", 3], "k": {"soph": null}});
        a.json(&mut v);
        let text = v.to_string();
        assert!(
            !text.contains("ann\"") && !text.contains("zed") && !text.contains("soph"),
            "{text}"
        );
        assert!(text.contains(&a.developer("ann")));
    }
}
