//! A post cannot make Folio reach the local network: image fetches go only to port 80
//! or 443 of public addresses unless the person allows local ones, whatever a name
//! resolves to and wherever a redirect points.
//!
//! Names are resolved by a simulated resolver and connections to "public" addresses
//! are routed to a loopback test server, so no test leaves this machine.

// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::thumbs_support;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use folio::thumbs::{
    ALLOW_LOCAL_ENV, FetchConfig, FetchError, Fetcher, allow_local_from_env, is_public_address,
    join_location,
};
use thumbs_support::{Reply, TestServer};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};

/// A DNS as a test wants it: each name answers the given addresses.
#[derive(Debug)]
struct FakeDns(HashMap<&'static str, Vec<SocketAddr>>);

impl Resolver for FakeDns {
    fn resolve(
        &self,
        uri: &Uri,
        _config: &Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri.port_u16().unwrap_or(80);
        let mut out = self.empty();
        for addr in self.0.get(host).ok_or(ureq::Error::HostNotFound)? {
            out.push(SocketAddr::new(addr.ip(), port));
        }
        Ok(out)
    }
}

/// A network where every address leads to one loopback server: it stands for the
/// public hosts the fake DNS names, so the checks run on the addresses the resolver
/// answered while the bytes come from this machine.
#[derive(Debug)]
struct RouteTo(SocketAddr);

impl Connector<()> for RouteTo {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let mut addrs = details.resolver.empty();
        addrs.push(self.0);
        let routed = ConnectionDetails {
            uri: details.uri,
            addrs,
            config: details.config,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout: details.timeout,
            current_time: details.current_time.clone(),
            run_connector: details.run_connector.clone(),
            register_shutdown: details.register_shutdown.clone(),
        };
        DefaultConnector::default().connect(&routed, chained)
    }
}

