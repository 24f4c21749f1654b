//! Reading theme files. A theme file is a table per style name, each with
//! optional `fg`, `bg`, `bold`, `dim`, `italic`, `underlined`, `reversed`.
//! A user file may name the preset it builds on with `inherits = "light"`
//! (default `dark`) and overrides only the attributes it sets: writing
//! `[header] fg = "red"` keeps the preset's header background and modifiers.

use std::ops::Range;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::color::{color_index, expected_color, parse_color};
use super::error::ConfigError;
use super::source_text::SourceText;
use super::theme::{DEFAULT_THEME, THEME_PRESETS, Theme};

const ATTRIBUTES: &[&str] = &[
    "fg",
    "bg",
    "bold",
    "dim",
    "italic",
    "underlined",
    "reversed",
];

/// The attributes one style table sets; unset ones keep the base value.
#[derive(Debug, Default)]
struct StyleSpec {
    fg: Option<Color>,
    bg: Option<Color>,
    modifiers: Vec<(Modifier, bool)>,
}

impl StyleSpec {
    fn apply_to(&self, mut style: Style) -> Style {
        if let Some(fg) = self.fg {
            style.fg = Some(fg);
        }
        if let Some(bg) = self.bg {
            style.bg = Some(bg);
        }
        for (modifier, on) in &self.modifiers {
            if *on {
                style.add_modifier.insert(*modifier);
                style.sub_modifier.remove(*modifier);
            } else {
                style.add_modifier.remove(*modifier);
            }
        }
        style
    }
}

struct ThemeFile {
    inherits: Option<(String, Range<usize>)>,
    styles: Vec<(String, StyleSpec)>,
}

/// Applies every style a theme file sets on top of `base`. `inherits` is
/// accepted but not followed; [`load_user`] follows it.
pub(crate) fn apply(source: &SourceText, base: Theme) -> Result<Theme, ConfigError> {
    let file = parse(source)?;
    Ok(apply_styles(base, &file.styles))
}

/// Loads a user theme: its `inherits` preset (default `dark`) with the
/// file's attributes on top.
pub(crate) fn load_user(source: &SourceText) -> Result<Theme, ConfigError> {
    let file = parse(source)?;
    let base = match &file.inherits {
        None => Theme::preset(DEFAULT_THEME),
        Some((name, span)) => Some(Theme::preset(name).ok_or_else(|| {
            source
                .error_at(
                    span.clone(),
                    format!("unknown theme preset \"{name}\" in `inherits`"),
                )
                .expected(format!("one of: {}", preset_names()))
        })?),
    };
    let base = base.ok_or_else(|| {
        ConfigError::in_file(source.name.clone(), "the built-in theme presets are broken")
    })?;
    Ok(apply_styles(base, &file.styles))
}

