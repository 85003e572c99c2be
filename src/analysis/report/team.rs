//! The report's team figures (team mode, calls that carry a developer): counts per
//! developer, whose sessions ran in each project, and which commands cost the team most
//! prompts, with each developer's share. Folded with the rest of a [`super::Part`].

use super::model::TeamCommand;
use crate::analysis::Answer;
use crate::analysis::aggregate::{GroupCounts, Tally};
use crate::event::ToolCall;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What one group of sessions contributes to the team figures.
#[derive(Default)]
pub(super) struct TeamPart {
    by_developer: Tally,
    /// Per developer, counts per command key.
    commands: FxHashMap<Arc<str>, Tally>,
    /// Per developer, counts per UTC day.
    days: FxHashMap<Arc<str>, Tally>,
    /// The developer of each session.
    sessions: BTreeMap<String, Arc<str>>,
    /// The developers of each project folder.
    projects: BTreeMap<String, BTreeSet<Arc<str>>>,
}

/// The team figures of a finished report.
pub(super) struct TeamFigures {
    pub by_developer: Vec<GroupCounts>,
    pub project_developers: BTreeMap<String, Vec<String>>,
    pub commands: Vec<TeamCommand>,
    pub sessions: BTreeMap<String, Arc<str>>,
    pub days: BTreeMap<String, Vec<GroupCounts>>,
}

impl TeamPart {
    /// Counts a call with its answer (`certain`: recorded or evidenced).
    pub(super) fn call(&mut self, c: &ToolCall, answer: Answer, certain: bool) {
        let Some(dev) = &c.developer else { return };
        self.by_developer.add(dev, answer, certain);
        if !self.sessions.contains_key(&*c.session_id) {
            self.sessions.insert(c.session_id.to_string(), dev.clone());
        }
        if let Some(p) = c.project.as_deref() {
            match self.projects.get_mut(p) {
                Some(devs) => {
                    if !devs.contains(dev) {
                        devs.insert(dev.clone());
                    }
                }
                None => {
                    self.projects
                        .insert(p.to_string(), BTreeSet::from([dev.clone()]));
                }
            }
        }
    }

    /// Counts a command key of a call of `developer`.
    pub(super) fn key(&mut self, dev: Option<&Arc<str>>, key: &str, answer: Answer, sure: bool) {
        count_in(&mut self.commands, dev, key, answer, sure);
    }

    /// Counts a call of `developer` made on a UTC `day`.
    pub(super) fn day(&mut self, dev: Option<&Arc<str>>, day: &str, answer: Answer, sure: bool) {
        count_in(&mut self.days, dev, day, answer, sure);
    }

    /// Counts a call again (an adoption settled later moved it from `from` to `to`).
    pub(super) fn recount(
        &mut self,
        developer: Option<&Arc<str>>,
        day: Option<&str>,
        keys: &[String],
        from: (Answer, bool),
        to: (Answer, bool),
    ) {
        let Some(dev) = developer else { return };
        self.by_developer.recount(dev, from, to);
        if let (Some(t), Some(day)) = (self.days.get_mut(dev), day) {
            t.recount(day, from, to);
        }
        if let Some(t) = self.commands.get_mut(dev) {
            for k in keys {
                t.recount(k, from, to);
            }
        }
    }

    /// Adds another part (of other sessions).
    pub(super) fn absorb(&mut self, other: TeamPart) {
        self.by_developer.merge(other.by_developer);
        for (dev, t) in other.commands {
            self.commands.entry(dev).or_default().merge(t);
        }
        for (dev, t) in other.days {
            self.days.entry(dev).or_default().merge(t);
        }
        for (s, d) in other.sessions {
            self.sessions.entry(s).or_insert(d);
        }
        for (p, devs) in other.projects {
            self.projects.entry(p).or_default().extend(devs);
        }
    }

    /// The finished figures: commands that prompted anyone, most prompts first (then most
    /// developers, then by key).
    pub(super) fn finish(self) -> TeamFigures {
        let mut by_key: BTreeMap<String, Vec<GroupCounts>> = BTreeMap::new();
        for (dev, tally) in self.commands {
            for mut g in tally.ranked().into_iter().filter(|g| g.prompts() > 0) {
                let key = std::mem::replace(&mut g.key, dev.to_string());
                by_key.entry(key).or_default().push(g);
            }
        }
        let mut commands: Vec<TeamCommand> = by_key
            .into_iter()
            .map(|(key, mut devs)| {
                devs.sort_by(|a, b| b.prompts().cmp(&a.prompts()).then(a.key.cmp(&b.key)));
                TeamCommand {
                    key,
                    prompts: devs.iter().map(GroupCounts::prompts).sum(),
                    approved: devs.iter().map(|g| g.approved).sum(),
                    approved_evidenced: devs.iter().map(|g| g.approved_evidenced).sum(),
                    rejected: devs.iter().map(|g| g.rejected).sum(),
                    developers: devs.len(),
                    by_developer: devs,
                }
            })
            .collect();
        commands.sort_by(|a, b| {
            b.prompts
                .cmp(&a.prompts)
                .then(b.developers.cmp(&a.developers))
                .then(a.key.cmp(&b.key))
        });
        TeamFigures {
            by_developer: self.by_developer.ranked(),
            project_developers: self
                .projects
                .into_iter()
                .map(|(p, devs)| (p, devs.iter().map(|d| d.to_string()).collect()))
                .collect(),
            commands,
            sessions: self.sessions,
            days: self
                .days
                .into_iter()
                .map(|(dev, t)| {
                    let mut days = t.ranked();
                    days.sort_by(|a, b| a.key.cmp(&b.key));
                    (dev.to_string(), days)
                })
                .collect(),
        }
    }
}

/// Counts `key` in the tally of `developer` (a call with none is not counted).
fn count_in(
    tallies: &mut FxHashMap<Arc<str>, Tally>,
    developer: Option<&Arc<str>>,
    key: &str,
    answer: Answer,
    certain: bool,
) {
    if let Some(dev) = developer {
        tallies
            .entry(dev.clone())
            .or_default()
            .add(key, answer, certain);
    }
}
