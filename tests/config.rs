//! Loading config files from disk: every invalid fixture is rejected with
//! its full message (file, line, column, the offending line with a caret,
//! and what was expected), and partial themes and keymaps layer on presets.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::path::PathBuf;

use ratatui::style::{Color, Modifier};
use wavetop::config::keymap::KEYMAP_PRESETS;
use wavetop::config::load::load_file;
use wavetop::config::theme::THEME_PRESETS;
use wavetop::config::{Choices, ConfigError, Theme, check, keymap, load};
use wavetop::core::action::ActionName;
use wavetop::core::key::Key;

fn dir() -> String {
    format!("{}/tests/fixtures/config", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(dir()).join(name)
}

/// The note that follows an error inside a theme or keymap file, pointing
/// at the config line naming that file.
fn named_in(config: &str, key: &str, file: &str) -> String {
    let line = format!("{key} = \"{file}\"");
    let column = key.len() + 4;
    let caret = format!("{}{}", " ".repeat(column - 1), "^".repeat(file.len() + 2));
    format!(
        "\nthe {key} file is named in: {}/{config}:1:{column}\n  |\n1 | {line}\n  | {caret}",
        dir()
    )
}

fn error_of(name: &str) -> ConfigError {
    let err = load(Some(&fixture(name))).expect_err(name);
    assert_eq!(err.exit_code(), 2);
    err
}

#[test]
fn invalid_toml_syntax() {
    let d = dir();
    assert_eq!(
        error_of("invalid_syntax.toml").to_string(),
        format!(
            "{d}/invalid_syntax.toml:3:13: invalid boolean (expected `true`)\n  |\n3 | read_only = tru\n  |             ^^^"
        )
    );
}

#[test]
fn unknown_key() {
    let d = dir();
    assert_eq!(
        error_of("unknown_key.toml").to_string(),
        format!(
            "{d}/unknown_key.toml:2:1: unknown field `readonly` (expected one of `theme`, `keymap`, `read_only`, `auto_release`, `lag_warning_ms`, `aws`, `windows`, `limits`, `alarms`, `scheduler`, `audit`, `stream`, `notify`, `ui`)\n  |\n2 | readonly = true\n  | ^^^^^^^^"
        )
    );
}

#[test]
fn a_hosted_zone_with_both_an_id_and_a_name() {
    let d = dir();
    assert_eq!(
        error_of("bad_hosted_zone.toml").to_string(),
        format!(
            "{d}/bad_hosted_zone.toml:3:55: a hosted zone has an id or a name, not both (expected {{ id = \"...\" }} or {{ name = \"...\" }})\n  |\n3 | hosted_zones = [\"/hostedzone/D02I8FIJBFFD89L22D4Q6W\", {{ id = \"Z1\", name = \"example.com.\" }}]\n  |                                                       {}",
            "^".repeat(36)
        )
    );
}

#[test]
fn unknown_theme_preset() {
    let d = dir();
    assert_eq!(
        error_of("unknown_theme.toml").to_string(),
        format!(
            "{d}/unknown_theme.toml:4:9: unknown theme \"drak\" (expected one of: dark, light, high-contrast, or a path to a .toml file)\n  |\n4 | theme = \"drak\"\n  |         ^^^^^^"
        )
    );
}

#[test]
fn bad_colour_in_a_user_theme() {
    let d = dir();
    assert_eq!(
        error_of("bad_colour.toml").to_string(),
        format!(
            "{d}/bad_colour_theme.toml:4:6: unknown colour \"purpel\" for `status_failed.fg` (expected a colour name (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, lightred, lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, white, reset), \"#rrggbb\", or an index 0..=255)\n  |\n4 | fg = \"purpel\"\n  |      ^^^^^^^^{}",
            named_in("bad_colour.toml", "theme", "bad_colour_theme.toml")
        )
    );
}

#[test]
fn unknown_action_in_a_keymap() {
    let d = dir();
    let names: Vec<&str> = ActionName::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(
        error_of("unknown_action.toml").to_string(),
        format!(
            "{d}/unknown_action_keymap.toml:3:1: unknown action `aprove` (expected one of: {})\n  |\n3 | aprove = \"y\"\n  | ^^^^^^{}",
            names.join(", "),
            named_in(
                "unknown_action.toml",
                "keymap",
                "unknown_action_keymap.toml"
            )
        )
    );
}

#[test]
fn bad_key_notation() {
    let d = dir();
    assert_eq!(
        error_of("bad_key.toml").to_string(),
        format!(
            "{d}/bad_key_keymap.toml:4:18: invalid key \"ctrl+b\" for action `rollback` (expected a key like q, G, ?, enter, esc, tab, shift-tab, ctrl-c, alt-x, f5, space, pageup)\n  |\n4 | rollback = [\"b\", \"ctrl+b\"]\n  |                  ^^^^^^^^{}",
            named_in("bad_key.toml", "keymap", "bad_key_keymap.toml")
        )
    );
}

#[test]
fn conflicting_bindings_name_both() {
    let d = dir();
    let f = format!("{d}/conflict_keymap.toml");
    assert_eq!(
        error_of("conflict.toml").to_string(),
        format!(
            "{f}:2:9: key \"r\" is bound to both `refresh` ({f}:3:22) and `retry` ({f}:2:9) (expected each key bound to one action; give `refresh` another key or disable it with `refresh = []`)\n  |\n2 | retry = \"r\"\n  |         ^^^\n`refresh` is bound to \"r\" at: {f}:3:22\n  |\n3 | refresh = [\"ctrl-r\", \"r\"]\n  |                      ^^^{}",
            named_in("conflict.toml", "keymap", "conflict_keymap.toml")
        )
    );
}

#[test]
fn bad_time_zone() {
    let d = dir();
    assert_eq!(
        error_of("bad_time_zone.toml").to_string(),
        format!(
            "{d}/bad_time_zone.toml:2:13: unknown time zone \"Europe/Lisbom\" in [windows.eu-west-1] (expected an IANA time zone name such as \"Europe/Lisbon\" or \"America/Sao_Paulo\")\n  |\n2 | time_zone = \"Europe/Lisbom\"\n  |             ^^^^^^^^^^^^^^^"
        )
    );
}

#[test]
fn bad_window_time() {
    let d = dir();
    assert_eq!(
        error_of("bad_window_time.toml").to_string(),
        format!(
            "{d}/bad_window_time.toml:4:9: invalid time \"5:30\" for `windows.sa-east-1.close` (expected HH:MM on a 24-hour clock, such as \"22:00\")\n  |\n4 | close = \"5:30\"\n  |         ^^^^^^"
        )
    );
}

#[test]
fn bad_weekday() {
    let d = dir();
    assert_eq!(
        error_of("bad_weekday.toml").to_string(),
        format!(
            "{d}/bad_weekday.toml:5:23: unknown day \"thur\" in `windows.ap-southeast-2.days` (expected one of: mon, tue, wed, thu, fri, sat, sun)\n  |\n5 | days = [\"mon\", \"tue\", \"thur\"]\n  |                       ^^^^^^"
        )
    );
}

#[test]
fn bad_freeze_date() {
    let d = dir();
    assert_eq!(
        error_of("bad_freeze_date.toml").to_string(),
        format!(
            "{d}/bad_freeze_date.toml:5:25: invalid date \"2026-02-30\" in `windows.us-east-1.freeze` (expected an existing date written \"YYYY-MM-DD\", such as \"2026-12-24\")\n  |\n5 | freeze = [\"2026-11-26\", \"2026-02-30\"]\n  |                         ^^^^^^^^^^^^"
        )
    );
}

#[test]
fn explicit_config_path_that_does_not_exist() {
    let d = dir();
    let err = error_of("missing.toml");
    assert_eq!(
        err.to_string(),
        format!(
            "{d}/missing.toml: config file not found (expected an existing file given with --config)"
        )
    );
    assert_eq!(err.line(), None);
    // `config check` reports the same error rather than a summary.
    assert_eq!(
        check(Some(&fixture("missing.toml")), &Choices::default()).unwrap_err(),
        err
    );
}

#[test]
fn a_valid_config_layers_partial_theme_and_keymap_on_presets() {
    let loaded = load_file(&fixture("valid.toml"), true).unwrap();
    assert_eq!(loaded.source, Some(fixture("valid.toml")));
    assert!(loaded.config.read_only);
    assert_eq!(loaded.config.windows["eu-west-1"].days.len(), 5);

    let high_contrast = Theme::preset("high-contrast").unwrap();
    assert_eq!(
        loaded.theme.status_failed.fg,
        Some(Color::Rgb(0xff, 0x5f, 0x5f))
    );
    assert_eq!(
        loaded.theme.status_failed.add_modifier,
        high_contrast.status_failed.add_modifier
    );
    assert_eq!(
        Theme {
            status_failed: high_contrast.status_failed,
            ..loaded.theme
        },
        high_contrast
    );

    let vim = keymap::preset("vim").unwrap();
    assert_eq!(
        loaded.keymap.keys_for(ActionName::Approve),
        &[Key::char('e')]
    );
    assert_eq!(loaded.keymap.action_for(Key::char('a')), None);
    assert!(loaded.keymap.keys_for(ActionName::Rollback).is_empty());
    assert_eq!(loaded.keymap.action_for(Key::char('b')), None);
    assert_eq!(
        loaded.keymap.action_for(Key::char('j')),
        Some(ActionName::Down)
    );
    for (action, keys) in loaded.keymap.all() {
        if !matches!(action, ActionName::Approve | ActionName::Rollback) {
            assert_eq!(keys, vim.keys_for(action), "{}", action.as_str());
        }
    }

    let summary = check(Some(&fixture("valid.toml")), &Choices::default()).unwrap();
    assert_eq!(
        summary,
        format!(
            "config: {}/valid.toml (ok)\ntheme: partial_theme.toml\nkeymap: partial_keymap.toml\nread_only: true\nwindows: 1 (eu-west-1)\n",
            dir()
        )
    );
}

#[test]
fn every_preset_loads_through_a_config_file() {
    let tmp = std::env::temp_dir().join(format!("wavetop-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (theme, _) in THEME_PRESETS {
        for (keymap, _) in KEYMAP_PRESETS {
            let path = tmp.join(format!("{theme}-{keymap}.toml"));
            std::fs::write(
                &path,
                format!("theme = \"{theme}\"\nkeymap = \"{keymap}\"\n"),
            )
            .unwrap();
            let loaded = load(Some(&path)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(loaded.theme, Theme::preset(theme).unwrap());
            assert_eq!(loaded.keymap, keymap::preset(keymap).unwrap());
        }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn no_color_keeps_reverse_video_on_the_selection() {
    let loaded = load_file(&fixture("valid.toml"), true).unwrap();
    let plain = loaded.theme.no_color();
    assert_eq!((plain.selected.fg, plain.selected.bg), (None, None));
    assert_eq!((plain.status_failed.fg, plain.header.bg), (None, None));
    assert!(plain.selected.add_modifier.contains(Modifier::REVERSED));
    assert!(
        plain
            .status_failed
            .add_modifier
            .contains(Modifier::REVERSED | Modifier::BOLD)
    );
}

fn corpus_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/files")
        .join(name)
}

#[test]
fn a_theme_file_that_is_not_utf8_is_located_and_named_in_the_config() {
    let err = load(Some(&corpus_file("names_latin1_theme.toml"))).expect_err("latin-1");
    let theme = corpus_file("latin1_theme.toml");
    let config = corpus_file("names_latin1_theme.toml");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:8: byte 0xF6 is not UTF-8 (expected a UTF-8 text file)\n  |\n3 | fg = \"r\u{fffd}d\"\n  |        ^\nthe theme file is named in: {}:1:9\n  |\n1 | theme = \"latin1_theme.toml\"\n  |         ^^^^^^^^^^^^^^^^^^^",
            theme.display(),
            config.display()
        )
    );
}

#[test]
fn a_raw_escape_is_shown_visibly_with_the_caret_under_it() {
    let err = load(Some(&corpus_file("theme_raw_escape.toml"))).expect_err("escape");
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].ends_with(
            ":1:10: invalid basic string (expected non-double-quote visible characters, `\\`)"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines[2], "1 | theme = \"^[]2;PWNED^G^[[2J\"");
    // The escape takes two columns once shown; the caret covers both.
    assert_eq!(lines[3], "  |          ^^");
}

#[test]
fn devices_and_oversized_files_are_refused_without_reading_them() {
    let err = load(Some(std::path::Path::new("/dev/zero"))).expect_err("device");
    assert_eq!(
        err.to_string(),
        "/dev/zero: cannot read config file: it is a character device, not a regular file (expected a regular text file)"
    );
    let dir = std::env::temp_dir().join(format!("wavetop-config-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("config.toml");
    std::fs::write(&big, format!("theme = \"{}\"\n", "v".repeat(2 << 20))).unwrap();
    let err = load(Some(&big)).expect_err("too big");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        err.to_string().ends_with(
            ": cannot read config file: it is larger than 1024 KiB (expected a regular text file)"
        ),
        "{err}"
    );
}

#[test]
fn zero_limit() {
    let d = dir();
    assert_eq!(
        error_of("zero_limit.toml").to_string(),
        format!(
            "{d}/zero_limit.toml:4:20: `limits.activity_entries` must keep at least one (expected a count of 1 or more; the default is 5000)\n  |\n4 | activity_entries = 0\n  |                    ^"
        )
    );
}

#[test]
fn ui_mouse_is_on_unless_turned_off() {
    let dir = std::env::temp_dir().join(format!("wavetop-config-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let off = dir.join("off.toml");
    std::fs::write(&off, "[ui]\nmouse = false\n").unwrap();
    assert!(!load(Some(&off)).unwrap().config.ui.mouse);
    let empty = dir.join("empty.toml");
    std::fs::write(&empty, "[ui]\n").unwrap();
    assert!(load(Some(&empty)).unwrap().config.ui.mouse);
    assert!(load(Some(&fixture("valid.toml"))).unwrap().config.ui.mouse);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ui_mouse_that_is_not_a_boolean_or_a_misspelt_ui_key() {
    let d = dir();
    assert_eq!(
        error_of("ui_mouse_text.toml").to_string(),
        format!(
            "{d}/ui_mouse_text.toml:3:9: invalid type: string \"no\" (expected a boolean)\n  |\n3 | mouse = \"no\"\n  |         ^^^^"
        )
    );
    assert_eq!(
        error_of("ui_unknown_key.toml").to_string(),
        format!(
            "{d}/ui_unknown_key.toml:2:1: unknown field `mose` (expected `mouse`)\n  |\n2 | mose = false\n  | ^^^^"
        )
    );
}
