//! The command line: clap definitions, their mapping to the plain options each subcommand
//! takes (`crate::cmd`), and dispatch to one subcommand. Nothing else knows about clap.

use crate::analysis::report::period::Period;
use crate::cmd::audit::{AuditOptions, FailOn};
use crate::cmd::check::CheckOptions;
use crate::cmd::export::ExportOptions;
use crate::cmd::hook::{HookAction, HookOptions};
use crate::cmd::replay::ReplayOptions;
use crate::cmd::report::ReportOptions;
use crate::cmd::scan::ScanOptions;
use crate::cmd::suggest::{SuggestRunOptions, WriteScope};
use crate::cmd::verify::{BoundaryOptions, CanaryOptions, VerifyOptions};
use crate::cmd::{self, InputOptions, SettingsOptions, WindowOptions};
use crate::output::Format;
use crate::output::frame::ExportFormat;
use crate::output::suggest::SuggestFormat;
use crate::sources::SourceOptions;
use crate::suggest::SuggestOptions;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str = "Measure Claude Code permission-prompt friction from session transcripts";

const LONG_ABOUT: &str = "\
permstat reads Claude Code session transcripts (by default $CLAUDE_CONFIG_DIR/projects or \
~/.claude/projects), builds one table of every tool call with its outcome, and replays \
Claude Code's permission rules over it to tell which calls made a person answer a prompt.

Transcript text is treated as untrusted data: it is never run, and secrets in commands \
are redacted in every output unless --no-redact is given.";

const EXAMPLES: &str = "\
Examples:
  permstat scan                         summary of your own transcripts
  permstat scan data/real               summary of the bundled sample
  permstat scan --format json           the summary as JSON
  permstat scan --calls > calls.jsonl   every tool call as JSON lines
  permstat report                       approvals, denials, fatigue, auto mode
  permstat replay data/real             which calls today's settings would prompt for
  permstat suggest                      narrow allow rules for what you keep approving
  permstat audit --fail-on dangerous    check the rules already in your settings
  permstat check Bash 'git diff && rm -rf build'
                                        what Claude Code would do with a command
  permstat verify --explain -- claude -p --dangerously-skip-permissions --allowedTools 'Bash(git log *)'
                                        what a headless run's flags really allow
  permstat hook --install --write       log every permission prompt from now on

Exit status:
  0  done (check: whatever the decision; audit: findings not asked to fail on)
  1  audit --fail-on found what it was asked to fail on; verify found a violation
  2  the command could not run: a usage error or unusable input (a path that does not
     exist, no transcripts where some were named, a --project that matches no session,
     a bad or reversed --since/--until, an unknown --mode, a --config-dir that does not
     exist, a bad --pick, a settings file suggest --write refuses); the message says what
     to do";

/// Top-level command line.
#[derive(Debug, Parser)]
#[command(name = "permstat", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct CommandLine {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read transcripts and summarise every tool call and its outcome.
    #[command(after_help = "\
Examples:
  permstat scan
  permstat scan ~/.claude/projects/-home-me-app
  permstat scan data/real --format json
  permstat scan --calls | jq -c 'select(.outcome != \"ran\")'
  permstat scan --team ~/team               one subfolder per developer: calls by developer

Exit status: 0 done, 2 the command could not run (no transcripts where named, a path
that does not exist, a --config-dir that does not exist).")]
    Scan(ScanArgs),

    /// Where permission prompts cost you: approvals, denials, fatigue, auto-mode fallbacks.
    #[command(after_help = "\
Examples:
  permstat report
  permstat report data/real --since 2026-01-01
  permstat report --project '*my-app*' --format md > friction.md
  permstat report --format html > friction.html    one page with charts, for a team lead
  permstat report --by week --top 26                half a year, week by week
  permstat report --format json | jq .fatigue.waiting
  permstat report --format json | jq '.prompts.estimate, .evidence.modes_inferred'
  permstat report --human-floor-ms 500      count results under 0.5 s as unasked
  permstat report --team ~/team             one subfolder per developer (a copy of their
                                            ~/.claude or ~/.claude/projects)
  permstat report --team ~/team --anonymize --anonymize-salt \"$SALT\" --format html
                                            pseudonyms for names, homes, projects, branches