pub(crate) fn preset_names() -> String {
    THEME_PRESETS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn apply_styles(mut theme: Theme, styles: &[(String, StyleSpec)]) -> Theme {
    for (name, spec) in styles {
        if let Some(style) = theme.style_mut(name) {
            *style = spec.apply_to(*style);
        }
    }
    theme
}

fn parse(source: &SourceText) -> Result<ThemeFile, ConfigError> {
    let root = DeTable::parse(&source.text).map_err(|err| source.toml_error(&err))?;
    let mut file = ThemeFile {
        inherits: None,
        styles: Vec::new(),
    };
    for (key, value) in root.get_ref() {
        let name: &str = key.get_ref();
        if name == "inherits" {
            let preset = value.get_ref().as_str().ok_or_else(|| {
                source
                    .error_at(value.span(), "`inherits` must be a string")
                    .expected(format!("one of: {}", preset_names()))
            })?;
            file.inherits = Some((preset.to_string(), value.span()));
            continue;
        }
        if !Theme::STYLE_NAMES.contains(&name) {
            return Err(source
                .error_at(key.span(), format!("unknown style `{name}`"))
                .expected(format!(
                    "`inherits` or one of: {}",
                    Theme::STYLE_NAMES.join(", ")
                )));
        }
        let table = value.get_ref().as_table().ok_or_else(|| {
            source
                .error_at(value.span(), format!("style `{name}` must be a table"))
                .expected(format!(
                    "[{name}] or {name} = {{ fg = \"cyan\", bold = true }}"
                ))
        })?;
        file.styles
            .push((name.to_string(), parse_style(source, name, table)?));
    }
    Ok(file)
}

fn parse_style(
    source: &SourceText,
    style: &str,
    table: &DeTable<'_>,
) -> Result<StyleSpec, ConfigError> {
    let mut spec = StyleSpec::default();
    for (key, value) in table {
        let attribute: &str = key.get_ref();
        match attribute {
            "fg" => spec.fg = Some(parse_color_value(source, style, attribute, value)?),
            "bg" => spec.bg = Some(parse_color_value(source, style, attribute, value)?),
            "bold" | "dim" | "italic" | "underlined" | "reversed" => {
                let on = value.get_ref().as_bool().ok_or_else(|| {
                    source
                        .error_at(
                            value.span(),
                            format!("`{style}.{attribute}` must be a boolean"),
                        )
                        .expected("true or false")
                })?;
                spec.modifiers.push((modifier(attribute), on));
            }
            _ => {
                return Err(source
                    .error_at(
                        key.span(),
                        format!("unknown attribute `{attribute}` in style `{style}`"),
                    )
                    .expected(format!("one of: {}", ATTRIBUTES.join(", "))));
            }
        }
    }
    Ok(spec)
}

fn modifier(attribute: &str) -> Modifier {
    match attribute {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        _ => Modifier::REVERSED,
    }
}

fn parse_color_value(
    source: &SourceText,
    style: &str,
    attribute: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Color, ConfigError> {
    let (shown, color) = match value.get_ref() {
        DeValue::String(text) => (format!("\"{text}\""), parse_color(text)),
        DeValue::Integer(int) => {
            let digits = int.as_str().replace('_', "");
            let index = i64::from_str_radix(&digits, int.radix()).ok();
            (digits, index.and_then(color_index))
        }
        other => (other.type_str().to_string(), None),
    };
    color.ok_or_else(|| {
        source
            .error_at(
                value.span(),
                format!("unknown colour {shown} for `{style}.{attribute}`"),
            )
            .expected(expected_color())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> Result<Theme, ConfigError> {
        load_user(&SourceText::new("mine.toml", text))
    }

    #[test]
    fn every_preset_parses_and_sets_every_style() {
        for (name, text) in THEME_PRESETS {
            let source = SourceText::new(name.to_string(), *text);
            let file = parse(&source).unwrap_or_else(|e| panic!("{e}"));
            assert!(file.inherits.is_none(), "preset {name} must be complete");
            for style in Theme::STYLE_NAMES {
                assert!(
                    file.styles.iter().any(|(s, _)| s == style),
                    "preset {name} does not set {style}"
                );
            }
            assert!(Theme::preset(name).is_some());
        }
        assert_eq!(Theme::preset("drak"), None);
    }

    #[test]
    fn a_partial_theme_overrides_only_the_attributes_it_sets() {
        let dark = Theme::preset("dark").unwrap();
        let theme = user("[header]\nfg = \"#ff0000\"\n\n[title]\nbold = false\n").unwrap();
        assert_eq!(theme.header.fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(theme.header.bg, dark.header.bg);
        assert_eq!(theme.header.add_modifier, dark.header.add_modifier);
        assert!(!theme.title.add_modifier.contains(Modifier::BOLD));
        assert_eq!(theme.title.fg, dark.title.fg);
        assert_eq!(theme.status_failed, dark.status_failed);
        assert_eq!(theme.selected, dark.selected);
    }

    #[test]
    fn inherits_picks_the_base_preset() {
        let light = Theme::preset("light").unwrap();
        let theme = user("inherits = \"light\"\n[dim]\nfg = 244\n").unwrap();
        assert_eq!(theme.dim.fg, Some(Color::Indexed(244)));
        assert_eq!(theme.base, light.base);
        assert_ne!(light.base, Theme::preset("dark").unwrap().base);
    }

    #[test]
    fn bad_colour_names_the_style_and_position() {
        let err = user("[header]\nfg = \"purpel\"\n").unwrap_err();
        assert_eq!(
            err.headline(),
            format!(
                "mine.toml:2:6: unknown colour \"purpel\" for `header.fg` (expected {})",
                expected_color()
            )
        );
        let err = user("[header]\nbg = 300\n").unwrap_err();
        assert!(
            err.headline()
                .starts_with("mine.toml:2:6: unknown colour 300 for `header.bg`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_styles_attributes_and_presets_are_errors() {
        let err = user("[heder]\nfg = \"red\"\n").unwrap_err();
        assert!(
            err.headline().starts_with(
                "mine.toml:1:2: unknown style `heder` (expected `inherits` or one of: base, header,"
            ),
            "{err}"
        );
        let err = user("[header]\nblod = true\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "mine.toml:2:1: unknown attribute `blod` in style `header` (expected one of: fg, bg, bold, dim, italic, underlined, reversed)"
        );
        let err = user("inherits = \"drak\"\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "mine.toml:1:12: unknown theme preset \"drak\" in `inherits` (expected one of: dark, light, high-contrast)"
        );
        let err = user("[header]\nbold = \"yes\"\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "mine.toml:2:8: `header.bold` must be a boolean (expected true or false)"
        );
    }
}
