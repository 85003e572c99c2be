//! Project runners, and the three kinds of rule.
//!
//! A project runner is a test, build, lint, format or task runner that executes files of
//! the repository: test files, build scripts, `build.rs` and proc macros, Makefiles, task
//! files, lint and format configs written in code, lifecycle scripts. An agent that may edit
//! those files and run the runner can run any code it likes, so an allow rule for a runner
//! is a different kind of rule from a read-only one, whatever the command line looks like
//! (`go test ./...` touches nothing by itself).
//!
//! [`PROJECT_RUNNERS`] is the one table of them. The suggester (which proposes runner rules
//! only when asked, and never as wildcards), the auditor (which labels the rules already
//! there) and the risk report (which counts approved runs of project code) all read it
//! through [`project_runner`]. [`RuleClass`] names the three kinds of rule every output
//! shows.

use serde::Serialize;

/// The three kinds of rule (and what the rest is called in an audit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleClass {
    /// Nothing is written and nothing of the repository runs.
    ReadOnly,
    /// Runs code the agent can edit (tests, build scripts, task files).
    RunsProjectCode,
    /// Never allowed by a proposed rule: runs arbitrary code, reaches other machines,
    /// writes, or covers commands nobody approved.
    Never,
}

/// Each [`RuleClass`] with the words outputs use for it.
pub const RULE_CLASSES: &[(RuleClass, &str, &str)] = &[
    (
        RuleClass::ReadOnly,
        "read-only",
        "nothing is written and nothing of the repository runs",
    ),
    (
        RuleClass::RunsProjectCode,
        "runs project code",
        "a test, build, lint or task runner: it executes files the agent can edit, so with \
         edit permission (acceptEdits, Edit rules) it admits arbitrary code",
    ),
    (
        RuleClass::Never,
        "never",
        "runs arbitrary code, reaches other machines, writes, or covers any command",
    ),
];

impl RuleClass {
    /// The label outputs show (`read-only`, `runs project code`, `never`).
    pub fn label(self) -> &'static str {
        RULE_CLASSES
            .iter()
            .find(|(c, ..)| *c == self)
            .map_or("", |(_, label, _)| label)
    }

    /// What the class means, in one line.
    pub fn meaning(self) -> &'static str {
        RULE_CLASSES
            .iter()
            .find(|(c, ..)| *c == self)
            .map_or("", |(.., meaning)| meaning)
    }
}

/// What a project runner is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// Runs the project's tests.
    Test,
    /// Builds the project (build scripts, code generators, compiler plugins).
    Build,
    /// Lints or type-checks with a config that may load project code.
    Lint,
    /// Formats with a config that may load project code.
    Format,
    /// Runs a task the repository defines (a script, a make target, a task file entry).
    Task,
}

impl Job {
    /// `test runner`, `build`, ... as shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            Job::Test => "test runner",
            Job::Build => "build",
            Job::Lint => "linter",
            Job::Format => "formatter",
            Job::Task => "task runner",
        }
    }
}

/// One project runner.
#[derive(Debug, Clone, Copy)]
pub struct ProjectRunner {
    /// Command words: a program name (compared by file name, a trailing version number
    /// ignored), then subcommand words.
    pub words: &'static [&'static str],
    /// What it is for.
    pub job: Job,
    /// Which files of the repository it executes.
    pub runs: &'static str,
}

const fn r(words: &'static [&'static str], job: Job, runs: &'static str) -> ProjectRunner {
    ProjectRunner { words, job, runs }
}

const JS_SCRIPTS: &str = "scripts in package.json";
const GO_TESTS: &str = "_test.go files and cgo directives";
const GO_BUILD: &str = "cgo directives of the packages";
const CARGO: &str = "build.rs and proc macros";
const CARGO_TESTS: &str = "tests, build.rs and proc macros";
const MAKE: &str = "recipes of the Makefile";
const JVM: &str = "the build script (build.gradle, pom.xml plugins)";
const PY_TESTS: &str = "test files and conftest.py";

