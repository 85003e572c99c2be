//! Criterion benchmarks of the hot parts: reading and filtering lines, outcome
//! classification, Bash splitting and matching, the replay, and the report's analysis.
//!
//! Input is the bundled real sample (`data/real`), so the numbers mean something and need
//! no generator; `benches/compare.sh` measures whole commands on a large generated corpus.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use permstat::event::Mode;
use permstat::permissions::bash_rule::{RuleKind, spec_matches};
use permstat::permissions::engine::{CallCtx, decide};
use permstat::permissions::settings::{LoadOptions, Policy};
use permstat::permissions::shell::{analyze, analyze_uncached};
use permstat::transcript::lazy::parse_line;
use permstat::transcript::line::Line;
use permstat::transcript::outcome::{CallFacts, ResultFacts, classify};
use permstat::transcript::scan::{build_table, scan_file};
use permstat::transcript::{discover, scan_files};
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// The allocator the binary uses, so that the numbers are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn real_files() -> Vec<PathBuf> {
    discover(&[PathBuf::from("data/real")])
        .files
        .into_iter()
        .map(|f| f.path)
        .collect()
}

fn reading(c: &mut Criterion) {
    let files = real_files();
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("scan_file (filter + parse), sample", |b| {
        b.iter(|| {
            for f in &files {
                black_box(scan_file(f));
            }
        })
    });
    // The skimming reader against serde on the same lines (every line of the sample).
    let text: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    g.bench_function("parse every line: skimming reader", |b| {
        b.iter(|| {
            for l in text.lines() {
                let _ = black_box(parse_line(l));
            }
        })
    });
    g.bench_function("parse every line: serde", |b| {
        b.iter(|| {
            for l in text.lines() {
                let _ = black_box(serde_json::from_str::<Line<'_>>(l));
            }
        })
    });
    g.bench_function("scan + join, sample", |b| {
        b.iter(|| {
            let scans = files.iter().map(|f| scan_file(f)).collect();
            black_box(build_table(scans))
        })
    });
    g.finish();
}

fn outcomes(c: &mut Criterion) {
    let texts = [
        "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing",
        "Permission to use Bash with command rm -rf build has been denied.",
        "Permission for this action was denied by the Claude Code auto mode classifier. Reason: [Code from External] x. If you have other tasks",
        "Exit code 1\nerror[E0308]: mismatched types",
        "<tool_use_error>File does not exist.</tool_use_error>",
    ];
    let mode = Mode::Default;
    c.bench_function("classify 5 result texts", |b| {
        b.iter(|| {
            for t in &texts {
                let call = CallFacts {
                    tool: "Bash",
                    mode: Some(&mode),
                    esc_siblings: 0,
                };
                let r = ResultFacts {
                    text: t,
                    is_error: true,
                    esc_synthetic: false,
                    denial_kind: None,
                };
                black_box(classify(call, Some(r)));
            }
        })
    });
}

const COMMANDS: &[&str] = &[
    "git diff HEAD && rm -rf build",
    "timeout 5 git log --oneline -20",
    "FOO=1 npm test -- --watch",
    "cat x | grep y | sort | uniq -c > /tmp/out",
    "for f in *.rs; do wc -l $f; done",
    "git -C /repo status",
    "ls $(whoami)",
    "cargo build --release 2>&1 | tail -50",
    "cat > /tmp/check.py << 'EOF'\nimport sys\nprint(sys.argv[1:])  # (x\nEOF\npython3 /tmp/check.py",
    "git add -A && git commit -m \"$(cat <<'EOF'\nfix: don't drop (partial) lines\n\nEOF\n)\"",
];

fn bash(c: &mut Criterion) {
    c.bench_function("analyze 10 commands (split)", |b| {
        b.iter(|| {
            for cmd in COMMANDS {
                black_box(analyze_uncached(cmd));
            }
        })
    });
    c.bench_function("analyze 10 commands (memo hits)", |b| {
        b.iter(|| {
            for cmd in COMMANDS {
                black_box(analyze(cmd));
            }
        })
    });
    let parts: Vec<_> = COMMANDS
        .iter()
        .flat_map(|c| analyze(c).parts.clone())
        .collect();
    let specs = [
        "git log *",
        "npm test:*",
        "cat *",
        "ls",
        "git * main",
        "cargo build *",
    ];
    c.bench_function("spec_matches 6 rules x all parts", |b| {
        b.iter(|| {
            for p in &parts {
                for s in &specs {
                    black_box(spec_matches(s, p, RuleKind::Allow));
                }
            }
        })
    });
}

fn replay(c: &mut Criterion) {
    let table = scan_files(&discover(&[PathBuf::from("data/real")]).files);
    let dir = std::env::temp_dir();
    let mut opts = LoadOptions::new(&dir, Path::new("/work/app"));
    opts.managed_dir = dir.clone();
    let mut policy = Policy::load(&opts).0;
    for r in ["Bash(git *)", "Bash(npm test *)", "Read(./**)", "WebSearch"] {
        policy.add_rule(
            RuleKind::Allow,
            r,
            permstat::permissions::settings::Source::User,
            &dir,
        );
    }
    policy.add_rule(
        RuleKind::Deny,
        "Bash(rm -rf *)",
        permstat::permissions::settings::Source::User,
        &dir,
    );
    let mut g = c.benchmark_group("replay");
    g.throughput(Throughput::Elements(table.calls.len() as u64));
    g.bench_function("decide every call of the sample", |b| {
        b.iter(|| {
            for call in &table.calls {
                let ctx = CallCtx {
                    tool: &call.tool,
                    input: &call.input,
                    cwd: call.project.as_deref().map(Path::new),
                    mode: call.mode.as_ref(),
                };
                black_box(decide(&policy, &ctx));
            }
        })
    });
    g.finish();
}

/// The report's whole analysis of the sample (replay, command keys, counts, fatigue, auto
/// mode, risky approvals), as `permstat report` folds one set of sessions. Judgements are
/// remembered per thread, and the sample's distinct calls fit in that memo, so from the
/// second iteration on every call finds its judgement there: this times the analysis
/// around the rule engine. The `replay` group times the engine; `examples/analysis_time`
/// times the whole analysis over a corpus.
fn report(c: &mut Criterion) {
    use permstat::analysis::report::{Part, ReportParams};
    use permstat::cmd::folder_settings::PolicyBook;
    use permstat::cmd::{InputOptions, SettingsOptions};
    use permstat::text::redact::Redactor;
    let table = scan_files(&discover(&[PathBuf::from("data/real")]).files);
    let empty = std::env::temp_dir().join("permstat-bench-empty");
    let input = InputOptions {
        paths: Vec::new(),
        config_dir: Some(empty.clone()),
        no_redact: false,
        quiet: true,
        no_cache: true,
        cache_dir: None,
        ..InputOptions::default()
    };
    let settings = SettingsOptions {
        settings: Vec::new(),
        project_root: None,
        managed_dir: empty,
    };
    let book = PolicyBook::new(&input, &settings);
    let params = ReportParams::default();
    let mut g = c.benchmark_group("report");
    g.throughput(Throughput::Elements(table.calls.len() as u64));
    g.bench_function("analyse every call of the sample", |b| {
        b.iter(|| {
            let part = Part::of(&table.calls, &book, &params, Redactor::new(true));
            black_box(part.finish(&params))
        })
    });
    g.finish();
}

criterion_group!(benches, reading, outcomes, bash, replay, report);
criterion_main!(benches);
