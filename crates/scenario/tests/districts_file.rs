//! A city of districts read from a CSV file beside the scenario: it builds, its districts
//! are zones, and a broken CSV is reported with its path, line and the scenario key.

use outbreak_scenario::Scenario;

const SCENARIO: &str = r#"
name = "three towns"
[run]
duration_hours = 1
[world]
generator = "city"
districts = "towns.csv"
people_per_block = 100
campus_district = "Northtown"
[population]
size = 3000
"#;

const CSV: &str = "district,name_ko,population,lat,lon
Northtown,북,1000,37.60,127.00
Midtown,중,1500,37.55,127.00
Southtown,남,500,37.50,127.00
";

#[test]
fn districts_come_from_a_csv_beside_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("towns.csv"), CSV).unwrap();
    let file = dir.path().join("towns.toml");
    let s = Scenario::from_str(SCENARIO, file.to_str().unwrap(), &[]).unwrap();
    let mut sim = s.build().unwrap();
    for name in [
        "Northtown",
        "Midtown",
        "Southtown",
        "Seoul",
        "Northtown campus",
    ] {
        assert!(sim.world.zone_by_name(name).is_some(), "zone {name}");
    }
    let mid = sim.world.zone_by_name("Midtown").unwrap();
    let at_start = sim.occupancy().zones[mid.index()].iter().sum::<u64>();
    assert!(
        (1300..=1700).contains(&at_start),
        "about half the people are in Midtown at the start: {at_start}"
    );
    sim.run_to_end(|_| {});
    // The scenario as run names the file by its absolute path: it reruns from anywhere.
    let as_run = s.to_toml();
    let elsewhere = tempfile::tempdir().unwrap();
    let again = elsewhere.path().join("scenario.toml");
    let rerun = Scenario::from_str(&as_run, again.to_str().unwrap(), &[]).unwrap();
    assert_eq!(rerun.world, s.world);
}

#[test]
fn a_broken_districts_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let broken = CSV.replace("1500", "many");
    std::fs::write(dir.path().join("towns.csv"), broken).unwrap();
    let file = dir.path().join("towns.toml");
    let e = Scenario::from_str(SCENARIO, file.to_str().unwrap(), &[]).unwrap_err();
    assert_eq!(e.key, "world.districts");
    assert!(e.message().contains("towns.csv"), "{e}");
    assert!(e.message().contains("line 3"), "{e}");
    let missing = Scenario::from_str(SCENARIO, "/nonexistent/towns.toml", &[]).unwrap_err();
    assert!(missing.message().contains("cannot read"), "{missing}");
}
