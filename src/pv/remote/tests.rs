//! The `-R`/`-Q` protocol: what a sender writes comes back the same, and whatever a peer
//! sends is either a checked request or an error naming what is wrong.

use proptest::prelude::*;

use super::*;

#[test]
fn settings_round_trip() {
    let settings = Settings {
        switches: Switches {
            progress: true,
            rate: true,
            last_written: Some(16),
            ..Switches::default()
        },
        format: Some("%b 100% %{sgr:red}\tdone\n".into()),
        name: Some("my copy".into()),
        extra: Some(Extra::new(extra_arg("window:%t").expect("spec"))),
        rate_limit: Some(1 << 20),
        size: Some(12345),
        interval: Some(Duration::from_millis(500)),
        width: Some(100),
        height: Some(30),
    };
    let request = settings.to_request();
    assert!(request.ends_with("\n\n"));
    assert!(!request.trim_end().contains("\n\n"), "one blank line, at the end: {request:?}");
    assert_eq!(parse_request(request.trim_end()), Ok(Request::Remote(Box::new(settings))));
    assert_eq!(parse_request(query_request().trim_end()), Ok(Request::Query));
}

#[test]
fn a_zero_rate_limit_is_sent_and_lifts_the_limit() {
    let settings = Settings { rate_limit: Some(0), ..Settings::default() };
    let request = settings.to_request();
    assert!(request.contains("\nrate-limit 0\n"), "{request:?}");
    assert_eq!(parse_request(request.trim_end()), Ok(Request::Remote(Box::new(settings))));
}

#[test]
fn hostile_requests_are_refused_by_name() {
    let cases = [
        ("GET / HTTP/1.0", ProtocolError::Magic),
        ("fun-pv 1 shutdown", ProtocolError::Request("shutdown".into())),
        ("fun-pv 1 remote\nexec rm -rf /", ProtocolError::Line("exec".into())),
        (
            "fun-pv 1 remote\nswitches pX",
            ProtocolError::Value { key: "switches".into(), why: "unknown switch".into() },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_request(text), Err(expected), "{text:?}");
    }
    for text in [
        "fun-pv 1 remote\nrate-limit 99999999999999999999999",
        "fun-pv 1 remote\nwidth 65536",
        "fun-pv 1 remote\ninterval 0.001",
        "fun-pv 1 remote\nformat %99999999p",
        "fun-pv 1 remote\nextra bogus",
        "fun-pv 1 remote\nname %ff%fe",
    ] {
        assert!(matches!(parse_request(text), Err(ProtocolError::Value { .. })), "{text:?}");
    }
    assert_eq!(parse_request(&"x".repeat(MAX_MESSAGE + 1)), Err(ProtocolError::TooLong));
}

/// Found by the `pv_remote` fuzz target (fuzz/regressions/pv_remote/): percent-encoding triples
/// the bytes of non-ASCII text, so a format of 2000 U+FFFD (6 KB, 18 KB encoded) passes the
/// message cap. The receiver refuses it whole, never a part of it.
#[test]
fn a_format_that_encodes_past_the_message_cap_is_refused_whole() {
    let format = "\u{fffd}".repeat(2000);
    assert!(format.len() < MAX_MESSAGE);
    let settings = Settings { format: Some(format), ..Settings::default() };
    let request = settings.to_request();
    assert!(request.len() > MAX_MESSAGE, "{}", request.len());
    assert_eq!(parse_request(request.trim_end()), Err(ProtocolError::TooLong));
}

#[test]
fn query_responses() {
    let state = State { elapsed: 1.5, transferred: 1024, size: Some(4096), lines: false };
    assert_eq!(State::parse(&state.to_response()), Ok(state));
    let unknown = State { size: None, lines: true, ..state };
    assert_eq!(State::parse(&unknown.to_response()), Ok(unknown));
    assert!(State::parse("error nope").is_err());
    assert!(State::parse("ok\nelapsed NaN\n").is_err());
    assert!(State::parse("ok\ntransferred -1\n").is_err());
    assert!(State::parse("ok\nsurprise 1\n").is_err());
}

proptest! {
    /// Any text is a request or an error, never a panic, and a request's numbers are within
    /// their bounds.
    #[test]
    fn any_request_parses_or_is_refused(
        text in "(fun-pv 1 (remote|query)\n)?((switches|name|format|extra|rate-limit|size|interval|width|height|last-written) [ -~]{0,30}\n){0,8}",
    ) {
        if let Ok(Request::Remote(settings)) = parse_request(&text) {
            prop_assert!(settings.rate_limit.is_none_or(|r| r <= MAX_SIZE));
            prop_assert!(settings.width.is_none_or(|w| w <= MAX_COLUMNS));
        }
    }

    /// Any response is a state or an error.
    #[test]
    fn any_response_parses_or_is_refused(text in "(ok\n)?((elapsed|transferred|size|lines) [ -~]{0,20}\n){0,6}") {
        let _ = State::parse(&text);
    }

    /// Names and formats of any text survive the trip.
    #[test]
    fn any_name_round_trips(name in "\\PC{0,40}") {
        let settings = Settings { name: Some(name.clone()), ..Settings::default() };
        let back = parse_request(settings.to_request().trim_end());
        prop_assert_eq!(back, Ok(Request::Remote(Box::new(settings))));
    }
}
