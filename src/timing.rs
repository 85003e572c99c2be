//! Phase timings on stderr, for finding where a run spends its time.
//!
//! Set `PERMSTAT_TIMINGS=1` and each finished phase prints its wall time, e.g.
//! `permstat: timing: scan 142.1 ms`. Off by default, and free when off.

use std::sync::LazyLock;
use std::time::Instant;

static ON: LazyLock<bool> = LazyLock::new(|| std::env::var_os("PERMSTAT_TIMINGS").is_some());

/// A running phase; prints its duration when dropped (if timings are on).
pub struct Phase {
    name: &'static str,
    start: Option<Instant>,
}

/// Starts timing a phase.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: ON.then(Instant::now),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(s) = self.start {
            eprintln!(
                "permstat: timing: {} {:.1} ms",
                self.name,
                s.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
