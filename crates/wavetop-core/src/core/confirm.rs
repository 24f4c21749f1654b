//! The confirmation dialog every operator action goes through. Cancel is the
//! default; Enter in a text field never confirms; dangerous intents need the
//! region or wave name typed. Only Esc, ctrl-c and Enter on Cancel close it
//! without confirming: a character typed on the buttons goes back into the
//! text field it came from, so a stray Enter mid-comment loses nothing.

use super::intent::{CommentRule, Intent};
use super::key::{Key, KeyCode};
use crate::domain::verdict::{Call, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Comment,
    Typed,
    Buttons,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirmation {
    pub intent: Intent,
    /// Lines of warning shown above the buttons (replication lag, forced drains).
    pub warnings: Vec<String>,
    pub comment: String,
    pub typed: String,
    pub focus: Focus,
    /// The text field that last had focus: a character typed while the
    /// buttons have focus goes back there. None when there is no text field.
    pub last_field: Option<Focus>,
    /// False while Cancel is selected (the default).
    pub confirm_selected: bool,
    /// Why the last confirm attempt was refused, shown in the dialog.
    pub problem: Option<String>,
    /// The promotion verdict on the gate, shown at the top of an approval.
    pub verdict: Option<Verdict>,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum DialogOutcome {
    Open,
    Cancelled,
    Confirmed,
}

impl Confirmation {
    pub fn new(intent: Intent, warnings: Vec<String>) -> Self {
        let focus = if intent.comment_rule() != CommentRule::None {
            Focus::Comment
        } else if intent.typed_confirmation().is_some() {
            Focus::Typed
        } else {
            Focus::Buttons
        };
        let last_field = (focus != Focus::Buttons).then_some(focus);
        Self {
            intent,
            warnings,
            comment: String::new(),
            typed: String::new(),
            focus,
            last_field,
            confirm_selected: false,
            problem: None,
            verdict: None,
        }
    }

    /// The dialog showing the gate's verdict. Approving on NO-GO is an
    /// override: it needs the region typed and a reason, as dangerous
    /// actions do.
    pub fn with_verdict(mut self, verdict: Verdict) -> Self {
        self.verdict = Some(verdict);
        self
    }

    /// True when confirming approves a gate against a NO-GO verdict.
    pub fn overrides_no_go(&self) -> bool {
        // An approval at the window is judged again when the window opens
        // and never sent on NO-GO (see `update`): nothing to override now.
        matches!(self.intent, Intent::Approve { .. })
            && self.verdict.as_ref().is_some_and(|v| v.call == Call::NoGo)
    }

    /// The name to type before confirming, if any.
    pub fn typed_name(&self) -> Option<String> {
        self.intent
            .typed_confirmation()
            .or_else(|| match &self.intent {
                Intent::Approve { region, .. } if self.overrides_no_go() => Some(region.clone()),
                _ => None,
            })
    }

    /// The text field's rule: an override's reason is required.
    pub fn comment_rule(&self) -> CommentRule {
        match self.overrides_no_go() {
            true => CommentRule::Required("reason for the override (required)"),
            false => self.intent.comment_rule(),
        }
    }

    /// The comment the calls carry: an override says it is one.
    pub fn call_comment(&self) -> String {
        match self.overrides_no_go() {
            true => format!("NO-GO override: {}", self.comment.trim()),
            false => self.comment.clone(),
        }
    }

    pub fn is_dangerous(&self) -> bool {
        self.typed_name().is_some()
    }

    fn fields(&self) -> Vec<Focus> {
        let mut f = Vec::new();
        if self.comment_rule() != CommentRule::None {
            f.push(Focus::Comment);
        }
        if self.typed_name().is_some() {
            f.push(Focus::Typed);
        }
        f.push(Focus::Buttons);
        f
    }

    fn move_focus(&mut self, forward: bool) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1) % fields.len()
        } else {
            (at + fields.len() - 1) % fields.len()
        };
        self.focus = fields.get(next).copied().unwrap_or(self.focus);
        if self.focus != Focus::Buttons {
            self.last_field = Some(self.focus);
        }
    }

    /// Why confirming is not possible yet, if it is not.
    pub fn blocker(&self) -> Option<String> {
        if let CommentRule::Required(label) = self.comment_rule()
            && self.comment.trim().is_empty()
        {
            return Some(format!(
                "a {label} is needed",
                label = label.trim_end_matches(" (required)")
            ));
        }
        if let Some(name) = self.typed_name()
            && self.typed != name
        {
            return Some(format!("type {name} to confirm"));
        }
        None
    }

    pub fn handle_key(&mut self, key: Key) -> DialogOutcome {
        if key.cancels_dialog() {
            return DialogOutcome::Cancelled;
        }
        match key.code {
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            _ => match self.focus {
                Focus::Comment | Focus::Typed => self.edit_text(key),
                Focus::Buttons => return self.on_buttons(key),
            },
        }
        DialogOutcome::Open
    }

    fn edit_text(&mut self, key: Key) {
        let field = match self.focus {
            Focus::Comment => &mut self.comment,
            _ => &mut self.typed,
        };
        match key.code {
            KeyCode::Backspace => {
                field.pop();
            }
            // Enter in a text field moves on; it never confirms.
            KeyCode::Enter => self.move_focus(true),
            _ => {
                if let Some(c) = key.printable() {
                    field.push(c);
                }
            }
        }
        self.problem = None;
    }

    fn on_buttons(&mut self, key: Key) -> DialogOutcome {
        match key.code {
            KeyCode::Left | KeyCode::Right => {
                self.confirm_selected = !self.confirm_selected;
            }
            KeyCode::Enter if !self.confirm_selected => return DialogOutcome::Cancelled,
            KeyCode::Enter => match self.blocker() {
                Some(problem) => self.problem = Some(problem),
                None => return DialogOutcome::Confirmed,
            },
            KeyCode::Backspace => self.back_to_field(key),
            _ if key.printable().is_some() => self.back_to_field(key),
            _ => {}
        }
        DialogOutcome::Open
    }

    /// Typing on the buttons: the operator is still writing in the field
    /// they left, so the key goes there. Without a text field it does
    /// nothing; it never cancels.
    fn back_to_field(&mut self, key: Key) {
        if let Some(field) = self.last_field {
            self.focus = field;
            // Back to editing: Cancel is the default again, so the Enter that
            // ends this text cannot confirm a choice made before it.
            self.confirm_selected = false;
            self.edit_text(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain() -> Confirmation {
        Confirmation::new(
            Intent::Drain {
                region: "eu-west-1".into(),
                health_check_ids: vec!["hc".into()],
                force: false,
            },
            vec![],
        )
    }

    fn press(c: &mut Confirmation, keys: &[Key]) -> DialogOutcome {
        let mut last = DialogOutcome::Open;
        for k in keys {
            last = c.handle_key(*k);
        }
        last
    }

    #[test]
    fn enter_alone_cancels_because_cancel_is_the_default() {
        let mut c = Confirmation::new(
            Intent::Release {
                pipeline: "p".into(),
                stage: "s".into(),
                regions: vec!["r".into()],
                schedule: None,
            },
            vec![],
        );
        assert_eq!(c.focus, Focus::Buttons);
        assert_eq!(
            c.handle_key(Key::plain(KeyCode::Enter)),
            DialogOutcome::Cancelled
        );
    }

    #[test]
    fn a_drain_needs_the_region_typed_before_confirm_works() {
        let mut c = drain();
        assert_eq!(c.focus, Focus::Typed);
        // Wrong name, then to the buttons and onto Confirm.
        for ch in "eu-west-2".chars() {
            c.handle_key(Key::char(ch));
        }
        let out = press(
            &mut c,
            &[
                Key::plain(KeyCode::Tab),
                Key::plain(KeyCode::Right),
                Key::plain(KeyCode::Enter),
            ],
        );
        assert_eq!(out, DialogOutcome::Open);
        assert_eq!(c.problem.as_deref(), Some("type eu-west-1 to confirm"));
        // Fix the name.
        c.handle_key(Key::plain(KeyCode::BackTab));
        c.handle_key(Key::plain(KeyCode::Backspace));
        c.handle_key(Key::char('1'));
        let out = press(
            &mut c,
            &[Key::plain(KeyCode::Tab), Key::plain(KeyCode::Enter)],
        );
        assert_eq!(out, DialogOutcome::Confirmed);
    }

    #[test]
    fn enter_in_a_text_field_never_confirms() {
        let mut c = drain();
        for ch in "eu-west-1".chars() {
            c.handle_key(Key::char(ch));
        }
        assert_eq!(
            c.handle_key(Key::plain(KeyCode::Enter)),
            DialogOutcome::Open
        );
        assert_eq!(c.focus, Focus::Buttons);
        assert!(!c.confirm_selected);
    }

    fn approve() -> Confirmation {
        Confirmation::new(
            Intent::Approve {
                pipeline: "p".into(),
                stage: "s".into(),
                action: "a".into(),
                region: "r".into(),
            },
            vec![],
        )
    }

    fn type_text(c: &mut Confirmation, text: &str) -> Vec<DialogOutcome> {
        text.chars().map(|ch| c.handle_key(Key::char(ch))).collect()
    }

    #[test]
    fn a_character_typed_on_the_buttons_goes_back_into_the_comment() {
        let mut c = approve();
        let mut outcomes = type_text(&mut c, "canary");
        outcomes.push(c.handle_key(Key::plain(KeyCode::Enter)));
        assert_eq!(c.focus, Focus::Buttons);
        // `c` and `n` among them: none of them cancels.
        outcomes.extend(type_text(&mut c, " ok, no canary noise"));
        assert!(outcomes.iter().all(|o| *o == DialogOutcome::Open));
        assert_eq!(c.comment, "canary ok, no canary noise");
        assert_eq!(c.focus, Focus::Comment);
    }

    #[test]
    fn backspace_on_the_buttons_edits_the_field_it_came_from() {
        let mut c = drain();
        type_text(&mut c, "eu-west-2");
        c.handle_key(Key::plain(KeyCode::Tab));
        c.handle_key(Key::plain(KeyCode::Backspace));
        type_text(&mut c, "1");
        assert_eq!(c.typed, "eu-west-1");
        assert_eq!(c.focus, Focus::Typed);
    }

    #[test]
    fn typing_again_after_choosing_confirm_makes_cancel_the_default_again() {
        let mut c = approve();
        type_text(&mut c, "canary");
        c.handle_key(Key::plain(KeyCode::Tab));
        c.handle_key(Key::plain(KeyCode::Right));
        assert!(c.confirm_selected);
        type_text(&mut c, " ok");
        assert!(!c.confirm_selected);
        c.handle_key(Key::plain(KeyCode::Enter));
        assert_eq!(
            c.handle_key(Key::plain(KeyCode::Enter)),
            DialogOutcome::Cancelled,
            "the Enter after the text lands on Cancel"
        );
    }

    #[test]
    fn without_a_text_field_characters_do_nothing_and_only_esc_or_ctrl_c_cancel() {
        let release = || {
            Confirmation::new(
                Intent::Release {
                    pipeline: "p".into(),
                    stage: "s".into(),
                    regions: vec!["r".into()],
                    schedule: None,
                },
                vec![],
            )
        };
        let mut c = release();
        c.handle_key(Key::plain(KeyCode::Right));
        for ch in ['c', 'n', 'q', 'h', 'l', 'y', ' '] {
            assert_eq!(c.handle_key(Key::char(ch)), DialogOutcome::Open, "{ch}");
        }
        assert!(c.confirm_selected, "characters leave the choice alone");
        assert_eq!(c.focus, Focus::Buttons);
        assert_eq!(
            c.handle_key(Key::plain(KeyCode::Esc)),
            DialogOutcome::Cancelled
        );
        assert_eq!(
            release().handle_key(Key::ctrl('c')),
            DialogOutcome::Cancelled
        );
    }
}
