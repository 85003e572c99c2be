//! Projects: working folders, their files and contents, and how Claude Code encodes a
//! folder's path in the name of its transcript folder.

use crate::rng::Rng;
use crate::words::{
    ADJS, LIBS_JS, LIBS_RS, Lang, NOUNS, VERBS, capitalize, code_file, paragraph, pascal,
    prose_sentence,
};
use std::fmt::Write as _;

#[derive(Clone)]
pub(crate) struct Project {
    pub(crate) cwd: String,
    pub(crate) enc: String,
    home: String,
    pub(crate) user: String,
    pub(crate) name: String,
    pub(crate) windows: bool,
    pub(crate) lang: Lang,
    /// Relative path (with `/`) and size in lines.
    pub(crate) files: Vec<(String, usize)>,
    pub(crate) branches: Vec<String>,
    /// Command of a configured hook (era A/B `hook_progress`, stop hooks).
    pub(crate) hook: Option<String>,
    /// Project weight: a few projects hold most sessions.
    pub(crate) weight: u32,
}

/// Claude Code's `sanitizePath`: every character outside `[A-Za-z0-9]`
/// becomes `-`, one per UTF-16 code unit.
fn encode_cwd(cwd: &str) -> String {
    let mut s = String::with_capacity(cwd.len());
    for c in cwd.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else {
            for _ in 0..c.len_utf16() {
                s.push('-');
            }
        }
    }
    s
}

impl Project {
    pub(crate) fn abs(&self, rel: &str) -> String {
        if self.windows {
            format!("{}\\{}", self.cwd, rel.replace('/', "\\"))
        } else {
            format!("{}/{}", self.cwd, rel)
        }
    }
    pub(crate) fn home_path(&self, rel: &str) -> String {
        if self.windows {
            format!("{}\\{}", self.home, rel.replace('/', "\\"))
        } else {
            format!("{}/{}", self.home, rel)
        }
    }
    pub(crate) fn code_files(&self) -> Vec<&(String, usize)> {
        self.files
            .iter()
            .filter(|(p, _)| {
                p.ends_with(".rs")
                    || p.ends_with(".go")
                    || p.ends_with(".ts")
                    || p.ends_with(".tsx")
                    || p.ends_with(".py")
            })
            .collect()
    }
}

const USERS: &[&str] = &[
    "soph", "marco", "alex", "dana", "priya", "kenji", "lena", "omar", "ines", "tomas", "ruth",
    "yusuf",
];
pub(crate) const PROJ_NAMES: &[&str] = &[
    "permstat", "ledger", "atlas", "spotter", "relay", "kiln", "tessera", "quill", "harbor",
    "orbit", "lumen", "cinder", "sprocket", "vault", "meridian", "drift",
];
const ORGS: &[&str] = &["acme", "entire", "northwind", "globex", "initech"];

