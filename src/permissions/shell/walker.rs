//! The walk over brush-parser's syntax tree (and over the fast path's plain commands):
//! one [`SimpleCommand`] per part, with its wrappers stripped, its redirections, and what it
//! hides (substitutions, `eval`, `sh -c` strings, ...), re-analysed as opaque parts.

use super::hidden::{only_literal_heredocs, special_commands};
use super::lexer::{
    WordScan, fold_whitespace, scan_heredoc, scan_word, split_assignment, split_words,
    strip_continuations,
};
use super::wrappers::wrapper_len;
use super::{MAX_NESTED_ANALYSIS, Redirect, ShellAnalysis, SimpleCommand, analyze_at_depth, plain};
use brush_parser::{SourceSpan, Token, ast};

/// Context inherited by the simple commands nested in a compound command.
#[derive(Debug, Clone, Default)]
struct Ctx {
    /// Why every part below is opaque (subshell, function body, ...).
    opaque: Option<String>,
    /// Output redirections of enclosing compound commands.
    redirects: Vec<Redirect>,
}

impl Ctx {
    fn with_opaque(&self, reason: &str) -> Ctx {
        let mut ctx = self.clone();
        if ctx.opaque.is_none() {
            ctx.opaque = Some(reason.to_string());
        }
        ctx
    }
}

/// One word of a simple command.
#[derive(Debug, Clone)]
pub(super) struct WordInfo {
    /// As written, whitespace folded.
    pub(super) written: String,
    /// Unquoted when static, else as written.
    pub(super) value: String,
    /// Is the word static text?
    pub(super) is_static: bool,
}

