//! Mocked AWS for the adapter tests: every service's configuration gets the
//! same rules (a rule only ever matches its own operation's input), and each
//! rule counts the calls it answered.

use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use wavetop::config::schema::AwsConfig;
use wavetop::source::aws::{AwsBackend, AwsOptions, ServiceConfigs};

pub struct Fake {
    rules: Vec<Rule>,
}

fn interceptor(rules: &[Rule]) -> MockResponseInterceptor {
    rules.iter().fold(
        MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny),
        |i, r| i.with_rule(r),
    )
}

macro_rules! service_config {
    ($krate:ident, $rules:expr, $http:expr) => {
        $krate::Config::builder()
            .behavior_version($krate::config::BehaviorVersion::latest())
            .region($krate::config::Region::new("us-east-1"))
            .credentials_provider($krate::config::Credentials::new(
                "AKIDTEST", "secret", None, None, "test",
            ))
            .retry_config($krate::config::retry::RetryConfig::disabled())
            .http_client($http.clone())
            .interceptor(interceptor($rules))
            .build()
    };
}

impl Fake {
    pub fn new(rules: Vec<Rule>) -> Self {
        Self { rules }
    }

    pub fn configs(&self) -> ServiceConfigs {
        self.configs_over(create_mock_http_client())
    }

    /// The configurations with `http` carrying the requests to the mocks
    /// (e.g. one that counts requests in flight).
    pub fn configs_over(&self, http: SharedHttpClient) -> ServiceConfigs {
        ServiceConfigs {
            codepipeline: service_config!(aws_sdk_codepipeline, &self.rules, http),
            cloudformation: service_config!(aws_sdk_cloudformation, &self.rules, http),
            route53: service_config!(aws_sdk_route53, &self.rules, http),
            cloudwatch: service_config!(aws_sdk_cloudwatch, &self.rules, http),
            dynamodb: service_config!(aws_sdk_dynamodb, &self.rules, http),
            scheduler: service_config!(aws_sdk_scheduler, &self.rules, http),
            sts: service_config!(aws_sdk_sts, &self.rules, http),
        }
    }

    pub fn backend(&self, cfg: AwsConfig, home_regions: &[&str]) -> AwsBackend {
        self.backend_over(create_mock_http_client(), cfg, home_regions)
    }

    pub fn backend_over(
        &self,
        http: SharedHttpClient,
        cfg: AwsConfig,
        home_regions: &[&str],
    ) -> AwsBackend {
        let opts = AwsOptions {
            profile: None,
            endpoint_url: None,
            home_regions: home_regions.iter().map(|r| r.to_string()).collect(),
        };
        AwsBackend::with_service_configs(self.configs_over(http), opts, cfg)
    }

    /// A CloudWatch Logs client answered by the same rules, for the change
    /// stream's reader.
    pub fn logs_client(&self) -> aws_sdk_cloudwatchlogs::Client {
        let http = create_mock_http_client();
        aws_sdk_cloudwatchlogs::Client::from_conf(service_config!(
            aws_sdk_cloudwatchlogs,
            &self.rules,
            http
        ))
    }

    /// Calls answered by every rule together.
    pub fn calls(&self) -> usize {
        self.rules.iter().map(Rule::num_calls).sum()
    }
}

pub fn http(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(
        StatusCode::try_from(status).expect("valid status"),
        SdkBody::from(body.to_string()),
    )
}

/// An awsJson error answer, as CodePipeline and DynamoDB send them.
pub fn json_error(code: &str, message: &str) -> HttpResponse {
    http(
        400,
        &format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
    )
}

/// An awsQuery / restXml error answer, as CloudFormation, STS and Route53 send them.
pub fn xml_error(status: u16, code: &str, message: &str) -> HttpResponse {
    http(
        status,
        &format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
        ),
    )
}

pub fn caller_identity() -> Rule {
    aws_smithy_mocks::mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput::builder()
            .account("111122223333")
            .arn("arn:aws:sts::111122223333:assumed-role/oncall/alice")
            .user_id("AROAEXAMPLE:alice")
            .build()
    })
}

pub fn dt(secs: i64) -> aws_smithy_types::DateTime {
    aws_smithy_types::DateTime::from_secs(secs)
}

/// Carries out effects as the runtime would, each answer arriving at once.
pub async fn carry_out(
    backend: &AwsBackend,
    model: &mut wavetop::core::model::Model,
    effects: Vec<wavetop::core::msg::Effect>,
    now: jiff::Timestamp,
) {
    carry_out_streaming(backend, None, model, effects, now).await;
}

/// [`carry_out`], with the change stream's reads answered by `stream`.
pub async fn carry_out_streaming(
    backend: &AwsBackend,
    stream: Option<&dyn wavetop::protocol::ReadStream>,
    model: &mut wavetop::core::model::Model,
    effects: Vec<wavetop::core::msg::Effect>,
    now: jiff::Timestamp,
) {
    use wavetop::core::msg::{Effect, Msg};
    use wavetop::protocol::{Observe, Operate};
    let mut queue = effects;
    while !queue.is_empty() {
        let mut next = Vec::new();
        for effect in queue {
            let msg = match effect {
                Effect::Discover => Msg::Discovered(backend.discover().await),
                Effect::FetchIdentity => Msg::Identity(backend.identity().await),
                Effect::Poll { key, generation } => Msg::Polled {
                    result: backend.poll(key.clone()).await,
                    incomplete: backend.incomplete(&key),
                    key,
                    generation,
                },
                Effect::StreamCoverage { live } => {
                    backend.stream_covers_stacks(live);
                    continue;
                }
                Effect::ReadStream { generation } => match stream {
                    Some(stream) => Msg::Streamed {
                        generation,
                        result: stream.read().await,
                    },
                    None => continue,
                },
                _ => continue,
            };
            next.extend(wavetop::core::update::update(model, msg, now));
        }
        queue = next;
    }
}

/// The flow `name` as one poll of the backend reads it.
pub async fn poll_flow(backend: &AwsBackend, name: &str) -> wavetop::domain::fleet::Flow {
    use wavetop::protocol::{Observation, Observe, PollKey};
    match backend
        .poll(PollKey::Flow { flow: name.into() })
        .await
        .unwrap()
    {
        Observation::Flow(f) => f,
        other => panic!("expected a flow, got {other:?}"),
    }
}
