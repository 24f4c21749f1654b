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
        let upstream = emulator.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hung = hung_region.map(|r| format!("/{r}/"));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let hung = hung.clone();
                std::thread::spawn(move || {
                    if let Err(e) = relay_one(client, &upstream, hung.as_deref()) {
                        eprintln!("relay: {e}");
                    }
                });
            }
        });
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

pub(crate) struct HttpRequest {
    pub(crate) line: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// The next request, or None when the client closed without sending one.
pub(crate) fn read_request(stream: &mut BufReader<TcpStream>) -> io::Result<Option<HttpRequest>> {
    let mut line = String::new();
    if stream.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        stream.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let named = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, v)| v.clone())
    };
    if named("transfer-encoding").is_some() {
        return Err(io::Error::other("chunked requests are not relayed"));
    }
    let length = named("content-length").map_or(0, |v| v.parse().unwrap_or(0));
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(Some(HttpRequest {
        line: line.trim_end().to_string(),
        headers,
        body,
    }))
}

/// One request per connection: moto's server answers `Connection: close`
/// and closes, and the relay does the same, so the client never reuses one.
pub(crate) fn relay_one(
    mut client: TcpStream,
    upstream: &str,
    hung_scope: Option<&str>,
) -> io::Result<()> {
    let Some(request) = read_request(&mut BufReader::new(client.try_clone()?))? else {
        return Ok(());
    };
    if hung_scope.is_some_and(|scope| signed_for(&request, scope)) {
        // Keep the connection open and silent until the client gives up.
        let mut rest = Vec::new();
        let _ = client.read_to_end(&mut rest);
        return Ok(());
    }
    let path = request
        .line
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let operation = path.strip_prefix(CBOR_ROUTE);
    let (line, mut headers, body) = match operation {
        Some(operation) => {
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
            ("POST / HTTP/1.1".to_string(), headers, body)
        }
        None => (request.line, request.headers, request.body),
    };
    headers.retain(|(name, _)| {
        !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection")
    });
    let mut head = format!("{line}\r\n");
    for (name, value) in &headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut moto = TcpStream::connect(upstream)?;
    moto.write_all(head.as_bytes())?;
    moto.write_all(&body)?;
    let mut answer = Vec::new();
    moto.read_to_end(&mut answer)?;
    if operation.is_some() {
        answer = json_answer_as_cbor(&answer)?;
    }
    client.write_all(&answer)?;
    client.shutdown(Shutdown::Both)
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
                        "Timestamps" | "Timestamp" | "StartTime" | "EndTime" => {
                            NumberKind::Timestamp
                        }
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
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| io::Error::other("no HTTP head in moto's answer"))?;
    let head = String::from_utf8_lossy(&answer[..split]);
    let status_line = head
        .lines()
        .next()
        .unwrap_or("HTTP/1.1 500 Internal Server Error");
    let json: Value = serde_json::from_slice(&answer[split + 4..])
        .map_err(|e| io::Error::other(format!("moto answered no JSON: {e}")))?;
    let mut body = Vec::new();
    ciborium::into_writer(&json_to_cbor(&json, NumberKind::Plain), &mut body)
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut out = format!(
        "{status_line}\r\nContent-Type: application/cbor\r\nsmithy-protocol: rpc-v2-cbor\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend(body);
    Ok(out)
}
