//! Themes: one ratatui `Style` per named part of the interface, read from
//! TOML presets embedded in the binary and optionally overridden by a user
//! theme file (see `theme_file`).

use ratatui::style::Style;

use super::source_text::SourceText;
use super::theme_file;

macro_rules! theme_styles {
    ($($name:ident),* $(,)?) => {
        /// A style for every named part of the interface. The renderer reads
        /// the fields directly, e.g. `theme.status_failed`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Theme {
            $(pub $name: Style,)*
        }

        impl Theme {
            /// Every style name a theme file may set, in declaration order.
            pub const STYLE_NAMES: &'static [&'static str] = &[$(stringify!($name),)*];

            /// The style called `name` in theme files.
            pub fn style(&self, name: &str) -> Option<Style> {
                match name {
                    $(stringify!($name) => Some(self.$name),)*
                    _ => None,
                }
            }

            pub(crate) fn style_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($name) => Some(&mut self.$name),)*
                    _ => None,
                }
            }

            /// A theme with no styling at all, the start for complete presets.
            pub(crate) fn empty() -> Theme {
                Theme { $($name: Style::new(),)* }
            }

            fn map_styles(&self, f: impl Fn(Style) -> Style) -> Theme {
                Theme { $($name: f(self.$name),)* }
            }
        }
    };
}

theme_styles! {
    base,
    header,
    header_readonly,
    border,
    border_focus,
    title,
    selected,
    dim,
    status_succeeded,
    status_in_progress,
    status_failed,
    status_awaiting_approval,
    status_held,
    status_not_started,
    status_not_applicable,
    health_healthy,
    health_unhealthy,
    health_unknown,
    health_drained,
    alarm_alarm,
    alarm_no_data,
    alarm_ok,
    bake,
    lag_ok,
    lag_warn,
    lag_high,
    stale,
    revision_behind,
    window_open,
    window_closed,
    event_complete,
    event_in_progress,
    event_failed,
    event_rollback,
    activity_ok,
    activity_error,
    dialog,
    dialog_danger,
    command_line,
    help_key,
    condition_blocking,
    condition_failed,
    verdict_go,
    verdict_wait,
    verdict_no_go,
}

/// The built-in presets: name and embedded file text.
pub const THEME_PRESETS: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

/// The preset a user theme builds on when it names none.
pub const DEFAULT_THEME: &str = "dark";

/// The name errors and summaries use for a built-in preset file.
pub fn preset_source_name(name: &str) -> String {
    format!("themes/{name}.toml (built-in)")
}

impl Theme {
    /// A built-in preset by name: `dark`, `light` or `high-contrast`.
    pub fn preset(name: &str) -> Option<Theme> {
        let (_, text) = THEME_PRESETS.iter().find(|(preset, _)| *preset == name)?;
        let source = SourceText::new(preset_source_name(name), *text);
        // Presets are complete and checked by tests, so they start from nothing.
        theme_file::apply(&source, Theme::empty()).ok()
    }

    /// The same theme without any foreground or background colour, for
    /// `NO_COLOR` and `--no-color`. Modifiers (bold, dim, reversed,
    /// underline, italic) stay, so selection and state remain visible.
    pub fn no_color(&self) -> Theme {
        self.map_styles(|style| Style {
            fg: None,
            bg: None,
            ..style
        })
    }
}

/// The default theme is the `dark` preset.
impl Default for Theme {
    fn default() -> Self {
        // The presets are verified by tests; an empty theme is only a guard.
        Theme::preset(DEFAULT_THEME).unwrap_or_else(Theme::empty)
    }
}

/// Whether colour is off: `--no-color` was given or `NO_COLOR` is set to a
/// non-empty value (see no-color.org).
pub fn wants_no_color(flag: bool) -> bool {
    flag || std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn no_color_strips_colours_and_keeps_modifiers() {
        for (name, _) in THEME_PRESETS {
            let theme = Theme::preset(name).unwrap();
            let plain = theme.no_color();
            for style in Theme::STYLE_NAMES {
                let (before, after) = (theme.style(style).unwrap(), plain.style(style).unwrap());
                assert_eq!((after.fg, after.bg), (None, None), "{name}.{style}");
                assert_eq!(after.add_modifier, before.add_modifier, "{name}.{style}");
            }
            assert!(
                plain.selected.add_modifier.contains(Modifier::REVERSED),
                "{name}"
            );
        }
    }

    #[test]
    fn selection_is_reversed_in_every_preset() {
        for (name, _) in THEME_PRESETS {
            assert!(
                Theme::preset(name)
                    .unwrap()
                    .selected
                    .add_modifier
                    .contains(Modifier::REVERSED),
                "{name}"
            );
        }
    }

    #[test]
    fn high_contrast_tells_states_apart_without_colour() {
        let theme = Theme::preset("high-contrast").unwrap().no_color();
        let marks = [
            theme.status_failed,
            theme.status_awaiting_approval,
            theme.status_held,
            theme.base,
        ]
        .map(|style| style.add_modifier);
        for (i, a) in marks.iter().enumerate() {
            for b in &marks[i + 1..] {
                assert_ne!(a, b, "two states share the same modifiers");
            }
        }
    }

    #[test]
    fn the_default_theme_is_dark_and_styled() {
        let theme = Theme::default();
        assert_eq!(theme, Theme::preset("dark").unwrap());
        assert_ne!(theme.status_failed, theme.status_succeeded);
    }
}
