//! Grouping the report's days into ISO weeks or calendar months (`--by week|month`), and
//! totals over any grouping.

use crate::analysis::aggregate::GroupCounts;
use chrono::{Datelike, NaiveDate};

/// How the report groups time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Period {
    /// UTC days (`2026-01-07`).
    #[default]
    Day,
    /// ISO weeks, Monday to Sunday (`2026-W02`).
    Week,
    /// Calendar months (`2026-01`).
    Month,
}

impl Period {
    /// `day`, `week` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The plural, for table notes ("12 of 40 days shown").
    pub fn plural(self) -> &'static str {
        match self {
            Period::Day => "days",
            Period::Week => "weeks",
            Period::Month => "months",
        }
    }

    /// The key of the period a UTC day (`YYYY-MM-DD`) falls in; the day itself when it does
    /// not parse.
    pub fn key_of_day(self, day: &str) -> String {
        let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
            return day.to_string();
        };
        match self {
            Period::Day => day.to_string(),
            Period::Week => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Period::Month => format!("{}-{:02}", d.year(), d.month()),
        }
    }
}

/// `by_day` (keys `YYYY-MM-DD`) regrouped by `period`, in time order.
pub fn regroup(by_day: &[GroupCounts], period: Period) -> Vec<GroupCounts> {
    let mut out: std::collections::BTreeMap<String, GroupCounts> = Default::default();
    for d in by_day {
        let key = period.key_of_day(&d.key);
        out.entry(key.clone())
            .or_insert_with(|| GroupCounts {
                key,
                ..GroupCounts::default()
            })
            .absorb(d);
    }
    out.into_values().collect()
}

/// The sum of `groups`, keyed `key`.
pub fn total(groups: &[GroupCounts], key: &str) -> GroupCounts {
    let mut t = GroupCounts {
        key: key.to_string(),
        ..GroupCounts::default()
    };
    for g in groups {
        t.absorb(g);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(key: &str, approved: u64, calls: u64) -> GroupCounts {
        GroupCounts {
            key: key.into(),
            approved,
            calls,
            ..GroupCounts::default()
        }
    }

    #[test]
    fn weeks_and_months() {
        // 2026-01-04 is a Sunday (ISO week 1 of 2026), 2026-01-05 a Monday (week 2);
        // 2025-12-29 is the Monday of ISO week 1 of 2026.
        let days = [
            day("2025-12-29", 1, 1),
            day("2026-01-04", 2, 2),
            day("2026-01-05", 4, 4),
            day("2026-02-01", 8, 8),
        ];
        let weeks = regroup(&days, Period::Week);
        let got: Vec<(&str, u64)> = weeks.iter().map(|g| (g.key.as_str(), g.approved)).collect();
        assert_eq!(got, [("2026-W01", 3), ("2026-W02", 4), ("2026-W05", 8)]);
        let months = regroup(&days, Period::Month);
        let got: Vec<(&str, u64)> = months
            .iter()
            .map(|g| (g.key.as_str(), g.approved))
            .collect();
        assert_eq!(got, [("2025-12", 1), ("2026-01", 6), ("2026-02", 8)]);
        assert_eq!(regroup(&days, Period::Day), days.to_vec());
        let t = total(&days, "total");
        assert_eq!((t.key.as_str(), t.approved, t.calls), ("total", 15, 15));
        assert_eq!(Period::Week.key_of_day("not a day"), "not a day");
    }
}
