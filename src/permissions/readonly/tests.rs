//! Tests of the built-in read-only check: required cases, each kind of entry, every flag
//! validator, git/gh/docker, and the compound exceptions.

use super::*;
use crate::permissions::shell::analyze;

/// The read-only label of a one-part command.
fn label(command: &str) -> Option<&'static str> {
    let analysis = analyze(command);
    assert_eq!(
        analysis.parts.len(),
        1,
        "{command:?} should be one part: {analysis:#?}"
    );
    builtin_readonly(&analysis.parts[0])
}

#[test]
fn required_cases() {
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("git status", Some("git status")),
        ("git log --oneline -20", Some("git log")),
        ("gh pr view 12", Some("gh pr view")),
        ("ls -la", Some("ls")),
        ("cat README.md", Some("cat")),
        ("find . -name '*.rs'", Some("find")),
        ("sed -n 1,5p f", Some("sed")),
        ("rg foo", Some("rg")),
        ("grep -r x .", Some("grep")),
        ("wc -l a b", Some("wc")),
        ("git -C /x status", Some("git status")),
        ("docker ps", Some("docker ps")),
        ("kubectl get pods", None),
        ("find . -delete", None),
        ("find . -exec rm {} \\;", None),
        ("sed -i s/a/b/ f", None),
        ("git log --output=x", None),
        ("git branch newbranch", None),
        ("git branch -D x", None),
        ("git push", None),
        ("git fetch", None),
        ("gh api -X POST repos/x", None),
        ("rg --pre cat x", None),
        ("sort -o out in", None),
        ("echo hi > file", None),
        ("FOO=1 ls", None),
        ("PATH=/tmp ls", None),
        ("npm test", None),
        ("python -c 'x'", None),
        ("curl example.com", None),
        ("rm -rf build", None),
        ("docker -H tcp://x ps", None),
    ];
    for (command, expected) in cases {
        assert_eq!(label(command), *expected, "{command:?}");
    }
    let a = analyze("ls $(whoami)");
    assert!(a.parts.iter().all(|p| builtin_readonly(p).is_none()));
    let a = analyze("bash -c 'ls'");
    assert!(a.parts.iter().all(|p| builtin_readonly(p).is_none()));
    let a = analyze("find . -exec rm {} ;");
    assert_eq!(builtin_readonly(&a.parts[0]), None);
}

#[test]
fn kinds_and_part_rules() {
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("ls *.ts", Some("ls")),
        ("cat $FILE", Some("cat")),
        ("wc -l src/*.rs", Some("wc")),
        ("echo hi 2>/dev/null", Some("echo")),
        ("echo hi > /dev/null 2>&1", Some("echo")),
        ("echo hi >> log", None),
        ("LANG=C ls", Some("ls")),
        ("LC_ALL=C TZ=UTC date", Some("date")),
        ("NODE_OPTIONS=x ls", None),
        ("LANG=C", Some(SAFE_ASSIGNMENT)),
        ("PATH=/x", None),
        ("timeout 5 git log", Some("git log")),
        ("nice -n 5 cat x", Some("cat")),
        ("xargs grep foo", Some("grep")),
        ("xargs rm", None),
        ("sudo ls", None),
        ("pwd", Some("pwd")),
        ("pwd -P", None),
        ("whoami", Some("whoami")),
        ("alias", Some("alias")),
        ("alias ls='rm -rf'", None),
        ("claude --help", Some("claude --help")),
        ("claude -h", Some("claude -h")),
        ("claude -p hi", None),
        ("node --version", Some("node --version")),
        ("node -v", Some("node -v")),
        ("node script.js", None),
        ("python --version", Some("python --version")),
        ("python3 --version", Some("python3 --version")),
        ("python3 -V", None),
        ("ip addr", Some("ip addr")),
        ("ip link set eth0 down", None),
        ("cd src", Some("cd")),
        ("(ls)", None),
        ("lsof -i :8080", Some("lsof")),
        ("ps aux", Some("ps")),
        ("pgrep -f node", Some("pgrep")),
        ("netstat -an", Some("netstat")),
        ("tput cols", Some("tput")),
        ("sha256sum -c sums.txt", Some("sha256sum")),
        ("md5sum f", Some("md5sum")),
        ("arch", Some("arch")),
        ("arch -x86_64 make", None),
        ("pyright --version", Some("pyright")),
        ("pyright src", None),
        ("getconf PAGE_SIZE", None),
        ("awk '{print}' f", None),
        ("/bin/ls", None),
    ];
    for (command, expected) in cases {
        assert_eq!(label(command), *expected, "{command:?}");
    }
}

