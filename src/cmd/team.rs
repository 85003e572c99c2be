//! Team mode: reading several developers' histories at once (`--team DIR`, `--label
//! NAME=PATH`), and telling whose each call is.
//!
//! Each subfolder of the team folder is one developer's copy of `~/.claude` (it has a
//! `projects/` folder; its `settings.json` holds that developer's user settings) or of
//! `~/.claude/projects` (no user settings). A label names a folder explicitly: a subfolder
//! of the team folder (renamed), or any other folder or file (added). Every call gets the
//! name of the folder its file was found under ([`Team::tag`]), at load time and never in
//! the incremental cache, so that renaming a developer cannot leave a stale name behind.

use super::InputOptions;
use crate::event::ToolCall;
use crate::text::anon::{self, Names};
use anyhow::bail;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One developer's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The name reports show (the subfolder's name, or the label's).
    pub name: Arc<str>,
    /// The transcripts: a copy of `~/.claude/projects` (or any folder or file of them).
    pub transcripts: PathBuf,
    /// The copy of `~/.claude` whose `settings.json` holds the developer's user settings;
    /// `None` for a copy of `projects/` alone.
    pub config: Option<PathBuf>,
}

/// The developers of a team run, as found on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Team {
    /// In the order given: the team folder's subfolders by name, then the labels added.
    pub members: Vec<Member>,
}

/// Parses a `--label NAME=PATH` argument.
pub fn parse_label(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, path)) if !name.trim().is_empty() && !path.is_empty() => {
            Ok((name.trim().to_string(), PathBuf::from(path)))
        }
        _ => Err(format!(
            "`{s}`: write NAME=PATH (a developer's name, then their copy of ~/.claude, of \
             ~/.claude/projects, or a transcript folder)"
        )),
    }
}

/// A developer's folder as found: a copy of `~/.claude` when it holds `projects/`, else
/// a folder (or file) of transcripts.
fn member(name: &str, path: &Path) -> Member {
    let projects = path.join("projects");
    if projects.is_dir() {
        Member {
            name: Arc::from(name),
            transcripts: projects,
            config: Some(path.to_path_buf()),
        }
    } else {
        Member {
            name: Arc::from(name),
            transcripts: path.to_path_buf(),
            config: None,
        }
    }
}

/// The same folder, however it was written (`a/./b`, a trailing slash, a link).
fn same_place(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The team named by `--team` and `--label`, or `None` without either. Fails when the
/// team folder or a labelled path does not exist, or when the team folder has no
/// subfolder.
pub fn resolve(input: &InputOptions) -> anyhow::Result<Option<Team>> {
    if input.team.is_none() && input.labels.is_empty() {
        return Ok(None);
    }
    let mut members = Vec::new();
    if let Some(dir) = &input.team {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => bail!(
                "--team {}: {e}: name a folder with one subfolder per developer (each a copy \
                 of ~/.claude or of ~/.claude/projects)",
                dir.display()
            ),
        };
        let mut subs: Vec<(String, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (!name.starts_with('.')).then(|| (name, e.path()))
            })
            .collect();
        subs.sort();
        if subs.is_empty() {
            bail!(
                "--team {}: no subfolder: put one folder per developer in it (a copy of \
                 ~/.claude or of ~/.claude/projects), named after the developer",
                dir.display()
            );
        }
        members.extend(subs.iter().map(|(name, path)| member(name, path)));
    }
    for (name, path) in &input.labels {
        if !path.exists() {
            bail!("--label {name}={}: no such file or folder", path.display());
        }
        let labelled = member(name, path);
        let sub = members.iter_mut().find(|m| {
            same_place(&m.transcripts, &labelled.transcripts)
                || m.config.as_deref().is_some_and(|c| same_place(c, path))
        });
        match sub {
            Some(m) => m.name = labelled.name,
            None => members.push(labelled),
        }
    }
    Ok(Some(Team { members }))
}

