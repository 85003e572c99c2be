//! When an allow rule of today's settings was likely adopted: the replay says the rule lets
//! its calls run unasked, but calls it covers that waited (a dialog was open) show it was
//! not there yet.
//!
//! Per rule, over every call it covers with timing evidence, in time order: the adoption is
//! the first call at machine speed after the last one that waited, provided the calls that
//! waited outnumber the fast ones up to there (else the waits are odd calls, not a missing
//! rule). Calls the rule covers that came before the adoption and were not fast count as
//! prompts ([`crate::analysis::Ground::BeforeAdoption`]). `docs/report.md` says why.
//!
//! Rules cover calls of many sessions, so the dates are settled over every call of the
//! window: [`dates`] takes what each set of sessions saw ([`Seen`]).

use crate::text::time::iso;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A timed call an allow rule covers: when, and whether it came at machine speed (else it
/// waited). Calls whose timing says nothing are not seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The rule and its file.
    pub rule: Arc<str>,
    /// When the call was made.
    pub at_ms: i64,
    /// Machine speed (true) or waited (false).
    pub fast: bool,
}

/// A rule's likely adoption during the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    /// The rule and the settings file it is in.
    pub rule: String,
    /// When the first call after the last wait came at machine speed (RFC 3339).
    pub adopted: String,
    /// The same time, ms since the epoch.
    #[serde(skip)]
    pub adopted_ms: i64,
    /// Covered calls that waited before it.
    pub waited_before: usize,
    /// Covered calls at machine speed from it on.
    pub fast_after: usize,
    /// Covered calls before it that count as prompts (filled in by the caller).
    pub prompts_before: u64,
}

/// The adoption of each rule that shows one, by rule.
pub fn dates(seen: Vec<Seen>) -> Vec<Adoption> {
    let mut by_rule: BTreeMap<Arc<str>, Vec<(i64, bool)>> = BTreeMap::new();
    for s in seen {
        by_rule.entry(s.rule).or_default().push((s.at_ms, s.fast));
    }
    let mut out = Vec::new();
    for (rule, mut v) in by_rule {
        v.sort_unstable();
        let Some(last_wait) = v.iter().rposition(|(_, fast)| !fast) else {
            continue;
        };
        let Some(first_fast) = v[last_wait..].iter().position(|(_, fast)| *fast) else {
            continue;
        };
        let before = &v[..=last_wait];
        let waited = before.iter().filter(|(_, f)| !f).count();
        if waited <= before.len() - waited {
            continue;
        }
        let at = v[last_wait + first_fast].0;
        out.push(Adoption {
            rule: rule.to_string(),
            adopted: iso(at),
            adopted_ms: at,
            waited_before: waited,
            fast_after: v[last_wait..].iter().filter(|(_, f)| *f).count(),
            prompts_before: 0,
        });
    }
    out
}

/// The adoption time of `rule` among `adoptions` (sorted by rule), if it has one.
pub fn adopted_ms(adoptions: &[Adoption], rule: &str) -> Option<i64> {
    adoptions
        .binary_search_by(|a| a.rule.as_str().cmp(rule))
        .ok()
        .map(|k| adoptions[k].adopted_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(rule: &str, v: &[(i64, bool)]) -> Vec<Seen> {
        v.iter()
            .map(|(at, fast)| Seen {
                rule: rule.into(),
                at_ms: *at,
                fast: *fast,
            })
            .collect()
    }

    #[test]
    fn waits_then_machine_speed() {
        let a = dates(seen(
            "r",
            &[(10, false), (20, false), (30, true), (40, true)],
        ));
        assert_eq!(a.len(), 1);
        assert_eq!(
            (a[0].adopted_ms, a[0].waited_before, a[0].fast_after),
            (30, 2, 2)
        );
        assert_eq!(adopted_ms(&a, "r"), Some(30));
        assert_eq!(adopted_ms(&a, "q"), None);
    }

    #[test]
    fn no_adoption_without_a_change() {
        // Fast throughout, waits throughout, an odd wait among fast calls.
        assert!(dates(seen("r", &[(1, true), (2, true)])).is_empty());
        assert!(dates(seen("r", &[(1, false), (2, false)])).is_empty());
        assert!(dates(seen("r", &[(1, true), (2, true), (3, false), (4, true)])).is_empty());
        // Order of arrival does not matter.
        let a = dates(seen("r", &[(40, true), (10, false)]));
        assert_eq!(a[0].adopted_ms, 40);
    }
}
