//! `permstat audit`: every loaded rule, how often it decided a call, and what is wrong with it.

use super::policies::{load_options, replay_calls};
use super::{apply_window, load};
use crate::cli::{AuditArgs, FailOn};
use crate::output::{self, Format, new_table, num};
use crate::permissions::settings::Policy;
use crate::suggest::{Audit, audit, has_dangerous};
use std::fmt::Write as _;
use std::process::ExitCode;

/// Runs `permstat audit`. Without transcripts the rules are still audited (usage counts 0).
pub fn run(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let calls = match load(&args.input) {
        Ok(loaded) => apply_window(loaded.table.calls, &args.window)?,
        // No transcript folder: audit the settings alone.
        Err(e) if args.input.paths.is_empty() => {
            if !args.input.quiet {
                eprintln!("permstat: note: {e:#}; auditing the settings without usage counts");
            }
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let replayed = replay_calls(&calls, &args.input, &args.settings);
    // The settings of the folder audit runs in, too: the ones a user is most likely asking about.
    let cwd = std::env::current_dir().unwrap_or_else(|_| "/".into());
    let (here, here_warnings) = Policy::load(&load_options(&args.input, &args.settings, &cwd));
    if !args.input.quiet {
        let mut seen: Vec<String> = replayed.warnings.iter().map(|w| w.to_string()).collect();
        for w in &here_warnings {
            let t = w.to_string();
            if !seen.contains(&t) {
                seen.push(t);
            }
        }
        for w in seen {
            eprintln!("permstat: warning: {w}");
        }
    }
    let mut policies: Vec<&Policy> = vec![&here];
    policies.extend(replayed.policies.values().map(|p| &**p));
    let result = audit(&policies, &calls, &replayed.decisions);
    match args.format {
        Format::Json => output::print_json(&result)?,
        Format::Html => anyhow::bail!("--format html is offered by `permstat report`"),
        f => output::print_text(&render(&result, f))?,
    }
    let fail = match args.fail_on {
        FailOn::Never => false,
        FailOn::Dangerous => has_dangerous(&result),
        FailOn::Findings => result.summary.with_findings > 0,
    };
    Ok(if fail {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn render(a: &Audit, format: Format) -> String {
    let mut s = String::new();
    if a.rules.is_empty() {
        s.push_str("No permission rules found in the loaded settings.\n");
        return s;
    }
    let findings = |r: &crate::suggest::RuleAudit| -> String {
        r.findings
            .iter()
            .map(|f| format!("{}: {}", snake(&f.kind), f.detail))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if format == Format::Md {
        s.push_str("| rule | list | level | allowed | denied | asked | findings |\n|---|---|---|---:|---:|---:|---|\n");
        for r in &a.rules {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {} | {} | {} |",
                r.text.replace('|', "\\|"),
                r.kind,
                r.source,
                r.allowed,
                r.denied,
                r.asked,
                findings(r).replace('\n', "; ").replace('|', "\\|")
            );
        }
    } else {
        let mut t = new_table(&[
            "rule", "list", "level", "allowed", "denied", "asked", "findings",
        ]);
        for r in &a.rules {
            t.add_row(vec![
                comfy_table::Cell::new(&r.text),
                comfy_table::Cell::new(r.kind),
                comfy_table::Cell::new(r.source),
                num(r.allowed),
                num(r.denied),
                num(r.asked),
                comfy_table::Cell::new(findings(r)),
            ]);
        }
        let _ = writeln!(s, "{t}");
    }
    let m = &a.summary;
    let _ = writeln!(
        s,
        "\n{} rules over {} calls: {} with findings ({} dangerous, {} stale, {} subsumed, {} never match, {} shadowed, {} carry a secret).",
        m.rules,
        m.calls,
        m.with_findings,
        m.dangerous,
        m.stale,
        m.subsumed,
        m.never_matches,
        m.shadowed,
        m.secret
    );
    s
}

/// The snake_case name a value serializes to (finding kinds).
fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}
