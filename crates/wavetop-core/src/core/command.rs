//! The `:` command line: completion over views, actions and pipeline names,
//! and parsing what was typed into something update() can do.

use super::action::ActionName;

/// What a command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Action { action: ActionName, force: bool },
    SelectPipeline(String),
    Filter(String),
}

/// Candidates for the text typed so far.
pub fn completions(input: &str, pipelines: &[String]) -> Vec<String> {
    let input = input.trim_start();
    if let Some(rest) = input.strip_prefix("pipeline ") {
        return pipelines
            .iter()
            .filter(|p| p.starts_with(rest.trim()))
            .map(|p| format!("pipeline {p}"))
            .collect();
    }
    let mut words: Vec<String> = ActionName::ALL
        .iter()
        .map(|a| a.as_str().to_string())
        .chain([
            "pipeline".to_string(),
            "filter".to_string(),
            "drain --force".to_string(),
        ])
        .filter(|w| w.starts_with(input))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Completes the input to the longest prefix all candidates share.
pub fn complete(input: &str, pipelines: &[String]) -> String {
    let candidates = completions(input, pipelines);
    let Some((first, rest)) = candidates.split_first() else {
        return input.to_string();
    };
    let mut prefix = first.clone();
    for c in rest {
        while !c.starts_with(&prefix) {
            prefix.pop();
        }
    }
    if prefix.len() > input.trim_start().len() {
        prefix
    } else {
        input.to_string()
    }
}

pub fn parse(input: &str, pipelines: &[String]) -> Result<Command, String> {
    let input = input.trim();
    let (word, rest) = input.split_once(' ').unwrap_or((input, ""));
    let rest = rest.trim();
    match word {
        "q" | "q!" => {
            return Ok(Command::Action {
                action: ActionName::Quit,
                force: false,
            });
        }
        "pipeline" | "p" => {
            return match pipelines.iter().find(|p| p.as_str() == rest) {
                Some(p) => Ok(Command::SelectPipeline(p.clone())),
                None => Err(format!("no pipeline named `{rest}`")),
            };
        }
        "filter" => return Ok(Command::Filter(rest.to_string())),
        _ => {}
    }
    let action = ActionName::from_name(word)
        .ok_or_else(|| format!("unknown command `{word}` (tab completes)"))?;
    let force = match rest {
        "" => false,
        "--force" if action == ActionName::Drain => true,
        other => return Err(format!("`{word}` takes no argument `{other}`")),
    };
    Ok(Command::Action { action, force })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_views_actions_and_pipelines() {
        let pipes = vec!["global-api".to_string(), "service-x".to_string()];
        assert_eq!(complete("repl", &pipes), "replication");
        assert_eq!(complete("pipeline gl", &pipes), "pipeline global-api");
        assert!(completions("re", &pipes).contains(&"restore".to_string()));
        assert_eq!(
            parse("drain --force", &pipes),
            Ok(Command::Action {
                action: ActionName::Drain,
                force: true
            })
        );
        assert!(parse("approve --force", &pipes).is_err());
        assert!(parse("pipeline nope", &pipes).is_err());
        assert_eq!(
            parse("health", &pipes),
            Ok(Command::Action {
                action: ActionName::ViewHealth,
                force: false
            })
        );
    }
}
