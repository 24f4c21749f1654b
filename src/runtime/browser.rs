//! Opening a console link: `$BROWSER` when set, else the platform's opener.
//! The browser is started in its own process group with no terminal I/O,
//! and never waited for on the UI path: a thread reaps it and reports a
//! failure to start or a non-zero exit back to update().

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use tokio::sync::mpsc::UnboundedSender;

use crate::core::msg::Msg;

pub(super) fn open(url: &str, tx: UnboundedSender<Msg>) {
    let (program, args) = command_for(std::env::var("BROWSER").ok().as_deref(), url);
    let started = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Out of the console's process group: the terminal's job control
        // and signals are the console's, not the browser's.
        .process_group(0)
        .spawn();
    match started {
        Ok(mut child) => {
            std::thread::spawn(move || match child.wait() {
                Ok(status) if !status.success() => {
                    let _ = tx.send(Msg::OpenFailed(format!("{program} ended with {status}")));
                }
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.send(Msg::OpenFailed(format!("{program}: {e}")));
                }
            });
        }
        Err(e) => {
            let _ = tx.send(Msg::OpenFailed(format!("cannot start {program}: {e}")));
        }
    }
}

/// The program and arguments that open `url`. `$BROWSER` may list several
/// commands separated by `:` (the first is used), each a program with its
/// arguments, where `%s` stands for the URL; without `%s` the URL is
/// the last argument.
fn command_for(browser: Option<&str>, url: &str) -> (String, Vec<String>) {
    let chosen = browser
        .and_then(|list| list.split(':').map(str::trim).find(|c| !c.is_empty()))
        .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>());
    let words = chosen.unwrap_or_default();
    let Some((program, rest)) = words.split_first() else {
        return (platform_opener().to_string(), vec![url.to_string()]);
    };
    let mut args: Vec<String> = rest.iter().map(|w| w.replace("%s", url)).collect();
    if !rest.iter().any(|w| w.contains("%s")) {
        args.push(url.to_string());
    }
    (program.clone(), args)
}

fn platform_opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://x/?a=b";

    #[test]
    fn without_browser_the_platform_opener_gets_the_url() {
        assert_eq!(
            command_for(None, URL),
            (platform_opener().into(), vec![URL.into()])
        );
        assert_eq!(command_for(Some(" : "), URL).0, platform_opener());
    }

    #[test]
    fn browser_takes_the_first_command_its_arguments_and_percent_s() {
        assert_eq!(
            command_for(Some("firefox --new-tab:chromium"), URL),
            ("firefox".into(), vec!["--new-tab".into(), URL.into()])
        );
        assert_eq!(
            command_for(Some("w3m %s -no-mouse"), URL),
            ("w3m".into(), vec![URL.into(), "-no-mouse".into()])
        );
    }
}
