//! AWS regions and the time zones they keep, for showing a region's local
//! time when no off-hours window names a zone for it.

/// The IANA zone of the city each region is in.
pub fn region_time_zone(region: &str) -> Option<&'static str> {
    Some(match region {
        "us-east-1" | "us-east-2" => "America/New_York",
        "us-west-1" | "us-west-2" => "America/Los_Angeles",
        "ca-central-1" => "America/Toronto",
        "ca-west-1" => "America/Edmonton",
        "mx-central-1" => "America/Mexico_City",
        "sa-east-1" => "America/Sao_Paulo",
        "eu-west-1" => "Europe/Dublin",
        "eu-west-2" => "Europe/London",
        "eu-west-3" => "Europe/Paris",
        "eu-central-1" => "Europe/Berlin",
        "eu-central-2" => "Europe/Zurich",
        "eu-north-1" => "Europe/Stockholm",
        "eu-south-1" => "Europe/Rome",
        "eu-south-2" => "Europe/Madrid",
        "me-south-1" => "Asia/Bahrain",
        "me-central-1" => "Asia/Dubai",
        "il-central-1" => "Asia/Jerusalem",
        "af-south-1" => "Africa/Johannesburg",
        "ap-south-1" => "Asia/Kolkata",
        "ap-south-2" => "Asia/Kolkata",
        "ap-southeast-1" => "Asia/Singapore",
        "ap-southeast-2" => "Australia/Sydney",
        "ap-southeast-3" => "Asia/Jakarta",
        "ap-southeast-4" => "Australia/Melbourne",
        "ap-southeast-5" => "Asia/Kuala_Lumpur",
        "ap-northeast-1" => "Asia/Tokyo",
        "ap-northeast-2" => "Asia/Seoul",
        "ap-northeast-3" => "Asia/Tokyo",
        "ap-east-1" => "Asia/Hong_Kong",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_in_the_table_is_known_to_the_time_zone_database() {
        for region in [
            "us-east-1",
            "sa-east-1",
            "eu-central-1",
            "ap-south-1",
            "ap-southeast-2",
            "ap-east-1",
        ] {
            let zone = region_time_zone(region).unwrap();
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone}");
        }
        assert_eq!(region_time_zone("moon-1"), None);
    }
}