Exit status: 0 done, 2 the command could not run (no transcripts where named, a
--project that matches no session, a bad or reversed --since/--until, ...).")]
    Report(ReportArgs),

    /// Replay today's permission rules over every recorded call and compare with what happened.
    #[command(after_help = "\
Examples:
  permstat replay data/real
  permstat replay --settings team-settings.json --format json
  permstat replay --calls | jq -c 'select(.verdict == \"would_prompt\")'

Exit status: 0 done, 2 the command could not run (see `permstat --help`).")]
    Replay(ReplayArgs),

    /// What Claude Code would do with one tool call under the loaded settings.
    #[command(after_help = "\
Examples:
  permstat check Bash 'git diff HEAD && rm -rf build'
  permstat check Read ./.env
  permstat check --settings .claude/settings.json --mode acceptEdits Edit src/main.rs
  permstat check WebFetch https://docs.rs/serde --format json

Modes: default, acceptEdits, plan, auto, dontAsk, bypassPermissions.
The input and the rules shown are redacted unless --no-redact.

Exit status: 0 for any decision; 2 when the check could not run (an unknown --mode, a
--config-dir that does not exist, a bad --param).")]
    Check(CheckArgs),

    /// Write the tool-call table (with the replay's verdicts) as Parquet or CSV.
    #[command(after_help = "\
Examples:
  permstat export --output calls.parquet
  permstat export data/real --output calls.csv
  permstat export --keys --output keys.parquet     one row per command key
  permstat export --team ~/team --format parquet --output export/
                      developer=NAME/month=YYYY-MM/part-HASH.parquet, for DuckDB or Spark
                      (docs/export.md); folders of several exports merge by copying

Exit status: 0 done, 2 the command could not run (see `permstat --help`).")]
    Export(ExportArgs),

    /// Propose narrow allow rules for the read-only calls you keep approving.
    #[command(after_help = "\
Examples:
  permstat suggest                          dry run: saving, rules per project, diffs
  permstat suggest --write                  merge each project's rules into its
                                            .claude/settings.local.json
  permstat suggest --pick 1,3 --write       write only rules 1 and 3 of the list
  permstat suggest --exclude 'Bash(make lint)' --write
  permstat suggest --project-root . --write one project: every session counts for it
  permstat suggest --scope user             rules approved in several projects, for
                                            ~/.claude/settings.json
  permstat suggest --include-runners        also exact rules for test/build/task runners
  permstat suggest --since 2026-01-01       a wider evidence window
  permstat suggest --format settings        a ready {\"permissions\": {\"allow\": [...]}} block
  permstat suggest --team ~/team            for a team: whom each rule saves prompts, and
                                            whether it belongs in the shared project file

Three kinds of rule: read-only (proposed), runs project code (test, build, lint and task
runners such as go test, npm test, make: they execute files the agent can edit, so they are
proposed only with --include-runners, exact, and with a warning), never (interpreters,
shells, package runners, runner wildcards, gh api, curl/wget, git fetch/pull, exec wrappers,
writes, anything with an operator, redirection, substitution, env assignment or secret).
A rule must save at least --min-saved prompts by replay.

Exit status: 0 done; 2 the command could not run (a bad --pick, a settings file --write
refuses, see `permstat --help`).")]
    Suggest(SuggestArgs),

    /// Audit the rules already in your settings: usage, stale, subsumed, dangerous, shadowed.
    #[command(after_help = "\
Examples:
  permstat audit
  permstat audit --settings .claude/settings.json --format json
  permstat audit --fail-on dangerous             exit 1 when an allow rule is dangerous (CI)
  permstat audit --settings ci/settings.json --fail-on findings

A settings file that cannot be read or parsed, a --settings file that does not exist and
a rule that does not parse are findings (named with file and line): --fail-on dangerous
fails on them too, since nothing can be proved about rules that were not read.

Exit status: 0 done; 1 --fail-on found what it was asked to fail on; 2 the audit could not
run (see `permstat --help`).")]
    Audit(AuditArgs),

    /// Check a headless run's tool boundary: explain it, check calls, or write a canary.
    #[command(after_help = VERIFY_HELP)]
    Verify(Box<VerifyArgs>),

    /// Log permission prompts as they happen: the command Claude Code runs as a
    /// PermissionRequest hook, and --install/--uninstall to set that hook up.
    #[command(after_help = "\
Examples:
  permstat hook --install                         dry run: the change to ~/.claude/settings.json
  permstat hook --install --write                 add the hook (user scope: every project)
  permstat hook --install --outcomes --write      also log each call's end (exact join by id)
  permstat hook --install --scope local --write   only for the project here
  permstat hook --uninstall --write               take out what --install added

Without --install or --uninstall, `permstat hook` reads one hook event (JSON) on stdin and
appends one line to the prompt log ($PERMSTAT_PROMPT_LOG, else
<config dir>/permstat/prompts.jsonl). It prints nothing on stdout, so Claude Code shows its
dialog as usual, and exits 0 whatever happens. Every reading command (scan, report, replay,
suggest, audit, export) reads that log and joins each prompt to its call.")]
    Hook(HookArgs),
}

