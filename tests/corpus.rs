//! The bad-input corpus (`tests/corpus/`, described in its README): the
//! real binary over every case, with HOME and the XDG directories in a
//! directory of its own. Each case must exit with its status and print its
//! first line, never panic, and never send a raw control character to the
//! terminal on either stream.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde::Deserialize;

#[path = "support/binary.rs"]
#[allow(dead_code)] // the shared helpers this test does not need
mod binary;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// A file under `files/`, checked with `config check`.
    file: Option<String>,
    /// Config text written to `config.toml` in the case's directory.
    content: Option<String>,
    /// A path outside the corpus (a device), checked with `config check`.
    path: Option<String>,
    /// A fifo made in the case's directory, checked with `config check`.
    #[serde(default)]
    fifo: bool,
    /// Arguments given as they are.
    args: Option<Vec<String>>,
    /// `{fill}` in `content` or `args` stands for `fill` repeated `times`.
    fill: Option<String>,
    #[serde(default)]
    times: usize,
    exit: i32,
    /// The first line of standard error (or of standard output when the
    /// case succeeds); `{files}` is the corpus files directory, `{dir}` the
    /// case's own directory.
    first_line: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn cases() -> Vec<Case> {
    let path = corpus_dir().join("cases.toml");
    let text = fs::read_to_string(&path).expect("cases.toml");
    toml::from_str::<Manifest>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .case
}

impl Case {
    fn filled(&self, text: &str) -> String {
        let text = text.replace("{files}", &corpus_dir().join("files").display().to_string());
        match &self.fill {
            Some(fill) => text.replace("{fill}", &fill.repeat(self.times)),
            None => text,
        }
    }

    /// The arguments to run, preparing the case's directory as it needs.
    fn args(&self, dir: &Path) -> Vec<String> {
        let check = |target: &Path| {
            vec![
                "config".to_string(),
                "check".to_string(),
                target.display().to_string(),
            ]
        };
        if let Some(file) = &self.file {
            return check(&corpus_dir().join("files").join(file));
        }
        if let Some(content) = &self.content {
            let target = dir.join("config.toml");
            fs::write(&target, self.filled(content)).expect("write config");
            return check(&target);
        }
        if let Some(path) = &self.path {
            return check(Path::new(path));
        }
        if self.fifo {
            let target = dir.join("fifo.toml");
            let c_path = std::ffi::CString::new(target.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
            assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
            return check(&target);
        }
        let args = self
            .args
            .as_ref()
            .unwrap_or_else(|| panic!("{}: nothing to run", self.name));
        args.iter().map(|a| self.filled(a)).collect()
    }
}

/// The first control character (C0 but `\n` and `\t`, DEL, C1) in `bytes`.
fn raw_control(bytes: &[u8]) -> Option<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
}

fn run(case: &Case) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!(
        "wavetop-corpus-{}-{}",
        std::process::id(),
        case.name
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let args = case.args(&dir);
    let output: Output =
        binary::wavetop_in(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>())
            .env_remove("AWS_CONFIG_FILE")
            .env_remove("AWS_SHARED_CREDENTIALS_FILE")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("WAVETOP_PROFILE")
            .output()
            .map_err(|e| e.to_string())?;
    let _ = fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let code = output.status.code();
    let mut problems = Vec::new();
    if code == Some(101) || stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    if code != Some(case.exit) {
        problems.push(format!("exit {code:?}, expected {}", case.exit));
    }
    let shown = if case.exit == 0 { &stdout } else { &stderr };
    let expected = case
        .first_line
        .replace("{files}", &corpus_dir().join("files").display().to_string())
        .replace("{dir}", &dir.display().to_string());
    let first = shown.lines().next().unwrap_or_default();
    if first != expected {
        problems.push(format!(
            "first line\n    {first:?}\n  expected\n    {expected:?}"
        ));
    }
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if let Some(c) = raw_control(bytes) {
            problems.push(format!("raw {c:?} on {stream}"));
        }
    }
    for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if let Some(line) = text.lines().find(|l| l.chars().count() > 1024) {
            problems.push(format!(
                "a {}-character line on {stream}",
                line.chars().count()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", case.name, problems.join("; ")))
    }
}

#[test]
fn every_bad_input_is_refused_cleanly() {
    let cases = cases();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
    let failures: Vec<String> = cases.iter().filter_map(|c| run(c).err()).collect();
    eprintln!("corpus: {} cases, {} failed", cases.len(), failures.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

const STS_IDENTITY: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/op</Arn><UserId>AIDEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
const HOSTILE_REFUSAL: &str = r#"{"__type":"AccessDeniedException","message":"\u001b]2;PWNED\u0007\u001b[2J\u001b[5mdenied\u009b"}"#;

/// An endpoint that refuses every request with an error whose message holds
/// escape sequences, as a hostile or broken endpoint could.
fn hostile_endpoint() -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            // STS (form-encoded) says who is calling, so discovery goes on to
            // CodePipeline (JSON), whose refusal carries the escapes.
            let (status, kind, answer) = if body.starts_with(b"Action=") {
                ("200 OK", "text/xml", STS_IDENTITY)
            } else {
                (
                    "400 Bad Request",
                    "application/x-amz-json-1.1",
                    HOSTILE_REFUSAL,
                )
            };
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nx-amzn-ErrorType: AccessDeniedException\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = reader.get_mut().write_all(response.as_bytes());
        }
    });
    url
}

#[test]
fn an_aws_error_message_never_reaches_the_terminal_raw() {
    let url = hostile_endpoint();
    // A snapshot, and an operator command, which reads the fleet first.
    for command in [
        &["snapshot"][..],
        &[
            "approve",
            "--pipeline",
            "api",
            "--wave",
            "Deploy",
            "--region",
            "us-east-1",
            "--yes",
        ][..],
    ] {
        let dir = std::env::temp_dir().join(format!(
            "wavetop-corpus-{}-aws-{}",
            std::process::id(),
            command[0]
        ));
        fs::create_dir_all(&dir).expect("dir");
        let mut args = vec!["--endpoint-url", url.as_str(), "--home-region", "us-east-1"];
        args.extend_from_slice(command);
        let output = binary::wavetop_in(&dir, &args)
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("run");
        let _ = fs::remove_dir_all(&dir);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(101), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            assert_eq!(
                raw_control(bytes),
                None,
                "{}: raw control on {stream}",
                command[0]
            );
        }
        let shown = format!("{stdout}{stderr}");
        assert!(
            shown.contains("^[]2;PWNED^G^[[2J^[[5mdenied\\u{9b}"),
            "{}: {shown}",
            command[0]
        );
    }
}
