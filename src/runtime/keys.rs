//! crossterm's key and mouse events in the core's terms.

use crossterm::event::{
    KeyCode as Ct, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::core::key::{Key, KeyCode};
use crate::core::mouse::{Mouse, MouseKind};

/// A left click or a notch of the wheel; None for what the console does not
/// use (other buttons, releases, drags, moves).
pub fn mouse_from_crossterm(event: MouseEvent) -> Option<Mouse> {
    let kind = match event.kind {
        MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
        MouseEventKind::ScrollUp => MouseKind::WheelUp,
        MouseEventKind::ScrollDown => MouseKind::WheelDown,
        _ => return None,
    };
    Some(Mouse {
        kind,
        column: event.column,
        row: event.row,
    })
}

/// None for key releases and keys the core has no name for.
pub fn from_crossterm(event: KeyEvent) -> Option<Key> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let code = match event.code {
        Ct::Char(c) => KeyCode::Char(c),
        Ct::Enter => KeyCode::Enter,
        Ct::Esc => KeyCode::Esc,
        Ct::Backspace => KeyCode::Backspace,
        Ct::Tab => KeyCode::Tab,
        Ct::BackTab => KeyCode::BackTab,
        Ct::Up => KeyCode::Up,
        Ct::Down => KeyCode::Down,
        Ct::Left => KeyCode::Left,
        Ct::Right => KeyCode::Right,
        Ct::PageUp => KeyCode::PageUp,
        Ct::PageDown => KeyCode::PageDown,
        Ct::Home => KeyCode::Home,
        Ct::End => KeyCode::End,
        Ct::Delete => KeyCode::Delete,
        Ct::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
    })
}

/// Ctrl-Z. Raw mode turns off the terminal's own signal keys, so the key
/// arrives as input instead of SIGTSTP; the console suspends itself as the
/// terminal would have. Not a keymap action: it works in every view, dialog
/// and text field, as in every terminal program.
pub fn is_suspend(event: &KeyEvent) -> bool {
    event.kind != KeyEventKind::Release
        && event.code == Ct::Char('z')
        && event.modifiers.contains(KeyModifiers::CONTROL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_modifiers_and_drops_releases() {
        let ev = KeyEvent::new(Ct::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(from_crossterm(ev), Some(Key::ctrl('c')));
        let mut release = KeyEvent::new(Ct::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(from_crossterm(release), None);
    }

    #[test]
    fn left_clicks_and_the_wheel_reach_the_core_and_nothing_else_does() {
        let at = |kind| MouseEvent {
            kind,
            column: 7,
            row: 3,
            modifiers: KeyModifiers::NONE,
        };
        let click = mouse_from_crossterm(at(MouseEventKind::Down(MouseButton::Left)));
        assert_eq!(
            click,
            Some(Mouse {
                kind: MouseKind::Click,
                column: 7,
                row: 3
            })
        );
        let wheel = mouse_from_crossterm(at(MouseEventKind::ScrollDown)).map(|m| m.kind);
        assert_eq!(wheel, Some(MouseKind::WheelDown));
        for ignored in [
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Drag(MouseButton::Left),
            MouseEventKind::Moved,
        ] {
            assert_eq!(mouse_from_crossterm(at(ignored)), None, "{ignored:?}");
        }
    }

    #[test]
    fn ctrl_z_is_the_suspend_key_and_z_is_not() {
        assert!(is_suspend(&KeyEvent::new(
            Ct::Char('z'),
            KeyModifiers::CONTROL
        )));
        assert!(!is_suspend(&KeyEvent::new(
            Ct::Char('z'),
            KeyModifiers::NONE
        )));
        assert!(!is_suspend(&KeyEvent::new(
            Ct::Char('c'),
            KeyModifiers::CONTROL
        )));
    }
}
