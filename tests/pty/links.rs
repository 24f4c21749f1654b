//! Console links through the real binary: the cell detail's OSC 8
//! hyperlinks, `y` copying a URL with OSC 52, `o` starting `$BROWSER`.

use std::time::{Duration, Instant};

use crate::harness::{ENTER, Tui};
use crate::operate::go;
use crate::{WAIT, spawn_demo_with_env, tempdir};

/// search's Europe wave in eu-west-1 (rows Source, Build, Europe, Americas;
/// columns eu-west-1, us-east-1, sa-east-1): a cell with a stack.
fn at_europe(tui: &mut Tui) {
    tui.wait_for("◆ global-api", WAIT);
    go(tui, "search", 2, 0);
}

/// The name of the stack the cell detail links, as it shows it.
fn linked_stack(tui: &Tui) -> String {
    tui.wait_for("↗ stack ", WAIT);
    let screen = tui.screen_text();
    let line = screen
        .lines()
        .find(|l| l.contains("↗ stack "))
        .expect("a stack link line");
    line.split("↗ stack ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the stack's name")
        .to_string()
}

fn stack_events_url(stack: &str) -> String {
    format!(
        "https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/events?stackId={stack}"
    )
}

fn output_text(tui: &Tui) -> String {
    String::from_utf8_lossy(&tui.output()).into_owned()
}

/// Waits until the program has written `needle` to the terminal.
fn wait_for_output(tui: &Tui, needle: &str) {
    wait_for_output_after(tui, 0, needle);
}

/// Waits for `needle` in what the console wrote past byte `from`: a frame
/// drawn before a key cannot stand for one drawn after it.
fn wait_for_output_after(tui: &Tui, from: usize, needle: &str) {
    let start = Instant::now();
    while !tui
        .output()
        .get(from..)
        .is_some_and(|written| String::from_utf8_lossy(written).contains(needle))
    {
        assert!(
            start.elapsed() < WAIT,
            "the console never wrote {needle:?}; screen:\n{}",
            tui.screen_text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_cell_detail_writes_its_links_as_osc_8_hyperlinks() {
    let dir = tempdir("links-osc8");
    let mut tui = spawn_demo_with_env(&dir, &["--at", "0m"], &[], 48, 160);
    at_europe(&mut tui);
    tui.send(ENTER);
    tui.wait_for("console links", WAIT);
    let stack = linked_stack(&tui);
    let open = format!("\x1b]8;;{}\x1b\\", stack_events_url(&stack));
    wait_for_output(&tui, &open);
    let out = output_text(&tui);
    // Each stretch of text written inside this link, cell by cell with its style.
    let texts: Vec<String> = out
        .split(&open)
        .skip(1)
        .map(|after| strip_csi(&after[..after.find("\x1b]8;;\x1b\\").expect("the link is closed")]))
        .collect();
    // The grid's preview before it linked the stack's name; the detail its line.
    assert!(texts.contains(&format!("↗ stack {stack}")), "{texts:?}");
    // The hyperlink rewrote the same text in place: the screen is unchanged.
    assert!(tui.screen_text().contains(&format!("   ↗ stack {stack}")));
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}

#[test]
fn hyperlinks_can_be_turned_off() {
    let dir = tempdir("links-off");
    let mut tui = spawn_demo_with_env(
        &dir,
        &["--at", "0m"],
        &[("WAVETOP_HYPERLINKS", "off")],
        48,
        160,
    );
    at_europe(&mut tui);
    tui.send(ENTER);
    linked_stack(&tui);
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    assert!(!output_text(&tui).contains("\x1b]8;"), "no OSC 8 written");
}

#[test]
fn y_copies_the_url_with_osc_52() {
    let dir = tempdir("links-osc52");
    let mut tui = spawn_demo_with_env(&dir, &["--at", "0m"], &[], 48, 160);
    at_europe(&mut tui);
    tui.send(ENTER);
    let stack = linked_stack(&tui);
    tui.send("y");
    tui.wait_for(&format!("copied URL of stack {stack}"), WAIT);
    wait_for_output(&tui, "\x1b]52;c;");
    let out = output_text(&tui);
    let payload = out.split("\x1b]52;c;").nth(1).unwrap();
    let payload = &payload[..payload.find('\x07').expect("ended by BEL")];
    assert_eq!(decode_base64(payload), stack_events_url(&stack));
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}

#[test]
fn o_opens_the_url_with_browser_and_the_console_goes_on() {
    let dir = tempdir("links-open");
    let opened = dir.join("opened.txt");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let browser = script.display().to_string();
    let mut tui = spawn_demo_with_env(&dir, &["--at", "0m"], &[("BROWSER", &browser)], 48, 160);
    at_europe(&mut tui);
    tui.send(ENTER);
    let stack = linked_stack(&tui);
    tui.send("o");
    tui.wait_for(&format!("opening stack {stack} in the browser"), WAIT);
    let start = Instant::now();
    while std::fs::read_to_string(&opened)
        .unwrap_or_default()
        .is_empty()
    {
        assert!(start.elapsed() < WAIT, "the browser was never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap(),
        stack_events_url(&stack)
    );
    // Still answering keys.
    tui.send("?");
    tui.wait_for("keys from the active keymap", WAIT);
    tui.send("q");
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}

/// Text with its CSI sequences (styles) removed.
fn strip_csi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Standard base64, decoded independently of the console's encoder.
fn decode_base64(text: &str) -> String {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            other => panic!("not base64: {other}"),
        }
    };
    let mut bytes = Vec::new();
    for quad in text.as_bytes().chunks(4) {
        let data: Vec<u8> = quad.iter().copied().filter(|&c| c != b'=').collect();
        let n = data
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | (value(c) << (18 - 6 * i)));
        bytes.extend(n.to_be_bytes()[1..data.len()].iter());
    }
    String::from_utf8(bytes).unwrap()
}

#[test]
fn the_executions_view_links_the_selected_execution_id() {
    let dir = tempdir("links-executions");
    let mut tui = spawn_demo_with_env(&dir, &["--at", "0m"], &[], 48, 160);
    at_europe(&mut tui);
    // The grid's cell detail links executions too: only what is written
    // after the key counts.
    let before = tui.output().len();
    tui.send("5");
    tui.wait_for("started (UTC)", WAIT);
    let prefix = "\x1b]8;;https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/search/executions/";
    wait_for_output_after(&tui, before, prefix);
    let out = output_text(&tui);
    let after = &out[out.rfind(prefix).unwrap() + prefix.len()..];
    let id = &after[..after.find('/').unwrap()];
    let open_end = after.find("\x1b\\").unwrap() + 2;
    let close = after.find("\x1b]8;;\x1b\\").unwrap();
    // The link's text is the id as the row shows it: its first 8 characters.
    assert_eq!(strip_csi(&after[open_end..close]), id[..8]);
    assert!(tui.screen_text().contains(&id[..8]));
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}
