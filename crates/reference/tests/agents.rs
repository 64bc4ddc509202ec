//! The agents reduce to the reference models where they should: each comparison of
//! [`outbreak_reference::agree`] (fixed seed, ensemble size, tolerance and its reason
//! stated there) passes at the test suite's size.

use outbreak_reference::agree::{self, Size};

fn passes(c: agree::Check) {
    eprintln!("{c}");
    assert!(c.pass, "{c}");
}

#[test]
fn one_zombie_among_many_dies_out_with_probability_alpha() {
    passes(agree::extinction(Size::Quick));
}

#[test]
fn final_sizes_agree_with_the_exact_process() {
    passes(agree::final_size(Size::Quick));
}

#[test]
fn the_mean_of_large_runs_follows_the_ode() {
    passes(agree::ode_szr(Size::Quick));
}

#[test]
fn at_ten_minute_ticks_the_mean_stays_within_half_a_percent_of_the_ode() {
    passes(agree::ode_szr_coarse(Size::Quick));
}

#[test]
fn with_a_latent_time_agents_follow_sizr() {
    passes(agree::ode_sizr(Size::Quick));
}

#[test]
fn with_quarantine_agents_follow_sizrq() {
    passes(agree::ode_sizrq(Size::Quick));
}

#[test]
fn with_a_cure_agents_follow_the_treatment_model() {
    passes(agree::ode_treatment(Size::Quick));
}

#[test]
fn the_shipped_lattice_escapes_as_the_exact_homogeneous_process_does() {
    passes(agree::lattice_low(Size::Quick));
    passes(agree::lattice_critical(Size::Quick));
    passes(agree::lattice_high(Size::Quick));
}
