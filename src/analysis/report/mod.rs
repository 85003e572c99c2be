//! The friction report of `permstat report`, before any rendering: its document
//! ([`Report`]), the fold that builds it one group of whole sessions at a time ([`Part`]),
//! and the memo that decides each distinct call once.
//!
//! Pipeline: the command reads one set of linked sessions at a time and keeps the window;
//! [`Part::add`] replays today's settings on each call (the settings come from a
//! [`PolicyLookup`]), gathers the evidence of its sessions
//! ([`crate::analysis::Evidence::gather`]), takes each call's answer from it and counts it (tallies, fatigue and auto mode per
//! session, risky approvals, the replay summary); parts of other sessions merge with
//! [`Part::absorb`], and [`Part::finish`] gives the [`Report`]. `crate::output::report`
//! renders it. [`period`] regroups days into weeks and months. The calls the suggester needs
//! are kept aside as a compact summary per working folder ([`Part::take_suggest_rows`]:
//! calls alike once, with their count), so that the command can run it over them without
//! reading the transcripts again or holding the calls.

mod fold;
mod judge;
mod model;
pub mod period;
mod team;

pub use fold::{Part, ReportParams, SuggestRows};
pub use judge::{PolicyLookup, PolicyMap};
pub use model::{
    AutoHeadline, ByBasis, Context, Denied, Estimate, EvidenceReport, FATIGUE_NOTE,
    FatigueHeadline, GroundRow, INFERENCE_NOTE, ModesInferred, Prompts, Report, RuleSaving,
    SUGGESTED_NOTE, SessionRow, Suggested, TeamCommand,
};
