//! Exec wrappers: programs that run their arguments as a command (`sudo`, `env`, `timeout`,
//! `xargs`, ...), with their options and how each reader treats them.
//!
//! Four readers look through wrappers:
//! - the shell splitter (`permissions::shell`): the wrappers Claude Code strips before
//!   matching any rule, and those deny and ask rules see through ([`RuleView`]);
//! - the critical-`rm` check: every wrapper the splitter knows ([`looked_through_by_rules`]);
//! - the command keys (`analysis::keys`): `sudo -u x apt-get install` is keyed
//!   `apt-get install` ([`ExecWrapper::keyed`]);
//! - the suggester (`suggest::safety`): no rule for a wrapper, since it runs anything.
//!
//! The splitter and the keys disagree on a few options: each option says which of them
//! knows it ([`Readers`]). Each kept what it knew before the lists were joined here; making
//! them agree changes the splitter's or the keys' output for lines that use those options.
//!
//! The grammar of each wrapper (a `timeout` duration, `nice -5`, `env -S`, `flock`'s lock
//! file, `ionice -p`) is code in the splitter; the option names it reads are here.

/// How Claude Code's rule matching treats a wrapper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleView {
    /// Stripped before any rule is matched: `timeout 5 npm test` is matched as `npm test`.
    Stripped,
    /// Kept for allow rules; deny and ask rules also see the command it runs
    /// (`sudo rm -rf x` matches a deny rule `Bash(rm *)`).
    SeenThroughByDenyAsk,
    /// Not looked through by Claude Code's rule matching; this crate's suggester and risk
    /// readers still know it runs a command.
    NotLookedThrough,
}

/// Which readers know an option or a form (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// The shell splitter and the command keys.
    Both,
    /// Only the shell splitter.
    SplitterOnly,
    /// Only the command keys.
    KeysOnly,
}

/// One of the readers of [`Readers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The shell splitter.
    Splitter,
    /// The command keys.
    Keys,
}

impl Readers {
    /// Does `reader` know it?
    pub fn include(self, reader: Reader) -> bool {
        matches!(
            (self, reader),
            (Readers::Both, _)
                | (Readers::SplitterOnly, Reader::Splitter)
                | (Readers::KeysOnly, Reader::Keys)
        )
    }
}

/// An option of a wrapper that takes a value (`-u root`, `--user=root`).
#[derive(Debug, Clone, Copy)]
pub struct ValueOption {
    /// As written: `-u` or `--user`.
    pub name: &'static str,
    /// Who knows it.
    pub readers: Readers,
}

/// One exec wrapper.
#[derive(Debug, Clone, Copy)]
pub struct ExecWrapper {
    /// Program name.
    pub name: &'static str,
    /// How Claude Code's rule matching treats it.
    pub rules: RuleView,
    /// Options that take a value.
    pub value_options: &'static [ValueOption],
    /// Options without a value that the splitter accepts before the command of a wrapper it
    /// parses strictly (`timeout --foreground`); any other option there means the line is not
    /// a wrapper call. Wrappers parsed leniently (`sudo`, `env`, ...) take any option.
    pub flags: &'static [&'static str],
    /// Operands of its own before the command: `timeout DURATION`, `flock FILE`.
    pub operands: usize,
    /// Leading `NAME=value` words after the options are environment for the command
    /// (`env A=1 cmd`, `sudo A=1 cmd`), for these readers.
    pub assignments: Option<Readers>,
    /// Do the command keys look through it?
    pub keyed: bool,
}

impl ExecWrapper {
    /// Is `word` (`-u`, `--user`) a value-taking option of this wrapper for `reader`?
    pub fn takes_value(&self, word: &str, reader: Reader) -> bool {
        self.value_options
            .iter()
            .any(|o| o.name == word && o.readers.include(reader))
    }

    /// Does `reader` read leading `NAME=value` words after this wrapper as environment?
    pub fn takes_assignments(&self, reader: Reader) -> bool {
        self.assignments.is_some_and(|r| r.include(reader))
    }
}

const fn both(name: &'static str) -> ValueOption {
    ValueOption {
        name,
        readers: Readers::Both,
    }
}

const fn splitter(name: &'static str) -> ValueOption {
    ValueOption {
        name,
        readers: Readers::SplitterOnly,
    }
}

const fn keys(name: &'static str) -> ValueOption {
    ValueOption {
        name,
        readers: Readers::KeysOnly,
    }
}

use Readers::{Both, SplitterOnly};
use RuleView::{NotLookedThrough, SeenThroughByDenyAsk, Stripped};