/// Every project runner. A runner whose next word names a task (`npm run lint`,
/// `make test`) runs one named thing; the runner with any task runs anything, so a wildcard
/// right after an entry is banned outright (see `suggest::safety`).
#[rustfmt::skip]
pub const PROJECT_RUNNERS: &[ProjectRunner] = &[
    r(&["npm", "run"], Job::Task, JS_SCRIPTS),
    r(&["npm", "run-script"], Job::Task, JS_SCRIPTS),
    r(&["npm", "test"], Job::Test, JS_SCRIPTS),
    r(&["npm", "t"], Job::Test, JS_SCRIPTS),
    r(&["npm", "start"], Job::Task, JS_SCRIPTS),
    r(&["pnpm", "run"], Job::Task, JS_SCRIPTS),
    r(&["pnpm"], Job::Task, JS_SCRIPTS),
    r(&["yarn", "run"], Job::Task, JS_SCRIPTS),
    r(&["yarn"], Job::Task, JS_SCRIPTS),
    r(&["bun", "run"], Job::Task, JS_SCRIPTS),
    r(&["bun", "test"], Job::Test, "test files"),
    r(&["deno", "task"], Job::Task, "tasks in deno.json"),
    r(&["deno", "test"], Job::Test, "test files"),
    r(&["jest"], Job::Test, "test files and jest.config.js"),
    r(&["vitest"], Job::Test, "test files and vitest.config"),
    r(&["mocha"], Job::Test, "test files and .mocharc.js"),
    r(&["playwright", "test"], Job::Test, "test files and playwright.config"),
    r(&["eslint"], Job::Lint, "eslint.config.js and its plugins"),
    r(&["prettier"], Job::Format, "prettier.config.js and its plugins"),
    r(&["make"], Job::Task, MAKE),
    r(&["gmake"], Job::Task, MAKE),
    r(&["just"], Job::Task, "recipes of the justfile"),
    r(&["task"], Job::Task, "tasks of Taskfile.yml"),
    r(&["mise", "run"], Job::Task, "tasks of mise.toml"),
    r(&["cargo", "run"], Job::Build, "the program itself"),
    r(&["cargo", "test"], Job::Test, CARGO_TESTS),
    r(&["cargo", "t"], Job::Test, CARGO_TESTS),
    r(&["cargo", "nextest"], Job::Test, CARGO_TESTS),
    r(&["cargo", "build"], Job::Build, CARGO),
    r(&["cargo", "b"], Job::Build, CARGO),
    r(&["cargo", "check"], Job::Build, CARGO),
    r(&["cargo", "c"], Job::Build, CARGO),
    r(&["cargo", "clippy"], Job::Lint, CARGO),
    r(&["cargo", "bench"], Job::Test, CARGO_TESTS),
    r(&["cargo", "doc"], Job::Build, CARGO),
    r(&["go", "run"], Job::Build, "the program itself"),
    r(&["go", "test"], Job::Test, GO_TESTS),
    r(&["go", "build"], Job::Build, GO_BUILD),
    r(&["go", "generate"], Job::Build, "//go:generate lines of the sources"),
    r(&["go", "vet"], Job::Lint, GO_BUILD),
    r(&["golangci-lint"], Job::Lint, GO_BUILD),
    r(&["rake"], Job::Task, "tasks of the Rakefile"),
    r(&["rspec"], Job::Test, "spec files"),
    r(&["rubocop"], Job::Lint, "plugins .rubocop.yml requires"),
    r(&["gradle"], Job::Build, JVM),
    r(&["gradlew"], Job::Build, JVM),
    r(&["mvn"], Job::Build, JVM),
    r(&["mvnw"], Job::Build, JVM),
    r(&["pytest"], Job::Test, PY_TESTS),
    r(&["py.test"], Job::Test, PY_TESTS),
    r(&["tox"], Job::Test, "tox.ini commands"),
    r(&["nox"], Job::Test, "noxfile.py"),
    r(&["mypy"], Job::Lint, "plugins the mypy config names"),
    r(&["pylint"], Job::Lint, "plugins the pylint config loads"),
    r(&["phpunit"], Job::Test, "test files"),
    r(&["dotnet", "run"], Job::Build, "the program itself"),
    r(&["dotnet", "test"], Job::Test, "test projects and MSBuild targets"),
    r(&["dotnet", "build"], Job::Build, "MSBuild targets of the project"),
    r(&["swift", "run"], Job::Build, "the program itself"),
    r(&["swift", "test"], Job::Test, "test targets and package plugins"),
    r(&["swift", "build"], Job::Build, "package plugins"),
    r(&["mix", "test"], Job::Test, "test files and mix.exs"),
    r(&["mix", "compile"], Job::Build, "mix.exs and macros"),
    r(&["bazel"], Job::Build, "BUILD files and their rules"),
    r(&["ninja"], Job::Build, "build.ninja commands"),
    r(&["cmake", "--build"], Job::Build, "CMakeLists.txt commands"),
];

