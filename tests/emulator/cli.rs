//! The aws CLI and a throwaway home for running the real binary against the emulator.

use super::*;

/// The aws CLI that `scripts/emulator.sh` installs beside moto; fails the
/// test when it cannot be found.
pub(crate) fn aws_cli() -> PathBuf {
    let exported = std::env::var_os("WAVETOP_AWS_CLI").map(PathBuf::from);
    let in_venv = std::env::var_os("WAVETOP_VENV")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/wavetop/venv")))
        .map(|venv| venv.join("bin").join("aws"));
    exported
        .into_iter()
        .chain(in_venv)
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no aws CLI (WAVETOP_AWS_CLI is not set): {NOT_SET_UP}"))
}

/// A throwaway home for the binary and the aws CLI: its own config file,
/// XDG directories (the audit log lands here) and dummy credentials only,
/// so nothing from the developer's own AWS setup can leak in.
pub(crate) struct Sandbox {
    pub(crate) root: PathBuf,
}

impl Sandbox {
    pub(crate) fn new(tag: &str) -> Sandbox {
        let root = std::env::temp_dir().join(format!("wavetop-e2e-{tag}"));
        for dir in ["home", "config", "state", "cache"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        Sandbox { root }
    }

    pub(crate) fn config(&self, text: &str) -> PathBuf {
        let path = self.root.join("config.toml");
        fs::write(&path, text).unwrap();
        path
    }

    /// Where the binary's default audit log path resolves in this sandbox.
    pub(crate) fn audit_log(&self) -> PathBuf {
        self.root.join("state").join("wavetop").join("audit.jsonl")
    }

    /// The whole environment a process started in this sandbox gets: no
    /// AWS_PROFILE, no real config or credential files.
    pub(crate) fn environment(&self) -> Vec<(&'static str, OsString)> {
        let home = self.root.join("home");
        vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", home.clone().into()),
            ("XDG_CONFIG_HOME", self.root.join("config").into()),
            ("XDG_STATE_HOME", self.root.join("state").into()),
            ("XDG_CACHE_HOME", self.root.join("cache").into()),
            ("AWS_CONFIG_FILE", home.join("aws-config").into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                home.join("aws-credentials").into(),
            ),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_SESSION_TOKEN", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("NO_COLOR", "1".into()),
        ]
    }

    pub(crate) fn isolate<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.env_clear().envs(self.environment())
    }

    /// Runs the built wavetop against the emulator with `--config`.
    pub(crate) fn wavetop(&self, url: &str, config: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wavetop"));
        self.isolate(&mut cmd)
            .args(args)
            .arg("--endpoint-url")
            .arg(url)
            .arg("--config")
            .arg(config);
        cmd.output().expect("run wavetop")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

pub(crate) fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The aws CLI pointed at the emulator, answering JSON.
pub(crate) struct AwsCli<'a> {
    pub(crate) exe: PathBuf,
    pub(crate) url: String,
    pub(crate) sandbox: &'a Sandbox,
}

impl<'a> AwsCli<'a> {
    /// The pinned aws CLI, against the emulator at `url`, run in `sandbox`.
    pub(crate) fn new(url: impl Into<String>, sandbox: &'a Sandbox) -> AwsCli<'a> {
        AwsCli {
            exe: aws_cli(),
            url: url.into(),
            sandbox,
        }
    }

    pub(crate) fn run(&self, region: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.exe);
        self.sandbox
            .isolate(&mut cmd)
            .arg("--endpoint-url")
            .arg(&self.url)
            .args(["--region", region, "--output", "json"])
            .args(args);
        cmd.output().expect("run the aws CLI")
    }

