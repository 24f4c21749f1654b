//! Placeholder theme until the theme loader lands.

use ratatui::style::{Color, Modifier, Style};

macro_rules! theme_fields {
    ($($name:ident),* $(,)?) => {
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            $(pub $name: Style,)*
        }
        impl Default for Theme {
            fn default() -> Self {
                Self { $($name: Style::default(),)* }
            }
        }
    };
}

theme_fields!(
    base, header, header_readonly, border, border_focus, title, selected, dim, status_succeeded,
    status_in_progress, status_failed, status_awaiting_approval, status_held, status_not_started,
    status_not_applicable, health_healthy, health_unhealthy, health_unknown, health_drained, lag_ok,
    lag_warn, lag_high, stale, window_open, window_closed, event_complete, event_in_progress,
    event_failed, event_rollback, activity_ok, activity_error, dialog, dialog_danger, command_line,
    help_key,
);

impl Theme {
    pub fn preset(_name: &str) -> Option<Theme> {
        let mut t = Theme::default();
        t.selected = Style::default().add_modifier(Modifier::REVERSED);
        t.status_failed = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
        t.status_succeeded = Style::default().fg(Color::Green);
        t.status_in_progress = Style::default().fg(Color::Cyan);
        t.status_awaiting_approval = Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD);
        t.status_held = Style::default().fg(Color::Magenta);
        Some(t)
    }
}
