//! The command line's own documentation, through the real binary: shell
//! completion scripts (the bash one driven in bash), the manual page as
//! groff renders it, and the `--theme` / `--keymap` flags and their errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

#[path = "support/binary.rs"]
#[allow(dead_code, reason = "shared with other test files; this one uses part")]
mod binary;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use binary::wavetop_in;

fn tempdir(name: &str) -> PathBuf {
    binary::fresh_dir("cli", name)
}

fn wavetop(dir: &Path, args: &[&str]) -> Output {
    wavetop_in(dir, args).output().expect("run wavetop")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_shell_gets_a_script_naming_the_commands_and_their_flags() {
    let dir = tempdir("shells");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = wavetop(&dir, &["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        // Flags by their long name: fish writes `-l keymap`.
        for word in ["snapshot", "override-condition", "completions", "keymap"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    let out = wavetop(&dir, &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("possible values: bash"),
        "{}",
        stderr(&out)
    );
}

/// What bash completes for `line` (ending where the cursor is), with the
/// script `wavetop completions bash` printed, sourced as a user would.
fn bash_completes(script: &Path, words: &[&str]) -> Vec<String> {
    let words_array: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let program = format!(
        "source '{}'\n\
         COMP_WORDS=({})\n\
         COMP_CWORD={cword}\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _wavetop wavetop \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        words_array.join(" ")
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "bash: {}", stderr(&out));
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn the_bash_script_completes_a_command_and_a_flag() {
    let dir = tempdir("bash");
    let out = wavetop(&dir, &["completions", "bash"]);
    assert!(out.status.success());
    let script = dir.join("wavetop.bash");
    std::fs::write(&script, &out.stdout).unwrap();

    assert_eq!(bash_completes(&script, &["wavetop", "snap"]), ["snapshot"]);
    assert_eq!(
        bash_completes(&script, &["wavetop", "snapshot", "--js"]),
        ["--json"]
    );
    // A global option is offered after a command too.
    assert_eq!(
        bash_completes(&script, &["wavetop", "drain", "--keym"]),
        ["--keymap"]
    );
}

/// The page as `groff -man -Tutf8` renders it, with every warning on; the
/// test command installs groff (scripts/man-tools.sh).
fn groff(page: &[u8]) -> (String, String) {
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .env("GROFF_NO_SGR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff is not installed: run scripts/man-tools.sh (scripts/test-all.sh does)");
    child.stdin.take().unwrap().write_all(page).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "groff: {}", stderr(&out));
    // Bold and underline are overstrikes in groff's terminal output.
    let text = String::from_utf8_lossy(&out.stdout)
        .chars()
        .fold(String::new(), |mut text, c| {
            if c == '\u{8}' {
                text.pop();
            } else {
                text.push(c);
            }
            text
        });
    (text, stderr(&out))
}

#[test]
fn the_man_page_renders_without_warnings_and_documents_every_command() {
    let dir = tempdir("man");
    let out = wavetop(&dir, &["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, warnings) = groff(&out.stdout);
    assert_eq!(warnings, "", "groff warned");
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "GLOBAL OPTIONS",
        "COMMANDS",
    ] {
        assert!(
            text.lines().any(|line| line.trim_end() == section),
            "no {section} section in:\n{text}"
        );
    }
    // A global flag, a command's own flag under that command, and a
    // positional with its choices.
    assert!(text.contains("--keymap"), "{text}");
    let snapshot = text
        .find("wavetop snapshot [OPTIONS]")
        .expect("snapshot usage");
    assert!(text[snapshot..].contains("--json"), "{text}");
    assert!(text.contains("wavetop config check"), "{text}");
    // One page documents every command: none points at a page not installed.
    assert!(!text.contains("wavetop-snapshot(1)"), "{text}");
    // groff fills and breaks lines; the words are what count.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("The shell to complete in [possible values: bash, elvish, fish,"),
        "{text}"
    );
}

#[test]
fn an_unknown_preset_names_the_flag_and_the_presets() {
    let dir = tempdir("preset");
    let out = wavetop(&dir, &["--theme", "nosuch", "config", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "--theme: unknown theme \"nosuch\" (expected one of: dark, light, high-contrast, or a path to a .toml file)"
    );
    let out = wavetop(&dir, &["--demo", "snapshot", "--keymap", "emacs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("--keymap: unknown keymap \"emacs\" (expected one of: default, vim,"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_theme_or_keymap_file_is_reported_at_its_line_and_column() {
    let dir = tempdir("files");
    std::fs::write(dir.join("bad-theme.toml"), "[header]\nfg = \"nocolour\"\n").unwrap();
    let theme = dir.join("bad-theme.toml").display().to_string();
    let out = wavetop(&dir, &["--theme", &theme, "config", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!("{theme}:2:6: ")),
        "{}",
        stderr(&out)
    );

    std::fs::write(
        dir.join("keys.toml"),
        "[keys]\nquit = \"q\"\nhold = \"q\"\n",
    )
    .unwrap();
    let keymap = dir.join("keys.toml").display().to_string();
    let out = wavetop(&dir, &["--demo", "--keymap", &keymap, "snapshot"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!("{keymap}:3:")),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "nothing runs on a bad keymap");

    let out = wavetop(&dir, &["--keymap", "no/such/keys.toml", "config", "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("--keymap: cannot read keymap file \"no/such/keys.toml\": no such file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_flags_win_over_the_config_file() {
    let dir = tempdir("override");
    let config = dir.join("config.toml");
    // The config's own choices are not read when a flag replaces them.
    std::fs::write(&config, "theme = \"missing.toml\"\nkeymap = \"vim\"\n").unwrap();
    let config = config.display().to_string();
    let out = wavetop(
        &dir,
        &[
            "--config", &config, "--theme", "light", "--keymap", "default", "config", "check",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.contains("theme: light (--theme)\n"), "{summary}");
    assert!(
        summary.contains("keymap: default (--keymap)\n"),
        "{summary}"
    );
}

#[test]
fn help_lists_a_commands_own_options_apart_from_the_global_ones() {
    let dir = tempdir("help");
    let out = wavetop(&dir, &["drain", "--help"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    let (own, global) = help
        .split_once("\nGlobal options:\n")
        .expect("a global heading");
    for flag in ["--region <REGION>", "--force", "--yes"] {
        assert!(
            own.contains(flag),
            "{flag} not among drain's own options:\n{help}"
        );
    }
    for flag in [
        "--demo",
        "--config <CONFIG>",
        "--theme <NAME|PATH>",
        "--keymap <NAME|PATH>",
    ] {
        assert!(
            global.contains(flag),
            "{flag} not among the global options:\n{help}"
        );
        assert!(!own.contains(flag), "{flag} listed as drain's own:\n{help}");
    }
}