fn config() -> FetchConfig {
    FetchConfig {
        connect_timeout_ms: 1_000,
        read_timeout_ms: 1_000,
        total_timeout_ms: 3_000,
        use_env_proxy: false,
        ..FetchConfig::default()
    }
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn addr(text: &str) -> SocketAddr {
    SocketAddr::new(ip(text), 80)
}

/// One server with a picture, a redirect to another public name, a redirect to a
/// private one and a redirect to a literal loopback address.
fn server() -> TestServer {
    let mut routes = HashMap::new();
    routes.insert(
        "/a.png",
        Reply::Ok {
            content_type: "image/png",
            body: b"picture".to_vec(),
        },
    );
    routes.insert("/to-public", Reply::Redirect("http://cdn2.example/a.png"));
    routes.insert(
        "/to-private",
        Reply::Redirect("http://intranet.example/a.png"),
    );
    routes.insert("/to-loopback", Reply::Redirect("http://127.0.0.1/a.png"));
    routes.insert(
        "/to-port",
        Reply::Redirect("http://cdn2.example:8080/a.png"),
    );
    TestServer::start(routes)
}

fn server_addr(server: &TestServer) -> SocketAddr {
    server.base.trim_start_matches("http://").parse().unwrap()
}

/// A fetcher on the fake DNS whose "public" hosts are all the test server.
fn simulated(server: &TestServer, config: &FetchConfig) -> Fetcher {
    let dns = FakeDns(HashMap::from([
        ("cdn.example", vec![addr("93.184.216.34")]),
        ("cdn2.example", vec![addr("151.101.1.1")]),
        ("intranet.example", vec![addr("10.0.0.5")]),
        ("router.example", vec![addr("192.168.1.1")]),
        ("metadata.example", vec![addr("169.254.169.254")]),
        (
            "mixed.example",
            vec![addr("93.184.216.34"), addr("127.0.0.1")],
        ),
        ("v6.example", vec![addr("::1")]),
        ("mapped.example", vec![addr("::ffff:10.1.2.3")]),
    ]));
    Fetcher::with_parts(config, RouteTo(server_addr(server)), dns)
}

fn assert_refused(result: Result<Vec<u8>, FetchError>, why: &str) {
    match result {
        Err(FetchError::Refused { reason, .. }) => {
            assert!(
                reason.contains(why),
                "refused for {reason:?}, expected {why:?}"
            );
        }
        other => panic!("expected a refusal for {why}, got {other:?}"),
    }
}

#[test]
fn every_local_range_is_not_public() {
    for local in [
        "127.0.0.1",
        "127.255.0.9",
        "0.0.0.0",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.0.1",
        "192.168.255.255",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:192.168.1.1",
        "64:ff9b::a00:1",
        "2002:c0a8:101::1",
        "::127.0.0.1",
    ] {
        assert!(!is_public_address(ip(local)), "{local} counted as public");
    }
    for public in [
        "8.8.8.8",
        "93.184.216.34",
        "172.15.255.255",
        "172.32.0.1",
        "192.167.1.1",
        "169.253.1.1",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "2002:808:808::1",
    ] {
        assert!(is_public_address(ip(public)), "{public} counted as local");
    }
}

#[test]
fn loopback_is_refused_by_default_and_never_connected() {
    let server = server();
    let fetcher = Fetcher::new(&config());
    assert_refused(fetcher.fetch(&server.url("/a.png")), "port");
    let url = server
        .url("/a.png")
        .replace(&format!(":{}", server_addr(&server).port()), "");
    assert_refused(fetcher.fetch(&url), "127.0.0.1 is not a public address");
    assert_refused(fetcher.fetch("http://localhost/a.png"), "local name");
    assert_refused(
        fetcher.fetch("http://[::1]/a.png"),
        "::1 is not a public address",
    );
    assert_refused(
        fetcher.fetch("http://[::ffff:127.0.0.1]/a.png"),
        "not a public address",
    );
    assert_eq!(server.total_hits(), 0);
}

#[test]
fn names_resolving_to_private_addresses_are_refused() {
    let server = server();
    let fetcher = simulated(&server, &config());
    assert_refused(fetcher.fetch("http://intranet.example/a.png"), "10.0.0.5");
    assert_refused(fetcher.fetch("http://router.example/a.png"), "192.168.1.1");
    assert_refused(
        fetcher.fetch("https://metadata.example/a.png"),
        "169.254.169.254",
    );
    assert_refused(fetcher.fetch("http://v6.example/a.png"), "::1");
    assert_refused(
        fetcher.fetch("http://mapped.example/a.png"),
        "::ffff:10.1.2.3",
    );
    // One local address among public ones is enough to refuse the name.
    assert_refused(fetcher.fetch("http://mixed.example/a.png"), "127.0.0.1");
    assert_eq!(server.total_hits(), 0);
}

#[test]
fn a_public_name_is_fetched_on_ports_80_and_443_only() {
    let server = server();
    let fetcher = simulated(&server, &config());
    assert_eq!(
        fetcher.fetch("http://cdn.example/a.png").unwrap(),
        b"picture"
    );
    assert_refused(fetcher.fetch("http://cdn.example:8080/a.png"), "port 8080");
    assert_refused(fetcher.fetch("http://cdn.example:22/a.png"), "port 22");
    assert_eq!(server.hits("/a.png"), 1);
}

#[test]
fn redirects_are_checked_like_the_first_request() {
    let server = server();
    let fetcher = simulated(&server, &config());
    // The control: a redirect to another public name is followed.
    assert_eq!(
        fetcher.fetch("http://cdn.example/to-public").unwrap(),
        b"picture"
    );
    assert_refused(fetcher.fetch("http://cdn.example/to-private"), "10.0.0.5");
    assert_refused(fetcher.fetch("http://cdn.example/to-loopback"), "127.0.0.1");
    assert_refused(fetcher.fetch("http://cdn.example/to-port"), "port 8080");
    // Each redirect was asked for once; the picture only by the followed redirect.
    assert_eq!(server.hits("/to-private"), 1);
    assert_eq!(server.hits("/to-loopback"), 1);
    assert_eq!(server.hits("/a.png"), 1);
}

#[test]
fn the_setting_allows_local_addresses_and_any_port() {
    let server = server();
    let allowed = FetchConfig {
        allow_local: true,
        ..config()
    };
    let fetcher = Fetcher::new(&allowed);
    assert_eq!(fetcher.fetch(&server.url("/a.png")).unwrap(), b"picture");
    let fetcher = simulated(&server, &allowed);
    assert_eq!(
        fetcher.fetch("http://cdn.example/to-private").unwrap(),
        b"picture"
    );
    assert_eq!(
        fetcher.fetch("http://router.example:8080/a.png").unwrap(),
        b"picture"
    );
}

#[test]
fn only_the_value_1_of_the_variable_allows_local_addresses() {
    let value = |v: &str| allow_local_from_env(Some(std::ffi::OsStr::new(v)));
    assert!(value("1"));
    assert!(!value("0"));
    assert!(!value("true"));
    assert!(!value(""));
    assert!(!allow_local_from_env(None));
}

/// Runs [`fetches_loopback_when_the_variable_is_set`] in a child process with the
/// variable set (a test cannot change its own environment safely).
#[test]
fn the_environment_variable_allows_local_addresses() {
    let exe = std::env::current_exe().unwrap();
    let run = |value: &str| {
        std::process::Command::new(&exe)
            .args([
                "--exact",
                "thumbs_local_network::fetches_loopback_when_the_variable_is_set",
                "--ignored",
                "--test-threads=1",
            ])
            .env(ALLOW_LOCAL_ENV, value)
            .env("FOLIO_TEST_CHILD", "1")
            .output()
            .unwrap()
    };
    let allowed = run("1");
    let stdout = String::from_utf8_lossy(&allowed.stdout);
    assert!(allowed.status.success(), "{stdout}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    let refused = run("0");
    assert!(!refused.status.success(), "variable 0 allowed loopback");
}

#[test]
#[ignore = "run by the_environment_variable_allows_local_addresses"]
fn fetches_loopback_when_the_variable_is_set() {
    assert!(
        std::env::var_os("FOLIO_TEST_CHILD").is_some(),
        "run by its parent test"
    );
    let server = server();
    let fetcher = Fetcher::new(&config());
    assert_eq!(fetcher.fetch(&server.url("/a.png")).unwrap(), b"picture");
}

#[test]
fn locations_resolve_against_the_url_that_answered() {
    let base = "https://cdn.example/img/a/b.jpg?x=1";
    assert_eq!(
        join_location(base, "http://other.example/c.png").as_deref(),
        Some("http://other.example/c.png")
    );
    assert_eq!(
        join_location(base, "//other.example/c.png").as_deref(),
        Some("https://other.example/c.png")
    );
    assert_eq!(
        join_location(base, "/c.png").as_deref(),
        Some("https://cdn.example/c.png")
    );
    assert_eq!(
        join_location(base, "c.png").as_deref(),
        Some("https://cdn.example/img/a/c.png")
    );
    assert_eq!(
        join_location(base, "?y=2").as_deref(),
        Some("https://cdn.example/img/a/b.jpg?y=2")
    );
    assert_eq!(join_location("not a url", "/c.png"), None);
}