/// The program name as the tables see it: the file name, with a trailing version number
/// (`3.12`, `3`) dropped. Both forms, the plain file name first; slices of `word`, since
/// the risk table asks this of every command for every runner.
pub fn program_forms(word: &str) -> [&str; 2] {
    let base = word.rsplit('/').next().unwrap_or(word);
    let stripped = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let stripped = if stripped.is_empty() { base } else { stripped };
    [base, stripped]
}

/// Does `word` name the program `name` (by file name, version dropped)?
pub fn is_program(word: &str, name: &str) -> bool {
    names_program(word, program_forms(word), name)
}

/// [`is_program`] with `word`'s [`program_forms`] worked out already.
fn names_program(word: &str, forms: [&str; 2], name: &str) -> bool {
    word == name || forms.contains(&name)
}

/// The project runner a command line (argv, after env assignments and wrappers) starts
/// with, if any.
///
/// Options may stand between the program and its subcommand (`cargo +nightly test`,
/// `npm --prefix web test`, `go -C dir test`): a word starting with `-` or `+` is skipped,
/// and so is one word after an option without `=` (it may be the option's value), unless it
/// is the subcommand itself. A positional word that is not the subcommand ends the search,
/// so `npm view test` is not `npm test`.
pub fn project_runner<S: AsRef<str>>(argv: &[S]) -> Option<&'static ProjectRunner> {
    let (first, rest) = argv.split_first()?;
    let first = first.as_ref();
    let forms = program_forms(first);
    PROJECT_RUNNERS
        .iter()
        .filter(|r| names_program(first, forms, r.words[0]))
        .find(|r| subcommand_follows(rest, &r.words[1..]))
}

/// Do the words `sub` follow in `rest`, options (and their possible values) aside?
fn subcommand_follows<S: AsRef<str>>(rest: &[S], sub: &[&str]) -> bool {
    let mut want = sub.iter().peekable();
    let mut after_option = false;
    for w in rest {
        let Some(next) = want.peek() else {
            return true;
        };
        let w = w.as_ref();
        if w == **next {
            want.next();
            after_option = false;
        } else if w.starts_with('-') || w.starts_with('+') {
            after_option = !w.contains('=');
        } else if after_option {
            after_option = false;
        } else {
            return false;
        }
    }
    want.peek().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runners_are_found_past_options() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<&str>)] = &[
            ("go test ./...", Some("go test")),
            ("go test ./cmd/entire/cli/...", Some("go test")),
            ("go -C sub test ./...", Some("go test")),
            ("cargo +nightly test", Some("cargo test")),
            ("cargo --locked clippy -- -D warnings", Some("cargo clippy")),
            ("npm --prefix web test", Some("npm test")),
            ("npm run lint", Some("npm run")),
            ("npm view test", None),
            ("npm ls", None),
            ("make", Some("make")),
            ("make -C dir lint", Some("make")),
            ("/usr/bin/make test", Some("make")),
            ("./gradlew build", Some("gradlew")),
            ("python3 -m pytest", None),
            ("pytest -x tests/", Some("pytest")),
            ("mise run lint", Some("mise run")),
            ("mise exec -- node x", None),
            ("go list ./...", None),
            ("go", None),
            ("cargo tree", None),
            ("cmake --build build", Some("cmake --build")),
            ("cmake -S . -B build", None),
            ("git status", None),
        ];
        for (cmd, want) in cases {
            let argv: Vec<&str> = cmd.split_whitespace().collect();
            let got = project_runner(&argv).map(|r| r.words.join(" "));
            assert_eq!(got.as_deref(), *want, "{cmd}");
        }
    }

    #[test]
    fn every_class_has_words() {
        for c in [
            RuleClass::ReadOnly,
            RuleClass::RunsProjectCode,
            RuleClass::Never,
        ] {
            assert!(!c.label().is_empty() && !c.meaning().is_empty(), "{c:?}");
        }
    }

    #[test]
    fn program_forms_drop_folders_and_versions() {
        assert_eq!(
            program_forms("/usr/bin/python3.12"),
            ["python3.12", "python"]
        );
        assert_eq!(program_forms("./gradlew"), ["gradlew", "gradlew"]);
        assert!(is_program("go1.22", "go"));
        assert!(!is_program("gofmt", "go"));
    }
}