/// Turns `--anonymize` on for everything this run prints ([`anon`]), keyed with `salt`;
/// without one, with the public salt, saying so on stderr (unless `quiet`).
pub fn anonymize(salt: Option<&str>, quiet: bool) {
    match salt.filter(|s| !s.is_empty()) {
        Some(s) => anon::enable(s),
        None => {
            if !quiet {
                eprintln!(
                    "permstat: note: --anonymize without a salt (--anonymize-salt or \
                     $PERMSTAT_ANON_SALT): pseudonyms use a public salt, so anyone can check a \
                     guessed name against them, and they differ from those of a lead who keeps \
                     a salt"
                );
            }
            anon::enable(anon::PUBLIC_SALT);
        }
    }
}

/// Readies the calls of one table read in this run: sets their developer in team mode,
/// and under `--anonymize` notes the names to replace (folders, branches, developers).
pub fn prepare(team: Option<&Team>, calls: &mut [ToolCall]) {
    if let Some(team) = team {
        team.tag(calls);
    }
    if !anon::enabled() {
        return;
    }
    let mut names = Names::default();
    let mut projects: BTreeSet<&str> = BTreeSet::new();
    let mut branches: BTreeSet<&str> = BTreeSet::new();
    for c in calls.iter() {
        projects.extend(c.project.as_deref());
        branches.extend(c.git_branch.as_deref());
    }
    names.projects = projects.into_iter().map(String::from).collect();
    names.branches = branches.into_iter().map(String::from).collect();
    if let Some(team) = team {
        names.developers = team.names().iter().map(|n| n.to_string()).collect();
        for m in &team.members {
            for folder in m.config.iter().chain([&m.transcripts]) {
                names
                    .folders
                    .push((folder.display().to_string(), m.name.to_string()));
            }
        }
    }
    anon::note(names);
}

impl Team {
    /// The folders (or files) to search for transcripts.
    pub fn roots(&self) -> Vec<PathBuf> {
        self.members.iter().map(|m| m.transcripts.clone()).collect()
    }

    /// The distinct developer names, in order.
    pub fn names(&self) -> Vec<Arc<str>> {
        let mut out: Vec<Arc<str>> = Vec::new();
        for m in &self.members {
            if !out.contains(&m.name) {
                out.push(m.name.clone());
            }
        }
        out
    }

    /// The folder whose `settings.json` holds `developer`'s user settings: the first of
    /// their `~/.claude` copies; for a developer with only transcripts, their transcript
    /// folder (Claude Code writes no settings.json there, so none is read).
    pub fn config_of(&self, developer: &str) -> Option<PathBuf> {
        let mine = || self.members.iter().filter(|m| &*m.name == developer);
        mine()
            .find_map(|m| m.config.clone())
            .or_else(|| mine().next().map(|m| m.transcripts.clone()))
    }

    /// The developer a transcript file was found under: the member whose folder is the
    /// longest one holding it.
    pub fn developer_of(&self, file: &Path) -> Option<&Arc<str>> {
        self.members
            .iter()
            .filter(|m| file.starts_with(&m.transcripts))
            .max_by_key(|m| m.transcripts.as_os_str().len())
            .map(|m| &m.name)
    }

