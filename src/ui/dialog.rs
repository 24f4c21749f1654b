//! The confirmation dialog: exactly which calls on what, warnings, the
//! comment and typed-name fields, and Cancel selected until moved.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::verdict_lines::verdict_lines;
use crate::config::theme::Theme;
use crate::core::confirm::{Confirmation, Focus};
use crate::core::intent::CommentRule;
use crate::core::model::Model;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    dialog: &Confirmation,
    model: &Model,
    theme: &Theme,
) {
    let danger = dialog.is_dangerous();
    let frame_style = if danger {
        theme.dialog_danger
    } else {
        theme.dialog
    };
    // What will happen, and warnings: wrapped, may be cut if the terminal is small.
    let mut about: Vec<Line> = Vec::new();
    // The verdict first: the evidence the operator approves on.
    if let Some(verdict) = &dialog.verdict {
        for line in verdict_lines(verdict, theme) {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(line.spans);
            about.push(Line::from(spans));
        }
        if dialog.overrides_no_go() {
            about.push(Line::from(Span::styled(
                " Approving on NO-GO is an override: give the reason and type the region.",
                theme.status_failed.add_modifier(Modifier::BOLD),
            )));
        }
        about.push(Line::from(""));
    }
    for text in dialog.intent.describe() {
        about.push(Line::from(Span::styled(format!(" {text}"), theme.base)));
    }
    about.push(Line::from(Span::styled(
        format!(
            " as {}",
            model.identity.as_deref().unwrap_or("(identity unknown)")
        ),
        theme.dim,
    )));
    for w in &dialog.warnings {
        about.push(Line::from(Span::styled(
            format!(" ⚠ {w}"),
            theme.status_awaiting_approval.add_modifier(Modifier::BOLD),
        )));
    }
    // Fields and buttons: always shown, at the bottom of the dialog.
    let mut controls: Vec<Line> = vec![Line::from("")];
    match dialog.comment_rule() {
        CommentRule::None => {}
        CommentRule::Optional(label) | CommentRule::Required(label) => {
            controls.push(field_line(
                label,
                &dialog.comment,
                dialog.focus == Focus::Comment,
                theme,
            ));
        }
    }
    if let Some(name) = dialog.typed_name() {
        controls.push(field_line(
            &format!("type {name} to confirm"),
            &dialog.typed,
            dialog.focus == Focus::Typed,
            theme,
        ));
    }
    let on_buttons = dialog.focus == Focus::Buttons;
    let button = |label: &str, selected: bool| {
        let mut style = if selected {
            theme
                .selected
                .add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            theme.dim
        };
        if selected && !on_buttons {
            style = style
                .remove_modifier(Modifier::REVERSED)
                .add_modifier(Modifier::UNDERLINED);
        }
        Span::styled(format!("[ {label} ]"), style)
    };
    controls.push(Line::from(vec![
        Span::raw("   "),
        button("Cancel", !dialog.confirm_selected),
        Span::raw("   "),
        button(
            if danger { "CONFIRM" } else { "Confirm" },
            dialog.confirm_selected,
        ),
        // Typed characters never close the dialog: say what does.
        Span::styled("  tab · ←→ · enter · esc cancels", theme.dim),
    ]));
    if let Some(problem) = &dialog.problem {
        controls.push(Line::from(Span::styled(
            format!(" ✖ {problem}"),
            theme.status_failed.add_modifier(Modifier::BOLD),
        )));
    }

    let width = area.width.saturating_sub(4).min(90);
    let inner_w = width.saturating_sub(2).max(1) as usize;
    let about_h = about
        .iter()
        .map(|l| wrapped_height(&line_text(l), inner_w.saturating_sub(2)))
        .sum::<usize>() as u16;
    let controls_h = controls.len() as u16;
    let height = (about_h + controls_h + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let title = if danger {
        format!(" ⚠ {} ", dialog.intent.title())
    } else {
        format!(" {} ", dialog.intent.title())
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(frame_style)
        .title(Span::styled(
            title,
            frame_style.add_modifier(Modifier::BOLD),
        ))
        .style(theme.dialog);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let controls_area = Rect {
        y: inner.y + inner.height.saturating_sub(controls_h),
        height: controls_h.min(inner.height),
        ..inner
    };
    // One column of margin on each side, so wrapped lines do not touch the border.
    let about_area = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        height: inner.height.saturating_sub(controls_h),
        ..inner
    };
    frame.render_widget(Paragraph::new(about).wrap(Wrap { trim: false }), about_area);
    frame.render_widget(Paragraph::new(controls), controls_area);
}
fn field_line<'a>(label: &str, value: &str, focused: bool, theme: &Theme) -> Line<'a> {
    let cursor = if focused { "█" } else { "" };
    let style = if focused {
        theme.command_line.add_modifier(Modifier::UNDERLINED)
    } else {
        theme.base
    };
    Line::from(vec![
        Span::styled(format!(" {label}: "), theme.dim),
        Span::styled(format!("{value}{cursor}"), style),
    ])
}

fn line_text(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// How many rows `text` takes when wrapped at word boundaries to `width`
/// columns, the way the paragraph will wrap it.
fn wrapped_height(text: &str, width: usize) -> usize {
    if width == 0 {
        return 1;
    }
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let w = unicode_width::UnicodeWidthStr::width(word);
        let needed = if used == 0 { w } else { used + 1 + w };
        if needed <= width {
            used = needed;
        } else if w > width {
            // A word longer than the line is broken across rows.
            rows += (used > 0) as usize + (w - 1) / width;
            used = w % width;
        } else {
            rows += 1;
            used = w;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::wrapped_height;

    #[test]
    fn wrapping_counts_rows_at_word_boundaries() {
        assert_eq!(wrapped_height("short", 10), 1);
        assert_eq!(wrapped_height("aaaa bbbb cccc", 9), 2);
        assert_eq!(wrapped_height("aaaa bbbb cccc", 4), 3);
        assert_eq!(wrapped_height("", 4), 1);
    }
}