const VERIFY_HELP: &str = "\
Examples:
  permstat verify --explain -- claude -p --dangerously-skip-permissions --allowedTools 'Bash(git log *)'
  permstat verify --explain --from-command \"claude -p --permission-mode dontAsk --allowedTools Read\"
  permstat verify --mode bypassPermissions --disallowed 'Bash(rm *)' --junit verify.xml
  permstat verify --from-command \"$(cat ci/claude-cmd)\" run.jsonl
  permstat verify --entrypoint any --session b50aaf5c --disallowed 'Bash(rm *)' data/real
  permstat verify canary --mode dontAsk --allowed 'Bash(git log *)' --disallowed 'Bash(rm *)'

The boundary is a claude command line (after -- or with --from-command; an unknown flag is an
error) or --allowed/--disallowed/--mode/--tools, each split like Claude Code's lists. Checked
by default: sessions of `claude -p` and the Agent SDKs, and stream-json captures.

Exit status: 0 no violation, 1 a violation, 2 a usage error.";

const CANARY_HELP: &str = "\
Examples:
  permstat verify canary --mode dontAsk --allowed 'Bash(git log *)' --disallowed 'Bash(rm *)'
  sh permstat-canary/run.sh
  permstat verify canary --check permstat-canary/capture.jsonl --junit canary.xml

Writes prompt.txt, run.sh (the claude command line, same flags) and canary.json to --out.
--check passes only when the refused write was refused and the allowed one ran.

Exit status: 0 written or passed, 1 failed, 2 a usage error.";

/// The boundary a headless run declares.
#[derive(Debug, Args, Clone)]
pub struct BoundaryArgs {
    /// Allow rules, as in --allowedTools (repeatable; split like Claude Code's lists).
    #[arg(long, value_name = "RULES")]
    pub allowed: Vec<String>,

    /// Deny rules, as in --disallowedTools (repeatable).
    #[arg(long, value_name = "RULES")]
    pub disallowed: Vec<String>,

    /// The run's permission mode (bypassPermissions: --dangerously-skip-permissions).
    #[arg(long, value_name = "MODE")]
    pub mode: Option<String>,

    /// The built-in tools the run has, as in --tools ("" for none).
    #[arg(long, value_name = "LIST")]
    pub tools: Option<String>,

    /// More working folders, as in --add-dir (repeatable).
    #[arg(long = "add-dir", value_name = "DIR")]
    pub add_dirs: Vec<String>,

    /// The run's --permission-prompt-tool.
    #[arg(long, value_name = "TOOL")]
    pub prompt_tool: Option<String>,

    /// The run's claude command line as one string (read like a shell would; never run).
    #[arg(long, value_name = "COMMAND_LINE")]
    pub from_command: Option<String>,

    /// The run's claude command line, after `--`.
    #[arg(last = true, value_name = "CLAUDE_ARGS", allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// `permstat verify`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct VerifyArgs {
    /// `canary`: write a canary run, or check one.
    #[command(subcommand)]
    pub canary: Option<VerifyCommand>,

    /// Transcripts and captures to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,
    /// Settings that load besides the declared ones.
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Calls to check.
    #[command(flatten)]
    pub window: WindowArgs,

    /// The declared boundary.
    #[command(flatten)]
    pub boundary: BoundaryArgs,

    /// Explain what the boundary allows instead of checking transcripts.
    #[arg(long)]
    pub explain: bool,

    /// Check this session (an id or its start; repeatable) whatever its entrypoint.
    #[arg(long = "session", value_name = "ID")]
    pub sessions: Vec<String>,

    /// Check sessions with this entrypoint (repeatable; `any` for every session).
    #[arg(long = "entrypoint", value_name = "NAME")]
    pub entrypoints: Vec<String>,