    pub(crate) fn call(&self, region: &str, args: &[&str]) -> Value {
        let out = self.run(region, args);
        assert!(
            out.status.success(),
            "aws {}: {}",
            args.join(" "),
            describe(&out)
        );
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&out.stdout).expect("the aws CLI answers JSON")
        }
    }

    /// A 5xx metric alarm named `name` in each of `regions`, then set to
    /// ALARM in `firing` with `SetAlarmState`.
    pub(crate) fn alarm_firing_in(&self, name: &str, regions: &[&str], firing: &str) {
        for region in regions {
            self.call(
                region,
                &[
                    "cloudwatch",
                    "put-metric-alarm",
                    "--alarm-name",
                    name,
                    "--namespace",
                    "AWS/ApplicationELB",
                    "--metric-name",
                    "HTTPCode_Target_5XX_Count",
                    "--statistic",
                    "Sum",
                    "--period",
                    "60",
                    "--evaluation-periods",
                    "1",
                    "--threshold",
                    "5",
                    "--comparison-operator",
                    "GreaterThanThreshold",
                ],
            );
        }
        self.call(
            firing,
            &[
                "cloudwatch",
                "set-alarm-state",
                "--alarm-name",
                name,
                "--state-value",
                "ALARM",
                "--state-reason",
                "5xx over 5 for a minute",
            ],
        );
    }

    /// Whether the aws CLI's call fails (e.g. the resource does not exist).
    pub(crate) fn refuses(&self, region: &str, args: &[&str]) -> bool {
        !self.run(region, args).status.success()
    }

    /// One `HealthCheckStatus` point of `value` for each check, a minute
    /// old, as Route53's are (moto leaves out points from the very second a
    /// query ends in), and none after it.
    pub(crate) fn put_health_status(&self, ids: &[&str], value: f64) {
        let a_minute_ago =
            (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1)).to_string();
        for id in ids {
            self.call(
                "us-east-1",
                &[
                    "cloudwatch",
                    "put-metric-data",
                    "--namespace",
                    "AWS/Route53",
                    "--metric-name",
                    "HealthCheckStatus",
                    "--dimensions",
                    &format!("HealthCheckId={id}"),
                    "--value",
                    &value.to_string(),
                    "--timestamp",
                    &a_minute_ago,
                ],
            );
        }
    }

    pub(crate) fn health_check_config(&self, id: &str) -> Value {
        self.call(
            "us-east-1",
            &["route53", "get-health-check", "--health-check-id", id],
        )["HealthCheck"]["HealthCheckConfig"]
            .clone()
    }
}

pub(crate) fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

pub(crate) fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A flag the aws CLI leaves out when it is false.
pub(crate) fn flag(v: &Value) -> bool {
    v.as_bool().unwrap_or(false)
}

pub(crate) fn instant(v: &Value) -> jiff::Timestamp {
    text(v)
        .parse()
        .unwrap_or_else(|e| panic!("{v} is not a timestamp: {e}"))
}

pub(crate) const TWO_TOPICS: &str =
    r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"},"Audit":{"Type":"AWS::SNS::Topic"}}}"#;

/// An update after the creation, so the stack has more than one operation's events.
pub(crate) async fn update_stack(url: &str, region: &str, name: &str) {
    let cfn = aws_sdk_cloudformation::Client::new(&sdk(url, region).await);
    cfn.update_stack()
        .stack_name(name)
        .template_body(TWO_TOPICS)
        .send()
        .await
        .expect("UpdateStack");
}

/// The JSON of a `snapshot --json` run against the emulator, which may be
/// partial (exit 3) only for the calls moto lacks: each error must name one
/// of `gaps` (e.g. `codepipeline:GetPipelineState`), or come from a source
/// named in `gaps` as `source:NAME` (a source the test does not look at,
/// such as `source:health`, which every test of the tier loads with checks
/// and which may then take longer than its limit), nothing else may fail.
pub(crate) fn snapshot_within_gaps(out: &Output, gaps: &[&str]) -> Value {
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        describe(out)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("snapshot JSON");
    for error in items(&doc["errors"]) {
        let call = error["call"].as_str().unwrap_or_default();
        let source = format!("source:{}", error["source"].as_str().unwrap_or_default());
        assert!(
            gaps.contains(&call) || gaps.contains(&source.as_str()),
            "an error beyond what the emulator lacks: {error}"
        );
    }
    doc
}
