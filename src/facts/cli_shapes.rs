//! How command-line programs name their subcommands: how many subcommand words say what a
//! call did (`git diff`, `aws s3 ls`, `gh pr view`), and which options before them take a
//! separate value. The command keys (`analysis::keys`) and the risk tables read it.

use super::git::GIT_KEYED_VALUE_OPTIONS;

/// How a command-line program's subcommands are named.
#[derive(Debug, Clone, Copy)]
pub struct CliShape {
    /// Program name (file name of `argv[0]`).
    pub name: &'static str,
    /// Subcommand words kept after the name (`git diff` → 1, `aws s3 ls` → 2).
    pub levels: usize,
    /// First subcommands that take one more word (`gh pr view`, `npm run test`,
    /// `docker compose up`).
    pub deeper: &'static [&'static str],
    /// Options that take a separate value, skipped together with it (`git -C dir`).
    pub value_opts: &'static [&'static str],
}

/// The one table of subcommand depths. Programs not listed are keyed by name alone. git's
/// value options are its global options the keys skip ([`super::git`]).
#[rustfmt::skip]
pub const CLI_SHAPES: &[CliShape] = &[
    CliShape { name: "git", levels: 1,
        deeper: &["stash", "remote", "submodule", "worktree", "lfs", "bisect", "notes",
            "sparse-checkout"],
        value_opts: &GIT_KEYED_VALUE_OPTIONS },
    CliShape { name: "gh", levels: 1,
        deeper: &["pr", "issue", "repo", "release", "run", "workflow", "gist", "auth", "secret",
            "variable", "label", "project", "cache", "codespace", "extension", "ssh-key",
            "gpg-key", "org", "ruleset", "attestation", "config", "alias", "search"],
        value_opts: &["-R", "--repo"] },
    CliShape { name: "kubectl", levels: 1,
        deeper: &["get", "describe", "delete", "edit", "rollout", "config", "create", "top",
            "auth", "set", "scale", "patch", "explain"],
        value_opts: &["-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-s",
            "--server", "--user", "-l", "--selector", "-o", "--output", "-f", "--filename", "-c",
            "--container"] },
    CliShape { name: "docker", levels: 1,
        deeper: &["compose", "system", "volume", "image", "container", "network", "builder",
            "buildx", "context", "plugin", "swarm", "node", "service", "stack", "secret",
            "config", "trust", "manifest"],
        value_opts: &["-H", "--host", "--context", "-c", "--config", "-l", "--log-level", "-f",
            "--file", "-p", "--project-name", "--env-file", "--profile"] },
    CliShape { name: "aws", levels: 2, deeper: &[],
        value_opts: &["--profile", "--region", "--output", "--endpoint-url", "--query", "--color"] },
    CliShape { name: "gcloud", levels: 2,
        deeper: &["compute", "container", "sql", "iam", "pubsub", "artifacts", "dns", "kms",
            "redis", "spanner", "dataproc", "scheduler", "tasks", "filestore", "bigtable"],
        value_opts: &["--project", "--account", "--format", "--region", "--zone",
            "--configuration", "--verbosity", "--impersonate-service-account"] },
    CliShape { name: "az", levels: 2,
        deeper: &["storage", "network", "ad", "sql", "cosmosdb", "monitor"],
        value_opts: &["--subscription", "-g", "--resource-group", "-o", "--output", "--query",
            "-n", "--name"] },
    CliShape { name: "npm", levels: 1, deeper: &["run", "run-script"],
        value_opts: &["--prefix", "-w", "--workspace"] },
    CliShape { name: "pnpm", levels: 1, deeper: &["run"],
        value_opts: &["-C", "--dir", "-F", "--filter"] },
    CliShape { name: "yarn", levels: 1, deeper: &["run"], value_opts: &["--cwd"] },
    CliShape { name: "bun", levels: 1, deeper: &["run", "pm"], value_opts: &["--cwd"] },
    CliShape { name: "cargo", levels: 1, deeper: &[],
        value_opts: &["--manifest-path", "--config", "-Z", "-C"] },
    CliShape { name: "go", levels: 1, deeper: &["mod", "work", "tool"], value_opts: &["-C"] },
    CliShape { name: "pip", levels: 1, deeper: &[], value_opts: &["--python"] },
    CliShape { name: "pip3", levels: 1, deeper: &[], value_opts: &["--python"] },
    CliShape { name: "uv", levels: 1, deeper: &["pip", "run", "tool", "python", "cache", "self"],
        value_opts: &["--directory", "--project", "-p", "--python", "--with"] },
    CliShape { name: "poetry", levels: 1, deeper: &["run", "env", "self", "source", "cache"],
        value_opts: &["-C", "--directory", "-P", "--project"] },
    CliShape { name: "brew", levels: 1, deeper: &["services"], value_opts: &[] },
    CliShape { name: "apt", levels: 1, deeper: &[], value_opts: &["-o", "-t"] },
    CliShape { name: "apt-get", levels: 1, deeper: &[], value_opts: &["-o", "-t"] },
    CliShape { name: "helm", levels: 1,
        deeper: &["repo", "plugin", "dependency", "registry", "show", "get"],
        value_opts: &["-n", "--namespace", "--kube-context", "--kubeconfig"] },
    CliShape { name: "terraform", levels: 1, deeper: &["state", "workspace", "providers"],
        value_opts: &[] },
    CliShape { name: "tofu", levels: 1, deeper: &["state", "workspace", "providers"],
        value_opts: &[] },
    CliShape { name: "mise", levels: 1, deeper: &["run", "r", "tasks"],
        value_opts: &["-C", "--cd", "-E", "--env"] },
    CliShape { name: "just", levels: 1, deeper: &[],
        value_opts: &["-f", "--justfile", "-d", "--working-directory"] },
    CliShape { name: "task", levels: 1, deeper: &[], value_opts: &["-d", "--dir", "-t", "--taskfile"] },
    CliShape { name: "make", levels: 1, deeper: &[],
        value_opts: &["-C", "-f", "--file", "--directory", "-I", "-o", "-W"] },
];

/// The [`CLI_SHAPES`] entry for a program name.
pub fn cli_shape(name: &str) -> Option<&'static CliShape> {
    CLI_SHAPES.iter().find(|c| c.name == name)
}