    /// The folder the run starts in, for --explain (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// Also write a JUnit XML report of the check to FILE (atomically).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// Subcommands of `permstat verify`.
#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// Write a canary run for a Claude Code upgrade, or check one (--check).
    #[command(after_help = CANARY_HELP)]
    Canary(CanaryArgs),
}

/// `permstat verify canary`.
#[derive(Debug, Args)]
pub struct CanaryArgs {
    /// The declared boundary.
    #[command(flatten)]
    pub boundary: BoundaryArgs,

    /// Settings that load besides the declared ones.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Claude Code configuration folder (default: $CLAUDE_CONFIG_DIR, else ~/.claude).
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Folder the canary's files are written to, and read from by --check.
    #[arg(long, value_name = "DIR", default_value = "permstat-canary")]
    pub out: PathBuf,

    /// Temporary folder the canary's two commands write to.
    #[arg(long, value_name = "DIR", default_value = "/tmp")]
    pub tmp: String,

    /// The canary's file-name nonce (default: from the time and process id).
    #[arg(long, value_name = "TEXT")]
    pub nonce: Option<String>,

    /// Check the canary run recorded in FILE (a transcript or a stream-json capture).
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,

    /// The folder the run starts in (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// With --check, also write a JUnit XML report to FILE (atomically).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

impl From<BoundaryArgs> for BoundaryOptions {
    fn from(a: BoundaryArgs) -> Self {
        BoundaryOptions {
            allowed: a.allowed,
            disallowed: a.disallowed,
            mode: a.mode,
            tools: a.tools,
            add_dirs: a.add_dirs,
            prompt_tool: a.prompt_tool,
            from_command: a.from_command,
            command: a.command,
        }
    }
}

/// Output formats of `permstat hook --install`/`--uninstall`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HookFormatArg {
    /// The change as text, with the diff.
    Table,
    /// The change as JSON.
    Json,
}

/// `permstat hook`.
#[derive(Debug, Args)]
pub struct HookArgs {
    /// Add the hook to a settings file (a dry run printing the diff, unless --write).
    #[arg(long, conflicts_with = "uninstall")]
    pub install: bool,

    /// Take out the hook entries --install added (a dry run, unless --write).
    #[arg(long)]
    pub uninstall: bool,

    /// With --install: also run the hook (in the background) after every call
    /// (PostToolUse, PostToolUseFailure, PermissionDenied), which names each call's
    /// tool_use id: the log then says how every prompt ended and which calls ran unasked.
    #[arg(long, requires = "install")]
    pub outcomes: bool,

    /// Which settings file to change (user: every project; local and project: the project
    /// at the current folder, or --project-root).
    #[arg(long, value_enum, default_value = "user")]
    pub scope: WriteScopeArg,

    /// Change the settings file (default: dry run, print the diff).
    #[arg(long)]
    pub write: bool,

    /// Claude Code configuration folder (default: $CLAUDE_CONFIG_DIR, else ~/.claude): where
    /// the prompt log and the user settings are.
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Project root of the local and project scopes (default: the git root of the current
    /// folder).
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,

    /// Folder of managed (enterprise) settings, checked for settings that switch user hooks
    /// off.
    #[arg(long, value_name = "DIR", default_value = "/etc/claude-code")]
    pub managed_dir: PathBuf,

    /// Output format of --install and --uninstall.
    #[arg(long, value_enum, default_value = "table")]
    pub format: HookFormatArg,
}

/// Output formats a command may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Tables for a terminal.
    Table,
    /// One JSON document (stable field names).
    Json,
    /// Markdown, for pull requests and wikis.
    Md,
    /// A self-contained HTML page (report only).
    Html,
}

/// Output formats of `permstat suggest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestFormatArg {
    /// Tables for a terminal, and the diff to the settings file.
    Table,
    /// The whole proposal as JSON.
    Json,
    /// A ready `{"permissions": {"allow": [...]}}` block.
    Settings,
}

/// Which settings file `suggest --write` merges into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WriteScopeArg {
    /// Each project's `.claude/settings.local.json` (not committed).
    Local,
    /// Each project's `.claude/settings.json` (shared with the team).
    Project,
    /// `<config dir>/settings.json` (every project of this user).
    User,
}

