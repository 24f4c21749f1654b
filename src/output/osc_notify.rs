//! A notification as the bytes the terminal is sent: the bell, and a desktop
//! notification as OSC 9 (`ESC ] 9 ; text BEL`) or OSC 777
//! (`ESC ] 777 ; notify ; title ; body BEL`).
//!
//! The text comes from AWS names, so nothing in it may end the sequence
//! early or start another: every unsafe character (see
//! [`sanitize::is_unsafe`], which covers ESC, BEL and the C1 string
//! terminators) and every line break becomes a space, and OSC 777's `;`,
//! which separates its fields, becomes `,`. Inside tmux the OSC goes
//! through tmux's passthrough (`ESC P tmux ; … ESC \`, each ESC doubled),
//! which tmux 3.3 and later forward only with `allow-passthrough on`; the
//! bell needs no wrapping, tmux passes it on by itself.

use std::io::{self, Write};

use super::sanitize;
use crate::core::notify::{Desktop, Notification};

/// The most characters of a title or body sent: a notification is a
/// glance, and some terminals drop a long OSC whole.
const MAX_CHARS: usize = 200;

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;

/// The bytes that ring and notify for `notification`; `in_tmux` wraps the
/// OSC for tmux's passthrough.
pub fn encode(notification: &Notification, in_tmux: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if notification.bell {
        out.push(BEL);
    }
    let osc = match notification.desktop {
        Desktop::Off => return out,
        Desktop::Osc9 => {
            let text = format!("{}: {}", notification.title, notification.body);
            format!("\x1b]9;{}\x07", clean(&text, false))
        }
        Desktop::Osc777 => format!(
            "\x1b]777;notify;{};{}\x07",
            clean(&notification.title, true),
            clean(&notification.body, true)
        ),
    };
    if in_tmux {
        out.extend_from_slice(b"\x1bPtmux;");
        for byte in osc.bytes() {
            if byte == ESC {
                out.push(ESC);
            }
            out.push(byte);
        }
        out.extend_from_slice(b"\x1b\\");
    } else {
        out.extend_from_slice(osc.as_bytes());
    }
    out
}

/// Writes `notification` to the terminal and flushes it.
pub fn write(out: &mut impl Write, notification: &Notification, in_tmux: bool) -> io::Result<()> {
    out.write_all(&encode(notification, in_tmux))?;
    out.flush()
}

/// Whether this process runs inside tmux (which sets `TMUX` in its panes).
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// `text` with nothing that acts on the terminal, at most [`MAX_CHARS`]
/// long; `fields` also replaces OSC 777's separator.
fn clean(text: &str, fields: bool) -> String {
    text.chars()
        .take(MAX_CHARS)
        .map(|c| match c {
            c if sanitize::is_unsafe(c) || c == '\n' || c == '\t' => ' ',
            ';' if fields => ',',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::notify::NotifyKind;

    fn notification(desktop: Desktop, bell: bool) -> Notification {
        Notification {
            flow: "checkout".into(),
            kind: NotifyKind::GateWaiting,
            title: "wavetop: checkout".into(),
            body: "gate waiting: Europe eu-west-1".into(),
            bell,
            desktop,
        }
    }

    #[test]
    fn osc9_sends_title_and_body_as_one_text_after_the_bell() {
        assert_eq!(
            encode(&notification(Desktop::Osc9, true), false),
            b"\x07\x1b]9;wavetop: checkout: gate waiting: Europe eu-west-1\x07"
        );
    }

    #[test]
    fn osc777_sends_title_and_body_as_fields() {
        assert_eq!(
            encode(&notification(Desktop::Osc777, false), false),
            b"\x1b]777;notify;wavetop: checkout;gate waiting: Europe eu-west-1\x07"
        );
    }

    #[test]
    fn the_bell_alone_or_nothing() {
        assert_eq!(encode(&notification(Desktop::Off, true), false), b"\x07");
        assert!(encode(&notification(Desktop::Off, false), false).is_empty());
    }

    #[test]
    fn text_cannot_end_the_sequence_or_add_a_field() {
        let mut hostile = notification(Desktop::Osc777, false);
        hostile.title = "a;b\x07c\x1b]0;owned\u{9c}".into();
        hostile.body = "x\ny;z".into();
        let bytes = encode(&hostile, false);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\x1b]777;notify;a,b c ]0,owned ;x y,z\x07"
        );
    }

    #[test]
    fn long_text_is_cut() {
        let mut long = notification(Desktop::Osc9, false);
        long.body = "x".repeat(10_000);
        assert!(encode(&long, false).len() < 2 * MAX_CHARS + 16);
    }

    #[test]
    fn inside_tmux_the_osc_goes_through_passthrough_with_escapes_doubled() {
        assert_eq!(
            encode(&notification(Desktop::Osc9, true), true),
            b"\x07\x1bPtmux;\x1b\x1b]9;wavetop: checkout: gate waiting: Europe eu-west-1\x07\x1b\\"
        );
    }
}
