//! Tests of the shell splitter: parts, wrappers, opacity, words, and the fast path against
//! the parser.

use super::hidden::{parsed_literal_heredoc, plain_literal_heredoc};
use super::lexer::{scan, split_words_stepped};
use super::*;

fn argvs(a: &ShellAnalysis) -> Vec<String> {
    a.parts.iter().map(|p| p.argv.join(" ")).collect()
}

#[test]
fn splits_into_parts() {
    #[rustfmt::skip]
    let cases: &[(&str, &[&str])] = &[
        ("git diff HEAD && rm -rf build", &["git diff HEAD", "rm -rf build"]),
        ("a | b |& c; d & e || f", &["a", "b", "c", "d", "e", "f"]),
        ("a\nb\nc\nd\ne\nf", &["a", "b", "c", "d", "e", "f"]),
        ("a |\n b && \n c", &["a", "b", "c"]),
        ("for f in *.rs; do wc -l $f; done", &["wc -l $f"]),
        ("if test -f x; then cat x; elif true; then :; else echo no; fi", &["test -f x", "cat x", "true", ":", "echo no"]),
        ("while read l; do echo \"$l\"; done < in.txt", &["read l", "echo \"$l\""]),
        ("until false; do sleep 1; done", &["false", "sleep 1"]),
        ("case $x in a) echo a;; b|c) ls;; esac", &["echo a", "ls"]),
        ("{ ls; pwd; } > out.txt", &["ls", "pwd"]),
        ("ls # a comment; rm -rf /", &["ls"]),
        ("echo 'a;b' \"c && d\"", &["echo a;b c && d"]),
        ("! grep -q x f && echo missing", &["grep -q x f", "echo missing"]),
        ("", &[]),
        ("   ", &[]),
        ("ls \\\n  -la", &["ls -la"]),
        ("FOO=1", &[""]),
    ];
    for (input, expected) in cases {
        let a = analyze(input);
        assert_eq!(a.opaque, None, "{input:?}");
        assert_eq!(argvs(&a), *expected, "{input:?}");
    }
}

#[test]
fn env_wrappers_text() {
    // (input, env, wrappers, argv, text)
    type Case<'a> = (
        &'a str,
        &'a [(&'a str, &'a str)],
        &'a [&'a str],
        &'a [&'a str],
        &'a str,
    );
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("timeout 5 git log", &[], &["timeout 5"], &["git", "log"], "git log"),
        ("timeout -s KILL 5 x", &[], &["timeout -s KILL 5"], &["x"], "x"),
        ("timeout --preserve-status 10s x y", &[], &["timeout --preserve-status 10s"], &["x", "y"], "x y"),
        ("time git status", &[], &["time"], &["git", "status"], "git status"),
        ("time -p make", &[], &["time -p"], &["make"], "make"),
        ("nice -n 10 x", &[], &["nice -n 10"], &["x"], "x"),
        ("nice x", &[], &["nice"], &["x"], "x"),
        ("nohup npm start", &[], &["nohup"], &["npm", "start"], "npm start"),
        ("stdbuf -o0 -eL grep x", &[], &["stdbuf -o0 -eL"], &["grep", "x"], "grep x"),
        ("command ls -la", &[], &["command"], &["ls", "-la"], "ls -la"),
        ("command -v git", &[], &[], &["command", "-v", "git"], "command -v git"),
        ("command -V git", &[], &[], &["command", "-V", "git"], "command -V git"),
        ("builtin cd /tmp", &[], &["builtin"], &["cd", "/tmp"], "cd /tmp"),
        ("noglob ls *", &[], &["noglob"], &["ls", "*"], "ls *"),
        ("nocorrect ls", &[], &[], &["nocorrect", "ls"], "nocorrect ls"),
        ("xargs grep foo", &[], &["xargs"], &["grep", "foo"], "grep foo"),
        ("xargs -n1 grep foo", &[], &[], &["xargs", "-n1", "grep", "foo"], "xargs -n1 grep foo"),
        ("xargs", &[], &[], &["xargs"], "xargs"),
        ("timeout 5 nice -n 2 nohup x", &[], &["timeout 5", "nice -n 2", "nohup"], &["x"], "x"),
        ("timeout", &[], &[], &["timeout"], "timeout"),
        ("nohup", &[], &[], &["nohup"], "nohup"),
        ("FOO=1 npm test", &[("FOO", "1")], &[], &["npm", "test"], "npm test"),
        ("A=1 B='x y' cmd", &[("A", "1"), ("B", "'x y'")], &[], &["cmd"], "cmd"),
        ("NODE_ENV=test timeout 5 npm test", &[("NODE_ENV", "test")], &["timeout 5"], &["npm", "test"], "npm test"),
        ("git   commit  -m  \"a  b\"", &[], &[], &["git", "commit", "-m", "a  b"], "git commit -m \"a b\""),
        ("echo 'it''s' $'a\\tb' \"$HOME\"", &[], &[], &["echo", "its", "a\tb", "\"$HOME\""], "echo 'it''s' $'a\\tb' \"$HOME\""),
        ("cat x > out 2>&1", &[], &[], &["cat", "x"], "cat x"),
        ("sudo rm -rf x", &[], &[], &["sudo", "rm", "-rf", "x"], "sudo rm -rf x"),
        ("make CC=gcc", &[], &[], &["make", "CC=gcc"], "make CC=gcc"),
        ("\\rm -f x", &[], &[], &["rm", "-f", "x"], "\\rm -f x"),
    ];
    for (input, env, wrappers, argv, text) in cases {
        let a = analyze(input);
        assert_eq!(a.parts.len(), 1, "{input:?}: {a:?}");
        let p = &a.parts[0];
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(p.env, env, "{input:?}");
        assert_eq!(p.wrappers, *wrappers, "{input:?}");
        assert_eq!(p.argv, *argv, "{input:?}");
        assert_eq!(p.text, *text, "{input:?}");
        assert_eq!(p.opaque, None, "{input:?}");
    }
}

