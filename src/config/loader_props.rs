//! Property tests of the three loaders: whatever bytes or TOML a config,
//! theme or keymap file holds, loading never panics, and every error says
//! where in the file it is.

use std::path::Path;

use proptest::prelude::*;

use super::error::ConfigError;
use super::file_text::{ReadFailure, text_of};
use super::load::load_str;
use super::source_text::SourceText;
use super::{keymap_file, theme_file};

/// Words the loaders know, mixed with ones they do not, so generated files
/// reach past the first unknown key into the checks of each value.
const KEYS: &[&str] = &[
    "theme",
    "keymap",
    "read_only",
    "auto_release",
    "lag_warning_ms",
    "limits",
    "activity_entries",
    "aws",
    "windows",
    "us-east-1",
    "time_zone",
    "open",
    "close",
    "days",
    "freeze",
    "alarms",
    "bake",
    "wave_bake",
    "regions",
    "names",
    "prefixes",
    "home_regions",
    "hosted_zones",
    "profile",
    "id",
    "name",
    "inherits",
    "status_failed",
    "fg",
    "bg",
    "bold",
    "keys",
    "quit",
    "approve",
    "retry",
    "refresh",
    "a.b",
    "\"q\\u001b\"",
    "x",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-z_\\-]{0,6}",
        1 => "\\PC{0,4}",
    ]
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(
            &[
                "\"dark\"",
                "\"vim\"",
                "\"22:00\"",
                "\"UTC\"",
                "\"mon\"",
                "\"2026-12-24\"",
                "\"red\"",
                "\"ctrl-r\"",
                "\"x/y.toml\"",
                "2026-12-24",
                "\"\\u001b[2J\"",
                "\"\\u009b\"",
                "'lit'",
                "\"\"\"\nmulti\"\"\"",
                "inf",
                "1.5e3",
            ][..]
        )
        .prop_map(str::to_string),
        any::<String>().prop_map(|s| format!("{s:?}")),
        "\\PC{0,6}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..3).prop_map(|kv| {
                let pairs: Vec<String> = kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => prop::collection::vec(key(), 1..3).prop_map(|k| format!("[{}]", k.join("."))),
        1 => key().prop_map(|k| format!("[[{k}]]")),
        1 => "\\PC{0,12}".prop_map(|c| format!("# {c}")),
        1 => any::<String>(),
    ]
}

/// TOML-shaped text: mostly well-formed lines about what the loaders read.
fn toml_text() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..8).prop_map(|lines| lines.join("\n"))
}

fn assert_located(err: &ConfigError) -> Result<(), TestCaseError> {
    // Showing the error must not panic either.
    let shown = err.to_string();
    prop_assert!(
        err.line().is_some() && err.column().is_some(),
        "no position: {shown}"
    );
    Ok(())
}

/// Every loader over `text`, as a config, a theme and a keymap file.
fn load_everything(text: &str) -> Result<(), TestCaseError> {
    let source = SourceText::new("f.toml", text);
    let base = Path::new("/nonexistent/wavetop-props");
    if let Err(err) = load_str(&source, base) {
        assert_located(&err)?;
    }
    if let Err(err) = theme_file::load_user(&source) {
        assert_located(&err)?;
    }
    if let Err(err) = keymap_file::load_user(&source) {
        assert_located(&err)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_bytes_load_or_fail_with_a_position(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        // Mostly ASCII, so that most inputs get past the UTF-8 check.
        prop::collection::vec(prop_oneof![9 => 0u8..0x80, 1 => any::<u8>()], 0..400),
    ]) {
        match text_of(bytes, "f.toml") {
            Ok(text) => load_everything(&text)?,
            Err(ReadFailure::NotText(err)) => assert_located(&err)?,
            Err(other) => prop_assert!(false, "unexpected failure {other:?}"),
        }
    }

    #[test]
    fn any_toml_loads_or_fails_with_a_position(text in toml_text()) {
        load_everything(&text)?;
    }
}
