//! Checks of flag values that would otherwise reach the AWS SDK and come
//! back as a multi-kilobyte error: an endpoint URL and region names. Each
//! error is one short sentence; clap adds the flag's name and exit status 2.
//! The value itself is never repeated: it may be huge or hold escapes.

use std::net::Ipv6Addr;

/// Longest endpoint URL accepted; far beyond any real one.
const MAX_URL_LEN: usize = 2048;
/// Longest region name accepted (the longest real ones are about 16).
const MAX_REGION_LEN: usize = 32;
/// The first part of a region name in each AWS partition: the commercial
/// one (`us`, `eu`, `ap`, ...), China (`cn`), and the European sovereign
/// cloud (`eusc`). GovCloud and the isolated partitions start with `us` or
/// `eu` and carry their marker (`gov`, `iso`, `isob`, ...) as a middle part.
const REGION_PREFIXES: &[&str] = &[
    "us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn", "eusc",
];

/// `--endpoint-url`: `http://` or `https://`, a host (a name, an IPv4
/// address or a bracketed IPv6 address), an optional port, and an optional
/// path, all without spaces or control characters.
pub fn parse_endpoint_url(text: &str) -> Result<String, String> {
    if text.len() > MAX_URL_LEN {
        return Err(format!("too long (at most {MAX_URL_LEN} characters)"));
    }
    if let Some(bad) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "contains {}, which a URL cannot hold",
            describe_char(bad)
        ));
    }
    let lower = text.to_ascii_lowercase();
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|scheme| lower.starts_with(scheme).then(|| &text[scheme.len()..]))
        .ok_or("must start with http:// or https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err("names no host after the scheme (example: http://127.0.0.1:5000)".into());
    }
    if authority.contains('@') {
        return Err("must not carry a user name or password".into());
    }
    let port = match authority.strip_prefix('[') {
        Some(inside) => {
            let (address, after) = inside
                .split_once(']')
                .ok_or("has an IPv6 address without its closing `]`")?;
            address
                .parse::<Ipv6Addr>()
                .map_err(|_| "has a bracketed host that is not an IPv6 address")?;
            match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix(':')
                        .ok_or("has text after the IPv6 address that is not a port")?,
                ),
            }
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            let valid = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            if !valid {
                return Err("has a host that is not a DNS name or an IP address".into());
            }
            port
        }
    };
    if let Some(port) = port
        && !matches!(port.parse::<u16>(), Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("has a port that is not a number from 1 to 65535".into());
    }
    Ok(text.to_string())
}

/// A region name as AWS spells them in every partition: a known first part,
/// one or more parts of lowercase letters, and a number (`us-east-1`,
/// `ap-southeast-2`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`).
pub fn parse_region(text: &str) -> Result<String, String> {
    const SHAPE: &str =
        "is not an AWS region name (examples: us-east-1, eu-west-2, ap-southeast-2)";
    if text.is_empty() {
        return Err("is empty; name an AWS region such as us-east-1".into());
    }
    if text.len() > MAX_REGION_LEN {
        return Err(format!(
            "is too long for a region name (at most {MAX_REGION_LEN} characters)"
        ));
    }
    let parts: Vec<&str> = text.split('-').collect();
    let valid = match parts.as_slice() {
        [first, middle @ .., last] if !middle.is_empty() => {
            REGION_PREFIXES.contains(first)
                && middle
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && (1..=3).contains(&last.len())
                && last.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if valid {
        Ok(text.to_string())
    } else {
        Err(SHAPE.into())
    }
}

/// A character named for an error message without printing it raw.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c => format!("the character U+{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever is given, the answer is a short sentence that never
        /// repeats the value, or the value itself when it is a region.
        #[test]
        fn any_text_as_a_region_is_kept_or_refused_briefly(
            text in prop_oneof!["[a-z]{2,4}(-[a-z]{1,9}){1,3}-[0-9]{1,4}", any::<String>()]
        ) {
            match parse_region(&text) {
                Ok(kept) => {
                    prop_assert_eq!(&kept, &text);
                    prop_assert!(text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                }
                Err(why) => prop_assert!(why.len() < 120 && !why.chars().any(char::is_control), "{why}"),
            }
        }

        #[test]
        fn any_text_as_an_endpoint_is_kept_or_refused_briefly(
            text in prop_oneof!["https?://[a-z0-9.:\\[\\]/]{0,30}", any::<String>()]
        ) {
            match parse_endpoint_url(&text) {
                Ok(kept) => prop_assert_eq!(kept, text),
                Err(why) => prop_assert!(why.len() < 120 && !why.chars().any(char::is_control), "{why}"),
            }
        }
    }

    #[test]
    fn endpoint_urls_that_work_are_kept() {
        for url in [
            "http://127.0.0.1:5000",
            "https://localhost",
            "http://[::1]:4566/",
            "HTTP://moto.internal:80/path?x=1",
            "http://[fe80::1]",
        ] {
            assert_eq!(parse_endpoint_url(url).as_deref(), Ok(url), "{url}");
        }
    }

    #[test]
    fn broken_endpoint_urls_say_what_is_wrong() {
        let cases = [
            ("http://", "names no host"),
            ("http://[::1", "without its closing `]`"),
            ("http://h/ x", "contains a space"),
            ("ftp://h", "must start with http://"),
            ("http://h:99999", "has a port"),
            ("http://h:", "has a port"),
            ("http://[zz]:80", "not an IPv6 address"),
            ("http://[::1]x", "not a port"),
            ("http://u:p@h", "user name or password"),
            ("http://h\u{1b}[2J", "U+001B"),
            ("http://h%20", "not a DNS name"),
        ];
        for (url, says) in cases {
            let err = parse_endpoint_url(url).expect_err(url);
            assert!(err.contains(says), "{url}: {err}");
        }
        assert!(parse_endpoint_url(&format!("http://{}", "a".repeat(5000))).is_err());
    }

    #[test]
    fn region_names_follow_the_partition_patterns() {
        for region in [
            "us-east-1",
            "ap-southeast-2",
            "sa-east-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "us-isob-east-1",
            "eusc-de-east-1",
            "il-central-1",
        ] {
            assert_eq!(parse_region(region).as_deref(), Ok(region));
        }
        for bad in [
            "",
            "../../etc",
            "US-EAST-1",
            "us-east",
            "east-1",
            "xx-east-1",
            "us--1",
            "us-east-1a",
            "us-east-1\u{1b}",
            "us-east-1234",
        ] {
            assert!(parse_region(bad).is_err(), "{bad:?}");
        }
        assert!(
            parse_region(&"a".repeat(10_000))
                .unwrap_err()
                .contains("too long")
        );
    }
}