#[test]
fn raw_text() {
    #[rustfmt::skip]
    let cases: &[(&str, &[&str])] = &[
        ("git  diff   HEAD && rm -rf build", &["git diff HEAD", "rm -rf build"]),
        ("FOO=1 timeout 5 ls > out", &["FOO=1 timeout 5 ls > out"]),
        ("time -p ls", &["time -p ls"]),
        (">out echo hi", &[">out echo hi"]),
        ("2>err ls", &["2>err ls"]),
        ("cat <<EOF | grep x\nhello\nEOF", &["cat <<EOF", "grep x"]),
    ];
    for (input, expected) in cases {
        let a = analyze(input);
        let raws: Vec<&str> = a.parts.iter().map(|p| p.raw.as_str()).collect();
        assert_eq!(raws, *expected, "{input:?}");
    }
}

#[test]
fn redirects() {
    #[rustfmt::skip]
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("cat x > /etc/passwd", &[(">", "/etc/passwd")]),
        ("ls 2>/dev/null", &[("2>", "/dev/null")]),
        ("echo hi 2>&1", &[]),
        ("echo hi >&2", &[]),
        ("echo hi 1>&2 2>&-", &[]),
        ("sort < in.txt", &[]),
        ("cat <<EOF\nx\nEOF", &[]),
        ("grep x <<< \"$y\"", &[]),
        ("echo hi >> log.txt", &[(">>", "log.txt")]),
        ("echo hi &> all.log", &[("&>", "all.log")]),
        ("echo hi &>> all.log", &[("&>>", "all.log")]),
        ("echo hi >| forced", &[(">|", "forced")]),
        ("echo hi >&file.txt", &[(">&", "file.txt")]),
        ("echo hi 3<> rw.txt", &[("3<>", "rw.txt")]),
        ("echo hi > 'my file'", &[(">", "my file")]),
        ("echo hi > \"$OUT\"", &[(">", "\"$OUT\"")]),
        ("echo hi > ~/x", &[(">", "~/x")]),
        ("{ echo a; } > grouped.txt", &[(">", "grouped.txt")]),
        ("for i in 1; do echo $i; done >> loop.txt", &[(">>", "loop.txt")]),
    ];
    for (input, expected) in cases {
        let a = analyze(input);
        assert!(!a.parts.is_empty(), "{input:?}");
        let got: Vec<(String, String)> = a.parts[0]
            .redirects
            .iter()
            .map(|r| (r.op.clone(), r.target.clone()))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(o, t)| (o.to_string(), t.to_string()))
            .collect();
        assert_eq!(got, expected, "{input:?}");
    }
}

