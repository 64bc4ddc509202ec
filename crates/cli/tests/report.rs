//! `outbreak report` in a real browser: Debian's chromium, headless, opens the pages of a
//! campus run, an ensemble and a sweep from disk; the test reads the page as rendered
//! (`--dump-dom`, after its script ran) and checks it against the folder's files. With `CI`
//! set, a missing chromium fails the test instead of skipping it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

mod common;
use common::{chromium, outbreak, stderr};

/// The page as the browser rendered it, and what the browser logged.
fn render(browser: &Path, page: &Path) -> (String, String) {
    let profile = tempfile::tempdir().expect("profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium: {}", stderr(&out));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The values of an attribute on the elements that carry another, in document order.
fn attr_after(dom: &str, marker: &str, attr: &str) -> Vec<String> {
    dom.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &dom[at..];
            let end = rest.find('>')?;
            let tag = &rest[..end];
            let key = format!("{attr}=\"");
            let from = tag.find(&key)? + key.len();
            let len = tag[from..].find('"')?;
            Some(tag[from..from + len].to_string())
        })
        .collect()
}

/// The headline numbers: `data-key` → `data-value`.
fn stats(dom: &str) -> BTreeMap<String, String> {
    let keys = attr_after(dom, "class=\"stat\" data-key=", "data-key");
    let values = attr_after(dom, "class=\"stat\" data-key=", "data-value");
    keys.into_iter().zip(values).collect()
}

/// What every page must be: rendered with its script run and no error, naming no network
/// address, small.
fn check_page(html: &str, dom: &str, log: &str, limit: usize) {
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not finish"
    );
    assert!(!dom.contains("data-errors="), "the page had errors");
    for line in log.lines().filter(|l| l.contains("CONSOLE")) {
        assert!(
            !line.contains("Uncaught") && !line.contains("Error"),
            "console: {line}"
        );
    }
    for address in [
        "http:",
        "https:",
        "ftp:",
        "ws:",
        "wss:",
        "src=\"//",
        "href=\"//",
        "url(",
    ] {
        assert!(
            !html.contains(address),
            "the page names an address: {address}"
        );
    }
    assert!(html.len() <= limit, "{} bytes", html.len());
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn run_ok(args: &[&str]) {
    let o = outbreak(args);
    assert!(o.status.success(), "outbreak {args:?}: {}", stderr(&o));
}

#[test]
fn the_report_of_a_campus_run_agrees_with_its_folder() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("campus");
    let d = dir.to_str().unwrap();
    run_ok(&[
        "run",
        "--quiet",
        "--out",
        d,
        "--set",
        "population.size=4000",
        "--set",
        "run.duration_hours=12",
    ]);
    run_ok(&["report", d]);
    let page = dir.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let (dom, log) = render(&browser, &page);
    check_page(&html, &dom, &log, 5 << 20);

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let s = stats(&dom);
    for key in ["peak_zombies", "survivors", "rescued", "dead", "bites"] {
        assert_eq!(
            s.get(key).map(String::as_str),
            Some(summary[key].to_string().as_str()),
            "headline {key}"
        );
    }
    // One mark per order that fired, in the linear chart (the log chart repeats them).
    let events = read_csv(&dir.join("events.csv"));
    let orders = events.iter().filter(|e| e["event"] == "order").count();
    assert!(
        orders >= 4,
        "the campus timeline fires its orders in 12 hours"
    );
    let linear =
        &dom[dom.find("class=\"linear-chart\"").unwrap()..dom.find("class=\"log-chart\"").unwrap()];
    assert_eq!(linear.matches("class=\"order-mark\"").count(), orders);
    assert_eq!(
        attr_after(&dom, "<tr data-order=", "data-order").len(),
        orders
    );
    // One story per named character, with the fate characters.csv gives.
    let characters = read_csv(&dir.join("characters.csv"));
    let names = attr_after(&dom, "class=\"story\"", "data-name");
    let fates = attr_after(&dom, "class=\"story\"", "data-fate");
    assert_eq!(names.len(), characters.len());
    for ((c, name), fate) in characters.iter().zip(&names).zip(&fates) {
        assert_eq!(&c["name"], name);
        assert_eq!(&c["fate"], fate);
        assert!(
            dom.contains(&c["story"].replace('&', "&amp;")),
            "story of {name}"
        );
    }
    // Maps of the spread and of several hours.
    assert!(dom.contains("class=\"map-spread\""));
    // The spread, and at least four hours.
    assert!(dom.matches("class=\"map-panel\"").count() >= 5);
}

#[test]
fn the_reports_of_an_ensemble_and_a_sweep_agree_with_their_folders() {
    let Some(browser) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let ens = tmp.path().join("ensemble");
    run_ok(&[
        "ensemble",
        "munz-basic",
        "--runs",
        "40",
        "--quiet",
        "--out",
        ens.to_str().unwrap(),
    ]);
    run_ok(&["report", ens.to_str().unwrap()]);
    let page = ens.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let (dom, log) = render(&browser, &page);
    check_page(&html, &dom, &log, 5 << 20);
    let members = read_csv(&ens.join("members.csv"));
    let s = stats(&dom);
    assert_eq!(s.get("members").map(String::as_str), Some("40"));
    for ending in ["overrun", "eradicated", "contained", "unresolved"] {
        let k = members.iter().filter(|m| m["outcome"] == ending).count();
        if k > 0 {
            assert_eq!(s.get(&format!("outcome:{ending}")), Some(&k.to_string()));
        }
    }
    let outcomes: usize = s
        .iter()
        .filter(|(k, _)| k.starts_with("outcome:"))
        .map(|(_, v)| v.parse::<usize>().unwrap())
        .sum();
    assert_eq!(outcomes, 40, "the outcomes split every member");
    // Quantiles are members' own values: whole people.
    let table = &dom[dom.find("class=\"quantiles\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(!table.contains(".5<"), "no half people: {table}");

    let sweep = tmp.path().join("sweep");
    run_ok(&[
        "sweep",
        "munz-basic",
        "--vary",
        "virus.kill_rate_per_hour=0.001:0.004:4",
        "--runs",
        "8",
        "--quiet",
        "--out",
        sweep.to_str().unwrap(),
    ]);
    run_ok(&["report", sweep.to_str().unwrap()]);
    let page = sweep.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let (dom, log) = render(&browser, &page);
    check_page(&html, &dom, &log, 5 << 20);
    let points = read_csv(&sweep.join("points.csv"));
    let body = &dom[dom.find("class=\"points\"").unwrap()..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</table>").unwrap()];
    assert_eq!(body.matches("<tr>").count(), points.len());
    assert_eq!(dom.matches("class=\"interval\"").count(), points.len());
}

#[test]
fn a_report_of_a_folder_that_is_not_results_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let o = outbreak(&["report", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a results folder"),
        "{}",
        stderr(&o)
    );
    let o = outbreak(&["report", tmp.path().join("missing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a folder"), "{}", stderr(&o));
    assert!(!tmp.path().join("report.html").exists());
}