#[test]
fn flag_validators() {
    #[rustfmt::skip]
    let cases: &[(&str, bool)] = &[
        // find
        ("find . -type f -name x", true),
        ("find . -name *.rs", false),
        ("find . -execdir ls ;", false),
        ("find . -ok rm {} \\;", false),
        ("find . -fprint out", false),
        ("find . -fprintf out %p", false),
        ("find . -fls out", false),
        ("find . -files0-from list", false),
        ("find . \\-delete", false),
        ("find . '-delete'", false),
        ("find . $ACTION", false),
        ("find . -name '-delete'", false),
        // sed
        ("sed 's/a/b/g' f", true),
        ("sed -n '/start/,/end/p' f", true),
        ("sed -E 's/(a|b)+/X/2g;s/x/y/' f", true),
        ("sed -e 's/a/b/' -e '1d' f", true),
        ("sed --expression='$!N;P;D' f", true),
        ("sed 10q f", true),
        ("sed -n '1~2p' f", true),
        ("sed '$a done; w /etc/x' f", true),
        ("sed 'y/abc/xyz/' f", true),
        ("sed '1!G;h;$!d' f", true),
        ("sed -i.bak s/a/b/ f", false),
        ("sed -ni p f", false),
        ("sed --in-place s/a/b/ f", false),
        ("sed --in-pl s/a/b/ f", false),
        ("sed -f script.sed f", false),
        ("sed 's/a/b/w out' f", false),
        ("sed 's/a/b/e' f", false),
        ("sed '1e id' f", false),
        ("sed 'w out' f", false),
        ("sed '/x/W out' f", false),
        ("sed -e p -e 'w x' f", false),
        ("sed -n p *.txt", false),
        ("sed", false),
        // sort
        ("sort -n f", true),
        ("sort -k 2 -t , f", true),
        ("sort -o out in", false),
        ("sort -no out in", false),
        ("sort --output=out in", false),
        ("sort --out=out in", false),
        ("sort --compress-program=gzip f", false),
        ("sort -k o f", true),
        // grep / rg
        ("grep -rn 'fn main' src", true),
        ("egrep 'a|b' f", true),
        ("fgrep x f", true),
        ("grep x *.rs", false),
        ("rg -n foo src", true),
        ("rg -g '*.rs' foo", true),
        ("rg --pre-glob '*.pdf' foo", true),
        ("rg --pre=cat foo", false),
        ("rg --hostname-bin=x foo", false),
        ("rg -z foo", false),
        ("rg -iz foo", false),
        ("rg --search-zip foo", false),
        ("rg -e z foo", true),
        // printf / test
        ("printf '%s\\n' a", true),
        ("printf -v x '%s' a", false),
        ("test -f x", true),
        ("test -v x", false),
        ("test -R x", false),
        ("test a -a b", false),
        ("test a -o b", false),
        // xargs
        ("xargs -n1 grep foo", true),
        ("xargs -0 -I{} cat {}", true),
        ("xargs -n 1 wc -l", true),
        ("xargs --null ls", true),
        ("xargs -0", true),
        ("xargs -n1 rm", false),
        ("xargs -0 sed -i s/a/b/", false),
        ("xargs -n1 sh -c 'ls'", false),
        ("xargs --frob ls", false),
        // file / base64 / jq
        ("file x.bin", true),
        ("file -b --mime-type x", true),
        ("file -m magic x", false),
        ("file --magic-file=m x", false),
        ("file -f list", false),
        ("file --files-from list", false),
        ("file -C -m m", false),
        ("base64 -d x", true),
        ("base64 -o out x", false),
        ("base64 --output=out x", false),
        ("jq '.a' f.json", true),
        ("jq -r '.[] | .name' f", true),
        ("jq --arg x 1 '.a' f", true),
        ("jq -f prog.jq f", false),
        ("jq --from-file prog.jq f", false),
        ("jq --rawfile a b . f", false),
        ("jq --slurpfile a b . f", false),
        // uniq / tree / date / hostname
        ("uniq f", true),
        ("uniq -c f", true),
        ("uniq -f 2 f", true),
        ("uniq f out", false),
        ("uniq -c f out", false),
        ("tree -L 2 src", true),
        ("tree -I node_modules", true),
        ("tree -o out.txt", false),
        ("tree -aRH . -o x", false),
        ("date +%F", true),
        ("date -u -d yesterday +%s", true),
        ("date -Iseconds", true),
        ("date -s '2020-01-01'", false),
        ("date --set=x", false),
        ("date 010112002020", false),
        ("hostname", true),
        ("hostname -f", true),
        ("hostname newname", false),
        ("hostname -F file", false),
        // ss / man / help / history / ifconfig / fd
        ("ss -tlnp", true),
        ("ss -K dst 1.2.3.4", false),
        ("ss -D out", false),
        ("man ls", true),
        ("man 5 crontab", true),
        ("man -P cat ls", false),
        ("man --pager=cat ls", false),
        ("man -Hfirefox ls", false),
        ("man --html ls", false),
        ("help cd", true),
        ("history", true),
        ("history 20", true),
        ("history -c", false),
        ("history -d 5", false),
        ("history -w f", false),
        ("history -a", false),
        ("ifconfig", true),
        ("ifconfig -a", true),
        ("ifconfig eth0", true),
        ("ifconfig eth0 down", false),
        ("ifconfig eth0 10.0.0.1", false),
        ("fd -e rs", true),
        ("fdfind foo src", true),
        ("fd -x rm", false),
        ("fd -X rm", false),
        ("fd --exec rm", false),
        ("fd --exec-batch rm", false),
    ];
    for (command, expected) in cases {
        assert_eq!(label(command).is_some(), *expected, "{command:?}");
    }
}