/// `permstat suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Settings to replay.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Calls to cover (`--since` defaults to 30 days ago).
    #[command(flatten)]
    pub window: WindowArgs,

    /// Rules of evidence.
    #[command(flatten)]
    pub evidence: EvidenceArgs,

    /// Fewest approvals a rule must cover.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub min_count: usize,

    /// Fewest sessions those approvals must come from.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_sessions: usize,

    /// Fewest prompts a rule must save (by replay) to be proposed.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub min_saved: usize,

    /// Most rules proposed per project.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,

    /// Also propose exact rules for project runners (go test, npm test, make, ...), labelled
    /// "runs project code": with edit permission they admit arbitrary code.
    #[arg(long)]
    pub include_runners: bool,

    /// Write only the rules with these numbers (as listed), e.g. --pick 1,3.
    #[arg(long, value_name = "N,M", value_delimiter = ',')]
    pub pick: Vec<usize>,

    /// Do not write this rule (its exact text; repeatable).
    #[arg(long, value_name = "RULE")]
    pub exclude: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: SuggestFormatArg,

    /// Merge the rules into the settings file (default: dry run, print the diff).
    #[arg(long)]
    pub write: bool,

    /// Which settings file to write: each project's local or shared file, or the user's
    /// (user-wide rules need approvals from several projects).
    #[arg(long, value_enum, default_value = "local")]
    pub scope: WriteScopeArg,
}

/// When `permstat audit` exits non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    /// Never (exit 0 after reporting).
    Never,
    /// When an allow rule is dangerous, or a settings file or rule could not be read.
    Dangerous,
    /// When any rule has any finding.
    Findings,
}

/// `permstat audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Settings to audit (besides those found as Claude Code finds them).
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Calls to count rule use over.
    #[command(flatten)]
    pub window: WindowArgs,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// Exit 1 when the audit finds this (for CI).
    #[arg(long, value_enum, default_value = "never")]
    pub fail_on: FailOnArg,
}

/// File formats of `permstat export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormatArg {
    /// Apache Parquet.
    Parquet,
    /// Comma-separated values with a header row.
    Csv,
}

/// `permstat export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Settings to replay.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Calls to cover.
    #[command(flatten)]
    pub window: WindowArgs,

    /// Rules of evidence.
    #[command(flatten)]
    pub evidence: EvidenceArgs,

    /// File to write.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,

    /// Format (default: from the file's extension, .parquet or .csv).
    #[arg(long, value_enum)]
    pub format: Option<ExportFormatArg>,

    /// One row per command key of each call instead of one row per call.
    #[arg(long)]
    pub keys: bool,
}

/// Where settings come from (besides the user's, project's and managed files, which are
/// found as Claude Code finds them).
#[derive(Debug, Args, Clone)]
pub struct SettingsArgs {
    /// Extra settings file, applied like Claude Code's `--settings` (repeatable).
    #[arg(long = "settings", value_name = "FILE")]
    pub settings: Vec<PathBuf>,

    /// Project root whose .claude/ settings apply to every session (default: each session's
    /// recorded working folder, and its git root for settings.local.json).
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,

    /// Folder of managed (enterprise) settings.
    #[arg(long, value_name = "DIR", default_value = "/etc/claude-code")]
    pub managed_dir: PathBuf,
}

/// Thresholds of the rules of evidence (docs/report.md).
#[derive(Debug, Args, Clone)]
pub struct EvidenceArgs {
    /// A result sooner than this many milliseconds after its call came from no person: the
    /// call ran without a dialog.
    #[arg(
        long,
        value_name = "MS",
        default_value_t = crate::analysis::evidence::DEFAULT_FLOOR_MS,
        value_parser = clap::value_parser!(i64).range(0..)
    )]
    pub human_floor_ms: i64,
}

/// Which calls a report covers.
#[derive(Debug, Args, Clone)]
pub struct WindowArgs {
    /// Only calls made on or after this day (YYYY-MM-DD) or time (RFC 3339).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// Only calls made before this day (YYYY-MM-DD, exclusive) or time (RFC 3339).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Only sessions whose working folder matches this pattern (`*` wildcards; a pattern
    /// without `*` matches anywhere in the path).
    #[arg(long, value_name = "PATTERN")]
    pub project: Option<String>,
}