/// Hidden code found while building one part: (shell source, why it is hidden).
pub(super) type Hidden = Vec<(String, &'static str)>;

/// Collects what the items of a simple command (or a compound command's redirect list) hold.
#[derive(Default)]
struct ItemSink {
    redirects: Vec<Redirect>,
    reasons: Vec<String>,
    hidden: Hidden,
    process_substitutions: Vec<ast::SubshellCommand>,
    /// (start, end, is_redirect) char spans of the items.
    spans: Vec<(usize, usize, bool)>,
}

impl ItemSink {
    fn note_word_scan(&mut self, scan: &WordScan, reason: &'static str) {
        if scan.has_substitution && !only_literal_heredocs(scan) {
            self.reasons.push(reason.to_string());
            for body in &scan.substitutions {
                self.hidden
                    .push((body.clone(), "inside a command substitution"));
            }
        }
    }
}

pub(super) struct Walker<'a> {
    src: &'a str,
    /// Byte offset of every char index (plus the end).
    byte_at: Vec<usize>,
    tokens: &'a [Token],
    depth: usize,
    parts: Vec<SimpleCommand>,
    functions: Vec<String>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(src: &'a str, tokens: &'a [Token], depth: usize) -> Self {
        let mut byte_at: Vec<usize> = src.char_indices().map(|(b, _)| b).collect();
        byte_at.push(src.len());
        Walker {
            src,
            byte_at,
            tokens,
            depth,
            parts: Vec::new(),
            functions: Vec::new(),
        }
    }

    /// A walker for parts the fast path found: no tokens, and no char index (only the
    /// parser's source spans need one).
    fn bare(src: &'a str, depth: usize) -> Self {
        Walker {
            src,
            byte_at: vec![0],
            tokens: &[],
            depth,
            parts: Vec::new(),
            functions: Vec::new(),
        }
    }

    pub(super) fn finish(mut self) -> ShellAnalysis {
        if !self.functions.is_empty() {
            for part in &mut self.parts {
                if part.opaque.is_none()
                    && part
                        .argv
                        .first()
                        .is_some_and(|name| self.functions.contains(name))
                {
                    part.opaque = Some("calls a shell function defined in this command".into());
                }
            }
        }
        ShellAnalysis {
            parts: self.parts,
            opaque: None,
        }
    }

    /// Source text between two char indices (clamped).
    fn slice(&self, start: usize, end: usize) -> &'a str {
        let last = self.byte_at.len() - 1;
        let s = self.byte_at[start.min(last)];
        let e = self.byte_at[end.min(last)];
        if s <= e { &self.src[s..e] } else { "" }
    }

    fn span_of(loc: &Option<SourceSpan>) -> Option<(usize, usize)> {
        loc.as_ref().map(|l| (l.start.index, l.end.index))
    }

    pub(super) fn program(&mut self, program: &ast::Program) {
        let ctx = Ctx::default();
        for list in &program.complete_commands {
            self.compound_list(list, &ctx);
        }
    }

    fn compound_list(&mut self, list: &ast::CompoundList, ctx: &Ctx) {
        for item in &list.0 {
            self.and_or(&item.0, ctx);
        }
    }

    fn and_or(&mut self, list: &ast::AndOrList, ctx: &Ctx) {
        self.pipeline(&list.first, ctx);
        for next in &list.additional {
            match next {
                ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p, ctx),
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline, ctx: &Ctx) {
        let timed = pipeline.timed.as_ref().map(|t| match t {
            ast::PipelineTimed::Timed(span) => ("time", span.start.index),
            ast::PipelineTimed::TimedWithPosixOutput(span) => ("time -p", span.start.index),
        });
        for (i, command) in pipeline.seq.iter().enumerate() {
            self.command(command, ctx, if i == 0 { timed } else { None });
        }
    }

    fn command(&mut self, command: &ast::Command, ctx: &Ctx, timed: Option<(&'static str, usize)>) {
        match command {
            ast::Command::Simple(simple) => self.simple(simple, ctx, timed),
            ast::Command::Compound(compound, redirects) => {
                let ctx = self.redirect_list(redirects.as_ref(), ctx);
                self.compound(compound, &ctx);
            }
            ast::Command::Function(def) => {
                self.functions.push(def.fname.value.clone());
                let ctx = ctx.with_opaque("inside a shell function definition");
                let ctx = self.redirect_list(def.body.1.as_ref(), &ctx);
                self.compound(&def.body.0, &ctx);
            }
            ast::Command::ExtendedTest(test, redirects) => {
                let ctx = self.redirect_list(redirects.as_ref(), ctx);
                self.keyword_part(test.loc.start.index, test.loc.end.index, &ctx);
            }
        }
    }

    /// Applies a compound command's redirections to the context of its nested parts.
    fn redirect_list(&mut self, list: Option<&ast::RedirectList>, ctx: &Ctx) -> Ctx {
        let Some(list) = list else {
            return ctx.clone();
        };
        let mut sink = ItemSink::default();
        for redirect in &list.0 {
            self.redirect(redirect, &mut sink);
        }
        let mut ctx = ctx.clone();
        ctx.redirects.extend(sink.redirects);
        if let Some(reason) = sink.reasons.first() {
            ctx = ctx.with_opaque(reason);
        }
        self.hidden_parts(sink.hidden);
        for sub in sink.process_substitutions {
            let inner = ctx.with_opaque("inside a process substitution");
            self.compound_list(&sub.list, &inner);
        }
        ctx
    }

    fn compound(&mut self, compound: &ast::CompoundCommand, ctx: &Ctx) {
        match compound {
            ast::CompoundCommand::Arithmetic(a) => {
                self.keyword_part(a.loc.start.index, a.loc.end.index, ctx);
            }
            ast::CompoundCommand::ArithmeticForClause(f) => {
                for expr in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    self.loose_word(&expr.value);
                }
                self.compound_list(&f.body.list, ctx);
            }
            ast::CompoundCommand::BraceGroup(group) => self.compound_list(&group.list, ctx),
            ast::CompoundCommand::Subshell(sub) => {
                self.compound_list(&sub.list, &ctx.with_opaque("inside a subshell"));
            }
            ast::CompoundCommand::ForClause(f) => {
                for word in f.values.iter().flatten() {
                    self.loose_word(&word.value);
                }
                self.compound_list(&f.body.list, ctx);
            }
            ast::CompoundCommand::CaseClause(c) => {
                self.loose_word(&c.value.value);
                for item in &c.cases {
                    for pattern in &item.patterns {
                        self.loose_word(&pattern.value);
                    }
                    if let Some(body) = &item.cmd {
                        self.compound_list(body, ctx);
                    }
                }
            }
            ast::CompoundCommand::IfClause(c) => {
                self.compound_list(&c.condition, ctx);
                self.compound_list(&c.then, ctx);
                for branch in c.elses.iter().flatten() {
                    if let Some(cond) = &branch.condition {
                        self.compound_list(cond, ctx);
                    }
                    self.compound_list(&branch.body, ctx);
                }
            }
            ast::CompoundCommand::WhileClause(w) | ast::CompoundCommand::UntilClause(w) => {
                self.compound_list(&w.0, ctx);
                self.compound_list(&w.1.list, ctx);
            }
            ast::CompoundCommand::Coprocess(c) => {
                self.command(&c.body, &ctx.with_opaque("inside a coprocess"), None);
            }
        }
    }

    /// A word that is not part of a simple command (loop list, case word): only its command
    /// substitutions matter; they become opaque parts.
    fn loose_word(&mut self, word: &str) {
        let scan = scan_word(word);
        if scan.has_substitution {
            let hidden = scan
                .substitutions
                .into_iter()
                .map(|body| (body, "inside a command substitution"))
                .collect();
            self.hidden_parts(hidden);
        }
    }

    /// A `[[ ... ]]` or `(( ... ))` command: one part holding its source text.
    fn keyword_part(&mut self, start: usize, end: usize, ctx: &Ctx) {
        let source = strip_continuations(self.slice(start, end));
        let text = fold_whitespace(&source);
        let words = split_words(&text);
        let argv = words
            .iter()
            .map(|w| scan_word(w).value.unwrap_or_else(|| w.clone()))
            .collect();
        let scan = scan_word(&source);
        let mut opaque = ctx.opaque.clone();
        if scan.has_substitution && opaque.is_none() {
            opaque = Some("command substitution".into());
        }
        self.parts.push(SimpleCommand {
            raw: text.clone(),
            env: Vec::new(),
            wrappers: Vec::new(),
            argv,
            text,
            redirects: ctx.redirects.clone(),
            opaque,
        });
        let hidden = scan
            .substitutions
            .into_iter()
            .map(|body| (body, "inside a command substitution"))
            .collect();
        self.hidden_parts(hidden);
    }

    /// Parses hidden shell code and adds its simple commands as opaque parts.
    fn hidden_parts(&mut self, hidden: Hidden) {
        for (code, reason) in hidden {
            if self.depth + 1 > MAX_NESTED_ANALYSIS || code.trim().is_empty() {
                continue;
            }
            let inner = analyze_at_depth(&code, self.depth + 1);
            for mut part in inner.parts {
                if part.opaque.is_none() {
                    part.opaque = Some(reason.to_string());
                }
                self.parts.push(part);
            }
        }
    }

    /// Records one redirection of a simple or compound command.
    fn redirect(&mut self, redirect: &ast::IoRedirect, sink: &mut ItemSink) {
        match redirect {
            ast::IoRedirect::File(fd, kind, target) => {
                let op = format!("{}{kind}", fd.map(|f| f.to_string()).unwrap_or_default());
                match target {
                    ast::IoFileRedirectTarget::Filename(word) => {
                        if let Some((s, e)) = Self::span_of(&word.loc) {
                            sink.spans.push((s, e, true));
                        }
                        let writes = matches!(
                            kind,
                            ast::IoFileRedirectKind::Write
                                | ast::IoFileRedirectKind::Append
                                | ast::IoFileRedirectKind::Clobber
                                | ast::IoFileRedirectKind::ReadAndWrite
                        );
                        file_redirect(sink, writes.then_some(op), &word.value);
                    }
                    ast::IoFileRedirectTarget::Duplicate(word) => {
                        if let Some((s, e)) = Self::span_of(&word.loc) {
                            sink.spans.push((s, e, true));
                        }
                        let scan = scan_word(&word.value);
                        sink.note_word_scan(&scan, "command substitution in a redirection");
                        let target = scan
                            .value
                            .clone()
                            .unwrap_or_else(|| fold_whitespace(&word.value));
                        let is_fd = {
                            let t = target.strip_suffix('-').unwrap_or(&target);
                            t.chars().all(|c| c.is_ascii_digit())
                        };
                        // `>&file` (no number) writes stdout and stderr to `file`.
                        if matches!(kind, ast::IoFileRedirectKind::DuplicateOutput) && !is_fd {
                            sink.redirects.push(Redirect { op, target });
                        }
                    }
                    ast::IoFileRedirectTarget::Fd(_) => {}
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, sub) => {
                        sink.spans.push((
                            sub.loc.start.index.saturating_sub(1),
                            sub.loc.end.index,
                            true,
                        ));
                        sink.reasons.push("process substitution".into());
                        sink.process_substitutions.push(sub.clone());
                    }
                }
            }
            ast::IoRedirect::OutputAndError(word, append) => {
                if let Some((s, e)) = Self::span_of(&word.loc) {
                    sink.spans.push((s, e, true));
                }
                let op = if *append { "&>>" } else { "&>" };
                file_redirect(sink, Some(op.into()), &word.value);
            }
            ast::IoRedirect::HereDocument(_, doc) => {
                if let Some((s, e)) = Self::span_of(&doc.here_end.loc) {
                    sink.spans.push((s, e, true));
                }
                if doc.requires_expansion {
                    let scan = scan_heredoc(&doc.doc.value);
                    if scan.has_substitution {
                        sink.reasons
                            .push("here-document with command substitution".into());
                        for body in scan.substitutions {
                            sink.hidden.push((body, "inside a command substitution"));
                        }
                    }
                }
            }
            ast::IoRedirect::HereString(_, word) => {
                if let Some((s, e)) = Self::span_of(&word.loc) {
                    sink.spans.push((s, e, true));
                }
                let scan = scan_word(&word.value);
                sink.note_word_scan(&scan, "command substitution in a here-string");
            }
        }
    }

    fn word_info(word: &ast::Word, sink: &mut ItemSink) -> WordInfo {
        if let Some((s, e)) = Self::span_of(&word.loc) {
            sink.spans.push((s, e, false));
        }
        word_text_info(&word.value, sink)
    }

    fn simple(
        &mut self,
        simple: &ast::SimpleCommand,
        ctx: &Ctx,
        timed: Option<(&'static str, usize)>,
    ) {
        let mut sink = ItemSink::default();
        let mut env = Vec::new();
        let mut words: Vec<WordInfo> = Vec::new();

        let prefix = simple.prefix.iter().flat_map(|p| p.0.iter());
        let suffix = simple.suffix.iter().flat_map(|s| s.0.iter());
        for item in prefix {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
                    Self::word_info(word, &mut sink);
                    env.push(split_assignment(&word.value));
                }
                other => self.item(other, &mut sink, &mut words),
            }
        }
        if let Some(name) = &simple.word_or_name {
            words.push(Self::word_info(name, &mut sink));
        }
        for item in suffix {
            self.item(item, &mut sink, &mut words);
        }
        let raw = self.raw_text(&sink.spans, timed.map(|t| t.1));
        self.push_simple(env, words, sink, ctx, timed, raw);
    }

    /// Adds the part made of a simple command's words and redirections (`raw` is its
    /// source text), and the hidden commands it runs.
    fn push_simple(
        &mut self,
        env: Vec<(String, String)>,
        words: Vec<WordInfo>,
        mut sink: ItemSink,
        ctx: &Ctx,
        timed: Option<(&'static str, usize)>,
        raw: String,
    ) {
        // Wrappers.
        let argv_all: Vec<String> = words.iter().map(|w| w.value.clone()).collect();
        let mut wrappers = Vec::new();
        if let Some((name, _)) = timed {
            wrappers.push(name.to_string());
        }
        let mut start = 0;
        while start < argv_all.len() {
            let Some(n) = wrapper_len(&argv_all[start..]) else {
                break;
            };
            wrappers.push(join_written(&words[start..start + n]));
            start += n;
        }
        let words = &words[start..];
        let argv: Vec<String> = argv_all[start..].to_vec();
        let text = join_written(words);

        let mut reasons = Vec::new();
        if let Some(reason) = &ctx.opaque {
            reasons.push(reason.clone());
        }
        reasons.append(&mut sink.reasons);
        let mut hidden = std::mem::take(&mut sink.hidden);
        special_commands(&argv, words, &mut reasons, &mut hidden);

        let mut redirects = ctx.redirects.clone();
        redirects.append(&mut sink.redirects);

        self.parts.push(SimpleCommand {
            raw,
            env,
            wrappers,
            argv,
            text,
            redirects,
            opaque: reasons.into_iter().next(),
        });
        self.hidden_parts(hidden);
        for sub in sink.process_substitutions {
            let inner = ctx.with_opaque("inside a process substitution");
            self.compound_list(&sub.list, &inner);
        }
    }

    fn item(
        &mut self,
        item: &ast::CommandPrefixOrSuffixItem,
        sink: &mut ItemSink,
        words: &mut Vec<WordInfo>,
    ) {
        match item {
            ast::CommandPrefixOrSuffixItem::IoRedirect(redirect) => self.redirect(redirect, sink),
            ast::CommandPrefixOrSuffixItem::Word(word)
            | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
                words.push(Self::word_info(word, sink));
            }
            ast::CommandPrefixOrSuffixItem::ProcessSubstitution(kind, sub) => {
                let start = sub.loc.start.index;
                sink.spans
                    .push((start.saturating_sub(1), sub.loc.end.index, false));
                let written = format!(
                    "{kind}{}",
                    fold_whitespace(&strip_continuations(self.slice(start, sub.loc.end.index)))
                );
                words.push(WordInfo {
                    value: written.clone(),
                    written,
                    is_static: false,
                });
                sink.reasons.push("process substitution".into());
                sink.process_substitutions.push(sub.clone());
            }
        }
    }

    /// The part's source text from its item spans, extended backwards over a leading
    /// redirection operator (and `time`), whitespace folded.
    fn raw_text(&self, spans: &[(usize, usize, bool)], timed_start: Option<usize>) -> String {
        let Some(&(mut start, _, first_is_redirect)) = spans.iter().min_by_key(|s| s.0) else {
            return String::new();
        };
        let end = spans.iter().map(|s| s.1).max().unwrap_or(start);
        if first_is_redirect {
            start = self.extend_over_operator(start);
        }
        if let Some(t) = timed_start {
            start = start.min(t);
        }
        fold_whitespace(&strip_continuations(self.slice(start, end)))
    }

    /// Moves a start index back over the redirection operator (and fd number) just before it.
    fn extend_over_operator(&self, start: usize) -> usize {
        let Some(idx) = self
            .tokens
            .iter()
            .position(|t| t.location().start.index == start)
        else {
            return start;
        };
        let mut idx = idx;
        let mut result = start;
        if idx > 0
            && let Token::Operator(op, loc) = &self.tokens[idx - 1]
            && (op.starts_with('<') || op.starts_with('>') || op.starts_with("&>"))
        {
            idx -= 1;
            result = loc.start.index;
            if idx > 0
                && let Token::Word(w, wloc) = &self.tokens[idx - 1]
                && !w.is_empty()
                && w.chars().all(|c| c.is_ascii_digit())
                && wloc.end.index == loc.start.index
            {
                result = wloc.start.index;
            }
        }
        result
    }
}

