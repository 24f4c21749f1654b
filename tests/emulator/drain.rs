//! Drain and restore through the binary.

use super::*;

/// The audit lines about one health check, in file order.
fn audit_lines_for(path: &Path, health_check_id: &str) -> Vec<Value> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("an audit line is JSON"))
        .collect();
    let ids: BTreeSet<String> = lines
        .iter()
        .filter(|l| l["call"]["health_check_id"] == health_check_id)
        .map(|l| text_of(&l["id"]))
        .collect();
    lines
        .into_iter()
        .filter(|l| ids.contains(&text_of(&l["id"])))
        .collect()
}

fn text_of(v: &Value) -> String {
    text(v).to_string()
}

/// Asserts the lines are before/after pairs setting `Inverted` to each of
/// `flips` in turn, each `after` reporting success.
fn assert_audited(lines: &[Value], flips: &[bool]) {
    assert_eq!(lines.len(), flips.len() * 2, "{lines:#?}");
    for (pair, inverted) in lines.chunks(2).zip(flips) {
        let (before, after) = (&pair[0], &pair[1]);
        assert_eq!(before["phase"], "before", "{pair:#?}");
        assert_eq!(before["api"], "route53:UpdateHealthCheck");
        assert_eq!(before["call"]["inverted"], *inverted);
        assert_eq!(after["phase"], "after");
        assert_eq!(after["id"], before["id"]);
        assert_eq!(after["outcome"], "ok", "{pair:#?}");
    }
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn drain_and_restore_through_the_binary_flip_inverted() {
    let url = emulator();
    let exe = aws_cli();
    let tag = format!("d{}", unique());
    let zone = seed_zone(&url, &tag).await;
    let [use1, euw1] = &zone.api_checks;
    let primary = &zone.primary_check;
    let sandbox = Sandbox::new(&tag);
    // No pipelines live in this home region: the drain reads DNS and health only.
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"sa-east-1\"]\nhosted_zones = [\"{}\"]\n",
        zone.name.trim_end_matches('.')
    ));
    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    let inverted = |id: &str| flag(&cli.health_check_config(id)["Inverted"]);
    let audit = sandbox.audit_log();

    // moto alone: no check has a status, so none may be inverted; the drain
    // is refused before any call, says why, and leaves no audit line.
    let refused = sandbox.wavetop(&url, &config, &["drain", "--region", "us-east-1", "--yes"]);
    assert_eq!(refused.status.code(), Some(2), "{}", describe(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!("health check {use1} has no status yet")),
        "{stderr}"
    );
    assert!(!inverted(use1) && !inverted(primary));
    assert!(audit_lines_for(&audit, use1).is_empty());

    // Every check healthy, as CloudWatch holds it (moto's CloudWatch through
    // the relay).
    cli.put_health_status(&[use1, euw1, primary], 1.0);
    let relay = CborRelay::start(&url);
    let snapshot = sandbox.wavetop(&relay.url, &config, &["snapshot", "--json"]);
    assert!(snapshot.status.success(), "{}", describe(&snapshot));
    let snapshot: Value = serde_json::from_slice(&snapshot.stdout).unwrap();
    for id in [use1, euw1, primary] {
        let check = items(&snapshot["health"]["checks"])
            .iter()
            .find(|c| c["id"] == id.as_str())
            .expect("the seeded check");
        assert_eq!(
            status_points(&cli, id),
            [1.0],
            "{id} as the aws CLI reads it"
        );
        assert_eq!(check["status"], "healthy", "{check}");
    }

    // Without --yes the plan is printed and nothing changes.
    let unconfirmed = sandbox.wavetop(&relay.url, &config, &["drain", "--region", "us-east-1"]);
    assert_eq!(
        unconfirmed.status.code(),
        Some(2),
        "{}",
        describe(&unconfirmed)
    );
    let plan = String::from_utf8_lossy(&unconfirmed.stdout);
    assert!(
        plan.contains(use1.as_str()) && plan.contains(primary.as_str()),
        "{plan}"
    );
    assert!(!plan.contains(euw1.as_str()), "{plan}");
    assert!(!inverted(use1) && !inverted(primary));

    // Drained: us-east-1's latency check and the failover PRIMARY's are
    // inverted (eu-west-1 and the check-less SECONDARY keep serving); eu-west-1's is not.
    let drained = sandbox.wavetop(
        &relay.url,
        &config,
        &["drain", "--region", "us-east-1", "--yes"],
    );
    assert!(drained.status.success(), "{}", describe(&drained));
    assert!(inverted(use1) && inverted(primary));
    assert!(!inverted(euw1));
    for id in [use1, primary] {
        assert!(
            !flag(&cli.health_check_config(id)["Disabled"]),
            "a drain never disables"
        );
    }

    // Restored, with moto alone: a restore needs only the Inverted flags.
    let restored = sandbox.wavetop(
        &url,
        &config,
        &["restore", "--region", "us-east-1", "--yes"],
    );
    assert!(restored.status.success(), "{}", describe(&restored));
    assert!(!inverted(use1) && !inverted(primary) && !inverted(euw1));

    // Each flip framed by a before line (written first) and its after line.
    assert_audited(&audit_lines_for(&audit, use1), &[true, false]);
    assert_audited(&audit_lines_for(&audit, primary), &[true, false]);
    assert!(audit_lines_for(&audit, euw1).is_empty());
}
