//! `--shares`: what share of a folder's transcript bytes each kind of content takes.

use serde_json::Value;

#[derive(Default)]
pub(crate) struct Shares {
    total: u64,
    thinking: u64,
    signature: u64,
    text: u64,
    tool_input: u64,
    tool_result: u64,
    tool_use_result: u64,
    progress: u64,
    prompts: u64,
    lines: u64,
    tool_results_n: u64,
    big_lines: u64,
}

impl Shares {
    pub(crate) fn add(&mut self, v: &Value, len: u64) {
        self.total += len;
        self.lines += 1;
        if len > 100_000 {
            self.big_lines += 1;
        }
        let jlen = |x: &Value| serde_json::to_string(x).map_or(0, |s| s.len() as u64);
        match v.get("type").and_then(Value::as_str) {
            Some("assistant") => {
                for b in v["message"]["content"].as_array().into_iter().flatten() {
                    match b.get("type").and_then(Value::as_str) {
                        Some("thinking") => {
                            self.thinking += b["thinking"].as_str().map_or(0, |s| s.len() as u64);
                            self.signature += b["signature"].as_str().map_or(0, |s| s.len() as u64);
                        }
                        Some("text") => {
                            self.text += b["text"].as_str().map_or(0, |s| s.len() as u64)
                        }
                        Some("tool_use") => self.tool_input += jlen(&b["input"]),
                        _ => {}
                    }
                }
            }
            Some("user") => {
                match &v["message"]["content"] {
                    Value::String(s) => self.prompts += s.len() as u64,
                    Value::Array(a) => {
                        for b in a {
                            if b.get("type").and_then(Value::as_str) == Some("tool_result") {
                                self.tool_result += jlen(b.get("content").unwrap_or(&Value::Null));
                                self.tool_results_n += 1;
                            } else if let Some(t) = b.get("text").and_then(Value::as_str) {
                                self.prompts += t.len() as u64;
                            }
                        }
                    }
                    _ => {}
                }
                if let Some(t) = v.get("toolUseResult") {
                    self.tool_use_result += jlen(t);
                }
            }
            Some("progress") => self.progress += len,
            _ => {}
        }
    }

    pub(crate) fn print(&self, title: &str) {
        let pct = |x: u64| 100.0 * x as f64 / self.total.max(1) as f64;
        println!(
            "{title}: {} bytes, {} lines, {} lines over 100 KB",
            self.total, self.lines, self.big_lines
        );
        println!(
            "  tool output {:.1}% (tool_result {:.1}% + toolUseResult {:.1}%), thinking {:.1}% (+signature {:.1}%), assistant text {:.1}%, tool input {:.1}%, progress {:.1}%, prompts {:.1}%, rest {:.1}%",
            pct(self.tool_result + self.tool_use_result),
            pct(self.tool_result),
            pct(self.tool_use_result),
            pct(self.thinking),
            pct(self.signature),
            pct(self.text),
            pct(self.tool_input),
            pct(self.progress),
            pct(self.prompts),
            pct(self.total
                - self.tool_result
                - self.tool_use_result
                - self.thinking
                - self.signature
                - self.text
                - self.tool_input
                - self.progress
                - self.prompts)
        );
    }
}
