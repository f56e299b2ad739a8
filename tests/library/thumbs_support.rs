//! Shared helpers for the thumbnail tests: a tiny HTTP server on 127.0.0.1 that
//! serves real images and misbehaves on purpose, image generators, and event
//! collection. No internet is used anywhere.
#![allow(dead_code)]
// Test helpers: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use folio::thumbs::{CacheConfig, FetchConfig, PoolConfig, ThumbEvent, ThumbKey, ThumbPool};
use image::{ImageFormat, Rgba, RgbaImage};

pub fn gradient(width: u32, height: u32, alpha: u8) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x * 255 / width) as u8, (y * 255 / height) as u8, 90, alpha])
    })
}

pub fn encode(image: &RgbaImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => image::DynamicImage::ImageRgba8(image.clone())
            .into_rgb8()
            .write_to(&mut out, format)
            .unwrap(),
        _ => image.write_to(&mut out, format).unwrap(),
    }
    out.into_inner()
}

/// A two-frame GIF whose first frame is red and second blue.
pub fn two_frame_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        let red = RgbaImage::from_pixel(40, 30, Rgba([255, 0, 0, 255]));
        let blue = RgbaImage::from_pixel(40, 30, Rgba([0, 0, 255, 255]));
        encoder
            .encode_frames(vec![image::Frame::new(red), image::Frame::new(blue)])
            .unwrap();
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid little PNG whose header claims 100 000 × 100 000 pixels: decoding it
/// unchecked would try to allocate 40 GB.
pub fn png_bomb() -> Vec<u8> {
    let mut png = encode(&gradient(1, 1, 255), ImageFormat::Png);
    // Signature (8) + length (4) + "IHDR" (4), then width and height.
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

pub enum Reply {
    Ok {
        content_type: &'static str,
        body: Vec<u8>,
    },
    Status(u16),
    Redirect(&'static str),
    /// Headers promise this many bytes; a few are sent.
    DeclaredHuge(u64),
    /// No Content-Length; this many bytes are streamed then the connection closes.
    StreamedHuge(usize),
    /// Waits this long before answering at all.
    Stall(Duration),
    /// Tells the test it has arrived, then waits for the gate before answering 404.
    Gate,
    /// Like `Gate`, but then serves this image.
    GatedImage(Vec<u8>),
}

pub struct TestServer {
    pub base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    order: Arc<Mutex<Vec<String>>>,
    gate_entered: Mutex<Receiver<()>>,
    gate_open: Mutex<Sender<()>>,
}

impl TestServer {
    pub fn start(routes: HashMap<&'static str, Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let order = Arc::new(Mutex::new(Vec::new()));
        let (entered_tx, entered_rx) = channel();
        let (open_tx, open_rx) = channel::<()>();
        let open_rx = Arc::new(Mutex::new(open_rx));
        let routes = Arc::new(routes);
        {
            let hits = Arc::clone(&hits);
            let order = Arc::clone(&order);
            std::thread::Builder::new()
                .name("test-http".into())
                .spawn(move || {
                    for stream in listener.incoming() {
                        let Ok(stream) = stream else { continue };
                        let routes = Arc::clone(&routes);
                        let hits = Arc::clone(&hits);
                        let order = Arc::clone(&order);
                        let entered_tx = entered_tx.clone();
                        let open_rx = Arc::clone(&open_rx);
                        std::thread::spawn(move || {
                            serve(stream, &routes, &hits, &order, &entered_tx, &open_rx)
                        });
                    }
                })
                .unwrap();
        }
        Self {
            base,
            hits,
            order,
            gate_entered: Mutex::new(entered_rx),
            gate_open: Mutex::new(open_tx),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    pub fn total_hits(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }

    /// Each request as `path user-agent`, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.order.lock().unwrap().clone()
    }

    pub fn wait_until_gate_entered(&self) {
        self.gate_entered
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(10))
            .expect("the gated request never arrived");
    }

    pub fn open_gate(&self) {
        self.gate_open.lock().unwrap().send(()).unwrap();
    }
}

fn serve(
    mut stream: TcpStream,
    routes: &HashMap<&'static str, Reply>,
    hits: &Mutex<HashMap<String, usize>>,
    order: &Mutex<Vec<String>>,
    entered: &Sender<()>,
    open: &Mutex<Receiver<()>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("user-agent")
                {
                    user_agent = value.trim().to_owned();
                }
            }
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    *hits.lock().unwrap().entry(path.clone()).or_insert(0) += 1;
    order.lock().unwrap().push(format!("{path} {user_agent}"));
    let head = |status: &str, extra: &str| {
        format!("HTTP/1.1 {status}\r\n{extra}Connection: close\r\n\r\n")
    };
    let _ = match routes.get(path.as_str()) {
        None | Some(Reply::Status(404)) => stream
            .write_all(head("404 Not Found", "Content-Length: 9\r\n").as_bytes())
            .and_then(|_| stream.write_all(b"not found")),
        Some(Reply::Status(code)) => {
            stream.write_all(head(&format!("{code} Whatever"), "Content-Length: 0\r\n").as_bytes())
        }
        Some(Reply::Ok { content_type, body }) => stream
            .write_all(
                head(
                    "200 OK",
                    &format!(
                        "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                        body.len()
                    ),
                )
                .as_bytes(),
            )
            .and_then(|_| stream.write_all(body)),
        Some(Reply::Redirect(location)) => stream.write_all(
            head(
                "302 Found",
                &format!("Location: {location}\r\nContent-Length: 0\r\n"),
            )
            .as_bytes(),
        ),
        Some(Reply::DeclaredHuge(length)) => stream
            .write_all(
                head(
                    "200 OK",
                    &format!("Content-Type: image/jpeg\r\nContent-Length: {length}\r\n"),
                )
                .as_bytes(),
            )
            .and_then(|_| stream.write_all(&[0xFF, 0xD8, 0xFF])),
        Some(Reply::StreamedHuge(length)) => {
            let chunk = vec![0u8; 64 * 1024];
            let mut result =
                stream.write_all(head("200 OK", "Content-Type: image/png\r\n").as_bytes());
            let mut sent = 0;
            while result.is_ok() && sent < *length {
                result = stream.write_all(&chunk);
                sent += chunk.len();
            }
            result
        }
        Some(Reply::Stall(duration)) => {
            std::thread::sleep(*duration);
            stream.write_all(head("200 OK", "Content-Length: 0\r\n").as_bytes())
        }
        Some(Reply::GatedImage(body)) => {
            let _ = entered.send(());
            let _ = open.lock().unwrap().recv_timeout(Duration::from_secs(10));
            stream
                .write_all(
                    head(
                        "200 OK",
                        &format!(
                            "Content-Type: image/png\r\nContent-Length: {}\r\n",
                            body.len()
                        ),
                    )
                    .as_bytes(),
                )
                .and_then(|_| stream.write_all(body))
        }
        Some(Reply::Gate) => {
            let _ = entered.send(());
            let _ = open.lock().unwrap().recv_timeout(Duration::from_secs(10));
            stream.write_all(head("404 Not Found", "Content-Length: 0\r\n").as_bytes())
        }
    };
}

pub fn test_config(cache_dir: &Path) -> PoolConfig {
    PoolConfig {
        decode_threads: 1,
        network_threads: 2,
        fetch: FetchConfig {
            connect_timeout_ms: 1_000,
            read_timeout_ms: 1_000,
            total_timeout_ms: 3_000,
            max_redirects: 3,
            max_bytes: 1024 * 1024,
            use_env_proxy: false,
            ..FetchConfig::default()
        },
        cache: CacheConfig {
            dir: Some(cache_dir.to_path_buf()),
            ..CacheConfig::default()
        },
        ..PoolConfig::default()
    }
}

/// Collects `count` events (failing the test if they do not come within a generous
/// bound), keyed by what they answer.
pub fn collect(pool: &ThumbPool, count: usize) -> HashMap<ThumbKey, ThumbEvent> {
    let mut events = HashMap::new();
    while events.len() < count {
        let event = pool
            .wait_event(20_000)
            .unwrap_or_else(|| panic!("only {} of {count} events arrived", events.len()));
        let key = event.key().clone();
        assert!(
            events.insert(key.clone(), event).is_none(),
            "two events for {key:?}"
        );
    }
    events
}
