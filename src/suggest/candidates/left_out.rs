//! The list of candidates that got no rule, with why, merged per reason, tool and key.

use super::{LeftOut, Reason, shown};
use crate::suggest::summary::Weights;
use crate::text::redact::Redactor;
use std::collections::{BTreeMap, BTreeSet};

type LeftKey = (Reason, String, String);

/// Left-out candidates: (table, detail, calls concerned) per (reason, tool, key).
#[derive(Default)]
pub(super) struct LeftOuts {
    map: BTreeMap<LeftKey, (Option<String>, String, BTreeSet<usize>)>,
}

impl LeftOuts {
    pub(super) fn add(
        &mut self,
        reason: Reason,
        tool: &str,
        key: &str,
        table: Option<&str>,
        detail: &str,
        calls: impl IntoIterator<Item = usize>,
    ) {
        let e = self
            .map
            .entry((reason, tool.to_string(), key.to_string()))
            .or_insert_with(|| {
                (
                    table.map(str::to_string),
                    detail.to_string(),
                    BTreeSet::new(),
                )
            });
        e.2.extend(calls);
    }

    /// The list, most calls first (each entry standing for its weight in calls).
    pub(super) fn into_vec(self, redactor: &Redactor, w: &Weights) -> Vec<LeftOut> {
        let mut v: Vec<LeftOut> = self
            .map
            .into_iter()
            .map(|((reason, tool, key), (table, detail, calls))| LeftOut {
                tool,
                key: shown(&redactor.redact(&key)),
                reason,
                table,
                detail: shown(&redactor.redact(&detail)),
                count: w.sum(calls),
            })
            .collect();
        v.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.reason.cmp(&b.reason))
                .then(a.tool.cmp(&b.tool))
                .then(a.key.cmp(&b.key))
        });
        v
    }
}
