//! Finding an AWS region name inside a DNS name or an identifier
//! (`api.eu-west-1.example.com`, `primary-us-east-1`).

/// The first AWS region name in `text`, e.g. `eu-west-1`, `us-gov-west-1`,
/// `ap-southeast-2`.
pub fn find_region(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let parts: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .collect();
    for word in parts {
        let pieces: Vec<&str> = word.split('-').collect();
        for start in 0..pieces.len() {
            for len in [3usize, 4] {
                if let Some(candidate) = pieces.get(start..start + len)
                    && is_region(candidate)
                {
                    return Some(candidate.join("-"));
                }
            }
        }
    }
    None
}

const PREFIXES: [&str; 10] = ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn"];
const DIRECTIONS: [&str; 9] = [
    "east",
    "west",
    "north",
    "south",
    "central",
    "northeast",
    "southeast",
    "northwest",
    "southwest",
];

fn is_region(pieces: &[&str]) -> bool {
    let (prefix, middle, number) = match pieces {
        [p, d, n] => (*p, vec![*d], *n),
        [p, "gov", d, n] | [p, "iso", d, n] | [p, "isob", d, n] => (*p, vec![*d], *n),
        _ => return false,
    };
    PREFIXES.contains(&prefix)
        && middle.iter().all(|d| DIRECTIONS.contains(d))
        && !number.is_empty()
        && number.len() <= 2
        && number.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::find_region;

    #[test]
    fn finds_regions_in_dns_names_and_identifiers() {
        assert_eq!(
            find_region("api.eu-west-1.example.com").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(
            find_region("primary-us-east-1").as_deref(),
            Some("us-east-1")
        );
        assert_eq!(
            find_region("d-abc.execute-api.ap-southeast-2.amazonaws.com.").as_deref(),
            Some("ap-southeast-2")
        );
        assert_eq!(
            find_region("gov us-gov-west-1 x").as_deref(),
            Some("us-gov-west-1")
        );
    }

    #[test]
    fn ignores_look_alikes() {
        assert_eq!(find_region("us-east-team.example.com"), None);
        assert_eq!(find_region("primary"), None);
        assert_eq!(find_region("eu-west-123"), None);
    }
}
