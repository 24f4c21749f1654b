//! A wave's V2 stage conditions in the cell detail: each condition set with
//! its result, each rule with what it checks, its status, its summary and,
//! while it waits, the time left; then what the stage does when it fails.

use jiff::Timestamp;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::glyphs::{condition_glyph, condition_style, fmt_age, fmt_elapsed};
use crate::config::theme::Theme;
use crate::domain::conditions::{
    ConditionMark, ConditionSet, ConditionStatus, Rule, RuleStatus, WaveConditions,
};

pub(crate) fn condition_lines(
    conditions: &WaveConditions,
    now: Timestamp,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled("Stage conditions", theme.title))];
    for set in &conditions.sets {
        lines.push(set_line(set, theme));
        for rule in set.rules() {
            lines.extend(rule_lines(rule, now, theme));
        }
    }
    if let Some(policy) = &conditions.on_failure {
        let what = match (policy.result.as_deref(), policy.retry_mode.as_deref()) {
            (Some("ROLLBACK"), _) => "rolls back automatically".to_string(),
            (Some("RETRY"), Some(mode)) => format!("retries automatically ({mode})"),
            (Some("RETRY"), None) => "retries automatically".to_string(),
            (Some(other), _) => format!("result {other}"),
            (None, _) => "no automatic result".to_string(),
        };
        lines.push(Line::from(format!("  on failure the stage {what}")));
    }
    lines
}

fn set_line(set: &ConditionSet, theme: &Theme) -> Line<'static> {
    let mark = match set.status {
        Some(ConditionStatus::InProgress) => Some(ConditionMark::Blocking),
        Some(ConditionStatus::Failed | ConditionStatus::Errored) => Some(ConditionMark::Failed),
        _ => None,
    };
    let word = set.status.map(ConditionStatus::word).unwrap_or("not run");
    let mut spans = vec![Span::raw(format!("  {} ", set.kind.label()))];
    match mark {
        Some(m) => {
            let (g, _) = condition_glyph(m);
            spans.push(Span::styled(
                format!("{g} {word}"),
                condition_style(theme, m),
            ));
        }
        None => spans.push(Span::styled(word.to_string(), theme.dim)),
    }
    if let Some(summary) = &set.summary {
        spans.push(Span::raw(format!("  {summary}")));
    }
    Line::from(spans)
}

fn rule_lines(rule: &Rule, now: Timestamp, theme: &Theme) -> Vec<Line<'static>> {
    let mut head = format!(
        "    {}  {}  {}",
        rule.name,
        rule.kind.provider(),
        rule.kind.describe()
    );
    if let Some(region) = &rule.region {
        head.push_str(&format!(" ({region})"));
    }
    let mut lines = vec![Line::from(head)];
    let Some(result) = &rule.result else {
        lines.push(Line::from(Span::styled("      no result yet", theme.dim)));
        return lines;
    };
    let (word, style): (&str, Style) = match result.status {
        RuleStatus::InProgress => ("◴ evaluating", theme.condition_blocking),
        RuleStatus::Failed => ("⊗ FAILED", theme.condition_failed),
        RuleStatus::Succeeded => ("✔ passed", theme.status_succeeded),
        RuleStatus::Abandoned => ("⊘ abandoned", theme.dim),
    };
    let mut spans = vec![Span::raw("      "), Span::styled(word.to_string(), style)];
    if let Some(since) = result.since {
        spans.push(Span::raw(format!(
            " {} ago",
            fmt_age(now.as_second() - since.as_second())
        )));
    }
    if let Some(left) = rule.time_left(now) {
        spans.push(Span::styled(
            format!("  {} left", fmt_elapsed(left.as_secs())),
            theme.condition_blocking,
        ));
    }
    lines.push(Line::from(spans));
    if let Some(summary) = &result.summary {
        lines.push(Line::from(format!("      {summary}")));
    }
    lines
}
