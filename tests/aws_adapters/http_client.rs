//! Every service client of a pool shares one HTTP client: however many
//! services and regions a fleet spans, one TLS connector is built.

use wavetop::source::aws::clients::{Account, ClientPool, DEFAULT_ACCOUNT, FixedIdentity};

fn pool() -> ClientPool {
    let account = Account {
        name: DEFAULT_ACCOUNT.to_string(),
        profile: None,
        home_regions: vec!["us-east-1".to_string()],
    };
    // An https endpoint nothing listens on: each request fails at once.
    ClientPool::from_chain(vec![account], Some("https://127.0.0.1:9".to_string()))
        .with_fixed_identity(FixedIdentity {
            credentials: aws_sdk_sts::config::Credentials::new(
                "AKID", "secret", None, None, "test",
            ),
            region: "us-east-1".to_string(),
        })
}

#[tokio::test]
async fn clients_of_every_service_and_region_share_one_tls_connector() {
    let pool = pool();
    let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"];
    // A connector is built when a client first sends, so each one sends.
    for region in regions {
        let cfn = pool.cloudformation(DEFAULT_ACCOUNT, region).await.unwrap();
        assert!(cfn.describe_stacks().send().await.is_err());
        let cp = pool.codepipeline(DEFAULT_ACCOUNT, region).await.unwrap();
        assert!(cp.list_pipelines().send().await.is_err());
        let cw = pool.cloudwatch(DEFAULT_ACCOUNT, region).await.unwrap();
        assert!(cw.describe_alarms().send().await.is_err());
    }
    let r53 = pool.route53(DEFAULT_ACCOUNT, "us-east-1").await.unwrap();
    assert!(r53.list_health_checks().send().await.is_err());
    let sts = pool.sts(DEFAULT_ACCOUNT, "us-east-1").await.unwrap();
    assert!(sts.get_caller_identity().send().await.is_err());
    assert_eq!(pool.client_count(), 3 * regions.len() + 2);
    assert_eq!(
        pool.connectors_built(),
        1,
        "one connector for all {} clients",
        pool.client_count()
    );
}