#[test]
fn opaque_parts() {
    // (input, is some part opaque, inner argv that must be listed as a part)
    #[rustfmt::skip]
    let cases: &[(&str, bool, Option<&str>)] = &[
        ("ls $(whoami)", true, Some("whoami")),
        ("ls `whoami`", true, Some("whoami")),
        ("echo \"today: $(date +%F)\"", true, Some("date +%F")),
        ("echo ${x:-$(rm -rf y)}", true, Some("rm -rf y")),
        ("bash -c 'rm -rf /'", true, Some("rm -rf /")),
        ("sh -c \"echo hi\"", true, Some("echo hi")),
        ("bash -lc 'make test'", true, Some("make test")),
        ("sudo bash -c 'rm x'", true, Some("rm x")),
        ("timeout 5 sh -c 'ls'", true, Some("ls")),
        ("xargs sh -c 'rm x'", true, Some("rm x")),
        ("su -c 'rm x' root", true, Some("rm x")),
        ("(cd x && make)", true, Some("make")),
        ("eval \"rm -rf x\"", true, Some("rm -rf x")),
        ("exec rm -rf x", true, Some("rm -rf x")),
        ("source ./env.sh", true, None),
        (". ./env.sh", true, None),
        ("trap 'rm -f x' EXIT", true, Some("rm -f x")),
        ("$CMD args", true, None),
        ("\"$CMD\" args", true, None),
        ("${CMD} args", true, None),
        ("f() { rm -rf x; }; f", true, Some("rm -rf x")),
        ("diff <(ls a) <(ls b)", true, Some("ls a")),
        ("tee >(grep x) < f", true, Some("grep x")),
        ("cat <<EOF\n$(rm -rf /)\nEOF", true, Some("rm -rf /")),
        ("cat <<EOF\n`id`\nEOF", true, Some("id")),
        ("for f in $(ls); do echo $f; done", true, Some("ls")),
        ("X=$(id) ls", true, Some("id")),
        ("env -S 'rm x'", true, None),
        ("flock /tmp/l -c 'make'", true, Some("make")),
        ("coproc cat", true, None),
        ("git commit -m \"$(cat <<EOF\nmsg $(id)\nEOF\n)\"", true, Some("id")),
        ("git commit -m \"$(cat <<'EOF'\nmsg\nEOF\nrm -rf x\n)\"", true, Some("rm -rf x")),
        ("git commit -m \"$(cat <<'EOF' | sh\nmsg\nEOF\n)\"", true, Some("sh")),
        ("git commit -m \"$(cat x <<'EOF'\nmsg\nEOF\n)\"", true, None),
        // Not opaque:
        ("cat <<'EOF'\n$(rm -rf /)\nEOF", false, None),
        ("cat <<\"EOF\"\n`id`\nEOF", false, None),
        ("cat <<EOF\n$HOME and ${USER}\nEOF", false, None),
        ("echo '$(not run)'", false, None),
        ("echo \\$\\(not run\\)", false, None),
        ("echo $((1 + 2))", false, None),
        ("git commit -m \"$(cat <<'EOF'\nFix (bug)\n\nCo-Authored-By: x\nEOF\n)\"", false, None),
        ("MSG=$(cat <<'EOF'\nhi $(id)\nEOF\n) git tag -a v1 -m \"$MSG\"", false, None),
        ("bash script.sh", false, None),
        ("trap - EXIT", false, None),
        ("{ ls; }", false, None),
        ("echo $HOME", false, None),
    ];
    for (input, opaque, inner) in cases {
        let a = analyze(input);
        assert_eq!(a.opaque, None, "{input:?}");
        let any = a.parts.iter().any(|p| p.opaque.is_some());
        assert_eq!(any, *opaque, "{input:?}: {a:#?}");
        if let Some(inner) = inner {
            assert!(
                a.parts
                    .iter()
                    .any(|p| p.argv.join(" ") == *inner && p.opaque.is_some()),
                "{input:?} should list {inner:?}: {a:#?}"
            );
        }
    }
}

