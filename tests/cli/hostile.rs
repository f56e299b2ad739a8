//! Hostile inputs against the real `folio` binary: each test is named after what broke.
//!
//! Every run has a generous deadline (a hang fails the test instead of stalling the
//! suite); no timing is asserted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(120);

fn folio() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command.stdin(Stdio::null());
    command
}

/// Runs `command` to the end, failing the test if it takes longer than [`DEADLINE`].
fn run(command: &mut Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run folio");
    // Read both pipes on threads so that a chatty child cannot fill one and block.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).ok();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).ok();
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().ok();
            child.wait().ok();
            panic!("folio did not finish within {DEADLINE:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn post(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, content).unwrap();
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn assert_no_panic(out: &Output) {
    assert_ne!(
        out.status.code(),
        Some(101),
        "panicked: {}",
        text(&out.stderr)
    );
    assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn clean_overflowed_the_stack_on_deep_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = [
        ("span", "<span>".repeat(100_000)),
        ("table", "<table><tr><td>".repeat(10_000)),
        ("div", "<div>".repeat(100_000)),
        ("blockquote", "<blockquote>".repeat(100_000)),
        ("markdown", ">".repeat(100_000)),
    ];
    for (name, nesting) in shapes {
        let body = format!("---\ntitle: x\n---\n{nesting} 深处的字\n");
        let path = post(dir.path(), &format!("{name}.md"), body.as_bytes());
        for format in ["text", "json"] {
            let out = run(folio().args(["clean", arg(&path), "--format", format]));
            assert_no_panic(&out);
            assert!(out.status.success(), "{name}: {}", text(&out.stderr));
            assert!(text(&out.stdout).contains("深处的字"), "{name}: text lost");
        }
    }
}

#[test]
fn dry_run_into_a_closed_pipe_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let path = post(
        dir.path(),
        "p.md",
        b"---\ntitle: old\nauthor: a\n---\nbody\n",
    );
    for args in [
        vec!["set", arg(&path), "title", "X", "--dry-run"],
        vec!["unset", arg(&path), "author", "--dry-run"],
        vec!["list", arg(dir.path())],
        vec!["check", arg(dir.path())],
        vec!["clean", arg(&path)],
    ] {
        // `| true`: the reading end is closed before folio writes anything.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = run(folio().args(&args).stdout(writer));
        assert_no_panic(&out);
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"---\ntitle: old\nauthor: a\n---\nbody\n"
    );
}

#[test]
fn check_with_a_full_stderr_panicked() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut command = folio();
    command
        .args(["check", "/nonexistent-folio-archive"])
        .stderr(full);
    let status = command.stdout(Stdio::null()).status().unwrap();
    assert_eq!(status.code(), Some(2), "{status:?}");
}