/// `permstat report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Settings to replay.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Calls to cover.
    #[command(flatten)]
    pub window: WindowArgs,

    /// Rules of evidence.
    #[command(flatten)]
    pub evidence: EvidenceArgs,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// Answers faster than this many milliseconds count as rubber stamps.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub rubber_stamp_ms: i64,

    /// Rows per table and chart in terminal, Markdown and HTML output (a cut table says how
    /// many rows it shows; JSON lists everything).
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub top: usize,

    /// Group the tables and charts over time by day, ISO week or month.
    #[arg(long, value_enum, default_value = "day")]
    pub by: ByArg,
}

/// How `permstat report` groups time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    /// UTC days.
    Day,
    /// ISO weeks (Monday to Sunday).
    Week,
    /// Calendar months.
    Month,
}

impl From<ByArg> for Period {
    fn from(b: ByArg) -> Self {
        match b {
            ByArg::Day => Period::Day,
            ByArg::Week => Period::Week,
            ByArg::Month => Period::Month,
        }
    }
}

/// `permstat replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Settings to replay.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Calls to cover.
    #[command(flatten)]
    pub window: WindowArgs,

    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// Print each call's decision as one JSON object per line instead of the summary.
    #[arg(long)]
    pub calls: bool,
}

/// `permstat check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Tool name as Claude Code records it: Bash, Read, Edit, Write, WebFetch, mcp__srv__tool, ...
    pub tool: String,

    /// The input permissions look at: a Bash command, a file path, a URL, a subagent type
    /// or a skill name (optional for tools that take none).
    pub input: Option<String>,

    /// Settings to load.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Claude Code configuration folder (default: $CLAUDE_CONFIG_DIR, else ~/.claude).
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Permission mode to decide in (default: the settings' defaultMode, else default).
    #[arg(long, value_name = "MODE")]
    pub mode: Option<String>,

    /// Working folder of the session (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,

    /// Extra tool parameter as NAME=VALUE, for parameter rules such as Agent(model:opus).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// Print the input and rules as written, secrets included.
    #[arg(long)]
    pub no_redact: bool,
}

/// Where transcripts come from, and options every reading command shares.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Transcript files or folders (folders are searched for *.jsonl at any depth).
    /// Default: $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Claude Code configuration folder to read instead of $CLAUDE_CONFIG_DIR or ~/.claude
    /// (its projects/ folder holds the transcripts, its settings.json the user's rules).
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Print commands, paths and reasons as written, secrets included.
    #[arg(long)]
    pub no_redact: bool,

    /// No progress bar and no per-line warnings on stderr (the summary still counts them).
    #[arg(long, short)]
    pub quiet: bool,

    /// Read every transcript again instead of reusing the results of unchanged files.
    #[arg(long)]
    pub no_cache: bool,

    /// Folder of the incremental cache (default: $PERMSTAT_CACHE_DIR, else
    /// $XDG_CACHE_HOME/permstat, else ~/.cache/permstat).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Prompt log written by `permstat hook` to join to the calls (default:
    /// $PERMSTAT_PROMPT_LOG, else <config dir>/permstat/prompts.jsonl, when it exists).
    #[arg(long, value_name = "FILE", conflicts_with = "no_prompt_log")]
    pub prompt_log: Option<PathBuf>,

    /// Read no prompt log, not even the default one.
    #[arg(long)]
    pub no_prompt_log: bool,

    /// Claude Code OpenTelemetry log events exported as OTLP JSON (the collector's file
    /// exporter) to join to the calls by tool_use id (repeatable).
    #[arg(long = "otel", value_name = "FILE")]
    pub otel: Vec<PathBuf>,

    /// Team mode: a folder with one subfolder per developer, named after them, each a copy
    /// of their ~/.claude (projects/ inside; its settings.json is their user settings) or
    /// of their ~/.claude/projects. Reports gain a developer column and section.
    #[arg(long, value_name = "DIR")]
    pub team: Option<PathBuf>,

    /// Names a developer's folder (a subfolder of --team, renamed, or any other copy or
    /// transcript folder, added; repeatable; a name given twice merges the folders).
    #[arg(long = "label", value_name = "NAME=PATH", value_parser = cmd::team::parse_label)]
    pub labels: Vec<(String, PathBuf)>,

    /// Replace developer names, home folders, user names in paths, project paths and git
    /// branches with stable pseudonyms in everything printed or exported (secrets stay
    /// redacted).
    #[arg(long, conflicts_with = "no_redact")]
    pub anonymize: bool,

    /// The key of --anonymize's pseudonyms: keep it to get the same pseudonyms in later
    /// runs; without one a public salt is used and a guessed name can be checked.
    #[arg(
        long,
        value_name = "SALT",
        env = "PERMSTAT_ANON_SALT",
        hide_env_values = true
    )]
    pub anonymize_salt: Option<String>,
}