#[test]
fn git_gh_docker() {
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("git diff HEAD~1 -- src", Some("git diff")),
        ("git show --stat HEAD", Some("git show")),
        ("git --no-pager log -p", Some("git log")),
        ("git --git-dir=/x/.git log", Some("git log")),
        ("git -c core.pager=evil log", None),
        ("git --config-env=core.pager=X log", None),
        ("git -p log", None),
        ("git --paginate log", None),
        ("git --exec-path=/tmp status", None),
        ("git log --ext-diff", None),
        ("git diff --ext", None),
        ("git log --textconv", None),
        ("git diff --text", Some("git diff")),
        ("git log --output-indicator-new=+", Some("git log")),
        ("git diff --out=x", None),
        ("git log -- '*.rs'", Some("git log")),
        ("git log -- *.rs", None),
        ("git log $REV", None),
        ("git blame -L 1,5 f", Some("git blame")),
        ("git branch", Some("git branch")),
        ("git branch -a -v", Some("git branch")),
        ("git branch -vv", Some("git branch")),
        ("git branch --show-current", Some("git branch")),
        ("git branch --contains abc123", Some("git branch")),
        ("git branch --list 'feat/*'", Some("git branch")),
        ("git branch -d x", None),
        ("git branch -m a b", None),
        ("git branch -M a b", None),
        ("git branch -c a b", None),
        ("git branch -C a b", None),
        ("git branch --delete x", None),
        ("git branch --move a b", None),
        ("git branch --copy a b", None),
        ("git branch --force x", None),
        ("git branch --set-upstream-to=o/m", None),
        ("git branch --unset-upstream", None),
        ("git branch --edit-description", None),
        ("git tag", Some("git tag")),
        ("git tag -l", Some("git tag")),
        ("git tag --list 'v1.*'", Some("git tag")),
        ("git tag -n5", Some("git tag")),
        ("git tag v1.0", None),
        ("git tag -a v1 -m x", None),
        ("git tag -d v1", None),
        ("git remote", Some("git remote")),
        ("git remote -v", Some("git remote")),
        ("git remote show origin", Some("git remote")),
        ("git remote get-url origin", Some("git remote")),
        ("git remote add x y", None),
        ("git remote remove x", None),
        ("git remote set-url origin x", None),
        ("git ls-files -m", Some("git ls-files")),
        ("git ls-remote origin", Some("git ls-remote")),
        ("git ls-remote --upload-pack=evil origin", None),
        ("git ls-remote 'ext::sh -c id'", None),
        ("git rev-parse --show-toplevel", Some("git rev-parse")),
        ("git describe --tags", Some("git describe")),
        ("git shortlog -sn", Some("git shortlog")),
        ("git cat-file -p HEAD", Some("git cat-file")),
        ("git cat-file --filters HEAD:f", None),
        ("git for-each-ref refs/heads", Some("git for-each-ref")),
        ("git reflog", Some("git reflog")),
        ("git reflog show main", Some("git reflog")),
        ("git reflog expire --all", None),
        ("git reflog delete HEAD@{1}", None),
        ("git config --get user.name", Some("git config")),
        ("git config --get-all remote.origin.fetch", Some("git config")),
        ("git config --get-regexp '^alias'", Some("git config")),
        ("git config --list", Some("git config")),
        ("git config -l --show-origin", Some("git config")),
        ("git config --global --get user.email", Some("git config")),
        ("git config get user.name", Some("git config")),
        ("git config user.name", None),
        ("git config user.name x", None),
        ("git config --unset user.name", None),
        ("git config --add a.b c", None),
        ("git config -e", None),
        ("git stash list", Some("git stash list")),
        ("git stash show -p", Some("git stash show")),
        ("git stash", None),
        ("git stash pop", None),
        ("git stash drop", None),
        ("git worktree list", Some("git worktree list")),
        ("git worktree add x", None),
        ("git grep -n foo", Some("git grep")),
        ("git grep -O foo", None),
        ("git grep -Ovim foo", None),
        ("git grep --open-files-in-pager foo", None),
        ("git merge-base main HEAD", Some("git merge-base")),
        ("git rev-list --count HEAD", Some("git rev-list")),
        ("git show-ref --heads", Some("git show-ref")),
        ("git name-rev HEAD", Some("git name-rev")),
        ("git commit -m x", None),
        ("git checkout main", None),
        ("git pull", None),
        ("git", None),
        ("gh pr list --state open", Some("gh pr list")),
        ("gh pr diff 3", Some("gh pr diff")),
        ("gh pr checks 3", Some("gh pr checks")),
        ("gh pr status", Some("gh pr status")),
        ("gh issue view 5 --comments", Some("gh issue view")),
        ("gh issue list", Some("gh issue list")),
        ("gh issue status", Some("gh issue status")),
        ("gh run view 123 --log", Some("gh run view")),
        ("gh run list", Some("gh run list")),
        ("gh workflow list", Some("gh workflow list")),
        ("gh workflow view ci.yml", Some("gh workflow view")),
        ("gh repo view", Some("gh repo view")),
        ("gh release view v1", Some("gh release view")),
        ("gh release list", Some("gh release list")),
        ("gh auth status", Some("gh auth status")),
        ("gh auth status --show-token", None),
        ("gh auth status -t", None),
        ("gh pr merge 3", None),
        ("gh pr create", None),
        ("gh issue close 3", None),
        ("gh repo clone x", None),
        ("gh run rerun 1", None),
        ("gh api repos/o/r/pulls", Some("gh api")),
        ("gh api -X GET repos/o/r", Some("gh api")),
        ("gh api --method=get repos/o/r", Some("gh api")),
        ("gh api repos/o/r --jq '.name'", Some("gh api")),
        ("gh api --paginate repos/o/r/issues", Some("gh api")),
        ("gh api -XPOST repos/x", None),
        ("gh api --method DELETE repos/x", None),
        ("gh api repos/x -f title=t", None),
        ("gh api repos/x -F n=1", None),
        ("gh api repos/x --field a=b", None),
        ("gh api repos/x --raw-field a=b", None),
        ("gh api repos/x --input body.json", None),
        ("gh api graphql -f query='mutation{}'", None),
        ("gh api -H 'X-HTTP-Method-Override: DELETE' repos/x", None),
        ("gh --repo x pr list", None),
        ("docker ps -a", Some("docker ps")),
        ("docker images", Some("docker images")),
        ("docker logs -f web", Some("docker logs")),
        ("docker inspect web", Some("docker inspect")),
        ("docker --debug ps", Some("docker ps")),
        ("docker -H tcp://x ps", None),
        ("docker -Htcp://x ps", None),
        ("docker --host=tcp://x ps", None),
        ("docker --context prod ps", None),
        ("docker -c prod ps", None),
        ("docker ps --url x", None),
        ("docker ps --connection x", None),
        ("docker --config /x ps", None),
        ("docker run ubuntu", None),
        ("docker exec web ls", None),
        ("docker rm web", None),
    ];
    for (command, expected) in cases {
        assert_eq!(label(command), *expected, "{command:?}");
    }
}