#[test]
fn a_fifo_named_like_a_post_blocked_clean_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for args in [
        vec!["clean", arg(&fifo)],
        vec!["set", arg(&fifo), "title", "X"],
        vec!["unset", arg(&fifo), "title"],
    ] {
        let out = run(folio().args(&args));
        assert_no_panic(&out);
        assert!(!out.status.success(), "{args:?} succeeded on a FIFO");
        assert!(
            text(&out.stderr).contains("named pipe (FIFO), not a regular file"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = run(folio().args(["list", arg(dir.path())]));
    assert!(out.status.success());
}

#[test]
fn a_link_to_dev_zero_was_read_until_out_of_memory() {
    let dir = tempfile::tempdir().unwrap();
    let zero = dir.path().join("z.md");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for args in [
        vec!["clean", arg(&zero)],
        vec!["set", arg(&zero), "title", "X"],
    ] {
        let out = run(folio().args(&args));
        assert_no_panic(&out);
        assert!(!out.status.success());
        assert!(
            text(&out.stderr).contains("a device, not a regular file"),
            "{out:?}"
        );
    }
    // A file over the size cap is not read either (sparse: no disk used).
    let big = std::fs::File::create(dir.path().join("big.md")).unwrap();
    big.set_len(65 * 1024 * 1024).unwrap();
    let out = run(folio().args(["clean", arg(&dir.path().join("big.md"))]));
    assert!(
        text(&out.stderr).contains("over the 64 MiB limit"),
        "{out:?}"
    );
}

fn list_paths(dir: &Path) -> Vec<String> {
    let out = run(folio().args(["list", arg(dir)]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect()
}

#[test]
fn a_chain_of_folder_links_listed_each_post_two_to_the_n_times() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..=16 {
        std::fs::create_dir(dir.path().join(format!("l{i}"))).unwrap();
    }
    for i in 0..16 {
        for name in ["a", "b"] {
            let link = dir.path().join(format!("l{i}/{name}"));
            std::os::unix::fs::symlink(format!("../l{}", i + 1), link).unwrap();
        }
    }
    post(dir.path(), "l16/p.md", b"---\ntitle: p\n---\nbody\n");
    assert_eq!(list_paths(dir.path()), ["l16/p.md"]);
}

#[test]
fn a_link_to_a_folder_inside_listed_every_post_twice() {
    let dir = tempfile::tempdir().unwrap();
    post(dir.path(), "real/p.md", b"---\ntitle: p\n---\nbody\n");
    std::os::unix::fs::symlink("real", dir.path().join("alias")).unwrap();
    assert_eq!(list_paths(dir.path()), ["real/p.md"]);
    // Opening the link itself opens its target.
    assert_eq!(list_paths(&dir.path().join("alias")), ["p.md"]);
}

#[test]
fn a_link_to_etc_scanned_etc() {
    let outside = tempfile::tempdir().unwrap();
    post(
        outside.path(),
        "secret.md",
        b"---\ntitle: secret\n---\nbody\n",
    );
    let dir = tempfile::tempdir().unwrap();
    post(dir.path(), "p.md", b"---\ntitle: p\n---\nbody\n");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("etc")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("s.md")).unwrap();
    let out = run(folio().args(["list", arg(dir.path())]));
    assert!(out.status.success());
    assert!(
        !text(&out.stdout).contains("secret"),
        "{}",
        text(&out.stdout)
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("outside the archive"), "{stderr}");
    let out = run(folio().args(["check", arg(dir.path())]));
    let report = text(&out.stdout);
    assert!(
        report.contains("etc: error: link to a folder outside the archive"),
        "{report}"
    );
    assert!(
        report.contains("s.md: error: link to a file outside the archive"),
        "{report}"
    );
    assert!(
        report.ends_with("in 0 of 1 post(s) and 2 other path(s)\n"),
        "{report}"
    );
}

#[test]
fn list_of_sys_hung() {
    let out = run(folio().args(["list", "/sys"]));
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_post_with_80000_keys_stalled_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = String::from("---\ntitle: many\n");
    for i in 0..80_000 {
        keys.push_str(&format!("k{i}: v\n"));
    }
    keys.push_str("---\nbody\n");
    post(dir.path(), "a-keys.md", keys.as_bytes());
    let brackets = format!(
        "---\ntitle: deep\ntags: {}\n---\nbody\n",
        "[".repeat(100_000)
    );
    post(dir.path(), "b-brackets.md", brackets.as_bytes());
    post(dir.path(), "c-fine.md", b"---\ntitle: fine\n---\nbody\n");
    let out = run(folio().args(["check", arg(dir.path())]));
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("a-keys.md:2: error: front matter not parsed: "),
        "{report}"
    );
    assert!(
        report.contains("b-brackets.md:3: error: front matter not parsed: nested more"),
        "{report}"
    );
    assert!(!report.contains("c-fine.md"), "{report}");
    assert_eq!(
        list_paths(dir.path()),
        ["a-keys.md", "b-brackets.md", "c-fine.md"]
    );
}

#[test]
fn a_short_gbk_post_with_one_bad_byte_read_as_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 中文标题\n---\n<p>正文内容</p>\n");
    let at = gbk.windows(4).position(|w| w == b"</p>").unwrap();
    let damaged = [&gbk[..at], b"\xff", &gbk[at..]].concat();
    post(dir.path(), "g/post.md", &damaged);
    let out = run(folio().args(["list", arg(dir.path()), "--format", "jsonl"]));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["title"], "中文标题");
    let out = run(folio().args(["check", arg(dir.path())]));
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("invalid in GBK"), "{report}");
}