/// `permstat scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: FormatArg,

    /// Print every tool call as one JSON object per line instead of the summary.
    #[arg(long)]
    pub calls: bool,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Md => Format::Md,
            FormatArg::Html => Format::Html,
        }
    }
}

impl From<SuggestFormatArg> for SuggestFormat {
    fn from(f: SuggestFormatArg) -> Self {
        match f {
            SuggestFormatArg::Table => SuggestFormat::Table,
            SuggestFormatArg::Json => SuggestFormat::Json,
            SuggestFormatArg::Settings => SuggestFormat::Settings,
        }
    }
}

impl From<WriteScopeArg> for WriteScope {
    fn from(s: WriteScopeArg) -> Self {
        match s {
            WriteScopeArg::Local => WriteScope::Local,
            WriteScopeArg::Project => WriteScope::Project,
            WriteScopeArg::User => WriteScope::User,
        }
    }
}

impl From<FailOnArg> for FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Never => FailOn::Never,
            FailOnArg::Dangerous => FailOn::Dangerous,
            FailOnArg::Findings => FailOn::Findings,
        }
    }
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(f: ExportFormatArg) -> Self {
        match f {
            ExportFormatArg::Parquet => ExportFormat::Parquet,
            ExportFormatArg::Csv => ExportFormat::Csv,
        }
    }
}

impl From<InputArgs> for InputOptions {
    fn from(a: InputArgs) -> Self {
        InputOptions {
            paths: a.paths,
            config_dir: a.config_dir,
            no_redact: a.no_redact,
            quiet: a.quiet,
            no_cache: a.no_cache,
            cache_dir: a.cache_dir,
            sources: SourceOptions {
                prompt_log: a.prompt_log,
                no_prompt_log: a.no_prompt_log,
                otel: a.otel,
            },
            team: a.team,
            labels: a.labels,
        }
    }
}

impl From<SettingsArgs> for SettingsOptions {
    fn from(a: SettingsArgs) -> Self {
        SettingsOptions {
            settings: a.settings,
            project_root: a.project_root,
            managed_dir: a.managed_dir,
        }
    }
}

impl From<WindowArgs> for WindowOptions {
    fn from(a: WindowArgs) -> Self {
        WindowOptions {
            since: a.since,
            until: a.until,
            project: a.project,
        }
    }
}

impl Command {
    /// The transcript options of a reading command.
    fn input(&self) -> Option<&InputArgs> {
        match self {
            Command::Scan(a) => Some(&a.input),
            Command::Report(a) => Some(&a.input),
            Command::Replay(a) => Some(&a.input),
            Command::Export(a) => Some(&a.input),
            Command::Suggest(a) => Some(&a.input),
            Command::Audit(a) => Some(&a.input),
            Command::Verify(a) => Some(&a.input),
            Command::Check(_) | Command::Hook(_) => None,
        }
    }
}

