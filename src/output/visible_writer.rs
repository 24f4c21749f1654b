//! A writer that shows unsafe characters visibly ([`super::sanitize::visible`])
//! in whatever it is given, however the text is cut into writes: a
//! character split between two writes waits for its other bytes.

use std::io::{self, Write};

use super::sanitize::visible;

pub(super) struct Visible<W: Write> {
    inner: W,
    /// The start of a character whose other bytes have not come yet.
    pending: Vec<u8>,
}

impl<W: Write> Visible<W> {
    pub(super) fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes every whole character held; bytes that can never form one are
    /// written as U+FFFD, the start of a character waits.
    fn pass_on(&mut self) -> io::Result<()> {
        loop {
            let (valid, invalid) = match std::str::from_utf8(&self.pending) {
                Ok(_) => (self.pending.len(), None),
                Err(e) => (e.valid_up_to(), e.error_len()),
            };
            let text: Vec<u8> = self.pending.drain(..valid).collect();
            self.inner
                .write_all(visible(&String::from_utf8_lossy(&text)).as_bytes())?;
            let Some(invalid) = invalid else {
                return Ok(());
            };
            let bad: Vec<u8> = self.pending.drain(..invalid).collect();
            self.inner
                .write_all(String::from_utf8_lossy(&bad).as_bytes())?;
        }
    }
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pass_on()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on()?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(pieces: &[&[u8]]) -> String {
        let mut out = Visible::new(Vec::new());
        for piece in pieces {
            out.write_all(piece).unwrap();
        }
        out.flush().unwrap();
        String::from_utf8(out.inner).unwrap()
    }

    #[test]
    fn controls_are_shown_as_in_one_string_however_the_writes_cut_it() {
        let text = "a\u{1b}]0;pwned\u{7}b \u{9b}c é\u{202e}d\n";
        let whole = visible(text).into_owned();
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let (head, tail) = bytes.split_at(cut);
            assert_eq!(through(&[head, tail]), whole, "cut at byte {cut}");
        }
        let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(through(&one_by_one), whole);
    }

    #[test]
    fn bytes_that_are_no_character_become_replacement_characters() {
        assert_eq!(through(&[b"a\xffb"]), "a\u{fffd}b");
    }
}