/// The parts of a line the fast path accepted: each plain simple command goes through the
/// same steps as one the parser found (wrappers, special commands, redirections).
pub(super) fn plain_analysis(
    command: &str,
    commands: Vec<plain::Plain<'_>>,
    depth: usize,
) -> ShellAnalysis {
    let mut walker = Walker::bare(command, depth);
    let ctx = Ctx::default();
    for cmd in commands {
        let mut sink = ItemSink::default();
        let mut words = Vec::with_capacity(cmd.items.len());
        for item in cmd.items {
            match item {
                plain::Item::Word(text) => words.push(word_text_info(text, &mut sink)),
                plain::Item::Redirect { fd, op, target } => {
                    plain_redirect(fd, op, target, &mut sink)
                }
                // Its body is data: the fast path takes only bodies that expand nothing.
                plain::Item::HereDoc { .. } => {}
            }
        }
        walker.push_simple(
            Vec::new(),
            words,
            sink,
            &ctx,
            None,
            fold_whitespace(cmd.raw),
        );
    }
    walker.finish()
}

/// Records a redirection the fast path found, as [`Walker::redirect`] records the parser's.
fn plain_redirect(fd: Option<&str>, op: plain::RedirectOp, target: &str, sink: &mut ItemSink) {
    use plain::RedirectOp as Op;
    let writes = match op {
        Op::Read | Op::DuplicateOutput => None,
        Op::Write => Some(format!("{}>", fd.unwrap_or(""))),
        Op::Append => Some(format!("{}>>", fd.unwrap_or(""))),
        Op::OutputAndError => Some("&>".into()),
        Op::OutputAndErrorAppend => Some("&>>".into()),
    };
    file_redirect(sink, writes, target);
}

/// Notes what a redirection's target word hides and, when the redirection writes a file
/// (`writes` is then its operator as written), records it.
fn file_redirect(sink: &mut ItemSink, writes: Option<String>, target: &str) {
    let scan = scan_word(target);
    sink.note_word_scan(&scan, "command substitution in a redirection");
    if let Some(op) = writes {
        sink.redirects.push(Redirect {
            op,
            target: scan.value.unwrap_or_else(|| fold_whitespace(target)),
        });
    }
}

/// What one word as written holds: its value when static, and any command substitution
/// (noted in `sink`).
fn word_text_info(text: &str, sink: &mut ItemSink) -> WordInfo {
    let scan = scan_word(text);
    sink.note_word_scan(&scan, "command substitution");
    WordInfo {
        written: fold_whitespace(text),
        is_static: scan.value.is_some(),
        value: scan.value.unwrap_or_else(|| text.to_string()),
    }
}

/// Joins words as written with single spaces.
pub(super) fn join_written(words: &[WordInfo]) -> String {
    words
        .iter()
        .map(|w| w.written.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
