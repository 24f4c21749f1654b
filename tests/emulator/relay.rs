//! A relay that lets moto answer CloudWatch's CBOR protocol.

use super::*;

/// moto speaks CloudWatch's query and JSON 1.0 protocols, but the SDK's
/// CloudWatch client speaks Smithy RPC v2 CBOR, which moto answers with 404:
/// through moto alone every health check's status is unknown, and the drain
/// safety rule rightly leaves such checks alone. This relay sits in front of
/// moto, re-encodes CloudWatch's CBOR calls as JSON 1.0 calls to moto and
/// the answers back, and passes every other request through untouched. The
/// metric data is moto's own, seeded with `aws cloudwatch put-metric-data`.
pub(crate) struct CborRelay {
    pub(crate) url: String,
}

pub(crate) const CBOR_ROUTE: &str = "/service/GraniteServiceVersion20100801/operation/";

impl CborRelay {
    pub(crate) fn start(emulator: &str) -> CborRelay {
        CborRelay::start_hanging(emulator, None)
    }

    /// As [`CborRelay::start`], except that every request signed for
    /// `hung_region` is read and never answered: a region that hangs.
    pub(crate) fn start_hanging(emulator: &str, hung_region: Option<&str>) -> CborRelay {
        let upstream = host_of(emulator);
        let hung = hung_region.map(|r| format!("/{r}/"));
        let url = serve(
            "relay",
            Arc::new(move |request: HttpRequest| {
                if hung
                    .as_deref()
                    .is_some_and(|scope| signed_for(&request, scope))
                {
                    // Silent for good: the client gives up on its own timeout.
                    loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    }
                }
                relay(request, &upstream)
            }),
        );
        CborRelay { url }
    }
}

/// The region a request is signed for appears in its credential scope:
/// `Credential=AKID/20250101/ap-northeast-1/cloudformation/aws4_request`.
fn signed_for(request: &HttpRequest, scope: &str) -> bool {
    request
        .headers
        .iter()
        .any(|(name, value)| name.eq_ignore_ascii_case("authorization") && value.contains(scope))
}

/// CloudWatch's CBOR calls re-encoded for moto and back; anything else as it came.
fn relay(request: HttpRequest, upstream: &str) -> io::Result<Vec<u8>> {
    let Some(operation) = request.path().strip_prefix(CBOR_ROUTE).map(str::to_string) else {
        return forward(upstream, &request.line, &request.headers, &request.body);
    };
    let value: CborValue = ciborium::from_reader(request.body.as_slice())
        .map_err(|e| io::Error::other(e.to_string()))?;
    let keep = [
        "host",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
    ];
    let mut headers: Vec<(String, String)> = request
        .headers
        .into_iter()
        .filter(|(name, _)| keep.contains(&name.to_ascii_lowercase().as_str()))
        .collect();
    headers.push(("Content-Type".into(), "application/x-amz-json-1.0".into()));
    headers.push((
        "X-Amz-Target".into(),
        format!("GraniteServiceVersion20100801.{operation}"),
    ));
    let body = serde_json::to_vec(&cbor_to_json(value))?;
    let answer = forward(upstream, "POST / HTTP/1.1", &headers, &body)?;
    json_answer_as_cbor(&answer)
}

pub(crate) fn cbor_to_json(value: CborValue) -> Value {
    match value {
        CborValue::Integer(i) => Value::from(i128::from(i) as i64),
        CborValue::Float(f) => Value::from(f),
        CborValue::Text(s) => Value::String(s),
        CborValue::Bool(b) => Value::Bool(b),
        // Tag 1 (epoch seconds) is how CBOR marks a timestamp; JSON 1.0 sends the bare number.
        CborValue::Tag(_, inner) => cbor_to_json(*inner),
        CborValue::Array(items) => Value::Array(items.into_iter().map(cbor_to_json).collect()),
        CborValue::Map(entries) => Value::Object(
            entries
                .into_iter()
                .filter_map(|(k, v)| Some((k.into_text().ok()?, cbor_to_json(v))))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// How a JSON number is typed in the CBOR answer, by the member holding it.
#[derive(Clone, Copy)]
pub(crate) enum NumberKind {
    Plain,
    Timestamp,
    Double,
}

pub(crate) fn json_to_cbor(value: &Value, kind: NumberKind) -> CborValue {
    match value {
        Value::Null => CborValue::Null,
        Value::Bool(b) => CborValue::Bool(*b),
        Value::Number(n) => {
            let float = n.as_f64().unwrap_or_default();
            match (kind, n.as_i64()) {
                (NumberKind::Timestamp, _) => CborValue::Tag(1, Box::new(CborValue::Float(float))),
                (NumberKind::Plain, Some(i)) => CborValue::Integer(i.into()),
                _ => CborValue::Float(float),
            }
        }
        Value::String(s) => CborValue::Text(s.clone()),
        Value::Array(items) => {
            CborValue::Array(items.iter().map(|v| json_to_cbor(v, kind)).collect())
        }
        Value::Object(members) => CborValue::Map(
            members
                .iter()
                .map(|(name, v)| {
                    let kind = match name.as_str() {
                        "Timestamps"
                        | "Timestamp"
                        | "StartTime"
                        | "EndTime"
                        | "StateUpdatedTimestamp"
                        | "StateTransitionedTimestamp"
                        | "AlarmConfigurationUpdatedTimestamp" => NumberKind::Timestamp,
                        "Values" | "Value" => NumberKind::Double,
                        _ => NumberKind::Plain,
                    };
                    (CborValue::Text(name.clone()), json_to_cbor(v, kind))
                })
                .collect(),
        ),
    }
}

/// moto's JSON 1.0 HTTP answer as the RPC v2 CBOR answer the SDK expects.
pub(crate) fn json_answer_as_cbor(answer: &[u8]) -> io::Result<Vec<u8>> {
    let (status_line, json) = split_answer(answer)?;
    let json: Value = serde_json::from_slice(json)
        .map_err(|e| io::Error::other(format!("moto answered no JSON: {e}")))?;
    let mut body = Vec::new();
    ciborium::into_writer(&json_to_cbor(&json, NumberKind::Plain), &mut body)
        .map_err(|e| io::Error::other(e.to_string()))?;
    // The status code and phrase, whatever HTTP version moto's line names.
    let status = status_line.split_once(' ').map_or("500", |(_, s)| s);
    Ok(response(
        status,
        &[
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
        ],
        &body,
    ))
}
