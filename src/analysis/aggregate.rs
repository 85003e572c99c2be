//! Counts of answers grouped by tool, command key, project, session or day, computed with
//! lazy polars group-bys over the frames of [`crate::output::frame`].

use crate::analysis::Answer;
use polars::prelude::*;
use serde::Serialize;

/// The answers counted in every grouping, as (output field, answer).
pub const COUNTED: &[(&str, Answer)] = &[
    ("approved", Answer::Approved),
    ("rejected", Answer::Rejected),
    ("rule_denied", Answer::RuleDenied),
    ("classifier_blocked", Answer::ClassifierBlocked),
    ("classifier_unavailable", Answer::ClassifierUnavailable),
    ("dontask_denied", Answer::DontAskDenied),
    ("hook_denied", Answer::HookDenied),
    ("auto_allowed", Answer::AutoAllowed),
    ("classifier_allowed", Answer::ClassifierAllowed),
];

/// One group's counts.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GroupCounts {
    /// The group's value (tool name, command key, project, session id or day).
    pub key: String,
    /// Calls in the group.
    pub calls: u64,
    /// Prompts answered "yes" (inferred by the replay).
    pub approved: u64,
    /// Prompts answered "no".
    pub rejected: u64,
    /// All denials nobody answered: rule + classifier + classifier unavailable + dontAsk + hook.
    pub denied: u64,
    /// Denied by a deny rule.
    pub rule_denied: u64,
    /// Blocked by the auto-mode classifier.
    pub classifier_blocked: u64,
    /// Denied because the classifier was unavailable.
    pub classifier_unavailable: u64,
    /// Denied by dontAsk mode.
    pub dontask_denied: u64,
    /// Denied by a hook.
    pub hook_denied: u64,
    /// Ran without a prompt (read-only, built-in list, allow rule or mode).
    pub auto_allowed: u64,
    /// Ran after the auto-mode classifier allowed it.
    pub classifier_allowed: u64,
}

impl GroupCounts {
    /// Prompts shown: approved + rejected.
    pub fn prompts(&self) -> u64 {
        self.approved + self.rejected
    }
}

/// Groups `frame` (which has an `answer` column) by `by` and counts each answer; sorted by
/// prompts, then calls, descending, then by key.
pub fn count_by(frame: &DataFrame, by: &str) -> PolarsResult<Vec<GroupCounts>> {
    let mut aggs: Vec<Expr> = vec![len().alias("calls")];
    for (name, answer) in COUNTED {
        aggs.push(
            col("answer")
                .eq(lit(answer.as_str()))
                .cast(DataType::UInt64)
                .sum()
                .alias(*name),
        );
    }
    let out = frame
        .clone()
        .lazy()
        .filter(col(by).is_not_null())
        .group_by([col(by)])
        .agg(aggs)
        .collect()?;
    let keys = out.column(by)?.str()?.clone();
    let num = |name: &str| -> PolarsResult<Vec<u64>> {
        let c = out.column(name)?.cast(&DataType::UInt64)?;
        let ca = c.u64()?;
        Ok((0..ca.len()).map(|i| ca.get(i).unwrap_or(0)).collect())
    };
    let calls = num("calls")?;
    let cols: Vec<Vec<u64>> = COUNTED
        .iter()
        .map(|(n, _)| num(n))
        .collect::<PolarsResult<_>>()?;
    let mut rows: Vec<GroupCounts> = (0..out.height())
        .map(|i| {
            let v = |j: usize| cols[j][i];
            let mut g = GroupCounts {
                key: keys.get(i).unwrap_or_default().to_string(),
                calls: calls[i],
                approved: v(0),
                rejected: v(1),
                rule_denied: v(2),
                classifier_blocked: v(3),
                classifier_unavailable: v(4),
                dontask_denied: v(5),
                hook_denied: v(6),
                auto_allowed: v(7),
                classifier_allowed: v(8),
                denied: 0,
            };
            g.denied = g.rule_denied
                + g.classifier_blocked
                + g.classifier_unavailable
                + g.dontask_denied
                + g.hook_denied;
            g
        })
        .collect();
    rows.sort_by(|a, b| {
        b.prompts()
            .cmp(&a.prompts())
            .then(b.calls.cmp(&a.calls))
            .then(a.key.cmp(&b.key))
    });
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_answer_per_group() {
        let df = DataFrame::new(
            5,
            vec![
                Column::new("tool".into(), ["Bash", "Bash", "Read", "Bash", "Edit"]),
                Column::new(
                    "answer".into(),
                    [
                        "approved",
                        "rejected",
                        "auto_allowed",
                        "approved",
                        "rule_denied",
                    ],
                ),
            ],
        )
        .unwrap();
        let rows = count_by(&df, "tool").unwrap();
        assert_eq!(rows[0].key, "Bash");
        assert_eq!(
            (rows[0].calls, rows[0].approved, rows[0].rejected),
            (3, 2, 1)
        );
        let edit = rows.iter().find(|r| r.key == "Edit").unwrap();
        assert_eq!((edit.rule_denied, edit.denied), (1, 1));
        let read = rows.iter().find(|r| r.key == "Read").unwrap();
        assert_eq!(read.auto_allowed, 1);
    }
}