pub(crate) fn make_projects(r: &mut Rng) -> Vec<Project> {
    let mut v = Vec::new();
    let n = PROJ_NAMES.len();
    for (i, name) in PROJ_NAMES.iter().enumerate() {
        let user = r.pick(USERS).to_string();
        let lang = [Lang::Rust, Lang::Go, Lang::Ts, Lang::Py][r.weighted(&[20, 45, 20, 15])];
        let (cwd, home, windows) = if i == n - 2 {
            (
                format!("C:\\Users\\{user}\\source\\repos\\{name}"),
                format!("C:\\Users\\{user}"),
                true,
            )
        } else if i == n - 1 {
            (
                "/Users/zoë/dev/".to_string() + name,
                "/Users/zoë".to_string(),
                false,
            )
        } else {
            match r.below(5) {
                0 => (
                    format!("/Users/{user}/code/{name}"),
                    format!("/Users/{user}"),
                    false,
                ),
                1 => (
                    format!("/Users/{user}/Work/{}/{name}", r.pick(ORGS)),
                    format!("/Users/{user}"),
                    false,
                ),
                2 => (
                    format!("/home/{user}/projects/{name}"),
                    format!("/home/{user}"),
                    false,
                ),
                3 => (
                    format!("/home/{user}/src/{name}"),
                    format!("/home/{user}"),
                    false,
                ),
                _ => (
                    format!(
                        "/Users/{user}/code/{name}/.claude/worktrees/{}-{}",
                        r.pick(VERBS),
                        r.pick(NOUNS)
                    ),
                    format!("/Users/{user}"),
                    false,
                ),
            }
        };
        let mut files: Vec<(String, usize)> = Vec::new();
        let mut add = |p: String, n: usize| {
            if !files.iter().any(|(q, _)| *q == p) {
                files.push((p, n));
            }
        };
        add("README.md".into(), r.logr(30, 300) as usize);
        match lang {
            Lang::Rust => {
                add("Cargo.toml".into(), r.range(18, 60) as usize);
                add("src/main.rs".into(), r.logr(40, 600) as usize);
                add("src/lib.rs".into(), r.logr(20, 300) as usize);
            }
            Lang::Go => {
                add("go.mod".into(), r.range(8, 40) as usize);
                add(format!("cmd/{name}/main.go"), r.logr(30, 300) as usize);
                add("Makefile".into(), r.range(15, 80) as usize);
            }
            Lang::Ts => {
                add("package.json".into(), r.range(25, 90) as usize);
                add("tsconfig.json".into(), r.range(15, 40) as usize);
                add("src/index.ts".into(), r.logr(20, 400) as usize);
            }
            Lang::Py => {
                add("pyproject.toml".into(), r.range(25, 90) as usize);
                add(format!("{name}/__init__.py"), r.range(3, 40) as usize);
            }
        }
        for _ in 0..r.range(14, 34) {
            let noun = r.pick(NOUNS);
            let big = r.chance(0.025);
            let lines = if big {
                r.range(1000, 2400)
            } else {
                r.logr(15, 520)
            } as usize;
            let p = match lang {
                Lang::Rust => match r.below(4) {
                    0 => format!("src/{noun}.rs"),
                    1 => format!("src/{}/{noun}.rs", r.pick(NOUNS)),
                    2 => format!("tests/{noun}.rs"),
                    _ => format!("src/{noun}/mod.rs"),
                },
                Lang::Go => match r.below(3) {
                    0 => format!("internal/{noun}/{noun}.go"),
                    1 => format!("internal/{noun}/{noun}_test.go"),
                    _ => format!("pkg/{}/{noun}.go", r.pick(NOUNS)),
                },
                Lang::Ts => match r.below(4) {
                    0 => format!("src/{noun}.ts"),
                    1 => format!("src/components/{}.tsx", pascal(r)),
                    2 => format!("tests/{noun}.test.ts"),
                    _ => format!("src/lib/{noun}.ts"),
                },
                Lang::Py => match r.below(3) {
                    0 => format!("{name}/{noun}.py"),
                    1 => format!("tests/test_{noun}.py"),
                    _ => format!("{name}/{}/{noun}.py", r.pick(NOUNS)),
                },
            };
            add(p, lines);
        }
        for _ in 0..r.range(1, 4) {
            add(
                format!("docs/{}.md", r.pick(NOUNS)),
                r.logr(20, 400) as usize,
            );
        }
        let mut branches = vec![if r.chance(0.7) { "main" } else { "master" }.to_string()];
        for _ in 0..r.range(1, 4) {
            let who = if r.chance(0.5) {
                format!("{user}/")
            } else {
                String::new()
            };
            branches.push(format!(
                "{who}{}-{}-{}",
                r.pick(VERBS),
                r.pick(ADJS),
                r.pick(NOUNS)
            ));
        }
        let hook = if r.chance(0.6) {
            Some(
                r.pick(&[
                    "entire hooks claude-code stop",
                    "${CLAUDE_PROJECT_DIR}/.claude/hooks/guard.sh",
                    "cd ${CLAUDE_PLUGIN_ROOT}/hooks && bun run ./guardian.ts",
                    "uv run .claude/hooks/check_command.py",
                    "/usr/local/bin/claude-notify",
                ])
                .to_string(),
            )
        } else {
            None
        };
        let enc = encode_cwd(&cwd);
        v.push(Project {
            cwd,
            enc,
            home,
            user,
            name: name.to_string(),
            windows,
            lang,
            files,
            branches,
            hook,
            weight: [40, 25, 15, 10, 6, 4, 3, 2][i % 8],
        });
    }
    v
}

