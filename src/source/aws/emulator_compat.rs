//! Talking to moto through `--endpoint-url`. moto's CodePipeline answers
//! carry timestamps as ISO 8601 strings where AWS (and so the SDK's
//! deserializer) uses epoch seconds, which makes every GetPipeline,
//! ListPipelines and ListPipelineExecutions answer unreadable. When an
//! endpoint override is set, CodePipeline clients get an HTTP layer that
//! rewrites those fields into numbers; answers from AWS itself are never
//! touched. moto's CloudWatch Logs answers carry event times (epoch
//! milliseconds, a Long) with a fraction, which the SDK refuses: the
//! change stream's client is given the same layer, which cuts the fraction.
//! The shared configuration names no HTTP client (the SDK picks its default
//! when a client is built), so the layer wraps a plain-HTTP client of its
//! own: emulators listen on `http://`.

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use jiff::Timestamp;
use serde_json::Value;

/// CodePipeline's timestamp members.
const TIMESTAMP_KEYS: [&str; 8] = [
    "created",
    "updated",
    "startTime",
    "lastUpdateTime",
    "lastStatusChange",
    "lastChangedAt",
    "approvedAt",
    "pollingDisabledAt",
];

/// CloudWatch Logs' epoch-millisecond members (Longs).
const MILLISECOND_KEYS: [&str; 2] = ["timestamp", "ingestionTime"];

/// The HTTP client for a service client talking to `endpoint`, when it is
/// an emulator's plain-HTTP endpoint; None (the SDK's own client) otherwise.
pub fn emulator_http_client(endpoint: Option<&str>) -> Option<SharedHttpClient> {
    let endpoint = endpoint?;
    if !endpoint.starts_with("http://") {
        return None;
    }
    let plain = aws_smithy_http_client::Builder::new().build_http();
    Some(SharedHttpClient::new(EpochTimestamps::wrap(plain)))
}

#[derive(Debug, Clone)]
pub struct EpochTimestamps {
    inner: SharedHttpClient,
}

impl EpochTimestamps {
    pub fn wrap(inner: SharedHttpClient) -> Self {
        Self { inner }
    }
}

impl HttpClient for EpochTimestamps {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Connector {
            inner: self.inner.http_connector(settings, components),
        })
    }
}

#[derive(Debug)]
struct Connector {
    inner: SharedHttpConnector,
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let pending = self.inner.call(request);
        HttpConnectorFuture::new(async move {
            let mut response = pending.await?;
            let body = response.take_body();
            let bytes = match ByteStream::new(body).collect().await {
                Ok(b) => b.into_bytes(),
                Err(e) => {
                    return Err(aws_smithy_runtime_api::client::result::ConnectorError::io(
                        Box::new(e),
                    ));
                }
            };
            let rewritten = rewrite(&bytes).unwrap_or_else(|| bytes.to_vec());
            response.headers_mut().remove("content-length");
            *response.body_mut() = SdkBody::from(rewritten);
            Ok(response)
        })
    }
}

/// The body with ISO 8601 timestamps turned into epoch seconds, or None when
/// it is not JSON or has nothing to rewrite.
pub fn rewrite(body: &[u8]) -> Option<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(body).ok()?;
    if !fix(&mut doc) {
        return None;
    }
    serde_json::to_vec(&doc).ok()
}

fn fix(v: &mut Value) -> bool {
    let mut changed = false;
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if TIMESTAMP_KEYS.contains(&key.as_str())
                    && let Value::String(s) = value
                    && let Ok(t) = s.parse::<Timestamp>()
                {
                    *value = serde_json::json!(t.as_millisecond() as f64 / 1000.0);
                    changed = true;
                } else if MILLISECOND_KEYS.contains(&key.as_str())
                    && let Some(ms) = value.as_f64().filter(|_| !value.is_i64())
                {
                    *value = serde_json::json!(ms.trunc() as i64);
                    changed = true;
                } else {
                    changed |= fix(value);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                changed |= fix(item);
            }
        }
        _ => {}
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn iso_timestamps_become_epoch_seconds_and_nothing_else_changes() {
        let body = br#"{"pipelines":[{"name":"created","version":1,"created":"2025-11-21T21:46:44.788Z"}],"nextToken":null}"#;
        let out: serde_json::Value = serde_json::from_slice(&rewrite(body).unwrap()).unwrap();
        assert_eq!(
            out["pipelines"][0]["created"],
            serde_json::json!(1763761604.788)
        );
        assert_eq!(out["pipelines"][0]["name"], "created");
        assert!(out["nextToken"].is_null());
    }

    #[test]
    fn fractional_event_milliseconds_lose_their_fraction() {
        let body = br#"{"events":[{"eventId":"0","timestamp":1796034625539.702,"ingestionTime":1796034625539}]}"#;
        let fixed: serde_json::Value = serde_json::from_slice(&rewrite(body).unwrap()).unwrap();
        assert_eq!(fixed["events"][0]["timestamp"], 1_796_034_625_539_i64);
        assert_eq!(fixed["events"][0]["ingestionTime"], 1_796_034_625_539_i64);
    }

    #[test]
    fn answers_already_in_epoch_seconds_are_left_alone() {
        assert!(rewrite(br#"{"pipelines":[{"created":1763761604.788}]}"#).is_none());
        assert!(rewrite(b"<xml/>").is_none());
    }
}