#[test]
fn commit_messages_in_a_literal_heredoc_are_data() {
    // Apostrophes, parentheses and quotes in the body do not end or open anything.
    for body in [
        "I'll fix it",
        "fix (part",
        "say \"hi\" (x",
        "close)",
        "a\n\nb's",
    ] {
        let line = format!("git commit -m \"$(cat <<'EOF'\n{body}\nEOF\n)\" && git log -1");
        let a = analyze(&line);
        assert_eq!(argvs(&a)[1], "git log -1", "{line:?}");
        assert_eq!(a.parts[0].opaque, None, "{line:?}");
        assert_eq!(a.opaque, None, "{line:?}");
    }
    // A body that expands stays opaque, and its hidden command is listed.
    let a = analyze("git commit -m \"$(cat <<EOF\nit's $(rm -rf /)\nEOF\n)\"");
    assert!(a.parts[0].opaque.is_some());
    assert!(
        argvs(&a).contains(&"rm -rf /".to_string()),
        "{:?}",
        argvs(&a)
    );
}

#[test]
fn heredoc_body_is_data() {
    let a = analyze("cat <<'EOF'\n$(rm -rf /)\nEOF");
    assert_eq!(a.parts.len(), 1);
    assert_eq!(a.parts[0].argv, vec!["cat"]);
    assert_eq!(a.parts[0].text, "cat");
    assert_eq!(a.parts[0].opaque, None);
    let a = analyze("cat <<EOF > notes.md\nline one\nline two\nEOF\ngit status");
    assert_eq!(argvs(&a), vec!["cat", "git status"]);
    assert_eq!(a.parts[0].redirects.len(), 1);
}

/// Every shell builtin the facts say runs text as code makes its part opaque.
#[test]
fn eval_builtins_of_the_facts_are_opaque() {
    for b in crate::facts::commands::SHELL_EVAL_BUILTINS {
        let a = analyze(&format!("{b} x"));
        assert!(a.parts[0].opaque.is_some(), "{b}");
    }
}

#[test]
fn whole_line_opaque() {
    let long = format!("echo {}", "a".repeat(9_996));
    assert_eq!(long.chars().count(), 10_001);
    let just_fits = format!("echo {}", "a".repeat(9_995));
    #[rustfmt::skip]
    let cases: &[(&str, bool)] = &[
        (&long, true),
        (&just_fits, false),
        ("echo 'unterminated", true),
        ("ls &&", true),
        ("if then fi", true),
        ("99999999999999999999>x", true),
        ("rm -rf x )", true),
    ];
    for (input, opaque) in cases {
        let a = analyze(input);
        assert_eq!(a.opaque.is_some(), *opaque, "{input:.60}");
        if *opaque {
            assert_eq!(a.parts.len(), 1, "{input:.60}");
            assert!(a.parts[0].opaque.is_some());
        }
    }
    let a = analyze("FOO=1 rm -rf x 'unterminated");
    assert_eq!(a.parts[0].env, vec![("FOO".to_string(), "1".to_string())]);
    assert_eq!(a.parts[0].argv[0], "rm");
}

