//! The command line: clap definitions, and dispatch to one subcommand.

use crate::cmd;
use crate::output::Format;
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
  permstat check Bash 'git diff && rm -rf build'
                                        what Claude Code would do with a command";

/// Top-level command line.
#[derive(Debug, Parser)]
#[command(name = "permstat", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct Cli {
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
  permstat scan --calls | jq -c 'select(.outcome != \"ran\")'")]
    Scan(ScanArgs),
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
}

/// `permstat scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Transcripts to read, and shared options.
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format of the summary.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,

    /// Print every tool call as one JSON object per line instead of the summary.
    #[arg(long)]
    pub calls: bool,
}

/// Parses the command line, runs the command, and maps errors to an exit code:
/// 0 success, 1 failure, 2 usage error (from clap).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => cmd::scan::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("permstat: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
