//! Tools decided by name and content rules alone: WebFetch (domains), Agent (subagent
//! type), Skill, MCP tools, tools that never prompt and interaction tools.

use super::matchers::{domain_matches, skill_matches};
use super::{AutoWhy, Ctx, Out, PromptWhy, Verdict, out};
use crate::event::Mode;
use crate::facts::tools::{self, Family};
use crate::permissions::bash_rule::RuleKind;
use crate::permissions::rule::Specifier;
use crate::permissions::settings::LoadedRule;

impl Ctx<'_> {
    pub(super) fn generic(&self) -> Out {
        let call = self.call;
        let fam = tools::family(call.tool);
        let content =
            |r: &LoadedRule| -> bool {
                let Specifier::Content(c) = &r.rule.spec else {
                    return false;
                };
                if r.rule.tool.name() != tools::family_rule_name(fam) {
                    return false;
                }
                match fam {
                    Family::WebFetch => self.domain().is_some_and(|d| domain_matches(c, &d)),
                    Family::Agent => {
                        c.trim()
                            == call
                                .input
                                .subagent_type
                                .as_deref()
                                .unwrap_or("general-purpose")
                    }
                    Family::Skill => call.input.skill.as_deref().is_some_and(|s| {
                        skill_matches(c, s, call.input.param("args").unwrap_or(""))
                    }),
                    _ => false,
                }
            };
        let matches = |r: &LoadedRule| self.tool_level(r) || content(r);
        if let Some(r) = self.first(RuleKind::Deny, matches) {
            return out(Verdict::DeniedByRule, Some(r), "deny rule");
        }
        if let Some(r) = self.first(RuleKind::Ask, matches) {
            return out(self.ask(), Some(r), "ask rule");
        }
        let canon = tools::canonical_tool(call.tool);
        if tools::INTERACTION_TOOLS.contains(&canon) {
            return match self.mode {
                Mode::DontAsk => out(
                    Verdict::DontAskDenied,
                    None,
                    "interaction tool in dontAsk mode",
                ),
                _ => out(
                    Verdict::AutoAllowed(AutoWhy::InteractionTool),
                    None,
                    "asks the user a question",
                ),
            };
        }
        if self.mode == Mode::BypassPermissions {
            return out(
                Verdict::AutoAllowed(AutoWhy::Mode(self.mode.clone())),
                None,
                "bypassPermissions",
            );
        }
        if let Some(r) = self.first(RuleKind::Allow, matches) {
            return out(Verdict::AllowedByRule, Some(r), "allow rule");
        }
        if tools::never_prompts(call.tool) {
            if self.mode == Mode::Auto && canon == "Agent" {
                return out(Verdict::Classifier, None, "auto mode reviews Agent calls");
            }
            return out(
                Verdict::AutoAllowed(AutoWhy::NeverPrompts),
                None,
                "tool never prompts",
            );
        }
        if fam == Family::WebFetch
            && let Some(d) = self.domain()
            && tools::PREAPPROVED_WEBFETCH_DOMAINS
                .iter()
                .any(|p| domain_matches(p, &d))
        {
            return out(
                Verdict::AutoAllowed(AutoWhy::NeverPrompts),
                None,
                "preapproved domain",
            );
        }
        out(self.need(PromptWhy::NoRule), None, "no rule allows it")
    }

    /// The host a WebFetch call fetches, lower-cased, trailing dot dropped.
    fn domain(&self) -> Option<String> {
        let input = self.call.input;
        input
            .domain
            .clone()
            .or_else(|| input.url.as_deref().and_then(crate::text::url::domain_of))
            .map(|d| d.to_ascii_lowercase().trim_end_matches('.').to_string())
    }
}
