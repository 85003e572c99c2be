//! Running permstat: the binary, isolated from this machine's settings and cache, and the
//! loader in process.

use permstat::cmd::InputOptions;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

/// Runs the permstat binary with settings isolated from this machine's: an empty config
/// folder and an empty managed folder (so `~/.claude/settings.json` and
/// `/etc/claude-code` never leak into a test), given to every subcommand but `scan` (which
/// reads no settings), before a `--` if there is one; an empty home, safe-chains told to read
/// no settings file of its own (`SAFE_CHAINS_NO_LOCAL`), and an empty cache folder
/// (`--cache-dir` in `args` wins over it). Returns (exit code, stdout, stderr), both of which
/// must be UTF-8.
pub fn permstat(args: &[&str]) -> (i32, String, String) {
    permstat_with(args, &[])
}

/// [`permstat`] with more environment variables, set after the isolating ones (so they win).
pub fn permstat_with(args: &[&str], env: &[(&str, &OsStr)]) -> (i32, String, String) {
    run_isolated(args, env, None)
}

/// [`permstat`] with `config` as the Claude Code configuration folder (the user's
/// settings.json is read from, and `--scope user` writes to, `config/settings.json`).
pub fn permstat_in_config(args: &[&str], config: &std::path::Path) -> (i32, String, String) {
    run_isolated(args, &[], Some(config))
}

fn run_isolated(
    args: &[&str],
    env: &[(&str, &OsStr)],
    config: Option<&std::path::Path>,
) -> (i32, String, String) {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let config = config.map_or(dir, |c| c.to_str().unwrap());
    let mut all: Vec<&str> = args.to_vec();
    let isolate = ["--config-dir", config, "--managed-dir", dir];
    if !matches!(args.first(), Some(&"scan")) {
        // What follows `--` is not permstat's (verify's claude command line).
        let at = args.iter().position(|a| *a == "--").unwrap_or(args.len());
        all.splice(at..at, isolate);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_permstat"))
        .args(&all)
        .env("PERMSTAT_CACHE_DIR", empty.path().join("cache"))
        .env("HOME", empty.path())
        .env("SAFE_CHAINS_NO_LOCAL", "1")
        .env_remove("PERMSTAT_PROMPT_LOG")
        .env_remove("CLAUDE_CONFIG_DIR")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Runs [`permstat`] and returns stdout; fails the test, showing stderr, unless it exits 0.
pub fn permstat_ok(args: &[&str]) -> String {
    let (code, out, err) = permstat(args);
    assert_eq!(code, 0, "permstat {args:?}: {err}");
    out
}

/// Parses stdout as JSON, with the output in the panic message when it is not.
pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The input options for loading `paths` in process: quiet, redacted, with no cache, the
/// default config folder and no prompt log (this machine's must not leak into a test).
pub fn input(paths: Vec<PathBuf>) -> InputOptions {
    InputOptions {
        paths,
        config_dir: None,
        no_redact: false,
        quiet: true,
        no_cache: true,
        cache_dir: None,
        sources: permstat::sources::SourceOptions {
            no_prompt_log: true,
            ..Default::default()
        },
        ..InputOptions::default()
    }
}
