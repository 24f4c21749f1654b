//! What the frame says of credentials and of the zone times are shown in:
//! the time left when it runs short, the expired marker and its banner, and
//! the region's zone while times are shown in it (`t` toggles).

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::text::fit_spans;
use crate::config::theme::Theme;
use crate::core::action::ActionName;
use crate::core::age::fmt_age;
use crate::core::credentials::time_left;
use crate::core::model::Model;
use crate::core::shown_time::{ShownZone, shown_zone};

/// Header pieces, ranked as `fit_bar` wants them: expired credentials rank
/// with read-only mode (the operator must not miss either), time left with
/// staleness, the zone with the clock.
pub(super) fn header_pieces<'a>(model: &Model, theme: &Theme) -> Vec<(u8, Vec<Span<'a>>)> {
    let sep = || Span::styled(" │ ", theme.dim);
    let mut pieces = Vec::new();
    if let Some(expired) = &model.credentials.expired {
        pieces.push((
            245,
            vec![
                sep(),
                Span::styled(
                    format!("⚠ EXPIRED: {}", expired.who),
                    theme
                        .stale
                        .add_modifier(Modifier::BOLD | Modifier::REVERSED),
                ),
            ],
        ));
    } else if let Some((who, left)) = time_left(model) {
        pieces.push((
            235,
            vec![
                sep(),
                Span::styled(
                    format!("◷ {who}: {} left", fmt_age(left.as_secs())),
                    theme.stale.add_modifier(Modifier::BOLD),
                ),
            ],
        ));
    }
    // UTC is what the header's clock already says; the other zone is named.
    if model.times == ShownZone::Utc {
        return pieces;
    }
    let key = model.bindings.label(ActionName::ToggleTimeZone);
    pieces.push((
        98,
        vec![
            sep(),
            Span::styled(
                format!("times {} [{key}]", shown_zone(model).label),
                theme.header,
            ),
        ],
    ));
    pieces
}

/// The status line while credentials are expired: who, and what renews them.
pub(super) fn banner<'a>(model: &Model, theme: &Theme, width: usize) -> Option<Line<'a>> {
    let expired = model.credentials.expired.as_ref()?;
    Some(fit_spans(
        vec![Span::styled(
            format!(" {}", expired.banner()),
            theme.stale.add_modifier(Modifier::BOLD),
        )],
        width,
    ))
}
