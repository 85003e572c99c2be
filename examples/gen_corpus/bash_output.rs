//! The output of the Bash commands the sessions run: logs, diffs, test and build runs.

use crate::ids::{hex, iso};
use crate::projects::Project;
use crate::rng::Rng;
use crate::words::{LIBS_PY, LIBS_RS, Lang, NOUNS, camel, code_stmt, pascal, prose_clause, snake};
use std::fmt::Write as _;

fn ver3(r: &mut Rng) -> String {
    format!("{}.{}.{}", r.range(0, 4), r.below(40), r.below(20))
}

pub(crate) fn log_lines(r: &mut Rng, n: usize, t0: u64) -> String {
    let mut s = String::with_capacity(n * 110);
    for i in 0..n {
        let lvl = r.word(&["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]);
        let _ = writeln!(
            s,
            "{} {lvl} {}: {} {}={} {}={}",
            iso(t0 + i as u64 * r.range(3, 900)),
            r.pick(NOUNS),
            prose_clause(r),
            r.pick(NOUNS),
            r.below(5000),
            r.pick(NOUNS),
            hex(r, 8)
        );
    }
    s
}

pub(crate) fn git_diff(r: &mut Rng, p: &Project, nfiles: usize) -> String {
    let mut s = String::new();
    let files = p.code_files();
    for _ in 0..nfiles.max(1) {
        let f = if files.is_empty() {
            "src/main.rs".to_string()
        } else {
            r.pick(&files).0.clone()
        };
        let _ = writeln!(
            s,
            "diff --git a/{f} b/{f}\nindex {}..{} 100644\n--- a/{f}\n+++ b/{f}",
            hex(r, 7),
            hex(r, 7)
        );
        for _ in 0..r.range(1, 4) {
            let a = r.range(5, 400);
            let _ = writeln!(
                s,
                "@@ -{a},{} +{a},{} @@ {}",
                r.range(3, 12),
                r.range(3, 14),
                code_stmt(r, p.lang)
            );
            for _ in 0..r.range(4, 16) {
                let c = match r.below(4) {
                    0 => '-',
                    1 => '+',
                    _ => ' ',
                };
                let _ = writeln!(s, "{c}    {}", code_stmt(r, p.lang));
            }
        }
    }
    s
}

pub(crate) fn test_output(r: &mut Rng, p: &Project, fail: bool) -> String {
    let mut s = String::new();
    let n = r.logr(3, 90) as usize;
    let failed = if fail { r.range(1, 3) as usize } else { 0 };
    match p.lang {
        Lang::Rust => {
            let _ = writeln!(s, "running {n} tests");
            for i in 0..n {
                let _ = writeln!(
                    s,
                    "test {}::tests::{} ... {}",
                    r.pick(NOUNS),
                    snake(r),
                    if i < failed { "FAILED" } else { "ok" }
                );
            }
            if fail {
                let _ = writeln!(
                    s,
                    "\nfailures:\n\n---- {}::tests::{} stdout ----\nthread '{}' panicked at src/{}.rs:{}:{}:\nassertion `left == right` failed\n  left: {}\n right: {}\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
                    r.pick(NOUNS),
                    snake(r),
                    snake(r),
                    r.pick(NOUNS),
                    r.range(10, 900),
                    r.range(5, 40),
                    r.below(10),
                    r.below(10)
                );
                let _ = writeln!(
                    s,
                    "test result: FAILED. {} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.{:02}s",
                    n - failed,
                    r.below(99)
                );
            } else {
                let _ = writeln!(
                    s,
                    "\ntest result: ok. {n} passed; 0 failed; {} ignored; 0 measured; 0 filtered out; finished in {}.{:02}s",
                    r.below(3),
                    r.below(4),
                    r.below(99)
                );
            }
        }
        Lang::Go => {
            for i in 0..(n / 6).max(2) {
                let pkg = r.pick(NOUNS);
                if i < failed {
                    let _ = writeln!(
                        s,
                        "--- FAIL: Test{} (0.{:02}s)\n    {pkg}_test.go:{}: expected {}, got {}\nFAIL\nFAIL\tgithub.com/{}/{}/internal/{pkg}\t0.{:03}s",
                        pascal(r),
                        r.below(99),
                        r.range(10, 300),
                        r.below(9),
                        r.below(9),
                        p.user,
                        p.name,
                        r.below(999)
                    );
                } else {
                    let _ = writeln!(
                        s,
                        "ok  \tgithub.com/{}/{}/internal/{pkg}\t{}",
                        p.user,
                        p.name,
                        if r.chance(0.5) {
                            "(cached)".to_string()
                        } else {
                            format!("0.{:03}s", r.below(999))
                        }
                    );
                }
            }
        }
        Lang::Ts => {
            let _ = writeln!(s, "\n RUN  v2.1.{} {}\n", r.below(9), p.cwd);
            for i in 0..(n / 8).max(2) {
                let _ = writeln!(
                    s,
                    " {} tests/{}.test.ts ({} tests) {}ms",
                    if i < failed { "❯" } else { "✓" },
                    r.pick(NOUNS),
                    r.range(2, 30),
                    r.range(3, 400)
                );
            }
            if fail {
                let _ = writeln!(
                    s,
                    "\n⎯⎯⎯⎯⎯⎯⎯ Failed Tests {failed} ⎯⎯⎯⎯⎯⎯⎯\n\n FAIL  tests/{}.test.ts > {} > {}\nAssertionError: expected {} to deeply equal {}\n",
                    r.pick(NOUNS),
                    camel(r),
                    prose_clause(r),
                    r.below(9),
                    r.below(9)
                );
            }
            let _ = writeln!(
                s,
                " Test Files  {} passed ({})\n      Tests  {} passed ({n})\n   Duration  {}.{:02}s",
                // More failures than files (up to 3 of 2) count as all files failing; a
                // plain subtraction wrapped in release builds and panicked in debug ones.
                (n / 8).max(2).saturating_sub(failed),
                (n / 8).max(2),
                n - failed,
                r.below(9),
                r.below(99)
            );
        }
        Lang::Py => {
            let _ = writeln!(
                s,
                "============================= test session starts ==============================\nplatform {} -- Python 3.12.{}, pytest-8.3.{}, pluggy-1.5.0\nrootdir: {}\nconfigfile: pyproject.toml\ncollected {n} items\n",
                if p.windows { "win32" } else { "darwin" },
                r.below(8),
                r.below(5),
                p.cwd
            );
            for _ in 0..(n / 10).max(1) {
                let dots: String = (0..r.range(3, 30))
                    .map(|_| if fail && r.chance(0.05) { 'F' } else { '.' })
                    .collect();
                let _ = writeln!(s, "tests/test_{}.py {dots}", r.pick(NOUNS));
            }
            if fail {
                let _ = writeln!(
                    s,
                    "\n=========================== short test summary info ============================\nFAILED tests/test_{}.py::test_{} - AssertionError: assert {} == {}",
                    r.pick(NOUNS),
                    snake(r),
                    r.below(9),
                    r.below(9)
                );
                let _ = writeln!(
                    s,
                    "========================= {failed} failed, {} passed in {}.{:02}s =========================",
                    n - failed,
                    r.below(9),
                    r.below(99)
                );
            } else {
                let _ = writeln!(
                    s,
                    "============================== {n} passed in {}.{:02}s ==============================",
                    r.below(9),
                    r.below(99)
                );
            }
        }
    }
    s
}

pub(crate) fn build_output(r: &mut Rng, p: &Project, fail: bool) -> (String, String) {
    match p.lang {
        Lang::Rust => {
            let mut e = String::new();
            for _ in 0..r.logr(1, 60) {
                let _ = writeln!(e, "   Compiling {} v{}", r.pick(LIBS_RS), ver3(r));
            }
            let _ = writeln!(e, "   Compiling {} v0.1.0 ({})", p.name, p.cwd);
            if fail {
                let f = r.pick(NOUNS);
                let _ = writeln!(
                    e,
                    "error[E0{}]: {}\n  --> src/{f}.rs:{}:{}\n   |\n{} |     {}\n   |     ^^^^^ {}\n\nerror: could not compile `{}` (lib) due to 1 previous error",
                    r.range(300, 599),
                    r.pick(&[
                        "mismatched types",
                        "cannot find value in this scope",
                        "borrow of moved value",
                        "no method named `len` found"
                    ]),
                    r.range(10, 500),
                    r.range(5, 40),
                    r.range(10, 500),
                    code_stmt(r, Lang::Rust),
                    prose_clause(r),
                    p.name
                );
            } else {
                let _ = writeln!(
                    e,
                    "    Finished `dev` profile [unoptimized + debuginfo] target(s) in {}.{:02}s",
                    r.below(40),
                    r.below(99)
                );
            }
            (String::new(), e)
        }
        Lang::Go => {
            if fail {
                (
                    String::new(),
                    format!(
                        "# github.com/{}/{}/internal/{}\ninternal/{}/{}.go:{}:{}: undefined: {}\n",
                        p.user,
                        p.name,
                        r.pick(NOUNS),
                        r.pick(NOUNS),
                        r.pick(NOUNS),
                        r.range(10, 300),
                        r.range(2, 30),
                        camel(r)
                    ),
                )
            } else {
                (String::new(), String::new())
            }
        }
        Lang::Ts => {
            let mut s = format!(
                "\n> {}@1.{}.0 build\n> tsc -p . && vite build\n\n",
                p.name,
                r.below(9)
            );
            if fail {
                let _ = writeln!(
                    s,
                    "src/{}.ts({},{}): error TS2{}: Property '{}' does not exist on type '{}'.",
                    r.pick(NOUNS),
                    r.range(5, 300),
                    r.range(2, 40),
                    r.range(300, 799),
                    r.pick(NOUNS),
                    pascal(r)
                );
            } else {
                let _ = writeln!(
                    s,
                    "vite v5.4.{} building for production...\ntransforming...\n✓ {} modules transformed.",
                    r.below(12),
                    r.range(40, 900)
                );
                for _ in 0..r.range(2, 8) {
                    let _ = writeln!(
                        s,
                        "dist/assets/{}-{}.js  {}.{:02} kB │ gzip: {}.{:02} kB",
                        r.pick(NOUNS),
                        hex(r, 8),
                        r.range(1, 400),
                        r.below(99),
                        r.range(1, 90),
                        r.below(99)
                    );
                }
                let _ = writeln!(s, "✓ built in {}.{:02}s", r.below(9), r.below(99));
            }
            (s, String::new())
        }
        Lang::Py => {
            if fail {
                (
                    String::new(),
                    format!(
                        "Traceback (most recent call last):\n  File \"{}/{}.py\", line {}, in <module>\n    {}\nModuleNotFoundError: No module named '{}'\n",
                        p.name,
                        r.pick(NOUNS),
                        r.range(3, 200),
                        code_stmt(r, Lang::Py),
                        r.pick(LIBS_PY)
                    ),
                )
            } else {
                (
                    format!(
                        "Successfully built {}-0.{}.0.tar.gz and {}-0.{}.0-py3-none-any.whl\n",
                        p.name,
                        r.below(9),
                        p.name,
                        r.below(9)
                    ),
                    String::new(),
                )
            }
        }
    }
}