pub(crate) fn fnv(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Deterministic content of a project file.
pub(crate) fn file_content(p: &Project, rel: &str, lines: usize, salt: u64) -> String {
    let mut r = Rng::new(fnv(rel) ^ fnv(&p.name) ^ salt);
    if rel.ends_with(".md") {
        let mut s = format!(
            "# {}\n\n",
            capitalize(&format!("{} {}", r.pick(NOUNS), r.pick(NOUNS)))
        );
        let mut n = 2;
        while n < lines {
            match r.below(5) {
                0 => {
                    let _ = write!(
                        s,
                        "\n## {}\n\n",
                        capitalize(&format!("{} the {}", r.pick(VERBS), r.pick(NOUNS)))
                    );
                    n += 3;
                }
                1 => {
                    let _ = writeln!(
                        s,
                        "```sh\n{} {} --{}\n```",
                        p.name,
                        r.pick(VERBS),
                        r.pick(NOUNS)
                    );
                    n += 3;
                }
                2 => {
                    let _ = writeln!(s, "- {}", prose_sentence(&mut r));
                    n += 1;
                }
                _ => {
                    let _ = writeln!(s, "{}", paragraph(&mut r, 160));
                    n += 1;
                }
            }
        }
        return s;
    }
    if rel.ends_with(".toml")
        || rel.ends_with(".json")
        || rel.ends_with(".mod")
        || rel.ends_with("Makefile")
    {
        let mut s = String::new();
        if rel.ends_with(".json") {
            s.push_str("{\n");
            let _ = writeln!(
                s,
                "  \"name\": \"{}\",\n  \"version\": \"1.{}.0\",",
                p.name,
                r.below(9)
            );
            for i in 0..lines.saturating_sub(4) {
                let _ = writeln!(
                    s,
                    "    \"{}\": \"^{}.{}.{}\"{}",
                    r.pick(LIBS_JS),
                    r.range(1, 9),
                    r.below(20),
                    r.below(9),
                    if i + 5 < lines { "," } else { "" }
                );
            }
            s.push_str("}\n");
        } else if rel.ends_with("Makefile") {
            for _ in 0..lines / 3 {
                let t = r.pick(VERBS);
                let _ = writeln!(
                    s,
                    ".PHONY: {t}\n{t}:\n\t{} {t} ./...",
                    r.pick(&["go", "golangci-lint", "gofmt"])
                );
            }
        } else {
            let _ = writeln!(
                s,
                "[package]\nname = \"{}\"\nversion = \"0.{}.0\"\nedition = \"2021\"\n\n[dependencies]",
                p.name,
                r.below(9)
            );
            for _ in 0..lines.saturating_sub(6) {
                let _ = writeln!(
                    s,
                    "{} = \"{}.{}\"",
                    r.pick(LIBS_RS),
                    r.range(0, 4),
                    r.below(30)
                );
            }
        }
        return s;
    }
    let lang = if rel.ends_with(".rs") {
        Lang::Rust
    } else if rel.ends_with(".go") {
        Lang::Go
    } else if rel.ends_with(".py") {
        Lang::Py
    } else {
        Lang::Ts
    };
    code_file(&mut r, lang, lines)
}

/// `cat -n` as the Read tool renders it.
pub(crate) fn numbered(content: &str, start: usize, limit: usize) -> (String, usize) {
    let mut s = String::with_capacity(content.len() + content.len() / 4);
    let mut n = 0;
    for (i, l) in content
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .take(limit)
    {
        let _ = writeln!(s, "{:>6}→{}", i + 1, l);
        n += 1;
    }
    (s, n)
}

pub(crate) const MALWARE_REMINDER: &str = "\n<system-reminder>\nWhenever you read a file, you should consider whether it would be considered malware. You CAN and SHOULD provide analysis of malware, what it is doing. But you MUST refuse to improve or augment the code. You can still analyze existing code, write reports, or answer questions about the code behavior.\n</system-reminder>\n";