#[test]
fn scan_word_cases() {
    // (word, static value, substitution, expansion, glob)
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>, bool, bool, bool)] = &[
        ("plain", Some("plain"), false, false, false),
        ("'a b'", Some("a b"), false, false, false),
        ("\"a\\\"b\"", Some("a\"b"), false, false, false),
        ("\"a\\qb\"", Some("a\\qb"), false, false, false),
        ("a\\ b", Some("a b"), false, false, false),
        ("\\-delete", Some("-delete"), false, false, false),
        ("$'x\\ny'", Some("x\ny"), false, false, false),
        ("~/x", Some("~/x"), false, false, false),
        ("*.rs", Some("*.rs"), false, false, true),
        ("'*.rs'", Some("*.rs"), false, false, false),
        ("a?", Some("a?"), false, false, true),
        ("[ab]", Some("[ab]"), false, false, true),
        ("{a,b}", Some("{a,b}"), false, false, true),
        ("{}", Some("{}"), false, false, false),
        ("$HOME", None, false, true, false),
        ("\"$HOME\"", None, false, true, false),
        ("'$HOME'", Some("$HOME"), false, false, false),
        ("$((1+2))", None, false, true, false),
        ("$(id)", None, true, false, false),
        ("\"$(id)\"", None, true, false, false),
        ("`id`", None, true, false, false),
        ("${a:-`id`}", None, true, true, false),
        ("$", Some("$"), false, false, false),
        ("a$", Some("a$"), false, false, false),
    ];
    for (word, value, subst, expansion, glob) in cases {
        let s = scan_word(word);
        assert_eq!(s.value.as_deref(), *value, "{word:?}");
        assert_eq!(s.has_substitution, *subst, "{word:?}");
        assert_eq!(s.has_expansion, *expansion, "{word:?}");
        assert_eq!(s.has_glob, *glob, "{word:?}");
    }
    assert_eq!(
        scan_word("x$(a $(b) c)y`d`").substitutions,
        vec!["a $(b) c", "d"]
    );
    // The shortcuts for bare words give what the full scan and split give.
    for text in ["git  status -s", " ls -la ", "a=b c:d e@f", "", "  "] {
        assert_eq!(split_words(text), split_words_stepped(text), "{text:?}");
    }
    let bare = "aZ09_-./:@%+,=~^";
    for a in bare.chars() {
        for b in bare.chars() {
            let word = format!("{a}{b}{a}");
            assert_eq!(scan_word(&word), scan(&word, true), "{word:?}");
        }
    }
}

#[test]
fn split_words_cases() {
    #[rustfmt::skip]
    let cases: &[(&str, &[&str])] = &[
        ("a b  c", &["a", "b", "c"]),
        ("echo 'a b' \"c d\" e\\ f", &["echo", "'a b'", "\"c d\"", "e\\ f"]),
        ("ls $(echo a b) ${x:-a b} `c d`", &["ls", "$(echo a b)", "${x:-a b}", "`c d`"]),
        ("diff <(ls a) >(cat)", &["diff", "<(ls a)", ">(cat)"]),
        ("echo \"$(echo \"a b\")\" x", &["echo", "\"$(echo \"a b\")\"", "x"]),
        ("echo $((1 + (2 * 3))) x", &["echo", "$((1 + (2 * 3)))", "x"]),
        ("a=(1 2) b", &["a=(1 2)", "b"]),
        ("", &[]),
    ];
    for (input, expected) in cases {
        assert_eq!(split_words(input), *expected, "{input:?}");
    }
}

#[test]
fn wrapper_helpers() {
    let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    #[rustfmt::skip]
    let wrapper_cases: &[(&str, Option<usize>)] = &[
        ("timeout 5 x", Some(2)),
        ("timeout -k 5 10 x", Some(4)),
        ("timeout --signal=KILL 1.5m x", Some(3)),
        ("timeout x y", None),
        ("timeout 5", None),
        ("nice -10 x", Some(2)),
        ("nice --adjustment=3 x", Some(2)),
        ("stdbuf --output=L x", Some(2)),
        ("stdbuf -o L x", Some(3)),
        ("command -p ls", Some(2)),
        ("command -v ls", None),
        ("time -p ls", Some(2)),
        ("time -o f ls", None),
        ("xargs -0 rm", None),
    ];
    for (input, expected) in wrapper_cases {
        assert_eq!(wrapper_len(&v(input)), *expected, "{input:?}");
    }
    #[rustfmt::skip]
    let exec_cases: &[(&str, Option<usize>)] = &[
        ("env FOO=1 rm -rf y", Some(2)),
        ("env -i -u HOME A=1 B=2 rm", Some(6)),
        ("env -C /tmp rm", Some(3)),
        ("env", None),
        ("env -S x", None),
        ("sudo rm -rf x", Some(1)),
        ("sudo -u root -E rm", Some(4)),
        ("sudo -uroot rm", Some(2)),
        ("sudo --user=root FOO=1 rm", Some(3)),
        ("doas -u root rm", Some(3)),
        ("watch -n 1 ls", Some(3)),
        ("watch -d ls", Some(2)),
        ("ionice -c 3 rm x", Some(3)),
        ("ionice -p 123", None),
        ("setsid -f rm x", Some(2)),
        ("flock /tmp/l rm x", Some(2)),
        ("flock -w 5 /tmp/l rm x", Some(4)),
        ("flock /tmp/l -c x", None),
        ("nice -n 5 rm", Some(3)),
        ("rm x", None),
    ];
    for (input, expected) in exec_cases {
        assert_eq!(exec_wrapper_len(&v(input)), *expected, "{input:?}");
    }
    assert_eq!(
        command_starts(&v("sudo timeout 5 env A=1 rm x")),
        vec![0, 1, 3, 5]
    );
    assert_eq!(command_starts(&v("rm x")), vec![0]);
}

