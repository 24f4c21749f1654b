//! Plain HTTP/1.1 on loopback for the servers this tier puts in front of
//! moto (the CBOR relay, the CodePipeline stand-in): reading a request,
//! passing one on, answering one.
//!
//! One request per connection: moto answers `Connection: close` and closes,
//! and these servers do the same, so a client never reuses a connection and
//! nothing here has to track keep-alive state.

use super::*;

pub(crate) struct HttpRequest {
    pub(crate) line: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl HttpRequest {
    /// The value of the first header named `wanted` (any case).
    pub(crate) fn header(&self, wanted: &str) -> Option<&str> {
        header_value(&self.headers, wanted)
    }

    pub(crate) fn path(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or_default()
    }
}

pub(crate) fn header_value<'h>(headers: &'h [(String, String)], wanted: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
        .map(|(_, v)| v.as_str())
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
    if header_value(&headers, "transfer-encoding").is_some() {
        return Err(io::Error::other("chunked requests are not relayed"));
    }
    let length = header_value(&headers, "content-length").map_or(0, |v| v.parse().unwrap_or(0));
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(Some(HttpRequest {
        line: line.trim_end().to_string(),
        headers,
        body,
    }))
}

/// What a server does with one request: the whole HTTP answer, as bytes.
pub(crate) type Handler = dyn Fn(HttpRequest) -> io::Result<Vec<u8>> + Send + Sync;

/// Serves `handler` on a fresh loopback port, one thread per connection,
/// for as long as the test process lives; returns the server's URL.
/// `name` prefixes what a failing handler prints.
pub(crate) fn serve(name: &'static str, handler: Arc<Handler>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || {
                if let Err(e) = answer_one(client, &*handler) {
                    eprintln!("{name}: {e}");
                }
            });
        }
    });
    url
}

fn answer_one(mut client: TcpStream, handler: &Handler) -> io::Result<()> {
    let Some(request) = read_request(&mut BufReader::new(client.try_clone()?))? else {
        return Ok(());
    };
    let answer = handler(request)?;
    client.write_all(&answer)?;
    client.shutdown(Shutdown::Both)
}

/// Sends one request to `upstream` (host:port) and returns its whole answer.
/// Length and connection headers are set here, whatever the caller passed.
pub(crate) fn forward(
    upstream: &str,
    line: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> io::Result<Vec<u8>> {
    let mut head = format!("{line}\r\n");
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut upstream = TcpStream::connect(upstream)?;
    upstream.write_all(head.as_bytes())?;
    upstream.write_all(body)?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer)?;
    Ok(answer)
}

/// A complete answer: status line, the given headers, length and body.
pub(crate) fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// An answer's status line and body.
pub(crate) fn split_answer(answer: &[u8]) -> io::Result<(String, &[u8])> {
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| io::Error::other("no HTTP head in the answer"))?;
    let head = String::from_utf8_lossy(&answer[..split]);
    let status = head.lines().next().unwrap_or_default().to_string();
    Ok((status, &answer[split + 4..]))
}

/// The host:port part of an `http://` URL.
pub(crate) fn host_of(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}
