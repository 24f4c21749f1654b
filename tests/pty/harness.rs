//! Runs the real wavetop binary in a pseudo-terminal and reads its screen
//! through a terminal emulator, the way a person would see it.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const DOWN: &str = "\x1b[B";
pub const RIGHT: &str = "\x1b[C";
pub const LEFT: &str = "\x1b[D";
pub const HOME: &str = "\x1b[H";
pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";

/// How long an operator waits after a dialog closed before the next
/// command: characters typed sooner are kept off the grid.
const AFTER_DIALOG: Duration =
    Duration::from_millis(wavetop::core::key_guard::KEY_GUARD.as_millis() as u64 + 200);

/// Where `needle` last occurs in `haystack` (bytes a program wrote), if
/// anywhere.
pub fn last_index(haystack: &[u8], needle: impl AsRef<[u8]>) -> Option<usize> {
    let needle = needle.as_ref();
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Whether `needle` occurs in `haystack` (bytes a program wrote).
pub fn contains(haystack: &[u8], needle: impl AsRef<[u8]>) -> bool {
    last_index(haystack, needle).is_some()
}

pub struct Tui {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal, as written.
    output: Arc<Mutex<Vec<u8>>>,
}

impl Tui {
    pub fn spawn(args: &[&str], envs: &[(&str, &str)], rows: u16, cols: u16) -> Tui {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_wavetop"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        Tui::spawn_command(cmd, rows, cols)
    }

    /// Starts a command built by the caller (e.g. with a cleared environment).
    pub fn spawn_command(cmd: CommandBuilder, rows: u16, cols: u16) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pty.slave.spawn_command(cmd).expect("spawn wavetop");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let feed = parser.clone();
        let output = Arc::new(Mutex::new(Vec::new()));
        let record = output.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                record.lock().unwrap().extend_from_slice(&buf[..n]);
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui {
            master: pty.master,
            writer,
            child,
            parser,
            output,
        }
    }

    pub fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// (cells drawn with a colour, cells drawn in reverse video) on screen.
    pub fn colour_and_inverse_cells(&self) -> (usize, usize) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let mut coloured = 0;
        let mut inverse = 0;
        for r in 0..rows {
            for c in 0..cols {
                if let Some(cell) = screen.cell(r, c) {
                    if cell.fgcolor() != vt100::Color::Default
                        || cell.bgcolor() != vt100::Color::Default
                    {
                        coloured += 1;
                    }
                    if cell.inverse() {
                        inverse += 1;
                    }
                }
            }
        }
        (coloured, inverse)
    }

    /// The text of every row that has a cell in reverse video: the
    /// selection bars.
    pub fn inverse_rows(&self) -> Vec<String> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows)
            .filter(|&r| (0..cols).any(|c| screen.cell(r, c).is_some_and(|cell| cell.inverse())))
            .map(|r| screen.contents_between(r, 0, r, cols))
            .collect()
    }

    /// Every byte written to the terminal so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// Resizes the terminal as a window manager would: the emulator's screen,
    /// then the pty, which sends the program SIGWINCH.
    pub fn resize(&self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.resize_pty(rows, cols);
    }

    /// Resizes the pty only (the program sees the new size; the emulator
    /// keeps its screen, which is fine as long as it is the larger one).
    /// vt100 cannot take a wide character on a one-column screen, so sizes
    /// that small are tried this way.
    pub fn resize_pty(&self, rows: u16, cols: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the terminal is asked to report the mouse, and in SGR form.
    pub fn mouse_reported(&self) -> (bool, bool) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        (
            screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
            screen.mouse_protocol_encoding() == vt100::MouseProtocolEncoding::Sgr,
        )
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Waits until the screen shows `needle`; panics with the screen if it never does.
    pub fn wait_for(&self, needle: &str, timeout: Duration) {
        let start = Instant::now();
        loop {
            let text = self.screen_text();
            if text.contains(needle) {
                return;
            }
            if start.elapsed() > timeout {
                panic!("screen never showed {needle:?} within {timeout:?}; screen was:\n{text}");
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// `:pipeline NAME`, then the cursor to (row, column) of its grid with arrow keys.
    pub fn go(&mut self, flow: &str, row: usize, col: usize, timeout: Duration) {
        self.send(":");
        self.send(&format!("pipeline {flow}"));
        self.send(ENTER);
        self.wait_for(&format!("◆ {flow}"), timeout);
        self.send(HOME);
        for _ in 0..row {
            self.send(DOWN);
        }
        for _ in 0..8 {
            self.send(LEFT);
        }
        for _ in 0..col {
            self.send(RIGHT);
        }
        thread::sleep(Duration::from_millis(200));
    }

    /// Opens the action's dialog with `key`, fills what it asks for (the
    /// comment, then the name to type), moves onto Confirm and presses
    /// Enter, and waits until the console reports `{done}: done`.
    pub fn act(
        &mut self,
        key: &str,
        comment: Option<&str>,
        typed: Option<&str>,
        done: &str,
        timeout: Duration,
    ) {
        self.send(key);
        self.wait_for("[ Cancel ]", timeout);
        if let Some(text) = comment {
            self.send(text);
            self.send(TAB);
        }
        if let Some(name) = typed {
            self.send(name);
            self.send(TAB);
        }
        self.send(RIGHT);
        self.send(ENTER);
        self.closed_and_done(&format!("{done}: done"), timeout);
    }

    /// Waits for the dialog to close and the console to report `done`, then as
    /// long as an operator pauses before the next command. The same target's
    /// earlier "done" may still be on screen: only a closed dialog tells that
    /// this confirmation was read.
    pub fn closed_and_done(&self, done: &str, timeout: Duration) {
        self.wait_gone("[ Cancel ]", timeout);
        self.wait_for(done, timeout);
        thread::sleep(AFTER_DIALOG);
    }

    /// Waits until the screen no longer shows `needle`; panics with the screen if it still does.
    pub fn wait_gone(&self, needle: &str, timeout: Duration) {
        let start = Instant::now();
        while self.screen_text().contains(needle) {
            if start.elapsed() > timeout {
                panic!(
                    "screen still showed {needle:?} after {timeout:?}; screen was:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the pty is in raw mode (canonical input and echo off).
    pub fn raw_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("pty fd");
        // SAFETY: tcgetattr only writes into the termios value we own.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(fd, &mut t), 0, "tcgetattr");
            t.c_lflag & (libc::ICANON | libc::ECHO) == 0
        }
    }

    /// Waits until `done` holds; panics naming `what`, with the screen, if it never does.
    pub fn wait_until(&self, what: &str, timeout: Duration, done: impl Fn(&Tui) -> bool) {
        let start = Instant::now();
        while !done(self) {
            if start.elapsed() > timeout {
                panic!(
                    "{what}: not within {timeout:?}; screen was:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The process state letter from /proc (`T`: stopped, `S`: sleeping, `R`: running).
    pub fn process_state(&self) -> char {
        let pid = self.child.process_id().expect("pid");
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc stat");
        // The state follows the command name, which is in parentheses.
        let after_name = &stat[stat.rfind(')').expect("stat has a command name") + 1..];
        after_name
            .trim_start()
            .chars()
            .next()
            .expect("a state letter")
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader thread drain the last bytes.
                thread::sleep(Duration::from_millis(200));
                return status;
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!(
                    "wavetop did not exit within {timeout:?}; screen:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn signal(&self, sig: libc::c_int) {
        let pid = self.child.process_id().expect("pid") as libc::pid_t;
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    }
}

/// A test that fails part-way must not leave its console running.
impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