    /// Sets each call's developer from the file it was read from (calls of files found
    /// under no member's folder, e.g. named as plain paths, get none).
    pub fn tag(&self, calls: &mut [ToolCall]) {
        // Calls come file by file within a session: look a file up once per run of calls.
        let mut last: Option<(Arc<str>, Option<Arc<str>>)> = None;
        for c in calls {
            let dev = match &last {
                Some((file, dev)) if *file == c.file => dev.clone(),
                _ => {
                    let dev = self.developer_of(Path::new(&*c.file)).cloned();
                    last = Some((c.file.clone(), dev.clone()));
                    dev
                }
            };
            c.developer = dev;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(team: Option<&Path>, labels: &[(&str, &Path)]) -> InputOptions {
        InputOptions {
            team: team.map(Path::to_path_buf),
            labels: labels
                .iter()
                .map(|(n, p)| (n.to_string(), p.to_path_buf()))
                .collect(),
            ..InputOptions::default()
        }
    }

    #[test]
    fn subfolders_are_developers_of_either_layout() {
        let t = tempfile::tempdir().unwrap();
        let ann = t.path().join("ann");
        std::fs::create_dir_all(ann.join("projects").join("-home-ann-app")).unwrap();
        std::fs::write(ann.join("settings.json"), "{}").unwrap();
        let bob = t.path().join("bob");
        std::fs::create_dir_all(bob.join("-home-bob-app")).unwrap();
        std::fs::create_dir_all(t.path().join(".git")).unwrap();
        std::fs::write(t.path().join("README"), "").unwrap();
        let team = resolve(&opts(Some(t.path()), &[])).unwrap().unwrap();
        assert_eq!(
            team.members,
            vec![
                Member {
                    name: "ann".into(),
                    transcripts: ann.join("projects"),
                    config: Some(ann.clone()),
                },
                Member {
                    name: "bob".into(),
                    transcripts: bob.clone(),
                    config: None,
                },
            ]
        );
        assert_eq!(team.config_of("ann"), Some(ann.clone()));
        assert_eq!(team.config_of("bob"), Some(bob.clone()));
        let file = ann.join("projects/-home-ann-app/s.jsonl");
        assert_eq!(team.developer_of(&file).map(|d| &**d), Some("ann"));
        assert_eq!(team.developer_of(Path::new("/elsewhere/s.jsonl")), None);

        // A label renames a subfolder, named by either of its folders, and adds others.
        let extra = tempfile::tempdir().unwrap();
        let team = resolve(&opts(
            Some(t.path()),
            &[
                ("Ann B.", &ann),
                ("robert", &bob.join(".")),
                ("cy", extra.path()),
            ],
        ))
        .unwrap()
        .unwrap();
        let names: Vec<&str> = team.members.iter().map(|m| &*m.name).collect();
        assert_eq!(names, ["Ann B.", "robert", "cy"]);
        assert_eq!(team.roots()[2], extra.path());
    }

    #[test]
    fn bad_team_input_is_refused() {
        let t = tempfile::tempdir().unwrap();
        assert!(resolve(&opts(None, &[])).unwrap().is_none());
        let err = resolve(&opts(Some(t.path()), &[])).unwrap_err();
        assert!(err.to_string().contains("no subfolder"), "{err}");
        let err = resolve(&opts(Some(&t.path().join("missing")), &[])).unwrap_err();
        assert!(err.to_string().contains("--team"), "{err}");
        let err = resolve(&opts(None, &[("x", &t.path().join("missing"))])).unwrap_err();
        assert!(err.to_string().contains("--label x="), "{err}");
        assert!(parse_label("ann=/a").is_ok());
        assert!(parse_label("=/a").is_err());
        assert!(parse_label("ann").is_err());
        assert!(parse_label("ann=").is_err());
    }

    #[test]
    fn calls_are_tagged_by_their_file() {
        let team = Team {
            members: vec![
                Member {
                    name: "ann".into(),
                    transcripts: PathBuf::from("/t/ann/projects"),
                    config: None,
                },
                Member {
                    name: "bob".into(),
                    transcripts: PathBuf::from("/t/ann/projects/-shared"),
                    config: None,
                },
            ],
        };
        let mut calls = vec![
            crate::suggest::testutil::bash(0, "s", "ls", crate::event::Outcome::Ran),
            crate::suggest::testutil::bash(1, "s", "ls", crate::event::Outcome::Ran),
            crate::suggest::testutil::bash(2, "s", "ls", crate::event::Outcome::Ran),
        ];
        calls[0].file = "/t/ann/projects/-a/s.jsonl".into();
        calls[1].file = "/t/ann/projects/-shared/s.jsonl".into();
        calls[2].file = "/elsewhere/s.jsonl".into();
        team.tag(&mut calls);
        let devs: Vec<Option<&str>> = calls.iter().map(|c| c.developer.as_deref()).collect();
        assert_eq!(devs, [Some("ann"), Some("bob"), None]);
    }
}