#[test]
fn terminal_escapes_in_titles_names_and_bodies_passed_through() {
    let dir = tempfile::tempdir().unwrap();
    let title = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let content = "---\ntitle: \"\\e]0;pwned\\a\\e[2J\"\n---\n<p>a\u{1b}[31mred</p>\n";
    let path = post(dir.path(), "e\u{1b}[1m.md", content.as_bytes());
    post(
        dir.path(),
        "line\nbreak.md",
        b"---\ntitle: [unclosed\n---\nbody\n",
    );
    let tsv = run(folio().args(["list", arg(dir.path())]));
    let check = run(folio().args(["check", arg(dir.path())]));
    let clean = run(folio().args(["clean", arg(&path)]));
    for out in [&tsv, &check, &clean] {
        assert!(
            !out.stdout.contains(&0x1b),
            "raw ESC in {}",
            text(&out.stdout)
        );
        assert!(
            !out.stdout.contains(&0x07),
            "raw BEL in {}",
            text(&out.stdout)
        );
    }
    assert!(text(&tsv.stdout).contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"));
    assert!(
        text(&check.stdout).contains("line\\nbreak.md:"),
        "{}",
        text(&check.stdout)
    );
    assert!(
        text(&clean.stdout).contains("a\\u{1b}[31mred"),
        "{}",
        text(&clean.stdout)
    );
    // JSON stays exact.
    let jsonl = run(folio().args(["list", arg(dir.path()), "--format", "jsonl"]));
    let titles: Vec<String> = text(&jsonl.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["title"].to_string())
        .collect();
    assert!(
        titles.contains(&serde_json::to_string(title).unwrap()),
        "{titles:?}"
    );
}

#[test]
fn clean_dropped_or_rewrote_image_references_it_could_not_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let body = "---\ntitle: x\n---\n# x\n\n![a](../i/a.png)\n\n![c](/i/c.png)\n\n![s](file:///etc/shadow)\n";
    let path = post(dir.path(), "p.md", body.as_bytes());
    let out = run(folio().args(["clean", arg(&path), "--format", "markdown"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let markdown = text(&out.stdout);
    assert!(markdown.contains("../i/a.png"), "{markdown}");
    assert!(markdown.contains("/i/c.png"), "{markdown}");
    assert!(!markdown.contains("(i/c.png)"), "{markdown}");
    let out = run(folio().args(["clean", arg(&path), "--format", "json"]));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let images: Vec<&str> = json["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "image")
        .map(|b| b["src"].as_str().unwrap())
        .collect();
    assert_eq!(images, ["../i/a.png", "/i/c.png", "file:///etc/shadow"]);
    // The shadow file is never offered as loadable: the thumbnail source refuses it.
    let shadow = folio::archive::ImageRef::parse("file:///etc/shadow", "").unwrap();
    assert!(matches!(
        folio::thumbs::parse_reference(&shadow),
        Err(folio::thumbs::SourceError::FileUrlRefused(_))
    ));
    let outside = folio::archive::ImageRef::parse("../i/a.png", "").unwrap();
    assert!(folio::thumbs::parse_reference(&outside).is_err());
}

#[test]
fn check_summary_counted_a_folder_as_a_post() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/nonexistent-folio-target.md", dir.path().join("gone.md")).unwrap();
    let out = run(folio().args(["check", arg(dir.path())]));
    let report = text(&out.stdout);
    assert!(
        report.ends_with("1 error(s), 0 warning(s) in 0 of 0 post(s) and 1 other path(s)\n"),
        "{report}"
    );
}

#[test]
fn list_left_out_paths_over_path_max_silently() {
    let dir = tempfile::tempdir().unwrap();
    // 20 folders of 250 characters: past PATH_MAX (4096), made one `cd` at a time.
    let name = "d".repeat(250);
    let script = format!(
        "for i in $(seq 20); do mkdir {name} && cd -P {name} || exit 1; done; echo '---' > p.md"
    );
    let made = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .status();
    assert!(made.unwrap().success());
    let out = run(folio().args(["list", arg(dir.path())]));
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot read"), "{stderr}");
    // Removing such a tree needs relative steps too.
    let cleanup = format!("rm -rf {name}");
    Command::new("sh")
        .arg("-c")
        .arg(cleanup)
        .current_dir(dir.path())
        .status()
        .ok();
}