/// Every wrapper the facts say Claude Code looks through is read by the grammar, with its
/// operands and with each option the splitter knows; the others are not looked through.
#[test]
fn the_grammar_reads_every_wrapper_of_the_facts() {
    use crate::facts::wrappers::{EXEC_WRAPPERS, Reader, RuleView};
    let words = |parts: &[&[&str]]| -> Vec<String> {
        parts
            .iter()
            .flat_map(|p| p.iter().map(|w| w.to_string()))
            .collect()
    };
    for w in EXEC_WRAPPERS {
        // A `timeout` operand is a duration; other operands are any word (a lock file).
        let operands: Vec<&str> = vec![if w.name == "timeout" { "5" } else { "op" }; w.operands];
        let command = ["rm", "x"];
        let bare = words(&[&[w.name], &operands, &command]);
        if w.rules == RuleView::NotLookedThrough {
            assert_eq!(command_starts(&bare), vec![0], "{}", w.name);
            continue;
        }
        let at = 1 + operands.len();
        assert!(command_starts(&bare).contains(&at), "{}: {bare:?}", w.name);
        for o in w
            .value_options
            .iter()
            .filter(|o| o.readers.include(Reader::Splitter))
        {
            let argv = words(&[&[w.name, o.name, "1"], &operands, &command]);
            assert!(
                command_starts(&argv).contains(&(at + 2)),
                "{}: {argv:?}",
                w.name
            );
        }
        for f in w.flags {
            let argv = words(&[&[w.name, f], &operands, &command]);
            assert!(
                command_starts(&argv).contains(&(at + 1)),
                "{}: {argv:?}",
                w.name
            );
        }
    }
}