/// Every exec wrapper. The suggester reports the first of its "never" entries a rule
/// reaches, so the order is the order it names them in.
///
/// Where the readers differ: `env -S` runs a string as a command, which the splitter
/// treats as hidden code (so `-S` is a value option for the keys only); `sudo -r`/`-t`
/// (SELinux role and type) and the long forms are known to the splitter only, `sudo -R`
/// (chroot folder) to the keys only; `ionice -p` acts on running processes, which the
/// splitter treats as no command at all. `xargs` is stripped only when no option comes
/// first (the splitter does not read its options; the keys do).
#[rustfmt::skip]
pub const EXEC_WRAPPERS: &[ExecWrapper] = &[
    ExecWrapper { name: "env", rules: SeenThroughByDenyAsk, operands: 0, flags: &[],
        assignments: Some(Both), keyed: true,
        value_options: &[both("-u"), both("--unset"), both("-C"), both("--chdir"), keys("-S")] },
    ExecWrapper { name: "sudo", rules: SeenThroughByDenyAsk, operands: 0, flags: &[],
        assignments: Some(SplitterOnly), keyed: true,
        value_options: &[both("-u"), both("--user"), both("-g"), both("--group"), both("-h"),
            splitter("--host"), both("-p"), splitter("--prompt"), splitter("-r"),
            splitter("--role"), splitter("-t"), splitter("--type"), both("-T"),
            splitter("--command-timeout"), both("-C"), splitter("--close-from"), both("-D"),
            splitter("--chdir"), both("-U"), splitter("--other-user"), keys("-R")] },
    ExecWrapper { name: "doas", rules: SeenThroughByDenyAsk, operands: 0, flags: &[],
        assignments: Some(SplitterOnly), keyed: true,
        value_options: &[both("-u"), both("-C")] },
    ExecWrapper { name: "su", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "xargs", rules: Stripped, operands: 0, flags: &[],
        assignments: None, keyed: true,
        value_options: &[keys("-I"), keys("-n"), keys("-P"), keys("-L"), keys("-l"), keys("-d"),
            keys("-E"), keys("-s"), keys("-a"), keys("--max-args"), keys("--max-procs"),
            keys("--delimiter"), keys("--arg-file")] },
    ExecWrapper { name: "watch", rules: SeenThroughByDenyAsk, operands: 0, flags: &[],
        assignments: None, keyed: false,
        value_options: &[splitter("-n"), splitter("--interval"), splitter("-q"),
            splitter("--equexit")] },
    ExecWrapper { name: "timeout", rules: Stripped, operands: 1,
        flags: &["--preserve-status", "--foreground", "-v", "--verbose"],
        assignments: None, keyed: true,
        value_options: &[both("-s"), both("--signal"), both("-k"), both("--kill-after")] },
    ExecWrapper { name: "nohup", rules: Stripped, operands: 0, flags: &[],
        assignments: None, keyed: true, value_options: &[] },
    ExecWrapper { name: "setsid", rules: SeenThroughByDenyAsk, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "nice", rules: Stripped, operands: 0, flags: &[],
        assignments: None, keyed: true,
        value_options: &[both("-n"), both("--adjustment")] },
    ExecWrapper { name: "ionice", rules: SeenThroughByDenyAsk, operands: 0, flags: &[],
        assignments: None, keyed: true,
        value_options: &[both("-c"), splitter("--class"), both("-n"), splitter("--classdata"),
            keys("-p")] },
    ExecWrapper { name: "flock", rules: SeenThroughByDenyAsk, operands: 1, flags: &[],
        assignments: None, keyed: false,
        value_options: &[splitter("-E"), splitter("--conflict-exit-code"), splitter("-w"),
            splitter("--timeout")] },
    ExecWrapper { name: "stdbuf", rules: Stripped, operands: 0, flags: &[],
        assignments: None, keyed: true,
        value_options: &[both("-i"), splitter("--input"), both("-o"), splitter("--output"),
            both("-e"), splitter("--error")] },
    ExecWrapper { name: "chroot", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "unshare", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "nsenter", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "strace", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "ltrace", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "time", rules: Stripped, operands: 0, flags: &["-p"],
        assignments: None, keyed: true, value_options: &[] },
    ExecWrapper { name: "command", rules: Stripped, operands: 0, flags: &["-p"],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "builtin", rules: Stripped, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "parallel", rules: NotLookedThrough, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
    ExecWrapper { name: "noglob", rules: Stripped, operands: 0, flags: &[],
        assignments: None, keyed: false, value_options: &[] },
];

/// The [`EXEC_WRAPPERS`] entry for a program name.
pub fn exec_wrapper(name: &str) -> Option<&'static ExecWrapper> {
    EXEC_WRAPPERS.iter().find(|w| w.name == name)
}

/// Does Claude Code's rule matching look through this wrapper, stripping it or seeing
/// through it for deny and ask rules? The critical-`rm` check looks through the same ones
/// (`sudo rm -rf /` is as critical as `rm -rf /`).
pub fn looked_through_by_rules(name: &str) -> bool {
    exec_wrapper(name).is_some_and(|w| w.rules != RuleView::NotLookedThrough)
}

/// Wrappers no wildcard allow rule may approve: `Bash(watch *)` would run any command every
/// few seconds, so Claude Code accepts only an exact rule for them.
pub const EXACT_ALLOW_ONLY: &[&str] = &["watch", "setsid", "ionice", "flock"];
