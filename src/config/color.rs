//! Colour notation in theme files: a name, `#rrggbb`, or a palette index.

use ratatui::style::Color;

/// The colour names theme files accept, in the order the error lists them.
pub const COLOR_NAMES: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

/// What an error about a colour says would have been accepted.
pub fn expected_color() -> String {
    let names: Vec<&str> = COLOR_NAMES.iter().map(|(name, _)| *name).collect();
    format!(
        "a colour name ({}), \"#rrggbb\", or an index 0..=255",
        names.join(", ")
    )
}

/// Parses a colour written as a string: a name (case-insensitive) or `#rrggbb`.
pub fn parse_color(text: &str) -> Option<Color> {
    if let Some(hex) = text.strip_prefix('#') {
        return parse_hex(hex);
    }
    let lower = text.to_ascii_lowercase();
    COLOR_NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, color)| *color)
}

/// A palette index written as a TOML integer.
pub fn color_index(index: i64) -> Option<Color> {
    u8::try_from(index).ok().map(Color::Indexed)
}

fn parse_hex(hex: &str) -> Option<Color> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_hex_and_indexes() {
        assert_eq!(parse_color("darkgray"), Some(Color::DarkGray));
        assert_eq!(parse_color("LightCyan"), Some(Color::LightCyan));
        assert_eq!(parse_color("#1e90ff"), Some(Color::Rgb(0x1e, 0x90, 0xff)));
        assert_eq!(color_index(0), Some(Color::Indexed(0)));
        assert_eq!(color_index(255), Some(Color::Indexed(255)));
    }

    #[test]
    fn rejects_what_is_not_a_colour() {
        for bad in ["purpel", "#12345", "#12345g", "#1234567", "", "#"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
        assert_eq!(color_index(256), None);
        assert_eq!(color_index(-1), None);
    }
}