#[test]
fn compound_exceptions() {
    #[rustfmt::skip]
    let cases: &[(&str, bool)] = &[
        ("cd sub && git status", true),
        ("git status; cd sub", true),
        ("cd /other/repo && git log", true),
        ("cd . && git status", false),
        ("cd && git status", true),
        ("cd sub && ls", false),
        ("cd sub && echo hi > out.txt", true),
        ("cd sub && ls > /dev/null", false),
        ("cd . && echo hi > out.txt", false),
        ("git status && ls > out.txt", false),
        ("ls && git log", false),
    ];
    for (command, expected) in cases {
        let a = analyze(command);
        assert_eq!(
            compound_readonly_exception(&a).is_some(),
            *expected,
            "{command:?}"
        );
    }
}

#[test]
fn table_shape() {
    // Every entry has a non-empty command name; exact entries start with their command.
    for entry in READONLY_COMMANDS {
        assert!(!entry.command.is_empty());
        if let Kind::Exact(line) = entry.kind {
            assert!(line.starts_with(entry.command), "{line}");
        }
    }
    assert_eq!(MIRRORS_CLAUDE_CODE, "2.1.240");
    assert!(sed_script_ok("p"));
    assert!(!sed_script_ok("s/a/b"));
}

/// The command facts against the read-only table: no destructive command is read-only, and
/// no command whose every argument is accepted runs code, reaches the network or has flags
/// that write.
#[test]
fn the_table_agrees_with_the_command_facts() {
    use crate::facts::commands::{DESTRUCTIVE_COMMANDS, SCRIPTABLE_FILE_TOOLS};
    use crate::facts::single_word_categories;
    for words in DESTRUCTIVE_COMMANDS {
        let mut argv: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        assert_eq!(readonly_argv(&argv), None, "{words:?}");
        argv.push("x".into());
        assert_eq!(readonly_argv(&argv), None, "{words:?} x");
    }
    let runs_code: Vec<&str> = single_word_categories()
        .into_iter()
        .flat_map(|(_, names)| names)
        .chain(
            SCRIPTABLE_FILE_TOOLS
                .iter()
                .filter(|e| e.len() == 1)
                .map(|e| e[0]),
        )
        .collect();
    for entry in READONLY_COMMANDS {
        if matches!(entry.kind, Kind::AnyArgs) {
            assert!(!runs_code.contains(&entry.command), "{}", entry.command);
        }
    }
}
