//! `--keymap` chooses the keymap the console runs with.

use super::{WAIT, spawn_demo_sized, tempdir};

#[test]
fn the_keymap_flag_is_the_keymap_in_use() {
    let dir = tempdir("keymap-flag");
    let mut tui = spawn_demo_sized(&dir, &["--keymap", "vim"], 40, 160);
    tui.wait_for("global-api", WAIT);
    // The help screen lists the active keymap: vim's page-down has ctrl-d.
    tui.send("?");
    tui.wait_for("pagedown ctrl-d", WAIT);
    tui.send("q");
}