/// Deterministic pseudo-random odd inputs: the analysis must never panic, and every
/// parsed part's text must split back into exactly its argv.
#[test]
fn never_panics_on_odd_inputs() {
    let fragments = [
        "ls",
        "-la",
        "'",
        "\"",
        "`",
        "$(",
        ")",
        "(",
        "{",
        "}",
        ";",
        ";;",
        "|",
        "||",
        "&",
        "&&",
        "|&",
        "<",
        ">",
        ">>",
        "<<",
        "<<-",
        "<<<",
        "EOF",
        "\n",
        "\\",
        "$",
        "${",
        "$((",
        "))",
        "#",
        "!",
        "*",
        "?",
        "[",
        "]",
        "[[",
        "]]",
        "if",
        "then",
        "fi",
        "for",
        "in",
        "do",
        "done",
        "case",
        "esac",
        "while",
        "function",
        "f()",
        "x=1",
        "A=(1 2)",
        "2>&1",
        "&>",
        "\0",
        "é",
        "日本",
        "🙂",
        "\t",
        " ",
        "'a b'",
        "\"$x\"",
        "$'\\x41'",
        "~",
        "coproc",
        "time",
        "sudo",
        "bash -c",
        "eval",
        "exec",
        "99999999999999999999>",
        "<(",
        ">(",
        "select",
        "\u{a0}",
        "\r\n",
        "--",
        "-c",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut inputs: Vec<String> = vec![
        "|".into(),
        ";;".into(),
        "&".into(),
        "&&".into(),
        "((".into(),
        ")".into(),
        "}".into(),
        "\0".into(),
        "ls\0-la".into(),
        "echo \"unterminated".into(),
        "cat <<EOF".into(),
        "cat <<EOF\nno end".into(),
        "$(".into(),
        "`".into(),
        "a=(".into(),
        "[[ -f x".into(),
        "case x in".into(),
        "f() {".into(),
        "x".repeat(20_000),
        "(".repeat(3_000) + &")".repeat(3_000),
        "$(".repeat(3_000) + &")".repeat(3_000),
        "{ ".repeat(2_000) + "x" + &"; }".repeat(2_000),
        "echo ".to_string() + &"\"$(".repeat(1_500) + &")\"".repeat(1_500),
        "if x; then ".repeat(900) + "y" + &"; fi".repeat(900),
        "a | ".repeat(2_400) + "b",
        "ls; ".repeat(2_499),
        "日本語 ".repeat(1_000),
        "echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo deep))))))))".into(),
    ];
    for _ in 0..400 {
        let len = (next() % 12) as usize + 1;
        let mut s = String::new();
        for _ in 0..len {
            s.push_str(fragments[(next() % fragments.len() as u64) as usize]);
            if next() % 3 == 0 {
                s.push(' ');
            }
        }
        inputs.push(s);
    }
    for input in &inputs {
        let a = analyze(input);
        if a.opaque.is_none() {
            for p in &a.parts {
                assert_eq!(
                    split_words(&p.text).len(),
                    p.argv.len(),
                    "{input:?} part {p:?}"
                );
            }
        } else {
            assert!(a.parts.len() <= 1);
        }
    }
}

#[test]
fn runs_of_unclosed_parens_do_not_reach_the_parser() {
    // The parser's time doubles with every unclosed `(`: 40 would never finish.
    let a = analyze(&format!("echo {}", "(".repeat(40)));
    assert_eq!(a.opaque.as_deref(), Some("unbalanced parentheses"));
    // A few unbalanced ones still go to the parser (and fail there, as in Bash).
    assert!(analyze("echo ((").opaque.is_some());
}

/// Every Bash command of the bundled transcripts, and tool inputs nested in them.
fn real_commands() -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("name").and_then(|n| n.as_str()) == Some("Bash")
                    && let Some(c) = v.pointer("/input/command").and_then(|c| c.as_str())
                {
                    out.push(c.to_string());
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/real");
    let mut stack = vec![root];
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                for line in std::fs::read_to_string(&path).unwrap().lines() {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                        walk(&v, &mut out);
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A fixed sequence of numbers below the bound asked for (xorshift), for generated lines.
fn pseudo_random(mut state: u64) -> impl FnMut(usize) -> usize {
    move |m| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    }
}

/// Lines built from plain pieces and from pieces the fast path must refuse, by a fixed
/// pseudo-random sequence.
fn generated_commands(n: usize) -> Vec<String> {
    const WORDS: &[&str] = &[
        "git",
        "status",
        "ls",
        "-la",
        "cargo",
        "test",
        "--",
        "x=1",
        "a=b",
        "2",
        "12",
        "2x",
        "'a b'",
        "'it''s'",
        "\"q  r\"",
        "\"if\"",
        "if",
        "then",
        "time",
        "timeout",
        "5",
        "nice",
        "-n",
        "nohup",
        "xargs",
        "env",
        "sh",
        "bash",
        "-c",
        "'ls && rm x'",
        "eval",
        "exec",
        "source",
        ".",
        "trap",
        "'rm x'",
        "EXIT",
        "command",
        "-v",
        "sudo",
        "rm",
        "-rf",
        "/tmp/x",
        "~/y",
        "*.rs",
        "a?",
        "é",
        "\"é\"",
        "'$HOME'",
        "\"a!\"",
        "-",
        "--format=\"%h %s\"",
        "{a,b}",
        "[x]",
        "#c",
        "a#b",
        "$x",
        "\"$x\"",
        "`d`",
        "a\\ b",
        "@(x)",
        "%",
        "+x",
        ",",
        ":",
        "^",
        "=",
        "a=",
        "stdbuf",
        "-oL",
        "builtin",
        "noglob",
        "find",
        ".",
        "-exec",
        "{}",
        "\\;",
        "-delete",
        "\"\"",
        "''",
    ];
    const JOINS: &[&str] = &[
        " ", " ", " ", "  ", "\t", " && ", "&&", " || ", " | ", "|", "; ", ";", "\n", " & ",
        " |& ", " > ", ">", " >> ", " 2> ", "2>", " 2>&1 ", " >&2 ", " &> ", " &>> ", " < ",
        " <<< ", " >| ", " >&- ", " 1>&2- ", " 3> ", " >&", "( ", " )", " ;; ", "\n\n",
    ];
    let mut next = pseudo_random(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|_| {
            let len = 1 + next(8);
            let mut line = String::new();
            for k in 0..len {
                if k > 0 {
                    line.push_str(JOINS[next(JOINS.len())]);
                }
                line.push_str(WORDS[next(WORDS.len())]);
            }
            if next(6) == 0 {
                line.push_str([";", "\n", " ", " &&", " |"][next(5)]);
            }
            line
        })
        .collect()
}

/// Here-documents (at the top level and in Claude Code's commit idiom) with bodies of
/// quotes, parentheses, expansions and blank lines.
fn generated_heredocs(n: usize) -> Vec<String> {
    const BODY: &[&str] = &[
        "plain text",
        "I'll fix it",
        "fix (part",
        "close)",
        "say \"hi\"",
        "`code`",
        "$HOME",
        "$(rm -rf /)",
        "a\\b",
        "",
        "EOF x",
        " EOF",
        "EOFX",
        "déjà vu",
        "'",
        "\"",
        "if x; then",
        "}",
        "{",
        "#!/bin/sh",
        "\t tab",
    ];
    const OPEN: &[&str] = &[
        "cat > /tmp/a.py << 'EOF'",
        "cat <<'EOF'",
        "cat <<EOF",
        "cat << \"EOF\" > out",
        "cat <<EOF >>log && ls",
        "tee x <<'EOF' | wc -l",
        "cat <<'EOF' 2>/dev/null",
    ];
    const AFTER: &[&str] = &["", "\ngit status", "\npython3 /tmp/a.py && rm x", "\n"];
    let mut next = pseudo_random(0x2545_f491_4f6c_dd1d);
    (0..n)
        .map(|_| {
            let mut body = String::new();
            for _ in 0..next(4) {
                body.push_str(BODY[next(BODY.len())]);
                body.push('\n');
            }
            if next(2) == 0 {
                let open = OPEN[next(OPEN.len())];
                format!("{open}\n{body}EOF{}", AFTER[next(AFTER.len())])
            } else {
                let quote = ["'EOF'", "\"EOF\"", "EOF"][next(3)];
                format!(
                    "git add . && git commit -m \"$(cat <<{quote}\n{body}EOF\n)\" && git log -1"
                )
            }
        })
        .collect()
}

#[test]
fn the_fast_path_agrees_with_the_parser() {
    let real = real_commands();
    let mut generated = generated_commands(20_000);
    generated.extend(generated_heredocs(4_000));
    let mut accepted = [0usize; 2];
    for (n, lines) in [&real, &generated].into_iter().enumerate() {
        for line in lines {
            let Some(commands) = plain::split(line) else {
                continue;
            };
            accepted[n] += 1;
            let fast = plain_analysis(line, commands, 0);
            let full = std::panic::catch_unwind(|| parse_at_depth(line, 0))
                .unwrap_or_else(|_| panic!("the parser failed on {line:?}"));
            assert_eq!(fast, full, "{line:?}");
        }
    }
    // The comparison means something only if the fast path takes many lines of both.
    assert!(
        accepted[0] * 2 > real.len(),
        "{accepted:?} of {}",
        real.len()
    );
    assert!(accepted[1] > 4_000, "{accepted:?}");
}

#[test]
fn the_fast_literal_heredoc_check_agrees_with_the_parser() {
    let mut bodies: Vec<String> = generated_heredocs(2_000)
        .iter()
        .flat_map(|line| scan_word(line).substitutions)
        .collect();
    bodies.extend(
        generated_heredocs(2_000)
            .into_iter()
            .filter(|l| !l.starts_with("git")),
    );
    bodies.extend(
        [
            "cat",
            "cat <<'EOF'\nx\nEOF\n",
            "cat <<'EOF' >f\nx\nEOF",
            "ls <<'EOF'\nEOF",
        ]
        .map(String::from),
    );
    let mut checked = 0;
    for body in &bodies {
        if let Some(commands) = plain::split(body) {
            checked += 1;
            assert_eq!(
                plain_literal_heredoc(&commands),
                parsed_literal_heredoc(body),
                "{body:?}"
            );
        }
    }
    assert!(checked > 1_000, "{checked}");
}