/// Runs the subcommand with the options its arguments map to.
fn dispatch(command: Command) -> anyhow::Result<ExitCode> {
    if let Some(a) = command.input()
        && a.anonymize
    {
        cmd::team::anonymize(a.anonymize_salt.as_deref(), a.quiet);
    }
    match command {
        Command::Scan(a) => cmd::scan::run(&ScanOptions {
            input: a.input.into(),
            format: a.format.into(),
            calls: a.calls,
        }),
        Command::Report(a) => cmd::report::run(&ReportOptions {
            input: a.input.into(),
            settings: a.settings.into(),
            window: a.window.into(),
            format: a.format.into(),
            rubber_stamp_ms: a.rubber_stamp_ms,
            human_floor_ms: a.evidence.human_floor_ms,
            top: a.top,
            by: a.by.into(),
        }),
        Command::Replay(a) => cmd::replay::run(&ReplayOptions {
            input: a.input.into(),
            settings: a.settings.into(),
            window: a.window.into(),
            format: a.format.into(),
            calls: a.calls,
        }),
        Command::Check(a) => cmd::check::run(&CheckOptions {
            tool: a.tool,
            input: a.input,
            settings: a.settings.into(),
            config_dir: a.config_dir,
            mode: a.mode,
            cwd: a.cwd,
            params: a.params,
            format: a.format.into(),
            no_redact: a.no_redact,
        }),
        Command::Export(a) => cmd::export::run(&ExportOptions {
            input: a.input.into(),
            settings: a.settings.into(),
            window: a.window.into(),
            output: a.output,
            format: a.format.map(Into::into),
            keys: a.keys,
            human_floor_ms: a.evidence.human_floor_ms,
        }),
        Command::Suggest(a) => cmd::suggest::run(&SuggestRunOptions {
            input: a.input.into(),
            settings: a.settings.into(),
            window: a.window.into(),
            thresholds: SuggestOptions {
                min_count: a.min_count,
                min_sessions: a.min_sessions,
                min_projects: 1,
                min_saved: a.min_saved,
                limit: a.limit,
                include_runners: a.include_runners,
            },
            format: a.format.into(),
            write: a.write,
            scope: a.scope.into(),
            human_floor_ms: a.evidence.human_floor_ms,
            pick: a.pick,
            exclude: a.exclude,
        }),
        Command::Hook(a) => cmd::hook::run(&HookOptions {
            action: match (a.install, a.uninstall) {
                (true, _) => HookAction::Install {
                    outcomes: a.outcomes,
                },
                (_, true) => HookAction::Uninstall,
                _ => HookAction::Record,
            },
            scope: a.scope.into(),
            write: a.write,
            config_dir: a.config_dir,
            project_root: a.project_root,
            managed_dir: a.managed_dir,
            format: match a.format {
                HookFormatArg::Table => Format::Table,
                HookFormatArg::Json => Format::Json,
            },
        }),
        Command::Audit(a) => cmd::audit::run(&AuditOptions {
            input: a.input.into(),
            settings: a.settings.into(),
            window: a.window.into(),
            format: a.format.into(),
            fail_on: a.fail_on.into(),
        }),
        Command::Verify(a) => match a.canary {
            Some(VerifyCommand::Canary(c)) => cmd::verify::run_canary(&CanaryOptions {
                boundary: c.boundary.into(),
                settings: c.settings.into(),
                config_dir: c.config_dir,
                out: c.out,
                tmp: c.tmp,
                nonce: c.nonce,
                check: c.check,
                cwd: c.cwd,
                format: c.format.into(),
                junit: c.junit,
            }),
            None => cmd::verify::run(&VerifyOptions {
                input: a.input.into(),
                settings: a.settings.into(),
                window: a.window.into(),
                boundary: a.boundary.into(),
                explain: a.explain,
                sessions: a.sessions,
                entrypoints: a.entrypoints,
                cwd: a.cwd,
                format: a.format.into(),
                junit: a.junit,
            }),
        },
    }
}

/// True for the arguments of `permstat hook` run as a hook (not installing, removing or
/// asking for help).
fn is_recording_hook(mut args: impl Iterator<Item = String>) -> bool {
    args.next().as_deref() == Some("hook")
        && args.all(|a| {
            !matches!(
                a.as_str(),
                "--install" | "--uninstall" | "--help" | "-h" | "--version" | "-V"
            )
        })
}

/// Exit status of a command that could not run (a usage error or unusable input); clap
/// uses the same code for the errors it finds.
pub const EXIT_UNUSABLE: u8 = 2;

/// Parses the command line, runs the command, and maps errors to an exit code: a command's
/// own code (0, or 1 for `audit --fail-on` findings), else 2 with the error on stderr. The recording hook is the
/// exception: it always exits 0 (see `cmd::hook`).
pub fn main() -> ExitCode {
    let command_line = match CommandLine::try_parse() {
        Ok(c) => c,
        // Claude Code reads exit code 2 of a PermissionRequest hook as "deny": a command
        // line the recording hook cannot parse must not refuse the user's call.
        Err(e) if is_recording_hook(std::env::args().skip(1)) => {
            eprintln!("permstat hook: {e}");
            return ExitCode::SUCCESS;
        }
        Err(e) => e.exit(),
    };
    match dispatch(command_line.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("permstat: error: {e:#}");
            ExitCode::from(EXIT_UNUSABLE)
        }
    }
}
